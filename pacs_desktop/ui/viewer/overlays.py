"""Text in the four corners of the image area, and a warning line.

The layer is a transparent child widget laid over the image view; it lets
every mouse event through to the image below.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGraphicsDropShadowEffect,
    QGridLayout,
    QLabel,
    QWidget,
)

from pacs_desktop.core.dicom.geometry import SliceHeader
from pacs_desktop.core.dicom.pipeline import FrameImage, VoiChoice, Window
from pacs_desktop.core.dicom.series import SeriesFrames
from pacs_desktop.ui.viewer.series_info import SeriesInfo, slice_location


class Corner(Enum):
    """A corner of the image area."""

    TOP_LEFT = "top-left"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_RIGHT = "bottom-right"


_ALIGNMENT = {
    Corner.TOP_LEFT: Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
    Corner.TOP_RIGHT: Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight,
    Corner.BOTTOM_LEFT: Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft,
    Corner.BOTTOM_RIGHT: Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight,
}

_GRID_CELL = {
    Corner.TOP_LEFT: (0, 0),
    Corner.TOP_RIGHT: (0, 2),
    Corner.BOTTOM_LEFT: (2, 0),
    Corner.BOTTOM_RIGHT: (2, 2),
}


def _overlay_label(parent: QWidget, color: str) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {color}; background: transparent;")
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    # A shadow keeps light text readable on bright parts of the image.
    shadow = QGraphicsDropShadowEffect(label)
    shadow.setColor(QColor("black"))
    shadow.setBlurRadius(3.0)
    shadow.setOffset(1.0, 1.0)
    label.setGraphicsEffect(shadow)
    return label


class OverlayLayer(QWidget):
    """Corner texts and a warning line over the image, transparent to the mouse."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setRowStretch(1, 1)
        layout.setColumnStretch(1, 1)
        self._labels: dict[Corner, QLabel] = {}
        for corner in Corner:
            label = _overlay_label(self, "#e8e8e8")
            label.setAlignment(_ALIGNMENT[corner])
            row, column = _GRID_CELL[corner]
            layout.addWidget(label, row, column, _ALIGNMENT[corner])
            self._labels[corner] = label
        self.warning_label = _overlay_label(self, "#ffcc33")
        self.warning_label.setWordWrap(True)
        self.warning_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(
            self.warning_label,
            0,
            1,
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter,
        )

    def set_corner(self, corner: Corner, lines: list[str]) -> None:
        """Show ``lines`` in ``corner``, skipping empty ones."""
        self._labels[corner].setText("\n".join(line for line in lines if line))

    def corner_text(self, corner: Corner) -> str:
        """Return the text shown in ``corner``."""
        return self._labels[corner].text()

    def set_warning(self, text: str) -> None:
        """Show ``text`` as a warning over the image, or hide it when empty."""
        self.warning_label.setText(text)

    def warning_text(self) -> str:
        """Return the warning shown over the image."""
        return self.warning_label.text()

    def clear(self) -> None:
        """Remove every text."""
        for label in self._labels.values():
            label.clear()
        self.warning_label.clear()


class OverlayTexts(QObject):
    """Build the translated lines of the corner overlays and the warning."""

    def study_lines(self, info: SeriesInfo) -> list[str]:
        """Return the study date and description."""
        return [info.StudyDate, info.StudyDescription]

    def slice_lines(
        self, info: SeriesInfo, header: SliceHeader, index: int, count: int
    ) -> list[str]:
        """Return series, image number, slice position and thickness lines."""
        series = " ".join(
            part for part in (info.SeriesNumber, info.SeriesDescription) if part
        )
        lines = [
            self.tr("Series {series}").format(series=series) if series else "",
            self.tr("Image {number} / {count}").format(number=index + 1, count=count),
        ]
        location = slice_location(header)
        if location is not None:
            lines.append(self.tr("Position {mm:.1f} mm").format(mm=location))
        if header.slice_thickness is not None:
            lines.append(
                self.tr("Thickness {mm:.1f} mm").format(mm=header.slice_thickness)
            )
        return lines

    def window_lines(self, frame: FrameImage, voi: VoiChoice) -> list[str]:
        """Return the window (centre and width) or the VOI LUT in use."""
        if frame.is_color:
            return []
        if isinstance(voi, Window):
            return [
                self.tr("C {center:.0f} W {width:.0f}").format(
                    center=voi.center, width=voi.width
                )
            ]
        return [voi.explanation or self.tr("VOI LUT")]

    def zoom_line(self, factor: float) -> str:
        """Return the zoom as a percentage of actual size."""
        return self.tr("Zoom {percent:.0f} %").format(percent=factor * 100.0)

    def series_warning(self, frames: SeriesFrames) -> str:
        """Return the warning about gaps, uneven spacing and unreadable files."""
        parts: list[str] = []
        if not frames.frames:
            parts.append(self.tr("No image of this series can be shown."))
        if frames.gaps:
            numbers = ", ".join(str(index + 1) for index in frames.gaps)
            parts.append(
                self.tr("Gap or uneven slice spacing after image {numbers}.").format(
                    numbers=numbers
                )
            )
        elif frames.uneven:
            parts.append(self.tr("Uneven slice spacing in this series."))
        if frames.errors:
            parts.append(
                self.tr(
                    "%n file(s) of this series cannot be read.", "", len(frames.errors)
                )
            )
        return " ".join(parts)
