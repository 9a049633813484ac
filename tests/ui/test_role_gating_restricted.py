"""Restricted studies in the GUI: marked from the study list, opened by reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery, StudyRecord
from pacs_desktop.core.archive.restrictions import StudyRestrictions
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.security.emergency_dialog import EmergencyAccessDialog
from tests.ui.conftest import ADMIN_NAME

PASSWORD = "Quiet-Archive-Shelf-58"
PATIENT_ID = "PID-1001"
BIRTH_DATE = "1970-03-15"


def session_for(workstation: Workstation, admin: Session, role: Role) -> Session:
    name = f"user-{role.value}"
    workstation.users.create_user(name, PASSWORD, role, actor=admin)
    return workstation.users.authenticate(name, PASSWORD)


def study_of(workstation: Workstation, patient_id: str = PATIENT_ID) -> StudyRecord:
    (study,) = workstation.archive.find_studies(StudyQuery(patient_id=patient_id))
    return study


def restrictions_of(workstation: Workstation) -> StudyRestrictions:
    return StudyRestrictions(workstation.database, workstation.audit)


def audit_of(workstation: Workstation, event: str) -> list[audit_events.AuditRecord]:
    return [record for record in workstation.audit.records() if record.event == event]


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[object]:
    opened: list[MainWindow] = []

    def make(workstation: Workstation, session: Session) -> MainWindow:
        window = MainWindow(workstation, session)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        opened.append(window)
        return window

    yield make
    for window in opened:
        window.close()


def context_menu_on(qtbot: QtBot, window: MainWindow, study: StudyRecord) -> None:
    """Right-click the study's row the way Qt reports it to the table."""
    browser = window.browser
    row = browser.proxy.row_of(study.StudyInstanceUID)
    assert row is not None
    table = browser.table
    centre: QPoint = table.visualRect(browser.proxy.index(row, 0)).center()
    table.customContextMenuRequested.emit(centre)
    menu = window.security.restriction_actions.menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible, timeout=2000)


def restrict_in_gui(
    qtbot: QtBot, window: MainWindow, study: StudyRecord, reason: str
) -> None:
    actions = window.security.restriction_actions
    context_menu_on(qtbot, window, study)
    assert actions.restrict_action.isEnabled()
    assert not actions.unrestrict_action.isEnabled()
    actions.restrict_action.trigger()
    assert actions.menu is not None
    actions.menu.close()
    dialog = actions.reason_dialog
    assert isinstance(dialog, QInputDialog)
    qtbot.waitExposed(dialog)
    dialog.setTextValue(reason)
    dialog.accept()


def close_next_warning() -> list[str]:
    """Accept the next modal message box; return the list its text goes into."""
    texts: list[str] = []

    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            texts.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, close)

    QTimer.singleShot(20, close)
    return texts


def open_with_reason(
    qtbot: QtBot, window: MainWindow, study: StudyRecord, reason: str
) -> None:
    window.request_open(study)
    dialog = window.security.study_gate.dialog
    assert isinstance(dialog, EmergencyAccessDialog)
    qtbot.waitExposed(dialog)
    assert window.confirm_dialog is None
    qtbot.keyClicks(dialog.reason_edit, reason)
    with qtbot.waitSignal(window.sig_study_opened, timeout=10_000):
        dialog.buttons.accepted.emit()
        confirm = window.confirm_dialog
        assert confirm is not None
        qtbot.waitExposed(confirm)
        qtbot.keyClicks(confirm.answer_edit, BIRTH_DATE)
        qtbot.keyClick(confirm.answer_edit, Qt.Key.Key_Return)


def test_admin_restricts_from_study_list(
    qtbot: QtBot,
    open_window: object,
    filled_workstation: Workstation,
    admin_session: Session,
) -> None:
    study = study_of(filled_workstation)
    window = open_window(filled_workstation, admin_session)  # type: ignore[operator]
    restrict_in_gui(qtbot, window, study, "staff member")

    restriction = restrictions_of(filled_workstation).get(study.StudyInstanceUID)
    assert restriction is not None
    assert restriction.reason == "staff member"
    assert restriction.restricted_by == ADMIN_NAME
    (record,) = audit_of(filled_workstation, audit_events.STUDY_RESTRICTED)
    assert record.user == ADMIN_NAME
    assert record.os_account is False
    assert record.study_uids == (study.StudyInstanceUID,)
    assert record.patient_id == PATIENT_ID


