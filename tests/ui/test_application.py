"""Start of the GUI: the login dialog first, and nothing heavy before it."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.application import run_gui
from pacs_desktop.ui.login import LoginDialog
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.viewer.decoding import shared_decoding
from tests.ui.conftest import ADMIN_NAME, ADMIN_PASSWORD


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
