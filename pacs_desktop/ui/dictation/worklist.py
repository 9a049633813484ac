"""The transcription worklist: dictations waiting to be typed, corrected, signed.

Claiming a dictation locks it to one transcriptionist (the core store enforces
the lock); every state change is stored with the user and the time, and the
last one is shown in the list. A radiologist or an administrator may release
another user's stale claim after confirming it.

Other programs change the same database (another workstation session, the
`pacs-desktop dictation` commands), so the list is read again every few
seconds and when its window is activated, but rebuilt only when a listed
dictation changed, appeared or left the list.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.dicom.text import display_person_name
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationAudit,
    DictationState,
    DictationStore,
    Priority,
    may_override_claim,
)
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.ui.dictation.player_widget import format_seconds

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.security.users import Session

logger = logging.getLogger(__name__)

WORKLIST_STATES = (
    DictationState.RECORDED,
    DictationState.IN_TRANSCRIPTION,
    DictationState.TRANSCRIBED,
    DictationState.CORRECTED,
)
# The column titles in English, marked for lupdate. QT_TRANSLATE_NOOP returns
# its text unchanged, and WorklistWidget translates each title in its context.
_COLUMN_TITLES: tuple[object, ...] = (
    QT_TRANSLATE_NOOP("WorklistWidget", "Patient"),
    QT_TRANSLATE_NOOP("WorklistWidget", "Patient ID"),
    QT_TRANSLATE_NOOP("WorklistWidget", "Study"),
    QT_TRANSLATE_NOOP("WorklistWidget", "Priority"),
    QT_TRANSLATE_NOOP("WorklistWidget", "State"),
    QT_TRANSLATE_NOOP("WorklistWidget", "Locked by"),
    QT_TRANSLATE_NOOP("WorklistWidget", "Recorded"),
    QT_TRANSLATE_NOOP("WorklistWidget", "Length"),
    QT_TRANSLATE_NOOP("WorklistWidget", "Author"),
    QT_TRANSLATE_NOOP("WorklistWidget", "Last change"),
)
COLUMNS: tuple[str, ...] = tuple(str(title) for title in _COLUMN_TITLES)
# Widest the free-text columns grow, in pixels, so that the state, the lock
# holder, the recording time and the length stay in view beside the report
# editor at the window's default size.
_TEXT_COLUMN_MAX_WIDTH = {"Patient": 120, "Patient ID": 80, "Study": 110}
_PRIORITY_ORDER = {Priority.STAT: 0, Priority.URGENT: 1, Priority.ROUTINE: 2}
# Milliseconds between checks of the database for changes made elsewhere.
CHANGE_CHECK_INTERVAL_MS = 5000


class WorklistWidget(QWidget):
    """List the dictations on the worklist and claim or release them."""

    #: sig_open_requested(object): the Dictation the user wants to work on.
    sig_open_requested = Signal(object)
    #: sig_changed(object): a Dictation after a claim or release by this widget.
    sig_changed = Signal(object)
    #: sig_selection_changed(object): the selected Dictation, or None when no
    #: row is selected; also emitted when a refresh changed the selected row.
    sig_selection_changed = Signal(object)

    def __init__(
        self,
        store: DictationStore,
        archive: Archive,
        session: Session,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.archive = archive
        self.session = session
        self.user = session.user.name
        self.dictations: list[Dictation] = []
        #: Asks whether to release another user's claim; tests replace it.
        self.confirm_override: Callable[[Dictation], bool] = self._ask_override

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(name) for name in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Row numbers identify nothing, and the columns need the width.
        self.table.verticalHeader().hide()
        self.claim_button = QPushButton(self.tr("Claim"), self)
        self.release_button = QPushButton(self.tr("Release"), self)
        self.open_button = QPushButton(self.tr("Open"), self)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("error")
        self.message_label.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (
            self.claim_button,
            self.release_button,
            self.open_button,
            self.refresh_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)

        self.claim_button.clicked.connect(self.claim_selected)
        self.release_button.clicked.connect(self.release_selected)
        self.open_button.clicked.connect(self._on_open)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self._on_open())
        self.change_check_timer = QTimer(self)
        self.change_check_timer.setInterval(CHANGE_CHECK_INTERVAL_MS)
        self.change_check_timer.timeout.connect(self.refresh_if_changed)
        self.change_check_timer.start()
        self.refresh()

    def _find(self) -> list[Dictation]:
        """Return the worklist, most urgent first, oldest first within a priority."""
        found = self.store.find(states=list(WORKLIST_STATES))
        return sorted(found, key=lambda d: (_PRIORITY_ORDER[d.priority], d.id))

    def refresh_if_changed(self) -> bool:
        """Rebuild the list when the database changed it; True when it did.

        One query compares the listed dictations with the stored ones. A claim
        and its release that both happen between two checks leave no trace
        but the "Last change" column, which then shows the older change until
        the next rebuild.
        """
        found = self._find()
        if found == self.dictations:
            return False
        self.refresh(found)
        return True

    def refresh(self, found: list[Dictation] | None = None) -> None:
        """Reload the list and keep the selected dictation selected.

        When the selected dictation left the list, no row is selected
        afterwards, rather than whichever dictation took its row.
        """
        before = self.selected()
        self.dictations = self._find() if found is None else found
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(self.dictations))
        for row, dictation in enumerate(self.dictations):
            for column, text in enumerate(self._row_texts(dictation)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, dictation.id)
                self.table.setItem(row, column, item)
        if before is not None:
            self.select(before.id)
        self.table.blockSignals(False)
        self._fit_columns()
        after = self.selected()
        self._update_controls()
        if after != before:
            self.sig_selection_changed.emit(after)

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        for title, maximum in _TEXT_COLUMN_MAX_WIDTH.items():
            column = COLUMNS.index(title)
            if self.table.columnWidth(column) > maximum:
                self.table.setColumnWidth(column, maximum)

    def _row_texts(self, dictation: Dictation) -> list[str]:
        study = self.archive.study(dictation.StudyInstanceUID)
        name = display_person_name(study.PatientName) if study else ""
        description = study.StudyDescription if study else ""
        study_text = " ".join(
            part for part in (description, dictation.AccessionNumber) if part
        )
        history = self.store.history(dictation.id)
        last = history[-1] if history else None
        last_text = (
            f"{last.user}, {last.at.astimezone().strftime('%Y-%m-%d %H:%M')}"
            if last
            else ""
        )
        return [
            name,
            dictation.PatientID,
            study_text or dictation.StudyInstanceUID,
            dictation.priority.value.upper()
            if dictation.priority is Priority.STAT
            else dictation.priority.value,
            dictation.state.value,
            dictation.locked_by or "",
            dictation.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            format_seconds(dictation.duration_seconds),
            dictation.author,
            last_text,
        ]

    def selected(self) -> Dictation | None:
        """Return the selected dictation, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.dictations[rows[0].row()]

    def select(self, dictation_id: int) -> bool:
        """Select the row of a dictation; False when it is not on the list."""
        for row, dictation in enumerate(self.dictations):
            if dictation.id == dictation_id:
                self.table.selectRow(row)
                return True
        return False

    def claim_selected(self) -> Dictation | None:
        """Lock the selected dictation to this user and ask to open it for typing."""
        dictation = self.selected()
        if dictation is None:
            return None

        def claim() -> Dictation:
            self.session.require(Permission.TRANSCRIBE)
            return self.store.claim(
                dictation.id, self.user, audit=self._audit_for(dictation)
            )

        claimed = self._apply(claim)
        if claimed is not None:
            self.sig_open_requested.emit(claimed)
        return claimed

    def release_selected(self) -> Dictation | None:
        """Give the selected dictation back to the worklist.

        Releasing another user's claim needs a confirmation and the role to
        override it (radiologist or administrator).
        """
        dictation = self.selected()
        if dictation is None:
            return None
        other = dictation.locked_by not in (None, self.user)
        if other and not self.confirm_override(dictation):
            return None
        return self._apply(
            lambda: self.store.release_claim(
                dictation.id, self.session, audit=self._audit_for(dictation)
            )
        )

    def _ask_override(self, dictation: Dictation) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Release another user's claim"),
            self.tr(
                "{user} is transcribing this dictation. Release the claim so "
                "that someone else can transcribe it? Text typed so far stays "
                "in the report."
            ).format(user=dictation.locked_by),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _audit_for(self, dictation: Dictation) -> DictationAudit | None:
        trail = self.session.audit
        if trail is None:
            return None
        study = self.archive.study(dictation.StudyInstanceUID)
        name = str(study.PatientName or "") if study else ""
        return DictationAudit(trail, PatientName=name)

    def _apply(self, change: Callable[[], Dictation]) -> Dictation | None:
        try:
            result = change()
        except PacsDesktopError as exc:
            self.message_label.setText(str(exc))
            self.refresh()
            return None
        self.message_label.clear()
        self.refresh()
        self.sig_changed.emit(result)
        return result

    def _on_selection_changed(self) -> None:
        self._update_controls()
        self.sig_selection_changed.emit(self.selected())

    def _on_open(self) -> None:
        dictation = self.selected()
        if dictation is not None:
            self.sig_open_requested.emit(dictation)

    def _update_controls(self) -> None:
        dictation = self.selected()
        may = self.session.may(Permission.TRANSCRIBE)
        state = dictation.state if dictation else None
        self.claim_button.setEnabled(may and state is DictationState.RECORDED)
        own = dictation is not None and dictation.locked_by == self.user
        self.release_button.setEnabled(
            state is DictationState.IN_TRANSCRIPTION
            and ((may and own) or may_override_claim(self.session))
        )
        self.open_button.setEnabled(dictation is not None)
