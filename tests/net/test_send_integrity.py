"""A send checks each archived file against its SHA-256 before C-STORE.

Runs against Orthanc, so only inside a loopback-only network namespace (see
conftest.py).
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
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.queue import (
    JobAudit,
    JobServices,
    JobState,
    SyncJob,
    SyncQueue,
    run_job,
)
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.auditmessage import INTEGRITY_FAILURE
from tests.net.conftest import OrthancServer

CT_SMALL = Path(str(get_testdata_file("CT_small.dcm")))
SLICES = 3
DAMAGED = 1


@dataclass
class DamagedSend:
    """A send of a study with one changed stored file, after it ran."""

    job: SyncJob
    uids: list[str]
    damaged_path: Path
    archive: Archive
    trail: AuditTrail

    @property
    def damaged_uid(self) -> str:
        return self.uids[DAMAGED]


def _slice_bytes(study_uid: str, series_uid: str, number: int) -> tuple[str, bytes]:
    ds = pydicom.dcmread(CT_SMALL)
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = series_uid
    ds.SOPInstanceUID = generate_uid()
    ds.InstanceNumber = number + 1
    buffer = DicomBytesIO()
    ds.save_as(buffer)
    return str(ds.SOPInstanceUID), buffer.getvalue()


def _orthanc_has(orthanc: OrthancServer, sop_instance_uid: str) -> bool:
    found = orthanc.rest("POST", "/tools/lookup", sop_instance_uid.encode())
    assert isinstance(found, list)
    return any(entry.get("Type") == "Instance" for entry in found)


@pytest.fixture
def damaged_send(
    tmp_path: Path, orthanc: OrthancServer, local_entity: LocalEntity
) -> Iterator[DamagedSend]:
    database = Database(tmp_path / "archive.sqlite")
    trail = AuditTrail(database)
    archive = Archive(database, tmp_path / "store", audit=trail)
    nodes = NodeStore(database)
    nodes.add(orthanc.node)
    study_uid, series_uid = generate_uid(), generate_uid()
    uids = []
    for number in range(SLICES):
        uid, data = _slice_bytes(study_uid, series_uid, number)
        archive.import_dataset_bytes(data, "network", source_node=orthanc.node.ae_title)
        uids.append(uid)
    path = archive.instance_path(uids[DAMAGED])
    assert path is not None
    stored = bytearray(path.read_bytes())
    stored[-1] ^= 0xFF
    path.write_bytes(bytes(stored))

    queue = SyncQueue(database)
    services = JobServices(
        nodes=nodes,
        local=local_entity,
        archive=archive,
        audit=JobAudit(trail, "ops", os_account=True),
    )
    job = queue.enqueue_send(orthanc.node.name, [study_uid])
    claimed = queue.claim(job.id)
    assert claimed is not None
    finished = run_job(queue, claimed, services)
    yield DamagedSend(finished, uids, path, archive, trail)
    database.close()


def test_damaged_file_not_sent(
    damaged_send: DamagedSend, orthanc: OrthancServer
) -> None:
    assert not _orthanc_has(orthanc, damaged_send.damaged_uid)


def test_other_instances_still_sent(
    damaged_send: DamagedSend, orthanc: OrthancServer
) -> None:
    intact = [uid for uid in damaged_send.uids if uid != damaged_send.damaged_uid]
    assert [_orthanc_has(orthanc, uid) for uid in intact] == [True, True]


def test_job_fails_instead_of_done(damaged_send: DamagedSend) -> None:
    assert damaged_send.job.state == JobState.FAILED


def test_job_error_names_the_file(damaged_send: DamagedSend) -> None:
    assert str(damaged_send.damaged_path) in damaged_send.job.last_error


def test_job_error_gives_the_reason(damaged_send: DamagedSend) -> None:
    assert "SHA-256" in damaged_send.job.last_error


def test_damaged_instance_marked_for_refetch(damaged_send: DamagedSend) -> None:
    marked = [uid for _study, uid, _node in damaged_send.archive.instances_to_refetch()]
    assert marked == [damaged_send.damaged_uid]


def test_damaged_instance_audited(damaged_send: DamagedSend) -> None:
    records = damaged_send.trail.records(event=INTEGRITY_FAILURE)
    path = str(damaged_send.damaged_path)
    assert [path in record.detail for record in records] == [True]
