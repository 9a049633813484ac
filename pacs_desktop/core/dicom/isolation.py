"""Decoding in a child process with a time limit.

A decoder fed a hostile or corrupt stream can loop or stall inside C code,
where no Python timeout reaches it, or crash the process outright. A
`WorkerProcess` runs calls in a child process and kills it when one call
(or one part of a streamed call) takes longer than its time limit, so one bad
file costs a rejection, never a hang; a child that dies is replaced on the
next call. `DecodeWorker` is one such child that reads and decodes frames,
and `parallel.SeriesDecoder` keeps several of them.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType

from pacs_desktop.core.dicom.pipeline import FrameImage, decode_frame
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.errors import PacsDesktopError, PixelDataError

logger = logging.getLogger(__name__)

# Seconds one read and decode may take. A 1024 x 1024 JPEG 2000 frame decodes
# in about 0.1 s on one core of a 2-core machine, so 10 s leaves a wide margin
# for large frames on slow machines.
DEFAULT_DECODE_TIMEOUT = 10.0
# Seconds a new child may take to import numpy, pydicom and the decoders.
STARTUP_TIMEOUT = 60.0

FrameDecoder = Callable[[Path, int], FrameImage]
# A function run in the child; it must be importable by name in a new process.
ChildFunction = Callable[..., object]
# Receives each item a streamed call yields, in the parent.
PartCallback = Callable[[object], None]


class DecodeTimeoutError(PixelDataError):
    """Decoding a file took longer than the time limit; the worker was killed."""


def decode_isolated(
    path: Path, frame_index: int, *, timeout: float = DEFAULT_DECODE_TIMEOUT
) -> FrameImage:
    """Read ``path`` and decode one frame in a new child process within ``timeout``.

    ``frame_index`` counts from 0 in display order, as in
    `pipeline.decode_frame`. For many files, keep one `DecodeWorker` instead:
    starting the child costs about half a second.

    Raises
    ------
    DecodeTimeoutError
        Reading and decoding took longer than ``timeout`` seconds.
    DicomReadError
        The file is not readable as DICOM or lacks the frame.
    PixelDataError
        The pixel data cannot be decoded, or the child process died.
    """
    with DecodeWorker(timeout=timeout) as worker:
        return worker.decode(path, frame_index)


def _read_and_decode(path: Path, frame_index: int) -> FrameImage:
    return decode_frame(read_dataset(path), frame_index, path)


class WorkerProcess:
    """A child process that runs calls within a time limit.

    A call returns what the function returns in the child. A function that
    returns a generator streams its items back one by one: each item goes to
    ``on_part`` and restarts the time limit, so the limit applies to each
    item (each frame of a file), not to the whole call.

    Calls are serialised; `interrupt` may be called from any thread.

    Parameters
    ----------
    timeout
        Seconds one call, or one streamed item, may take before the child is
        killed.
    initializer
        A function the child runs once after it starts, before its first
        call; it must be importable by name in a new process. Tests use it
        to install a deliberately slow or crashing decoder in the child.

    Raises
    ------
    ValueError
        If ``timeout`` is not positive.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_DECODE_TIMEOUT,
        initializer: Callable[[], None] | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"the decoding time limit must be positive, got {timeout}")
        self.timeout = timeout
        self._initializer = initializer
        # A new interpreter rather than a fork: the caller may run threads
        # (a GUI, thread pools), and a fork copies their locks mid-use.
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.RLock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> WorkerProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self, path: Path | None = None) -> None:
        """Start the child now unless it runs; ``path`` names the file waiting.

        Raises
        ------
        PixelDataError
            If the child does not start within `STARTUP_TIMEOUT`.
        """
        with self._lock:
            self._ready_connection(path)

    def call(
        self,
        function: ChildFunction,
        args: tuple[object, ...],
        *,
        path: Path,
        on_part: PartCallback | None = None,
    ) -> object:
        """Run ``function(*args)`` in the child about the file ``path``.

        Raises
        ------
        DecodeTimeoutError
            The call, or one streamed item, took longer than ``timeout``; the
            child was killed and the next call starts a new one.
        PacsDesktopError
            What the function raised in the child (DicomReadError,
            PixelDataError, IntegrityError ...); other exceptions arrive as
            PixelDataError naming ``path``.
        PixelDataError
            The child process died (a crash in a decoder) or did not start.
        """
        with self._lock:
            conn = self._ready_connection(path)
            conn.send((function, args, str(path)))
            started = time.monotonic()
            while True:
                status, payload = self._receive(conn, path, started)
                if status == "part":
                    if on_part is not None:
                        on_part(payload)
                    continue
                if status == "error":
                    assert isinstance(payload, PacsDesktopError)
                    raise payload
                return payload

    def interrupt(self) -> None:
        """Kill the child at once, from any thread; a running call fails."""
        process = self._process
        if process is not None:
            process.kill()

    def close(self) -> None:
        """Stop the child process, if one runs."""
        with self._lock:
            conn, process = self._conn, self._process
            self._conn = self._process = None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.send(None)
            conn.close()
        if process is not None:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()

    def _receive(
        self, conn: Connection, path: Path, started: float
    ) -> tuple[str, object]:
        if not conn.poll(self.timeout):
            self._kill()
            raise DecodeTimeoutError(
                path,
                f"decoding timed out after {self.timeout:g} s; the file's pixel "
                "data may be corrupt or hostile. The file was not displayed",
            )
        try:
            status, payload = conn.recv()
        except (EOFError, OSError) as exc:
            code = self._kill()
            raise PixelDataError(
                path,
                f"the decoding process ended unexpectedly (exit code {code}) "
                f"after {time.monotonic() - started:.1f} s; the file's pixel "
                "data may be corrupt. The file was not displayed",
            ) from exc
        return str(status), payload

    def _ready_connection(self, path: Path | None) -> Connection:
        if self._conn is not None and self._process is not None:
            if self._process.is_alive():
                return self._conn
            self._kill()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self._initializer), daemon=True
        )
        process.start()
        child.close()
        self._conn, self._process = parent, process
        if not parent.poll(STARTUP_TIMEOUT):
            self._kill()
            raise PixelDataError(
                path,
                f"the decoding process did not start within {STARTUP_TIMEOUT:g} s",
            )
        try:
            parent.recv()
        except (EOFError, OSError) as exc:
            code = self._kill()
            raise PixelDataError(
                path, f"the decoding process failed to start (exit code {code})"
            ) from exc
        return parent

    def _kill(self) -> int | None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        process.kill()
        process.join()
        return process.exitcode


