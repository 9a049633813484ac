"""The playback model, and output through PortAudio and ALSA into a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile
from microphone_rig import best_correlation

from pacs_desktop.core.dictation.playback import (
    PITCH_PRESERVING,
    PlaybackState,
    Player,
    PlayerEvent,
)

RATE = 8000
PLAY_CHILD = Path(__file__).with_name("play_child.py")
ASOUNDRC_SPEAKER = """\
pcm.speaker {{
    type file
    slave.pcm "null"
    file "{outfile}"
    format "raw"
}}
pcm.!default {{
    type asym
    playback.pcm "speaker"
    capture.pcm "null"
}}
"""


def _ramp(seconds: float) -> np.ndarray:
    return np.linspace(-0.5, 0.5, int(seconds * RATE), dtype=np.float32)


def test_render_normal_speed_copies_samples() -> None:
    samples = _ramp(1.0)
    player = Player(samples, RATE)
    block, ended = player.render(800)
    assert np.allclose(block, samples[:800])
    assert not ended
    assert player.position_seconds == pytest.approx(0.1)


@pytest.mark.parametrize("speed", [0.5, 1.5, 2.0])
def test_render_speed_advances_position(speed: float) -> None:
    player = Player(_ramp(2.0), RATE)
    player.set_speed(speed)
    player.render(800)
    assert player.position_seconds == pytest.approx(0.1 * speed)


@pytest.mark.parametrize("speed", [0.49, 2.01, 0.0, -1.0])
def test_speed_outside_range_rejected(speed: float) -> None:
    player = Player(_ramp(1.0), RATE)
    with pytest.raises(ValueError, match="outside"):
        player.set_speed(speed)


def test_speed_note_says_pitch_changes() -> None:
    player = Player(_ramp(1.0), RATE)
    assert PITCH_PRESERVING is False
    assert "pitch" in player.speed_note


def test_render_pads_silence_and_ends() -> None:
    player = Player(_ramp(0.05), RATE)
    block, ended = player.render(800)
    assert ended
    assert np.all(block[400:] == 0)
    assert player.position_seconds == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("start", "action", "expected"),
    [
        (5.0, "skip_back", 2.0),
        (1.0, "skip_back", 0.0),
        (5.0, "skip_forward", 8.0),
        (9.0, "skip_forward", 10.0),
    ],
)
def test_skip_clamps_to_audio(start: float, action: str, expected: float) -> None:
    player = Player(_ramp(10.0), RATE)
    player.seek(start)
    getattr(player, action)()
    assert player.position_seconds == pytest.approx(expected)


def test_seek_notifies_listeners() -> None:
    player = Player(_ramp(2.0), RATE)
    events: list[PlayerEvent] = []
    player.add_listener(events.append)
    player.seek(1.5)
    assert events == [PlayerEvent(PlaybackState.STOPPED, 1.5)]


def test_int16_samples_are_scaled() -> None:
    player = Player(np.array([16384, -16384], dtype=np.int16), RATE)
    assert player.samples.tolist() == [0.5, -0.5]


def _play_through_alsa(tmp_path: Path, audio: Path, speed: float) -> np.ndarray:
    home = tmp_path / "home"
    home.mkdir()
    outfile = home / "played.raw"
    (home / ".asoundrc").write_text(ASOUNDRC_SPEAKER.format(outfile=outfile))
    env = dict(os.environ, HOME=str(home))
    result = subprocess.run(
        [sys.executable, str(PLAY_CHILD), str(audio), "--speed", str(speed)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["finished"] is True
    assert outcome["state"] == "stopped"
    # The file plugin writes the stream's samples as they are: float32 here.
    return np.frombuffer(outfile.read_bytes(), dtype="<f4")


@pytest.mark.parametrize("speed", [1.0, 2.0])
def test_playback_reaches_output_device(
    tmp_path: Path, speech: np.ndarray, speed: float
) -> None:
    audio = tmp_path / "speech.wav"
    clip = speech[: 16000 * 2]
    soundfile.write(audio, clip, 16000, subtype="PCM_16")

    played = _play_through_alsa(tmp_path, audio, speed)
    voiced = np.nonzero(np.abs(played) > 1e-4)[0]
    span = (voiced[-1] - voiced[0]) / 16000
    assert span == pytest.approx(len(clip) / 16000 / speed, abs=0.2)
    if speed == 1.0:
        assert best_correlation(played, clip.astype(np.float32) / 32768) > 0.95
