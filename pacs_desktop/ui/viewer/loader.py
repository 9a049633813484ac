"""Background loading of a series: headers, then frames decoded on demand.

Headers are read on a private `QThreadPool`. Compressed frames are decoded in
the application's worker processes (`decoding.ProcessDecoding`) once they
have started, other frames on the thread pool: a raw 512x512 frame decodes in
about 1.5 ms, less than a round trip to a process with its 1 MiB result.
Results come back to the GUI thread as queued signals. A generation counter
tags each piece of work, so results that belong to a series the user has
already left are dropped. Decoded frames stay in a cache bounded by bytes
(least recently used first out), and the frames around the requested one are
decoded ahead.

When a study is opened, the first image is decoded before every header of the
series is read: of the instances with the lowest and highest Instance Number,
the one that comes first along the slice normal is shown at once, and the
series order, read afterwards, confirms it or replaces it.

For an archived series, every frame decode checks the stored file's bytes
against the SHA-256 in the archive index (in the worker that reads them), so
a file that changed since it was archived fails with an `IntegrityError`
and its pixels are never decoded.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydicom.dataset import Dataset
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from pacs_desktop.core.archive.integrity import IntegrityError, StoredInstance
from pacs_desktop.core.dicom.geometry import SliceHeader, frame_headers, sort_slices
from pacs_desktop.core.dicom.parallel import SeriesDecoder, decode_frame_at
from pacs_desktop.core.dicom.pipeline import FrameImage
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.dicom.series import (
    FrameRef,
    SeriesFrames,
    decode_frame_ref,
    load_series,
)
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.refetch import RefetchOutcome, RefetchPlan
from pacs_desktop.ui.viewer.decoding import ProcessDecoding, shared_decoding
from pacs_desktop.ui.viewer.series_info import SeriesInfo, series_info_from_dataset

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive

logger = logging.getLogger(__name__)

# 512x512 float32 CT frames take 1 MiB each, so the default keeps about 256 of them.
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024
PREFETCH_RADIUS = 5

# Queues the re-fetch of the study of a damaged instance, by its SOP Instance
# UID, and is called on a worker thread. Returns the study's plan, or None when
# the instance is not marked for re-fetch.
RefetchRequest = Callable[[str], RefetchPlan | None]

# Queue priorities of QThreadPool: the frame on screen goes before its neighbours.
_PRIORITY_SERIES = 20
_PRIORITY_REQUESTED = 10
_PRIORITY_PREFETCH = 0


def frame_bytes(frame: FrameImage) -> int:
    """Return the memory a decoded frame occupies, in bytes."""
    return int(frame.modality.nbytes)


class FrameCache:
    """Decoded frames by display index, evicting the least recently used.

    The budget counts the bytes of the frames' pixel arrays. The most recent
    frame always stays, even when it alone exceeds the budget.
    """

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._frames: OrderedDict[int, FrameImage] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._frames)

    def __contains__(self, index: object) -> bool:
        return index in self._frames

    @property
    def size_bytes(self) -> int:
        """Bytes of all cached frames."""
        return self._bytes

    def get(self, index: int) -> FrameImage | None:
        """Return the frame at ``index`` and mark it most recently used."""
        frame = self._frames.get(index)
        if frame is not None:
            self._frames.move_to_end(index)
        return frame

    def put(self, index: int, frame: FrameImage) -> None:
        """Store ``frame`` at ``index``, evicting old frames beyond the budget."""
        old = self._frames.pop(index, None)
        if old is not None:
            self._bytes -= frame_bytes(old)
        self._frames[index] = frame
        self._bytes += frame_bytes(frame)
        while self._bytes > self.max_bytes and len(self._frames) > 1:
            _, evicted = self._frames.popitem(last=False)
            self._bytes -= frame_bytes(evicted)

    def clear(self) -> None:
        """Drop every frame."""
        self._frames.clear()
        self._bytes = 0


@dataclass(frozen=True)
class LoadedSeries:
    """A series with its frames in display order and its header texts.

    ``compressed`` tells whether the first frame's file has a compressed
    transfer syntax; the loader decodes such a series in worker processes.
    """

    frames: SeriesFrames
    info: SeriesInfo
    compressed: bool = False


def is_compressed(ds: Dataset) -> bool:
    """Return whether ``ds`` was read with a compressed transfer syntax."""
    meta = getattr(ds, "file_meta", None)
    syntax = getattr(meta, "TransferSyntaxUID", None) if meta is not None else None
    return bool(syntax is not None and syntax.is_compressed)


def read_loaded_series(paths: Sequence[Path]) -> LoadedSeries:
    """Read the headers of ``paths`` and the display texts of the first frame.

    Raises
    ------
    DicomReadError
        If the first frame's file cannot be read again.
    """
    frames = load_series(paths)
    info = SeriesInfo()
    compressed = False
    if frames.frames:
        first = read_dataset(frames.frames[0].path, stop_before_pixels=True)
        info = series_info_from_dataset(first)
        compressed = is_compressed(first)
    return LoadedSeries(frames=frames, info=info, compressed=compressed)


def first_frame_of(candidates: Sequence[Path]) -> tuple[FrameRef, bool]:
    """Return the frame of ``candidates`` that comes first in display order.

    Also returns whether its file is compressed. Only the candidates' headers
    are read, so this is the series' first frame whenever the series runs
    monotonically from one candidate to the other.

    Raises
    ------
    DicomReadError
        If a candidate cannot be read.
    """
    headers: list[SliceHeader] = []
    compressed: dict[Path, bool] = {}
    for path in dict.fromkeys(candidates):
        ds = read_dataset(path, stop_before_pixels=True)
        headers.extend(frame_headers(ds, path))
        compressed[path] = is_compressed(ds)
    first = sort_slices(headers).headers[0]
    return FrameRef(first.path, first.frame_index, first), compressed[first.path]


@dataclass(frozen=True)
class StoredRows:
    """The archive index rows of a series' files, by path, for the SHA-256 check.

    ``rows`` None means the files are not archived (loose files) and are read
    unchecked. With ``archive``, a file that fails its check is also
    audited under ``user`` and marked for re-fetch (see
    `Archive.verify_instance`), and with ``refetch`` the retrieve of its
    study is queued as well.
    """

    rows: Mapping[Path, StoredInstance] | None = None
    archive: Archive | None = None
    refetch: RefetchRequest | None = None
    user: str | None = None
    """The logged-in user who reads the series; None records the
    operating-system account."""

    def row(self, path: Path) -> StoredInstance | None:
        """Return the index row of ``path``; None for loose files.

        Raises
        ------
        IntegrityError
            If the series is archived but ``path`` is no longer in the index.
        """
        if self.rows is None:
            return None
        row = self.rows.get(path)
        if row is None:
            raise IntegrityError(
                path,
                "",
                "the file is no longer in the archive index, so it cannot be "
                "checked and is not shown; reopen the study",
            )
        return row

    def record_failure(self, exc: BaseException) -> FrameFailure:
        """Describe ``exc``; for a failed SHA-256 check, audit it and re-fetch.

        Runs on the worker thread that saw ``exc``. A changed stored file is
        audited and marked for re-fetch, then the retrieve of its study is
        queued through ``refetch``; the returned failure carries the plan.
        """
        failure = FrameFailure.of(exc)
        if self.archive is None or not isinstance(exc, IntegrityError):
            return failure
        if not exc.sop_instance_uid:
            return failure
        try:
            # Hashes the file again, then audits and marks it when it differs.
            self.archive.verify_instance(exc.sop_instance_uid, user=self.user)
        except IntegrityError:
            pass
        except PacsDesktopError as error:
            logger.error("marking a changed stored file for re-fetch failed: %s", error)
            return failure
        else:
            return failure
        if self.refetch is None:
            return failure
        try:
            plan = self.refetch(exc.sop_instance_uid)
        except PacsDesktopError as error:
            logger.error(
                "queueing the re-fetch of a changed stored file failed: %s", error
            )
            return FrameFailure(failure.reason, True, refetch_error=str(error))
        return FrameFailure(failure.reason, True, refetch=plan)


@dataclass(frozen=True)
class FrameFailure:
    """The reason a frame was not decoded; ``changed`` marks a failed SHA-256 check.

    For a changed stored file, ``refetch`` is the re-fetch of its study (None
    when none was requested), and ``refetch_error`` why queueing it failed.
    """

    reason: str
    changed: bool = False
    refetch: RefetchPlan | None = None
    refetch_error: str = ""

    @classmethod
    def of(cls, exc: BaseException) -> FrameFailure:
        """Describe ``exc``, raised by a decode, for the user."""
        if isinstance(exc, PacsDesktopError):
            return cls(str(exc), isinstance(exc, IntegrityError))
        return cls(f"the decoding process failed: {type(exc).__name__}: {exc}")


def decode_checked(ref: FrameRef, stored: StoredRows) -> FrameImage:
    """Decode the frame of ``ref`` in this thread, checking an archived file.

    Raises
    ------
    IntegrityError
        If the archived file changed since it was stored, or left the index.
    DicomReadError
        If the file cannot be read or lacks the frame (PixelDataError when
        its pixels cannot be decoded).
    """
    row = stored.row(ref.path)
    if row is None:
        return decode_frame_ref(ref)
    return decode_frame_at(ref.path, ref.frame_index, row)


class _LoaderState:
    """State shared with the workers: the current generation and the wanted frames."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._wanted: frozenset[int] = frozenset()

    def next_generation(self) -> int:
        with self._lock:
            self._generation += 1
            self._wanted = frozenset()
            return self._generation

    @property
    def generation(self) -> int:
        with self._lock:
            return self._generation

    def set_wanted(self, wanted: frozenset[int]) -> None:
        with self._lock:
            self._wanted = wanted

    def wants(self, generation: int, index: int) -> bool:
        with self._lock:
            return generation == self._generation and index in self._wanted


