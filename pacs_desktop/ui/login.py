"""The login dialog, which also creates the first administrator account.

It is the first window the application shows, so this module imports only Qt
and the user store: nothing that decodes images or reads patient data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.ui.layout_fit import grow_to_fit, set_message_width
from pacs_desktop.ui.status_text import mark_status

if TYPE_CHECKING:
    from pacs_desktop.core.security.users import Session, UserStore


class LoginDialog(QDialog):
    """Ask for a user name and password and open a session.

    When the user store has no account yet, the dialog asks for the first
    administrator's name and password (twice), creates the account under the
    password policy and logs it in. There is no default password.
    """

    def __init__(self, users: UserStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users = users
        self.session: Session | None = None
        self.first_run = not users.has_users()

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("name")
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setObjectName("repeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        mark_status(self.error_label, "error")
        self.error_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)
        self._build_layout()
        set_message_width(self)

    def _build_layout(self) -> None:
        intro = QLabel(self)
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name:"), self.name_edit)
        form.addRow(self.tr("Password:"), self.password_edit)
        if self.first_run:
            self.setWindowTitle(self.tr("PACS Desktop - create administrator"))
            intro.setText(
                self.tr(
                    "No user account exists yet. Choose the name and password of "
                    "the administrator account; it can add the other users."
                )
            )
            form.addRow(self.tr("Repeat password:"), self.repeat_edit)
        else:
            self.setWindowTitle(self.tr("PACS Desktop - log in"))
            intro.setText(self.tr("Log in to open the workstation."))
            self.repeat_edit.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.name_edit.setFocus()

    def show_error(self, message: str) -> None:
        """Show ``message`` under the fields and clear the password fields."""
        self._set_error_text(message)
        self.password_edit.clear()
        self.repeat_edit.clear()
        self.password_edit.setFocus()

    def _set_error_text(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        grow_to_fit(self)

    def _on_submit(self) -> None:
        name = self.name_edit.text().strip()
        password = self.password_edit.text()
        if not name:
            self._set_error_text(self.tr("Enter a user name."))
            self.name_edit.setFocus()
            return

        if self.first_run:
            if password != self.repeat_edit.text():
                self.show_error(self.tr("The two passwords differ. Type them again."))
                return
            try:
                self.users.create_first_administrator(name, password)
            except PacsDesktopError as exc:
                self.show_error(
                    self.tr("The account was not created: {reason}").format(
                        reason=str(exc)
                    )
                )
                return

        try:
            self.session = self.users.authenticate(name, password)
        except PacsDesktopError as exc:
            self.show_error(self.tr("Login failed: {reason}").format(reason=str(exc)))
            return
        self.accept()
