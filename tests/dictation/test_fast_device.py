"""A capture device that runs faster than real time stops the recording.

ALSA's ``file`` plugin with a regular file as ``infile`` has no clock: it hands
over the file as fast as PortAudio reads, then silence. Recording from it must
stop with a message naming the device, and keep what was recorded.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from microphone_rig import ASOUNDRC, RATE, Microphone, start_child, wait_until

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dictation.recorder import final_path, recording_paths
from pacs_desktop.core.dictation.store import DictationState, DictationStore

PATIENT_ID = "PID-FAST"
# Far more audio than the wall clock allows in the time the test waits.
RUNAWAY_BYTES = 20 * RATE * 2


def _fast_microphone(home: Path, speech: np.ndarray) -> Microphone:
    home.mkdir()
    infile = home / "speech.raw"
    infile.write_bytes(speech.astype("<i2").tobytes())
    (home / ".asoundrc").write_text(ASOUNDRC.format(infile=infile), encoding="utf-8")
    return Microphone(home=home, fifo=infile, speech=speech)


def test_fast_device_stops_recording(tmp_path: Path, speech: np.ndarray) -> None:
    mic = _fast_microphone(tmp_path / "home", speech)
    database = tmp_path / "archive.sqlite"
    child = start_child(
        mic,
        database,
        tmp_path / "recordings",
        study="1.2.826.0.1.3680043.2.1125.77",
        patient_id=PATIENT_ID,
        max_seconds=600.0,
    )
    assert child.wait_started().startswith("started "), "child did not start"
    recordings = tmp_path / "recordings"
    live, _ = recording_paths(recordings, child.dictation_id)
    finished = final_path(recordings, child.dictation_id)

    def stopped_or_ran_away() -> bool:
        if finished.exists():
            return True
        return live.exists() and live.stat().st_size > RUNAWAY_BYTES

    assert wait_until(stopped_or_ran_away, timeout=20)
    outcome = json.loads(child.stop())

    assert outcome["error"] == "DeviceClockError", outcome
    assert "faster than real time" in outcome["message"]
    assert "'default'" in outcome["message"]
    assert outcome["state"] == DictationState.RECORDED.value
    assert 0 < outcome["duration_seconds"] < 600.0
    dictation = DictationStore(Database(database)).get(outcome["id"])
    assert dictation.audio_path is not None
    assert dictation.audio_path.exists()
