"""The GUI against a real Orthanc: remote search, series, retrieve, send, SCP.

Orthanc and the workstation's storage SCP bind every interface, so these
tests run only inside a loopback-only network namespace (PACS_TEST_NETNS=1);
see tests/net/conftest.py.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import JobState, SyncJob
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.audit import AuditRecord
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.network.connection_test import ConnectionTestButton
from pacs_desktop.ui.network.queue_runner import JobProgressReport
from tests.net.conftest import (
    _WORKSTATION_SCP_PORT,
    WORKSTATION_AET,
    OrthancServer,
    free_port,
    require_isolated_network,
    start_orthanc,
    stop_process,
)
from tests.ui.conftest import SAMPLE_STUDIES, write_image

LARGE_SERIES_SIZE = 80


def configure(workstation: Workstation, orthanc_node: Node) -> None:
    """Register Orthanc as a node and use the AE title and port it knows."""
    settings = Settings(workstation.data_dir)
    settings.set("network.ae_title", WORKSTATION_AET)
    settings.set("network.scp_port", _WORKSTATION_SCP_PORT)
    NodeStore(workstation.database).add(orthanc_node)


def write_large_series(folder: Path, count: int) -> str:
    """Write ``count`` 512x512 CT images of one new study; return its UID."""
    folder.mkdir(parents=True, exist_ok=True)
    study_uid, series_uid = generate_uid(), generate_uid()
    rng = np.random.default_rng(7)
    for number in range(1, count + 1):
        sop_uid = generate_uid()
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = sop_uid
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPClassUID, ds.SOPInstanceUID = CTImageStorage, sop_uid
        ds.PatientName, ds.PatientID = "Large^Series", "PID-LARGE"
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study_uid, series_uid
        ds.StudyDate, ds.Modality, ds.SeriesNumber = "20240101", "CT", 1
        ds.InstanceNumber = number
        ds.Rows = ds.Columns = 512
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
        ds.PixelRepresentation = 0
        pixels = rng.integers(0, 4096, size=(512, 512), dtype="<u2")
        ds.PixelData = pixels.tobytes()
        ds.save_as(folder / f"large_{number:03d}.dcm", enforce_file_format=True)
    return study_uid


def write_study(folder: Path, index: int) -> str:
    """Write sample study ``index`` (see SAMPLE_STUDIES); return its UID."""
    folder.mkdir(parents=True, exist_ok=True)
    study = SAMPLE_STUDIES[index]
    study_uid = generate_uid()
    for series_number in range(1, study.series_count + 1):
        series_uid = generate_uid()
        for instance_number in range(1, study.images_per_series + 1):
            write_image(
                folder / f"{series_number}_{instance_number}.dcm",
                study,
                study_uid=study_uid,
                series_uid=series_uid,
                series_number=series_number,
                instance_number=instance_number,
            )
    return study_uid


def upload_folder(orthanc: OrthancServer, folder: Path) -> None:
    for path in sorted(folder.glob("*.dcm")):
        orthanc.upload(path)


@pytest.fixture(scope="module")
def orthanc_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[OrthancServer]:
    """One Orthanc for this file, with the workstation in its DicomModalities."""
    require_isolated_network()
    workdir = tmp_path_factory.mktemp("orthanc")
    server = start_orthanc(workdir, free_port(), free_port())
    yield server
    stop_process(server.process)


@pytest.fixture
def orthanc(orthanc_server: OrthancServer) -> OrthancServer:
    """The file's Orthanc, emptied before each test."""
    if orthanc_server.process.poll() is not None:
        pytest.fail(f"Orthanc died; see {orthanc_server.log_path}")
    orthanc_server.clear()
    return orthanc_server


