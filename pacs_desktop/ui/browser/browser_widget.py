"""The study browser page: filter bar, study table and series panel."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.errors import ArchiveError, PacsDesktopError
from pacs_desktop.core.net.find import encoded_identifier, study_identifier
from pacs_desktop.core.security.audit import QUERY, AuditError
from pacs_desktop.ui.browser.filter_bar import FilterBar
from pacs_desktop.ui.browser.series_panel import SeriesPanel
from pacs_desktop.ui.browser.study_model import (
    STUDY_DATE_COLUMN,
    StudySortModel,
    StudyTableModel,
)
from pacs_desktop.ui.status_text import mark_status
from pacs_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.archive.records import (
        StudyCursor,
        StudyPage,
        StudyQuery,
        StudyRecord,
    )
    from pacs_desktop.core.security.audit import AuditTrail

logger = logging.getLogger(__name__)

# How often a visible browser reads the archive's change counter, in ms. The
# read is one row lookup, so a poll costs microseconds, and the study list is
# queried again only when the counter moved.
CHANGE_POLL_MS = 2000

# Fitting columns to their contents measures every row, so long lists keep the
# widths they have.
_RESIZE_MAX_ROWS = 1000

# The StudyQuery fields as the DICOM keywords of the attributes they match.
_CRITERIA = (
    ("patient_name", "PatientName"),
    ("patient_id", "PatientID"),
    ("patient_birth_date", "PatientBirthDate"),
    ("date_range", "StudyDate"),
    ("modality", "ModalitiesInStudy"),
    ("accession", "AccessionNumber"),
    ("description", "StudyDescription"),
)


def describe_query(query: StudyQuery) -> str:
    """Return the criteria of ``query`` for an audit record.

    The text contains patient data, so it belongs in the audit trail only,
    never in the log.
    """
    criteria = [
        f"{keyword}={value}"
        for field, keyword in _CRITERIA
        if (value := getattr(query, field))
    ]
    return ", ".join(criteria) if criteria else "every study"


class StudyTableView(QTableView):
    """Study table that opens the current row on Enter or Return."""

    #: sig_open_requested(): the user pressed Enter or double-clicked a row.
    sig_open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(self._on_double_clicked)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.sig_open_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_double_clicked(self, _index: QModelIndex) -> None:
        self.sig_open_requested.emit()


class StudyBrowser(QWidget):
    """Find studies in the archive and pick one to open.

    With ``audit``, each executed filter is recorded as a QUERY under
    ``user``: once per query, not per keystroke or per page the table fetches,
    and not again when the same query runs twice in a row.

    While visible, the browser polls `Archive.change_count` and runs the
    current filter again when another process or thread changed the studies,
    keeping the selected study and the study at the top of the table.
    `refresh_action` (F5) runs it again on request.
    """

    #: sig_open_requested(StudyRecord): the user asked to open this study.
    sig_open_requested = Signal(object)
    #: sig_studies_shown(int): the table was refilled; the number of studies
    #: loaded (the first page, or every match when the sort needs them all).
    sig_studies_shown = Signal(int)

    def __init__(
        self,
        archive: Archive,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        audit: AuditTrail | None = None,
        user: str = "",
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self.audit = audit
        self.user = user
        self._last_audited: StudyQuery | None = None
        # The change counter read before the query the table shows, or None
        # when it could not be read.
        self._shown_change_count: int | None = None
        self._change_error_logged = False
        self.filter_bar = FilterBar(self)
        self.model = StudyTableModel(self)
        self.proxy = StudySortModel(self.model)
        self.proxy.setParent(self)
        self.table = StudyTableView(self)
        self.table.setObjectName("study_table")
        self.table.setModel(self.proxy)
        self.table.sortByColumn(STUDY_DATE_COLUMN, Qt.SortOrder.DescendingOrder)
        self.series_panel = SeriesPanel(archive, runner, self)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("message")
        mark_status(self.message_label, "error")
        self.message_label.hide()

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.series_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.message_label)
        layout.addWidget(splitter, 1)

        self.filter_bar.sig_query_changed.connect(self._on_query_changed)
        self.filter_bar.sig_submitted.connect(self._on_filter_submitted)
        self.table.sig_open_requested.connect(self._on_open_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.setFocusProxy(self.table)

        self.refresh_action = QAction(self.tr("&Refresh study list"), self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.refresh_action.triggered.connect(self.refresh)
        self.addAction(self.refresh_action)

        self.change_timer = QTimer(self)
        self.change_timer.setInterval(CHANGE_POLL_MS)
        self.change_timer.timeout.connect(self._on_change_timer)
        self.change_timer.start()

    def refresh(self) -> None:
        """Run the current filter against the archive again and reload the series."""
        self.show_studies(self.filter_bar.query())
        study = self.selected_study()
        self.series_panel.set_study(study.StudyInstanceUID if study else None)

    def show_studies(self, query: StudyQuery, *, min_rows: int = 0) -> None:
        """Fill the table with the studies matching ``query``, keeping the selection.

        The table loads the first page of matches, or pages up to ``min_rows``
        studies, and fetches more as it scrolls. A sort by a column other than
        the study date, newest first, loads every match.
        """
        selected = self.selected_study()
        archive = self.archive
        # Read before the query: a change committed in between makes the next
        # check query once more instead of missing the change.
        self._shown_change_count = self._read_change_count()

        def fetch(after: StudyCursor | None, page_size: int) -> StudyPage:
            return archive.find_studies_page(query, after=after, page_size=page_size)

        try:
            self.model.set_pages(fetch)
            self.model.fetch_rows(min_rows)
            self.proxy.complete_for_sort()
            self._audit_query(query)
        except AuditError as exc:
            # Studies whose access could not be recorded are not shown.
            self.model.set_records([])
            self.message_label.setText(
                self.tr("No search: {reason}").format(reason=str(exc))
            )
            self.message_label.show()
        except PacsDesktopError as exc:
            # A range whose end precedes its start, typed into the date fields.
            self.message_label.setText(
                self.tr("No search: {reason}").format(reason=str(exc))
            )
            self.message_label.show()
        else:
            self.message_label.hide()
        if self.model.rowCount() <= _RESIZE_MAX_ROWS:
            self.table.resizeColumnsToContents()
        row = self.proxy.row_of(selected.StudyInstanceUID) if selected else None
        if row is None and self.proxy.rowCount() > 0:
            row = 0
        if row is not None:
            self.table.selectRow(row)
        else:
            self.series_panel.set_study(None)
        self.sig_studies_shown.emit(self.model.rowCount())

    def reload_if_changed(self) -> bool:
        """Run the current filter again if the archive's studies changed.

        The selected study stays selected and the study at the top of the
        table stays there, if the new result still has them. Returns whether
        the filter ran.
        """
        count = self._read_change_count()
        if count is None or count == self._shown_change_count:
            return False
        self._reload_keeping_view()
        return True

    def _read_change_count(self) -> int | None:
        try:
            count = self.archive.change_count()
        except ArchiveError as exc:
            if not self._change_error_logged:
                logger.warning("cannot check the archive for changes: %s", exc)
                self._change_error_logged = True
            return None
        self._change_error_logged = False
        return count

    def _reload_keeping_view(self) -> None:
        selected = self.selected_study()
        top = self.proxy.record_at(self.table.indexAt(QPoint(0, 0)))
        vertical = self.table.verticalScrollBar().value()
        horizontal = self.table.horizontalScrollBar().value()

        self.show_studies(self.filter_bar.query(), min_rows=self.model.rowCount())

        top_row = self.proxy.row_of(top.StudyInstanceUID) if top else None
        if top_row is not None:
            self.table.scrollTo(
                self.proxy.index(top_row, 0),
                QAbstractItemView.ScrollHint.PositionAtTop,
            )
        else:
            self.table.verticalScrollBar().setValue(vertical)
        self.table.horizontalScrollBar().setValue(horizontal)
        # The same study with other counts may have new or fewer series.
        current = self.selected_study()
        if (
            current is not None
            and selected is not None
            and current.StudyInstanceUID == selected.StudyInstanceUID
            and current != selected
        ):
            self.series_panel.set_study(current.StudyInstanceUID)

    def _on_change_timer(self) -> None:
        # A filter still being typed runs soon anyway.
        if self.isVisible() and not self.filter_bar.timer.isActive():
            self.reload_if_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A hidden browser does not poll, so catch up at once when shown.
        if self._shown_change_count is not None:
            self.reload_if_changed()

    def _audit_query(self, query: StudyQuery) -> None:
        # The rows loaded now are the studies the query showed; later pages
        # fetched while scrolling belong to the same query. The recorded query
        # is the C-FIND identifier that would request the same studies from a
        # PACS.
        if self.audit is None or query == self._last_audited:
            return
        loaded = self.model.rowCount()
        self.audit.record(
            QUERY,
            user=self.user,
            patient_id=query.patient_id or None,
            study_uids=[
                self.model.record(row).StudyInstanceUID for row in range(loaded)
            ],
            detail=f"local study list for {describe_query(query)}: {loaded} studies",
            query=encoded_identifier(study_identifier(query)),
        )
        self._last_audited = query

    def selected_study(self) -> StudyRecord | None:
        """Return the study of the current row, or None."""
        return self.proxy.record_at(self.table.currentIndex())

    def row_count(self) -> int:
        """Return how many studies the table shows."""
        return self.proxy.rowCount()

    def _on_query_changed(self, query: StudyQuery) -> None:
        self.show_studies(query)

    def _on_filter_submitted(self) -> None:
        self.table.setFocus()

    def focus_filter(self) -> None:
        """Put the keyboard focus in the patient name filter, its text selected."""
        self.filter_bar.name_edit.setFocus()
        self.filter_bar.name_edit.selectAll()

    def _on_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        study = self.selected_study()
        uid = study.StudyInstanceUID if study is not None else None
        if uid != self.series_panel.study_uid:
            self.series_panel.set_study(uid)

    def _on_open_requested(self) -> None:
        study = self.selected_study()
        if study is not None:
            self.sig_open_requested.emit(study)
