"""Search a PACS with the study browser's filters, list series and retrieve.

The results use the local study table's columns. A study that is already in
the local archive shows how many of its instances are local in the Images
column, in bold, with a tooltip.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.ui.browser import StudyTableView
from pacs_desktop.ui.browser.filter_bar import FilterBar
from pacs_desktop.ui.browser.study_model import (
    COLUMN_KEYS,
    ModelIndex,
    StudySortModel,
    StudyTableModel,
)

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import SeriesRecord, StudyRecord
    from pacs_desktop.core.net.nodes import Node
    from pacs_desktop.ui.network.service import NetworkService, RemoteStudy

logger = logging.getLogger(__name__)

SERIES_UID_ROLE = Qt.ItemDataRole.UserRole + 1
_IMAGES_COLUMN = COLUMN_KEYS.index("NumberOfStudyRelatedInstances")


class RemoteStudyModel(StudyTableModel):
    """The study table's columns, plus the local instance count of each study."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._remote: dict[str, RemoteStudy] = {}

    def set_remote(self, studies: Sequence[RemoteStudy]) -> None:
        """Replace every row with ``studies``."""
        self._remote = {study.record.StudyInstanceUID: study for study in studies}
        self.set_records([study.record for study in studies])

    def remote_study(self, study_uid: str) -> RemoteStudy | None:
        """Return the search result of ``study_uid``, or None."""
        return self._remote.get(study_uid)

    def local_count(self, row: int) -> int:
        """Return how many instances of the study in ``row`` are local."""
        found = self._remote.get(self.record(row).StudyInstanceUID)
        return found.local_instances if found is not None else 0

    def data(
        self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        local = self.local_count(index.row())
        total = self.record(index.row()).NumberOfStudyRelatedInstances
        showing_images = (
            role == Qt.ItemDataRole.DisplayRole and index.column() == _IMAGES_COLUMN
        )
        if showing_images and local:
            return self.tr("{total} ({local} local)").format(total=total, local=local)
        if role == Qt.ItemDataRole.ToolTipRole:
            if local:
                return self.tr(
                    "{local} of {total} instances are in the local archive"
                ).format(local=local, total=total)
            return self.tr("Not in the local archive")
        if role == Qt.ItemDataRole.FontRole and local:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


class RemoteBrowser(QWidget):
    """Find studies on one PACS node, show their series and queue retrieves."""

    #: sig_studies_shown(int): a search finished and shows this many studies.
    sig_studies_shown = Signal(int)
    #: sig_series_shown(int): the series list of the current study is filled.
    sig_series_shown = Signal(int)
    #: sig_open_requested(StudyRecord): open this study, which is fully local.
    sig_open_requested = Signal(object)

    def __init__(
        self,
        service: NetworkService,
        *,
        may_retrieve: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.may_retrieve = may_retrieve
        self.node: Node | None = None
        self._request = 0
        self._series_study: str | None = None

        self.filter_bar = FilterBar(self)
        self.search_button = QPushButton(self.tr("&Search"), self)
        self.search_button.setObjectName("remote_search")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("remote_message")
        self.message_label.setWordWrap(True)
        self.model = RemoteStudyModel(self)
        self.proxy = StudySortModel(self.model)
        self.proxy.setParent(self)
        self.table = StudyTableView(self)
        self.table.setObjectName("remote_study_table")
        self.table.setModel(self.proxy)
        self.series_list = QListWidget(self)
        self.series_list.setObjectName("remote_series_list")
        self.series_list.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
        )
        self.retrieve_study_button = QPushButton(self.tr("&Retrieve study"), self)
        self.retrieve_study_button.setObjectName("retrieve_study")
        self.retrieve_series_button = QPushButton(
            self.tr("Retrieve selected s&eries"), self
        )
        self.retrieve_series_button.setObjectName("retrieve_series")
        self.open_button = QPushButton(self.tr("&Open local copy"), self)
        self.open_button.setObjectName("open_local")
        self._build_layout()

        self.filter_bar.sig_submitted.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.sig_open_requested.connect(self._on_open)
        self.series_list.itemSelectionChanged.connect(self._update_buttons)
        self.retrieve_study_button.clicked.connect(self.retrieve_study)
        self.retrieve_series_button.clicked.connect(self.retrieve_series)
        self.open_button.clicked.connect(self._on_open)
        service.sig_studies_found.connect(self._on_studies_found)
        service.sig_search_failed.connect(self._on_search_failed)
        service.sig_series_found.connect(self._on_series_found)
        service.sig_series_failed.connect(self._on_series_failed)
        self.setFocusProxy(self.table)
        self._update_buttons()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_bar, 1)
        top.addWidget(self.search_button)
        series_box = QWidget(self)
        series_layout = QVBoxLayout(series_box)
        series_layout.setContentsMargins(0, 0, 0, 0)
        series_layout.addWidget(QLabel(self.tr("Series on the PACS"), series_box))
        series_layout.addWidget(self.series_list, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(series_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retrieve_study_button)
        buttons.addWidget(self.retrieve_series_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    # Searching

    def set_node(self, node: Node | None) -> None:
        """Search ``node`` from now on; clears the results."""
        self.node = node
        self._request = 0
        self.model.set_remote([])
        self._show_series(None, [])
        self.message_label.setText(
            self.tr("Press Enter or Search to query {node}.").format(node=node.label)
            if node is not None
            else ""
        )
        self._update_buttons()

    def search(self) -> None:
        """Run a STUDY-level C-FIND on the node with the filter's values."""
        if self.node is None:
            return
        self._request = self.service.search(self.node, self.filter_bar.query())
        self.message_label.setText(
            self.tr("Searching {node}...").format(node=self.node.label)
        )

    def refresh_local_counts(self) -> None:
        """Search again, so that the local instance counts are current."""
        if self.node is not None and self.model.rowCount():
            self.search()

    def _on_studies_found(self, request: int, studies: list[RemoteStudy]) -> None:
        if request != self._request:
            return
        selected = self.selected_study()
        self.model.set_remote(studies)
        self.table.resizeColumnsToContents()
        found = self.tr("%n study(s) found on {node}", "", len(studies))
        self.message_label.setText(
            found.format(node=self.node.label if self.node else "")
        )
        row = self._row_of(selected.StudyInstanceUID) if selected else None
        if row is None and self.proxy.rowCount():
            row = 0
        if row is not None:
            self.table.selectRow(row)
        self._update_buttons()
        self.sig_studies_shown.emit(len(studies))

    def _on_search_failed(self, request: int, reason: str) -> None:
        if request != self._request:
            return
        self.model.set_remote([])
        self.message_label.setText(
            self.tr("Search failed: {reason}").format(reason=reason)
        )
        self._update_buttons()
        self.sig_studies_shown.emit(0)

    def _row_of(self, study_uid: str) -> int | None:
        for row in range(self.proxy.rowCount()):
            record = self.proxy.record_at(self.proxy.index(row, 0))
            if record is not None and record.StudyInstanceUID == study_uid:
                return row
        return None

    def selected_study(self) -> StudyRecord | None:
        """Return the remote study of the current row, or None."""
        return self.proxy.record_at(self.table.currentIndex())

    # Series

    def _on_selection(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        study = self.selected_study()
        self._update_buttons()
        if study is None or self.node is None:
            self._show_series(None, [])
            return
        if study.StudyInstanceUID == self._series_study:
            return
        self._show_series(study.StudyInstanceUID, [])
        self.series_list.addItem(self.tr("Loading series..."))
        self.service.list_series(
            self.node, study.StudyInstanceUID, patient_id=study.PatientID or None
        )

    def _on_series_found(self, study_uid: str, series: list[SeriesRecord]) -> None:
        if study_uid == self._series_study:
            self._show_series(study_uid, series)
            self.sig_series_shown.emit(len(series))

    def _on_series_failed(self, study_uid: str, reason: str) -> None:
        if study_uid == self._series_study:
            self._show_series(study_uid, [])
            self.series_list.addItem(
                self.tr("Series not listed: {reason}").format(reason=reason)
            )
            self.sig_series_shown.emit(0)

    def _show_series(self, study_uid: str | None, series: list[SeriesRecord]) -> None:
        self._series_study = study_uid
        self.series_list.clear()
        for record in series:
            number = "" if record.SeriesNumber is None else f"{record.SeriesNumber} "
            text = self.tr(
                "{number}{modality} {description} (%n image(s))",
                "",
                record.NumberOfSeriesRelatedInstances,
            ).format(
                number=number,
                modality=record.Modality,
                description=record.SeriesDescription,
            )
            item = QListWidgetItem(text)
            item.setData(SERIES_UID_ROLE, record.SeriesInstanceUID)
            self.series_list.addItem(item)
        self._update_buttons()

    def selected_series_uids(self) -> list[str]:
        """Return the UIDs of the selected series."""
        uids = [item.data(SERIES_UID_ROLE) for item in self.series_list.selectedItems()]
        return [str(uid) for uid in uids if uid]

    # Actions

    def retrieve_study(self) -> None:
        """Queue the retrieve of the selected study."""
        study = self.selected_study()
        if study is None or self.node is None or not self.may_retrieve:
            return
        self.service.enqueue_retrieve(self.node.name, study.StudyInstanceUID)
        self.message_label.setText(
            self.tr("Retrieve queued; the sync panel shows its progress.")
        )

    def retrieve_series(self) -> None:
        """Queue the retrieve of the selected series of the selected study."""
        study = self.selected_study()
        series = self.selected_series_uids()
        if study is None or self.node is None or not series or not self.may_retrieve:
            return
        self.service.enqueue_retrieve(self.node.name, study.StudyInstanceUID, series)
        self.message_label.setText(
            self.tr("Retrieve queued; the sync panel shows its progress.")
        )

    def _local_copy(self) -> StudyRecord | None:
        study = self.selected_study()
        if study is None:
            return None
        found = self.model.remote_study(study.StudyInstanceUID)
        return found.local_record if found is not None else None

    def _on_open(self, _index: QModelIndex | None = None) -> None:
        local = self._local_copy()
        if local is not None:
            self.sig_open_requested.emit(local)
        elif self.selected_study() is not None:
            self.message_label.setText(
                self.tr("This study is not in the local archive; retrieve it first.")
            )

    def _update_buttons(self) -> None:
        study = self.selected_study()
        can_retrieve = self.may_retrieve and study is not None and self.node is not None
        self.retrieve_study_button.setEnabled(can_retrieve)
        self.retrieve_series_button.setEnabled(
            can_retrieve and bool(self.selected_series_uids())
        )
        self.open_button.setEnabled(self._local_copy() is not None)
