"""Record one dictation in a process of its own, for the microphone tests.

The parent sets HOME to a folder whose .asoundrc defines the capture device before
this process imports sounddevice, because PortAudio reads the ALSA configuration
when it initialises. Lines on stdout: ``started ID`` once the stream runs, then a
JSON object with the outcome. Lines on stdin control the recorder: ``pause``,
``resume``, ``insert SECONDS``, ``overwrite SECONDS`` (the child prints ``ok``
after each), ``level`` (the child prints the level as JSON), and ``stop`` or end
of input. With ``--fsync-log FILE`` every completed fsync call appends a line
with its time.monotonic() value and the path of the file it synced.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dictation.recorder import Recorder
from pacs_desktop.core.dictation.store import DictationStore, RecordingBinding
from pacs_desktop.core.errors import PacsDesktopError


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--recordings", type=Path, required=True)
    parser.add_argument("--study", required=True)
    parser.add_argument("--accession", default="")
    parser.add_argument("--patient-id", required=True)
    parser.add_argument("--user", default="dr.house")
    parser.add_argument("--rate", type=int, default=16000)
    parser.add_argument("--blocksize", type=int, default=1600)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--fsync-log", type=Path)
    args = parser.parse_args()
    if args.fsync_log is not None:
        log_fsync_calls(args.fsync_log)

    store = DictationStore(Database(args.database))
    recorder = Recorder(
        store,
        args.recordings,
        sample_rate=args.rate,
        blocksize=args.blocksize,
        max_seconds=args.max_seconds,
    )
    binding = RecordingBinding(
        StudyInstanceUID=args.study,
        AccessionNumber=args.accession,
        PatientID=args.patient_id,
        user=args.user,
        started=datetime.now(timezone.utc),
    )
    try:
        dictation = recorder.start(binding)
    except PacsDesktopError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
        return 1
    print(f"started {dictation.id}", flush=True)

    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "stop":
            break
        if command[0] == "pause":
            recorder.pause()
        elif command[0] == "resume":
            recorder.resume()
        elif command[0] in ("insert", "overwrite"):
            position = float(command[1])
            recorder.record_from(position, overwrite=command[0] == "overwrite")
        elif command[0] == "level":
            level = recorder.level
            print(json.dumps({"rms": level.rms, "peak": level.peak}), flush=True)
            continue
        print("ok", flush=True)
    result = recorder.stop()
    error = recorder.error
    print(
        json.dumps(
            {
                "id": result.id,
                "state": result.state.value,
                "audio_path": str(result.audio_path),
                "duration_seconds": result.duration_seconds,
                "error": type(error).__name__ if error else None,
                "message": str(error) if error else "",
            }
        ),
        flush=True,
    )
    return 0


def log_fsync_calls(log_path: Path) -> None:
    """Make os.fsync log each call after the real fsync returns."""
    real_fsync = os.fsync
    log = log_path.open("a", encoding="utf-8", buffering=1)

    def fsync(fd: int) -> None:
        real_fsync(fd)
        synced = os.readlink(f"/proc/self/fd/{fd}")
        log.write(f"{time.monotonic():.6f} {synced}\n")

    os.fsync = fsync


if __name__ == "__main__":
    sys.exit(main())
