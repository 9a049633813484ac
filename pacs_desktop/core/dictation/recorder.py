"""Crash-safe dictation recording from an input device through sounddevice.

PortAudio delivers blocks to a callback on its own thread. The callback only
measures the level and queues a copy. A writer thread appends each block to the
recording file (see `audiofile`) and rewrites the WAV header sizes after it. It
calls fsync once `FSYNC_INTERVAL` seconds have passed since the last one, checked
at least every 0.25 s, so a power cut loses less than a second of audio plus the
blocks still queued (one block, 0.1 s, by default). A killed process loses only
the queued blocks. The dictation row, bound to its study, patient and author, is
committed before the input stream opens.

While recording, the writer holds an exclusive ``flock`` on the recording file;
recovery skips files whose lock is held, so it never touches a live recording.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from pacs_desktop.core.dictation.audiofile import (
    HEADER_SIZE,
    Timeline,
    fsync_directory,
    make_private_dir,
    render_timeline,
    timeline_frames,
    wav_header,
    write_json_atomic,
    write_sizes,
)
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationError,
    DictationState,
    DictationStore,
    RecordingBinding,
)

logger = logging.getLogger(__name__)

DEFAULT_SAMPLE_RATE = 16_000
FSYNC_INTERVAL = 0.5  # seconds; at most this much audio waits in the page cache
STALL_TIMEOUT = 2.0  # seconds without a block from a running stream: device lost
DEFAULT_MAX_SECONDS = 30 * 60.0
STREAM_CLOSE_TIMEOUT = 2.0  # seconds
# A device may hand over its whole buffer when the stream starts (a 64 KiB pipe
# contains 2.05 s at 16 kHz mono 16-bit). Only audio beyond that much plus a
# tenth of the elapsed time counts as a device running faster than real time.
MAX_AHEAD_SECONDS = 3.0
MAX_AHEAD_FRACTION = 0.10
RECORDINGS_DIR_NAME = "dictations"


class AudioDeviceError(DictationError):
    """The input device cannot be opened or stopped working."""


class NoInputDeviceError(AudioDeviceError):
    """There is no input device, or the chosen one has no input channels."""


class DeviceLostError(AudioDeviceError):
    """The input device stopped delivering audio during a recording."""


class DeviceClockError(AudioDeviceError):
    """The input device delivered audio faster than real time."""


class DiskFullError(DictationError, OSError):
    """The disk filled up during a recording; what was written is kept."""


class RecorderState(str, Enum):
    """State of a `Recorder`: idle, recording, paused or stopped."""

    IDLE = "idle"
    RECORDING = "recording"
    PAUSED = "paused"
    STOPPED = "stopped"


@dataclass(frozen=True)
class LevelReading:
    """Level of the latest input block, as fractions of full scale (0 to 1)."""

    rms: float
    peak: float

    @property
    def rms_dbfs(self) -> float:
        """RMS level in dB relative to full scale (-120 for silence)."""
        return 20.0 * float(np.log10(max(self.rms, 1e-6)))


def default_recordings_dir(data_dir: Path) -> Path:
    """Return the dictation folder inside a workstation data directory.

    The folder is created with mode 0700, or narrowed to 0700 when an older
    version left it readable by other accounts, because recordings, imports
    and received audio are all written into it. A folder that cannot be
    created or narrowed is logged, and writing into it later raises
    `DictationError`.
    """
    folder = data_dir / RECORDINGS_DIR_NAME
    try:
        make_private_dir(folder)
    except OSError as exc:
        logger.error("cannot make dictation folder %s private: %s", folder, exc)
    return folder


def recording_paths(recordings_dir: Path, dictation_id: int) -> tuple[Path, Path]:
    """Return the recording file and its timeline file for a dictation id."""
    stem = f"{dictation_id:08d}"
    return (
        recordings_dir / f"{stem}.recording.wav",
        recordings_dir / f"{stem}.recording.json",
    )


def final_path(recordings_dir: Path, dictation_id: int) -> Path:
    """Return where the finished audio of a dictation is kept."""
    return recordings_dir / f"{dictation_id:08d}.wav"


def check_input_device(device: int | str | None) -> dict[str, Any]:
    """Return PortAudio's description of the input device to use.

    Raises
    ------
    NoInputDeviceError
        If there is no such device or it has no input channels.
    AudioDeviceError
        If PortAudio cannot be loaded.
    """
    sd = load_sounddevice()
    try:
        info: dict[str, Any] = sd.query_devices(device, "input")
    except (ValueError, sd.PortAudioError) as exc:
        # PortAudio's text ("Error querying device -1") helps an administrator,
        # not the user, so it goes to the log and the message stays plain.
        logger.warning("input device %r not usable: %s", device, exc)
        if device is None:
            message = "no input device found: PortAudio sees no capture device"
        else:
            message = f"input device {device!r} not found"
        raise NoInputDeviceError(
            f"{message}; check the microphone and Tools > Settings > Dictation"
        ) from exc
    if int(info.get("max_input_channels", 0)) < 1:
        raise NoInputDeviceError(
            f"input device {info.get('name')!r} has no input channels; choose "
            "another input device in the settings"
        )
    return info


def load_sounddevice() -> Any:
    """Import sounddevice, which initialises PortAudio.

    Raises
    ------
    AudioDeviceError
        If the PortAudio library cannot be loaded.
    """
    # Imported on first use: PortAudio scans the sound devices at import, which
    # only recording and playback need.
    try:
        import sounddevice
    except OSError as exc:
        raise AudioDeviceError(
            f"the PortAudio library cannot be loaded ({exc}); install libportaudio2"
        ) from exc
    return sounddevice


@dataclass(frozen=True)
class InputDevice:
    """An input device that PortAudio offers, for the settings' device list."""

    index: int
    name: str
    host_api: str
    max_input_channels: int
    default_sample_rate: float
    is_default: bool


