"""Play a WAV file through PortAudio's default output device, then exit.

The parent points HOME at an .asoundrc whose default playback device is ALSA's
``file`` plugin, so what PortAudio played lands in a raw file for comparison.
Prints one JSON line with the final state and position.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from pacs_desktop.core.dictation.playback import PlaybackState, Player, PlayerEvent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("audio", type=Path)
    parser.add_argument("--speed", type=float, default=1.0)
    args = parser.parse_args()

    player = Player.from_file(args.audio)
    player.set_speed(args.speed)
    ended = threading.Event()

    def on_event(event: PlayerEvent) -> None:
        if event.state is PlaybackState.STOPPED:
            ended.set()

    player.add_listener(on_event)
    player.play()
    finished = ended.wait(20)
    print(
        json.dumps(
            {
                "finished": finished,
                "state": player.state.value,
                "position_seconds": player.position_seconds,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
