"""The sync panel and queue runner with a PACS that refuses connections.

No server is started: the node points at a loopback port that nobody
listens on, so every attempt fails with "connection refused".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import JobState, SyncJob
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.network.service import NetworkService
from pacs_desktop.ui.network.sync_panel import COLUMNS, SyncPanel, format_seconds
from tests.net.conftest import free_port


@pytest.fixture
def service(workstation: Workstation) -> Iterator[NetworkService]:
    NodeStore(workstation.database).add(
        Node("closed", "NOBODY", "127.0.0.1", free_port())
    )
    network = NetworkService(workstation, Settings(workstation.data_dir))
    yield network
    network.shutdown()


@pytest.fixture
def panel(qtbot: QtBot, service: NetworkService) -> SyncPanel:
    dock = SyncPanel(service)
    qtbot.addWidget(dock)
    return dock


def test_refused_retrieve_waits_for_retry(
    qtbot: QtBot, service: NetworkService, panel: SyncPanel
) -> None:
    with qtbot.waitSignal(service.sig_job_finished, timeout=20_000) as blocker:
        service.enqueue_retrieve("closed", "1.2.3")
    job: SyncJob = blocker.args[0]

    assert job.state == JobState.PENDING
    assert "connection refused" in job.last_error
    qtbot.waitUntil(lambda: panel.cell_text(job.id, "state") == "waiting")
    assert panel.cell_text(job.id, "attempts") == "1 of 6"
    assert "connection refused" in panel.cell_text(job.id, "last_error")
    assert panel.cell_text(job.id, "next_attempt") != ""


def test_panel_cancel_then_retry(
    qtbot: QtBot, service: NetworkService, panel: SyncPanel
) -> None:
    with qtbot.waitSignal(service.sig_job_finished, timeout=20_000) as blocker:
        service.enqueue_retrieve("closed", "1.2.3")
    job: SyncJob = blocker.args[0]
    qtbot.waitUntil(lambda: panel.cell_text(job.id, "state") == "waiting")
    panel.select_job(job.id)
    assert panel.cancel_button.isEnabled()

    panel.cancel_button.click()
    qtbot.waitUntil(lambda: panel.cell_text(job.id, "state") == "cancelled")
    assert panel.retry_button.isEnabled()
    assert not panel.cancel_button.isEnabled()

    with qtbot.waitSignal(service.sig_job_finished, timeout=20_000) as retried:
        panel.retry_button.click()
    assert retried.args[0].id == job.id
    assert retried.args[0].attempts == 1


def test_runner_starts_only_with_jobs(service: NetworkService) -> None:
    assert not service.runner.running


def test_resume_starts_runner_for_waiting_job(
    qtbot: QtBot, workstation: Workstation
) -> None:
    first = NetworkService(workstation, Settings(workstation.data_dir))
    first.queue.enqueue_retrieve("closed", "1.2.3")
    first.shutdown()
    NodeStore(workstation.database).add(
        Node("closed", "NOBODY", "127.0.0.1", free_port())
    )
    second = NetworkService(workstation, Settings(workstation.data_dir))
    try:
        with qtbot.waitSignal(second.sig_job_finished, timeout=20_000):
            second.resume_queue()
        assert second.runner.running
    finally:
        second.shutdown()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, ""), (0.4, "0:00"), (65, "1:05"), (3725, "1:02:05")],
)
def test_format_seconds(seconds: float | None, text: str) -> None:
    assert format_seconds(seconds) == text


def test_rows_name_the_patient_and_study_of_a_local_study(
    qtbot: QtBot,
    filled_workstation: Workstation,
    service: NetworkService,
    panel: SyncPanel,
) -> None:
    study = filled_workstation.archive.find_studies(StudyQuery(patient_id="PID-1001"))[
        0
    ]
    with qtbot.waitSignal(service.sig_job_finished, timeout=20_000) as blocker:
        service.enqueue_send("closed", [study.StudyInstanceUID])
    job: SyncJob = blocker.args[0]

    expected = "Doe, Jane (PID-1001), CT abdomen"
    qtbot.waitUntil(lambda: panel.cell_text(job.id, "target") == expected)
    assert panel.cell_tooltip(job.id, "target") == study.StudyInstanceUID


def test_rows_show_the_uid_of_a_study_not_local(
    qtbot: QtBot, service: NetworkService, panel: SyncPanel
) -> None:
    with qtbot.waitSignal(service.sig_job_finished, timeout=20_000) as blocker:
        service.enqueue_retrieve("closed", "1.2.3")
    job: SyncJob = blocker.args[0]

    qtbot.waitUntil(lambda: panel.cell_text(job.id, "state") == "waiting")
    assert panel.cell_text(job.id, "target") == "1.2.3"


def test_column_titles_fit_their_columns(panel: SyncPanel) -> None:
    header = panel.table.horizontalHeader()
    for column in range(header.count() - 1):
        title = panel.table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.sectionSizeHint(column), title


def test_commitment_title_explained_in_tooltip(panel: SyncPanel) -> None:
    column = COLUMNS.index("commitment")
    item = panel.table.horizontalHeaderItem(column)

    assert item.text() == "Commitment"
    assert item.toolTip().startswith("Storage commitment:")
