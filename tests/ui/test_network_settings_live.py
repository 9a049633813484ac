"""A changed workstation AE title reaches queued jobs without a restart.

The Orthanc here knows the workstation only as ``READER1`` (its
DicomModalities entry), so it aborts a C-FIND called by any other AE title.
Orthanc binds every interface, so these tests run only inside a loopback-only
network namespace (PACS_TEST_NETNS=1); see tests/net/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.net.association import LocalEntity, Timeouts
from pacs_desktop.core.net.errors import NetworkError
from pacs_desktop.core.net.find import find_studies
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import JobState, SyncJob
from pacs_desktop.core.site_profile import EffectiveSettings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.network.service import NetworkService
from pacs_desktop.ui.settings_dialog import SettingsDialog
from tests.net import conftest as net_conftest
from tests.net.conftest import (
    OrthancServer,
    free_port,
    require_isolated_network,
    start_orthanc,
    stop_process,
)
from tests.ui.conftest import SAMPLE_STUDIES, write_image

KNOWN_AET = "READER1"
UNKNOWN_AET = "OLDTITLE"


@pytest.fixture
def orthanc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OrthancServer]:
    """An Orthanc whose DicomModalities lists only ``READER1``."""
    require_isolated_network()
    monkeypatch.setattr(net_conftest, "WORKSTATION_AET", KNOWN_AET)
    server = start_orthanc(tmp_path / "orthanc", free_port(), free_port())
    yield server
    stop_process(server.process)


def upload_study(orthanc: OrthancServer, folder: Path) -> str:
    """Store sample study 1 in Orthanc; return its Study Instance UID."""
    folder.mkdir()
    study_uid = "1.2.826.0.1.3680043.8.498.7001"
    for number in (1, 2):
        path = folder / f"{number}.dcm"
        write_image(
            path,
            SAMPLE_STUDIES[1],
            study_uid=study_uid,
            series_uid=study_uid + ".1",
            series_number=1,
            instance_number=number,
        )
        orthanc.upload(path)
    return study_uid


def set_ae_title_in_dialog(qtbot: QtBot, workstation: Workstation, title: str) -> None:
    """Store ``title`` as network.ae_title the way an administrator does."""
    dialog = SettingsDialog(
        EffectiveSettings.open(workstation.data_dir), may_manage=True
    )
    qtbot.addWidget(dialog)
    edit = dialog.bindings["network.ae_title"].widget
    edit.setText(title)  # type: ignore[attr-defined]
    assert dialog.apply()


def test_queued_retrieve_calls_with_the_changed_ae_title(
    qtbot: QtBot, workstation: Workstation, orthanc: OrthancServer, tmp_path: Path
) -> None:
    study_uid = upload_study(orthanc, tmp_path / "study")
    node = Node("orthanc", orthanc.node.ae_title, "127.0.0.1", orthanc.node.port)
    NodeStore(workstation.database).add(
        Node(node.name, node.ae_title, node.host, node.port, retrieve="get")
    )
    service = NetworkService(workstation, EffectiveSettings.open(workstation.data_dir))
    try:
        set_ae_title_in_dialog(qtbot, workstation, KNOWN_AET)

        with qtbot.waitSignal(service.sig_job_finished, timeout=60_000) as blocker:
            service.enqueue_retrieve("orthanc", study_uid)
        job: SyncJob = blocker.args[0]
    finally:
        service.shutdown()

    assert job.state == JobState.DONE, job.last_error


def test_find_aborted_at_request_names_the_calling_ae_title(
    orthanc: OrthancServer,
) -> None:
    local = LocalEntity(
        UNKNOWN_AET, Timeouts(acse=5.0, dimse=10.0, network=10.0, connect=5.0)
    )

    with pytest.raises(NetworkError) as raised:
        find_studies(orthanc.node, local, StudyQuery())

    assert (
        f"the PACS may not accept calling AE title {UNKNOWN_AET}; "
        "check that it knows this workstation"
    ) in str(raised.value)
