"""A Qt-free playback model for dictations: transport, position and speed.

The model holds the samples and a position in seconds. `render` produces the next
block of output at the current speed and advances the position. While playing,
a sounddevice OutputStream calls it for each block. Views subscribe with
`add_listener` and receive `PlayerEvent` values (from PortAudio's thread while
playing, so a Qt view must forward them to its own thread).

NOTE: speed changes resample the signal (linear interpolation), so the pitch
rises and falls with the speed. No time-stretching library is installed to
keep the pitch; `PITCH_PRESERVING` and `speed_note` say so to the user.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from pacs_desktop.core.dictation.recorder import AudioDeviceError, load_sounddevice
from pacs_desktop.core.dictation.store import DictationError

logger = logging.getLogger(__name__)

MIN_SPEED = 0.5
MAX_SPEED = 2.0
DEFAULT_SKIP_SECONDS = 3.0
PITCH_PRESERVING = False
SPEED_NOTE = (
    "Playback speed changes the pitch: pitch-preserving speed needs a "
    "time-stretching library that is not installed."
)


class PlaybackState(str, Enum):
    """Transport state of a `Player`."""

    STOPPED = "stopped"
    PLAYING = "playing"
    PAUSED = "paused"


@dataclass(frozen=True)
class PlayerEvent:
    """A change a view may show: the state and the position in seconds."""

    state: PlaybackState
    position_seconds: float


def load_audio(path: Path) -> tuple[np.ndarray, int]:
    """Read an audio file as mono float32 samples in [-1, 1] and its rate.

    Raises
    ------
    DictationError
        If the file cannot be read.
    """
    try:
        data, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (OSError, RuntimeError, soundfile.LibsndfileError) as exc:
        raise DictationError(f"cannot read audio file {path}: {exc}") from exc
    return data.mean(axis=1), int(rate)


class Player:
    """Play mono samples with play, pause, stop, skip, seek and speed.

    Parameters
    ----------
    samples
        Mono samples, float in [-1, 1] or int16.
    sample_rate
        Rate of ``samples`` in Hz; the output stream runs at the same rate.
    device
        PortAudio output device; None for the system default.
    skip_seconds
        Distance of `skip_back` and `skip_forward`.
    """

    def __init__(
        self,
        samples: np.ndarray,
        sample_rate: int,
        *,
        device: int | str | None = None,
        skip_seconds: float = DEFAULT_SKIP_SECONDS,
    ) -> None:
        values = np.asarray(samples)
        if values.dtype == np.int16:
            values = values.astype(np.float32) / 32768.0
        self.samples = values.astype(np.float32).reshape(-1)
        self.sample_rate = sample_rate
        self.device = device
        self.skip_seconds = skip_seconds
        self._position = 0.0  # in input frames, fractional while resampling
        self._speed = 1.0
        self._state = PlaybackState.STOPPED
        self._lock = threading.RLock()
        self._listeners: list[Callable[[PlayerEvent], None]] = []
        self._stream: Any = None

    @classmethod
    def from_file(cls, path: Path, **options: Any) -> Player:
        """Create a player for an audio file (WAV, FLAC ...).

        Raises
        ------
        DictationError
            If the file cannot be read.
        """
        samples, rate = load_audio(path)
        return cls(samples, rate, **options)

    # -- state --------------------------------------------------------------

    @property
    def state(self) -> PlaybackState:
        """Transport state."""
        return self._state

    @property
    def duration_seconds(self) -> float:
        """Length of the audio in seconds."""
        return len(self.samples) / self.sample_rate

    @property
    def position_seconds(self) -> float:
        """Playback position in seconds."""
        with self._lock:
            return self._position / self.sample_rate

    @property
    def speed(self) -> float:
        """Playback speed factor, from 0.5 to 2.0."""
        return self._speed

    @property
    def speed_note(self) -> str:
        """What the user should know about speed changes ('' when nothing)."""
        return "" if PITCH_PRESERVING else SPEED_NOTE

    def add_listener(self, listener: Callable[[PlayerEvent], None]) -> None:
        """Call ``listener`` on every state change and position update."""
        self._listeners.append(listener)

    # -- transport ----------------------------------------------------------

    def set_speed(self, speed: float) -> None:
        """Set the speed factor.

        Raises
        ------
        ValueError
            If ``speed`` is outside 0.5 to 2.0.
        """
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(
                f"playback speed {speed} is outside {MIN_SPEED} to {MAX_SPEED}"
            )
        self._speed = float(speed)

    def seek(self, seconds: float) -> None:
        """Move to ``seconds``, clamped to the audio."""
        with self._lock:
            frames = seconds * self.sample_rate
            self._position = float(min(max(frames, 0.0), len(self.samples)))
        self._notify()

    def skip_back(self, seconds: float | None = None) -> None:
        """Move back by ``seconds`` (default `skip_seconds`)."""
        self.seek(self.position_seconds - (seconds or self.skip_seconds))

    def skip_forward(self, seconds: float | None = None) -> None:
        """Move forward by ``seconds`` (default `skip_seconds`)."""
        self.seek(self.position_seconds + (seconds or self.skip_seconds))

    def play(self) -> None:
        """Start or continue playing from the position; from the start at the end.

        Raises
        ------
        AudioDeviceError
            If the output device cannot be opened.
        """
        if self._state is PlaybackState.PLAYING:
            return
        with self._lock:
            if self._position >= len(self.samples):
                self._position = 0.0
        self._close_stream()  # a stream that ended by itself is still open
        self._open_stream()
        self._set_state(PlaybackState.PLAYING)
        self._stream.start()

    def pause(self) -> None:
        """Stop output and keep the position."""
        if self._state is PlaybackState.PLAYING:
            # The state changes first so the finished callback reports no stop.
            self._set_state(PlaybackState.PAUSED)
            self._close_stream()

    def toggle(self) -> None:
        """Play when paused or stopped, pause when playing.

        Raises
        ------
        AudioDeviceError
            If the output device cannot be opened.
        """
        if self._state is PlaybackState.PLAYING:
            self.pause()
        else:
            self.play()

    def stop(self) -> None:
        """Stop output and go back to the start."""
        self._state = PlaybackState.STOPPED
        self._close_stream()
        with self._lock:
            self._position = 0.0
        self._set_state(PlaybackState.STOPPED)

    # -- rendering ----------------------------------------------------------

    def render(self, frames: int) -> tuple[np.ndarray, bool]:
        """Return the next ``frames`` output samples and whether the end was reached.

        Advances the position by ``frames * speed`` input frames; past the end
        the block is padded with silence.
        """
        with self._lock:
            start = self._position
            steps = start + np.arange(frames) * self._speed
            inside = (
                steps < len(self.samples) - 1
                if len(self.samples) > 1
                else (np.zeros(frames, dtype=bool))
            )
            block = np.zeros(frames, dtype=np.float32)
            if inside.any():
                indices = np.arange(len(self.samples))
                block[inside] = np.interp(steps[inside], indices, self.samples)
            self._position = min(start + frames * self._speed, float(len(self.samples)))
            ended = self._position >= len(self.samples) - 1
            if ended:
                self._position = float(len(self.samples))
        return block, ended

    def _callback(
        self, outdata: np.ndarray, frames: int, _time: Any, status: Any
    ) -> None:
        # Runs on PortAudio's thread.
        block, ended = self.render(frames)
        outdata[:, 0] = block
        self._notify()
        if ended:
            sd = load_sounddevice()
            raise sd.CallbackStop

    def _on_finished(self) -> None:
        if self._state is PlaybackState.PLAYING:
            self._set_state(PlaybackState.STOPPED)

    def _open_stream(self) -> None:
        sd = load_sounddevice()
        try:
            self._stream = sd.OutputStream(
                samplerate=self.sample_rate,
                channels=1,
                dtype="float32",
                device=self.device,
                callback=self._callback,
                finished_callback=self._on_finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioDeviceError(
                f"cannot open the output device for playback: {exc}; check the "
                "speakers or headset, or choose another output device in the settings"
            ) from exc

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.abort()
            stream.close()

    def _set_state(self, state: PlaybackState) -> None:
        self._state = state
        self._notify()

    def _notify(self) -> None:
        event = PlayerEvent(self._state, self.position_seconds)
        for listener in list(self._listeners):
            listener(event)
