"""The image area: a pyqtgraph view box showing one 8-bit display image.

The view only shows what it is given: the display values come from the core
pipeline (`pacs_desktop.core.dicom.pipeline.to_display`), so the image item
gets uint8 data with fixed levels 0..255 and never applies a window itself.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QWidget

# Zoom factor of one step of the +/- keys or of one Ctrl+wheel notch.
ZOOM_STEP = 1.25
# Wheel angle of one notch of a standard mouse wheel, in eighths of a degree.
WHEEL_NOTCH = 120


class _ImageViewBox(pg.ViewBox):
    """A view box whose right-button drag and plain wheel go to the viewer.

    Left and middle drags pan, Ctrl+wheel zooms about the pointer; a right
    drag becomes `sig_window_drag_started` and `sig_window_drag`, and a plain
    wheel `sig_wheel_steps`.
    """

    #: sig_window_drag_started(): a right-button drag began.
    sig_window_drag_started = Signal()
    #: sig_window_drag(float, float): dx, dy in screen pixels since it began.
    sig_window_drag = Signal(float, float)
    #: sig_wheel_steps(int): wheel notches, positive away from the user.
    sig_wheel_steps = Signal(int)

    def __init__(self) -> None:
        super().__init__(lockAspect=True, invertY=True, enableMenu=False)
        self.setMouseMode(pg.ViewBox.PanMode)
        self._wheel_remainder = 0

    def mouseDragEvent(self, ev: object, axis: int | None = None) -> None:
        button = ev.button()  # type: ignore[attr-defined]
        if button != Qt.MouseButton.RightButton:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()  # type: ignore[attr-defined]
        start = ev.buttonDownScreenPos(button)  # type: ignore[attr-defined]
        now = ev.screenPos()  # type: ignore[attr-defined]
        if ev.isStart():  # type: ignore[attr-defined]
            self.sig_window_drag_started.emit()
        self.sig_window_drag.emit(
            float(now.x() - start.x()), float(now.y() - start.y())
        )

    def wheelEvent(self, ev: object, axis: int | None = None) -> None:
        modifiers = ev.modifiers()  # type: ignore[attr-defined]
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(ev, axis)
            return
        ev.accept()  # type: ignore[attr-defined]
        # High-resolution wheels and touchpads send fractions of a notch.
        self._wheel_remainder += int(ev.delta())  # type: ignore[attr-defined]
        steps = int(self._wheel_remainder / WHEEL_NOTCH)
        if steps:
            self._wheel_remainder -= steps * WHEEL_NOTCH
            self.sig_wheel_steps.emit(steps)


class ImageView(pg.GraphicsLayoutWidget):
    """One image, aspect locked, row 0 at the top, fit to the window on load."""

    #: sig_window_drag_started(): a right-button drag began.
    sig_window_drag_started = Signal()
    #: sig_window_drag(float, float): dx, dy in screen pixels since the
    #: right-button drag began.
    sig_window_drag = Signal(float, float)
    #: sig_wheel_steps(int): wheel notches without Ctrl, positive away from the user.
    sig_wheel_steps = Signal(int)
    #: sig_view_changed(): the zoom or the visible part of the image changed.
    sig_view_changed = Signal()
    #: sig_resized(): the widget changed size (overlays follow it).
    sig_resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("k")
        self.ci.layout.setContentsMargins(0, 0, 0, 0)
        self.view_box = _ImageViewBox()
        self.addItem(self.view_box)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setAutoDownsample(True)
        self.view_box.addItem(self.image_item)
        self.view_box.sig_window_drag_started.connect(self.sig_window_drag_started)
        self.view_box.sig_window_drag.connect(self.sig_window_drag)
        self.view_box.sig_wheel_steps.connect(self.sig_wheel_steps)
        self.view_box.sigRangeChanged.connect(self._on_range_changed)
        self.view_box.sigRangeChangedManually.connect(self._on_user_zoom_or_pan)
        self.view_box.sigResized.connect(self._on_view_resized)
        # Size of the image rectangle in scene units: one unit per row, and
        # columns scaled by the pixel aspect ratio.
        self._extent: tuple[float, float] | None = None
        # True until the user zooms or pans: a resized window then refits.
        self._auto_fit = True

    def set_image(
        self, image: np.ndarray, *, fit: bool = False, pixel_aspect: float = 1.0
    ) -> None:
        """Show ``image`` (uint8, rows x columns, RGB last if colour).

        ``pixel_aspect`` is a pixel's width over its height on screen. The
        view refits when asked to, or when the image's extent changes (a new
        series or a quarter turn).
        """
        if image.dtype != np.uint8:
            raise TypeError(f"display image must be uint8, not {image.dtype}")
        extent = (float(image.shape[1]) * pixel_aspect, float(image.shape[0]))
        self.image_item.setImage(image, autoLevels=False, levels=(0, 255))
        self.image_item.setRect(QRectF(0, 0, extent[0], extent[1]))
        if fit or extent != self._extent:
            self._extent = extent
            self.fit()

    def clear_image(self) -> None:
        """Remove the image, so the area shows only the background."""
        self.image_item.clear()
        self._extent = None

    def fit(self) -> None:
        """Scale the image to fill the view without cropping it."""
        if self._extent is None:
            return
        width, height = self._extent
        self._auto_fit = True
        self.view_box.setRange(QRectF(0, 0, width, height), padding=0.0)

    def zoom_by(self, factor: float) -> None:
        """Magnify by ``factor`` about the centre of the view."""
        self._auto_fit = False
        center = self.view_box.viewRect().center()
        # scaleBy shrinks the visible range, so magnifying divides by the factor.
        self.view_box.scaleBy((1.0 / factor, 1.0 / factor), center)

    def actual_size(self) -> None:
        """Show one image row per screen pixel, keeping the view centre."""
        self._auto_fit = False
        width = max(self.view_box.width(), 1.0)
        height = max(self.view_box.height(), 1.0)
        center: QPointF = self.view_box.viewRect().center()
        rect = QRectF(0, 0, width, height)
        rect.moveCenter(center)
        self.view_box.setRange(rect, padding=0.0)

    def zoom_factor(self) -> float:
        """Return screen pixels per image row (1.0 is actual size)."""
        if self._extent is None:
            return 1.0
        # Computed from the view's own size: pyqtgraph 0.14 caches
        # viewPixelSize() and can return a value from before a resize.
        visible_width = float(self.view_box.viewRect().width())
        if visible_width <= 0.0:
            return 1.0
        return float(self.view_box.width()) / visible_width

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.sig_resized.emit()

    def _on_range_changed(self, *args: object) -> None:
        self.sig_view_changed.emit()

    def _on_user_zoom_or_pan(self, *args: object) -> None:
        self._auto_fit = False

    def _on_view_resized(self, *args: object) -> None:
        if self._auto_fit:
            self.fit()
        self.sig_view_changed.emit()
