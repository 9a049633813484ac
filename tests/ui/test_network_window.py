"""The networking parts of the main window, without a PACS.

No node is stored, so the window starts no storage SCP and opens no port, and
a queued retrieve fails at once because its node is unknown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.network.service import RemoteStudy
from tests.net.conftest import free_port

STUDY_UID = "1.2.826.0.1.3680043.8.498.7101"

# An English translation with only the plural forms of the found-studies
# message, in Qt Linguist's format.
ENGLISH_PLURALS_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>RemoteBrowser</name>
    <message numerus="yes">
        <source>%n study(s) found on {node}</source>
        <translation>
            <numerusform>%n study found on {node}</numerusform>
            <numerusform>%n studies found on {node}</numerusform>
        </translation>
    </message>
</context>
</TS>
"""


@pytest.fixture
def window(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> Iterator[MainWindow]:
    main = MainWindow(workstation, admin_session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def remote_study(uid: str = STUDY_UID) -> RemoteStudy:
    record = StudyRecord(
        PatientName="Remote^Ann",
        PatientID="PID-R1",
        PatientBirthDate="19700101",
        PatientSex="F",
        StudyInstanceUID=uid,
        StudyDate="20240102",
        StudyTime="",
        AccessionNumber="",
        ModalitiesInStudy=["CT"],
        StudyDescription="CT chest",
        NumberOfStudyRelatedSeries=1,
        NumberOfStudyRelatedInstances=2,
    )
    return RemoteStudy(record, 0, None)


def show_remote_results(window: MainWindow, studies: list[RemoteStudy]) -> None:
    """Show ``studies`` as the result of a C-FIND on an unstored node."""
    remote = window.network.remote
    remote.set_node(Node("closed", "NOBODY", "127.0.0.1", free_port()))
    # set_node resets the request number to 0, the number of these results.
    remote._on_studies_found(0, studies)


def test_retrieve_shows_hidden_sync_panel(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.network.sync_panel
    assert panel.isHidden()
    show_remote_results(window, [remote_study()])

    with qtbot.waitSignal(window.network.service.sig_job_queued, timeout=10_000):
        window.network.remote.retrieve_study_button.click()

    assert not panel.isHidden()


@pytest.fixture
def english_plurals(tmp_path: Path) -> Iterator[None]:
    """Install a translator compiled from `ENGLISH_PLURALS_TS`."""
    tool = Path(sys.executable).parent / "pyside6-lrelease"
    lrelease = str(tool) if tool.is_file() else shutil.which("pyside6-lrelease")
    assert lrelease is not None, "pyside6-lrelease is not installed"
    source = tmp_path / "plurals_en.ts"
    source.write_text(ENGLISH_PLURALS_TS, encoding="utf-8")
    compiled = tmp_path / "plurals_en.qm"
    subprocess.run(
        [lrelease, str(source), "-qm", str(compiled)],
        check=True,
        capture_output=True,
    )
    translator = QTranslator()
    assert translator.load(str(compiled))
    app = QCoreApplication.instance()
    assert app is not None
    app.installTranslator(translator)
    yield
    app.removeTranslator(translator)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 study found on closed"), (2, "2 studies found on closed")],
)
@pytest.mark.usefixtures("english_plurals")
def test_found_message_uses_plural_forms(
    window: MainWindow, count: int, expected: str
) -> None:
    studies = [remote_study(f"{STUDY_UID}.{number}") for number in range(count)]
    show_remote_results(window, studies)

    assert window.network.remote.message_label.text().startswith(expected)


@pytest.mark.parametrize(
    "module",
    ["pacs_desktop.ui.settings_dialog", "pacs_desktop.ui.network.connection_test"],
)
def test_module_imports_first_without_cycle(module: str) -> None:
    # A fresh interpreter, so that no earlier import hides a cycle.
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )

    assert result.returncode == 0, result.stderr
