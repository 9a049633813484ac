"""Recovery of recordings that a crash, kill or power cut left unfinished.

At start the workstation calls `recover_unfinished`. Every dictation still in the
``recording`` state whose recording file nobody holds locked is repaired (header
sizes from the file length, partial frame cut), its timeline applied, and its
audio kept beside the others. The row, already bound to its study, patient and
author since Record, moves to ``recovered``; its author then finishes or discards
it (`pending_for_author`, `finish_recovered`, `discard_recovered`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import soundfile

from pacs_desktop.core.dictation.audiofile import (
    Timeline,
    fsync_directory,
    read_wav_format,
    render_timeline,
    repair_wav,
)
from pacs_desktop.core.dictation.recorder import final_path, recording_paths
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationError,
    DictationState,
    DictationStore,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecoveredRecording:
    """A dictation repaired at start, waiting for its author."""

    dictation: Dictation
    duration_seconds: float
    audio_path: Path | None


def recover_unfinished(
    store: DictationStore, recordings_dir: Path
) -> list[RecoveredRecording]:
    """Repair every unfinished recording and attach it to its study again.

    Recordings whose file is locked by a running recorder are left alone.
    A recording that has no file (the crash came before the first byte) is
    discarded with that reason.

    Returns
    -------
    list of RecoveredRecording
        The recordings recovered by this call.

    Raises
    ------
    ArchiveError
        If the database cannot be read or written.
    """
    recovered: list[RecoveredRecording] = []
    candidates = store.find(states=[DictationState.RECORDING, DictationState.RECOVERED])
    for dictation in candidates:
        wav, _ = recording_paths(recordings_dir, dictation.id)
        if dictation.state is DictationState.RECOVERED and not wav.exists():
            continue  # recovered before; its audio is already final
        result = _recover_one(store, recordings_dir, dictation)
        if result is not None:
            recovered.append(result)
    return recovered


def _recover_one(
    store: DictationStore, recordings_dir: Path, dictation: Dictation
) -> RecoveredRecording | None:
    wav, sidecar = recording_paths(recordings_dir, dictation.id)
    target = final_path(recordings_dir, dictation.id)
    if not wav.exists() and target.exists():
        # The crash came after the finished audio was renamed into place but
        # before the database was told.
        return _adopt_final(store, dictation, target)
    if not wav.exists():
        store.transition(
            dictation.id,
            DictationState.DISCARDED,
            dictation.author,
            detail="recovery found no recording file: nothing was recorded",
        )
        return None
    if _is_locked(wav):
        return None

    try:
        frames = repair_wav(wav)
        timeline = _read_timeline(sidecar, frames)
        segments = timeline.segments(frames)
        fmt = read_wav_format(wav)
        _, kept = render_timeline(wav, segments, target)
    except (OSError, ValueError) as exc:
        logger.error(
            "dictation %d: recovery failed (%s); the recording file %s is kept",
            dictation.id,
            exc,
            wav,
        )
        return None

    wav.unlink()
    sidecar.unlink(missing_ok=True)
    fsync_directory(recordings_dir)
    seconds = kept / fmt.sample_rate
    store.set_audio(dictation.id, target, seconds)
    if dictation.state is DictationState.RECORDING:
        store.transition(
            dictation.id,
            DictationState.RECOVERED,
            dictation.author,
            detail=f"recovered after an interruption: {seconds:.1f} s kept",
        )
    logger.info("dictation %d: recovered %.1f s", dictation.id, seconds)
    return RecoveredRecording(store.get(dictation.id), seconds, target)


def _adopt_final(
    store: DictationStore, dictation: Dictation, target: Path
) -> RecoveredRecording | None:
    try:
        info = soundfile.info(str(target))
    except (OSError, RuntimeError, soundfile.LibsndfileError) as exc:
        logger.error("dictation %d: finished audio unreadable (%s)", dictation.id, exc)
        return None
    seconds = info.frames / info.samplerate
    store.set_audio(dictation.id, target, seconds)
    if dictation.state is DictationState.RECORDING:
        store.transition(
            dictation.id,
            DictationState.RECOVERED,
            dictation.author,
            detail=f"recovered after an interruption: {seconds:.1f} s kept",
        )
    return RecoveredRecording(store.get(dictation.id), seconds, target)


def _is_locked(path: Path) -> bool:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing the descriptor also drops a lock taken here
    return False


def _read_timeline(sidecar: Path, frames: int) -> Timeline:
    # Without a readable timeline, the whole file in recording order is the
    # best that can be kept.
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        return Timeline.from_json(data["timeline"])
    except (OSError, ValueError, KeyError, TypeError):
        return Timeline(prefix=[(0, frames)] if frames else [])


def pending_for_author(store: DictationStore, author: str) -> list[Dictation]:
    """Return the recovered dictations of ``author`` that wait for a decision."""
    return store.find(states=[DictationState.RECOVERED], author=author)


def _check_author(dictation: Dictation, user: str) -> None:
    if dictation.author != user:
        raise DictationError(
            f"dictation {dictation.id} was recorded by {dictation.author}; only "
            "its author can finish or discard a recovered recording"
        )


def finish_recovered(store: DictationStore, dictation_id: int, user: str) -> Dictation:
    """Keep a recovered dictation as recorded, so it reaches the worklist.

    Raises
    ------
    DictationError
        If ``user`` is not its author, or it is not in the recovered state.
    """
    dictation = store.get(dictation_id)
    _check_author(dictation, user)
    return store.transition(
        dictation_id, DictationState.RECORDED, user, detail="kept after recovery"
    )


def discard_recovered(store: DictationStore, dictation_id: int, user: str) -> Dictation:
    """Discard a recovered dictation and delete its audio.

    Raises
    ------
    DictationError
        If ``user`` is not its author, or it is not in the recovered state.
    """
    dictation = store.get(dictation_id)
    _check_author(dictation, user)
    result = store.transition(
        dictation_id, DictationState.DISCARDED, user, detail="discarded after recovery"
    )
    if dictation.audio_path is not None:
        with contextlib.suppress(FileNotFoundError):
            dictation.audio_path.unlink()
    return result
