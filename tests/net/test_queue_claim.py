"""Sync queue claims: each job goes to exactly one runner, in threads and
processes, and an expired lease hands a job over."""

from __future__ import annotations

import collections
import multiprocessing
import threading
from pathlib import Path

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.net.queue import LEASE_SECONDS, JobState, SyncQueue
from tests.net.test_queue import FakeClock

JOB_COUNT = 300
START_TIMEOUT = 30.0


def _claim_all(path: Path) -> list[int]:
    queue = SyncQueue(Database(path))
    claimed = []
    while (job := queue.claim()) is not None:
        claimed.append(job.id)
    return claimed


def _claiming_process(
    path: Path, start: threading.Event, results: multiprocessing.Queue[list[int]]
) -> None:
    start.wait(START_TIMEOUT)
    results.put(_claim_all(path))


def _queue_with_jobs(path: Path) -> list[int]:
    queue = SyncQueue(Database(path))
    return [queue.enqueue_send("pacs", [f"1.2.3.{n}"]).id for n in range(JOB_COUNT)]


def _assert_claimed_once(job_ids: list[int], claims: list[list[int]]) -> None:
    counts = collections.Counter(job_id for claim in claims for job_id in claim)
    assert sorted(counts) == sorted(job_ids)
    assert [job_id for job_id, count in counts.items() if count > 1] == []


def test_two_processes_claim_each_job_once(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    job_ids = _queue_with_jobs(path)
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    results: multiprocessing.Queue[list[int]] = context.Queue()
    processes = [
        context.Process(target=_claiming_process, args=(path, start, results))
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    start.set()
    claims = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)

    _assert_claimed_once(job_ids, claims)
    assert all(process.exitcode == 0 for process in processes)


def test_two_threads_claim_each_job_once(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    job_ids = _queue_with_jobs(path)
    barrier = threading.Barrier(2)
    claims: list[list[int]] = [[], []]

    def claim_into(index: int) -> None:
        barrier.wait(START_TIMEOUT)
        claims[index] = _claim_all(path)

    threads = [threading.Thread(target=claim_into, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    _assert_claimed_once(job_ids, claims)


def test_expired_lease_hands_job_over(tmp_path: Path) -> None:
    clock = FakeClock()
    database = Database(tmp_path / "db.sqlite")
    first = SyncQueue(database, clock=clock)
    second = SyncQueue(Database(tmp_path / "db.sqlite"), clock=clock)
    job = first.enqueue_send("pacs", ["1.2.3"])
    stale = first.claim()
    assert stale is not None
    assert second.claim() is None

    clock.now += LEASE_SECONDS + 1
    fresh = second.claim()
    assert fresh is not None
    assert fresh.id == job.id
    assert fresh.attempts == 2

    # The first runner's late outcome does not overwrite the new claim.
    late = first.complete(stale.id, token=stale.claim_token)
    assert late.state == JobState.RUNNING
    assert first.renew_lease(stale) is False
    assert second.renew_lease(fresh) is True
    done = second.complete(fresh.id, token=fresh.claim_token)
    assert done.state == JobState.DONE
