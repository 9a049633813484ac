"""File > Log out during a real recording keeps what was recorded.

The GUI runs from its login dialog in a child process (logout_recording_child.py)
started with HOME at the capture device's .asoundrc, because PortAudio reads
the ALSA configuration once per process. The microphone is fed speech in real
time; the user logs out while it records.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile
from microphone_rig import RATE, Microphone, wait_until
from pydicom.data import get_testdata_file

from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.workstation import Workstation

CHILD = Path(__file__).with_name("logout_recording_child.py")
ANSWER_TIMEOUT = (
    60.0  # seconds; the first reply of the child waits for Qt and PortAudio
)
LENGTH_TOLERANCE = 0.5  # seconds between the fed and the saved length
ADMIN = "admin"
ADMIN_PASSWORD = "Lantern-Quarry-Owl-63"
READER = "dr.logout"
READER_PASSWORD = "Violet-Gantry-Hum-27"


@pytest.fixture
def data_dir(tmp_path: Path) -> tuple[Path, str, str]:
    """Return a data directory with one CT study and a radiologist.

    Also returns the study's UID and the value typed into the patient
    confirmation.
    """
    folder = tmp_path / "data"
    folder.mkdir()
    station = Workstation(folder)
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
    return folder, study.StudyInstanceUID, study.PatientID


@pytest.fixture
def child(
    microphone_factory: object, data_dir: tuple[Path, str, str]
) -> Iterator[tuple[subprocess.Popen[str], Microphone]]:
    mic: Microphone = microphone_factory()  # type: ignore[operator]
    folder, study_uid, answer = data_dir
    process = subprocess.Popen(
        [
            sys.executable,
            str(CHILD),
            str(folder),
            study_uid,
            READER,
            READER_PASSWORD,
            answer,
        ],
        env=mic.env() | {"QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield process, mic
    if process.poll() is None:
        process.kill()
        process.wait(10)
    mic.stop_feeding()


def read_answer(process: subprocess.Popen[str], what: str) -> dict[str, object]:
    """Read one JSON line, or fail with the child's stderr when none comes."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], ANSWER_TIMEOUT)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        _, errors = process.communicate(timeout=10)
        raise AssertionError(f"no answer for {what!r}; stderr:\n{errors}")
    answer: dict[str, object] = json.loads(line)
    assert "exception" not in answer, answer["exception"]
    assert "stuck_at" not in answer, answer
    assert not answer["slot_errors"], answer["slot_errors"]
    return answer


def test_log_out_keeps_recording(
    child: tuple[subprocess.Popen[str], Microphone],
    data_dir: tuple[Path, str, str],
) -> None:
    process, mic = child
    folder, study_uid, _answer = data_dir
    recording = read_answer(process, "recording")
    assert recording["recording"] == "recording"
    # Feeding starts once the stream runs: the FIFO buffers about two seconds,
    # which would otherwise all be read at once when the stream opens.
    started = mic.fed_seconds()
    mic.start_feeding()
    assert wait_until(lambda: mic.fed_seconds() >= started + 2.0, timeout=10)

    assert process.stdin is not None
    process.stdin.write("logout\n")
    process.stdin.flush()
    logged_out_at = mic.fed_seconds()
    ended = read_answer(process, "status")
    assert process.wait(20) == 0
    assert ended["status"] == 0
    assert ended["step"] == "done"

    station = Workstation(folder)
    try:
        (dictation,) = station.dictations.find(study_uid=study_uid)
        events = [(r.event, r.user) for r in station.audit.records()]
    finally:
        station.close()
    assert dictation.author == READER
    assert dictation.state.value == "recorded"
    audio, rate = soundfile.read(str(dictation.audio_path), dtype="int16")
    assert rate == RATE
    seconds = len(audio) / RATE
    assert seconds > 1.5
    assert seconds < logged_out_at - started + LENGTH_TOLERANCE
    assert (audit_events.LOGOUT, READER) in events
    assert (audit_events.DICTATION_RECORDED, READER) in events