class DecodeWorker(WorkerProcess):
    """A child process that reads and decodes frames within a time limit.

    Parameters
    ----------
    timeout
        Seconds one request may take before the child is killed.
    decoder
        The function the child runs for each request, ``(path, frame_index)
        -> FrameImage``; it must be importable by name in a new process. The
        default reads the file and decodes with `pipeline.decode_frame`;
        tests pass a deliberately slow one.
    initializer
        As for `WorkerProcess`.

    Raises
    ------
    ValueError
        If ``timeout`` is not positive.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_DECODE_TIMEOUT,
        decoder: FrameDecoder = _read_and_decode,
        initializer: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(timeout=timeout, initializer=initializer)
        self._decoder = decoder

    def __enter__(self) -> DecodeWorker:
        return self

    def decode(self, path: Path, frame_index: int) -> FrameImage:
        """Decode the frame at ``frame_index`` (from 0, display order) of ``path``.

        Raises
        ------
        DecodeTimeoutError
            The request took longer than ``timeout``; the child was killed and
            the next request starts a new one.
        DicomReadError
            The file is not readable as DICOM or lacks the frame.
        PixelDataError
            The pixel data cannot be decoded, or the child process died.
        """
        frame = self.call(self._decoder, (path, frame_index), path=path)
        assert isinstance(frame, FrameImage)
        return frame


def _serve(conn: Connection, initializer: Callable[[], None] | None) -> None:
    """Run in the child: answer requests until told to stop."""
    if initializer is not None:
        initializer()
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        function, args, text = request
        try:
            result = function(*args)
            if inspect.isgenerator(result):
                for part in result:
                    conn.send(("part", part))
                result = None
            conn.send(("ok", result))
        except PacsDesktopError as exc:
            conn.send(("error", exc))
        except Exception as exc:
            # Decoder plugins raise assorted types on corrupt data; the parent
            # receives one error type that names the file.
            reason = f"decoding failed: {type(exc).__name__}: {exc}"
            conn.send(("error", PixelDataError(Path(text), reason)))
