"""Recording through PortAudio and ALSA from a capture device fed with speech."""

from __future__ import annotations

import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import soundfile
from microphone_rig import (
    RATE,
    Microphone,
    best_correlation,
    start_child,
    wait_until,
)

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dictation.recorder import recording_paths
from pacs_desktop.core.dictation.recovery import recover_unfinished
from pacs_desktop.core.dictation.store import DictationState, DictationStore

STUDY = "1.2.826.0.1.3680043.8.498.10001"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "archive.sqlite"


def test_recording_matches_fed_speech(
    microphone_factory, database: Path, tmp_path: Path
) -> None:
    mic: Microphone = microphone_factory()
    child = start_child(
        mic, database, tmp_path / "rec", study=STUDY, patient_id="PAT-1"
    )
    assert child.wait_started().startswith("started "), child.process.stderr
    mic.start_feeding()
    assert wait_until(lambda: mic.fed_seconds() >= 2.5, timeout=10)
    fed = mic.fed_samples()
    outcome = json.loads(child.stop())
    mic.stop_feeding()

    recorded, rate = soundfile.read(outcome["audio_path"], dtype="int16")
    assert rate == RATE
    assert outcome["state"] == "recorded"
    assert abs(len(recorded) - len(fed)) / RATE < 0.3
    assert float(np.sqrt(np.mean(recorded.astype(float) ** 2))) > 500
    common = min(len(recorded), len(fed))
    assert best_correlation(recorded[:common], fed[:common]) > 0.8


SYNC_LIMIT = 1.0  # max seconds between two fsync calls on the recording file


def _fsync_times(log: Path, synced_path: Path) -> list[float]:
    times = []
    for line in log.read_text(encoding="utf-8").splitlines():
        moment, path = line.split(" ", 1)
        if path == str(synced_path.resolve()):
            times.append(float(moment))
    return times


def test_recording_synced_every_second(
    microphone_factory, database: Path, tmp_path: Path
) -> None:
    mic: Microphone = microphone_factory()
    log = tmp_path / "fsync.log"
    recordings = tmp_path / "rec"
    child = start_child(
        mic,
        database,
        recordings,
        study=STUDY,
        patient_id="PAT-1",
        extra_args=["--fsync-log", str(log)],
    )
    assert child.wait_started().startswith("started "), child.process.stderr
    audio_path, _ = recording_paths(recordings, child.dictation_id)
    fed_from = time.monotonic()
    mic.start_feeding()
    assert wait_until(lambda: mic.fed_seconds() >= 4.0, timeout=15)
    stop_at = time.monotonic()
    outcome = json.loads(child.stop())
    mic.stop_feeding()

    # time.monotonic() is one clock for all processes on Linux.
    synced = _fsync_times(log, audio_path)
    during = [moment for moment in synced if fed_from <= moment <= stop_at]
    gaps = np.diff([fed_from, *during, stop_at])
    assert outcome["state"] == "recorded"
    assert len(during) >= 4
    assert float(gaps.max()) <= SYNC_LIMIT


KILL_RUNS = 20
KILL_SEED = 20240611


def _record_and_kill(
    mic: Microphone, database: Path, recordings: Path, run: int, kill_at: float
) -> tuple[int, float]:
    child = start_child(
        mic,
        database,
        recordings,
        study=f"{STUDY}.{run}",
        patient_id=f"PAT-{run}",
    )
    line = child.wait_started()
    assert line.startswith("started "), line
    mic.start_feeding()
    assert wait_until(lambda: mic.fed_seconds() >= kill_at, timeout=10)
    child.kill()
    fed = mic.fed_seconds()
    mic.stop_feeding()
    return child.dictation_id, fed


def test_kill_during_recording_is_recovered(
    microphone_factory, database: Path, tmp_path: Path
) -> None:
    rng = random.Random(KILL_SEED)
    recordings = tmp_path / "rec"
    fed_by_id: dict[int, tuple[int, float]] = {}
    kill_times = [rng.uniform(0.5, 2.5) for _ in range(KILL_RUNS)]
    mics = [microphone_factory(f"kill{run}") for run in range(KILL_RUNS)]
    # Two children at a time, one per core, keep the suite short.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(_record_and_kill, mic, database, recordings, run, kill_at)
            for run, (mic, kill_at) in enumerate(zip(mics, kill_times, strict=True))
        ]
        for run, future in enumerate(futures):
            dictation_id, fed = future.result()
            fed_by_id[dictation_id] = (run, fed)

    mic_speech = mics[0].speech
    store = DictationStore(Database(database))
    recovered = {
        item.dictation.id: item for item in recover_unfinished(store, recordings)
    }

    assert sorted(recovered) == sorted(fed_by_id)
    for dictation_id, (run, fed) in fed_by_id.items():
        item = recovered[dictation_id]
        audio, rate = soundfile.read(item.audio_path, dtype="int16")
        assert rate == RATE
        assert abs(len(audio) / RATE - fed) < 1.0, (run, len(audio) / RATE, fed)
        assert item.dictation.StudyInstanceUID == f"{STUDY}.{run}"
        assert item.dictation.PatientID == f"PAT-{run}"
        assert item.dictation.AccessionNumber == f"ACC-PAT-{run}"
        assert item.dictation.state is DictationState.RECOVERED
        source = mic_speech[: len(audio)]
        assert best_correlation(audio, source) > 0.8, run
