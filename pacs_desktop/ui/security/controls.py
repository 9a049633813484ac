"""The security parts of the main window: role gating, admin menu, idle lock.

`SecurityControls` attaches to a main window after its actions exist. It
disables every action the session's role may not use (the core refuses those
actions anyway through `Session.require`), adds the Security menu (users,
audit trail, lock now), starts the idle lock, holds the gate that offers
emergency access to restricted studies, and gives administrators the study
list's context menu that marks a study restricted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from pacs_desktop.core.archive.restrictions import StudyRestrictions
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.emergency import EmergencyAccess
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.ui.archive_actions import ArchiveActions
from pacs_desktop.ui.security.audit_view import AuditViewDialog
from pacs_desktop.ui.security.emergency_dialog import StudyAccessGate
from pacs_desktop.ui.security.idle_lock import (
    DEFAULT_IDLE_TIMEOUT,
    IdleLock,
    IdleMonitor,
)
from pacs_desktop.ui.security.restriction_actions import RestrictionActions
from pacs_desktop.ui.security.users_dialog import UserManagementDialog
from pacs_desktop.ui.settings_dialog import settings_notifier

if TYPE_CHECKING:
    from pacs_desktop.core.security.users import Session
    from pacs_desktop.core.workstation import Workstation
    from pacs_desktop.ui.main_window import MainWindow

logger = logging.getLogger(__name__)

IDLE_LOCK_SETTING = "security.idle_lock_minutes"

# The actions of the main window, of the Security menu and of the Network
# menu, and the permission each needs; an object without one of these
# attributes is skipped.
ACTION_PERMISSIONS: dict[str, Permission] = {
    "import_files_action": Permission.IMPORT,
    "import_folder_action": Permission.IMPORT,
    "open_action": Permission.OPEN_STUDY,
    "find_action": Permission.QUERY,
    "users_action": Permission.MANAGE_USERS,
    "audit_action": Permission.READ_AUDIT,
    # The storage SCP runs with the node and AE title settings.
    "restart_scp_action": Permission.MANAGE_NODES,
}


def site_idle_timeout(workstation: Workstation) -> timedelta:
    """Return the idle lock time of the workstation's effective settings.

    The value is ``security.idle_lock_minutes``: a locked site profile value,
    else the user's setting, else the site default, else 15 minutes. When the
    site profile or the stored value is invalid, 15 minutes apply.
    """
    try:
        minutes = workstation.settings.get_int(IDLE_LOCK_SETTING)
    except PacsDesktopError as exc:
        logger.error("idle lock setting not read, 15 minutes apply: %s", exc)
        return DEFAULT_IDLE_TIMEOUT
    return timedelta(minutes=minutes)


def apply_role_gating(window: QObject, session: Session) -> None:
    """Enable each known action of ``window`` only when the role grants it.

    ``window`` is any object with action attributes named in
    `ACTION_PERMISSIONS`.
    """
    for name, permission in ACTION_PERMISSIONS.items():
        action = getattr(window, name, None)
        if isinstance(action, QAction):
            allowed = session.may(permission)
            action.setEnabled(allowed)
            action.setVisible(allowed or name not in _HIDDEN_WHEN_REFUSED)


# Administration entries are hidden, not just greyed, from the other roles.
_HIDDEN_WHEN_REFUSED = frozenset({"users_action", "audit_action", "restart_scp_action"})


class SecurityControls(QObject):
    """Role gating, the Security menu, the idle lock and the emergency gate."""

    def __init__(
        self, window: MainWindow, *, idle_timeout: timedelta | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        session = window.session
        self.session = session
        workstation = window.workstation
        self.users_dialog: UserManagementDialog | None = None
        self.audit_dialog: AuditViewDialog | None = None

        timeout = idle_timeout or site_idle_timeout(workstation)
        self.idle_lock = IdleLock(
            window,
            session,
            workstation.users,
            workstation.audit,
            IdleMonitor(timeout),
        )
        # Restricted studies open only through a radiologist's emergency access.
        self.restrictions = StudyRestrictions(workstation.database, workstation.audit)
        # Building it closes the overrides that a crashed program left open.
        emergency = EmergencyAccess(
            workstation.database,
            workstation.audit,
            restricted=self.restrictions.is_restricted,
        )
        self.study_gate = StudyAccessGate(window, session, workstation.audit, emergency)
        self.restriction_actions = RestrictionActions(
            window.browser, session, self.restrictions
        )
        self.archive_actions = ArchiveActions(
            window.browser,
            session,
            workstation.archive,
            window.runner,
            self.restriction_actions,
            in_use=window.open_study_uids,
            show_status=window.show_status,
        )
        self._add_menu()
        apply_role_gating(window, session)
        apply_role_gating(self, session)
        self._gate_study_list()
        self.idle_lock.start()
        settings_notifier().sig_applied.connect(self._on_settings_applied)
        self._listening = True

    @property
    def switch_user_requested(self) -> bool:
        """Whether an administrator closed the locked session to switch user."""
        return self.idle_lock.switch_user_requested

    def _add_menu(self) -> None:
        self.users_action = self._action(
            self.tr("&Users..."), None, self.show_users_dialog
        )
        self.audit_action = self._action(
            self.tr("&Audit trail..."), None, self.show_audit_view
        )
        self.lock_action = self._action(
            self.tr("&Lock screen"), "Ctrl+L", self._on_lock_now
        )
        menu = self.window.menuBar().addMenu(self.tr("Se&curity"))
        menu.addAction(self.users_action)
        menu.addAction(self.audit_action)
        menu.addSeparator()
        menu.addAction(self.lock_action)

    def _action(
        self, text: str, shortcut: str | None, handler: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: handler())
        self.window.addAction(action)
        return action

    def _gate_study_list(self) -> None:
        # The study list shows patient names, so a role without the query
        # permission (a transcriptionist) sees it empty and disabled.
        if self.session.may(Permission.QUERY):
            return
        browser = self.window.browser
        browser.model.set_records([])
        browser.series_panel.set_study(None)
        browser.setEnabled(False)

    # -- dialogs ------------------------------------------------------------

    def show_users_dialog(self) -> UserManagementDialog | None:
        """Open the user management dialog, or explain the refusal."""
        try:
            dialog = UserManagementDialog(
                self.window.workstation.users, self.session, self.window
            )
        except PacsDesktopError as exc:
            self._warn(str(exc))
            return None
        self._replace_dialog(self.users_dialog)
        self.users_dialog = dialog
        dialog.show()
        return dialog

    def show_audit_view(self) -> AuditViewDialog | None:
        """Open the audit trail view (which records the reading), or refuse."""
        try:
            dialog = AuditViewDialog(
                self.window.workstation.audit, self.session, self.window
            )
        except PacsDesktopError as exc:
            self._warn(str(exc))
            return None
        self._replace_dialog(self.audit_dialog)
        self.audit_dialog = dialog
        dialog.show()
        return dialog

    @staticmethod
    def _replace_dialog(old: QObject | None) -> None:
        if old is not None:
            old.deleteLater()

    def _on_lock_now(self) -> None:
        self.idle_lock.lock("locked by the user")

    def _warn(self, message: str) -> None:
        QMessageBox.warning(self.window, self.tr("Not allowed"), message)

    def _on_settings_applied(self, keys: list[str]) -> None:
        # A new idle lock time applies to this session at once, not only
        # after the next login.
        if IDLE_LOCK_SETTING in keys:
            self.idle_lock.monitor.set_timeout(
                site_idle_timeout(self.window.workstation)
            )

    # -- shutdown -----------------------------------------------------------

    def shutdown(self) -> None:
        """Stop the idle lock, close the security dialogs and end overrides."""
        if self._listening:
            settings_notifier().sig_applied.disconnect(self._on_settings_applied)
            self._listening = False
        self.idle_lock.stop()
        self.restriction_actions.close_dialogs()
        for dialog in (self.users_dialog, self.audit_dialog):
            if dialog is not None:
                dialog.close()
        self.study_gate.end_session()
