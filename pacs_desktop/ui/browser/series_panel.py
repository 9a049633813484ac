"""The series of the selected study, with thumbnails made in a worker thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.ui.browser.thumbnails import THUMBNAIL_SIZE, render_series_thumbnail
from pacs_desktop.ui.workers import Task, TaskRunner

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.archive.records import SeriesRecord

logger = logging.getLogger(__name__)

SERIES_UID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ThumbnailResult:
    """One finished thumbnail: its request generation, series and image."""

    generation: int
    series_uid: str
    image: QImage | None
    error: str = ""


class SeriesPanel(QWidget):
    """List the series of one study as thumbnails with number and description."""

    #: sig_thumbnails_done(int): the number of thumbnails of the current study
    #: that are finished (drawn or failed).
    sig_thumbnails_done = Signal(int)

    def __init__(
        self, archive: Archive, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self.runner = runner
        self.study_uid: str | None = None
        self._generation = 0
        self._task: Task | None = None
        self._finished = 0

        self.title = QLabel(self.tr("Series"), self)
        self.list = QListWidget(self)
        self.list.setObjectName("series_list")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setGridSize(QSize(THUMBNAIL_SIZE + 60, THUMBNAIL_SIZE + 48))
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)

    def set_study(self, study_uid: str | None) -> None:
        """Show the series of ``study_uid``, or nothing for None."""
        if self._task is not None:
            self._task.cancel.set()
            self._task = None
        self._generation += 1
        self._finished = 0
        self.study_uid = study_uid
        self.list.clear()
        if study_uid is None:
            return

        series = self.archive.series_for_study(study_uid)
        placeholder = QPixmap(THUMBNAIL_SIZE, THUMBNAIL_SIZE)
        placeholder.fill(Qt.GlobalColor.black)
        for record in series:
            item = QListWidgetItem(QIcon(placeholder), self._item_text(record))
            item.setData(SERIES_UID_ROLE, record.SeriesInstanceUID)
            item.setToolTip(record.SeriesDescription)
            self.list.addItem(item)
        uids = [record.SeriesInstanceUID for record in series]
        if uids:
            self._task = self.runner.start(
                self._thumbnail_job(self._generation, uids),
                on_progress=self._on_thumbnail,
            )

    def _item_text(self, record: SeriesRecord) -> str:
        number = "" if record.SeriesNumber is None else f"{record.SeriesNumber} "
        return self.tr("{number}{modality} {description}\n{count} images").format(
            number=number,
            modality=record.Modality,
            description=record.SeriesDescription,
            count=record.NumberOfSeriesRelatedInstances,
        )

    def _thumbnail_job(
        self, generation: int, series_uids: list[str]
    ) -> Callable[[Callable[[object], None], threading.Event], object]:
        archive = self.archive

        def job(report: Callable[[object], None], cancel: threading.Event) -> None:
            for uid in series_uids:
                if cancel.is_set():
                    return
                try:
                    image = render_series_thumbnail(archive, uid)
                except PacsDesktopError as exc:
                    logger.warning("no thumbnail for series %s: %s", uid, exc)
                    report(ThumbnailResult(generation, uid, None, str(exc)))
                    continue
                report(ThumbnailResult(generation, uid, image))

        return job

    def _on_thumbnail(self, result: ThumbnailResult) -> None:
        if result.generation != self._generation:
            return
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(SERIES_UID_ROLE) != result.series_uid:
                continue
            if result.image is not None:
                item.setIcon(QIcon(QPixmap.fromImage(result.image)))
            else:
                item.setToolTip(
                    self.tr("No preview: {reason}").format(reason=result.error)
                )
        self._finished += 1
        self.sig_thumbnails_done.emit(self._finished)

    def thumbnail_count(self) -> int:
        """Return how many thumbnails of the current study are finished."""
        return self._finished
