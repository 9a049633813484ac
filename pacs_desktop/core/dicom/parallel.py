"""Decoding whole series in worker processes, so every core decodes at once.

pylibjpeg-openjpeg 2.6 is built without threads and holds the GIL while it
decodes, so threads of one process decode one JPEG 2000 frame at a time. A
`SeriesDecoder` keeps a pool of worker processes (`isolation.WorkerProcess`),
each fed by a thread of the calling process. A task is one frame, or one file
that the worker reads once (header and pixels) and streams back as slice
headers and decoded frames. Each frame must finish within the decoder's time
limit: a worker stuck in a codec is killed and replaced, and a worker that
crashes is replaced, while the other workers go on with the series. Workers
start with the spawn method, which is safe in a process that runs GUI
threads, and stay up between series because starting one (importing numpy,
pydicom and the codecs) costs about 0.3 s.

Archived files are checked on read: given the index row of a stored file
(`integrity.StoredInstance`), the reader loads the whole file once, checks
those bytes against the SHA-256 recorded at import and parses the same bytes,
so altered pixels are never decoded for display.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from pydicom.dataset import Dataset

from pacs_desktop.core.archive.integrity import StoredInstance, check_bytes
from pacs_desktop.core.dicom.geometry import (
    SliceHeader,
    frame_headers,
    number_of_frames,
    sort_slices,
)
from pacs_desktop.core.dicom.isolation import (
    DEFAULT_DECODE_TIMEOUT,
    ChildFunction,
    PartCallback,
    WorkerProcess,
)
from pacs_desktop.core.dicom.pipeline import FrameImage, decode_stored_frame
from pacs_desktop.core.dicom.reading import read_dataset, read_dataset_bytes
from pacs_desktop.core.dicom.series import FrameRef, SeriesFrames
from pacs_desktop.core.errors import DicomReadError, PacsDesktopError

logger = logging.getLogger(__name__)

# Progress of a series load: files finished so far and the number of files.
ProgressCallback = Callable[[int, int], None]

# Multi-frame archived files stay parsed after their check, so scrolling
# through one does not read and hash the whole file per frame. Two entries
# bound the memory held.
_VERIFIED_CACHE_SIZE = 2
_verified: OrderedDict[tuple[Path, str], Dataset] = OrderedDict()
_verified_lock = threading.Lock()


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


# An item that `read_and_decode_file` yields: ("headers", list[SliceHeader]) once,
# then ("frame", stored index, FrameImage | None, error reason) per frame.
FilePart = tuple[Any, ...]


@dataclass
class _FileResult:
    """The headers and decoded frames of one file, collected as they arrive."""

    path: Path
    headers: list[SliceHeader] = field(default_factory=list)
    images: dict[int, FrameImage | None] = field(default_factory=dict)
    error: str = ""
    frame_errors: list[tuple[int, str]] = field(default_factory=list)

    def add(self, part: object) -> None:
        """Take one item streamed by `read_and_decode_file`."""
        part = cast(FilePart, part)
        if part[0] == "headers":
            self.headers = list(part[1])
            return
        _, index, image, reason = part
        self.images[index] = image
        if reason:
            self.frame_errors.append((index, reason))

    def fail(self, exc: PacsDesktopError) -> None:
        """Record why the file stopped: unread, or frames left undecoded."""
        reason = getattr(exc, "reason", str(exc))
        if not self.headers:
            self.error = reason
            return
        for header in self.headers:
            if header.frame_index not in self.images:
                self.images[header.frame_index] = None
                self.frame_errors.append((header.frame_index, str(exc)))


def read_for_display(path: Path, stored: StoredInstance | None = None) -> Dataset:
    """Read a DICOM file, checking an archived file's SHA-256 first.

    With ``stored`` (the index row of an archived file), the whole file is
    read into memory once, those bytes are checked against
    ``stored.file_sha256`` and the same bytes are parsed, with the checks of
    `reading.read_dataset`. Without it, this is `reading.read_dataset`.

    Raises
    ------
    IntegrityError
        The file's bytes differ from the SHA-256 recorded when it was
        archived: it changed since, and must not be displayed.
    DicomReadError
        The file is missing or unreadable, is not DICOM, is truncated or
        corrupt, or exceeds a structural limit.
    """
    if stored is None:
        return read_dataset(path)
    key = (path, stored.file_sha256)
    with _verified_lock:
        cached = _verified.get(key)
        if cached is not None:
            _verified.move_to_end(key)
            return cached
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DicomReadError(
            path, "the stored file is missing; retrieve the instance again"
        ) from exc
    except OSError as exc:
        raise DicomReadError(path, f"cannot be read: {exc.strerror or exc}") from exc
    problem = check_bytes(stored, data)
    if problem is not None:
        raise problem
    ds = read_dataset_bytes(data, path)
    if number_of_frames(ds) > 1:
        with _verified_lock:
            _verified[key] = ds
            while len(_verified) > _VERIFIED_CACHE_SIZE:
                _verified.popitem(last=False)
    return ds


def read_and_decode_file(
    path: Path, stored: StoredInstance | None = None
) -> Iterator[FilePart]:
    """Read one file and decode each of its frames (runs in a worker process).

    Yields ``("headers", headers)`` once the file is read, then
    ``("frame", stored index, image or None, error reason)`` per frame, so
    the worker's time limit applies to each frame.

    Raises
    ------
    IntegrityError
        The archived file changed since it was stored (with ``stored``).
    DicomReadError
        The file cannot be read, or is not an image.
    """
    ds = read_for_display(path, stored)
    if ds.get("Rows") in (None, "") or ds.get("Columns") in (None, ""):
        raise DicomReadError(path, "not an image: Rows and Columns are missing")
    headers = frame_headers(ds, path)
    yield ("headers", headers)
    for header in headers:
        try:
            image: FrameImage | None = decode_stored_frame(ds, header.frame_index, path)
            reason = ""
        except PacsDesktopError as exc:
            image, reason = None, str(exc)
        yield ("frame", header.frame_index, image, reason)


def decode_frame_at(
    path: Path, frame_index: int, stored: StoredInstance | None = None
) -> FrameImage:
    """Read ``path`` and decode its frame at ``frame_index`` (stored order).

    With ``stored``, the file's bytes are checked against the SHA-256 in the
    archive index first (see `read_for_display`). Runs in a worker process or
    a worker thread; exceptions travel back to the caller.

    Raises
    ------
    IntegrityError
        The archived file changed since it was stored.
    DicomReadError
        The file cannot be read or lacks the frame.
    PixelDataError
        The pixel data are missing, truncated or cannot be decoded.
    UnsupportedTransferSyntaxError
        No installed decoder handles the file's transfer syntax.
    """
    return decode_stored_frame(read_for_display(path, stored), frame_index, path)


def default_workers() -> int:
    """Return the number of cores this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Task:
    function: ChildFunction
    args: tuple[object, ...]
    path: Path
    future: Future[Any]
    on_part: PartCallback | None = None


