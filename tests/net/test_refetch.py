"""Re-fetch of a stored instance whose file changed, from the PACS that sent it.

The Orthanc tests run only inside a loopback-only network namespace (see
conftest.py); the others need no peer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.filebase import DicomBytesIO
from pydicom.uid import generate_uid

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.integrity import IntegrityError, sha256_of
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import (
    RETRIEVE,
    JobAudit,
    JobServices,
    JobState,
    SyncJob,
    SyncQueue,
    run_job,
)
from pacs_desktop.core.net.refetch import (
    RefetchOutcome,
    RefetchPlan,
    queue_refetch_of_instance,
    queue_refetches,
)
from pacs_desktop.core.net.scp import StorageSCP
from pacs_desktop.core.security.audit import AuditTrail
from tests.net.conftest import ORTHANC_AET, OrthancServer

CT_SMALL = Path(str(get_testdata_file("CT_small.dcm")))
SLICES = 3
OPERATOR = "ops"


@dataclass
class Station:
    """An archive, its sync queue and the services a job runs with."""

    database: Database
    archive: Archive
    queue: SyncQueue
    nodes: NodeStore
    services: JobServices

    def plans(self) -> list[RefetchPlan]:
        return queue_refetches(self.archive, self.queue, self.nodes.list())

    def retrieves(self) -> list[SyncJob]:
        return [job for job in self.queue.list_jobs() if job.kind == RETRIEVE]

    def run(self, job_id: int) -> SyncJob:
        claimed = self.queue.claim(job_id)
        assert claimed is not None
        return run_job(self.queue, claimed, self.services)

    def indexed_copies(self, sop_instance_uid: str) -> int:
        row = (
            self.database.connection()
            .execute(
                "SELECT count(*) FROM instances WHERE sop_uid = ?", (sop_instance_uid,)
            )
            .fetchone()
        )
        return int(row[0])

    def recorded_sha256(self, sop_instance_uid: str) -> str:
        row = (
            self.database.connection()
            .execute(
                "SELECT file_sha256 FROM instances WHERE sop_uid = ?",
                (sop_instance_uid,),
            )
            .fetchone()
        )
        return str(row[0])


@pytest.fixture
def station(tmp_path: Path, local_entity: LocalEntity) -> Iterator[Station]:
    database = Database(tmp_path / "archive.sqlite")
    trail = AuditTrail(database)
    archive = Archive(database, tmp_path / "store", audit=trail)
    nodes = NodeStore(database)
    # Built as `pacs-desktop queue run` builds them.
    services = JobServices(
        nodes=nodes,
        local=local_entity,
        archive=archive,
        audit=JobAudit(trail, OPERATOR, os_account=True),
    )
    yield Station(database, archive, SyncQueue(database), nodes, services)
    database.close()


def _slice_bytes(study_uid: str, series_uid: str, number: int) -> tuple[str, bytes]:
    ds = pydicom.dcmread(CT_SMALL)
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = series_uid
    ds.SOPInstanceUID = generate_uid()
    ds.InstanceNumber = number + 1
    buffer = DicomBytesIO()
    ds.save_as(buffer)
    return str(ds.SOPInstanceUID), buffer.getvalue()


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def _damage(archive: Archive, sop_instance_uid: str) -> Path:
    """Change the stored file and read it through the integrity check."""
    stored = archive.instance_path(sop_instance_uid)
    assert stored is not None
    _flip_last_byte(stored)
    with pytest.raises(IntegrityError):
        archive.verify_instance(sop_instance_uid)
    return stored


@pytest.fixture
def workstation_scp(
    station: Station, local_entity: LocalEntity
) -> Iterator[StorageSCP]:
    """The storage SCP that receives C-MOVE sub-operations into the archive."""
    scp = StorageSCP(
        station.archive,
        ae_title=local_entity.ae_title,
        port=local_entity.scp_port,
        allowed_aets=lambda: [ORTHANC_AET],
        timeouts=local_entity.timeouts,
        bind_address="127.0.0.1",
    )
    scp.start()
    station.services.scp = scp
    yield scp
    scp.stop()


def _retrieve_study(
    station: Station, orthanc: OrthancServer, method: str
) -> tuple[str, list[str]]:
    """Upload a study to Orthanc and retrieve it; return (study, SOP UIDs)."""
    station.nodes.add(orthanc.node)
    study_uid, series_uid = generate_uid(), generate_uid()
    uids = []
    for number in range(SLICES):
        uid, data = _slice_bytes(study_uid, series_uid, number)
        orthanc.upload_bytes(data)
        uids.append(uid)
    job = station.queue.enqueue_retrieve(orthanc.node.name, study_uid, method=method)
    assert station.run(job.id).state == JobState.DONE
    return study_uid, uids


@pytest.fixture
def retrieved(
    station: Station, orthanc: OrthancServer, workstation_scp: StorageSCP
) -> tuple[str, list[str]]:
    """A study of Orthanc retrieved into the archive with C-MOVE."""
    return _retrieve_study(station, orthanc, "move")


@pytest.mark.parametrize("method", ["move", "get"])
def test_refetch_restores_damaged_file(
    station: Station,
    orthanc: OrthancServer,
    workstation_scp: StorageSCP,
    method: str,
) -> None:
    study_uid, uids = _retrieve_study(station, orthanc, method)
    damaged = uids[1]
    _damage(station.archive, damaged)

    (plan,) = station.plans()
    finished = station.run(plan.job_id or 0)

    assert plan == RefetchPlan(
        study_uid,
        1,
        orthanc.node.ae_title,
        RefetchOutcome.QUEUED,
        plan.job_id,
        orthanc.node.name,
    )
    assert finished.state == JobState.DONE
    stored = station.archive.verify_instance(damaged)
    assert stored is not None
    assert sha256_of(stored) == station.recorded_sha256(damaged)
    assert station.indexed_copies(damaged) == 1
    assert station.archive.instances_to_refetch() == []


def test_second_request_names_queued_retrieve(
    station: Station, orthanc: OrthancServer, retrieved: tuple[str, list[str]]
) -> None:
    _, uids = retrieved
    _damage(station.archive, uids[0])
    (first,) = station.plans()
    _damage(station.archive, uids[2])

    second = queue_refetch_of_instance(
        station.archive, station.queue, station.nodes.list(), uids[2]
    )

    assert second is not None
    assert second.outcome == RefetchOutcome.ALREADY_QUEUED
    assert second.job_id == first.job_id
    assert second.instances == 2
    assert len(station.retrieves()) == 2  # the first retrieve and the re-fetch


def test_done_retrieve_does_not_count_as_queued(
    station: Station, orthanc: OrthancServer, retrieved: tuple[str, list[str]]
) -> None:
    # The retrieve that stored the study is done; the re-fetch is a new job.
    _, uids = retrieved
    _damage(station.archive, uids[0])

    (plan,) = station.plans()

    assert plan.outcome == RefetchOutcome.QUEUED


def test_file_imported_from_disk_not_queued(station: Station, tmp_path: Path) -> None:
    uid, data = _slice_bytes(generate_uid(), generate_uid(), 0)
    source = tmp_path / "slice.dcm"
    source.write_bytes(data)
    station.archive.import_paths([source])
    _damage(station.archive, uid)

    (plan,) = station.plans()

    assert plan.outcome == RefetchOutcome.IMPORTED_FROM_FILES
    assert "imported from files" in plan.reason
    assert station.queue.list_jobs() == []


def test_unknown_ae_title_not_queued(station: Station) -> None:
    station.nodes.add(Node("main-pacs", "MAIN_PACS", "127.0.0.1", 11112))
    uid, data = _slice_bytes(generate_uid(), generate_uid(), 0)
    station.archive.import_dataset_bytes(data, "network", source_node="OTHER_PACS")
    _damage(station.archive, uid)

    (plan,) = station.plans()

    assert plan.outcome == RefetchOutcome.NO_NODE
    assert "AE title OTHER_PACS" in plan.reason
    assert station.queue.list_jobs() == []


def test_series_retrieve_does_not_count_as_queued(station: Station) -> None:
    station.nodes.add(Node("main-pacs", "MAIN_PACS", "127.0.0.1", 11112))
    study_uid = generate_uid()
    uid, data = _slice_bytes(study_uid, generate_uid(), 0)
    station.archive.import_dataset_bytes(data, "network", source_node="MAIN_PACS")
    _damage(station.archive, uid)
    station.queue.enqueue_retrieve("main-pacs", study_uid, series_uids=[generate_uid()])

    (plan,) = station.plans()

    assert plan.outcome == RefetchOutcome.QUEUED
