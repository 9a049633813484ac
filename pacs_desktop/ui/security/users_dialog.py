"""User management for administrators: list, add, disable, unlock, reset, set role.

Every change goes through `UserStore` with the administrator's session as the
actor, so the store checks the manage-users permission again and audits the
change in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.roles import Permission, Role
from pacs_desktop.ui.status_text import mark_status

if TYPE_CHECKING:
    from pacs_desktop.core.security.users import Session, User, UserStore

logger = logging.getLogger(__name__)


def _role_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for role in Role:
        combo.addItem(role.label, role)
    return combo


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("error")
    label.setWordWrap(True)
    mark_status(label, "error")
    label.hide()
    return label


class PasswordFields(QWidget):
    """A password typed twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setObjectName("repeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Password:"), self.password_edit)
        form.addRow(self.tr("Repeat password:"), self.repeat_edit)

    def matching_password(self) -> str | None:
        """Return the password when both entries agree, else None."""
        password = self.password_edit.text()
        return password if password == self.repeat_edit.text() else None

    def clear(self) -> None:
        """Clear both entries."""
        self.password_edit.clear()
        self.repeat_edit.clear()


class _AccountDialog(QDialog):
    """A small form that runs one store call on OK and shows its error."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error_label = _error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def show_error(self, message: str) -> None:
        """Show ``message`` under the fields."""
        self.error_label.setText(message)
        self.error_label.show()

    def _run(self, change: Callable[[], object]) -> bool:
        try:
            change()
        except PacsDesktopError as exc:
            self.show_error(str(exc))
            return False
        return True

    def _on_submit(self) -> None:
        raise NotImplementedError


class AddUserDialog(_AccountDialog):
    """Create an account: name, role and a password typed twice."""

    def __init__(
        self, users: UserStore, session: Session, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Add user"), parent)
        self.users = users
        self.session = session
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("name")
        self.role_combo = _role_combo(self)
        self.role_combo.setCurrentIndex(self.role_combo.findData(Role.RADIOLOGIST))
        self.passwords = PasswordFields(self)
        self.form.addRow(self.tr("User name:"), self.name_edit)
        self.form.addRow(self.tr("Role:"), self.role_combo)
        self.form.addRow(self.passwords)

    def _on_submit(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.show_error(self.tr("Enter a user name."))
            return
        password = self.passwords.matching_password()
        if password is None:
            self.passwords.clear()
            self.show_error(self.tr("The two passwords differ. Type them again."))
            return
        role = Role(self.role_combo.currentData())
        if self._run(
            lambda: self.users.create_user(name, password, role, actor=self.session)
        ):
            self.accept()
        else:
            self.passwords.clear()


class ResetPasswordDialog(_AccountDialog):
    """Set a new password for an account, typed twice."""

    def __init__(
        self,
        users: UserStore,
        session: Session,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("Reset the password of {name}").format(name=name), parent
        )
        self.users = users
        self.session = session
        self.name = name
        self.passwords = PasswordFields(self)
        self.form.addRow(self.passwords)

    def _on_submit(self) -> None:
        password = self.passwords.matching_password()
        if password is None:
            self.passwords.clear()
            self.show_error(self.tr("The two passwords differ. Type them again."))
            return
        if self._run(
            lambda: self.users.reset_password(self.name, password, actor=self.session)
        ):
            self.accept()
        else:
            self.passwords.clear()


class UserManagementDialog(QDialog):
    """List the accounts and change them, for a session that may manage users.

    Raises
    ------
    AccessDeniedError
        If ``session``'s role lacks the manage-users permission (audited).
    """

    COLUMNS = ("name", "role", "disabled", "locked")

    def __init__(
        self, users: UserStore, session: Session, parent: QWidget | None = None
    ) -> None:
        session.require(Permission.MANAGE_USERS)
        super().__init__(parent)
        self.users = users
        self.session = session
        self.add_dialog: AddUserDialog | None = None
        self.reset_dialog: ResetPasswordDialog | None = None
        self.setWindowTitle(self.tr("Users"))
        self.resize(640, 420)

        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("user_table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Role"), self.tr("Disabled"), self.tr("Locked")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(self.tr("Add user..."), self)
        self.disable_button = QPushButton(self.tr("Disable"), self)
        self.enable_button = QPushButton(self.tr("Enable"), self)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.reset_button = QPushButton(self.tr("Reset password..."), self)
        self.role_combo = _role_combo(self)
        self.role_button = QPushButton(self.tr("Set role"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.error_label = _error_label(self)
        self._build_layout()

        self.add_button.clicked.connect(self._on_add)
        self.disable_button.clicked.connect(lambda: self._on_set_disabled(True))
        self.enable_button.clicked.connect(lambda: self._on_set_disabled(False))
        self.unlock_button.clicked.connect(self._on_unlock)
        self.reset_button.clicked.connect(self._on_reset)
        self.role_button.clicked.connect(self._on_set_role)
        self.close_button.clicked.connect(self.close)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.refresh()

    def _build_layout(self) -> None:
        buttons = QVBoxLayout()
        for button in (
            self.add_button,
            self.disable_button,
            self.enable_button,
            self.unlock_button,
            self.reset_button,
        ):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(QLabel(self.tr("New role:"), self))
        buttons.addWidget(self.role_combo)
        buttons.addWidget(self.role_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error_label)

    # -- the list -----------------------------------------------------------

    def refresh(self) -> None:
        """Reload the accounts, keeping the selected one selected."""
        selected = self.selected_name()
        accounts = self.users.list_users()
        self.table.setRowCount(len(accounts))
        for row, user in enumerate(accounts):
            for column, text in enumerate(self._row_texts(user)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        names = [user.name for user in accounts]
        if selected in names:
            self.table.selectRow(names.index(selected))
        self._on_selection_changed()

    def _row_texts(self, user: User) -> tuple[str, str, str, str]:
        yes, no = self.tr("yes"), self.tr("no")
        if user.locked and user.locked_until is not None:
            until = user.locked_until.astimezone().strftime("%Y-%m-%d %H:%M")
            locked = self.tr("until {time}").format(time=until)
        else:
            locked = yes if user.locked else no
        return (user.name, user.role.label, yes if user.disabled else no, locked)

    def row_texts(self) -> list[list[str]]:
        """Return the cell texts of every row."""
        rows = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, column) for column in range(4)]
            rows.append([cell.text() if cell is not None else "" for cell in cells])
        return rows

    def select_user(self, name: str) -> bool:
        """Select the row of ``name``; return whether it exists."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == name:
                self.table.selectRow(row)
                return True
        return False

    def selected_name(self) -> str | None:
        """Return the name of the selected account, or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item is not None else None

    def _on_selection_changed(self) -> None:
        name = self.selected_name()
        user = self.users.get_user(name) if name else None
        self.disable_button.setEnabled(user is not None and not user.disabled)
        self.enable_button.setEnabled(user is not None and user.disabled)
        self.unlock_button.setEnabled(
            user is not None and (user.locked or user.failed_logins > 0)
        )
        self.reset_button.setEnabled(user is not None)
        self.role_button.setEnabled(user is not None)
        if user is not None:
            self.role_combo.setCurrentIndex(self.role_combo.findData(user.role))

    # -- changes ------------------------------------------------------------

    def _change(self, change: Callable[[str], object]) -> None:
        name = self.selected_name()
        if name is None:
            return
        try:
            change(name)
        except PacsDesktopError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
        else:
            self.error_label.hide()
        self.refresh()

    def _on_set_disabled(self, disabled: bool) -> None:
        self._change(
            lambda name: self.users.set_disabled(name, disabled, actor=self.session)
        )

    def _on_unlock(self) -> None:
        self._change(lambda name: self.users.unlock(name, actor=self.session))

    def _on_set_role(self) -> None:
        role = Role(self.role_combo.currentData())
        self._change(lambda name: self.users.set_role(name, role, actor=self.session))

    def _on_add(self) -> None:
        dialog = AddUserDialog(self.users, self.session, self)
        dialog.accepted.connect(self._on_added)
        self.add_dialog = dialog
        dialog.open()

    def _on_added(self) -> None:
        dialog = self.add_dialog
        self.refresh()
        if dialog is not None:
            self.select_user(dialog.name_edit.text().strip())

    def _on_reset(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        dialog = ResetPasswordDialog(self.users, self.session, name, self)
        dialog.accepted.connect(self.refresh)
        self.reset_dialog = dialog
        dialog.open()
