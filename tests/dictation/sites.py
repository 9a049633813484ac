"""Workstations for the tests that move dictations between two of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydicom.data import get_testdata_file

from pacs_desktop.core.dictation.importing import import_audio_file
from pacs_desktop.core.dictation.recorder import default_recordings_dir
from pacs_desktop.core.dictation.report import ReportHeader, ReportStore
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation

PASSWORD = "Correct-Horse-Battery-9"
STUDY_FILE = "CT_small.dcm"


@dataclass
class Site:
    """One workstation data directory with its report store."""

    station: Workstation
    reports: ReportStore
    recordings: Path

    def close(self) -> None:
        """Close the database connections."""
        self.station.close()


def open_site(data_dir: Path) -> Site:
    """Open (and create) a workstation on ``data_dir``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    station = Workstation(data_dir)
    reports = ReportStore(
        station.database, station.users, station.audit, station.dictations
    )
    return Site(station, reports, default_recordings_dir(data_dir))


def study_file() -> Path:
    """The CT image whose study the dictations belong to."""
    return Path(str(get_testdata_file(STUDY_FILE)))


@dataclass(frozen=True)
class Dictated:
    """A dictation and its signed report on the reading site."""

    StudyInstanceUID: str
    dictation_id: int
    report_id: int


def dictate_and_sign(site: Site, wav: Path, text: str) -> Dictated:
    """Import the study, attach ``wav`` as a dictation, transcribe and sign it.

    The typist transcribes and the radiologist signs with the password, as at
    a real reading workstation.
    """
    station = site.station
    summary = station.archive.import_paths([study_file()])
    assert summary.imported or summary.duplicates, summary.rejected
    study = station.archive.study(next(iter(summary.studies)))
    assert study is not None
    users = station.users
    users.create_first_administrator("admin", PASSWORD)
    users.create_user("dr.house", PASSWORD, Role.RADIOLOGIST, actor="admin")
    users.create_user("typist", PASSWORD, Role.TRANSCRIPTIONIST, actor="admin")
    radiologist: Session = users.authenticate("dr.house", PASSWORD)
    typist: Session = users.authenticate("typist", PASSWORD)

    dictation = import_audio_file(
        station.dictations,
        station.archive,
        site.recordings,
        study_uid=study.StudyInstanceUID,
        audio_file=wav,
        patient_id=study.PatientID,
        user="dr.house",
    )
    station.dictations.claim(dictation.id, "typist")
    report = site.reports.create(
        ReportHeader.from_study(study),
        user="typist",
        dictation_id=dictation.id,
        text=text,
    )
    site.reports.mark_transcribed(report.id, typist)
    site.reports.sign(report.id, radiologist, PASSWORD)
    return Dictated(study.StudyInstanceUID, dictation.id, report.id)
