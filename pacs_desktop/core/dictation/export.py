"""Turn a stored dictation into its Basic Voice Audio Waveform object."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import soundfile
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import generate_uid

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.dictation.audiofile import open_private
from pacs_desktop.core.dictation.store import Dictation, DictationError, DictationStore
from pacs_desktop.core.dictation.waveform import (
    AUDIO_SERIES_NUMBER,
    build_voice_audio,
)

logger = logging.getLogger(__name__)


def study_source(archive: Archive, study_uid: str) -> Dataset | StudyRecord:
    """Return where to copy the study's Patient and Study attributes from.

    The header of one archived instance of the study is preferred, because it
    carries every attribute of those modules in the study's character set; the
    study record is the fallback.

    Raises
    ------
    DictationError
        If the archive does not have the study.
    """
    for series in archive.series_for_study(study_uid):
        if series.Modality == "AU":
            continue  # audio objects made here copy the same values anyway
        for instance in archive.instances_for_series(series.SeriesInstanceUID):
            try:
                return dcmread(instance.path, stop_before_pixels=True)
            except (OSError, InvalidDicomError) as exc:
                logger.warning("cannot read study attributes from an instance: %s", exc)
    record = archive.study(study_uid)
    if record is None:
        raise DictationError(
            f"study {study_uid} is not in the local archive; retrieve or import it "
            "first"
        )
    return record


def free_series_number(
    archive: Archive, study_uid: str, series_uid: str | None, first: int
) -> int:
    """Return the Series Number for a series that the workstation adds to a study.

    A series the archive contains already keeps its number, so sending or
    exporting the same object again does not renumber it. A new series gets
    the smallest number from ``first`` up that no archived series of the study
    uses, whether imported, made here or retrieved from a peer.

    NOTE: the number of a series that is not archived yet is chosen again on
    each call, so an export made before publishing may carry another number
    than the published object when the study gained a series in between.
    """
    used: set[int] = set()
    for series in archive.series_for_study(study_uid):
        if series.SeriesNumber is None:
            continue
        if series.SeriesInstanceUID == series_uid:
            return series.SeriesNumber
        used.add(series.SeriesNumber)
    number = first
    while number in used:
        number += 1
    return number


def read_audio(dictation: Dictation) -> tuple[np.ndarray, int]:
    """Read a dictation's audio as int16 samples (frames, channels) and its rate.

    Raises
    ------
    DictationError
        If the dictation has no audio file or it cannot be read.
    """
    if dictation.audio_path is None:
        raise DictationError(
            f"dictation {dictation.id} has no audio yet ({dictation.state.value})"
        )
    try:
        samples, rate = soundfile.read(
            dictation.audio_path, dtype="int16", always_2d=True
        )
    except (OSError, RuntimeError, soundfile.LibsndfileError) as exc:
        raise DictationError(
            f"cannot read the audio of dictation {dictation.id} from "
            f"{dictation.audio_path}: {exc}"
        ) from exc
    return samples, int(rate)


def dictation_dataset(
    dictation: Dictation,
    archive: Archive,
    *,
    sample_interpretation: str = "SS",
    uids: tuple[str, str] | None = None,
) -> Dataset:
    """Build the Basic Voice Audio Waveform object of a dictation.

    ``uids`` are its SOP Instance and Series Instance UIDs
    (`DictationStore.audio_object_uids`); without them both are new. The
    Series Number comes from `free_series_number`.

    Raises
    ------
    DictationError
        If the audio or the study is missing, or the object cannot be built.
    """
    samples, rate = read_audio(dictation)
    source = study_source(archive, dictation.StudyInstanceUID)
    if str(getattr(source, "PatientID", "")) != dictation.PatientID:
        raise DictationError(
            f"dictation {dictation.id} is bound to another PatientID than study "
            f"{dictation.StudyInstanceUID} now has; check the study before export"
        )
    series_uid = uids[1] if uids else None
    number = free_series_number(
        archive, dictation.StudyInstanceUID, series_uid, AUDIO_SERIES_NUMBER
    )
    return build_voice_audio(
        samples,
        rate,
        source,
        acquired=dictation.started_at,
        author=dictation.author,
        sample_interpretation=sample_interpretation,
        sop_instance_uid=uids[0] if uids else None,
        series_instance_uid=series_uid,
        series_number=number,
    )


def export_dictation(
    store: DictationStore,
    archive: Archive,
    dictation_id: int,
    output: Path,
    *,
    sample_interpretation: str = "SS",
) -> Dataset:
    """Write a dictation as a Basic Voice Audio Waveform DICOM file.

    The default 16-bit encoding reuses the dictation's stored UIDs, so the
    export is the same object that `publish_dictation_audio` archives and
    sends. An 8-bit encoding is another object, so it gets a new SOP Instance
    UID in the same series. The file is created or truncated with mode 0600.

    Raises
    ------
    DictationNotFoundError
        If there is no such dictation.
    DictationError
        If the audio or study is missing, or ``output`` cannot be written.
    """
    sop_uid, series_uid = store.audio_object_uids(dictation_id)
    if sample_interpretation != "SS":
        sop_uid = generate_uid()
    ds = dictation_dataset(
        store.get(dictation_id),
        archive,
        sample_interpretation=sample_interpretation,
        uids=(sop_uid, series_uid),
    )
    try:
        # The file is patient data, so it is created 0600 whatever the umask.
        with open_private(output) as stream:
            ds.save_as(stream, enforce_file_format=True)
    except OSError as exc:
        raise DictationError(f"cannot write {output}: {exc.strerror}") from exc
    return ds