class _WorkerSignals(QObject):
    """Signals the worker tasks emit from their pool threads."""

    #: sig_series_loaded(int, object): generation, `LoadedSeries`.
    sig_series_loaded = Signal(int, object)
    #: sig_series_failed(int, str): generation, reason.
    sig_series_failed = Signal(int, str)
    #: sig_frame_decoded(int, int, object): generation, display index, `FrameImage`.
    sig_frame_decoded = Signal(int, int, object)
    #: sig_frame_failed(int, int, object): generation, display index,
    #: `FrameFailure`.
    sig_frame_failed = Signal(int, int, object)
    #: sig_frame_skipped(int, int): generation, display index no longer wanted.
    sig_frame_skipped = Signal(int, int)
    #: sig_first_frame(int, object, object): generation, `FrameRef`, `FrameImage`
    #: of the frame decoded before the series order is known.
    sig_first_frame = Signal(int, object, object)
    #: sig_first_frame_failed(int): generation; the series load goes on.
    sig_first_frame_failed = Signal(int)


class _SeriesTask(QRunnable):
    def __init__(
        self, generation: int, paths: Sequence[Path], signals: _WorkerSignals
    ) -> None:
        super().__init__()
        self._generation = generation
        self._paths = list(paths)
        self._signals = signals

    def run(self) -> None:
        try:
            loaded = read_loaded_series(self._paths)
        except PacsDesktopError as exc:
            self._signals.sig_series_failed.emit(self._generation, str(exc))
            return
        self._signals.sig_series_loaded.emit(self._generation, loaded)


