"""Storage Commitment Push Model after a send, against Orthanc and storescp."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.commitment import (
    CommitmentState,
    CommittedInstance,
    request_commitment,
)
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.queue import JobServices, JobState, SyncQueue, run_due_jobs
from pacs_desktop.core.net.scp import StorageSCP
from tests.net.conftest import OrthancServer, StoreScp, free_port
from tests.net.test_queue import FakeClock

CT_CLASS = "1.2.840.10008.5.1.4.1.1.2"


@dataclasses.dataclass
class SendSetup:
    """A queue, its job services and the study UID of one archived CT."""

    queue: SyncQueue
    services: JobServices
    study_uid: str


@pytest.fixture
def send_setup(tmp_path: Path, local_entity: LocalEntity) -> SendSetup:
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    summary = archive.import_paths([Path(get_testdata_file("CT_small.dcm"))])
    (study_uid,) = summary.studies
    services = JobServices(NodeStore(database), local_entity, archive)
    return SendSetup(SyncQueue(database, clock=FakeClock()), services, study_uid)


@pytest.fixture
def running_scp(send_setup: SendSetup) -> Iterator[StorageSCP]:
    """The workstation's storage SCP on the port Orthanc reports to."""
    local = send_setup.services.local
    scp = StorageSCP(
        send_setup.services.archive,
        ae_title=local.ae_title,
        port=local.scp_port,
        allowed_aets=lambda: ["ORTHANC"],
        timeouts=local.timeouts,
        bind_address="127.0.0.1",
    )
    scp.start()
    yield scp
    scp.stop()


def _send(setup: SendSetup, node_name: str) -> tuple[int, JobState, str, str]:
    job = setup.queue.enqueue_send(node_name, [setup.study_uid])
    (outcome,) = run_due_jobs(setup.queue, setup.services)
    return job.id, outcome.state, outcome.commitment, outcome.last_error


def test_send_committed_by_orthanc(
    orthanc: OrthancServer, send_setup: SendSetup
) -> None:
    send_setup.services.nodes.add(orthanc.node)
    job_id, state, commitment, error = _send(send_setup, orthanc.node.name)
    assert state == JobState.DONE, error
    assert commitment == CommitmentState.COMMITTED.value
    assert send_setup.queue.get(job_id).commitment_failed == ()


def test_report_reaches_running_scp(
    orthanc: OrthancServer, send_setup: SendSetup, running_scp: StorageSCP
) -> None:
    send_setup.services.nodes.add(orthanc.node)
    send_setup.services.scp = running_scp
    _job_id, state, commitment, error = _send(send_setup, orthanc.node.name)
    assert state == JobState.DONE, error
    assert commitment == CommitmentState.COMMITTED.value


def test_unknown_instance_not_committed(
    orthanc: OrthancServer, local_entity: LocalEntity, running_scp: StorageSCP
) -> None:
    missing_uid = str(generate_uid())
    result = request_commitment(
        orthanc.node,
        local_entity,
        [CommittedInstance(CT_CLASS, missing_uid)],
        running_scp.commitments,
        timeout=15,
    )
    assert result.state == CommitmentState.FAILED
    assert [uid for uid, _reason in result.failed] == [missing_uid]
    assert result.committed == []


def test_no_report_keeps_job_pending(
    orthanc: OrthancServer, send_setup: SendSetup
) -> None:
    # Orthanc reports to the port in its DicomModalities; the workstation
    # listens on another, so no report ever arrives.
    local = dataclasses.replace(
        send_setup.services.local, scp_port=free_port(), commitment_timeout=3.0
    )
    send_setup.services.local = local
    send_setup.services.nodes.add(orthanc.node)
    _job_id, state, commitment, error = _send(send_setup, orthanc.node.name)
    assert state == JobState.PENDING
    assert commitment == CommitmentState.NO_REPORT.value
    assert "no Storage Commitment report" in error
    assert orthanc.instance_count() == 1


def test_storescp_commitment_not_supported(
    send_setup: SendSetup, storescp_factory: Callable[..., StoreScp]
) -> None:
    peer = storescp_factory(free_port())
    send_setup.services.nodes.add(peer.node)
    _job_id, state, commitment, error = _send(send_setup, peer.node.name)
    assert state == JobState.DONE, error
    assert commitment == CommitmentState.NOT_SUPPORTED.value
    assert len(list(peer.output_dir.iterdir())) == 1
