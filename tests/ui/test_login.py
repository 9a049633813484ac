"""Login dialog: first-run administrator creation, login success and failure."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.login import LoginDialog

ADMIN_NAME = "chief"
ADMIN_PASSWORD = "Login-Dialog-Password-4"


def make_dialog(qtbot: QtBot, workstation: Workstation) -> LoginDialog:
    dialog = LoginDialog(workstation.users)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill(qtbot: QtBot, dialog: LoginDialog, name: str, password: str) -> None:
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.password_edit, password)


def press_ok(qtbot: QtBot, dialog: LoginDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_first_run_creates_administrator(
    qtbot: QtBot, workstation: Workstation
) -> None:
    dialog = make_dialog(qtbot, workstation)
    assert dialog.first_run
    assert dialog.repeat_edit.isVisible()

    fill(qtbot, dialog, ADMIN_NAME, ADMIN_PASSWORD)
    qtbot.keyClicks(dialog.repeat_edit, ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        press_ok(qtbot, dialog)

    assert dialog.session is not None
    assert dialog.session.user.name == ADMIN_NAME
    assert dialog.session.user.role == Role.ADMINISTRATOR
    assert workstation.users.has_users()


def test_first_run_rejects_different_repeat(
    qtbot: QtBot, workstation: Workstation
) -> None:
    dialog = make_dialog(qtbot, workstation)
    fill(qtbot, dialog, ADMIN_NAME, ADMIN_PASSWORD)
    qtbot.keyClicks(dialog.repeat_edit, ADMIN_PASSWORD + "x")
    press_ok(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "differ" in dialog.error_label.text()
    assert not workstation.users.has_users()


def test_first_run_shows_password_policy(
    qtbot: QtBot, workstation: Workstation
) -> None:
    dialog = make_dialog(qtbot, workstation)
    fill(qtbot, dialog, ADMIN_NAME, "short")
    qtbot.keyClicks(dialog.repeat_edit, "short")
    press_ok(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("The account was not created:")
    assert dialog.session is None
    assert not workstation.users.has_users()


def test_login_succeeds(qtbot: QtBot, workstation: Workstation) -> None:
    workstation.users.create_first_administrator(ADMIN_NAME, ADMIN_PASSWORD)
    dialog = make_dialog(qtbot, workstation)
    assert not dialog.first_run
    assert not dialog.repeat_edit.isVisible()

    fill(qtbot, dialog, ADMIN_NAME, ADMIN_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    assert dialog.session is not None
    assert dialog.session.user.name == ADMIN_NAME
    events = [record.event for record in workstation.audit.records()]
    assert audit_events.LOGIN in events


def test_login_wrong_password_fails(qtbot: QtBot, workstation: Workstation) -> None:
    workstation.users.create_first_administrator(ADMIN_NAME, ADMIN_PASSWORD)
    dialog = make_dialog(qtbot, workstation)

    fill(qtbot, dialog, ADMIN_NAME, "Wrong-Password-123")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.session is None
    assert dialog.error_label.text().startswith("Login failed:")
    assert dialog.password_edit.text() == ""
    events = [record.event for record in workstation.audit.records()]
    assert audit_events.LOGIN_FAILED in events


def test_login_shows_lockout(qtbot: QtBot, workstation: Workstation) -> None:
    workstation.users.create_first_administrator(ADMIN_NAME, ADMIN_PASSWORD)
    dialog = make_dialog(qtbot, workstation)

    for _attempt in range(5):
        dialog.name_edit.clear()
        fill(qtbot, dialog, ADMIN_NAME, "Wrong-Password-123")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    assert "locked" in dialog.error_label.text()
    dialog.name_edit.clear()
    fill(qtbot, dialog, ADMIN_NAME, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.session is None
    assert "locked" in dialog.error_label.text()


def test_unknown_name_shows_lockout(qtbot: QtBot, workstation: Workstation) -> None:
    workstation.users.create_first_administrator(ADMIN_NAME, ADMIN_PASSWORD)
    dialog = make_dialog(qtbot, workstation)

    for _attempt in range(5):
        dialog.name_edit.clear()
        fill(qtbot, dialog, "nosuchuser", "Wrong-Password-123")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    assert dialog.isVisible()
    assert dialog.session is None
    assert "the account 'nosuchuser' is locked" in dialog.error_label.text()
