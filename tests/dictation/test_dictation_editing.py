"""Pause, insert, overwrite, maximum length and the level meter, recorded live."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from microphone_rig import BLOCKSIZE, RATE, Microphone, start_child, wait_until

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dictation.store import DictationState, DictationStore

STUDY = "1.2.826.0.1.3680043.8.498.30001"


def _find_block(speech: np.ndarray, piece: np.ndarray) -> int | None:
    """Return the block-aligned offset where ``piece`` occurs exactly in speech."""
    for offset in range(0, len(speech) - len(piece) + 1, BLOCKSIZE):
        if np.array_equal(speech[offset : offset + len(piece)], piece):
            return offset
    return None


def _record(
    mic: Microphone, tmp_path: Path, steps: list[tuple[float, str]]
) -> np.ndarray:
    """Record while sending each command once ``seconds`` more were fed."""
    child = start_child(
        mic, tmp_path / "archive.sqlite", tmp_path / "rec", study=STUDY, patient_id="P"
    )
    assert child.wait_started().startswith("started ")
    mic.start_feeding()
    for seconds, command in steps:
        target = mic.fed_seconds() + seconds
        assert wait_until(lambda t=target: mic.fed_seconds() >= t, timeout=10)
        if command != "stop":
            assert child.command(command) == "ok"
    outcome = json.loads(child.stop())
    mic.stop_feeding()
    audio, _ = soundfile.read(outcome["audio_path"], dtype="int16")
    return audio


def test_insert_pushes_rest_later(microphone_factory, tmp_path: Path) -> None:
    mic: Microphone = microphone_factory()
    audio = _record(mic, tmp_path, [(1.0, "pause"), (0.3, "insert 0.5"), (0.5, "stop")])
    speech = mic.speech
    half = RATE // 2

    assert np.array_equal(audio[:half], speech[:half])
    # The first take ran from 0 to some block boundary n; its part after 0.5 s
    # closes the dictation, and the inserted take sits between.
    tails = [
        n
        for n in range(half + BLOCKSIZE, 3 * RATE, BLOCKSIZE)
        if np.array_equal(audio[-(n - half) :], speech[half:n])
    ]
    assert tails, "the end of the first take is not at the end of the dictation"
    inserted = audio[half : len(audio) - (tails[-1] - half)]
    assert len(inserted) / RATE == pytest.approx(0.5, abs=0.25)
    offset = _find_block(speech, inserted)
    assert offset is not None
    assert offset >= tails[-1]  # recorded after the pause, not replayed


def test_overwrite_replaces_from_position(microphone_factory, tmp_path: Path) -> None:
    mic: Microphone = microphone_factory()
    audio = _record(
        mic, tmp_path, [(1.5, "pause"), (0.3, "overwrite 0.2"), (0.5, "stop")]
    )
    speech = mic.speech
    start = int(0.2 * RATE)

    assert np.array_equal(audio[:start], speech[:start])
    # The first take (about 1.5 s) outlasts the new one, so its end remains.
    assert len(audio) / RATE == pytest.approx(1.5, abs=0.25)
    new = audio[start : start + int(0.4 * RATE)]
    offset = _find_block(speech, new)
    assert offset is not None
    assert offset > int(1.5 * RATE)
    assert not np.array_equal(
        audio[start : start + len(new)], speech[start : start + len(new)]
    )


def test_maximum_length_stops_recording(microphone_factory, tmp_path: Path) -> None:
    mic: Microphone = microphone_factory()
    database = tmp_path / "archive.sqlite"
    child = start_child(
        mic, database, tmp_path / "rec", study=STUDY, patient_id="P", max_seconds=1.0
    )
    assert child.wait_started().startswith("started ")
    mic.start_feeding()
    store = DictationStore(Database(database))
    assert wait_until(
        lambda: store.get(child.dictation_id).state is DictationState.RECORDED,
        timeout=10,
        interval=0.05,
    )
    outcome = json.loads(child.stop())
    mic.stop_feeding()
    assert outcome["duration_seconds"] == pytest.approx(1.0)
    assert outcome["error"] is None


def test_level_meter_follows_input(microphone_factory, tmp_path: Path) -> None:
    mic: Microphone = microphone_factory()
    child = start_child(
        mic, tmp_path / "archive.sqlite", tmp_path / "rec", study=STUDY, patient_id="P"
    )
    assert child.wait_started().startswith("started ")
    mic.start_feeding()
    # Readings over half a second, so one pause between words cannot hide speech.
    levels = []
    for seconds in (0.8, 1.0, 1.2):
        assert wait_until(lambda t=seconds: mic.fed_seconds() >= t, timeout=10)
        levels.append(json.loads(child.command("level")))
    child.stop()
    mic.stop_feeding()
    loudest = max(levels, key=lambda level: level["rms"])
    assert 0.01 < loudest["rms"] < 1.0
    assert loudest["peak"] >= loudest["rms"]