class _DecodeTask(QRunnable):
    def __init__(
        self,
        generation: int,
        index: int,
        series: SeriesFrames,
        state: _LoaderState,
        signals: _WorkerSignals,
        *,
        stored: StoredRows,
    ) -> None:
        super().__init__()
        self._generation = generation
        self._index = index
        self._series = series
        self._state = state
        self._signals = signals
        self._stored = stored

    def run(self) -> None:
        # A frame the user scrolled away from before this task started is not
        # decoded at all.
        if not self._state.wants(self._generation, self._index):
            self._signals.sig_frame_skipped.emit(self._generation, self._index)
            return
        ref = self._series.frames[self._index]
        try:
            frame = decode_checked(ref, self._stored)
        except PacsDesktopError as exc:
            failure = self._stored.record_failure(exc)
            self._signals.sig_frame_failed.emit(self._generation, self._index, failure)
            return
        self._signals.sig_frame_decoded.emit(self._generation, self._index, frame)


class _FirstFrameTask(QRunnable):
    def __init__(
        self,
        generation: int,
        candidates: Sequence[Path],
        decoder: SeriesDecoder | None,
        signals: _WorkerSignals,
        *,
        stored: StoredRows,
    ) -> None:
        super().__init__()
        self._generation = generation
        self._candidates = list(candidates)
        self._decoder = decoder
        self._signals = signals
        self._stored = stored

    def run(self) -> None:
        try:
            ref, compressed = first_frame_of(self._candidates)
            if compressed and self._decoder is not None:
                row = self._stored.row(ref.path)
                future = self._decoder.decode(ref.path, ref.frame_index, row)
                # Waiting here releases the GIL, so the GUI stays responsive.
                frame = future.result()
            else:
                frame = decode_checked(ref, self._stored)
        except Exception as exc:
            # The series load that follows reports a broken file in full.
            logger.warning("decoding the first image ahead failed: %s", exc)
            self._signals.sig_first_frame_failed.emit(self._generation)
            return
        self._signals.sig_first_frame.emit(self._generation, ref, frame)


