"""User management dialog: list, add, disable, enable, unlock, reset, set role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pacs_desktop.core.errors import AuthenticationError
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.security.users_dialog import UserManagementDialog
from tests.ui.conftest import ADMIN_NAME

PASSWORD = "Night-Shift-Contrast-88"
NEW_PASSWORD = "Morning-Round-Scanner-12"


@pytest.fixture
def dialog(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> Iterator[UserManagementDialog]:
    workstation.users.create_user(
        "reader", PASSWORD, Role.RADIOLOGIST, actor=ADMIN_NAME
    )
    users = UserManagementDialog(workstation.users, admin_session)
    qtbot.addWidget(users)
    users.show()
    qtbot.waitExposed(users)
    yield users
    users.close()


def events(workstation: Workstation, name: str) -> list[str | None]:
    return [
        record.target_user
        for record in workstation.audit.records()
        if record.event == name
    ]


def add_user(
    qtbot: QtBot,
    dialog: UserManagementDialog,
    *,
    name: str,
    password: str,
    repeat: str,
    role: Role,
) -> None:
    dialog.add_button.click()
    add = dialog.add_dialog
    assert add is not None
    qtbot.waitExposed(add)
    add.name_edit.setText(name)
    add.role_combo.setCurrentIndex(add.role_combo.findData(role))
    add.passwords.password_edit.setText(password)
    add.passwords.repeat_edit.setText(repeat)
    add.buttons.accepted.emit()


def test_list_shows_accounts(dialog: UserManagementDialog) -> None:
    assert dialog.row_texts() == [
        [ADMIN_NAME, "Administrator", "no", "no"],
        ["reader", "Radiologist", "no", "no"],
    ]


def test_add_user_creates_account(
    qtbot: QtBot, dialog: UserManagementDialog, workstation: Workstation
) -> None:
    add_user(
        qtbot,
        dialog,
        name="tech1",
        password=PASSWORD,
        repeat=PASSWORD,
        role=Role.TECHNICIAN,
    )

    user = workstation.users.get_user("tech1")
    assert user is not None
    assert user.role is Role.TECHNICIAN
    assert ["tech1", "Technician", "no", "no"] in dialog.row_texts()
    assert dialog.selected_name() == "tech1"
    assert events(workstation, audit_events.USER_CREATED)[-1] == "tech1"


def test_add_user_passwords_differ(
    qtbot: QtBot, dialog: UserManagementDialog, workstation: Workstation
) -> None:
    add_user(
        qtbot,
        dialog,
        name="tech1",
        password=PASSWORD,
        repeat=PASSWORD + "x",
        role=Role.TECHNICIAN,
    )
    add = dialog.add_dialog
    assert add is not None
    assert add.isVisible()
    assert "differ" in add.error_label.text()
    assert workstation.users.get_user("tech1") is None
    add.reject()


@pytest.mark.parametrize(
    "case",
    [
        ("tech1", "short", "at least"),
        ("tech1", "tech1-tech1-tech1", "user name"),
        ("reader", PASSWORD, "exists already"),
    ],
    ids=["too-short", "contains-name", "duplicate"],
)
def test_add_user_shows_policy_error(
    qtbot: QtBot,
    dialog: UserManagementDialog,
    case: tuple[str, str, str],
) -> None:
    name, password, message = case
    add_user(
        qtbot,
        dialog,
        name=name,
        password=password,
        repeat=password,
        role=Role.TECHNICIAN,
    )
    add = dialog.add_dialog
    assert add is not None
    assert add.isVisible()
    assert message in add.error_label.text()
    assert add.passwords.password_edit.text() == ""
    add.reject()


def test_disable_and_enable(
    dialog: UserManagementDialog, workstation: Workstation
) -> None:
    assert dialog.select_user("reader")
    dialog.disable_button.click()
    assert ["reader", "Radiologist", "yes", "no"] in dialog.row_texts()
    with pytest.raises(AuthenticationError):
        workstation.users.authenticate("reader", PASSWORD)

    dialog.enable_button.click()
    assert ["reader", "Radiologist", "no", "no"] in dialog.row_texts()
    assert events(workstation, audit_events.USER_DISABLED) == ["reader"]
    assert events(workstation, audit_events.USER_ENABLED) == ["reader"]


def test_last_admin_stays_enabled(
    dialog: UserManagementDialog, workstation: Workstation
) -> None:
    assert dialog.select_user(ADMIN_NAME)
    dialog.disable_button.click()
    assert dialog.error_label.isVisible()
    assert "only enabled administrator" in dialog.error_label.text()
    user = workstation.users.get_user(ADMIN_NAME)
    assert user is not None
    assert not user.disabled


def test_unlock_locked_account(
    dialog: UserManagementDialog, workstation: Workstation
) -> None:
    for _ in range(workstation.users.policy.max_failed_logins):
        with pytest.raises(AuthenticationError):
            workstation.users.authenticate("reader", "wrong-password-here")
    dialog.refresh()
    assert dialog.select_user("reader")
    row = next(row for row in dialog.row_texts() if row[0] == "reader")
    assert row[3] != "no"
    assert dialog.unlock_button.isEnabled()

    dialog.unlock_button.click()
    assert ["reader", "Radiologist", "no", "no"] in dialog.row_texts()
    assert workstation.users.authenticate("reader", PASSWORD).user.name == "reader"
    assert events(workstation, audit_events.ACCOUNT_UNLOCKED) == ["reader"]


def test_reset_password(
    qtbot: QtBot, dialog: UserManagementDialog, workstation: Workstation
) -> None:
    assert dialog.select_user("reader")
    dialog.reset_button.click()
    reset = dialog.reset_dialog
    assert reset is not None
    qtbot.waitExposed(reset)
    reset.passwords.password_edit.setText(NEW_PASSWORD)
    reset.passwords.repeat_edit.setText(NEW_PASSWORD)
    reset.buttons.accepted.emit()

    assert not reset.isVisible()
    assert workstation.users.verify_password("reader", NEW_PASSWORD)
    assert events(workstation, audit_events.PASSWORD_RESET) == ["reader"]


def test_set_role(dialog: UserManagementDialog, workstation: Workstation) -> None:
    assert dialog.select_user("reader")
    dialog.role_combo.setCurrentIndex(
        dialog.role_combo.findData(Role.REFERRING_PHYSICIAN)
    )
    dialog.role_button.click()

    user = workstation.users.get_user("reader")
    assert user is not None
    assert user.role is Role.REFERRING_PHYSICIAN
    assert ["reader", "Referring physician", "no", "no"] in dialog.row_texts()
    assert events(workstation, audit_events.ROLE_CHANGED) == ["reader"]


def test_changes_name_the_admin(
    dialog: UserManagementDialog, workstation: Workstation
) -> None:
    assert dialog.select_user("reader")
    dialog.disable_button.click()
    (record,) = [
        record
        for record in workstation.audit.records()
        if record.event == audit_events.USER_DISABLED
    ]
    assert record.user == ADMIN_NAME
    assert not record.os_account
