"""Register dictation audio and signed reports that arrived with a study.

A study retrieved from the PACS (or imported from files) may contain Basic
Voice Audio objects and verified SR reports that another workstation made. The
archive stores them like any instance. `register_received_objects` scans one
archived study for such objects that the dictation and report tables do not
know yet. It registers the audio as a dictation in the ``received`` state,
with its samples written to a WAV file at the object's own 8 kHz, and each
verified SR as a signed report version. An object whose PatientID differs
from the study's is skipped, so it is never attached to another patient.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import soundfile
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.valuerep import DT

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import InstanceRecord, StudyRecord
from pacs_desktop.core.dictation.audiofile import fsync_directory, open_private
from pacs_desktop.core.dictation.recorder import final_path
from pacs_desktop.core.dictation.report import (
    Report,
    ReportError,
    ReportHeader,
    ReportStore,
)
from pacs_desktop.core.dictation.report_sr import read_report_text
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationError,
    DictationState,
    DictationStore,
    RecordingBinding,
)
from pacs_desktop.core.dictation.waveform import (
    BASIC_VOICE_AUDIO_STORAGE,
    read_voice_audio,
)

logger = logging.getLogger(__name__)

GENERAL_AUDIO_STORAGE = "1.2.840.10008.5.1.4.1.1.9.4.2"
AUDIO_CLASSES = frozenset({str(BASIC_VOICE_AUDIO_STORAGE), GENERAL_AUDIO_STORAGE})
# Basic Text, Enhanced and Comprehensive SR: their text is in TEXT content items.
SR_CLASSES = frozenset(
    {
        "1.2.840.10008.5.1.4.1.1.88.11",
        "1.2.840.10008.5.1.4.1.1.88.22",
        "1.2.840.10008.5.1.4.1.1.88.33",
    }
)


@dataclass
class ReceivedSummary:
    """Dictations and reports registered by one scan, and the skipped objects."""

    dictations: list[Dictation] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


class _SkipError(Exception):
    """An object that cannot be registered; the scan goes on without it."""


def register_received_objects(
    dictations: DictationStore,
    reports: ReportStore,
    archive: Archive,
    recordings_dir: Path,
    study_uid: str,
) -> ReceivedSummary:
    """Register the study's audio and SR objects that no row refers to yet.

    Calling it again registers nothing twice: each dictation and report keeps
    the SOP Instance UID of its object.

    Raises
    ------
    DictationError
        If the study is not in the archive.
    ArchiveError
        If the database fails.
    """
    study = archive.study(study_uid)
    if study is None:
        raise DictationError(
            f"study {study_uid} is not in the local archive; retrieve or import it "
            "first"
        )
    summary = ReceivedSummary()
    audio, sr = _unknown_instances(dictations, reports, archive, study_uid)
    for instance in audio:
        try:
            summary.dictations.append(
                _register_audio(dictations, recordings_dir, study, instance)
            )
        except _SkipError as exc:
            summary.skipped.append((instance.SOPInstanceUID, str(exc)))
    for instance in sr:
        try:
            summary.reports.append(_register_report(reports, study, instance))
        except _SkipError as exc:
            summary.skipped.append((instance.SOPInstanceUID, str(exc)))
    for uid, reason in summary.skipped:
        logger.warning("object %s of a received study not registered: %s", uid, reason)
    if summary.dictations or summary.reports:
        logger.info(
            "received study: %d dictations and %d reports registered",
            len(summary.dictations),
            len(summary.reports),
        )
    return summary


def _unknown_instances(
    dictations: DictationStore,
    reports: ReportStore,
    archive: Archive,
    study_uid: str,
) -> tuple[list[InstanceRecord], list[InstanceRecord]]:
    audio: list[InstanceRecord] = []
    sr: list[InstanceRecord] = []
    for series in archive.series_for_study(study_uid):
        for instance in archive.instances_for_series(series.SeriesInstanceUID):
            uid = instance.SOPInstanceUID
            if instance.SOPClassUID in AUDIO_CLASSES:
                known = dictations.find_by_audio_object(uid)
                if known is None or _audio_missing(known):
                    audio.append(instance)
            elif (
                instance.SOPClassUID in SR_CLASSES
                and reports.find_by_sr_instance(uid) is None
            ):
                sr.append(instance)
    # Versions in order, so that an amendment finds the version it amends.
    sr.sort(key=lambda item: (item.InstanceNumber or 0, item.SOPInstanceUID))
    return audio, sr


def _audio_missing(dictation: Dictation) -> bool:
    # A received row whose WAV file was never written (a crash in between).
    return dictation.state is DictationState.RECEIVED and (
        dictation.audio_path is None or not dictation.audio_path.exists()
    )


def _read(instance: InstanceRecord) -> Dataset:
    try:
        return dcmread(instance.path)
    except (OSError, InvalidDicomError) as exc:
        raise _SkipError(f"cannot read {instance.path}: {exc}") from exc


def _check_patient(ds: Dataset, study: StudyRecord) -> None:
    if str(ds.get("PatientID", "")) != study.PatientID:
        raise _SkipError(
            "its PatientID differs from the study's; check the object on the PACS"
        )


def _parse_datetime(ds: Dataset, keyword: str) -> datetime | None:
    text = str(ds.get(keyword, "") or "").strip()
    if not text:
        return None
    try:
        moment: datetime = DT(text)
    except ValueError:
        return None
    # A DT value without a UTC offset is read as local time.
    return moment.astimezone() if moment.tzinfo is None else moment


def _register_audio(
    dictations: DictationStore,
    recordings_dir: Path,
    study: StudyRecord,
    instance: InstanceRecord,
) -> Dictation:
    ds = _read(instance)
    _check_patient(ds, study)
    try:
        samples, rate = read_voice_audio(ds)
    except DictationError as exc:
        raise _SkipError(str(exc)) from exc

    uid = instance.SOPInstanceUID
    dictation = dictations.find_by_audio_object(uid)
    if dictation is None:
        started = _parse_datetime(ds, "AcquisitionDateTime") or datetime.now(
            timezone.utc
        )
        binding = RecordingBinding(
            StudyInstanceUID=study.StudyInstanceUID,
            AccessionNumber=str(ds.get("AccessionNumber", "") or ""),
            PatientID=study.PatientID,
            user=str(ds.get("PerformingPhysicianName", "") or ""),
            started=started,
        )
        dictation = dictations.create(
            binding,
            sample_rate=rate,
            state=DictationState.RECEIVED,
            source="received",
            audio_object_uid=uid,
            audio_series_uid=str(ds.get("SeriesInstanceUID", "")) or None,
        )
    target = final_path(recordings_dir, dictation.id)
    try:
        _write_wav(target, samples, rate)
    except (OSError, RuntimeError, soundfile.LibsndfileError) as exc:
        raise _SkipError(f"cannot write its audio to {target}: {exc}") from exc
    dictations.set_audio(dictation.id, target, len(samples) / rate)
    return dictations.get(dictation.id)


def _write_wav(target: Path, samples: object, rate: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    try:
        # Audio is patient data: written 0600 whatever the umask.
        with open_private(temporary) as stream:
            soundfile.write(stream, samples, rate, subtype="PCM_16", format="WAV")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except (OSError, RuntimeError):
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    fsync_directory(target.parent)


def _first_item(ds: Dataset, keyword: str) -> Dataset | None:
    items = ds.get(keyword) or []
    return items[0] if len(items) else None


def _register_report(
    reports: ReportStore, study: StudyRecord, instance: InstanceRecord
) -> Report:
    ds = _read(instance)
    _check_patient(ds, study)
    if str(ds.get("VerificationFlag", "")) != "VERIFIED":
        raise _SkipError(
            "its Verification Flag is not VERIFIED; only signed reports are registered"
        )
    verifier = _first_item(ds, "VerifyingObserverSequence")
    signed_at = _parse_datetime(verifier, "VerificationDateTime") if verifier else None
    if verifier is None or signed_at is None:
        raise _SkipError("the SR has no Verifying Observer with a datetime")
    try:
        text = read_report_text(ds)
    except ReportError as exc:
        raise _SkipError(str(exc)) from exc

    author_item = _first_item(ds, "AuthorObserverSequence")
    signed_by = str(verifier.get("VerifyingObserverName", "") or "")
    author = str(author_item.get("PersonName", "") or "") if author_item else ""
    try:
        return reports.add_received(
            ReportHeader.from_study(study),
            text=text,
            author=author or signed_by,
            signed_by=signed_by,
            signed_at=signed_at,
            sr_sop_instance_uid=instance.SOPInstanceUID,
            previous_id=_amended_report(reports, ds),
        )
    except ReportError as exc:
        raise _SkipError(str(exc)) from exc


def _amended_report(reports: ReportStore, ds: Dataset) -> int | None:
    # The Predecessor Documents Sequence (SR Document General module, PS3.3
    # C.17.2) lists the SR that this version replaces.
    for study_item in ds.get("PredecessorDocumentsSequence", []):
        for series_item in study_item.get("ReferencedSeriesSequence", []):
            for sop_item in series_item.get("ReferencedSOPSequence", []):
                uid = str(sop_item.get("ReferencedSOPInstanceUID", ""))
                previous = reports.find_by_sr_instance(uid) if uid else None
                if previous is not None:
                    return previous.id
    return None
