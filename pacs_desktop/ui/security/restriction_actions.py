"""The study list's context menu to mark a study restricted or lift the mark.

Only a role with `Permission.MANAGE_USERS` (administrators) gets the menu; the
core store checks the same permission again and audits each change.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.roles import Permission

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import StudyRecord
    from pacs_desktop.core.archive.restrictions import StudyRestrictions
    from pacs_desktop.core.security.users import Session
    from pacs_desktop.ui.browser import StudyBrowser

logger = logging.getLogger(__name__)


class RestrictionActions(QObject):
    """Restrict and unrestrict actions on the selected row of a study browser.

    The reason dialog and any error box open window-modal without blocking,
    so the event loop (and the idle lock) keeps running while they are shown.
    """

    def __init__(
        self,
        browser: StudyBrowser,
        session: Session,
        restrictions: StudyRestrictions,
    ) -> None:
        super().__init__(browser)
        self.browser = browser
        self.session = session
        self.restrictions = restrictions
        self.menu: QMenu | None = None
        self.reason_dialog: QInputDialog | None = None
        self.message_box: QMessageBox | None = None
        self._target: StudyRecord | None = None

        self.restrict_action = QAction(self.tr("&Restrict study..."), browser)
        self.restrict_action.triggered.connect(self._on_restrict)
        self.unrestrict_action = QAction(self.tr("&Lift restriction"), browser)
        self.unrestrict_action.triggered.connect(self._on_unrestrict)
        if session.may(Permission.MANAGE_USERS):
            table = browser.table
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            table.customContextMenuRequested.connect(self._on_context_menu)

    def _on_context_menu(self, position: QPoint) -> None:
        table = self.browser.table
        index = table.indexAt(position)
        if index.isValid():
            table.selectRow(index.row())
        study = self.browser.selected_study()
        if study is None:
            return
        self._target = study
        try:
            restricted = self.restrictions.is_restricted(study.StudyInstanceUID)
        except PacsDesktopError as exc:
            self._show_error(str(exc))
            return
        self.restrict_action.setEnabled(not restricted)
        self.unrestrict_action.setEnabled(restricted)

        if self.menu is None:
            self.menu = QMenu(table)
            self.menu.addAction(self.restrict_action)
            self.menu.addAction(self.unrestrict_action)
        self.menu.popup(table.viewport().mapToGlobal(position))

    def _on_restrict(self) -> None:
        study = self._target
        if study is None:
            return
        dialog = QInputDialog(self.browser)
        dialog.setWindowTitle(self.tr("Restrict study"))
        dialog.setLabelText(
            self.tr(
                "Only a radiologist who states a reason for emergency access will "
                "open this study. Why is it restricted (for example: staff member, "
                "VIP)?"
            )
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self._restrict(study, dialog.textValue()))
        dialog.finished.connect(self._on_reason_closed)
        self.reason_dialog = dialog
        dialog.open()

    def _on_reason_closed(self, _result: int) -> None:
        dialog, self.reason_dialog = self.reason_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _restrict(self, study: StudyRecord, reason: str) -> None:
        try:
            self.restrictions.restrict(
                study.StudyInstanceUID,
                reason,
                actor=self.session,
                patient_id=study.PatientID,
                patient_name=study.PatientName,
            )
        except PacsDesktopError as exc:
            self._show_error(str(exc))

    def _on_unrestrict(self) -> None:
        study = self._target
        if study is None:
            return
        try:
            self.restrictions.unrestrict(
                study.StudyInstanceUID,
                actor=self.session,
                patient_id=study.PatientID,
                patient_name=study.PatientName,
            )
        except PacsDesktopError as exc:
            self._show_error(str(exc))

    def _show_error(self, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Study restriction not changed"),
            message,
            QMessageBox.StandardButton.Ok,
            self._window(),
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(box.deleteLater)
        self.message_box = box
        box.open()

    def _window(self) -> QWidget:
        return self.browser.window()

    def close_dialogs(self) -> None:
        """Close the reason dialog, the menu and an error box, at logout."""
        for widget in (self.reason_dialog, self.menu, self.message_box):
            if widget is not None:
                try:
                    widget.close()
                except RuntimeError:
                    # The error box deleted itself after it closed.
                    continue