class _FailureTask(QRunnable):
    """Records a failed decode (audit, re-fetch) and reports it."""

    def __init__(
        self,
        generation: int,
        index: int,
        error: BaseException,
        signals: _WorkerSignals,
        stored: StoredRows,
    ) -> None:
        super().__init__()
        self._generation = generation
        self._index = index
        self._error = error
        self._signals = signals
        self._stored = stored

    def run(self) -> None:
        failure = self._stored.record_failure(self._error)
        self._signals.sig_frame_failed.emit(self._generation, self._index, failure)


def _report_process_decode(
    future: Future[FrameImage],
    generation: int,
    index: int,
    signals: _WorkerSignals,
    stored: StoredRows,
    *,
    pool: QThreadPool,
) -> None:
    """Emit the result of a process decode (runs on the decoder's thread).

    A future already done when its callback is added calls back on the GUI
    thread; a failure is then recorded on ``pool``, because recording it
    hashes the file again and writes to the database.
    """
    if future.cancelled():
        return
    error = future.exception()
    if error is None:
        signals.sig_frame_decoded.emit(generation, index, future.result())
        return
    task = _FailureTask(generation, index, error, signals, stored)
    if threading.current_thread() is threading.main_thread():
        pool.start(task, _PRIORITY_REQUESTED)
    else:
        task.run()


