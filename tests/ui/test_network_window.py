"""The networking parts of the main window, without a PACS.

No node is stored, so the window starts no storage SCP and opens no port, and
a queued retrieve fails at once because its node is unknown.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.network.service import RemoteStudy
from tests.net.conftest import free_port

STUDY_UID = "1.2.826.0.1.3680043.8.498.7101"


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
