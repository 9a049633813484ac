"""Start of the GUI: the login dialog first, and nothing heavy before it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.application import run_gui
from pacs_desktop.ui.login import LoginDialog


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