class FrameLoader(QObject):
    """Load one series at a time and decode its frames on worker threads.

    Call `load_series`, wait for `sig_series_loaded`, then `request` frames.
    A requested frame that is not cached arrives through `sig_frame_ready`.
    """

    #: sig_series_loaded(object): the `LoadedSeries` of the last `load_series`.
    sig_series_loaded = Signal(object)
    #: sig_series_failed(str): why the series could not be read.
    sig_series_failed = Signal(str)
    #: sig_frame_ready(int, object): display index and decoded `FrameImage`.
    sig_frame_ready = Signal(int, object)
    #: sig_frame_failed(int, str): display index and why it could not be decoded.
    sig_frame_failed = Signal(int, str)
    #: sig_preview_ready(object): the `FrameImage` of the image that is most
    #: likely the series' first, decoded before the series order is known.
    sig_preview_ready = Signal(object)
    #: sig_refetch_queued(object): the `RefetchPlan` of a retrieve just queued
    #: because a stored file of the series failed its SHA-256 check.
    sig_refetch_queued = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        prefetch_radius: int = PREFETCH_RADIUS,
        decoding: ProcessDecoding | None = None,
        archive: Archive | None = None,
        user: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.prefetch_radius = prefetch_radius
        # Audits stored files that fail their SHA-256 check, under ``user``.
        self._archive = archive
        self._user = user
        self._refetch: RefetchRequest | None = None
        # None: the application's shared processes, when it has started them.
        self._decoding = decoding
        self.cache = FrameCache(cache_bytes)
        self._pool = QThreadPool(self)
        # One core stays free for the GUI thread; pydicom's parsing and some
        # decoders hold the GIL, so more threads would not decode faster.
        self._pool.setMaxThreadCount(
            max(1, QThreadPool.globalInstance().maxThreadCount() - 1)
        )
        self._state = _LoaderState()
        # No parent: the pool threads keep a reference while they emit.
        self._signals = _WorkerSignals()
        # Queued even when a process result is reported on the GUI thread
        # itself (a future already done), so handlers never run inside
        # `request`.
        queued = Qt.ConnectionType.QueuedConnection
        signals = self._signals
        signals.sig_series_loaded.connect(self._on_series_loaded, queued)
        signals.sig_series_failed.connect(self._on_series_failed, queued)
        signals.sig_frame_decoded.connect(self._on_frame_decoded, queued)
        signals.sig_frame_failed.connect(self._on_frame_failed, queued)
        signals.sig_frame_skipped.connect(self._on_frame_skipped, queued)
        signals.sig_first_frame.connect(self._on_first_frame, queued)
        signals.sig_first_frame_failed.connect(self._on_first_frame_failed, queued)
        self._series: SeriesFrames | None = None
        self._stored = StoredRows()
        self._compressed = False
        self._in_flight: set[int] = set()
        self._futures: dict[int, Future[FrameImage]] = {}
        self._failed: dict[int, str] = {}
        self._requested: int | None = None
        self._preview: tuple[FrameRef, FrameImage] | None = None
        self._pending_paths: list[Path] | None = None
        #: Frames decoded in worker processes since this loader was made.
        self.process_decodes = 0

    @property
    def series(self) -> SeriesFrames | None:
        """The loaded series, or None before `sig_series_loaded`."""
        return self._series

    @property
    def pending_decodes(self) -> int:
        """Number of decodes queued or running for the current series."""
        return len(self._in_flight)

    def process_futures(self) -> list[Future[FrameImage]]:
        """Return the decodes of the current series sent to worker processes."""
        return list(self._futures.values())

    @property
    def generation(self) -> int:
        """The counter that tags the work of the current series."""
        return self._state.generation

    def process_decoder(self) -> SeriesDecoder | None:
        """Return the worker processes' decoder, or None until they run."""
        decoding = self._decoding if self._decoding is not None else shared_decoding()
        return decoding.decoder() if decoding is not None else None

    def set_refetch(self, refetch: RefetchRequest | None) -> None:
        """Queue the re-fetch of each damaged stored file through ``refetch``.

        Applies to the series loaded from now on. ``refetch`` is called on
        worker threads; `sig_refetch_queued` reports each retrieve it queued.
        """
        self._refetch = refetch

    def load_series(
        self,
        paths: Sequence[Path],
        *,
        first_candidates: Sequence[Path] = (),
        stored: Mapping[Path, StoredInstance] | None = None,
    ) -> None:
        """Drop the current series and read the headers of ``paths`` in the pool.

        With ``first_candidates`` (the files of the lowest and highest
        Instance Number), the one that comes first along the slice normal is
        decoded first and announced through `sig_preview_ready`; the headers
        of the series are read after it.

        ``stored`` maps each archived file to its index row: every frame of
        it is then decoded only after the file's bytes match the SHA-256
        recorded at import, and a file missing from it fails. None means
        loose files, read unchecked.
        """
        # NOTE: the headers that order the series and fill the overlays are
        # read without the SHA-256 check. Only pixels are guarded, because
        # reading a header does not read the whole file.
        generation = self.cancel()
        self._stored = StoredRows(stored, self._archive, self._refetch, self._user)
        if not first_candidates:
            self._start_series_task(generation, paths)
            return
        self._pending_paths = list(paths)
        task = _FirstFrameTask(
            generation,
            first_candidates,
            self.process_decoder(),
            self._signals,
            stored=self._stored,
        )
        self._pool.start(task, _PRIORITY_SERIES)

    def _start_series_task(self, generation: int, paths: Sequence[Path]) -> None:
        self._pending_paths = None
        self._pool.start(
            _SeriesTask(generation, paths, self._signals), _PRIORITY_SERIES
        )

    def cancel(self) -> int:
        """Forget the current series, its cache and its queued work.

        Returns the new generation. Tasks already running finish, but their
        results are dropped.
        """
        self._pool.clear()
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        generation = self._state.next_generation()
        self._series = None
        self._stored = StoredRows()
        self._compressed = False
        self._in_flight.clear()
        self._failed.clear()
        self._requested = None
        self._preview = None
        self._pending_paths = None
        self.cache.clear()
        return generation

    def shutdown(self) -> None:
        """Cancel everything and wait for the running tasks to end.

        Decodes already running in worker processes finish there and are
        dropped; the processes belong to their `ProcessDecoding`.
        """
        self.cancel()
        self._pool.waitForDone()

    def request(self, index: int) -> FrameImage | None:
        """Return frame ``index`` if cached, and decode it and its neighbours.

        An uncached frame is emitted through `sig_frame_ready` once decoded,
        unless another frame was requested meanwhile. A frame that failed to
        decode is reported through `sig_frame_failed` instead.
        """
        series = self._series
        if series is None or not 0 <= index < len(series.frames):
            return None
        self._requested = index
        wanted = self._neighbourhood(index, len(series.frames))
        self._state.set_wanted(frozenset(wanted))
        self._cancel_unwanted(frozenset(wanted))
        if index in self._failed:
            self.sig_frame_failed.emit(index, self._failed[index])
        for position, wanted_index in enumerate(wanted):
            busy = wanted_index in self._in_flight or wanted_index in self._failed
            if busy or wanted_index in self.cache:
                continue
            priority = _PRIORITY_REQUESTED if position == 0 else _PRIORITY_PREFETCH
            self._start_decode(series, wanted_index, priority)
        return self.cache.get(index)

    def _neighbourhood(self, index: int, count: int) -> list[int]:
        # Nearest first, so the pool starts with the frames the user reaches next.
        order = [index]
        for distance in range(1, self.prefetch_radius + 1):
            for neighbour in (index + distance, index - distance):
                if 0 <= neighbour < count:
                    order.append(neighbour)
        return order

    def _cancel_unwanted(self, wanted: frozenset[int]) -> None:
        # Queued process decodes of frames the user scrolled away from; those
        # already running finish and stay in the cache.
        for index in [index for index in self._futures if index not in wanted]:
            if self._futures[index].cancel():
                del self._futures[index]
                self._in_flight.discard(index)

    def _start_decode(self, series: SeriesFrames, index: int, priority: int) -> None:
        decoder = self.process_decoder() if self._compressed else None
        self._in_flight.add(index)
        if decoder is not None:
            self._start_process_decode(decoder, series.frames[index], index)
            return
        task = _DecodeTask(
            self._state.generation,
            index,
            series,
            self._state,
            self._signals,
            stored=self._stored,
        )
        self._pool.start(task, priority)

    def _start_process_decode(
        self, decoder: SeriesDecoder, ref: FrameRef, index: int
    ) -> None:
        generation = self._state.generation
        signals = self._signals
        stored = self._stored
        try:
            future = decoder.decode(
                ref.path, ref.frame_index, self._stored.row(ref.path)
            )
        except (RuntimeError, IntegrityError) as exc:
            # The pool was shut down (application exit), or the file left
            # the archive index.
            signals.sig_frame_failed.emit(generation, index, FrameFailure.of(exc))
            return
        self._futures[index] = future
        pool = self._pool
        future.add_done_callback(
            lambda done: _report_process_decode(
                done, generation, index, signals, stored, pool=pool
            )
        )

    def _on_first_frame(
        self, generation: int, ref: FrameRef, frame: FrameImage
    ) -> None:
        if generation != self._state.generation:
            return
        self._preview = (ref, frame)
        self.sig_preview_ready.emit(frame)
        self._continue_series(generation)

    def _on_first_frame_failed(self, generation: int) -> None:
        if generation == self._state.generation:
            self._continue_series(generation)

    def _continue_series(self, generation: int) -> None:
        paths = self._pending_paths
        if paths is not None:
            self._start_series_task(generation, paths)

    def _on_series_loaded(self, generation: int, loaded: LoadedSeries) -> None:
        if generation != self._state.generation:
            return
        self._series = loaded.frames
        self._compressed = loaded.compressed
        preview, self._preview = self._preview, None
        if preview is not None and loaded.frames.frames:
            first = loaded.frames.frames[0]
            ref, frame = preview
            if (first.path, first.frame_index) == (ref.path, ref.frame_index):
                self.cache.put(0, frame)
        self.sig_series_loaded.emit(loaded)

    def _on_series_failed(self, generation: int, reason: str) -> None:
        if generation != self._state.generation:
            return
        logger.warning("reading a series failed: %s", reason)
        self.sig_series_failed.emit(reason)

    def _on_frame_decoded(self, generation: int, index: int, frame: FrameImage) -> None:
        if generation != self._state.generation:
            return
        if self._futures.pop(index, None) is not None:
            self.process_decodes += 1
        self._in_flight.discard(index)
        self.cache.put(index, frame)
        if index == self._requested:
            self.sig_frame_ready.emit(index, frame)

    def _on_frame_failed(
        self, generation: int, index: int, failure: FrameFailure
    ) -> None:
        if generation != self._state.generation:
            return
        self._futures.pop(index, None)
        self._in_flight.discard(index)
        reason = failure.reason
        note = self._refetch_note(failure)
        if note:
            reason = f"{reason} {note}"
        self._failed[index] = reason
        plan = failure.refetch
        if plan is not None and plan.outcome == RefetchOutcome.QUEUED:
            self.sig_refetch_queued.emit(plan)
        if failure.changed:
            # The reason names the stored file by its path, which the archive
            # derives from UIDs only, never from patient data.
            logger.error(
                "frame %d of a series not shown, its stored file failed the "
                "SHA-256 check: %s",
                index,
                failure.reason,
            )
        else:
            logger.warning(
                "decoding frame %d of a series failed: %s", index, failure.reason
            )
        if index == self._requested:
            self.sig_frame_failed.emit(index, reason)

    def _refetch_note(self, failure: FrameFailure) -> str:
        """Return the sentence that tells how the damaged file is re-fetched."""
        if failure.refetch_error:
            return self.tr(
                "A new copy cannot be retrieved automatically: {reason}"
            ).format(reason=failure.refetch_error)
        plan = failure.refetch
        if plan is None:
            return ""
        if plan.queued:
            return self.tr("A new copy is being retrieved from {node}.").format(
                node=plan.node_name
            )
        if plan.outcome == RefetchOutcome.IMPORTED_FROM_FILES:
            return self.tr(
                "It cannot be retrieved again because it was imported from "
                "files; import it again from its source."
            )
        return self.tr(
            "It cannot be retrieved again because no PACS node with AE title "
            "{ae_title} is configured; add that node, then reopen the study."
        ).format(ae_title=plan.source_node)

    def _on_frame_skipped(self, generation: int, index: int) -> None:
        if generation != self._state.generation:
            return
        self._in_flight.discard(index)
        # The user may have come back to this frame after the task gave it up.
        series = self._series
        if series is not None and self._state.wants(generation, index):
            requested = index == self._requested
            priority = _PRIORITY_REQUESTED if requested else _PRIORITY_PREFETCH
            self._start_decode(series, index, priority)
