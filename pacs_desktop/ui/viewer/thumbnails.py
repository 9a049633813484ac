"""Series thumbnails, decoded on a worker thread with the core display pipeline.

An archived file is checked against the SHA-256 in the archive index before
its pixels are decoded; a changed file gets no thumbnail.
"""

from __future__ import annotations

import logging
import math
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from pacs_desktop.core.archive.integrity import IntegrityError, StoredInstance
from pacs_desktop.core.dicom.geometry import number_of_frames
from pacs_desktop.core.dicom.parallel import read_for_display
from pacs_desktop.core.dicom.pipeline import decode_frame, to_display
from pacs_desktop.core.errors import PacsDesktopError

logger = logging.getLogger(__name__)

THUMBNAIL_PIXELS = 128


def thumbnail_display(
    path: Path,
    max_size: int = THUMBNAIL_PIXELS,
    stored: StoredInstance | None = None,
) -> np.ndarray:
    """Return the middle frame of file ``path`` as display values for an icon.

    The file's own window applies. Images larger than ``max_size`` pixels are
    reduced by keeping every n-th row and column. With ``stored`` (the index
    row of an archived file), the file's bytes are checked against its
    SHA-256 first.

    Raises
    ------
    IntegrityError
        If the archived file changed since it was stored.
    DicomReadError
        If the file cannot be read or its frame cannot be decoded.
    """
    ds = read_for_display(path, stored)
    frame = decode_frame(ds, number_of_frames(ds) // 2, path)
    display = to_display(frame)
    step = max(1, math.ceil(max(display.shape[0], display.shape[1]) / max_size))
    return np.ascontiguousarray(display[::step, ::step])


class _ThumbnailSignals(QObject):
    #: sig_ready(int, str, object): generation, series key, uint8 display image.
    sig_ready = Signal(int, str, object)


class _ThumbnailTask(QRunnable):
    def __init__(
        self,
        generation: int,
        key: str,
        path: Path,
        current: _Generation,
        signals: _ThumbnailSignals,
        *,
        stored: StoredInstance | None,
    ) -> None:
        super().__init__()
        self._generation = generation
        self._key = key
        self._path = path
        self._stored = stored
        self._current = current
        self._signals = signals

    def run(self) -> None:
        if self._current.value != self._generation:
            return
        try:
            display = thumbnail_display(self._path, stored=self._stored)
        except IntegrityError as exc:
            logger.error("no thumbnail for a series: %s", exc)
            return
        except PacsDesktopError as exc:
            # The series still opens; only its icon is missing.
            logger.warning("no thumbnail for a series: %s", exc)
            return
        self._signals.sig_ready.emit(self._generation, self._key, display)


class _Generation:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = 0

    @property
    def value(self) -> int:
        with self._lock:
            return self._value

    def advance(self) -> int:
        with self._lock:
            self._value += 1
            return self._value


class ThumbnailLoader(QObject):
    """Decode one image per series for the series list, one at a time."""

    #: sig_thumbnail_ready(str, object): series key and uint8 display image.
    sig_thumbnail_ready = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        # One thread: thumbnails are not urgent, and more threads would take
        # the GIL from the decoding of the open series.
        self._pool.setMaxThreadCount(1)
        self._generation = _Generation()
        self._signals = _ThumbnailSignals()
        self._signals.sig_ready.connect(self._on_ready)

    def request(
        self, key: str, path: Path, stored: StoredInstance | None = None
    ) -> None:
        """Queue the thumbnail of series ``key`` from the file ``path``.

        ``stored`` is the file's index row when it is archived: the file is
        then checked against its SHA-256 before it is decoded.
        """
        task = _ThumbnailTask(
            self._generation.value,
            key,
            path,
            self._generation,
            self._signals,
            stored=stored,
        )
        self._pool.start(task)

    def cancel(self) -> None:
        """Drop queued thumbnails and ignore those still being decoded."""
        self._pool.clear()
        self._generation.advance()

    def shutdown(self) -> None:
        """Cancel everything and wait for the running task to end."""
        self.cancel()
        self._pool.waitForDone()

    def _on_ready(self, generation: int, key: str, display: np.ndarray) -> None:
        if generation == self._generation.value:
            self.sig_thumbnail_ready.emit(key, display)
