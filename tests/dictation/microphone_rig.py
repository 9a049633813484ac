"""A real microphone path for the dictation tests, without a sound card.

PortAudio (through sounddevice) captures from ALSA's default device, which an
``.asoundrc`` in a temporary HOME defines as a ``file`` plugin PCM reading its
samples from ``infile``. The speech comes from espeak-ng.

The ``file`` plugin's ``null`` slave has no clock: with a regular file as
``infile`` the capture runs far faster than real time and returns silence once the
file ends. So ``infile`` is a FIFO, and a pacer thread in the test process writes
the speech into it in real time, one recorder block per write. Writes of at most
PIPE_BUF bytes (4096 on Linux) are atomic, and ALSA reads one period (one block)
at a time, so every read returns whole blocks and the capture is sample-exact.
The test process keeps the FIFO open for reading and writing, so PortAudio's
device scan at import never blocks on it.

The crash-recovery benchmark (bench/dictation_crash.py) records through the same
rig, with `make_speech` and `make_microphone` in place of the fixtures.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import soundfile

RATE = 16_000
BLOCKSIZE = 1_600  # frames; 3200 bytes per write, below PIPE_BUF
CHILD = Path(__file__).with_name("record_child.py")
SPEECH_TEXT = (
    "Computed tomography of the abdomen. The liver is normal in size and "
    "attenuation. No focal lesion. The pancreas is unremarkable. Impression: "
    "no acute abnormality."
)

ASOUNDRC = """\
pcm.dictation_mic {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{infile}"
    format "raw"
}}
pcm.!default {{
    type asym
    playback.pcm "null"
    capture.pcm "dictation_mic"
}}
"""

# A capture device that cannot be opened: ALSA card 7 does not exist.
ASOUNDRC_BROKEN = """\
pcm.!default {
    type asym
    playback.pcm "null"
    capture.pcm "hw:7,0"
}
"""


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """Speech from espeak-ng as int16 samples at `RATE`."""
    if shutil.which("espeak-ng") is None:
        message = "espeak-ng is not installed (Debian package espeak-ng)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return make_speech(tmp_path_factory.mktemp("speech"))


def make_speech(folder: Path) -> np.ndarray:
    """Speak `SPEECH_TEXT` with espeak-ng into ``folder``; return int16 at `RATE`."""
    wav = folder / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), SPEECH_TEXT], check=True)
    data, source_rate = soundfile.read(wav, dtype="float64")
    if data.ndim > 1:
        data = data[:, 0]
    # Linear interpolation is enough here: both sides of each comparison are
    # derived from the same resampled signal.
    times = np.arange(int(len(data) * RATE / source_rate)) / RATE
    resampled = np.interp(times, np.arange(len(data)) / source_rate, data)
    return np.clip(np.round(resampled * 32767), -32768, 32767).astype("<i2")


@dataclass
class Microphone:
    """One capture device fed through a FIFO, and the child that records from it."""

    home: Path
    fifo: Path
    speech: np.ndarray
    fed_frames: int = 0
    _fd: int = -1
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def open(self) -> None:
        """Create the FIFO and hold it open so nothing blocks on opening it."""
        os.mkfifo(self.fifo)
        self._fd = os.open(self.fifo, os.O_RDWR)

    def env(self) -> dict[str, str]:
        """Environment of a child process that records from this device."""
        env = dict(os.environ)
        env["HOME"] = str(self.home)
        env.pop("ALSA_CONFIG_PATH", None)
        return env

    def start_feeding(self) -> None:
        """Start writing the speech, then silence, in real time."""
        self._thread = threading.Thread(target=self._feed, daemon=True)
        self._thread.start()

    def stop_feeding(self) -> None:
        """Stop writing; what was written so far stays counted in `fed_frames`."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def fed_seconds(self) -> float:
        """Seconds of audio written into the capture device so far."""
        with self._lock:
            return self.fed_frames / RATE

    def fed_samples(self) -> np.ndarray:
        """The samples written so far (speech followed by silence)."""
        with self._lock:
            count = self.fed_frames
        padded = np.zeros(max(count, len(self.speech)), dtype="<i2")
        padded[: len(self.speech)] = self.speech
        return padded[:count]

    def _feed(self) -> None:
        start = time.monotonic()
        written = 0
        while not self._stop.is_set():
            block = np.zeros(BLOCKSIZE, dtype="<i2")
            piece = self.speech[written : written + BLOCKSIZE]
            block[: len(piece)] = piece
            os.write(self._fd, block.tobytes())
            written += BLOCKSIZE
            with self._lock:
                self.fed_frames = written
            delay = start + written / RATE - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)

    def close(self) -> None:
        """Stop feeding and close the FIFO."""
        self.stop_feeding()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