def input_devices() -> list[InputDevice]:
    """Return the devices with at least one input channel.

    Raises
    ------
    AudioDeviceError
        If PortAudio cannot be loaded or cannot list the devices.
    """
    sd = load_sounddevice()
    try:
        devices = sd.query_devices()
        host_apis = sd.query_hostapis()
        default_input = sd.default.device[0]
    except sd.PortAudioError as exc:
        raise AudioDeviceError(f"cannot list the sound devices: {exc}") from exc
    found = []
    for index, info in enumerate(devices):
        if int(info["max_input_channels"]) < 1:
            continue
        found.append(
            InputDevice(
                index=index,
                name=str(info["name"]),
                host_api=str(host_apis[info["hostapi"]]["name"]),
                max_input_channels=int(info["max_input_channels"]),
                default_sample_rate=float(info["default_samplerate"]),
                is_default=index == default_input,
            )
        )
    return found


def _block_level(indata: np.ndarray) -> LevelReading:
    if len(indata) == 0:
        return LevelReading(0.0, 0.0)
    block = indata.astype(np.float32) / 32768.0
    return LevelReading(
        rms=float(np.sqrt(np.mean(block * block))),
        peak=float(np.max(np.abs(block))),
    )


class LevelMonitor:
    """Measure the input level without recording, for the meter before Record.

    Parameters
    ----------
    device
        PortAudio input device; None for the system default.
    sample_rate
        Capture rate in Hz.
    """

    def __init__(
        self, device: int | str | None = None, sample_rate: int = DEFAULT_SAMPLE_RATE
    ) -> None:
        self.device = device
        self.sample_rate = sample_rate
        self._level = LevelReading(0.0, 0.0)
        self._stream: Any = None

    @property
    def level(self) -> LevelReading:
        """Level of the latest input block."""
        return self._level

    def start(self) -> None:
        """Open the input device and start measuring.

        Raises
        ------
        NoInputDeviceError
            If there is no usable input device.
        AudioDeviceError
            If PortAudio cannot open the stream.
        """
        check_input_device(self.device)
        sd = load_sounddevice()

        def callback(
            indata: np.ndarray, _frames: int, _time: Any, _status: Any
        ) -> None:
            self._level = _block_level(indata)

        try:
            self._stream = sd.InputStream(
                samplerate=self.sample_rate,
                channels=1,
                dtype="int16",
                blocksize=max(1, self.sample_rate // 20),
                device=self.device,
                callback=callback,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioDeviceError(
                f"cannot open the input device for the level meter: {exc}; check "
                "the microphone or choose another device in the settings"
            ) from exc

    def stop(self) -> None:
        """Stop measuring and close the device."""
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort()
            stream.close()


class Recorder:
    """Record one dictation at a time into ``recordings_dir``.

    Parameters
    ----------
    store
        Where the dictation row is written before the first sample.
    recordings_dir
        Folder of the recording files; created when missing.
    device
        PortAudio input device (index or name); None for the system default.
    sample_rate, channels
        Capture format; samples are 16-bit signed.
    blocksize
        Frames per block; default a tenth of a second.
    max_seconds
        Recording stops by itself when the dictation reaches this length.
    on_stopped
        Called from the writer thread when recording ends by itself (maximum
        length, full disk, lost device) with the error or None.
    """

    def __init__(
        self,
        store: DictationStore,
        recordings_dir: Path,
        *,
        device: int | str | None = None,
        sample_rate: int = DEFAULT_SAMPLE_RATE,
        channels: int = 1,
        blocksize: int | None = None,
        max_seconds: float = DEFAULT_MAX_SECONDS,
        on_stopped: Callable[[DictationError | None], None] | None = None,
    ) -> None:
        self.store = store
        self.recordings_dir = recordings_dir
        self.device = device
        self.sample_rate = sample_rate
        self.channels = channels
        self.blocksize = blocksize or max(1, sample_rate // 10)
        self.max_frames = int(max_seconds * sample_rate)
        self.on_stopped = on_stopped
        self.error: DictationError | None = None
        self.reached_max_length = False
        self.dictation: Dictation | None = None

        self._state = RecorderState.IDLE
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._capturing = False
        self._level = LevelReading(0.0, 0.0)
        self._stream: Any = None
        self._writer: threading.Thread | None = None
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._fd = -1
        self._file_frames = 0
        self._timeline = Timeline()
        self._last_callback = 0.0
        self._device_name = "" if device is None else str(device)
        self._stream_started = 0.0
        self._delivered_frames = 0

    # -- public state -------------------------------------------------------

    @property
    def state(self) -> RecorderState:
        """Current state."""
        return self._state

    @property
    def level(self) -> LevelReading:
        """Level of the latest input block (updated while recording or paused)."""
        return self._level

    @property
    def duration_seconds(self) -> float:
        """Length of the dictation so far, in seconds."""
        with self._lock:
            frames = timeline_frames(self._timeline.segments(self._file_frames))
        return frames / self.sample_rate

    @property
    def position_seconds(self) -> float:
        """Position of the recording head in the dictation, in seconds."""
        with self._lock:
            frames = self._timeline.head_frames(self._file_frames)
        return frames / self.sample_rate

    # -- control ------------------------------------------------------------

    def start(self, binding: RecordingBinding) -> Dictation:
        """Bind a new dictation to a study and start recording into it.

        Raises
        ------
        NoInputDeviceError
            If there is no usable input device.
        AudioDeviceError
            If PortAudio cannot open or start the input stream.
        DictationError
            If a recording is already running or the files cannot be created.
        """
        if self._state is not RecorderState.IDLE:
            raise DictationError("a recording is already running; stop it first")
        info = check_input_device(self.device)
        self._device_name = str(info.get("name", self._device_name))

        # The binding is committed before any file or stream exists.
        dictation = self.store.create(
            binding, sample_rate=self.sample_rate, channels=self.channels
        )
        self.dictation = dictation
        try:
            self._create_files(dictation.id)
            self._timeline.open_take(0, 0)
            self._write_timeline()
            self._open_stream()
        except OSError as exc:
            self._abandon(dictation.id, str(exc))
            raise DictationError(
                f"cannot create the recording files in {self.recordings_dir}: "
                f"{exc.strerror}; check free space and permissions"
            ) from exc
        except DictationError as exc:
            self._abandon(dictation.id, str(exc))
            raise
        self._last_callback = time.monotonic()
        self._capturing = True
        self._state = RecorderState.RECORDING
        self._writer = threading.Thread(
            target=self._write_loop, name="dictation-writer", daemon=True
        )
        self._writer.start()
        self._stream_started = time.monotonic()
        self._stream.start()
        logger.info("dictation %d: recording started", dictation.id)
        return dictation

    def pause(self) -> None:
        """Stop keeping input; the level meter keeps running."""
        if self._state is RecorderState.RECORDING:
            self._capturing = False
            self._state = RecorderState.PAUSED
            self._queue.put(("pause", None))

    def resume(self) -> None:
        """Keep input again, appended at the end of the dictation."""
        if self._state is RecorderState.PAUSED:
            self._queue.put(("take", (None, False)))
            self._capturing = True
            self._state = RecorderState.RECORDING

    def record_from(self, position_seconds: float, *, overwrite: bool) -> None:
        """Continue recording at a position, inserting or overwriting from there.

        Insert pushes what followed the position later; overwrite replaces it
        as the new take grows. Works while recording or paused, and resumes.
        """
        if self._state not in (RecorderState.RECORDING, RecorderState.PAUSED):
            return
        position = round(position_seconds * self.sample_rate)
        self._queue.put(("take", (position, overwrite)))
        self._capturing = True
        self._state = RecorderState.RECORDING

    def stop(self, timeout: float = 10.0) -> Dictation:
        """Stop recording and keep the dictation as recorded.

        Returns the dictation even when recording had already stopped by itself
        (then `error` contains the reason).

        Raises
        ------
        DictationError
            If nothing was started, or the writer does not finish in ``timeout``.
        """
        if self.dictation is None:
            raise DictationError("no recording to stop")
        if self._state in (RecorderState.RECORDING, RecorderState.PAUSED):
            self._capturing = False
            self._queue.put(("stop", None))
        if not self._finished.wait(timeout):
            raise DictationError(
                f"dictation {self.dictation.id}: the recording did not finish within "
                f"{timeout:.0f} s; it will be recovered at the next start"
            )
        return self.store.get(self.dictation.id)

    def wait_stopped(self, timeout: float | None = None) -> bool:
        """Wait until recording has ended; return False on timeout."""
        return self._finished.wait(timeout)

    # -- stream and files ---------------------------------------------------

    def _create_files(self, dictation_id: int) -> None:
        wav, _ = recording_paths(self.recordings_dir, dictation_id)
        try:
            make_private_dir(self.recordings_dir)
            fd = os.open(wav, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.write(fd, wav_header(self.sample_rate, self.channels, 0))
            os.fsync(fd)
            fsync_directory(self.recordings_dir)
        except OSError as exc:
            raise DictationError(
                f"cannot create the recording file {wav}: {exc.strerror}; check "
                "free space and permissions of the dictation folder"
            ) from exc
        self._fd = fd

    def _open_stream(self) -> None:
        sd = load_sounddevice()
        try:
            self._stream = sd.InputStream(
                samplerate=self.sample_rate,
                channels=self.channels,
                dtype="int16",
                blocksize=self.blocksize,
                device=self.device,
                callback=self._callback,
                finished_callback=self._on_stream_finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioDeviceError(
                f"cannot open the input device for recording: {exc}; check the "
                "microphone connection or choose another device in the settings"
            ) from exc

    def _abandon(self, dictation_id: int, reason: str) -> None:
        wav, sidecar = recording_paths(self.recordings_dir, dictation_id)
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        for path in (wav, sidecar):
            with contextlib.suppress(OSError):
                path.unlink()
        self.store.transition(
            dictation_id,
            DictationState.DISCARDED,
            self.store.get(dictation_id).author,
            detail=f"recording could not start: {reason}",
        )
        self._state = RecorderState.IDLE
        self.dictation = None

    def _callback(
        self, indata: np.ndarray, frames: int, _time: Any, status: Any
    ) -> None:
        # Runs on PortAudio's thread: no disk I/O and no locks held for long.
        self._last_callback = time.monotonic()
        self._delivered_frames += frames
        self._level = _block_level(indata)
        if status and status.input_overflow:
            self._queue.put(("overflow", None))
        if self._capturing:
            self._queue.put(("data", indata.tobytes()))

    def _on_stream_finished(self) -> None:
        self._queue.put(("stream-finished", None))

    def _write_timeline(self) -> None:
        assert self.dictation is not None
        _, sidecar = recording_paths(self.recordings_dir, self.dictation.id)
        data: dict[str, object] = {
            "dictation_id": self.dictation.id,
            "StudyInstanceUID": self.dictation.StudyInstanceUID,
            "sample_rate": self.sample_rate,
            "channels": self.channels,
            "timeline": self._timeline.to_json(),
        }
        write_json_atomic(sidecar, data)

    # -- writer thread ------------------------------------------------------

    def _write_loop(self) -> None:
        error: DictationError | None = None
        last_sync = time.monotonic()
        while True:
            try:
                kind, payload = self._queue.get(timeout=0.25)
            except queue.Empty:
                kind, payload = "idle", None
            try:
                if kind == "data":
                    if self._append(payload):
                        self.reached_max_length = True
                        break
                elif kind == "stop":
                    break
                elif kind in ("pause", "take"):
                    self._change_take(kind, payload)
                elif kind == "stream-finished":
                    error = DeviceLostError(self._lost_message("the stream ended"))
                    break
                elif kind == "overflow":
                    logger.warning("dictation input overflow: samples were dropped")
                if self._stream_stalled():
                    error = DeviceLostError(self._lost_message("no audio arrived"))
                    break
                error = self._clock_error()
                if error is not None:
                    break
                if time.monotonic() - last_sync >= FSYNC_INTERVAL:
                    os.fsync(self._fd)
                    last_sync = time.monotonic()
            except DiskFullError as exc:
                error = exc
                break
            except OSError as exc:
                error = DictationError(
                    f"writing the recording failed ({exc.strerror}); what was "
                    "written before is kept"
                )
                break
        self._finish(error)

    def _stream_stalled(self) -> bool:
        return time.monotonic() - self._last_callback > STALL_TIMEOUT

    def _clock_error(self) -> DeviceClockError | None:
        # A device without a working clock (a file read as a device, a broken
        # driver) would fill the maximum length in seconds with unusable audio.
        elapsed = time.monotonic() - self._stream_started
        delivered = self._delivered_frames / self.sample_rate
        if delivered <= elapsed * (1 + MAX_AHEAD_FRACTION) + MAX_AHEAD_SECONDS:
            return None
        return DeviceClockError(
            f"input device {self._device_name!r} delivered {delivered:.1f} s of "
            f"audio in {elapsed:.1f} s, faster than real time, so recording "
            f"stopped; the {self.duration_seconds:.1f} s recorded so far are kept; "
            "check the device or choose another input device in the settings"
        )

    def _lost_message(self, what: str) -> str:
        seconds = self.duration_seconds
        return (
            f"the input device stopped during the recording ({what}); the "
            f"{seconds:.1f} s recorded so far are kept; check the microphone and "
            "record the rest as a new dictation"
        )

    def _append(self, data: bytes) -> bool:
        # Returns True when the maximum length is reached.
        frame_bytes = self.channels * 2
        with self._lock:
            if self._timeline.take_start is None:
                return False  # a block queued before a pause took effect
            length = timeline_frames(self._timeline.segments(self._file_frames))
            frames = len(data) // frame_bytes
            grows = frames
            if self._timeline.overwrite:
                ahead = length - self._timeline.head_frames(self._file_frames)
                grows = max(0, frames - ahead)
            room = self.max_frames - length
            if grows > room:
                frames -= grows - room
        written = self._write_all(data[: frames * frame_bytes])
        with self._lock:
            self._file_frames += written // frame_bytes
            write_sizes(self._fd, self._file_frames * frame_bytes)
            full = timeline_frames(self._timeline.segments(self._file_frames))
        return full >= self.max_frames

    def _write_all(self, data: bytes) -> int:
        offset = 0
        while offset < len(data):
            try:
                offset += os.pwrite(
                    self._fd,
                    data[offset:],
                    HEADER_SIZE + self._file_frames * self.channels * 2 + offset,
                )
            except OSError as exc:
                if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                    raise
                self._keep_whole_frames(offset)
                raise DiskFullError(
                    errno.ENOSPC,
                    f"the disk is full; recording stopped and the "
                    f"{self.duration_seconds:.1f} s recorded so far are kept; free "
                    f"space in {self.recordings_dir} before recording again",
                ) from exc
        return offset

    def _keep_whole_frames(self, partial_bytes: int) -> None:
        # Cut a partly written block back to whole frames and record their count.
        frame_bytes = self.channels * 2
        with self._lock:
            self._file_frames += partial_bytes // frame_bytes
            os.ftruncate(self._fd, HEADER_SIZE + self._file_frames * frame_bytes)
            write_sizes(self._fd, self._file_frames * frame_bytes)

    def _change_take(self, kind: str, payload: Any) -> None:
        with self._lock:
            if kind == "pause":
                self._timeline.close_take(self._file_frames)
            else:
                position, overwrite = payload
                if position is None:
                    position = timeline_frames(
                        self._timeline.segments(self._file_frames)
                    )
                self._timeline.open_take(
                    position, self._file_frames, overwrite=overwrite
                )
        self._write_timeline()

    def _finish(self, error: DictationError | None) -> None:
        assert self.dictation is not None
        self._capturing = False
        self._close_stream()
        with self._lock:
            self._timeline.close_take(self._file_frames)
            segments = self._timeline.segments(self._file_frames)
        self.error = error
        detail = str(error) if error else ""
        if self.reached_max_length:
            detail = "stopped at the maximum length"

        try:
            os.fsync(self._fd)
            path, frames = self._finalise_audio(segments)
        except OSError as exc:
            # The recording file and timeline stay; recovery finishes them.
            logger.error(
                "dictation %d: finishing the audio failed (%s); left for recovery",
                self.dictation.id,
                exc,
            )
            self.store.transition(
                self.dictation.id,
                DictationState.RECOVERED,
                self.dictation.author,
                detail=f"finishing failed: {exc}; {detail}",
            )
        else:
            self.store.set_audio(self.dictation.id, path, frames / self.sample_rate)
            self.store.transition(
                self.dictation.id,
                DictationState.RECORDED,
                self.dictation.author,
                detail=detail,
            )
            logger.info(
                "dictation %d: recording stopped after %.1f s%s",
                self.dictation.id,
                frames / self.sample_rate,
                " with an error" if error else "",
            )
        finally:
            os.close(self._fd)
            self._fd = -1
            self._state = RecorderState.STOPPED
            self._finished.set()
        if self.on_stopped is not None:
            self.on_stopped(error)

    def _close_stream(self) -> None:
        # A device that stopped delivering can leave PortAudio's thread blocked in
        # a read, and aborting then waits for that thread. The wait here is
        # bounded by STREAM_CLOSE_TIMEOUT.
        stream = self._stream

        def close() -> None:
            with contextlib.suppress(Exception):
                stream.abort()
                stream.close()

        closer = threading.Thread(target=close, name="dictation-close", daemon=True)
        closer.start()
        closer.join(STREAM_CLOSE_TIMEOUT)
        # NOTE: such a stream stays open, and PortAudio's termination at process
        # exit may then wait for it as well.
        if closer.is_alive():
            logger.warning(
                "the input stream did not close within %.0f s; left to PortAudio",
                STREAM_CLOSE_TIMEOUT,
            )

    def _finalise_audio(self, segments: list[tuple[int, int]]) -> tuple[Path, int]:
        assert self.dictation is not None
        wav, sidecar = recording_paths(self.recordings_dir, self.dictation.id)
        target = final_path(self.recordings_dir, self.dictation.id)
        frame_bytes = self.channels * 2
        if not segments or segments == [(0, segments[0][1])]:
            # One take from the start: the recording file itself is the result,
            # so a full disk does not stop it from being kept.
            frames = segments[0][1] if segments else 0
            os.ftruncate(self._fd, HEADER_SIZE + frames * frame_bytes)
            write_sizes(self._fd, frames * frame_bytes)
            os.fsync(self._fd)
            os.replace(wav, target)
        else:
            _, frames = render_timeline(wav, segments, target)
            wav.unlink()
        sidecar.unlink(missing_ok=True)
        fsync_directory(self.recordings_dir)
        return target, frames
