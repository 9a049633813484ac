"""Idle lock: fires at the timeout, hides every patient datum, unlocks by password."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPoint,
    QPointF,
    QRect,
    Qt,
    QTimer,
)
from PySide6.QtGui import QImage, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery, StudyRecord
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.application import run_gui
from pacs_desktop.ui.login import LoginDialog
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.security.idle_lock import IdleLock, IdleMonitor
from tests.ui.conftest import ADMIN_NAME, ADMIN_PASSWORD, write_sample_files

RADIOLOGIST = "reader"
RADIOLOGIST_PASSWORD = "Radiology-Reading-42"
TIMEOUT = timedelta(minutes=15)


class FakeClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta.total_seconds()


@pytest.fixture
def radiologist(workstation: Workstation, admin_session: Session) -> Session:
    workstation.users.create_user(
        RADIOLOGIST, RADIOLOGIST_PASSWORD, Role.RADIOLOGIST, actor=admin_session
    )
    return workstation.users.authenticate(RADIOLOGIST, RADIOLOGIST_PASSWORD)


def make_window(qtbot: QtBot, workstation: Workstation, session: Session) -> MainWindow:
    window = MainWindow(workstation, session)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(
    qtbot: QtBot,
    filled_workstation: Workstation,
    radiologist: Session,
    clock: FakeClock,
) -> Iterator[MainWindow]:
    main = make_window(qtbot, filled_workstation, radiologist)
    monitor = main.security.idle_lock.monitor
    monitor.clock = clock
    monitor.timeout = TIMEOUT
    monitor.reset()
    yield main
    main.close()


def lock_of(window: MainWindow) -> IdleLock:
    return window.security.idle_lock


def without_password_field(window: MainWindow) -> QImage:
    """Grab the locked window with its password field painted over."""
    image = window.grab().toImage()
    field = lock_of(window).screen.password_edit
    area = QRect(field.mapTo(window, QPoint(0, 0)), field.size())
    painter = QPainter(image)
    painter.fillRect(area, Qt.GlobalColor.magenta)
    painter.end()
    return image


def study_of(workstation: Workstation, patient_id: str) -> StudyRecord:
    (study,) = workstation.archive.find_studies(StudyQuery(patient_id=patient_id))
    return study


def open_study(
    qtbot: QtBot, window: MainWindow, study: StudyRecord, typed: str
) -> None:
    with qtbot.waitSignal(window.sig_study_opened, timeout=10_000):
        window.request_open(study)
        dialog = window.confirm_dialog
        assert dialog is not None
        qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.answer_edit, typed)
        qtbot.keyClick(dialog.answer_edit, Qt.Key.Key_Return)
    viewer = window.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.current_index is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.confirm_dialog is None, timeout=3000)


def visible_texts() -> list[str]:
    """Every text a visible widget shows: labels, fields, table cells, titles."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts.append(top.windowTitle())
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QLineEdit):
                texts.append(widget.text())
            if isinstance(widget, QAbstractItemView) and widget.model() is not None:
                model = widget.model()
                root = QModelIndex()
                # A list model's columnCount() is private in PySide6.
                columns = (
                    1
                    if isinstance(model, QAbstractListModel)
                    else model.columnCount(root)
                )
                for row in range(model.rowCount(root)):
                    for column in range(columns):
                        texts.append(str(model.data(model.index(row, column)) or ""))
    return texts


def events(workstation: Workstation, name: str) -> list[str]:
    return [
        record.user for record in workstation.audit.records() if record.event == name
    ]


def test_monitor_fires_at_timeout(qtbot: QtBot, clock: FakeClock) -> None:
    monitor = IdleMonitor(TIMEOUT, clock=clock)
    fired: list[bool] = []
    monitor.sig_idle.connect(lambda: fired.append(True))

    clock.advance(TIMEOUT - timedelta(seconds=1))
    monitor.check()
    assert fired == []
    clock.advance(timedelta(seconds=1))
    monitor.check()
    assert fired == [True]


def test_monitor_timer_fires_without_input(qtbot: QtBot, clock: FakeClock) -> None:
    monitor = IdleMonitor(TIMEOUT, clock=clock, poll_interval_ms=10)
    monitor.start()
    clock.advance(TIMEOUT)
    with qtbot.waitSignal(monitor.sig_idle, timeout=2000):
        pass
    monitor.stop()


def test_input_resets_idle_time(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    monitor = lock_of(window).monitor
    clock.advance(timedelta(minutes=10))
    qtbot.keyClick(window.browser.table, Qt.Key.Key_Down)
    clock.advance(timedelta(minutes=10))
    monitor.check()
    assert not lock_of(window).locked
    clock.advance(timedelta(minutes=5))
    monitor.check()
    assert lock_of(window).locked


def test_mouse_move_resets_idle_time(
    qtbot: QtBot, window: MainWindow, clock: FakeClock
) -> None:
    clock.advance(timedelta(minutes=14))
    viewport = window.browser.table.viewport()
    centre = QPointF(viewport.rect().center())
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        centre,
        viewport.mapToGlobal(centre),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, move)
    clock.advance(timedelta(minutes=14))
    lock_of(window).monitor.check()
    assert not lock_of(window).locked


