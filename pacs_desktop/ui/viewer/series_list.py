"""The list of a study's series beside the images, with optional thumbnails."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from pacs_desktop.core.dicom.sop_classes import ObjectKind

THUMBNAIL_SIZE = 96
_KEY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class SeriesEntry:
    """One row of the list: the series key and what the row shows.

    A series whose ``kind`` is not `ObjectKind.IMAGE` is shown greyed with its
    kind and cannot be chosen.
    """

    key: str
    SeriesNumber: str
    SeriesDescription: str
    Modality: str
    NumberOfSeriesRelatedInstances: int
    kind: ObjectKind = ObjectKind.IMAGE


def thumbnail_image(display: np.ndarray) -> QImage:
    """Return a `QImage` copy of a uint8 grey (HxW) or RGB (HxWx3) display image."""
    data = np.ascontiguousarray(display)
    height, width = int(data.shape[0]), int(data.shape[1])
    if data.ndim == 2:
        image = QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8)
    else:
        image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    # The QImage shares the numpy buffer until copied.
    return image.copy()


class SeriesList(QListWidget):
    """The series of the open study; choosing one emits its key."""

    #: sig_series_selected(str): key of the series the user chose.
    sig_series_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.currentItemChanged.connect(self._on_current_item_changed)
        self._emit_selection = True

    def set_series(self, entries: list[SeriesEntry]) -> None:
        """Replace the rows with ``entries`` in the given order, none selected."""
        self._emit_selection = False
        try:
            self.clear()
            for entry in entries:
                item = QListWidgetItem(self._row_text(entry), self)
                item.setData(_KEY_ROLE, entry.key)
                if entry.kind is not ObjectKind.IMAGE:
                    # A disabled item is drawn greyed and cannot be chosen with the
                    # mouse or the keyboard.
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    item.setToolTip(self.tr("This series contains no images."))
        finally:
            self._emit_selection = True

    def select_key(self, key: str) -> None:
        """Mark the row of ``key`` as current without emitting a selection."""
        self._emit_selection = False
        try:
            for row in range(self.count()):
                item = self.item(row)
                if item.data(_KEY_ROLE) == key:
                    self.setCurrentItem(item)
                    break
        finally:
            self._emit_selection = True

    def set_thumbnail(self, key: str, display: np.ndarray) -> None:
        """Show ``display`` (uint8 display values) as the icon of the row of ``key``."""
        pixmap = QPixmap.fromImage(thumbnail_image(display)).scaled(
            THUMBNAIL_SIZE,
            THUMBNAIL_SIZE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        for row in range(self.count()):
            item = self.item(row)
            if item.data(_KEY_ROLE) == key:
                item.setIcon(QIcon(pixmap))

    def keys(self) -> list[str]:
        """Return the keys of the rows, top to bottom."""
        return [str(self.item(row).data(_KEY_ROLE)) for row in range(self.count())]

    def _row_text(self, entry: SeriesEntry) -> str:
        title = " ".join(
            part for part in (entry.SeriesNumber, entry.SeriesDescription) if part
        )
        if entry.kind is ObjectKind.IMAGE:
            count = self.tr("%n image(s)", "", entry.NumberOfSeriesRelatedInstances)
        else:
            count = self._kind_name(entry.kind)
        details = ", ".join(part for part in (entry.Modality, count) if part)
        return f"{title or self.tr('(no description)')}\n{details}"

    def _kind_name(self, kind: ObjectKind) -> str:
        names = {
            ObjectKind.AUDIO: self.tr("Audio"),
            ObjectKind.WAVEFORM: self.tr("Waveform"),
            ObjectKind.REPORT: self.tr("Report"),
            ObjectKind.KEY_OBJECTS: self.tr("Key images"),
            ObjectKind.DOCUMENT: self.tr("Document"),
            ObjectKind.PRESENTATION_STATE: self.tr("Presentation state"),
        }
        return names.get(kind, "")

    def _on_current_item_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if current is None or not self._emit_selection:
            return
        self.sig_series_selected.emit(str(current.data(_KEY_ROLE)))
