"""Recording faults: no input device, a device that stops, a full disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from microphone_rig import RATE, Microphone, best_correlation, start_child, wait_until

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dictation.store import DictationState, DictationStore

STUDY = "1.2.826.0.1.3680043.8.498.20001"


def _state(database: Path, dictation_id: int) -> DictationState:
    store = DictationStore(Database(database))
    try:
        return store.get(dictation_id).state
    finally:
        store.database.close()


def test_no_input_device_is_reported(microphone_factory, tmp_path: Path) -> None:
    mic: Microphone = microphone_factory("broken", broken=True)
    database = tmp_path / "archive.sqlite"
    child = start_child(mic, database, tmp_path / "rec", study=STUDY, patient_id="P1")
    outcome = json.loads(child.wait_started())
    child.process.wait(10)

    assert outcome["error"] in ("NoInputDeviceError", "AudioDeviceError")
    assert "microphone" in outcome["message"]
    assert "Tools > Settings > Dictation" in outcome["message"]
    # PortAudio's own text stays in the log.
    assert "Error querying device" not in outcome["message"]
    assert child.process.returncode == 1
    store = DictationStore(Database(database))
    assert store.find(states=[DictationState.RECORDING]) == []


def test_device_that_stops_keeps_audio(microphone_factory, tmp_path: Path) -> None:
    mic: Microphone = microphone_factory()
    database = tmp_path / "archive.sqlite"
    child = start_child(mic, database, tmp_path / "rec", study=STUDY, patient_id="P1")
    assert child.wait_started().startswith("started ")
    mic.start_feeding()
    assert wait_until(lambda: mic.fed_seconds() >= 1.0, timeout=10)
    # The device delivers nothing more: PortAudio's read blocks, as with a
    # microphone unplugged from a USB hub that stays present.
    mic.stop_feeding()
    fed = mic.fed_samples()

    assert wait_until(
        lambda: _state(database, child.dictation_id) is DictationState.RECORDED,
        timeout=10,
        interval=0.1,
    )
    outcome = json.loads(child.stop(wait_exit=False))
    audio, _ = soundfile.read(outcome["audio_path"], dtype="int16")
    assert outcome["error"] == "DeviceLostError"
    assert "kept" in outcome["message"]
    assert abs(len(audio) - len(fed)) / RATE < 0.3
    assert best_correlation(audio, fed[: len(audio)]) > 0.8


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (2 s of 16 kHz mono audio), unmounted afterwards."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        message = f"cannot mount a tmpfs here: {result.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_disk_stops_and_keeps_audio(
    microphone_factory, tmp_path: Path, small_tmpfs: Path
) -> None:
    mic: Microphone = microphone_factory()
    database = tmp_path / "archive.sqlite"
    child = start_child(mic, database, small_tmpfs, study=STUDY, patient_id="P1")
    assert child.wait_started().startswith("started ")
    mic.start_feeding()

    assert wait_until(
        lambda: _state(database, child.dictation_id) is DictationState.RECORDED,
        timeout=15,
        interval=0.1,
    )
    outcome = json.loads(child.stop())
    mic.stop_feeding()
    audio, rate = soundfile.read(outcome["audio_path"], dtype="int16")
    info = soundfile.info(outcome["audio_path"])

    assert outcome["error"] == "DiskFullError"
    assert "disk is full" in outcome["message"]
    assert rate == RATE
    assert len(audio) / RATE > 1.0
    assert info.frames == len(audio)
    assert best_correlation(audio, mic.speech[: len(audio)]) > 0.8
    assert outcome["duration_seconds"] == pytest.approx(len(audio) / RATE)
    assert float(np.abs(audio).max()) > 1000


MONITOR_SCRIPT = """
import json, time
from pacs_desktop.core.dictation.recorder import LevelMonitor, input_devices
devices = input_devices()
monitor = LevelMonitor()
monitor.start()
deadline = time.monotonic() + 10
while monitor.level.rms < 0.01 and time.monotonic() < deadline:
    time.sleep(0.02)
defaults = [device.is_default for device in devices]
print(json.dumps({"rms": monitor.level.rms, "defaults": defaults}))
monitor.stop()
"""


def test_level_monitor_before_recording(microphone_factory) -> None:
    mic: Microphone = microphone_factory()
    mic.start_feeding()
    result = subprocess.run(
        [sys.executable, "-c", MONITOR_SCRIPT],
        env=mic.env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    mic.stop_feeding()
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["rms"] >= 0.01
    assert True in outcome["defaults"]
