"""Decoding whole series in worker processes, so every core decodes at once.

pylibjpeg-openjpeg 2.6 is built without threads and holds the GIL while it
decodes, so threads of one process decode one JPEG 2000 frame at a time. A
`SeriesDecoder` keeps a pool of worker processes: each task is one file,
which the worker reads once (header and pixels) and returns as slice headers
and decoded frames. The pool starts with the spawn method, which is safe in a
process that runs GUI threads, and stays up between series because starting
a worker (importing numpy, pydicom and the codecs) costs about 0.3 s.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from pacs_desktop.core.dicom.geometry import SliceHeader, frame_headers, sort_slices
from pacs_desktop.core.dicom.pipeline import FrameImage, decode_stored_frame
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.dicom.series import FrameRef, SeriesFrames
from pacs_desktop.core.errors import DicomReadError, PacsDesktopError

logger = logging.getLogger(__name__)

# Progress of a series load: files finished so far and the number of files.
ProgressCallback = Callable[[int, int], None]


@dataclass
class DecodedSeries:
    """A series in display order with every frame decoded.

    ``images[i]`` is the decoded frame of ``series.frames[i]``, or None when
    that frame failed to decode; ``frame_errors`` then names it and why.
    Files that could not be read at all are in ``series.errors``.
    """

    series: SeriesFrames
    images: list[FrameImage | None]
    frame_errors: list[tuple[Path, int, str]] = field(default_factory=list)


@dataclass
class _FileResult:
    """The headers and decoded frames of one file, as a worker returns them."""

    path: Path
    headers: list[SliceHeader] = field(default_factory=list)
    images: list[FrameImage | None] = field(default_factory=list)
    error: str = ""
    frame_errors: list[tuple[int, str]] = field(default_factory=list)


def read_and_decode_file(path: Path) -> _FileResult:
    """Read one file and decode each of its frames (runs in a worker process)."""
    result = _FileResult(path)
    try:
        ds = read_dataset(path)
    except DicomReadError as exc:
        result.error = exc.reason
        return result
    if ds.get("Rows") in (None, "") or ds.get("Columns") in (None, ""):
        result.error = "not an image: Rows and Columns are missing"
        return result
    result.headers = frame_headers(ds, path)
    for header in result.headers:
        try:
            image = decode_stored_frame(ds, header.frame_index, path)
        except PacsDesktopError as exc:
            result.frame_errors.append((header.frame_index, str(exc)))
            image = None
        result.images.append(image)
    return result


def decode_frame_at(path: Path, frame_index: int) -> FrameImage:
    """Read ``path`` and decode its frame at ``frame_index`` (stored order).

    Runs in a worker process; exceptions travel back to the caller.

    Raises
    ------
    DicomReadError
        The file cannot be read or lacks the frame.
    PixelDataError
        The pixel data are missing, truncated or cannot be decoded.
    UnsupportedTransferSyntaxError
        No installed decoder handles the file's transfer syntax.
    """
    return decode_stored_frame(read_dataset(path), frame_index, path)


def _ready() -> int:
    return os.getpid()


def default_workers() -> int:
    """Return the number of cores this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class SeriesDecoder:
    """A pool of worker processes that read and decode DICOM files.

    Safe to call from several threads. Use it as a context manager, or call
    `close` when the application ends.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
        )

    def __enter__(self) -> SeriesDecoder:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def warm_up(self) -> None:
        """Start every worker now, so the first series does not pay for it."""
        futures = [self._pool.submit(_ready) for _ in range(self.workers)]
        for future in futures:
            future.result()

    def decode(self, path: Path, frame_index: int) -> Future[FrameImage]:
        """Decode one frame (stored order) in a worker and return its future.

        The future raises what `decode_frame_at` raises.
        """
        return self._pool.submit(decode_frame_at, path, frame_index)

    def decode_refs(self, refs: Sequence[FrameRef]) -> Iterator[FrameImage]:
        """Decode the frames of ``refs`` in the workers, yielding them in order.

        Raises
        ------
        DicomReadError, PixelDataError, UnsupportedTransferSyntaxError
            From the first frame that fails, when the iteration reaches it.
        """
        futures = [
            self._pool.submit(decode_frame_at, ref.path, ref.frame_index)
            for ref in refs
        ]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()

    def load(
        self,
        paths: Sequence[Path],
        *,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> DecodedSeries:
        """Read, order and decode every frame of the files ``paths``.

        Files that cannot be read are skipped and listed in
        ``series.errors``; frames that fail to decode are None in ``images``.
        ``cancel`` stops the load between files: files not started are left
        out of the result.
        """
        futures = [self._pool.submit(read_and_decode_file, path) for path in paths]
        results: list[_FileResult] = []
        try:
            for done, future in enumerate(futures, start=1):
                if cancel is not None and cancel.is_set():
                    break
                results.append(future.result())
                if progress is not None:
                    progress(done, len(futures))
        finally:
            for future in futures:
                future.cancel()
        return _assemble(results, len(paths))

    def close(self) -> None:
        """Stop the workers; frames still queued are dropped."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _assemble(results: Sequence[_FileResult], file_count: int) -> DecodedSeries:
    headers: list[SliceHeader] = []
    images: dict[tuple[Path, int], FrameImage | None] = {}
    errors: list[tuple[Path, str]] = []
    frame_errors: list[tuple[Path, int, str]] = []
    for result in results:
        if result.error:
            errors.append((result.path, result.error))
            continue
        headers.extend(result.headers)
        for header, image in zip(result.headers, result.images, strict=True):
            images[(header.path, header.frame_index)] = image
        frame_errors.extend(
            (result.path, index, reason) for index, reason in result.frame_errors
        )
    if errors:
        logger.warning("%d of %d files of a series skipped", len(errors), file_count)

    order = sort_slices(headers)
    frames = [FrameRef(h.path, h.frame_index, h) for h in order.headers]
    series = SeriesFrames(frames, order.spacing, order.gaps, order.uneven, errors)
    ordered = [images[(ref.path, ref.frame_index)] for ref in frames]
    return DecodedSeries(series, ordered, frame_errors)
