"""Deleting a study from the study list, and the background size-limit eviction."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery, StudyRecord
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow

PASSWORD = "Quiet-Archive-Shelf-58"

WindowFactory = Callable[[Workstation, Session], MainWindow]


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[WindowFactory]:
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


def first_study(workstation: Workstation) -> StudyRecord:
    return workstation.archive.find_studies(StudyQuery())[0]


def open_menu(qtbot: QtBot, window: MainWindow, study: StudyRecord) -> None:
    browser = window.browser
    row = browser.proxy.row_of(study.StudyInstanceUID)
    assert row is not None
    table = browser.table
    table.customContextMenuRequested.emit(
        table.visualRect(browser.proxy.index(row, 0)).center()
    )
    menu = window.security.restriction_actions.menu
    assert menu is not None
    qtbot.waitUntil(menu.isVisible, timeout=2000)


def confirmation(qtbot: QtBot, window: MainWindow, study: StudyRecord) -> QMessageBox:
    actions = window.security.archive_actions
    open_menu(qtbot, window, study)
    actions.delete_action.trigger()
    menu = window.security.restriction_actions.menu
    assert menu is not None
    menu.close()
    box = actions.confirm_box
    assert box is not None
    qtbot.waitExposed(box)
    return box


def delete_button(box: QMessageBox) -> object:
    (button,) = [
        b
        for b in box.buttons()
        if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    ]
    return button


def test_delete_action_in_admin_menu(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    open_window: WindowFactory,
) -> None:
    window = open_window(filled_workstation, admin_session)
    open_menu(qtbot, window, first_study(filled_workstation))

    menu = window.security.restriction_actions.menu
    assert menu is not None
    assert window.security.archive_actions.delete_action in menu.actions()
    menu.close()


def test_confirmation_shows_patient_and_count(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    open_window: WindowFactory,
) -> None:
    window = open_window(filled_workstation, admin_session)
    study = first_study(filled_workstation)

    box = confirmation(qtbot, window, study)

    text = box.informativeText()
    assert study.display_name in text
    assert study.PatientID in text
    assert f"Instances: {study.NumberOfStudyRelatedInstances}" in text
    assert "Dictations and reports of the study are kept" in text
    box.reject()


def test_delete_confirmed_refreshes_list(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    open_window: WindowFactory,
) -> None:
    window = open_window(filled_workstation, admin_session)
    study = first_study(filled_workstation)
    box = confirmation(qtbot, window, study)

    with qtbot.waitSignal(window.security.archive_actions.sig_deleted, timeout=5000):
        delete_button(box).click()  # type: ignore[attr-defined]

    assert filled_workstation.archive.study(study.StudyInstanceUID) is None
    qtbot.waitUntil(
        lambda: window.browser.proxy.row_of(study.StudyInstanceUID) is None,
        timeout=5000,
    )
    deleted = filled_workstation.audit.records()[-1]
    assert deleted.event == audit_events.INSTANCES_DELETED
    assert deleted.user == admin_session.user.name


def test_delete_cancelled_keeps_study(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    open_window: WindowFactory,
) -> None:
    window = open_window(filled_workstation, admin_session)
    study = first_study(filled_workstation)

    confirmation(qtbot, window, study).reject()

    assert filled_workstation.archive.study(study.StudyInstanceUID) is not None


@pytest.mark.parametrize("role", [Role.RADIOLOGIST, Role.TECHNICIAN])
def test_delete_hidden_without_permission(
    filled_workstation: Workstation,
    admin_session: Session,
    open_window: WindowFactory,
    role: Role,
) -> None:
    name = f"user-{role.value}"
    filled_workstation.users.create_user(name, PASSWORD, role, actor=admin_session)
    session = filled_workstation.users.authenticate(name, PASSWORD)

    window = open_window(filled_workstation, session)

    assert not window.security.archive_actions.delete_action.isVisible()
    assert window.security.restriction_actions.menu is None


def test_eviction_over_limit_shows_status(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    open_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A limit of 1 byte; with no PACS node configured every study stays.
    monkeypatch.setattr("pacs_desktop.core.archive.eviction.BYTES_PER_GB", 1)
    filled_workstation.settings.set("archive.size_limit_gb", 1)
    window = open_window(filled_workstation, admin_session)

    with qtbot.waitSignal(window.upkeep.sig_evicted, timeout=5000) as blocker:
        window.upkeep.run_now()

    report = blocker.args[0]
    assert report.over_limit
    assert "over its size limit" in window.statusBar().currentMessage()
    assert filled_workstation.archive.count_studies() == len(report.kept)