def test_admin_lifts_restriction(
    qtbot: QtBot,
    open_window: object,
    filled_workstation: Workstation,
    admin_session: Session,
) -> None:
    study = study_of(filled_workstation)
    restrictions_of(filled_workstation).restrict(
        study.StudyInstanceUID, "VIP", actor="root"
    )
    window = open_window(filled_workstation, admin_session)  # type: ignore[operator]
    actions = window.security.restriction_actions
    context_menu_on(qtbot, window, study)
    assert not actions.restrict_action.isEnabled()
    assert actions.unrestrict_action.isEnabled()
    actions.unrestrict_action.trigger()
    assert actions.menu is not None
    actions.menu.close()

    assert not restrictions_of(filled_workstation).is_restricted(study.StudyInstanceUID)
    lifted = audit_of(filled_workstation, audit_events.STUDY_UNRESTRICTED)[-1]
    assert lifted.detail == "study restriction lifted"
    assert lifted.user == ADMIN_NAME


def test_empty_reason_keeps_study_open(
    qtbot: QtBot,
    open_window: object,
    filled_workstation: Workstation,
    admin_session: Session,
) -> None:
    study = study_of(filled_workstation)
    window = open_window(filled_workstation, admin_session)  # type: ignore[operator]
    restrict_in_gui(qtbot, window, study, "   ")
    box = window.security.restriction_actions.message_box
    assert box is not None
    qtbot.waitExposed(box)
    assert "needs a reason" in box.text()
    box.accept()
    assert not restrictions_of(filled_workstation).is_restricted(study.StudyInstanceUID)


@pytest.mark.parametrize("role", [Role.RADIOLOGIST, Role.TECHNICIAN])
def test_no_restrict_menu_for_role(
    open_window: object,
    filled_workstation: Workstation,
    admin_session: Session,
    role: Role,
) -> None:
    session = session_for(filled_workstation, admin_session, role)
    window = open_window(filled_workstation, session)  # type: ignore[operator]
    table = window.browser.table
    assert table.contextMenuPolicy() != Qt.ContextMenuPolicy.CustomContextMenu
    table.customContextMenuRequested.emit(QPoint(5, 5))
    assert window.security.restriction_actions.menu is None


def test_radiologist_opens_restricted_with_reason(
    qtbot: QtBot,
    open_window: object,
    filled_workstation: Workstation,
    admin_session: Session,
) -> None:
    study = study_of(filled_workstation)
    admin_window = open_window(filled_workstation, admin_session)  # type: ignore[operator]
    restrict_in_gui(qtbot, admin_window, study, "VIP")
    admin_window.close()

    reader = session_for(filled_workstation, admin_session, Role.RADIOLOGIST)
    window = open_window(filled_workstation, reader)  # type: ignore[operator]
    open_with_reason(qtbot, window, study, "stroke alarm, on-call reader absent")
    assert window.viewer is not None
    assert window.stack.currentWidget() is window.viewer

    (started,) = audit_of(filled_workstation, audit_events.EMERGENCY_ACCESS_STARTED)
    assert started.user == reader.user.name
    assert started.study_uids == (study.StudyInstanceUID,)
    assert "stroke alarm" in started.detail
    assert "expires" in started.detail
    window.close()
    (stopped,) = audit_of(filled_workstation, audit_events.EMERGENCY_ACCESS_STOPPED)
    assert stopped.detail == "ended at logout"


def test_radiologist_opens_other_study_directly(
    qtbot: QtBot,
    open_window: object,
    filled_workstation: Workstation,
    admin_session: Session,
) -> None:
    restrictions_of(filled_workstation).restrict(
        study_of(filled_workstation).StudyInstanceUID, "VIP", actor="root"
    )
    reader = session_for(filled_workstation, admin_session, Role.RADIOLOGIST)
    window = open_window(filled_workstation, reader)  # type: ignore[operator]
    window.request_open(study_of(filled_workstation, "PID-2001"))
    assert window.security.study_gate.dialog is None
    confirm = window.confirm_dialog
    assert confirm is not None
    confirm.reject()


@pytest.mark.parametrize(
    "role", [Role.TECHNICIAN, Role.REFERRING_PHYSICIAN, Role.ADMINISTRATOR]
)
def test_restricted_study_refused_to_role(
    open_window: object,
    filled_workstation: Workstation,
    admin_session: Session,
    role: Role,
) -> None:
    study = study_of(filled_workstation)
    restrictions_of(filled_workstation).restrict(
        study.StudyInstanceUID, "VIP", actor="root"
    )
    session = (
        admin_session
        if role is Role.ADMINISTRATOR
        else session_for(filled_workstation, admin_session, role)
    )
    window = open_window(filled_workstation, session)  # type: ignore[operator]
    texts = close_next_warning()
    window.request_open(study)

    assert texts and "restricted" in texts[0]
    assert window.security.study_gate.dialog is None
    assert window.confirm_dialog is None
    assert window.viewer is None
    (denied,) = audit_of(filled_workstation, audit_events.ACCESS_DENIED)
    assert denied.user == session.user.name
    assert denied.study_uids == (study.StudyInstanceUID,)
    assert audit_of(filled_workstation, audit_events.EMERGENCY_ACCESS_STARTED) == []
