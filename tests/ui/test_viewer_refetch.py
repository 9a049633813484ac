"""The viewer queues the re-fetch of a damaged retrieved instance's study.

No PACS is started: the node points at a loopback port that nobody listens
on, so the queue runner's attempt fails with "connection refused". The main
window test starts the storage SCP, which binds every interface, so it runs
only inside a loopback-only network namespace (see tests/net/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import RETRIEVE, SyncJob
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.network.integration import attach_refetch
from pacs_desktop.ui.network.service import NetworkService
from pacs_desktop.ui.viewer import ViewerWidget
from tests.net.conftest import free_port, require_isolated_network

NODE_NAME = "closed"
PACS_AE_TITLE = "CLOSED_PACS"
SLICES = 3
PATIENT_ID = "PID-REFETCH-1"
SIZE = 16


def _slice(study_uid: str, series_uid: str, number: int) -> bytes:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = "Refetch^Rita"
    ds.PatientID = PATIENT_ID
    ds.StudyInstanceUID = study_uid
    ds.Modality = "CT"
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = 1
    ds.InstanceNumber = number + 1
    ds.ImagePositionPatient = [0.0, 0.0, float(number)]
    ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    ds.PixelSpacing = [1.0, 1.0]
    ds.Rows = ds.Columns = SIZE
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.PixelData = np.full((SIZE, SIZE), 100 * number, "<u2").tobytes()
    buffer = DicomBytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def _archive_damaged_study(workstation: Workstation, source_node: str) -> StudyRecord:
    """Store a study as sent by ``source_node`` and change every stored file."""
    archive = workstation.archive
    study_uid, series_uid = generate_uid(), generate_uid()
    for number in range(SLICES):
        outcome = archive.import_dataset_bytes(
            _slice(study_uid, series_uid, number),
            f"slice {number}",
            source_node=source_node,
        )
        stored = archive.instance_path(outcome.sop_instance_uid)
        assert stored is not None
        data = bytearray(stored.read_bytes())
        data[-1] ^= 0xFF
        stored.write_bytes(bytes(data))
    study = archive.study(study_uid)
    assert study is not None
    return study


@pytest.fixture
def service(workstation: Workstation) -> Iterator[NetworkService]:
    NodeStore(workstation.database).add(
        Node(NODE_NAME, PACS_AE_TITLE, "127.0.0.1", free_port())
    )
    network = NetworkService(workstation, Settings(workstation.data_dir))
    yield network
    network.shutdown()


@pytest.fixture
def viewer(
    qtbot: QtBot, workstation: Workstation, service: NetworkService
) -> Iterator[ViewerWidget]:
    widget = ViewerWidget(workstation.archive)
    qtbot.addWidget(widget)
    attach_refetch(widget.loader, service)
    yield widget
    widget.shutdown()


def _retrieves(service: NetworkService, study_uid: str) -> list[SyncJob]:
    return [
        job
        for job in service.queue.list_jobs()
        if job.kind == RETRIEVE and job.uids == [study_uid]
    ]


def _show_failed(qtbot: QtBot, viewer: ViewerWidget, index: int) -> str:
    viewer.go_to(index)
    qtbot.waitUntil(
        lambda: f"Image {index + 1} cannot be shown" in viewer.overlays.warning_text(),
        timeout=10_000,
    )
    return viewer.overlays.warning_text()


def test_damaged_study_queues_one_retrieve(
    qtbot: QtBot,
    workstation: Workstation,
    service: NetworkService,
    viewer: ViewerWidget,
) -> None:
    study = _archive_damaged_study(workstation, PACS_AE_TITLE)

    viewer.open_study(study)
    qtbot.waitUntil(lambda: viewer.frame_count == SLICES, timeout=10_000)
    warnings = [_show_failed(qtbot, viewer, index) for index in range(SLICES)]

    assert all(
        f"A new copy is being retrieved from {NODE_NAME}." in text for text in warnings
    )
    assert len(_retrieves(service, study.StudyInstanceUID)) == 1


def test_queued_retrieve_is_started(
    qtbot: QtBot,
    workstation: Workstation,
    service: NetworkService,
    viewer: ViewerWidget,
) -> None:
    study = _archive_damaged_study(workstation, PACS_AE_TITLE)

    with qtbot.waitSignal(service.sig_job_finished, timeout=20_000) as finished:
        viewer.open_study(study)
    job: SyncJob = finished.args[0]

    assert job.uids == [study.StudyInstanceUID]
    assert job.attempts == 1
    assert "connection refused" in job.last_error


def test_imported_study_says_why_not_retrieved(
    qtbot: QtBot,
    workstation: Workstation,
    service: NetworkService,
    viewer: ViewerWidget,
) -> None:
    study = _archive_damaged_study(workstation, "")

    viewer.open_study(study)
    qtbot.waitUntil(lambda: viewer.frame_count == SLICES, timeout=10_000)
    warning = _show_failed(qtbot, viewer, 0)

    assert "because it was imported from files" in warning
    assert service.queue.list_jobs() == []


def test_main_window_reports_queued_retrieve(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    require_isolated_network()
    Settings(workstation.data_dir).set("network.scp_port", free_port())
    NodeStore(workstation.database).add(
        Node(NODE_NAME, PACS_AE_TITLE, "127.0.0.1", free_port())
    )
    study = _archive_damaged_study(workstation, PACS_AE_TITLE)
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    window.request_open(study)
    dialog = window.confirm_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.answer_edit, PATIENT_ID)
    qtbot.keyClick(dialog.answer_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: "fetches a new copy from" in window.statusBar().currentMessage(),
        timeout=10_000,
    )
    jobs = _retrieves(window.network.service, study.StudyInstanceUID)
    window.close()

    assert [(job.node, job.uids) for job in jobs] == [
        (NODE_NAME, [study.StudyInstanceUID])
    ]
