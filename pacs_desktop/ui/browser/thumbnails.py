"""Series thumbnails rendered through the core display pipeline.

`render_series_thumbnail` runs in a worker thread: it reads and decodes one
image, which must never happen on the GUI thread. QImage (unlike QPixmap) may
be built and scaled outside the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from pacs_desktop.core.dicom.pipeline import render
from pacs_desktop.core.dicom.reading import read_dataset

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
    DicomReadError
        If the chosen file cannot be read or decoded (PixelDataError included).
    """
    instances = archive.instances_for_series(series_uid)
    if not instances:
        return None
    instance = instances[len(instances) // 2]
    dataset = read_dataset(instance.path)
    frames = max(1, int(instance.NumberOfFrames or 1))
    pixels = render(dataset, frame_number=(frames + 1) // 2, path=instance.path)
    image = qimage_from_display(pixels)
    return image.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