@pytest.fixture
def microphone_factory(
    tmp_path: Path, speech: np.ndarray
) -> Iterator[type[Microphone] | object]:
    """Make independent capture devices (one per recording child)."""
    made: list[Microphone] = []

    def make(name: str = "mic", broken: bool = False) -> Microphone:
        mic = make_microphone(tmp_path / f"home-{name}", speech, broken=broken)
        made.append(mic)
        return mic

    yield make
    for mic in made:
        mic.close()


def make_microphone(
    home: Path, speech: np.ndarray, *, broken: bool = False
) -> Microphone:
    """Make a capture device whose ALSA configuration lives in ``home`` (created).

    A ``broken`` device names a card that does not exist. The caller closes the
    returned microphone.
    """
    home.mkdir()
    fifo = home / "speech.fifo"
    text = ASOUNDRC_BROKEN if broken else ASOUNDRC.format(infile=fifo)
    (home / ".asoundrc").write_text(text, encoding="utf-8")
    mic = Microphone(home=home, fifo=fifo, speech=speech)
    if not broken:
        mic.open()
    return mic


@dataclass
class RecordingChild:
    """A process recording one dictation from a `Microphone`."""

    process: subprocess.Popen[str]
    dictation_id: int = 0

    def wait_started(self, timeout: float = 20.0) -> str:
        """Wait for the ``started ID`` line; return the line (or the error JSON)."""
        line = self._readline(timeout)
        if line.startswith("started "):
            self.dictation_id = int(line.split()[1])
        return line

    def stop(self, timeout: float = 20.0, *, wait_exit: bool = True) -> str:
        """Ask the child to stop and return its JSON outcome line.

        With ``wait_exit`` false the child is killed after its outcome: a stream
        whose read blocks forever keeps PortAudio's termination waiting at exit.
        """
        assert self.process.stdin is not None
        self.process.stdin.write("stop\n")
        self.process.stdin.flush()
        line = self._readline(timeout)
        if wait_exit:
            self.process.wait(timeout)
        else:
            self.kill()
        return line

    def command(self, text: str, timeout: float = 10.0) -> str:
        """Send one control line and return the line the child prints in reply."""
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        return self._readline(timeout)

    def kill(self) -> None:
        """Kill the child with SIGKILL and reap it."""
        self.process.kill()
        self.process.wait(10)

    def _readline(self, timeout: float) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.process.kill()
            raise AssertionError(f"recording child gave no output in {timeout} s")
        line = self.process.stdout.readline()
        if not line:
            assert self.process.stderr is not None
            self.process.wait(timeout)
            raise AssertionError(
                f"recording child exited with {self.process.returncode}: "
                f"{self.process.stderr.read()}"
            )
        return line.strip()


def start_child(
    mic: Microphone,
    database: Path,
    recordings: Path,
    *,
    study: str,
    patient_id: str,
    max_seconds: float = 60.0,
    extra_args: Sequence[str] = (),
) -> RecordingChild:
    """Start a recording child that captures from ``mic``.

    ``extra_args`` are added to the child's command line (see record_child.py).
    """
    command = [
        sys.executable,
        str(CHILD),
        "--database",
        str(database),
        "--recordings",
        str(recordings),
        "--study",
        study,
        "--patient-id",
        patient_id,
        "--accession",
        f"ACC-{patient_id}",
        "--rate",
        str(RATE),
        "--blocksize",
        str(BLOCKSIZE),
        "--max-seconds",
        str(max_seconds),
        *extra_args,
    ]
    process = subprocess.Popen(
        command,
        env=mic.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return RecordingChild(process)


def wait_until(condition: object, timeout: float, interval: float = 0.01) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(interval)
    return bool(condition())  # type: ignore[operator]


def best_correlation(recorded: np.ndarray, source: np.ndarray) -> float:
    """Return the peak normalised cross-correlation of two signals over lags."""
    a = recorded.astype(np.float64)
    b = source.astype(np.float64)
    size = 1 << int(np.ceil(np.log2(len(a) + len(b))))
    spectrum = np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size))
    correlation = np.fft.irfft(spectrum, size)
    norm = np.sqrt(np.sum(a * a) * np.sum(b * b))
    return float(np.max(np.abs(correlation)) / norm) if norm else 0.0


def dciodvfy_errors(path: Path) -> tuple[int, list[str]]:
    """Run dicom3tools' dciodvfy on ``path``; return its status and Error lines.

    A missing dciodvfy skips the test, except in CI (``CI`` set), where it fails.
    """
    if shutil.which("dciodvfy") is None:
        message = "dciodvfy is not installed (Debian package dicom3tools)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    check = subprocess.run(
        ["dciodvfy", str(path)], capture_output=True, text=True, check=False
    )
    errors = [line for line in check.stderr.splitlines() if "Error" in line]
    return check.returncode, errors
