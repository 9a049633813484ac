"""A real recording runs on through the idle lock and the unlock.

The main window, its recorder panel and its idle lock run in a child process
(lock_recording_child.py) started with HOME at the capture device's .asoundrc,
because PortAudio reads the ALSA configuration once per process. The lock runs
on a clock the test moves; the microphone is fed speech in real time. The saved
audio must cover the whole time from Record to Stop, lock included, and the
locked window must look exactly like a locked window that never showed a
patient.
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

from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.workstation import Workstation

CHILD = Path(__file__).with_name("lock_recording_child.py")
ANSWER_TIMEOUT = 40.0  # seconds; the first answers wait for Qt and PortAudio
LENGTH_TOLERANCE = 0.4  # seconds between the fed and the saved length
EDGE = int(0.3 * RATE)  # frames left out at the end when correlating
ADMIN = "admin"
ADMIN_PASSWORD = "Lantern-Quarry-Owl-63"
READER = "dr.lock"
READER_PASSWORD = "Violet-Gantry-Hum-27"
# Strings of pydicom's CT_small.dcm that name or identify its patient.
PATIENT_TEXTS = ("CompressedSamples", "1CT1")


@dataclass(frozen=True)
class Setup:
    """The data directory, the study to open and the confirmation answer."""

    data_dir: Path
    study_uid: str
    answer: str


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    """A workstation with one CT study, an administrator and a radiologist."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    station = Workstation(data_dir)
    try:
        path = Path(str(get_testdata_file("CT_small.dcm")))
        summary = station.archive.import_paths([path])
        assert summary.imported, summary.rejected
        study = station.archive.study(next(iter(summary.studies)))
        assert study is not None
        station.users.create_first_administrator(ADMIN, ADMIN_PASSWORD)
        admin = station.users.authenticate(ADMIN, ADMIN_PASSWORD)
        station.users.create_user(
            READER, READER_PASSWORD, Role.RADIOLOGIST, actor=admin
        )
    finally:
        station.close()
    # CT_small.dcm has no birth date, so the confirmation asks for the patient ID.
    return Setup(data_dir, study.StudyInstanceUID, study.PatientID)


class LockChild:
    """The child process running the main window."""

    def __init__(self, mic: Microphone, setup: Setup) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(CHILD),
                str(setup.data_dir),
                setup.study_uid,
                READER,
                READER_PASSWORD,
                setup.answer,
            ],
            env=mic.env() | {"QT_QPA_PLATFORM": "offscreen"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def read(self, what: str) -> dict[str, object]:
        """Read one JSON answer; fail with the child's stderr when none comes."""
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], ANSWER_TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            _, errors = self.process.communicate(timeout=10)
            raise AssertionError(f"no answer to {what!r}; stderr:\n{errors}")
        answer: dict[str, object] = json.loads(line)
        assert "exception" not in answer, answer["exception"]
        assert not answer["slot_errors"], answer["slot_errors"]
        return answer

    def send(self, command: str) -> dict[str, object]:
        """Send one command; return the child's answer."""
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read(command)

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
def lock_child(
    microphone_factory: object, setup: Setup
) -> Iterator[tuple[LockChild, Microphone]]:
    """The child, started and ready, and a fresh microphone, not yet fed."""
    mic: Microphone = microphone_factory()  # type: ignore[operator]
    child = LockChild(mic, setup)
    yield child, mic
    if child.process.poll() is None:
        child.process.kill()
        child.process.wait(10)
    mic.stop_feeding()


def matched_correlation(piece: np.ndarray, source: np.ndarray) -> float:
    """Return the correlation of ``piece`` with the best-matching part of ``source``.

    The lag comes from the peak of the FFT cross-correlation, and the
    coefficient is computed on that window alone, so a piece cut out of the
    source scores 1.0 and unrelated audio scores near 0.
    """
    a = piece.astype(np.float64)
    b = source.astype(np.float64)
    size = 1 << int(np.ceil(np.log2(len(a) + len(b))))
    cross = np.fft.irfft(np.fft.rfft(b, size) * np.conj(np.fft.rfft(a, size)), size)
    lag = int(np.argmax(cross[: len(b) - len(a) + 1]))
    window = b[lag : lag + len(a)]
    norm = np.sqrt(np.sum(a * a) * np.sum(window * window))
    return float(np.sum(a * window) / norm) if norm else 0.0


def audit_events_of(data_dir: Path) -> list[str]:
    station = Workstation(data_dir)
    try:
        return [record.event for record in station.audit.records()]
    finally:
        station.close()


def test_recording_survives_lock_and_unlock(
    lock_child: tuple[LockChild, Microphone], setup: Setup
) -> None:
    child, mic = lock_child
    child.read("start")
    opened = child.send("open")
    assert opened["viewer_ready"] is True, opened
    assert opened["study_open"] is True

    # Feeding starts once the stream runs: the FIFO buffers about two seconds,
    # which would otherwise all be read at once when the stream opens.
    recording = child.send("record")
    assert recording["recorder"] == "recording", recording
    started = mic.fed_seconds()
    mic.start_feeding()
    assert wait_until(lambda: mic.fed_seconds() >= started + 1.5, timeout=10)

    locked = child.send("idle")
    locked_at = mic.fed_seconds()
    assert locked["locked"] is True, locked
    assert locked["lock_screen"] is True
    assert locked["recorder"] == "recording"

    grabbed = child.send("grab")
    assert grabbed["same_as_empty"] is True, grabbed
    assert grabbed["other_windows"] == []
    texts = [str(text) for text in grabbed["texts"]]  # type: ignore[attr-defined]
    for fragment in PATIENT_TEXTS:
        assert not any(fragment in text for text in texts), (fragment, texts)

    # Speech keeps arriving while the screen is locked; all of it is kept.
    assert wait_until(lambda: mic.fed_seconds() >= locked_at + 1.5, timeout=10)
    unlocked = child.send("unlock")
    unlocked_at = mic.fed_seconds()
    assert unlocked["locked"] is False, unlocked
    assert unlocked["recorder"] == "recording"
    recorded_while_locked = float(unlocked["position"]) - float(locked["position"])  # type: ignore[arg-type]
    assert recorded_while_locked > (unlocked_at - locked_at) - LENGTH_TOLERANCE

    # The same checks see the patient once the window shows its content again.
    shown = child.send("grab")
    assert shown["same_as_empty"] is False
    shown_texts = [str(text) for text in shown["texts"]]  # type: ignore[attr-defined]
    assert any(PATIENT_TEXTS[0] in text for text in shown_texts), shown_texts

    assert wait_until(lambda: mic.fed_seconds() >= unlocked_at + 1.0, timeout=10)
    done = child.send("stop")
    stopped_at = mic.fed_seconds()
    assert child.close() == 0

    assert done["finished"] is True, done
    assert done["state"] == "recorded"
    assert done["StudyInstanceUID"] == setup.study_uid
    audio, rate = soundfile.read(str(done["audio_path"]), dtype="int16")
    assert rate == RATE
    expected = stopped_at - started
    assert abs(len(audio) / RATE - expected) < LENGTH_TOLERANCE, (
        len(audio) / RATE,
        expected,
    )
    # One contiguous piece of the fed speech: nothing was dropped at the lock.
    assert matched_correlation(np.asarray(audio)[:-EDGE], mic.fed_samples()) > 0.9

    names = audit_events_of(setup.data_dir)
    assert audit_events.SESSION_LOCKED in names
    assert audit_events.SESSION_UNLOCKED in names
