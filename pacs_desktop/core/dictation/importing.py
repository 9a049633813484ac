"""Attach dictations recorded elsewhere (a handheld recorder, a phone)."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import uuid
from pathlib import Path

import soundfile

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.dictation.audiofile import fsync_directory, open_private
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationError,
    DictationState,
    DictationStore,
    RecordingBinding,
)
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.auditmessage import PATIENT_CONFIRMATION_FAILED

logger = logging.getLogger(__name__)

# Container formats accepted, as soundfile names them.
IMPORT_FORMATS = ("WAV", "FLAC")


def import_audio_file(
    store: DictationStore,
    archive: Archive,
    recordings_dir: Path,
    *,
    study_uid: str,
    audio_file: Path,
    patient_id: str,
    user: str,
    os_account: bool = False,
) -> Dictation:
    """Attach an audio file to a study as a recorded dictation.

    ``patient_id`` is the second identifier: it must equal the study's
    PatientID, so a mistyped StudyInstanceUID cannot attach the audio to
    another patient. A mismatch is recorded in the archive's audit trail as
    PATIENT_CONFIRMATION_FAILED for ``user`` (an operating-system account
    with ``os_account``). The file is kept as it is, at its own quality.

    Raises
    ------
    DictationError
        If the study is unknown, the PatientID differs, or the file is missing or
        is not WAV or FLAC audio.
    """
    study = archive.study(study_uid)
    if study is None:
        raise DictationError(
            f"study {study_uid} is not in the local archive; import or retrieve it "
            "first"
        )
    if patient_id != study.PatientID:
        _audit_mismatch(archive, study, audio_file, user, os_account)
        raise DictationError(
            f"the PatientID given does not match study {study_uid}; the dictation "
            "was not attached (check the patient and the study)"
        )
    info = _audio_info(audio_file)

    # The audio is copied before the dictation row exists, and the row is
    # created finished. A row in the recording state without its file would
    # be discarded by a recovery that runs at the same time in another window.
    suffix = ".flac" if info.format == "FLAC" else ".wav"
    target = recordings_dir / f"imported-{uuid.uuid4().hex}{suffix}"
    try:
        _copy_synced(audio_file, target)
    except OSError as exc:
        raise DictationError(
            f"cannot copy {audio_file} into {recordings_dir}: {exc.strerror}"
        ) from exc
    binding = RecordingBinding.for_study(study, user)
    try:
        dictation = store.create(
            binding,
            sample_rate=int(info.samplerate),
            channels=int(info.channels),
            state=DictationState.RECORDED,
            source="imported",
            audio_path=target,
            duration_seconds=info.frames / info.samplerate,
            detail="imported from a file",
        )
    except PacsDesktopError:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    logger.info("dictation %d: imported %.1f s", dictation.id, info.duration)
    return dictation


def _audit_mismatch(
    archive: Archive,
    study: StudyRecord,
    audio_file: Path,
    user: str,
    os_account: bool,
) -> None:
    if archive.audit is None:
        return
    archive.audit.record(
        PATIENT_CONFIRMATION_FAILED,
        user=user,
        os_account=os_account,
        patient_id=study.PatientID,
        patient_name=study.PatientName,
        study_uids=[study.StudyInstanceUID],
        detail=(
            f"dictation import of {audio_file.name} rejected: the PatientID "
            "given does not match the study"
        ),
    )


def _audio_info(audio_file: Path) -> soundfile._SoundFileInfo:
    if not audio_file.is_file():
        raise DictationError(
            f"{audio_file} not found or not a regular file; give the path of a WAV "
            "or FLAC file"
        )
    try:
        info = soundfile.info(str(audio_file))
    except TypeError as exc:
        # soundfile takes a name ending in .raw (or another headerless
        # extension) as raw PCM and requires a sample rate it cannot know.
        raise DictationError(
            f"{audio_file} is not a WAV or FLAC file: it has no header that gives "
            "its sample rate and channels; convert it to WAV or FLAC first"
        ) from exc
    except (OSError, RuntimeError, ValueError, soundfile.LibsndfileError) as exc:
        raise DictationError(
            f"{audio_file} is not a WAV or FLAC file ({exc}); convert it to WAV "
            "or FLAC first"
        ) from exc
    if info.format not in IMPORT_FORMATS:
        raise DictationError(
            f"{audio_file} is {info.format} audio; only WAV and FLAC can be imported"
        )
    if info.frames <= 0:
        raise DictationError(f"{audio_file} contains no audio samples")
    return info


def _copy_synced(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    try:
        with source.open("rb") as src, open_private(tmp) as dst:
            shutil.copyfileobj(src, dst)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_directory(target.parent)
