"""Decoding in a child process with a time limit.

A decoder fed a hostile or corrupt stream can loop or stall inside C code,
where no Python timeout reaches it. A `DecodeWorker` runs the read and the
decode in a child process and kills it when one request takes longer than its
time limit, so one bad file costs a rejection, never a hang. The child is
started once and reused until it is killed.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType

from pacs_desktop.core.dicom.pipeline import FrameImage, decode_frame
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.errors import DicomReadError, PixelDataError

logger = logging.getLogger(__name__)

# Seconds one read and decode may take. A 1024 x 1024 JPEG 2000 frame decodes
# in about 0.1 s on one core of a 2-core machine, so 10 s leaves a wide margin
# for large frames on slow machines.
DEFAULT_DECODE_TIMEOUT = 10.0
# Seconds a new child may take to import numpy, pydicom and the decoders.
STARTUP_TIMEOUT = 60.0

FrameDecoder = Callable[[Path, int], FrameImage]


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


class DecodeWorker:
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
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_DECODE_TIMEOUT,
        decoder: FrameDecoder = _read_and_decode,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"the decoding time limit must be positive, got {timeout}")
        self.timeout = timeout
        self._decoder = decoder
        # A new interpreter rather than a fork: the caller may run threads
        # (a GUI, thread pools), and a fork copies their locks mid-use.
        self._context = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> DecodeWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

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
        conn = self._ready_connection(path)
        conn.send((str(path), frame_index))
        started = time.monotonic()
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
                "data may be corrupt",
            ) from exc
        if status == "error":
            assert isinstance(payload, DicomReadError)
            raise payload
        assert isinstance(payload, FrameImage)
        return payload

    def close(self) -> None:
        """Stop the child process, if one runs."""
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

    def _ready_connection(self, path: Path) -> Connection:
        if self._conn is not None and self._process is not None:
            if self._process.is_alive():
                return self._conn
            self._kill()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self._decoder), daemon=True
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


def _serve(conn: Connection, decoder: FrameDecoder) -> None:
    """Run in the child: answer requests until told to stop."""
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        text, frame_index = request
        path = Path(text)
        try:
            conn.send(("ok", decoder(path, frame_index)))
        except DicomReadError as exc:
            conn.send(("error", exc))
        except Exception as exc:
            # Decoder plugins raise assorted types on corrupt data; the parent
            # receives one error type that names the file.
            reason = f"decoding failed: {type(exc).__name__}: {exc}"
            conn.send(("error", PixelDataError(path, reason)))
