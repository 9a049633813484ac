"""Value types of the archive: queries, study/series/instance records, summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacs_desktop.core.archive.names import display_person_name


@dataclass(frozen=True)
class StudyQuery:
    """Filters of a study search; an empty field matches every study.

    ``patient_name`` and ``description`` take the DICOM wildcards ``*`` (any run
    of characters) and ``?`` (one character) and match without regard to case;
    the name matches when any of its ``=`` component groups matches.
    ``patient_id`` and ``accession`` match exactly unless they hold a wildcard.
    ``date_range`` (StudyDate) and ``patient_birth_date`` are DICOM date ranges:
    ``A-B``, ``A-``, ``-B`` or ``A``. ``modality`` holds one or more codes
    separated by commas, spaces or backslashes (``"CT, MR"``) and matches a
    study with a series of any of them, without regard to case.
    """

    patient_name: str = ""
    patient_id: str = ""
    date_range: str = ""
    modality: str = ""
    accession: str = ""
    description: str = ""
    limit: int | None = None
    patient_birth_date: str = ""


JSON_KEYS = (
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "PatientSex",
    "StudyInstanceUID",
    "StudyDate",
    "AccessionNumber",
    "ModalitiesInStudy",
    "StudyDescription",
    "NumberOfStudyRelatedSeries",
    "NumberOfStudyRelatedInstances",
)


@dataclass(frozen=True)
class StudyRecord:
    """One archived study with its patient's attributes and its counts."""

    PatientName: str
    PatientID: str
    PatientBirthDate: str
    PatientSex: str
    StudyInstanceUID: str
    StudyDate: str
    StudyTime: str
    AccessionNumber: str
    ModalitiesInStudy: list[str]
    StudyDescription: str
    NumberOfStudyRelatedSeries: int
    NumberOfStudyRelatedInstances: int

    @property
    def display_name(self) -> str:
        """The first non-empty component group of the patient name."""
        return display_person_name(self.PatientName)

    def to_json(self) -> dict[str, Any]:
        """Return the record as a dict keyed by DICOM keywords (no StudyTime)."""
        values = {key: getattr(self, key) for key in JSON_KEYS}
        values["ModalitiesInStudy"] = list(self.ModalitiesInStudy)
        return values


@dataclass(frozen=True)
class StudyCursor:
    """Where a page of a study list ended: the last study's sort key.

    Study lists are ordered by Study Date, Study Time and index row, newest
    first; the next page starts after this key.
    """

    study_date: str
    study_time: str
    pk: int

    def values(self) -> tuple[str, str, int]:
        """Return the key as query parameters."""
        return (self.study_date, self.study_time, self.pk)


@dataclass
class StudyPage:
    """One page of a study list; ``cursor`` is None on the last page."""

    records: list[StudyRecord]
    cursor: StudyCursor | None


@dataclass(frozen=True)
class SeriesRecord:
    """One archived series."""

    SeriesInstanceUID: str
    Modality: str
    SeriesNumber: int | None
    SeriesDescription: str
    NumberOfSeriesRelatedInstances: int
    StudyInstanceUID: str


@dataclass(frozen=True)
class InstanceRecord:
    """One archived instance; ``path`` is the absolute path of the stored file."""

    SOPInstanceUID: str
    SOPClassUID: str
    InstanceNumber: int | None
    path: Path
    NumberOfFrames: int
    TransferSyntaxUID: str = ""


@dataclass(frozen=True)
class ImportProgress:
    """Progress of an import: files handled so far out of ``total``."""

    done: int
    total: int | None
    current: Path


@dataclass(frozen=True)
class Rejection:
    """A file that was not stored, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Skip(Rejection):
    """A file met in a folder that is not DICOM at all, passed over on purpose.

    Text files (LICENSE, README, citations) often sit beside the images of a
    series; they are reported, but they are not a failed import.
    """


@dataclass
class ImportSummary:
    """What became of every file of an import (or of a rebuild).

    ``duplicates`` are files whose SOP Instance UID was already stored; the copy
    stored first is kept. ``conflicts`` lists those duplicates whose bytes differ
    from the stored copy (another transfer syntax, or a peer that reused a UID),
    with the difference as the reason. ``studies`` holds the Study Instance UIDs
    that received new instances. ``skipped`` lists the files met in a folder
    that are not DICOM at all (see `Skip`); unlike ``rejected`` they are no
    failure.
    """

    imported: list[Path] = field(default_factory=list)
    duplicates: list[Path] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    conflicts: list[Rejection] = field(default_factory=list)
    studies: set[str] = field(default_factory=set)
    cancelled: bool = False
    skipped: list[Rejection] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The import plan hands its skips in with its rejections; keep them apart.
        skips = [item for item in self.rejected if isinstance(item, Skip)]
        if skips:
            self.rejected = [
                item for item in self.rejected if not isinstance(item, Skip)
            ]
            self.skipped.extend(skips)

    @property
    def total(self) -> int:
        """Number of files handled, skipped files included."""
        return (
            len(self.imported)
            + len(self.duplicates)
            + len(self.rejected)
            + len(self.skipped)
        )

    def merge(self, other: ImportSummary) -> None:
        """Add the files of ``other`` to this summary."""
        self.imported.extend(other.imported)
        self.duplicates.extend(other.duplicates)
        self.rejected.extend(other.rejected)
        self.skipped.extend(other.skipped)
        self.conflicts.extend(other.conflicts)
        self.studies.update(other.studies)
        self.cancelled = self.cancelled or other.cancelled