class SeriesDecoder:
    """A pool of worker processes that read and decode DICOM files.

    Each frame must decode within ``timeout`` seconds: a worker that takes
    longer is killed and replaced, and that frame fails with a
    `DecodeTimeoutError` naming the file and the limit. A worker that dies
    (a crash in a codec) is replaced the same way and its frame fails with a
    `PixelDataError`. Other frames go on in the other workers.

    Safe to call from several threads. Use it as a context manager, or call
    `close` when the application ends.

    Parameters
    ----------
    workers
        Number of worker processes; by default one per core.
    timeout
        Seconds one frame (with the read of its file) may take.
    initializer
        A function each worker process runs once when it starts; it must be
        importable by name in a new process.

    Raises
    ------
    ValueError
        If ``timeout`` is not positive.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout: float = DEFAULT_DECODE_TIMEOUT,
        initializer: Callable[[], None] | None = None,
    ) -> None:
        self.workers = workers or default_workers()
        self.timeout = timeout
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._processes = [
            WorkerProcess(timeout=timeout, initializer=initializer)
            for _ in range(self.workers)
        ]
        self._threads = [
            threading.Thread(
                target=self._serve,
                args=(process,),
                name=f"series-decoder-{number}",
                daemon=True,
            )
            for number, process in enumerate(self._processes)
        ]
        for thread in self._threads:
            thread.start()

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
        """Start every worker now, so the first series does not pay for it.

        Raises
        ------
        PixelDataError
            If a worker does not start.
        OSError
            If the operating system cannot start a process.
        """
        failures: list[Exception] = []

        def start(process: WorkerProcess) -> None:
            try:
                process.start()
            except Exception as exc:
                # Raised below in the caller's thread, after every start ended.
                failures.append(exc)

        # Started side by side: each start imports numpy, pydicom and the codecs.
        starts = [
            threading.Thread(target=start, args=(process,), daemon=True)
            for process in self._processes
        ]
        for thread in starts:
            thread.start()
        for thread in starts:
            thread.join()
        if failures:
            raise failures[0]

    def decode(
        self, path: Path, frame_index: int, stored: StoredInstance | None = None
    ) -> Future[FrameImage]:
        """Decode one frame (stored order) in a worker and return its future.

        With ``stored``, the file is checked against the archive index first.
        The future raises what `decode_frame_at` raises, or
        `DecodeTimeoutError` after the time limit.

        Raises
        ------
        RuntimeError
            If the decoder is closed.
        """
        future: Future[FrameImage] = Future()
        self._submit(_Task(decode_frame_at, (path, frame_index, stored), path, future))
        return future

    def decode_refs(self, refs: Sequence[FrameRef]) -> Iterator[FrameImage]:
        """Decode the frames of ``refs`` in the workers, yielding them in order.

        Raises
        ------
        DicomReadError, PixelDataError, UnsupportedTransferSyntaxError
            From the first frame that fails, when the iteration reaches it.
        """
        futures = [self.decode(ref.path, ref.frame_index) for ref in refs]
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
        stored: dict[Path, StoredInstance] | None = None,
    ) -> DecodedSeries:
        """Read, order and decode every frame of the files ``paths``.

        Files that cannot be read are skipped and listed in
        ``series.errors``; frames that fail to decode or time out are None
        in ``images``. With ``stored`` (index rows by path), each archived
        file is checked against its SHA-256 first, and a changed file is
        skipped. ``cancel`` stops the load between files: files not started
        are left out of the result.

        Raises
        ------
        RuntimeError
            If the decoder is closed.
        """
        results = [_FileResult(path) for path in paths]
        futures: list[Future[object]] = []
        for result in results:
            future: Future[object] = Future()
            row = stored.get(result.path) if stored is not None else None
            task = _Task(read_and_decode_file, (result.path, row), result.path, future)
            task.on_part = result.add
            self._submit(task)
            futures.append(future)
        finished: list[_FileResult] = []
        try:
            for done, (result, future) in enumerate(
                zip(results, futures, strict=True), start=1
            ):
                if cancel is not None and cancel.is_set():
                    break
                try:
                    future.result()
                except PacsDesktopError as exc:
                    result.fail(exc)
                finished.append(result)
                if progress is not None:
                    progress(done, len(futures))
        finally:
            for future in futures:
                future.cancel()
        return _assemble(finished, len(paths))

    def close(self) -> None:
        """Stop the workers; frames still queued are dropped.

        A frame still decoding fails with a `PixelDataError`.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task.future.cancel()
        for _ in self._threads:
            self._tasks.put(None)
        for process in self._processes:
            process.interrupt()
        for thread in self._threads:
            thread.join()

    def _submit(self, task: _Task) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the series decoder is closed")
            self._tasks.put(task)

    def _serve(self, process: WorkerProcess) -> None:
        """Feed ``process`` one task at a time (runs on a thread per worker)."""
        while True:
            task = self._tasks.get()
            if task is None:
                break
            if not task.future.set_running_or_notify_cancel():
                continue
            try:
                result = process.call(
                    task.function, task.args, path=task.path, on_part=task.on_part
                )
            except Exception as exc:
                # PacsDesktopError from the file, or a request that could not
                # be sent (an argument that does not pickle).
                task.future.set_exception(exc)
            else:
                task.future.set_result(result)
        process.close()


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
        for header in result.headers:
            images[(header.path, header.frame_index)] = result.images.get(
                header.frame_index
            )
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