def test_timeout_locks_and_audits(
    qtbot: QtBot, window: MainWindow, clock: FakeClock, filled_workstation: Workstation
) -> None:
    clock.advance(TIMEOUT)
    with qtbot.waitSignal(lock_of(window).sig_locked, timeout=1000):
        lock_of(window).monitor.check()
    assert window.centralWidget() is lock_of(window).screen
    assert events(filled_workstation, audit_events.SESSION_LOCKED) == [RADIOLOGIST]


def test_lock_hides_study_in_screenshot(
    qtbot: QtBot,
    window: MainWindow,
    filled_workstation: Workstation,
    radiologist: Session,
) -> None:
    QApplication.setCursorFlashTime(0)
    open_study(qtbot, window, study_of(filled_workstation, "PID-1001"), "1970-03-15")
    # A confirmation dialog of another patient is open when the lock comes.
    window.request_open(study_of(filled_workstation, "PID-2001"))
    confirm = window.confirm_dialog
    assert confirm is not None
    qtbot.waitExposed(confirm)
    assert "Smith, Anna" in visible_texts()

    lock_of(window).lock()
    qtbot.waitUntil(lambda: not confirm.isVisible(), timeout=2000)
    locked_image = without_password_field(window)

    # The same window that never showed a patient, locked, looks the same.
    # The password fields are left out: only the window with the study had
    # the keyboard focus, so only its field shows a focus frame and cursor.
    empty = make_window(qtbot, filled_workstation, radiologist)
    empty.security.idle_lock.lock()
    empty_image = without_password_field(empty).convertToFormat(locked_image.format())
    texts = visible_texts()
    empty.close()

    assert locked_image.size() == empty_image.size()
    assert locked_image == empty_image
    for fragment in ("Doe", "Jane", "PID-1001", "Smith", "Anna", "PID-2001"):
        assert not any(fragment in text for text in texts), fragment
    confirm.reject()


def test_unlock_restores_open_study(
    qtbot: QtBot, window: MainWindow, filled_workstation: Workstation
) -> None:
    open_study(qtbot, window, study_of(filled_workstation, "PID-1001"), "1970-03-15")
    viewer = window.viewer
    assert viewer is not None
    before = viewer.current_display().copy()
    lock = lock_of(window)
    lock.lock()

    with qtbot.waitSignal(lock.sig_unlocked, timeout=1000):
        qtbot.keyClicks(lock.screen.password_edit, RADIOLOGIST_PASSWORD)
        qtbot.keyClick(lock.screen.password_edit, Qt.Key.Key_Return)

    assert window.centralWidget() is window.stack
    assert window.stack.currentWidget() is viewer
    assert (viewer.current_display() == before).all()
    assert window.menuBar().isVisible()
    assert window.open_action.isEnabled()
    assert events(filled_workstation, audit_events.SESSION_UNLOCKED) == [RADIOLOGIST]


def test_unlock_shows_hidden_dialog_again(
    qtbot: QtBot, window: MainWindow, filled_workstation: Workstation
) -> None:
    window.request_open(study_of(filled_workstation, "PID-2001"))
    confirm = window.confirm_dialog
    assert confirm is not None
    qtbot.waitExposed(confirm)
    lock = lock_of(window)
    lock.lock()
    qtbot.waitUntil(lambda: not confirm.isVisible(), timeout=2000)

    lock.screen.password_edit.setText(RADIOLOGIST_PASSWORD)
    lock.screen.unlock_button.click()
    assert confirm.isVisible()
    confirm.reject()


def test_locked_window_disables_shortcuts(window: MainWindow) -> None:
    lock_of(window).lock()
    assert not window.open_action.isEnabled()
    assert not window.security.lock_action.isEnabled()
    assert not window.menuBar().isVisible()


def test_wrong_password_keeps_lock(
    qtbot: QtBot, window: MainWindow, filled_workstation: Workstation
) -> None:
    lock = lock_of(window)
    lock.lock()
    lock.screen.password_edit.setText("not-the-password")
    lock.screen.unlock_button.click()

    assert lock.locked
    assert window.centralWidget() is lock.screen
    assert "Wrong password" in lock.screen.error_label.text()
    assert events(filled_workstation, audit_events.LOGIN_FAILED) == [RADIOLOGIST]
    user = filled_workstation.users.get_user(RADIOLOGIST)
    assert user is not None
    assert user.failed_logins == 1


