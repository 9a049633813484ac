"""Orthanc killed mid-retrieve and mid-send: nothing lost, nothing doubled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.queue import (
    BACKOFF_SECONDS,
    JobProgress,
    JobServices,
    JobState,
    SyncJob,
    SyncQueue,
    run_due_jobs,
)
from tests.net.conftest import (
    OrthancServer,
    free_port,
    require_isolated_network,
    start_orthanc,
    stop_process,
)
from tests.net.test_queue import FakeClock

CT_FOLDER = "ct_series_pancreas_134"
KILL_AFTER = 20


@pytest.fixture
def own_orthanc(tmp_path: Path) -> Iterator[list[OrthancServer]]:
    """An Orthanc of this test alone; the list holds the current process."""
    require_isolated_network()
    servers = [start_orthanc(tmp_path / "orthanc", free_port(), free_port())]
    yield servers
    stop_process(servers[-1].process)


def _services(
    tmp_path: Path, name: str, server: OrthancServer, local: LocalEntity
) -> tuple[SyncQueue, JobServices]:
    database = Database(tmp_path / f"{name}.sqlite")
    archive = Archive(database, tmp_path / f"{name}-store")
    nodes = NodeStore(database)
    nodes.add(server.node)
    return SyncQueue(database, clock=FakeClock()), JobServices(nodes, local, archive)


def _kill_at(server: OrthancServer, count: int) -> JobProgress:
    def on_progress(job: SyncJob, done: int, total: int, rate: float) -> None:
        if done >= count and server.process.poll() is None:
            server.process.kill()

    return on_progress


def _resume(
    servers: list[OrthancServer], queue: SyncQueue, services: JobServices
) -> list[SyncJob]:
    old = servers[-1]
    old.process.wait()
    servers.append(start_orthanc(old.workdir, old.node.port, old.http_port))
    queue.clock.now += BACKOFF_SECONDS[0]  # type: ignore[attr-defined]
    return run_due_jobs(queue, services)


def test_retrieve_survives_peer_death(
    own_orthanc: list[OrthancServer],
    shared_data: Path,
    local_entity: LocalEntity,
    tmp_path: Path,
) -> None:
    server = own_orthanc[-1]
    paths = sorted((shared_data / CT_FOLDER).glob("*.dcm"))
    for path in paths:
        server.upload(path)
    study_uid = str(pydicom.dcmread(paths[0], stop_before_pixels=True).StudyInstanceUID)
    queue, services = _services(tmp_path, "target", server, local_entity)
    job = queue.enqueue_retrieve(server.node.name, study_uid, method="get")

    (first,) = run_due_jobs(queue, services, progress=_kill_at(server, KILL_AFTER))
    assert first.state == JobState.PENDING
    assert KILL_AFTER <= services.archive.count_instances() < len(paths)

    (second,) = _resume(own_orthanc, queue, services)
    assert second.id == job.id
    assert second.state == JobState.DONE
    assert services.archive.count_instances() == len(paths)


def test_send_survives_peer_death(
    own_orthanc: list[OrthancServer],
    shared_data: Path,
    local_entity: LocalEntity,
    tmp_path: Path,
) -> None:
    server = own_orthanc[-1]
    queue, services = _services(tmp_path, "source", server, local_entity)
    summary = services.archive.import_paths([shared_data / CT_FOLDER])
    (study_uid,) = summary.studies
    job = queue.enqueue_send(server.node.name, [study_uid])

    (first,) = run_due_jobs(queue, services, progress=_kill_at(server, KILL_AFTER))
    assert first.state == JobState.PENDING

    (second,) = _resume(own_orthanc, queue, services)
    assert second.id == job.id
    assert second.state == JobState.DONE
    assert own_orthanc[-1].instance_count() == len(summary.imported)