@pytest.fixture
def window(
    qtbot: QtBot,
    workstation: Workstation,
    admin_session: Session,
    orthanc: OrthancServer,
) -> Iterator[MainWindow]:
    configure(workstation, orthanc.node)
    main = MainWindow(workstation, admin_session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def search_remote(qtbot: QtBot, window: MainWindow, name: str = "") -> int:
    network = window.network
    network.set_source("orthanc")
    network.remote.filter_bar.name_edit.setText(name)
    with qtbot.waitSignal(network.remote.sig_studies_shown, timeout=20_000) as shown:
        network.remote.search()
    count: int = shown.args[0]
    return count


def wait_for_job(qtbot: QtBot, window: MainWindow, timeout: int = 60_000) -> SyncJob:
    def finished(job: SyncJob) -> bool:
        return job.state != JobState.RUNNING

    service = window.network.service
    with qtbot.waitSignal(
        service.sig_job_finished, timeout=timeout, check_params_cb=finished
    ) as blocker:
        pass
    job: SyncJob = blocker.args[0]
    return job


def test_scp_runs_with_window(window: MainWindow) -> None:
    scp = window.network.service.scp
    assert scp is not None
    assert scp.running
    assert scp.port == _WORKSTATION_SCP_PORT


def test_remote_search_marks_local_instances(
    qtbot: QtBot,
    window: MainWindow,
    orthanc: OrthancServer,
    tmp_path: Path,
) -> None:
    local_folder = tmp_path / "local"
    write_study(local_folder, 0)
    remote_only = tmp_path / "remote"
    write_study(remote_only, 1)
    upload_folder(orthanc, local_folder)
    upload_folder(orthanc, remote_only)
    window.archive.import_paths([local_folder])

    assert search_remote(qtbot, window, "Doe*") == 2
    model = window.network.remote.model
    texts = {
        model.record(row).PatientID: model.data(model.index(row, 9))
        for row in range(model.rowCount())
    }
    assert texts["PID-1001"] == "4 (4 local)"
    assert texts["PID-1002"] == "2"


def test_remote_search_is_audited_under_the_session_user(
    qtbot: QtBot,
    window: MainWindow,
    workstation: Workstation,
    admin_session: Session,
) -> None:
    search_remote(qtbot, window, "Doe*")

    def remote_queries() -> list[AuditRecord]:
        return [
            record
            for record in workstation.audit.records(event=audit_events.QUERY)
            if "orthanc" in record.detail
        ]

    qtbot.waitUntil(lambda: bool(remote_queries()))
    record = remote_queries()[-1]
    assert record.user == admin_session.user.name
    assert not record.os_account


def test_remote_search_uses_date_range(
    qtbot: QtBot,
    window: MainWindow,
    orthanc: OrthancServer,
    tmp_path: Path,
) -> None:
    for index in range(3):
        folder = tmp_path / f"s{index}"
        write_study(folder, index)
        upload_folder(orthanc, folder)
    window.network.set_source("orthanc")
    remote = window.network.remote
    remote.filter_bar.date_from_edit.setText("2024-01-01")
    # 20240110 and 20240305 match; 20231201 does not.
    assert search_remote(qtbot, window) == 2


def test_selecting_remote_study_lists_series(
    qtbot: QtBot,
    window: MainWindow,
    orthanc: OrthancServer,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "study"
    write_study(folder, 0)
    upload_folder(orthanc, folder)
    remote = window.network.remote
    with qtbot.waitSignal(remote.sig_series_shown, timeout=20_000) as shown:
        search_remote(qtbot, window)
    assert shown.args == [2]
    assert remote.series_list.count() == 2


def test_retrieve_keeps_gui_thread_free(
    qtbot: QtBot,
    window: MainWindow,
    orthanc: OrthancServer,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "large"
    study_uid = write_large_series(folder, LARGE_SERIES_SIZE)
    upload_folder(orthanc, folder)
    assert search_remote(qtbot, window, "Large*") == 1
    reports: list[JobProgressReport] = []
    window.network.service.sig_job_progress.connect(reports.append)

    gaps: list[float] = []
    last: list[float] = []

    def tick() -> None:
        # Gaps are measured between ticks only; the first tick starts the
        # clock, so the test's own set-up before it is not counted.
        now = time.monotonic()
        if last:
            gaps.append(now - last[0])
        last[:] = [now]

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    # Started from the event loop while the heartbeat runs, so the time the
    # call takes on the GUI thread falls between two ticks.
    QTimer.singleShot(100, window.network.remote.retrieve_study)
    job = wait_for_job(qtbot, window)
    timer.stop()

    assert job.state == JobState.DONE, job.last_error
    assert (
        len(
            window.archive.instances_for_series(
                window.archive.series_for_study(study_uid)[0].SeriesInstanceUID
            )
        )
        == LARGE_SERIES_SIZE
    )
    assert len(gaps) > 10
    assert max(gaps) < 0.2, f"GUI thread blocked for {max(gaps):.3f} s"
    assert reports[-1].done == LARGE_SERIES_SIZE
    assert reports[-1].total == LARGE_SERIES_SIZE
    panel = window.network.sync_panel
    qtbot.waitUntil(lambda: panel.cell_text(job.id, "state") == "done", timeout=5000)
    assert panel.cell_text(job.id, "progress") == (
        f"{LARGE_SERIES_SIZE} of {LARGE_SERIES_SIZE}"
    )


def test_retrieve_series_only(
    qtbot: QtBot,
    window: MainWindow,
    orthanc: OrthancServer,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "study"
    study_uid = write_study(folder, 0)
    upload_folder(orthanc, folder)
    remote = window.network.remote
    with qtbot.waitSignal(remote.sig_series_shown, timeout=20_000):
        search_remote(qtbot, window)
    remote.series_list.item(0).setSelected(True)
    assert remote.retrieve_series_button.isEnabled()
    remote.retrieve_series()
    job = wait_for_job(qtbot, window)

    assert job.state == JobState.DONE, job.last_error
    local = window.archive.study(study_uid)
    assert local is not None
    assert local.NumberOfStudyRelatedInstances == 2


def test_cancel_running_retrieve(
    qtbot: QtBot,
    window: MainWindow,
    orthanc: OrthancServer,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "large"
    write_large_series(folder, LARGE_SERIES_SIZE)
    upload_folder(orthanc, folder)
    assert search_remote(qtbot, window, "Large*") == 1
    service = window.network.service

    def cancel_first(report: JobProgressReport) -> None:
        service.cancel_job(report.job_id)

    service.sig_job_progress.connect(cancel_first)
    window.network.remote.retrieve_study()
    job = wait_for_job(qtbot, window)

    assert job.state == JobState.CANCELLED
    assert job.done_count < LARGE_SERIES_SIZE


def test_send_selected_study(
    qtbot: QtBot,
    window: MainWindow,
    orthanc: OrthancServer,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "study"
    write_study(folder, 1)
    window.archive.import_paths([folder])
    window.browser.refresh()
    assert window.browser.selected_study() is not None
    window.network.send_selected("orthanc")
    job = wait_for_job(qtbot, window)

    assert job.state == JobState.DONE, job.last_error
    assert orthanc.instance_count() == 2


def test_scp_receives_push(
    qtbot: QtBot,
    window: MainWindow,
    orthanc: OrthancServer,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "study"
    study_uid = write_study(folder, 1)
    upload_folder(orthanc, folder)
    service = window.network.service
    with qtbot.waitSignal(service.sig_instance_received, timeout=20_000):
        orthanc.rest(
            "POST",
            "/modalities/workstation/store",
            f'{{"Resources": ["{orthanc_study_id(orthanc, study_uid)}"]}}'.encode(),
        )
    qtbot.waitUntil(lambda: window.archive.study(study_uid) is not None, timeout=10_000)


def orthanc_study_id(orthanc: OrthancServer, study_uid: str) -> str:
    found = orthanc.rest(
        "POST",
        "/tools/lookup",
        study_uid.encode(),
    )
    assert isinstance(found, list)
    return str(found[0]["ID"])


def test_scp_port_taken_is_reported(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    require_isolated_network()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        port = holder.getsockname()[1]
        settings = Settings(workstation.data_dir)
        settings.set("network.scp_port", port)
        NodeStore(workstation.database).add(Node("pacs", "PACS", "127.0.0.1", 104))
        main = MainWindow(workstation, admin_session)
        qtbot.addWidget(main)

        service = main.network.service
        assert service.scp is None
        assert f"port {port}" in service.scp_message
        assert "network.scp_port" in service.scp_message
        warning = main.network.scp_warning
        assert warning is not None
        assert f"port {port}" in warning.text()
        main.close()


@pytest.mark.parametrize("reachable", [True, False])
def test_connection_button(
    qtbot: QtBot,
    workstation: Workstation,
    orthanc: OrthancServer,
    reachable: bool,
) -> None:
    node = orthanc.node
    if not reachable:
        node = Node("closed", "NOBODY", "127.0.0.1", free_port())
    settings = Settings(workstation.data_dir)
    settings.set("network.ae_title", WORKSTATION_AET)
    button = ConnectionTestButton(lambda: node, settings)
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.sig_tested, timeout=20_000) as tested:
        button.click()

    assert tested.args[0] is reachable
    expected = "C-ECHO answered" if reachable else "connection refused"
    assert expected in button.result_label.text()
    assert button.result_label.property("status") == ("ok" if reachable else "error")
