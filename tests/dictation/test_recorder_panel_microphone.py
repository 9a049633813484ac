"""The recorder panel with the real Recorder on the ALSA microphone.

PortAudio reads the ALSA configuration once per process, so the panel runs in a
child process (recorder_panel_child.py) started with HOME at the capture
device's .asoundrc. The test feeds speech in real time, drives the panel's
buttons through the child, and checks the saved audio and its binding.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile
from microphone_rig import RATE, Microphone, wait_until
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.workstation import Workstation

CHILD = Path(__file__).with_name("recorder_panel_child.py")
ANSWER_TIMEOUT = 30.0  # seconds; the first answer waits for Qt and PortAudio
LENGTH_TOLERANCE = 0.4  # seconds between the fed and the saved length
EDGE = int(0.3 * RATE)  # frames left out around a pause when correlating


@dataclass(frozen=True)
class Studies:
    """The data directory and the two studies the child works on."""

    data_dir: Path
    original: StudyRecord
    other: StudyRecord


@pytest.fixture
def studies(tmp_path: Path) -> Iterator[Studies]:
    """A workstation holding two studies of two different patients."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    station = Workstation(data_dir)
    records = []
    for name in ("CT_small.dcm", "MR_small.dcm"):
        summary = station.archive.import_paths([Path(str(get_testdata_file(name)))])
        assert summary.imported, summary.rejected
        record = station.archive.study(next(iter(summary.studies)))
        assert record is not None
        records.append(record)
    station.close()
    assert records[0].PatientID != records[1].PatientID
    yield Studies(data_dir, records[0], records[1])