def test_failures_lock_the_account(
    qtbot: QtBot, window: MainWindow, filled_workstation: Workstation
) -> None:
    lock = lock_of(window)
    lock.lock()
    limit = filled_workstation.users.policy.max_failed_logins
    for _ in range(limit):
        lock.screen.password_edit.setText("not-the-password")
        lock.screen.unlock_button.click()

    assert "account is locked" in lock.screen.error_label.text()
    lock.screen.password_edit.setText(RADIOLOGIST_PASSWORD)
    lock.screen.unlock_button.click()
    assert lock.locked
    assert events(filled_workstation, audit_events.ACCOUNT_LOCKED) == [RADIOLOGIST]


def test_other_users_password_does_not_unlock(qtbot: QtBot, window: MainWindow) -> None:
    lock = lock_of(window)
    lock.lock()
    lock.screen.password_edit.setText(ADMIN_PASSWORD)
    lock.screen.unlock_button.click()
    assert lock.locked


def test_admin_switch_closes_session(
    qtbot: QtBot, window: MainWindow, filled_workstation: Workstation
) -> None:
    open_study(qtbot, window, study_of(filled_workstation, "PID-1001"), "1970-03-15")
    lock = lock_of(window)
    lock.lock()
    with qtbot.waitSignal(lock.sig_switch_user, timeout=1000) as blocker:
        lock.screen.admin_name_edit.setText(ADMIN_NAME)
        lock.screen.admin_password_edit.setText(ADMIN_PASSWORD)
        lock.screen.switch_button.click()

    assert blocker.args == [ADMIN_NAME]
    assert not window.isVisible()
    assert window.security.switch_user_requested
    assert events(filled_workstation, audit_events.LOGOUT) == [RADIOLOGIST]
    assert ADMIN_NAME in events(filled_workstation, audit_events.SESSION_UNLOCKED)


def test_non_admin_cannot_switch(
    qtbot: QtBot,
    window: MainWindow,
    filled_workstation: Workstation,
    admin_session: Session,
) -> None:
    filled_workstation.users.create_user(
        "tech", "Evening-Shift-Imaging-77", Role.TECHNICIAN, actor=admin_session
    )
    lock = lock_of(window)
    lock.lock()
    lock.screen.admin_name_edit.setText("tech")
    lock.screen.admin_password_edit.setText("Evening-Shift-Imaging-77")
    lock.screen.switch_button.click()

    assert lock.locked
    assert window.isVisible()
    assert "Only an administrator" in lock.screen.error_label.text()
    assert events(filled_workstation, audit_events.ACCESS_DENIED) == ["tech"]


def test_import_finishes_while_locked(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    # Work in progress goes on under the lock; its dialog waits for the unlock.
    folder = write_sample_files(tmp_path / "more")
    lock = lock_of(window)
    with qtbot.waitSignal(window.sig_import_finished, timeout=30_000):
        assert window.start_import([folder])
        lock.lock()
    summary = window.summary_dialog
    assert summary is not None
    qtbot.waitUntil(lambda: not summary.isVisible(), timeout=2000)
    assert lock.locked

    lock.screen.password_edit.setText(RADIOLOGIST_PASSWORD)
    lock.screen.unlock_button.click()
    assert summary.isVisible()
    summary.accept()


def test_switch_user_returns_to_login(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "gui-data"
    data_dir.mkdir()
    logins: list[str] = []

    steps: list[int] = []

    def drive() -> None:
        steps.append(1)
        dialog = QApplication.activeModalWidget()
        if len(steps) > 500:
            # Stuck: end the GUI so that the asserts below report it.
            if dialog is not None:
                dialog.close()
            QApplication.closeAllWindows()
            return
        windows = [
            widget
            for widget in QApplication.topLevelWidgets()
            if isinstance(widget, MainWindow) and widget.isVisible()
        ]
        if isinstance(dialog, LoginDialog):
            logins.append("login")
            if len(logins) == 1:
                dialog.name_edit.setText(ADMIN_NAME)
                dialog.password_edit.setText(ADMIN_PASSWORD)
                dialog.repeat_edit.setText(ADMIN_PASSWORD)
                dialog.buttons.accepted.emit()
            else:
                dialog.reject()
                return
        elif windows:
            lock = windows[0].security.idle_lock
            lock.lock()
            lock.screen.admin_name_edit.setText(ADMIN_NAME)
            lock.screen.admin_password_edit.setText(ADMIN_PASSWORD)
            lock.screen.switch_button.click()
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    assert run_gui(data_dir, []) == 0
    assert logins == ["login", "login"]

    station = Workstation(data_dir)
    names = [record.event for record in station.audit.records()]
    station.close()
    assert names.count(audit_events.LOGOUT) == 1
    assert names[-1] == audit_events.APPLICATION_STOP
    assert names.index(audit_events.SESSION_LOCKED) < names.index(audit_events.LOGOUT)
