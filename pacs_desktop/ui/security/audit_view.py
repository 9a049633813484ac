"""The audit trail viewer: filter, read, verify and export the records.

Only roles with the read-audit permission open it. Every opening, chain check
and export leaves its own record, written after the records it shows were
read, so the view never lists its own reading until it is reloaded.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.audit import EVENTS, AuditRecord, VerifyResult
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.ui.status_text import mark_status

if TYPE_CHECKING:
    from pacs_desktop.core.security.audit import AuditTrail
    from pacs_desktop.core.security.users import Session

logger = logging.getLogger(__name__)

ModelIndex = QModelIndex | QPersistentModelIndex

# The view shows at most this many of the newest matching records; a narrower
# filter or `pacs-desktop audit list` reaches older ones.
MAX_SHOWN_RECORDS = 20_000


class AuditTableModel(QAbstractTableModel):
    """Audit records as table rows, oldest first."""

    COLUMNS = ("time", "event", "user", "outcome", "patient_id", "study", "detail")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._records: list[AuditRecord] = []
        self._titles = (
            self.tr("Time (UTC)"),
            self.tr("Event"),
            self.tr("User"),
            self.tr("Outcome"),
            self.tr("Patient ID"),
            self.tr("Study"),
            self.tr("Detail"),
        )

    def set_records(self, records: Sequence[AuditRecord]) -> None:
        """Replace the rows with ``records``."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[AuditRecord]:
        """Return the records shown, in row order."""
        return list(self._records)

    def rowCount(self, parent: ModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._records)

    def columnCount(self, parent: ModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self.COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._titles)
        ):
            return self._titles[section]
        return None

    def data(
        self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        record = self._records[index.row()]
        return self.cell_text(record, self.COLUMNS[index.column()])

    def cell_text(self, record: AuditRecord, column: str) -> str:
        """Return the text of ``record`` in ``column`` (one of `COLUMNS`)."""
        if column == "time":
            return record.time[:19].replace("T", " ")
        if column == "event":
            return record.event
        if column == "user":
            if record.os_account:
                return self.tr("{user} (system account)").format(user=record.user)
            return record.user
        if column == "outcome":
            return record.outcome
        if column == "patient_id":
            return record.patient_id or ""
        if column == "study":
            return ", ".join(record.study_uids)
        detail = record.detail
        if record.target_user:
            target = self.tr("account: {name}").format(name=record.target_user)
            detail = f"{detail}; {target}" if detail else target
        return detail


class AuditViewDialog(QDialog):
    """Show the audit trail to a user whose role may read it.

    Raises
    ------
    AccessDeniedError
        If ``session``'s role lacks the read-audit permission (audited).
    """

    def __init__(
        self, audit: AuditTrail, session: Session, parent: QWidget | None = None
    ) -> None:
        session.require(Permission.READ_AUDIT)
        super().__init__(parent)
        self.audit = audit
        self.session = session
        self.setWindowTitle(self.tr("Audit trail"))
        self.resize(1000, 600)

        self.from_check = QCheckBox(self.tr("From"), self)
        self.from_edit = self._date_edit()
        self.to_check = QCheckBox(self.tr("To"), self)
        self.to_edit = self._date_edit()
        self.user_edit = QLineEdit(self)
        self.user_edit.setObjectName("user_filter")
        self.user_edit.setPlaceholderText(self.tr("any user"))
        self.event_combo = QComboBox(self)
        self.event_combo.setObjectName("event_filter")
        self.event_combo.addItem(self.tr("any event"), None)
        for name in sorted(EVENTS):
            self.event_combo.addItem(name, name)
        self.apply_button = QPushButton(self.tr("Apply filter"), self)
        self.model = AuditTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("audit_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count_label = QLabel(self)
        self.verify_button = QPushButton(self.tr("Verify chain"), self)
        self.verify_label = QLabel(self)
        self.verify_label.setObjectName("verify_result")
        self.verify_label.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Export XML..."), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        mark_status(self.error_label, "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self._build_layout()

        self.apply_button.clicked.connect(self._on_apply)
        self.user_edit.returnPressed.connect(self._on_apply)
        self.verify_button.clicked.connect(self._on_verify)
        self.export_button.clicked.connect(self._on_export)
        self.close_button.clicked.connect(self.close)

        shown = self.reload()
        self._record_reading(
            audit_events.AUDIT_READ, f"opened the audit view: {shown} records shown"
        )

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(QDate.currentDate(), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.from_check)
        filters.addWidget(self.from_edit)
        filters.addWidget(self.to_check)
        filters.addWidget(self.to_edit)
        filters.addWidget(QLabel(self.tr("User:"), self))
        filters.addWidget(self.user_edit)
        filters.addWidget(QLabel(self.tr("Event:"), self))
        filters.addWidget(self.event_combo)
        filters.addWidget(self.apply_button)
        actions = QHBoxLayout()
        actions.addWidget(self.verify_button)
        actions.addWidget(self.verify_label, 1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.error_label)
        layout.addLayout(actions)

    # -- reading ------------------------------------------------------------

    def filter_bounds(self) -> tuple[datetime | None, datetime | None]:
        """Return the UTC start (inclusive) and end (exclusive) of the date filter.

        Each date is a whole UTC day, as in ``pacs-desktop audit list``.
        """
        start = _utc_day(self.from_edit.date()) if self.from_check.isChecked() else None
        end = None
        if self.to_check.isChecked():
            end = _utc_day(self.to_edit.date()) + timedelta(days=1)
        return start, end

    def reload(self) -> int:
        """Read the records that match the filter; return how many are shown."""
        start, end = self.filter_bounds()
        user = self.user_edit.text().strip() or None
        event = self.event_combo.currentData()
        try:
            records = self.audit.records(
                start=start,
                end=end,
                event=event,
                user=user,
                limit=MAX_SHOWN_RECORDS,
            )
        except PacsDesktopError as exc:
            self._show_error(str(exc))
            records = []
        else:
            self.error_label.hide()
        self.model.set_records(records)
        self.table.resizeColumnsToContents()
        self.count_label.setText(self.tr("{count} records").format(count=len(records)))
        return len(records)

    def _on_apply(self) -> None:
        shown = self.reload()
        self._record_reading(
            audit_events.AUDIT_READ, f"filtered the audit view: {shown} records shown"
        )

    # -- verifying and exporting -------------------------------------------

    def verify_chain(self) -> VerifyResult | None:
        """Check the whole chain, show the result and audit the check."""
        try:
            result = self.audit.verify()
        except PacsDesktopError as exc:
            self._show_error(str(exc))
            return None
        if result.ok:
            text = self.tr("Chain intact: {count} records checked.").format(
                count=result.checked
            )
            mark_status(self.verify_label, "ok")
        else:
            text = self.tr(
                "Chain broken at record {seq} ({problem}): {message}"
            ).format(seq=result.seq, problem=result.problem, message=result.message)
            mark_status(self.verify_label, "error")
        self.verify_label.setText(text)
        outcome = "intact" if result.ok else f"broken: {result.message}"
        self._record_reading(audit_events.AUDIT_READ, f"verified the chain: {outcome}")
        return result

    def _on_verify(self) -> None:
        self.verify_chain()

    def export_to(self, path: Path) -> int:
        """Write the records shown as XML to ``path``; return how many.

        The export is recorded before the file is written, so no copy exists
        that the trail does not mention; a failed write is recorded as well.
        """
        records = self.model.records()
        document = self.audit.export_xml(records).encode("utf-8")
        self._record_reading(
            audit_events.AUDIT_EXPORTED,
            f"exported {len(records)} records from the audit view to {path}",
        )
        try:
            path.write_bytes(document + b"\n")
        except OSError as exc:
            self._record_reading(
                audit_events.AUDIT_EXPORTED,
                f"export to {path} failed: {exc.strerror or exc}",
                outcome="failure",
            )
            self._show_error(
                self.tr("The export to {path} failed: {reason}").format(
                    path=str(path), reason=str(exc.strerror or exc)
                )
            )
            return 0
        return len(records)

    def _on_export(self) -> None:
        dialog = QFileDialog(self, self.tr("Export the audit records"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("XML files (*.xml)"))
        dialog.setDefaultSuffix("xml")
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return
        names = dialog.selectedFiles()
        if names:
            count = self.export_to(Path(names[0]))
            self.count_label.setText(
                self.tr("{count} records exported to {path}").format(
                    count=count, path=names[0]
                )
            )

    def _record_reading(
        self, event: str, detail: str, *, outcome: str = "success"
    ) -> None:
        try:
            self.audit.record(
                event, user=self.session.user.name, outcome=outcome, detail=detail
            )
        except PacsDesktopError as exc:
            self._show_error(str(exc))

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()


def _utc_day(date: QDate) -> datetime:
    return datetime(date.year(), date.month(), date.day(), tzinfo=timezone.utc)
