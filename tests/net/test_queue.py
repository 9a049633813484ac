"""Sync queue: backoff, persistence, and faults injected by DCMTK's storescp."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.database import Database, schema_version
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.queue import (
    _MIGRATIONS,
    BACKOFF_SECONDS,
    COMPONENT,
    LEASE_SECONDS,
    JobCreator,
    JobServices,
    JobState,
    SyncQueue,
    run_due_jobs,
    run_job,
)
from tests.net.conftest import StoreScp, free_port, stop_process


class FakeClock:
    """A settable clock in seconds since the epoch."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_backoff_then_failed(tmp_path: Path) -> None:
    clock = FakeClock()
    queue = SyncQueue(Database(tmp_path / "db.sqlite"), max_attempts=5, clock=clock)
    job = queue.enqueue_send("pacs", ["1.2.3"])
    delays = []
    for _ in range(4):
        claimed = queue.claim()
        assert claimed is not None
        failed = queue.fail(claimed.id, "aborted", retryable=True)
        delays.append(failed.next_attempt - clock.now)
        clock.now = failed.next_attempt
    assert delays == list(BACKOFF_SECONDS)
    claimed = queue.claim()
    assert claimed is not None
    final = queue.fail(claimed.id, "aborted", retryable=True)
    assert final.state == JobState.FAILED
    assert final.attempts == 5
    assert queue.retry(job.id).state == JobState.PENDING


def test_job_not_due_before_backoff(tmp_path: Path) -> None:
    clock = FakeClock()
    queue = SyncQueue(Database(tmp_path / "db.sqlite"), clock=clock)
    job = queue.enqueue_send("pacs", ["1.2.3"])
    claimed = queue.claim()
    assert claimed is not None
    queue.fail(job.id, "timed out", retryable=True)
    assert queue.claim() is None
    clock.now += BACKOFF_SECONDS[0]
    assert queue.claim() is not None


def test_permanent_failure_not_retried(tmp_path: Path) -> None:
    queue = SyncQueue(Database(tmp_path / "db.sqlite"))
    job = queue.enqueue_send("pacs", ["1.2.3"])
    queue.claim()
    failed = queue.fail(job.id, "association rejected, permanent", retryable=False)
    assert failed.state == JobState.FAILED
    assert failed.last_error == "association rejected, permanent"


def test_queue_survives_reopening(tmp_path: Path) -> None:
    clock = FakeClock()
    database = Database(tmp_path / "db.sqlite")
    queue = SyncQueue(database, clock=clock)
    waiting = queue.enqueue_retrieve("pacs", "1.2.3", series_uids=["1.2.3.4"])
    running = queue.enqueue_send("pacs", ["1.2.5"])
    queue.claim(running.id)
    database.close()

    # The runner stopped without renewing its lease; once the lease expires
    # the interrupted job is pending again.
    clock.now += LEASE_SECONDS + 1
    reopened = SyncQueue(Database(tmp_path / "db.sqlite"), clock=clock)
    jobs = {job.id: job for job in reopened.list_jobs()}
    assert jobs[waiting.id].series_uids == ["1.2.3.4"]
    assert jobs[waiting.id].state == JobState.PENDING
    assert jobs[running.id].state == JobState.PENDING
    assert jobs[running.id].attempts == 1


def test_reopening_keeps_leased_job_running(tmp_path: Path) -> None:
    clock = FakeClock()
    queue = SyncQueue(Database(tmp_path / "db.sqlite"), clock=clock)
    job = queue.enqueue_send("pacs", ["1.2.5"])
    queue.claim(job.id)

    # A second runner (another process) opens the queue while the lease holds.
    other = SyncQueue(Database(tmp_path / "db.sqlite"), clock=clock)
    assert other.get(job.id).state == JobState.RUNNING
    assert other.claim() is None


def test_job_stores_its_creator(tmp_path: Path) -> None:
    reader = JobCreator("reader")
    queue = SyncQueue(Database(tmp_path / "db.sqlite"), creator=reader)
    by_queue = queue.enqueue_send("pacs", ["1.2.3"])
    by_call = queue.enqueue_retrieve(
        "pacs", "1.2.4", creator=JobCreator("ops", os_account=True)
    )
    queue.creator = None
    anonymous = queue.enqueue_send("pacs", ["1.2.5"])

    reopened = SyncQueue(Database(tmp_path / "db.sqlite"))
    assert reopened.get(by_queue.id).creator == reader
    assert reopened.get(by_call.id).creator == JobCreator("ops", os_account=True)
    assert reopened.get(anonymous.id).creator is None


