"""Text in the four corners of the image area, orientation markers at the
centres of its edges, and a warning line.

The layer is a transparent child widget laid over the image view; it lets
every mouse event through to the image below.
"""

from __future__ import annotations

import math
from enum import Enum

from PySide6.QtCore import QEvent, QLocale, QObject, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QGraphicsDropShadowEffect,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from pacs_desktop.core.dicom.geometry import SliceHeader
from pacs_desktop.core.dicom.orientation import EdgeLabels
from pacs_desktop.core.dicom.pipeline import FrameImage, VoiChoice, Window
from pacs_desktop.core.dicom.series import SeriesFrames
from pacs_desktop.ui.preferences import format_person_name
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


class Edge(Enum):
    """An edge of the image area, where a patient-orientation marker sits."""

    LEFT = "left"
    RIGHT = "right"
    TOP = "top"
    BOTTOM = "bottom"


# Rows of the grid: top corners, the warning, the middle of the view (the
# side markers), bottom corners. The edge markers sit in cells of their own,
# so they never cover a corner text or the warning.
_GRID_CELL = {
    Corner.TOP_LEFT: (0, 0),
    Corner.TOP_RIGHT: (0, 2),
    Corner.BOTTOM_LEFT: (3, 0),
    Corner.BOTTOM_RIGHT: (3, 2),
}
_WARNING_ROW = 1
_MIDDLE_ROW = 2

_EDGE_CELL = {
    Edge.TOP: (0, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter),
    Edge.BOTTOM: (3, 1, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter),
    Edge.LEFT: (
        _MIDDLE_ROW,
        0,
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    ),
    Edge.RIGHT: (
        _MIDDLE_ROW,
        2,
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    ),
}

# Orientation markers are bold and larger than the corner texts, so they
# stand out from the other overlays.
_EDGE_FONT_SCALE = 1.4


def _add_shadow(widget: QWidget) -> None:
    # A shadow keeps light text readable on bright parts of the image.
    shadow = QGraphicsDropShadowEffect(widget)
    shadow.setColor(QColor("black"))
    shadow.setBlurRadius(3.0)
    shadow.setOffset(1.0, 1.0)
    widget.setGraphicsEffect(shadow)


def _overlay_label(parent: QWidget, color: str) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {color}; background: transparent;")
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    _add_shadow(label)
    return label


class WrappedText(QWidget):
    """Centred plain text that wraps between words, and inside a too-wide word.

    A QLabel wraps only between words, so a stored file's path or a SHA-256
    value wider than the view was cut off at both sides. The widget is hidden
    while its text is empty.
    """

    def __init__(self, parent: QWidget, color: str) -> None:
        super().__init__(parent)
        self._color = QColor(color)
        self._document = QTextDocument(self)
        self._document.setDocumentMargin(0.0)
        self._document.setDefaultFont(self.font())
        option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._document.setDefaultTextOption(option)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setVisible(False)

    def setText(self, text: str) -> None:
        """Show ``text``, or hide the widget when it is empty."""
        self._document.setPlainText(text)
        self.setVisible(bool(text))
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        """Return the whole text, with no line breaks added by wrapping."""
        return self._document.toPlainText()

    def clear(self) -> None:
        """Remove the text and hide the widget."""
        self.setText("")

    def line_count(self) -> int:
        """Return the number of lines the text takes at the widget's width."""
        self._lay_out(self.width())
        block = self._document.begin()
        count = 0
        while block.isValid():
            count += block.layout().lineCount()
            block = block.next()
        return count

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        self._lay_out(width)
        return math.ceil(self._document.size().height())

    def sizeHint(self) -> QSize:
        self._document.setTextWidth(-1.0)
        width = math.ceil(self._document.idealWidth())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        # Any width down to a few characters works, because every word breaks.
        return QSize(self.fontMetrics().averageCharWidth() * 4, 0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._document.setDefaultFont(self.font())
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._lay_out(self.width())
        painter = QPainter(self)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, self._color)
        self._document.documentLayout().draw(painter, context)
        painter.end()

    def _lay_out(self, width: int) -> None:
        self._document.setTextWidth(float(max(width, 1)))


