"""The crash-safe recording file and the edit list laid over it.

A recording is one PCM WAV file to which samples are only ever appended, and whose
RIFF and data sizes are rewritten after each appended chunk, so the file is a valid
WAV after every chunk. A crash between the append and the header rewrite leaves
sizes one chunk short; `repair_wav` recomputes them from the file length.

Insert and overwrite do not move samples in the file. A `Timeline` lists which
ranges of the file, in which order, make up the dictation; `render_timeline`
writes that order into a final WAV when recording ends. The timeline is kept in a
JSON file beside the recording and replaced atomically at each change.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

# A canonical PCM WAV header: RIFF chunk, 16-byte "fmt " chunk, "data" chunk header.
HEADER_SIZE = 44
SAMPLE_WIDTH = 2  # 16-bit signed little-endian PCM
_RIFF_SIZE_OFFSET = 4
_DATA_SIZE_OFFSET = 40

Segment = tuple[int, int]  # [start, stop) in frames of the recording file


def wav_header(sample_rate: int, channels: int, data_bytes: int) -> bytes:
    """Return a 44-byte PCM WAV header for 16-bit samples."""
    block_align = channels * SAMPLE_WIDTH
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack(
            "<IHHIIHH",
            16,
            1,
            channels,
            sample_rate,
            sample_rate * block_align,
            block_align,
            SAMPLE_WIDTH * 8,
        )
        + b"data"
        + struct.pack("<I", data_bytes)
    )


@dataclass(frozen=True)
class WavFormat:
    """Sample rate and channel count of a recording file (16-bit PCM)."""

    sample_rate: int
    channels: int

    @property
    def frame_bytes(self) -> int:
        """Bytes per frame (one sample of every channel)."""
        return self.channels * SAMPLE_WIDTH


def read_wav_format(path: Path) -> WavFormat:
    """Read the format of a recording file written by this module.

    Raises
    ------
    ValueError
        If the file does not start with the 44-byte header this module writes.
    """
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if (
        len(header) < HEADER_SIZE
        or header[:4] != b"RIFF"
        or header[8:16] != (b"WAVEfmt ")
    ):
        raise ValueError(f"{path}: not a recording file (no PCM WAV header)")
    _, audio_format, channels, sample_rate, _, _, bits = struct.unpack(
        "<IHHIIHH", header[16:36]
    )
    if audio_format != 1 or bits != 16 or header[36:40] != b"data":
        raise ValueError(f"{path}: not a 16-bit PCM recording file")
    return WavFormat(sample_rate=sample_rate, channels=channels)


def repair_wav(path: Path) -> int:
    """Make the header sizes of a recording file match its length.

    A trailing partial frame (from a write cut short) is truncated. The result
    is synced to disk.

    Returns
    -------
    int
        The number of whole frames in the file.

    Raises
    ------
    ValueError
        If the file is not a recording file.
    OSError
        If the file cannot be written.
    """
    fmt = read_wav_format(path)
    size = path.stat().st_size
    frames = max(0, size - HEADER_SIZE) // fmt.frame_bytes
    data_bytes = frames * fmt.frame_bytes
    fd = os.open(path, os.O_RDWR)
    try:
        if size != HEADER_SIZE + data_bytes:
            os.ftruncate(fd, HEADER_SIZE + data_bytes)
        write_sizes(fd, data_bytes)
        os.fsync(fd)
    finally:
        os.close(fd)
    return frames


def write_sizes(fd: int, data_bytes: int) -> None:
    """Rewrite the RIFF and data sizes in the header of an open recording file."""
    os.pwrite(fd, struct.pack("<I", 36 + data_bytes), _RIFF_SIZE_OFFSET)
    os.pwrite(fd, struct.pack("<I", data_bytes), _DATA_SIZE_OFFSET)


def _split(segments: list[Segment], position: int) -> tuple[list[Segment], ...]:
    before: list[Segment] = []
    after: list[Segment] = []
    offset = 0
    for start, stop in segments:
        length = stop - start
        if offset + length <= position:
            before.append((start, stop))
        elif offset >= position:
            after.append((start, stop))
        else:
            cut = start + (position - offset)
            before.append((start, cut))
            after.append((cut, stop))
        offset += length
    return before, after


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for start, stop in segments:
        if stop <= start:
            continue
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return merged


def timeline_frames(segments: list[Segment]) -> int:
    """Return the total length of a segment list in frames."""
    return sum(stop - start for start, stop in segments)


@dataclass
class Timeline:
    """Which file ranges make up the dictation, with at most one open take.

    The open take starts at ``take_start`` and grows with the file. In insert
    mode it sits between ``prefix`` and ``suffix``; in overwrite mode it also
    replaces as many frames at the start of ``suffix`` as it has grown.
    """

    prefix: list[Segment] = field(default_factory=list)
    take_start: int | None = None
    suffix: list[Segment] = field(default_factory=list)
    overwrite: bool = False

    def segments(self, file_frames: int) -> list[Segment]:
        """Return the dictation's segments when the file has ``file_frames``."""
        if self.take_start is None:
            return _merge(self.prefix + self.suffix)
        take = (self.take_start, file_frames)
        rest = self.suffix
        if self.overwrite:
            _, rest = _split(self.suffix, file_frames - self.take_start)
        return _merge([*self.prefix, take, *rest])

    def head_frames(self, file_frames: int) -> int:
        """Return the position of the recording head in dictation frames."""
        if self.take_start is None:
            return timeline_frames(self.prefix)
        return timeline_frames(self.prefix) + file_frames - self.take_start

    def close_take(self, file_frames: int) -> None:
        """End the open take, keeping everything it recorded."""
        self.prefix = self.segments(file_frames)
        self.take_start = None
        self.suffix = []

    def open_take(
        self, position: int, file_frames: int, *, overwrite: bool = False
    ) -> None:
        """Start a take at dictation frame ``position`` with new file frames."""
        self.close_take(file_frames)
        position = max(0, min(position, timeline_frames(self.prefix)))
        self.prefix, self.suffix = _split(self.prefix, position)
        self.take_start = file_frames
        self.overwrite = overwrite

    def to_json(self) -> dict[str, object]:
        """Return a JSON-serialisable form."""
        return {
            "prefix": [list(s) for s in self.prefix],
            "take_start": self.take_start,
            "suffix": [list(s) for s in self.suffix],
            "overwrite": self.overwrite,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Timeline:
        """Rebuild a timeline from `to_json` output."""

        def segs(value: object) -> list[Segment]:
            items = value if isinstance(value, list) else []
            return [(int(a), int(b)) for a, b in items]

        take = data.get("take_start")
        return cls(
            prefix=segs(data.get("prefix")),
            take_start=int(take) if isinstance(take, int) else None,
            suffix=segs(data.get("suffix")),
            overwrite=bool(data.get("overwrite", False)),
        )


def write_json_atomic(path: Path, data: dict[str, object]) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or new file.

    Raises
    ------
    OSError
        If the file cannot be written (a full disk, for instance).
    """
    tmp = path.with_name(path.name + ".tmp")
    payload = json.dumps(data, sort_keys=True).encode("utf-8")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_directory(path.parent)


def open_private(path: Path) -> BinaryIO:
    """Create or truncate ``path`` for binary writing, readable by its owner only.

    Dictation audio is patient data, so a file opened here gets mode 0600
    whatever the umask. An existing file is set to 0600 as well.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
    except OSError:
        os.close(fd)
        raise
    return os.fdopen(fd, "wb")


def make_private_dir(directory: Path) -> None:
    """Create ``directory`` with mode 0700, or narrow an existing one to 0700.

    Folders of dictation audio hold patient data. ``mkdir`` alone leaves a
    folder that an older version created at 0755 readable by other accounts.

    Raises
    ------
    OSError
        If the folder cannot be created or its mode cannot be changed.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(directory.stat().st_mode) & (stat.S_IRWXG | stat.S_IRWXO):
        os.chmod(directory, 0o700)


def fsync_directory(directory: Path) -> None:
    """Sync a directory so that a rename or new file in it survives a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_frames(path: Path, fmt: WavFormat, start: int, stop: int) -> np.ndarray:
    """Read frames ``[start, stop)`` of a recording file as int16 (frames, channels)."""
    count = max(0, stop - start)
    with path.open("rb") as handle:
        handle.seek(HEADER_SIZE + start * fmt.frame_bytes)
        raw = handle.read(count * fmt.frame_bytes)
    samples = np.frombuffer(raw, dtype="<i2")
    return samples.reshape(-1, fmt.channels)


def render_timeline(
    source: Path, segments: list[Segment], target: Path
) -> tuple[WavFormat, int]:
    """Write the segments of ``source`` in order into a new WAV ``target``.

    The target is written under a temporary name, synced and renamed, so it is
    either complete or absent.

    Returns
    -------
    tuple
        The format and the number of frames written.

    Raises
    ------
    OSError
        If the target cannot be written.
    ValueError
        If ``source`` is not a recording file.
    """
    fmt = read_wav_format(source)
    total = timeline_frames(segments)
    tmp = target.with_name(target.name + ".tmp")
    try:
        with open_private(tmp) as out:
            out.write(wav_header(fmt.sample_rate, fmt.channels, 0))
            for start, stop in segments:
                # Copy in pieces of about 10 s at 48 kHz to bound memory.
                for piece in range(start, stop, 480_000):
                    end = min(stop, piece + 480_000)
                    out.write(read_frames(source, fmt, piece, end).tobytes())
            out.flush()
            write_sizes(out.fileno(), total * fmt.frame_bytes)
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_directory(target.parent)
    return fmt, total
