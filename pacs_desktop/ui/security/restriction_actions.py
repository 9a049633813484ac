"""The study list's context menu to mark a study restricted or lift the mark.

Only a role with `Permission.MANAGE_USERS` (administrators) gets the
restriction entries; the core store checks the same permission again and
audits each change. Other study actions join the same menu through
`RestrictionActions.add_study_action`.
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
        self._study_actions: list[QAction] = []
        self._may_restrict = session.may(Permission.MANAGE_USERS)

        self.restrict_action = QAction(self.tr("&Restrict study..."), browser)
        self.restrict_action.triggered.connect(self._on_restrict)
        self.unrestrict_action = QAction(self.tr("&Lift restriction"), browser)
        self.unrestrict_action.triggered.connect(self._on_unrestrict)
        self._menu_connected = False
        if self._may_restrict:
            self._connect_menu()

    @property
    def target(self) -> StudyRecord | None:
        """The study that the context menu was last opened on."""
        return self._target

    def add_study_action(self, action: QAction) -> None:
        """Add ``action`` to the study list's context menu, after a separator.

        The caller adds only actions that the session's role may use; the
        handler finds the study in `target`.
        """
        self._study_actions.append(action)
        if self.menu is not None:
            self.menu.deleteLater()
            self.menu = None
        self._connect_menu()

    def _connect_menu(self) -> None:
        if self._menu_connected:
            return
        table = self.browser.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_context_menu)
        self._menu_connected = True

    def _on_context_menu(self, position: QPoint) -> None:
        table = self.browser.table
        index = table.indexAt(position)
        if index.isValid():
            table.selectRow(index.row())
        study = self.browser.selected_study()
        if study is None:
            return
        self._target = study
        if self._may_restrict:
            try:
                restricted = self.restrictions.is_restricted(study.StudyInstanceUID)
            except PacsDesktopError as exc:
                self._show_error(str(exc))
                return
            self.restrict_action.setEnabled(not restricted)
            self.unrestrict_action.setEnabled(restricted)

        if self.menu is None:
            self.menu = self._build_menu()
        self.menu.popup(table.viewport().mapToGlobal(position))

    def _build_menu(self) -> QMenu:
        menu = QMenu(self.browser.table)
        if self._may_restrict:
            menu.addAction(self.restrict_action)
            menu.addAction(self.unrestrict_action)
        if self._may_restrict and self._study_actions:
            menu.addSeparator()
        for action in self._study_actions:
            menu.addAction(action)
        return menu

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
