"""The GUI's sync queue and storage SCP across lock, log out and the next login.

The PACS node is a loopback port with no server listening, so every send
attempt ends with "connection refused" and is recorded in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import JobState, SyncJob
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.network.integration import open_settings
from pacs_desktop.ui.network.service import NetworkService
from tests.net.conftest import free_port

READER = "reader"
READER_PASSWORD = "Radiology-Reading-42"


@pytest.fixture
def network(filled_workstation: Workstation) -> Iterator[NetworkService]:
    """A service shared by the windows of a test, as `run_gui` shares one."""
    Settings(filled_workstation.data_dir).set("network.scp_port", free_port())
    NodeStore(filled_workstation.database).add(
        Node("closed", "NOBODY", "127.0.0.1", free_port())
    )
    service = NetworkService(filled_workstation, open_settings(filled_workstation))
    yield service
    service.shutdown()


@pytest.fixture
def reader(filled_workstation: Workstation, admin_session: Session) -> Session:
    filled_workstation.users.create_user(
        READER, READER_PASSWORD, Role.RADIOLOGIST, actor=admin_session
    )
    return filled_workstation.users.authenticate(READER, READER_PASSWORD)


def open_window(
    qtbot: QtBot, workstation: Workstation, session: Session, network: NetworkService
) -> MainWindow:
    window = MainWindow(workstation, session, network_service=network)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def any_study_uid(workstation: Workstation) -> str:
    return workstation.archive.find_studies(StudyQuery())[0].StudyInstanceUID


def sent_by(workstation: Workstation) -> dict[int, list[str]]:
    """Return the users of the INSTANCES_SENT records, by sync job number."""
    users: dict[int, list[str]] = {}
    for record in workstation.audit.records():
        if record.event == audit_events.INSTANCES_SENT:
            job_id = int(record.detail.split("sync job ")[1].split()[0])
            users.setdefault(job_id, []).append(record.user)
    return users


def test_queue_outlives_log_out(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    reader: Session,
    network: NetworkService,
) -> None:
    study_uid = any_study_uid(filled_workstation)
    first = open_window(qtbot, filled_workstation, admin_session, network)
    with qtbot.waitSignal(network.sig_job_finished, timeout=20_000) as queued:
        network.enqueue_send("closed", [study_uid])
    job: SyncJob = queued.args[0]
    assert job.state == JobState.PENDING

    first.logout_action.trigger()
    assert network.runner.running
    assert network.scp is not None
    assert network.scp.running

    # At the login dialog: the retry runs and is recorded under its creator.
    with qtbot.waitSignal(network.sig_job_finished, timeout=20_000):
        network.retry_job(job.id)

    second = open_window(qtbot, filled_workstation, reader, network)
    with qtbot.waitSignal(network.sig_job_finished, timeout=20_000):
        network.retry_job(job.id)
    with qtbot.waitSignal(network.sig_job_finished, timeout=20_000) as own:
        network.enqueue_send("closed", [study_uid])
    second.close()

    users = sent_by(filled_workstation)
    assert users[job.id] == ["admin", "admin", "admin"]
    assert users[own.args[0].id] == [READER]


def test_lock_keeps_sync_panel_hidden(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    network: NetworkService,
) -> None:
    window = open_window(qtbot, filled_workstation, admin_session, network)
    panel = window.network.sync_panel
    assert panel.isHidden()
    window.security.idle_lock.lock()

    network.sig_error.emit("the queue could not be read")
    network.sig_job_queued.emit("send")

    assert panel.isHidden()
    window.close()


def test_logged_out_window_detached(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    network: NetworkService,
) -> None:
    window = open_window(qtbot, filled_workstation, admin_session, network)
    panel = window.network.sync_panel
    window.logout_action.trigger()

    network.sig_error.emit("the queue could not be read")
    network.sig_job_queued.emit("send")

    assert panel.isHidden()
    assert not window.isVisible()


def test_transcriptionist_sees_no_queue(
    qtbot: QtBot,
    filled_workstation: Workstation,
    admin_session: Session,
    network: NetworkService,
) -> None:
    users = filled_workstation.users
    users.create_user(
        "typist", "Quiet-Keyboard-Lamp-58", Role.TRANSCRIPTIONIST, actor=admin_session
    )
    session = users.authenticate("typist", "Quiet-Keyboard-Lamp-58")
    window = open_window(qtbot, filled_workstation, session, network)
    panel = window.network.sync_panel

    network.sig_error.emit("the queue could not be read")
    network.sig_job_queued.emit("send")

    assert panel.isHidden()
    assert not window.network.sync_panel_action.isVisible()
    assert not window.network.sync_panel_action.isEnabled()
    window.close()
