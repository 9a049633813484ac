"""Role gating: the GUI disables what a role may not do, and the core refuses it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyPage, StudyQuery, StudyRecord
from pacs_desktop.core.errors import AccessDeniedError
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.emergency import EmergencyAccess
from pacs_desktop.core.security.roles import Permission, Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.security.audit_view import AuditViewDialog
from pacs_desktop.ui.security.emergency_dialog import EmergencyAccessDialog
from pacs_desktop.ui.security.users_dialog import UserManagementDialog

PASSWORD = "Reading-Room-Lights-31"

# Whether each role finds each action enabled (main window, Security menu or
# Network menu).
EXPECTED = {
    Role.TECHNICIAN: {
        "import_files_action": True,
        "open_action": True,
        "find_action": True,
        "users_action": False,
        "audit_action": False,
        "restart_scp_action": False,
    },
    Role.TRANSCRIPTIONIST: {
        "import_files_action": False,
        "open_action": False,
        "find_action": False,
        "users_action": False,
        "audit_action": False,
        "restart_scp_action": False,
    },
    Role.REFERRING_PHYSICIAN: {
        "import_files_action": False,
        "open_action": True,
        "find_action": True,
        "users_action": False,
        "audit_action": False,
        "restart_scp_action": False,
    },
    Role.RADIOLOGIST: {
        "import_files_action": True,
        "open_action": True,
        "find_action": True,
        "users_action": False,
        "audit_action": False,
        "restart_scp_action": False,
    },
    Role.ADMINISTRATOR: {
        "import_files_action": True,
        "open_action": True,
        "find_action": True,
        "users_action": True,
        "audit_action": True,
        "restart_scp_action": True,
    },
}


def session_for(workstation: Workstation, admin: Session, role: Role) -> Session:
    if role is Role.ADMINISTRATOR:
        return admin
    name = f"user-{role.value}"
    workstation.users.create_user(name, PASSWORD, role, actor=admin)
    return workstation.users.authenticate(name, PASSWORD)


def open_window(qtbot: QtBot, workstation: Workstation, session: Session) -> MainWindow:
    window = MainWindow(workstation, session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def role_window(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
) -> Iterator[tuple[Role, MainWindow]]:
    role: Role = request.param
    session = session_for(filled_workstation, admin_session, role)
    window = open_window(qtbot, filled_workstation, session)
    yield role, window
    window.close()


def action(window: MainWindow, name: str) -> bool:
    owners = (window.security, window.network, window)
    owner = next(owner for owner in owners if hasattr(owner, name))
    return bool(getattr(owner, name).isEnabled())


@pytest.mark.parametrize(
    ("role_window", "name"),
    [(role, name) for role, table in EXPECTED.items() for name in table],
    indirect=["role_window"],
)
def test_action_enabled_by_role(
    role_window: tuple[Role, MainWindow], name: str
) -> None:
    role, window = role_window
    assert action(window, name) is EXPECTED[role][name]


@pytest.mark.parametrize("role_window", [Role.TRANSCRIPTIONIST], indirect=True)
def test_transcriptionist_sees_no_studies(
    role_window: tuple[Role, MainWindow],
) -> None:
    _role, window = role_window
    assert window.browser.row_count() == 0
    assert not window.browser.isEnabled()


def spy_on_study_rows(
    monkeypatch: pytest.MonkeyPatch, workstation: Workstation
) -> list[str]:
    """Record the StudyInstanceUID of every study row the archive hands out."""
    archive = workstation.archive
    handed_out: list[str] = []
    find_page = archive.find_studies_page
    find_all = archive.find_studies

    def page_spy(*args: Any, **kwargs: Any) -> StudyPage:
        page = find_page(*args, **kwargs)
        handed_out.extend(record.StudyInstanceUID for record in page.records)
        return page

    def list_spy(*args: Any, **kwargs: Any) -> list[StudyRecord]:
        records = find_all(*args, **kwargs)
        handed_out.extend(record.StudyInstanceUID for record in records)
        return records

    monkeypatch.setattr(archive, "find_studies_page", page_spy)
    monkeypatch.setattr(archive, "find_studies", list_spy)
    return handed_out


@pytest.mark.parametrize(
    "case",
    [(Role.TRANSCRIPTIONIST, False), (Role.TECHNICIAN, True)],
    ids=["transcriptionist", "technician"],
)
def test_study_list_filled_only_with_query(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    filled_workstation: Workstation,
    admin_session: Session,
    case: tuple[Role, bool],
) -> None:
    role, fills_list = case
    session = session_for(filled_workstation, admin_session, role)
    handed_out = spy_on_study_rows(monkeypatch, filled_workstation)
    window = open_window(qtbot, filled_workstation, session)
    shown = window.browser.row_count()
    window.close()
    assert bool(handed_out) is fills_list
    assert bool(shown) is fills_list


@pytest.mark.parametrize("role_window", [Role.TECHNICIAN], indirect=True)
def test_admin_entries_hidden(role_window: tuple[Role, MainWindow]) -> None:
    _role, window = role_window
    assert not window.security.users_action.isVisible()
    assert not window.security.audit_action.isVisible()


@pytest.mark.parametrize("role_window", [Role.TRANSCRIPTIONIST], indirect=True)
def test_scp_restart_hidden(role_window: tuple[Role, MainWindow]) -> None:
    _role, window = role_window
    assert not window.network.restart_scp_action.isVisible()


@pytest.mark.parametrize(
    "role_window", [Role.TRANSCRIPTIONIST, Role.TECHNICIAN], indirect=True
)
def test_scp_restart_refused(
    role_window: tuple[Role, MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    _role, window = role_window
    starts: list[None] = []
    monkeypatch.setattr(
        window.network.service, "start_scp", lambda: starts.append(None)
    )

    window.network.restart_scp()

    assert starts == []


@pytest.mark.parametrize(
    ("role", "permission"),
    [
        (Role.TECHNICIAN, Permission.MANAGE_USERS),
        (Role.TECHNICIAN, Permission.READ_AUDIT),
        (Role.TRANSCRIPTIONIST, Permission.OPEN_STUDY),
        (Role.TRANSCRIPTIONIST, Permission.IMPORT),
        (Role.REFERRING_PHYSICIAN, Permission.IMPORT),
        (Role.REFERRING_PHYSICIAN, Permission.DELETE),
    ],
)
def test_core_refuses_role(
    workstation: Workstation, admin_session: Session, role: Role, permission: Permission
) -> None:
    session = session_for(workstation, admin_session, role)
    with pytest.raises(AccessDeniedError):
        session.require(permission)
    denied = [
        record
        for record in workstation.audit.records()
        if record.event == audit_events.ACCESS_DENIED
    ]
    assert len(denied) == 1


def test_core_refuses_user_change(
    workstation: Workstation, admin_session: Session
) -> None:
    technician = session_for(workstation, admin_session, Role.TECHNICIAN)
    with pytest.raises(AccessDeniedError):
        workstation.users.create_user(
            "intruder", PASSWORD, Role.ADMINISTRATOR, actor=technician
        )
    assert workstation.users.get_user("intruder") is None


def test_users_dialog_refuses_technician(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    technician = session_for(workstation, admin_session, Role.TECHNICIAN)
    with pytest.raises(AccessDeniedError):
        UserManagementDialog(workstation.users, technician)


def test_audit_view_refuses_technician(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    technician = session_for(workstation, admin_session, Role.TECHNICIAN)
    with pytest.raises(AccessDeniedError):
        AuditViewDialog(workstation.audit, technician)


@pytest.mark.parametrize("role_window", [Role.TRANSCRIPTIONIST], indirect=True)
def test_open_refused_in_window(
    qtbot: QtBot, role_window: tuple[Role, MainWindow], filled_workstation: Workstation
) -> None:
    _role, window = role_window
    (study,) = filled_workstation.archive.find_studies(
        StudyQuery(patient_id="PID-1001")
    )

    def close_warning() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.accept()

    QTimer.singleShot(50, close_warning)
    window.request_open(study)
    assert window.viewer is None
    assert window.confirm_dialog is None


# -- emergency access --------------------------------------------------------


class FixedClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def restricted_window(
    qtbot: QtBot, workstation: Workstation, session: Session, study: StudyRecord
) -> MainWindow:
    window = open_window(qtbot, workstation, session)
    window.security.study_gate.emergency = EmergencyAccess(
        workstation.database,
        workstation.audit,
        FixedClock(),
        restricted=lambda uid: uid == study.StudyInstanceUID,
    )
    return window


def test_restricted_study_asks_reason(
    qtbot: QtBot, filled_workstation: Workstation, admin_session: Session
) -> None:
    radiologist = session_for(filled_workstation, admin_session, Role.RADIOLOGIST)
    (study,) = filled_workstation.archive.find_studies(
        StudyQuery(patient_id="PID-1001")
    )
    window = restricted_window(qtbot, filled_workstation, radiologist, study)

    window.request_open(study)
    dialog = window.security.study_gate.dialog
    assert isinstance(dialog, EmergencyAccessDialog)
    assert window.confirm_dialog is None

    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "reason" in dialog.error_label.text()

    qtbot.keyClicks(dialog.reason_edit, "stroke alarm, treating physician absent")
    dialog.buttons.accepted.emit()
    assert window.confirm_dialog is not None
    started = [
        record
        for record in filled_workstation.audit.records()
        if record.event == audit_events.EMERGENCY_ACCESS_STARTED
    ]
    assert len(started) == 1
    assert "stroke alarm" in started[0].detail
    assert started[0].study_uids == (study.StudyInstanceUID,)
    window.confirm_dialog.reject()
    window.close()
    stopped = [
        record.detail
        for record in filled_workstation.audit.records()
        if record.event == audit_events.EMERGENCY_ACCESS_STOPPED
    ]
    assert stopped == ["ended at logout"]


def test_restricted_study_refused_to_technician(
    qtbot: QtBot, filled_workstation: Workstation, admin_session: Session
) -> None:
    technician = session_for(filled_workstation, admin_session, Role.TECHNICIAN)
    (study,) = filled_workstation.archive.find_studies(
        StudyQuery(patient_id="PID-1001")
    )
    window = restricted_window(qtbot, filled_workstation, technician, study)

    def close_warning() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.accept()

    QTimer.singleShot(50, close_warning)
    window.request_open(study)
    assert window.security.study_gate.dialog is None
    assert window.confirm_dialog is None
    denied = [
        record
        for record in filled_workstation.audit.records()
        if record.event == audit_events.ACCESS_DENIED
    ]
    assert len(denied) == 1
    window.close()


def test_open_key_does_nothing_for_transcriptionist(
    qtbot: QtBot, filled_workstation: Workstation, admin_session: Session
) -> None:
    session = session_for(filled_workstation, admin_session, Role.TRANSCRIPTIONIST)
    window = open_window(qtbot, filled_workstation, session)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.confirm_dialog is None
    window.close()