class PanelChild:
    """The child process running the recorder panel."""

    def __init__(self, mic: Microphone, studies: Studies) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(CHILD),
                str(studies.data_dir),
                studies.original.StudyInstanceUID,
                studies.other.StudyInstanceUID,
            ],
            env=mic.env() | {"QT_QPA_PLATFORM": "offscreen"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def send(self, command: str) -> dict[str, object]:
        """Send one command; return the child's answer."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            _, errors = self.process.communicate(timeout=10)
            raise AssertionError(f"no answer to {command!r}; stderr:\n{errors}")
        answer: dict[str, object] = json.loads(line)
        assert "exception" not in answer, answer["exception"]
        assert not answer["slot_errors"], answer["slot_errors"]
        return answer

    def close(self) -> int:
        """Close stdin, which quits the child, and return its exit status."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            return self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            raise


@pytest.fixture
def panel_child(
    microphone_factory: object, studies: Studies
) -> Iterator[tuple[PanelChild, Microphone]]:
    """The panel child and a fresh microphone, not yet fed."""
    mic: Microphone = microphone_factory()  # type: ignore[operator]
    child = PanelChild(mic, studies)
    yield child, mic
    if child.process.poll() is None:
        child.process.kill()
        child.process.wait(10)
    mic.stop_feeding()


def matched_correlation(piece: np.ndarray, source: np.ndarray) -> float:
    """Return the correlation of ``piece`` with the best-matching part of ``source``.

    The lag comes from the peak of the FFT cross-correlation; the coefficient is
    then computed on that window alone, so a piece cut from the source scores
    1.0 however long the source is, and unrelated audio scores near 0.
    """
    a = piece.astype(np.float64)
    b = source.astype(np.float64)
    size = 1 << int(np.ceil(np.log2(len(a) + len(b))))
    cross = np.fft.irfft(np.fft.rfft(b, size) * np.conj(np.fft.rfft(a, size)), size)
    lag = int(np.argmax(cross[: len(b) - len(a) + 1]))
    window = b[lag : lag + len(a)]
    norm = np.sqrt(np.sum(a * a) * np.sum(window * window))
    return float(np.sum(a * window) / norm) if norm else 0.0


def _record(child: PanelChild, mic: Microphone, seconds: float) -> float:
    """Press Record, feed ``seconds`` of speech; return the fed time at Record.

    Feeding starts only once the stream runs: the FIFO buffers about two
    seconds, which would otherwise all be read at once when the stream opens.
    """
    idle = child.send("state")
    assert idle["record"] is True, idle
    recording = child.send("record")
    assert recording["recorder"] == "recording", recording
    started = mic.fed_seconds()
    mic.start_feeding()
    assert wait_until(lambda: mic.fed_seconds() >= started + seconds, timeout=10)
    return started


def _switch(child: PanelChild, mic: Microphone) -> tuple[dict[str, object], float]:
    """Open the other study; return the child's answer and the fed time."""
    answer = child.send("open")
    return answer, mic.fed_seconds()


def _check_audio_and_binding(
    done: dict[str, object], studies: Studies, expected_seconds: float
) -> np.ndarray:
    assert done["finished"] is True, done
    assert done["state"] == "recorded"
    assert done["StudyInstanceUID"] == studies.original.StudyInstanceUID
    assert done["PatientID"] == studies.original.PatientID
    assert done["AccessionNumber"] == studies.original.AccessionNumber
    assert done["author"] == "dr.house"
    audio, rate = soundfile.read(str(done["audio_path"]), dtype="int16")
    assert rate == RATE
    assert abs(len(audio) / RATE - expected_seconds) < LENGTH_TOLERANCE, (
        len(audio) / RATE,
        expected_seconds,
    )
    return np.asarray(audio)


def _no_dictation_on(studies: Studies) -> list[object]:
    station = Workstation(studies.data_dir)
    try:
        return list(station.dictations.find(study_uid=studies.other.StudyInstanceUID))
    finally:
        station.close()


def test_switch_then_stop_keeps_original_binding(
    panel_child: tuple[PanelChild, Microphone], studies: Studies
) -> None:
    child, mic = panel_child
    started = _record(child, mic, 2.0)

    switched, paused_at = _switch(child, mic)
    assert switched["dialog"] is True, switched
    assert switched["recorder"] == "paused"
    assert switched["stop"] is False
    assert switched["record"] is False

    # Speech keeps arriving while the dialog waits; none of it may be kept.
    assert wait_until(lambda: mic.fed_seconds() >= paused_at + 1.0, timeout=10)
    done = child.send("stop-dialog")
    assert done["dialog"] is False
    assert child.close() == 0

    audio = _check_audio_and_binding(done, studies, paused_at - started)
    fed = mic.fed_samples()
    assert matched_correlation(audio[:-EDGE], fed) > 0.9
    assert _no_dictation_on(studies) == []


def test_switch_then_continue_records_on_original(
    panel_child: tuple[PanelChild, Microphone], studies: Studies
) -> None:
    child, mic = panel_child
    assert child.send("priority stat")["recorder"] == "none"
    started = _record(child, mic, 1.5)

    switched, paused_at = _switch(child, mic)
    assert switched["dialog"] is True, switched
    assert switched["recorder"] == "paused"
    assert wait_until(lambda: mic.fed_seconds() >= paused_at + 1.0, timeout=10)

    resumed = child.send("continue")
    resumed_at = mic.fed_seconds()
    assert resumed["dialog"] is False
    assert resumed["recorder"] == "recording"
    assert wait_until(lambda: mic.fed_seconds() >= resumed_at + 1.5, timeout=10)
    done = child.send("stop")
    stopped_at = mic.fed_seconds()
    assert child.close() == 0

    expected = (paused_at - started) + (stopped_at - resumed_at)
    audio = _check_audio_and_binding(done, studies, expected)
    assert done["priority"] == "stat"
    assert done["priority_events"] == [["dr.house", "priority routine -> stat"]]
    fed = mic.fed_samples()
    first_take = round(float(switched["position"]) * RATE)  # type: ignore[arg-type]
    assert matched_correlation(audio[: first_take - EDGE], fed) > 0.9
    assert matched_correlation(audio[first_take + EDGE :], fed) > 0.9
    # The two takes are not one contiguous piece: the paused second is missing.
    assert matched_correlation(audio, fed) < 0.9
    assert _no_dictation_on(studies) == []