class OverlayLayer(QWidget):
    """Corner texts, edge markers and a warning line, transparent to the mouse."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        layout = QGridLayout(self)
        self._grid = layout
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setRowStretch(_MIDDLE_ROW, 1)
        layout.setColumnStretch(1, 1)
        self._labels: dict[Corner, QLabel] = {}
        for corner in Corner:
            label = _overlay_label(self, "#e8e8e8")
            label.setAlignment(_ALIGNMENT[corner])
            row, column = _GRID_CELL[corner]
            layout.addWidget(label, row, column, _ALIGNMENT[corner])
            self._labels[corner] = label
        self.warning_label = WrappedText(self, "#ffcc33")
        _add_shadow(self.warning_label)
        # Below the top corners and as wide as the view, so a long reason
        # (a path and two SHA-256 values) takes few lines.
        layout.addWidget(
            self.warning_label,
            _WARNING_ROW,
            0,
            1,
            3,
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter,
        )
        self._edges: dict[Edge, QLabel] = {}
        for edge, (row, column, alignment) in _EDGE_CELL.items():
            label = _overlay_label(self, "#ffffff")
            font = label.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * _EDGE_FONT_SCALE)
            label.setFont(font)
            label.setAlignment(alignment)
            layout.addWidget(label, row, column, alignment)
            self._edges[edge] = label
        # As wide as the view, at the bottom of the middle row, so it stays
        # below the side markers unless the view is only a few lines high.
        self.message_label = WrappedText(self, "#e8e8e8")
        _add_shadow(self.message_label)
        layout.addWidget(
            self.message_label,
            _MIDDLE_ROW,
            0,
            1,
            3,
            Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter,
        )
        self._balance_margins()

    def set_corner(self, corner: Corner, lines: list[str]) -> None:
        """Show ``lines`` in ``corner``, skipping empty ones."""
        self._labels[corner].setText("\n".join(line for line in lines if line))
        self._balance_margins()

    def set_patient(self, name: str, patient_id: str) -> None:
        """Show the patient's name and ID in the top-left corner.

        ``name`` is one component group of the DICOM name ("Doe^Jane"), shown
        as the study list and the patient banner show it ("Doe, Jane").
        """
        self.set_corner(Corner.TOP_LEFT, [format_person_name(name), patient_id])

    def corner_text(self, corner: Corner) -> str:
        """Return the text shown in ``corner``."""
        return self._labels[corner].text()

    def set_edge_labels(self, labels: EdgeLabels | None) -> None:
        """Show the patient-orientation markers, or none when ``labels`` is None."""
        texts = {
            Edge.LEFT: labels.left if labels else "",
            Edge.RIGHT: labels.right if labels else "",
            Edge.TOP: labels.top if labels else "",
            Edge.BOTTOM: labels.bottom if labels else "",
        }
        for edge, text in texts.items():
            self._edges[edge].setText(text)
        self._balance_margins()

    def edge_text(self, edge: Edge) -> str:
        """Return the orientation marker shown at ``edge``."""
        return self._edges[edge].text()

    def _balance_margins(self) -> None:
        # The outer columns and rows get the same size on both sides, so the
        # edge markers sit at the centres of the edges of the view.
        left = (Corner.TOP_LEFT, Corner.BOTTOM_LEFT)
        right = (Corner.TOP_RIGHT, Corner.BOTTOM_RIGHT)
        width = max(
            self._hint_width(
                [self._labels[corner] for corner in left] + [self._edges[Edge.LEFT]]
            ),
            self._hint_width(
                [self._labels[corner] for corner in right] + [self._edges[Edge.RIGHT]]
            ),
        )
        self._grid.setColumnMinimumWidth(0, width)
        self._grid.setColumnMinimumWidth(2, width)
        top = (Corner.TOP_LEFT, Corner.TOP_RIGHT)
        bottom = (Corner.BOTTOM_LEFT, Corner.BOTTOM_RIGHT)
        height = max(
            self._hint_height(
                [self._labels[corner] for corner in top] + [self._edges[Edge.TOP]]
            ),
            self._hint_height(
                [self._labels[corner] for corner in bottom] + [self._edges[Edge.BOTTOM]]
            ),
        )
        self._grid.setRowMinimumHeight(0, height)
        self._grid.setRowMinimumHeight(3, height)

    @staticmethod
    def _hint_width(labels: list[QLabel]) -> int:
        return max(label.sizeHint().width() for label in labels)

    @staticmethod
    def _hint_height(labels: list[QLabel]) -> int:
        return max(label.sizeHint().height() for label in labels)

    def set_warning(self, text: str) -> None:
        """Show ``text`` as a warning over the image, or hide it when empty."""
        self.warning_label.setText(text)

    def warning_text(self) -> str:
        """Return the warning shown over the image."""
        return self.warning_label.text()

    def set_message(self, text: str) -> None:
        """Show ``text`` as a short notice above the bottom edge, "" to remove it."""
        self.message_label.setText(text)

    def message_text(self) -> str:
        """Return the notice shown above the bottom edge."""
        return self.message_label.text()

    def clear(self) -> None:
        """Remove every text."""
        for label in self._labels.values():
            label.clear()
        for label in self._edges.values():
            label.clear()
        self.warning_label.clear()
        self.message_label.clear()
        self._balance_margins()


def _millimetres(value: float) -> str:
    """Format a length in mm to 0.1 mm with the default locale's decimal mark."""
    locale = QLocale()
    # Table positions reach four digits, and "-1.234,5" reads like two numbers.
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(value, "f", 1)


class OverlayTexts(QObject):
    """Build the translated lines of the corner overlays and the warning."""

    def study_lines(self, info: SeriesInfo) -> list[str]:
        """Return the study date and description."""
        return [info.StudyDate, info.StudyDescription]

    def slice_lines(
        self, info: SeriesInfo, header: SliceHeader, index: int, count: int
    ) -> list[str]:
        """Return series, image number, slice position and thickness lines."""
        lines = self.number_lines(info, index, count)
        location = slice_location(header)
        if location is not None:
            lines.append(self.tr("Position {mm} mm").format(mm=_millimetres(location)))
        if header.slice_thickness is not None:
            lines.append(
                self.tr("Thickness {mm} mm").format(
                    mm=_millimetres(header.slice_thickness)
                )
            )
        return lines

    def number_lines(self, info: SeriesInfo, index: int, count: int) -> list[str]:
        """Return the series line and the image number line."""
        series = " ".join(
            part for part in (info.SeriesNumber, info.SeriesDescription) if part
        )
        return [
            self.tr("Series {series}").format(series=series) if series else "",
            self.tr("Image {number} / {count}").format(number=index + 1, count=count),
        ]

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
        if not frames.frames and frames.non_image and not frames.errors:
            parts.append(self.tr("This series contains no images."))
        elif not frames.frames:
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
