"""Start of the GUI: the login dialog first, and nothing heavy before it."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import SyncJob
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.audit import AuditRecord
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.application import run_gui
from pacs_desktop.ui.login import LoginDialog
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.network.service import NetworkService
from pacs_desktop.ui.viewer.decoding import shared_decoding
from tests.net.conftest import free_port
from tests.ui.conftest import ADMIN_NAME, ADMIN_PASSWORD, write_sample_files


def test_login_modules_import_no_image_code() -> None:
    code = (
        "import sys\n"
        "import pacs_desktop.ui.application, pacs_desktop.ui.login\n"
        "heavy = ('pydicom', 'numpy', 'pyqtgraph', 'pynetdicom')\n"
        "print(','.join(name for name in heavy if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_cancelled_login_ends_gui(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    seen: list[str] = []

    def cancel_login() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog).__name__)
        if isinstance(dialog, LoginDialog):
            dialog.reject()
        else:
            QTimer.singleShot(20, cancel_login)

    QTimer.singleShot(0, cancel_login)
    assert run_gui(data_dir, []) == 0
    assert seen[-1] == "LoginDialog"

    station = Workstation(data_dir)
    events = [record.event for record in station.audit.records()]
    station.close()
    assert events == [audit_events.APPLICATION_START, audit_events.APPLICATION_STOP]


def test_sigterm_closes_login(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    handler_before = signal.getsignal(signal.SIGTERM)

    def terminate_when_login_shows() -> None:
        if isinstance(QApplication.activeModalWidget(), LoginDialog):
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            QTimer.singleShot(20, terminate_when_login_shows)

    QTimer.singleShot(0, terminate_when_login_shows)
    assert run_gui(data_dir, []) == 0
    assert signal.getsignal(signal.SIGTERM) == handler_before


def test_login_window_shown_is_logged(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()

    def cancel_login() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, LoginDialog):
            dialog.reject()
        else:
            QTimer.singleShot(20, cancel_login)

    QTimer.singleShot(0, cancel_login)
    with caplog.at_level(logging.INFO, logger="pacs_desktop.ui.application"):
        assert run_gui(data_dir, []) == 0
    messages = [record.getMessage() for record in caplog.records]
    assert "login window shown" in messages
    assert messages.index("login window shown") < messages.index("login cancelled")


def test_decoding_runs_with_main_window(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    seen_running: list[bool] = []
    steps: list[int] = []

    def drive() -> None:
        steps.append(1)
        dialog = QApplication.activeModalWidget()
        windows = [
            widget
            for widget in QApplication.topLevelWidgets()
            if isinstance(widget, MainWindow) and widget.isVisible()
        ]
        if len(steps) > 500:
            # Stuck: end the GUI so that the asserts below report it.
            if dialog is not None:
                dialog.close()
            QApplication.closeAllWindows()
            return
        if isinstance(dialog, LoginDialog):
            dialog.name_edit.setText(ADMIN_NAME)
            dialog.password_edit.setText(ADMIN_PASSWORD)
            dialog.repeat_edit.setText(ADMIN_PASSWORD)
            dialog.buttons.accepted.emit()
        elif windows:
            seen_running.append(shared_decoding() is not None)
            windows[0].close()
            return
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    assert run_gui(data_dir, []) == 0
    assert seen_running == [True]
    assert shared_decoding() is None


READER = "reader"
READER_PASSWORD = "Radiology-Reading-42"
# Polls of the GUI, 20 ms apart, before a scripted run counts as stuck.
MAX_POLLS = 1500

GuiStep = Callable[[QWidget | None, MainWindow | None], bool]


def prepare_users(data_dir: Path) -> None:
    """Create the first administrator and a radiologist in ``data_dir``."""
    station = Workstation(data_dir)
    users = station.users
    users.create_first_administrator(ADMIN_NAME, ADMIN_PASSWORD)
    admin = users.authenticate(ADMIN_NAME, ADMIN_PASSWORD)
    users.create_user(READER, READER_PASSWORD, Role.RADIOLOGIST, actor=admin)
    station.close()


def drive_gui(steps: list[GuiStep]) -> None:
    """Run ``steps`` in order while `run_gui` runs, one more each time it acts.

    Each step gets the modal dialog and the visible main window (or None)
    and returns whether it acted. A run that makes no progress is ended so
    that the caller's asserts report it.
    """
    remaining = list(steps)
    polls: list[int] = []

    def poll() -> None:
        polls.append(1)
        dialog = QApplication.activeModalWidget()
        windows = [
            widget
            for widget in QApplication.topLevelWidgets()
            if isinstance(widget, MainWindow) and widget.isVisible()
        ]
        if len(polls) > MAX_POLLS:
            if dialog is not None:
                dialog.close()
            QApplication.closeAllWindows()
            return
        if remaining and remaining[0](dialog, windows[0] if windows else None):
            remaining.pop(0)
        if remaining:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def log_in(name: str, password: str) -> GuiStep:
    def step(dialog: QWidget | None, _window: MainWindow | None) -> bool:
        if not isinstance(dialog, LoginDialog):
            return False
        dialog.name_edit.setText(name)
        dialog.password_edit.setText(password)
        dialog.buttons.accepted.emit()
        return True

    return step


def cancel_login(dialog: QWidget | None, _window: MainWindow | None) -> bool:
    if not isinstance(dialog, LoginDialog):
        return False
    dialog.reject()
    return True


def audit_after_start(data_dir: Path) -> list[AuditRecord]:
    """Return the audit records from the last APPLICATION_START on."""
    station = Workstation(data_dir)
    records = list(station.audit.records())
    station.close()
    starts = [
        index
        for index, record in enumerate(records)
        if record.event == audit_events.APPLICATION_START
    ]
    return records[starts[-1] :]


def test_log_out_returns_to_login(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    prepare_users(data_dir)
    window_users: list[str] = []

    def log_out(_dialog: QWidget | None, window: MainWindow | None) -> bool:
        if window is None:
            return False
        window_users.append(window.user_name)
        window.logout_action.trigger()
        return True

    def quit_window(_dialog: QWidget | None, window: MainWindow | None) -> bool:
        if window is None:
            return False
        window_users.append(window.user_name)
        window.quit_action.trigger()
        return True

    drive_gui(
        [
            log_in(ADMIN_NAME, ADMIN_PASSWORD),
            log_out,
            log_in(READER, READER_PASSWORD),
            quit_window,
        ]
    )
    assert run_gui(data_dir, []) == 0

    assert window_users == [ADMIN_NAME, READER]
    records = audit_after_start(data_dir)
    logins = [r.user for r in records if r.event == audit_events.LOGIN]
    logouts = [r.user for r in records if r.event == audit_events.LOGOUT]
    assert logins == [ADMIN_NAME, READER]
    assert logouts == [ADMIN_NAME, READER]
    assert records[-1].event == audit_events.APPLICATION_STOP


def test_queue_runs_at_login_after_log_out(qtbot: QtBot, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    prepare_users(data_dir)
    station = Workstation(data_dir)
    (study_uid, *_) = station.archive.import_paths(
        [write_sample_files(tmp_path / "incoming")]
    ).studies
    NodeStore(station.database).add(Node("closed", "NOBODY", "127.0.0.1", free_port()))
    Settings(data_dir).set("network.scp_port", free_port())
    station.close()
    services: list[NetworkService] = []
    finished: list[SyncJob] = []

    def queue_send(_dialog: QWidget | None, window: MainWindow | None) -> bool:
        if window is None:
            return False
        service = window.network.service
        services.append(service)
        service.sig_job_finished.connect(finished.append)
        service.enqueue_send("closed", [study_uid])
        return True

    def log_out_after_attempt(
        _dialog: QWidget | None, window: MainWindow | None
    ) -> bool:
        if window is None or len(finished) < 1:
            return False
        window.logout_action.trigger()
        return True

    def retry_at_login(dialog: QWidget | None, _window: MainWindow | None) -> bool:
        if not isinstance(dialog, LoginDialog):
            return False
        # The runner's next poll finds the job due.
        services[0].queue.retry(finished[0].id)
        return True

    def cancel_after_retry(dialog: QWidget | None, window: MainWindow | None) -> bool:
        return len(finished) >= 2 and cancel_login(dialog, window)

    drive_gui(
        [
            log_in(ADMIN_NAME, ADMIN_PASSWORD),
            queue_send,
            log_out_after_attempt,
            retry_at_login,
            cancel_after_retry,
        ]
    )
    assert run_gui(data_dir, []) == 0

    assert len(finished) == 2
    records = audit_after_start(data_dir)
    events = [record.event for record in records]
    sent = [
        record.user for record in records if record.event == audit_events.INSTANCES_SENT
    ]
    assert sent == [ADMIN_NAME, ADMIN_NAME]
    last_sent = len(events) - 1 - events[::-1].index(audit_events.INSTANCES_SENT)
    assert events.index(audit_events.LOGOUT) < last_sent
    assert events.count(audit_events.LOGIN) == 1
