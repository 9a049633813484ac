"""Series thumbnails rendered through the core display pipeline.

`render_series_thumbnail` runs in a worker thread: it reads and decodes one
image, which must never happen on the GUI thread. QImage (unlike QPixmap) may
be built and scaled outside the GUI thread. The stored file is checked
against the SHA-256 in the archive index before its pixels are decoded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from pacs_desktop.core.archive.integrity import IntegrityError, stored_instance
from pacs_desktop.core.dicom.parallel import read_for_display
from pacs_desktop.core.dicom.pipeline import render

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive

THUMBNAIL_SIZE = 96


def qimage_from_display(pixels: np.ndarray) -> QImage:
    """Copy 8-bit display values (HxW grey or HxWx3 RGB) into a QImage."""
    array = np.ascontiguousarray(pixels, dtype=np.uint8)
    height, width = array.shape[:2]
    if array.ndim == 2:
        image = QImage(
            array.data, width, height, array.strides[0], QImage.Format.Format_Grayscale8
        )
    else:
        image = QImage(
            array.data, width, height, array.strides[0], QImage.Format.Format_RGB888
        )
    # The QImage only borrows the numpy buffer; copy() gives it its own.
    return image.copy()


def render_series_thumbnail(
    archive: Archive, series_uid: str, size: int = THUMBNAIL_SIZE
) -> QImage | None:
    """Render the middle image of a series, scaled to fit ``size`` pixels.

    Returns None when the series has no instance.

    Raises
    ------
    IntegrityError
        If the chosen file changed since it was archived, or left the index.
    DicomReadError
        If the chosen file cannot be read or decoded (PixelDataError included).
    """
    instances = archive.instances_for_series(series_uid)
    if not instances:
        return None
    instance = instances[len(instances) // 2]
    stored = stored_instance(
        archive.database.connection(), archive.store, instance.SOPInstanceUID
    )
    if stored is None:
        raise IntegrityError(
            instance.path,
            instance.SOPInstanceUID,
            "the instance is no longer in the archive index; reopen the study",
        )
    dataset = read_for_display(stored.path, stored)
    frames = max(1, int(instance.NumberOfFrames or 1))
    pixels = render(dataset, frame_number=(frames + 1) // 2, path=instance.path)
    image = qimage_from_display(pixels)
    return image.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