def test_old_queue_gains_creator_column(tmp_path: Path) -> None:
    # A database written by the previous schema, with one job in it.
    database = Database(tmp_path / "db.sqlite")
    database.migrate(COMPONENT, _MIGRATIONS[:3])
    with database.connection() as conn:
        conn.execute(
            "INSERT INTO sync_jobs (kind, node, parameters, state, max_attempts, "
            "next_attempt, created, updated) VALUES ('send', 'pacs', "
            "'{\"uids\": [\"1.2.3\"]}', 'pending', 6, 0, 0, 0)"
        )

    queue = SyncQueue(database)

    assert schema_version(database.connection(), COMPONENT) == len(_MIGRATIONS)
    (job,) = queue.list_jobs()
    assert job.uids == ["1.2.3"]
    assert job.creator is None


def test_cancel_and_retry_by_hand(tmp_path: Path) -> None:
    queue = SyncQueue(Database(tmp_path / "db.sqlite"))
    job = queue.enqueue_send("pacs", ["1.2.3"])
    assert queue.cancel(job.id).state == JobState.CANCELLED
    assert queue.claim() is None
    assert queue.retry(job.id).state == JobState.PENDING


@pytest.fixture
def send_setup(
    tmp_path: Path, local_entity: LocalEntity
) -> tuple[SyncQueue, JobServices, str]:
    """An archive holding one CT instance, a queue and the job services."""
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    summary = archive.import_paths([Path(get_testdata_file("CT_small.dcm"))])
    (study_uid,) = summary.studies
    services = JobServices(NodeStore(database), local_entity, archive)
    return SyncQueue(database, clock=FakeClock()), services, study_uid


@pytest.mark.parametrize(
    ("option", "error_fragment"),
    [
        ("--abort-during", "no C-STORE response"),
        ("--abort-after", "no C-STORE response"),
    ],
)
def test_aborting_peer_leaves_job_retryable(
    send_setup: tuple[SyncQueue, JobServices, str],
    storescp_factory: Callable[..., StoreScp],
    option: str,
    error_fragment: str,
) -> None:
    queue, services, study_uid = send_setup
    port = free_port()
    faulty = storescp_factory(port, option)
    services.nodes.add(faulty.node)
    job = queue.enqueue_send(faulty.node.name, [study_uid])

    (outcome,) = run_due_jobs(queue, services)
    assert outcome.state == JobState.PENDING
    assert error_fragment in outcome.last_error
    assert outcome.next_attempt == pytest.approx(queue.clock() + BACKOFF_SECONDS[0])

    # The peer comes back healthy on the same port; the queue drains.
    stop_process(faulty.process)
    healthy = storescp_factory(port, node=faulty.node)
    queue.clock.now += BACKOFF_SECONDS[0]  # type: ignore[attr-defined]
    (retried,) = run_due_jobs(queue, services)
    assert retried.id == job.id
    assert retried.state == JobState.DONE
    assert len(list(healthy.output_dir.iterdir())) == 1


def test_refusing_peer_leaves_job_retryable(
    send_setup: tuple[SyncQueue, JobServices, str],
    storescp_factory: Callable[..., StoreScp],
) -> None:
    queue, services, study_uid = send_setup
    refusing = storescp_factory(free_port(), "--refuse")
    services.nodes.add(refusing.node)
    queue.enqueue_send(refusing.node.name, [study_uid])
    claimed = queue.claim()
    assert claimed is not None
    outcome = run_job(queue, claimed, services)
    # storescp --refuse sends a permanent A-ASSOCIATE-RJ and closes at once;
    # pynetdicom 3.0.4 sometimes handles the close first and reports an abort.
    # Either way nothing was stored and the job can run again.
    assert outcome.state in (JobState.FAILED, JobState.PENDING)
    assert "association" in outcome.last_error
    assert not list(refusing.output_dir.iterdir())
    assert queue.retry(outcome.id).state == JobState.PENDING


def test_cancel_while_running_sticks(tmp_path: Path) -> None:
    queue = SyncQueue(Database(tmp_path / "db.sqlite"))
    job = queue.enqueue_send("pacs", ["1.2.3"])
    queue.claim()
    queue.cancel(job.id)
    after = queue.fail(job.id, "aborted", retryable=True)
    assert after.state == JobState.CANCELLED
