"""The application's pool of decoding processes, started off the GUI thread.

pylibjpeg-openjpeg 2.6 holds the GIL while it decodes a JPEG 2000 frame
(about 20 ms for a 512x512 CT slice), so decoding in threads of the GUI
process stalls the GUI and uses one core. The viewer's loader sends
compressed frames to a `SeriesDecoder` (worker processes) instead, once its
workers have started; starting them costs about 0.3 s, so the application
starts them after login, on a thread of their own. Each frame must decode
within the decoder's time limit; a worker stuck on a hostile file is killed
and replaced, and that image shows an error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from pacs_desktop.core.dicom.isolation import DEFAULT_DECODE_TIMEOUT
from pacs_desktop.core.dicom.parallel import SeriesDecoder

logger = logging.getLogger(__name__)


class ProcessDecoding:
    """A `SeriesDecoder` whose workers start on a background thread.

    `decoder` returns None until every worker has started, so callers decode
    in threads meanwhile instead of waiting for the processes. ``timeout``
    (seconds per frame) and ``initializer`` go to the `SeriesDecoder`.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout: float = DEFAULT_DECODE_TIMEOUT,
        initializer: Callable[[], None] | None = None,
    ) -> None:
        self._workers = workers
        self._timeout = timeout
        self._initializer = initializer
        self._decoder: SeriesDecoder | None = None
        self._ready = threading.Event()
        self._closed = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker processes on a background thread; return at once."""
        with self._lock:
            if self._thread is not None or self._closed:
                return
            self._decoder = SeriesDecoder(
                self._workers, timeout=self._timeout, initializer=self._initializer
            )
            self._thread = threading.Thread(
                target=self._warm_up, name="decoder-warm-up", daemon=True
            )
            self._thread.start()

    def _warm_up(self) -> None:
        decoder = self._decoder
        assert decoder is not None
        try:
            decoder.warm_up()
        except Exception as exc:
            # The viewer keeps decoding in threads; nothing is lost but speed.
            logger.error("starting the decoding processes failed: %s", exc)
            return
        self._ready.set()
        logger.info("%d decoding processes started", decoder.workers)

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until the workers have started; return whether they have."""
        return self._ready.wait(timeout)

    def decoder(self) -> SeriesDecoder | None:
        """Return the decoder once its workers have started, else None."""
        if self._ready.is_set() and not self._closed:
            return self._decoder
        return None

    def close(self) -> None:
        """Stop the worker processes and wait for them to exit."""
        with self._lock:
            self._closed = True
            thread, decoder = self._thread, self._decoder
            self._thread = None
            self._decoder = None
        if thread is not None:
            thread.join()
        if decoder is not None:
            decoder.close()


class _Shared:
    """The application's one `ProcessDecoding`, or None before it starts."""

    decoding: ProcessDecoding | None = None


def start_shared_decoding(workers: int | None = None) -> ProcessDecoding:
    """Start the application's decoding processes, once; return them."""
    if _Shared.decoding is None:
        _Shared.decoding = ProcessDecoding(workers)
        _Shared.decoding.start()
    return _Shared.decoding


def shared_decoding() -> ProcessDecoding | None:
    """Return the application's decoding processes, or None when not started."""
    return _Shared.decoding


def close_shared_decoding() -> None:
    """Stop the application's decoding processes (at exit)."""
    decoding, _Shared.decoding = _Shared.decoding, None
    if decoding is not None:
        decoding.close()
