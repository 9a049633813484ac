"""The persistent sync queue: retrieve and send jobs in the archive database.

Each job has a state, a count of attempts, the last error and the time of the
next attempt. Retryable failures are no status, an abort, a timeout, a refused
connection and 0xA7xx (out of resources). After one, the job runs again in
10 s, 30 s, 2 min, then every 10 min, until the attempt limit marks it failed.
A permanent failure marks the job failed at once. A failed or cancelled job is
retried by hand with `SyncQueue.retry`.

Several runners may share one queue (the GUI's runner and `pacs-desktop queue
run` in another process). A claim takes SQLite's write lock (BEGIN IMMEDIATE)
and changes a job only if its state and row version are still the ones it
read, so no two runners ever own the same job. A claimed job carries a lease
that its runner renews while it works. A job whose lease expired belonged to
a runner that stopped, so it can be claimed again.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import Enum

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.errors import ArchiveError, DicomReadError, PacsDesktopError
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.commitment import (
    CommitmentReports,
    CommitmentResult,
    CommitmentState,
    CommittedInstance,
    describe_failure,
    request_commitment,
)
from pacs_desktop.core.net.errors import NetworkError, NodeError
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.retrieve import (
    ProgressCallback,
    RetrieveCancelledError,
    retrieve,
)
from pacs_desktop.core.net.scp import StorageSCP
from pacs_desktop.core.net.send import (
    Outgoing,
    SendCancelledError,
    SendProgress,
    SendResult,
    outgoing_for_uids,
    send_instances,
)
from pacs_desktop.core.security.audit import (
    INSTANCES_RETRIEVED,
    INSTANCES_SENT,
    AuditError,
    AuditPeer,
    AuditTrail,
)

logger = logging.getLogger(__name__)

COMPONENT = "sync"

# Seconds before attempt 2, 3, 4 and every later attempt.
BACKOFF_SECONDS = (10.0, 30.0, 120.0, 600.0)
DEFAULT_MAX_ATTEMPTS = 6

# Seconds a claim stays valid without renewal; a runner renews it three times
# per lease, so only a stopped runner lets it expire.
LEASE_SECONDS = 30.0

RETRIEVE = "retrieve"
SEND = "send"

_MIGRATIONS = [
    """
    CREATE TABLE sync_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('retrieve', 'send')),
        node TEXT NOT NULL,
        parameters TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        last_error TEXT NOT NULL DEFAULT '',
        next_attempt REAL NOT NULL,
        created REAL NOT NULL,
        updated REAL NOT NULL,
        done_count INTEGER NOT NULL DEFAULT 0,
        total_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sync_jobs_due ON sync_jobs (state, next_attempt);
    """,
    """
    ALTER TABLE sync_jobs ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sync_jobs ADD COLUMN claim_token TEXT NOT NULL DEFAULT '';
    ALTER TABLE sync_jobs ADD COLUMN lease_until REAL NOT NULL DEFAULT 0;
    """,
    """
    ALTER TABLE sync_jobs ADD COLUMN commitment TEXT NOT NULL DEFAULT '';
    ALTER TABLE sync_jobs ADD COLUMN commitment_failed TEXT NOT NULL DEFAULT '[]';
    """,
    # The account that queued the job. Jobs queued before this step have an
    # empty name, so their attempts are recorded under the runner's account.
    """
    ALTER TABLE sync_jobs ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE sync_jobs ADD COLUMN created_by_os_account INTEGER NOT NULL DEFAULT 0;
    """,
]


class JobState(str, Enum):
    """The state of a job in the queue."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class JobCreator:
    """The account that queued a job, and under which its attempts are audited.

    ``os_account`` marks ``user`` as an operating-system account (the
    command line) instead of an application user.
    """

    user: str
    os_account: bool = False


class JobError(PacsDesktopError, ValueError):
    """A job is unknown, or its state does not allow the requested change."""


@dataclass(frozen=True)
class SyncJob:
    """One queued retrieve or send."""

    id: int
    kind: str
    node: str
    uids: list[str]
    series_uids: list[str]
    method: str
    state: JobState
    attempts: int
    max_attempts: int
    last_error: str
    next_attempt: float
    created: float
    updated: float
    done_count: int
    total_count: int
    claim_token: str = ""
    lease_until: float = 0.0
    # The Storage Commitment outcome of a send's last attempt (a
    # `CommitmentState` value, empty before any request) and the SOP
    # Instance UIDs the PACS did not commit.
    commitment: str = ""
    commitment_failed: tuple[str, ...] = ()
    # The account that queued the job, or None when it was queued without one.
    creator: JobCreator | None = None

    @property
    def description(self) -> str:
        """The job in a few words, with UIDs only (no patient data)."""
        targets = ", ".join(self.series_uids or self.uids)
        direction = "from" if self.kind == RETRIEVE else "to"
        return f"{self.kind} {targets} {direction} {self.node}"


def backoff_delay(attempts: int) -> float:
    """Return the wait in seconds after ``attempts`` failed attempts."""
    index = min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1
    return BACKOFF_SECONDS[index]


class SyncQueue:
    """The sync jobs of one workstation database.

    ``clock`` returns the time in seconds since the epoch; tests pass their own
    to step through the backoff without waiting. ``creator`` is stored with
    each job queued without one of its own; the attribute may be reassigned
    when another user logs in.
    """

    def __init__(
        self,
        database: Database,
        *,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        clock: Callable[[], float] = time.time,
        creator: JobCreator | None = None,
    ) -> None:
        self.database = database
        self.max_attempts = max_attempts
        self.clock = clock
        self.creator = creator
        self._lock = threading.Lock()
        database.migrate(COMPONENT, _MIGRATIONS)
        self._requeue_interrupted()

    def enqueue_retrieve(
        self,
        node: str,
        study_uid: str,
        *,
        series_uids: Sequence[str] = (),
        method: str = "auto",
        creator: JobCreator | None = None,
    ) -> SyncJob:
        """Queue the retrieve of a study (or of some of its series).

        The job stores ``creator``, else the queue's `creator`.
        """
        parameters = {
            "uids": [study_uid],
            "series_uids": list(series_uids),
            "method": method,
        }
        return self._insert(RETRIEVE, node, parameters, creator)

    def enqueue_send(
        self,
        node: str,
        uids: Sequence[str],
        *,
        creator: JobCreator | None = None,
    ) -> SyncJob:
        """Queue the send of studies or series (by UID) from the archive.

        The job stores ``creator``, else the queue's `creator`.
        """
        parameters = {"uids": list(uids), "series_uids": []}
        return self._insert(SEND, node, parameters, creator)

    def get(self, job_id: int) -> SyncJob:
        """Return job ``job_id``.

        Raises
        ------
        JobError
            If no job has that number.
        """
        row = (
            self._conn()
            .execute("SELECT * FROM sync_jobs WHERE id = ?", (job_id,))
            .fetchone()
        )
        if row is None:
            raise JobError(
                f"no sync job {job_id}; `pacs-desktop queue list` shows them"
            )
        return _job_from_row(row)

    def list_jobs(self, states: Sequence[JobState] = ()) -> list[SyncJob]:
        """Return the jobs in the given states (all when empty), oldest first."""
        rows = self._conn().execute("SELECT * FROM sync_jobs ORDER BY id").fetchall()
        jobs = [_job_from_row(row) for row in rows]
        return [job for job in jobs if not states or job.state in states]

    def claim(self, job_id: int | None = None) -> SyncJob | None:
        """Mark a due pending job running, count the attempt and lease it.

        With ``job_id``, claim that job if it is pending, due or not; else the
        pending job due first. A running job whose lease expired counts as
        pending. Returns None when there is nothing to claim. Safe to call
        from several threads and processes at once: each job goes to one
        claimer.
        """
        now = self.clock()
        token = uuid.uuid4().hex
        claimable = "(state = 'pending' OR (state = 'running' AND lease_until < :now))"
        with self._lock, _immediate(self._conn()) as conn:
            if job_id is None:
                row = conn.execute(
                    "SELECT id, version FROM sync_jobs WHERE "
                    "(state = 'pending' AND next_attempt <= :now) OR "
                    "(state = 'running' AND lease_until < :now) "
                    "ORDER BY next_attempt, id LIMIT 1",
                    {"now": now},
                ).fetchone()
            else:
                row = conn.execute(
                    f"SELECT id, version FROM sync_jobs WHERE id = :id AND {claimable}",
                    {"id": job_id, "now": now},
                ).fetchone()
            if row is None:
                return None
            # The version and state conditions make the UPDATE a no-op if
            # another claimer changed the row since the SELECT.
            cursor = conn.execute(
                "UPDATE sync_jobs SET state = 'running', attempts = attempts + 1, "
                "updated = :now, version = version + 1, claim_token = :token, "
                "lease_until = :lease WHERE id = :id AND version = :version "
                f"AND {claimable}",
                {
                    "now": now,
                    "token": token,
                    "lease": now + LEASE_SECONDS,
                    "id": row["id"],
                    "version": row["version"],
                },
            )
            if cursor.rowcount != 1:
                return None
        return self.get(int(row["id"]))

    def renew_lease(self, job: SyncJob) -> bool:
        """Extend the lease of a job claimed as ``job``.

        Returns False when the claim is no longer held (the job was claimed
        again after its lease expired, or it left the running state).
        """
        with self._conn() as conn:
            cursor = conn.execute(
                "UPDATE sync_jobs SET lease_until = ? "
                "WHERE id = ? AND claim_token = ? AND state = 'running'",
                (self.clock() + LEASE_SECONDS, job.id, job.claim_token),
            )
        return cursor.rowcount == 1

    def record_progress(self, job_id: int, done: int, total: int) -> None:
        """Store how many instances of a running job are done."""
        with self._conn() as conn:
            conn.execute(
                "UPDATE sync_jobs SET done_count = ?, total_count = ? WHERE id = ?",
                (done, total, job_id),
            )

    def record_commitment(
        self, job_id: int, state: CommitmentState, failed: Sequence[str] = ()
    ) -> None:
        """Store the Storage Commitment outcome of a send and its failed UIDs."""
        with self._conn() as conn:
            conn.execute(
                "UPDATE sync_jobs SET commitment = ?, commitment_failed = ? "
                "WHERE id = ?",
                (state.value, json.dumps(list(failed)), job_id),
            )

    def complete(self, job_id: int, *, token: str | None = None) -> SyncJob:
        """Mark a job done: the peer confirmed every instance.

        With ``token`` (the claim's `SyncJob.claim_token`), nothing changes
        unless that claim still owns the job.
        """
        job = self._set(job_id, JobState.DONE, last_error="", token=token)
        if job.state == JobState.DONE:
            logger.info("sync job %d done after %d attempts", job_id, job.attempts)
        return job

    def fail(
        self, job_id: int, error: str, *, retryable: bool, token: str | None = None
    ) -> SyncJob:
        """Record a failed attempt; schedule the next one or mark the job failed.

        A job cancelled while it ran stays cancelled. With ``token``, nothing
        changes unless that claim still owns the job.
        """
        job = self.get(job_id)
        if token is not None and job.claim_token != token:
            return self._lost_claim(job)
        if job.state == JobState.CANCELLED:
            return self._set(job_id, JobState.CANCELLED, last_error=error)
        if retryable and job.attempts < job.max_attempts:
            delay = backoff_delay(job.attempts)
            job = self._set(
                job_id,
                JobState.PENDING,
                last_error=error,
                next_attempt=self.clock() + delay,
                token=token,
            )
            logger.warning(
                "sync job %d attempt %d failed, retry in %.0f s: %s",
                job_id,
                job.attempts,
                delay,
                error,
            )
            return job
        job = self._set(job_id, JobState.FAILED, last_error=error, token=token)
        logger.error(
            "sync job %d failed after %d attempts: %s", job_id, job.attempts, error
        )
        return job

    def retry(self, job_id: int) -> SyncJob:
        """Make a failed, cancelled or waiting job due now with fresh attempts.

        Raises
        ------
        JobError
            If the job is unknown, running or done.
        """
        job = self.get(job_id)
        if job.state in (JobState.RUNNING, JobState.DONE):
            raise JobError(
                f"sync job {job_id} is {job.state.value} and cannot be retried"
            )
        with self._conn() as conn:
            conn.execute(
                "UPDATE sync_jobs SET attempts = 0, claim_token = '' WHERE id = ?",
                (job_id,),
            )
        return self._set(job_id, JobState.PENDING, next_attempt=self.clock())

    def cancel(self, job_id: int) -> SyncJob:
        """Cancel a job that has not finished.

        A running job is marked cancelled here; its worker stops through its
        own cancel event.

        Raises
        ------
        JobError
            If the job is unknown or done.
        """
        job = self.get(job_id)
        if job.state == JobState.DONE:
            raise JobError(f"sync job {job_id} is done and cannot be cancelled")
        return self._set(job_id, JobState.CANCELLED)

    def _insert(
        self,
        kind: str,
        node: str,
        parameters: Mapping[str, object],
        creator: JobCreator | None,
    ) -> SyncJob:
        now = self.clock()
        creator = creator or self.creator
        with self._conn() as conn:
            cursor = conn.execute(
                "INSERT INTO sync_jobs (kind, node, parameters, state, max_attempts, "
                "next_attempt, created, updated, created_by, created_by_os_account) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    node,
                    json.dumps(parameters),
                    JobState.PENDING.value,
                    self.max_attempts,
                    now,
                    now,
                    now,
                    creator.user if creator is not None else "",
                    int(creator.os_account) if creator is not None else 0,
                ),
            )
        job_id = cursor.lastrowid
        assert job_id is not None
        logger.info("sync job %d queued: %s to/from %s", job_id, kind, node)
        return self.get(job_id)

    def _set(
        self,
        job_id: int,
        state: JobState,
        *,
        last_error: str | None = None,
        next_attempt: float | None = None,
        token: str | None = None,
    ) -> SyncJob:
        now = self.clock()
        with self._conn() as conn:
            cursor = conn.execute(
                "UPDATE sync_jobs SET state = ?, updated = ?, version = version + 1, "
                "last_error = COALESCE(?, last_error), "
                "next_attempt = COALESCE(?, next_attempt) "
                "WHERE id = ? AND (? IS NULL OR claim_token = ?)",
                (state.value, now, last_error, next_attempt, job_id, token, token),
            )
        job = self.get(job_id)
        if cursor.rowcount == 0:
            return self._lost_claim(job)
        return job

    def _lost_claim(self, job: SyncJob) -> SyncJob:
        # The lease expired (the runner was suspended or stalled for longer
        # than LEASE_SECONDS) and another runner claimed the job since: its
        # outcome is the one that counts.
        logger.warning(
            "sync job %d was claimed by another runner; this outcome is dropped",
            job.id,
        )
        return job

    def _requeue_interrupted(self) -> None:
        # A running job whose lease expired belonged to a runner that stopped
        # mid-transfer; nothing was marked done, so running it again loses
        # nothing. A job with a live lease belongs to a runner in another
        # process and stays running.
        now = self.clock()
        with self._conn() as conn:
            cursor = conn.execute(
                "UPDATE sync_jobs SET state = 'pending', next_attempt = ?, "
                "version = version + 1, claim_token = '' "
                "WHERE state = 'running' AND lease_until < ?",
                (now, now),
            )
        if cursor.rowcount:
            logger.warning("%d interrupted sync jobs queued again", cursor.rowcount)

    def _conn(self) -> sqlite3.Connection:
        return self.database.connection()


def _job_from_row(row: sqlite3.Row) -> SyncJob:
    parameters = json.loads(row["parameters"])
    return SyncJob(
        id=int(row["id"]),
        kind=row["kind"],
        node=row["node"],
        uids=list(parameters.get("uids", [])),
        series_uids=list(parameters.get("series_uids", [])),
        method=str(parameters.get("method", "auto")),
        state=JobState(row["state"]),
        attempts=int(row["attempts"]),
        max_attempts=int(row["max_attempts"]),
        last_error=row["last_error"],
        next_attempt=float(row["next_attempt"]),
        created=float(row["created"]),
        updated=float(row["updated"]),
        done_count=int(row["done_count"]),
        total_count=int(row["total_count"]),
        claim_token=row["claim_token"],
        lease_until=float(row["lease_until"]),
        commitment=row["commitment"],
        commitment_failed=tuple(json.loads(row["commitment_failed"])),
        creator=_creator_from_row(row),
    )


def _creator_from_row(row: sqlite3.Row) -> JobCreator | None:
    if not row["created_by"]:
        return None
    return JobCreator(row["created_by"], bool(row["created_by_os_account"]))


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a transaction that holds SQLite's write lock from its first read."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class _LeaseKeeper:
    """A background thread that renews a claimed job's lease while it runs."""

    def __init__(self, queue: SyncQueue, job: SyncJob) -> None:
        self._queue = queue
        self._job = job
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"sync-job-{job.id}-lease", daemon=True
        )

    def __enter__(self) -> _LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(LEASE_SECONDS / 3):
            if not self._queue.renew_lease(self._job):
                return


@dataclass(frozen=True)
class JobAudit:
    """The audit trail that records each job attempt, and the account running it.

    An attempt of a job that stores its `JobCreator` is recorded under that
    creator. ``user`` is recorded only for jobs queued without one.
    ``os_account`` marks ``user`` as an operating-system account (the command
    line) instead of an application user.
    """

    trail: AuditTrail
    user: str
    os_account: bool = False


@dataclass
class JobServices:
    """The services that running a job needs besides the queue.

    Without ``audit``, jobs run unrecorded; every front passes one. With
    ``local_source``, each attempt calls it when the job starts and uses the
    entity it returns instead of ``local``, so that a changed AE title or
    timeout applies to the next attempt without a restart.
    """

    nodes: NodeStore
    local: LocalEntity
    archive: Archive
    scp: StorageSCP | None = None
    audit: JobAudit | None = None
    local_source: Callable[[], LocalEntity] | None = None

    def for_attempt(self) -> JobServices:
        """Return the services of one attempt, with the current local entity.

        A ``local_source`` that raises a `PacsDesktopError` (unreadable
        settings) leaves ``local`` in use; the error is logged.
        """
        if self.local_source is None:
            return self
        try:
            local = self.local_source()
        except PacsDesktopError as exc:
            logger.error("local AE settings not read, previous ones apply: %s", exc)
            return self
        return replace(self, local=local)


JobProgress = Callable[[SyncJob, int, int, float], None]


def run_job(
    queue: SyncQueue,
    job: SyncJob,
    services: JobServices,
    *,
    progress: JobProgress | None = None,
    cancel: threading.Event | None = None,
) -> SyncJob:
    """Run one claimed job and record its outcome in the queue.

    ``progress(job, done, total, megabytes_per_second)`` follows the transfer.
    Returns the job as the queue holds it afterwards (done, pending for a
    retry, failed or cancelled). Errors end in the job, not in an exception.
    With ``services.audit``, each attempt, failed ones included, is recorded
    as INSTANCES_RETRIEVED or INSTANCES_SENT (PS3.15 A.5.3.4), under the
    job's creator when it has one.
    """
    token = job.claim_token or None
    services = services.for_attempt()
    attempt = _Attempt()
    error: str | None = None
    try:
        with _LeaseKeeper(queue, job):
            if job.kind == RETRIEVE:
                _run_retrieve(queue, job, services, progress, cancel, attempt=attempt)
            else:
                _run_send(queue, job, services, progress, cancel, attempt=attempt)
    except (RetrieveCancelledError, SendCancelledError) as exc:
        error = str(exc)
        finished = queue.cancel(job.id)
    except NetworkError as exc:
        error = str(exc)
        finished = queue.fail(job.id, error, retryable=exc.retryable, token=token)
    except (NodeError, ArchiveError) as exc:
        error = str(exc)
        finished = queue.fail(job.id, error, retryable=False, token=token)
    except _IncompleteError as exc:
        error = str(exc)
        finished = queue.fail(job.id, error, retryable=exc.retryable, token=token)
    else:
        finished = queue.complete(job.id, token=token)
    _audit_attempt(services, job, finished, attempt, error)
    return finished


class _IncompleteError(Exception):
    """The operation ended without every instance confirmed."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        self.retryable = retryable
        super().__init__(message)


def _run_retrieve(
    queue: SyncQueue,
    job: SyncJob,
    services: JobServices,
    progress: JobProgress | None,
    cancel: threading.Event | None,
    *,
    attempt: _Attempt,
) -> None:
    node = services.nodes.get(job.node)
    attempt.peer = node.label

    def on_progress(update: object) -> None:
        done = getattr(update, "received", 0)
        total = getattr(update, "expected", 0)
        attempt.done, attempt.total = done, total
        queue.record_progress(job.id, done, total)
        if progress is not None:
            rate = float(getattr(update, "megabytes_per_second", 0.0))
            progress(job, done, total, rate)

    callback: ProgressCallback = on_progress
    result = retrieve(
        node,
        services.local,
        services.archive,
        job.uids[0],
        series_uids=job.series_uids,
        method=job.method,
        scp=services.scp,
        progress=callback,
        cancel=cancel,
    )
    attempt.done, attempt.total = result.received, result.expected
    total = max(result.expected, result.pacs_count or 0)
    queue.record_progress(job.id, total - result.missing_count, total)
    if result.expected == 0:
        raise _IncompleteError(
            f"{node.label} lists no instances for study {job.uids[0]}",
            retryable=False,
        )
    if not result.complete:
        raise _IncompleteError(
            f"{result.missing_count} of {total} instances did not arrive "
            f"from {node.label}",
            retryable=True,
        )


def _run_send(
    queue: SyncQueue,
    job: SyncJob,
    services: JobServices,
    progress: JobProgress | None,
    cancel: threading.Event | None,
    *,
    attempt: _Attempt,
) -> None:
    node = services.nodes.get(job.node)
    attempt.peer = node.label
    outgoing = _outgoing_by_uid(services.archive, job.uids, attempt)
    started = time.monotonic()
    sizes = [item.path.stat().st_size for item in outgoing]

    def on_progress(done: int, total: int) -> None:
        attempt.done, attempt.total = done, total
        queue.record_progress(job.id, done, total)
        if progress is not None:
            elapsed = max(time.monotonic() - started, 1e-6)
            progress(job, done, total, sum(sizes[:done]) / 1e6 / elapsed)

    callback: SendProgress = on_progress
    result = send_instances(
        node,
        services.local,
        outgoing,
        progress=callback,
        cancel=cancel,
        archive=services.archive,
    )
    attempt.accepted = set(result.stored) | {uid for uid, _code in result.warnings}
    damaged = _describe_damaged(result, len(outgoing))
    if result.failed:
        first_uid, first_reason = result.failed[0]
        raise _IncompleteError(
            f"{len(result.failed)} of {len(outgoing)} instances not stored on "
            f"{node.label}; first: {first_uid}: {first_reason}{damaged}",
            retryable=not result.damaged
            and result.retryable_failures == len(result.failed),
        )
    for uid, code in result.warnings:
        logger.warning("C-STORE of %s to %s: warning 0x%04X", uid, node.label, code)
    if services.local.commitment_timeout <= 0:
        _raise_damaged(result, damaged)
        return

    accepted = attempt.accepted
    instances = [
        CommittedInstance(item.sop_class_uid, item.sop_instance_uid)
        for item in outgoing
        if item.sop_instance_uid in accepted
    ]
    commitment = _request_commitment(node, services, instances)
    failed = [uid for uid, _reason in commitment.failed]
    queue.record_commitment(job.id, commitment.state, failed)
    if commitment.state in (CommitmentState.FAILED, CommitmentState.NO_REPORT):
        raise _IncompleteError(
            describe_failure(node, commitment) + damaged,
            retryable=not result.damaged and commitment.retryable,
        )
    _raise_damaged(result, damaged)


def _describe_damaged(result: SendResult, total: int) -> str:
    """Name each instance left unsent because its stored file changed."""
    if not result.damaged:
        return ""
    files = "; ".join(str(problem) for problem in result.damaged)
    return (
        f"; {len(result.damaged)} of {total} instances not sent because the "
        f"stored file changed: {files}"
    )


def _raise_damaged(result: SendResult, damaged: str) -> None:
    # Sending again cannot help until the damaged instances are retrieved
    # again, so the failure is not retryable.
    if result.damaged:
        raise _IncompleteError(damaged.removeprefix("; "), retryable=False)


def _request_commitment(
    node: Node, services: JobServices, instances: list[CommittedInstance]
) -> CommitmentResult:
    """Request Storage Commitment with a storage SCP listening for the report.

    The report arrives on the workstation's storage SCP: ``services.scp``
    when it runs, else one started for the wait.
    """
    local = services.local
    if services.scp is not None and services.scp.running:
        return request_commitment(
            node,
            local,
            instances,
            services.scp.commitments,
            timeout=local.commitment_timeout,
        )
    temporary = StorageSCP(
        services.archive,
        ae_title=local.ae_title,
        port=local.scp_port,
        allowed_aets=lambda: [node.ae_title],
        timeouts=local.timeouts,
        limits=local.receive_limits(),
    )
    try:
        temporary.start()
    except NetworkError as exc:
        # Another process (the GUI) may own the port; a PACS that reports
        # on the requesting association still gets through.
        logger.warning("no storage SCP for the Storage Commitment report: %s", exc)
        return request_commitment(
            node,
            local,
            instances,
            CommitmentReports(),
            timeout=local.commitment_timeout,
        )
    try:
        return request_commitment(
            node,
            local,
            instances,
            temporary.commitments,
            timeout=local.commitment_timeout,
        )
    finally:
        temporary.stop()


@dataclass
class _Attempt:
    """The instances one attempt of a job moved, for its audit record."""

    peer: str = ""
    """The node's label; empty when the node is unknown."""
    done: int = 0
    """Retrieve: instances received. Send: instances handed to the peer."""
    total: int = 0
    owners: dict[str, str] = field(default_factory=dict)
    """Send only: the job UID each SOP Instance UID was collected for."""
    order: list[str] = field(default_factory=list)
    """Send only: the SOP Instance UIDs in the order they are sent."""
    accepted: set[str] | None = None
    """Send only: the SOP Instance UIDs the peer stored; None when the send
    ended without a result (an abort or a timeout)."""


@dataclass
class _PatientGroup:
    """The studies of one patient that an attempt concerned."""

    patient_id: str | None
    patient_name: str | None
    study_uids: list[str] = field(default_factory=list)
    job_uids: set[str] = field(default_factory=set)


def _outgoing_by_uid(
    archive: Archive, uids: Sequence[str], attempt: _Attempt
) -> list[Outgoing]:
    # Collected UID by UID, so that the audit record of each patient counts
    # only that patient's instances.
    outgoing: list[Outgoing] = []
    for uid in uids:
        items = outgoing_for_uids(archive, [uid])
        for item in items:
            attempt.owners[item.sop_instance_uid] = uid
        outgoing.extend(items)
    attempt.order = [item.sop_instance_uid for item in outgoing]
    return outgoing


def _audit_attempt(
    services: JobServices,
    job: SyncJob,
    finished: SyncJob,
    attempt: _Attempt,
    error: str | None,
) -> None:
    """Record one attempt of ``job``: one audit record per patient concerned.

    PS3.15 A.5.3.4 gives a DICOM Instances Transferred message one patient,
    so a send of several patients' studies gives several records. The outcome
    follows PS3.15 A.5.1: 4 when the job is retried (or was cancelled), 8 when
    it ended failed. The node is the remote participant: the destination of
    a send, the source of a retrieve.
    """
    audit = services.audit
    if audit is None:
        return
    if error is None:
        outcome = "success"
    elif finished.state == JobState.FAILED:
        outcome = "serious-failure"
    else:
        outcome = "minor-failure"
    event = INSTANCES_RETRIEVED if job.kind == RETRIEVE else INSTANCES_SENT
    peer = attempt.peer or job.node
    direction = (
        f"retrieve from {peer}" if job.kind == RETRIEVE else f"C-STORE to {peer}"
    )
    remote = _audit_peer(services, job)
    creator = job.creator or JobCreator(audit.user, audit.os_account)
    try:
        for group in _patient_groups(services.archive, job):
            done = _instances_done(job, attempt, group)
            detail = (
                f"{direction}, sync job {job.id} attempt {finished.attempts}: "
                f"{done} of {attempt.total} instances"
            )
            if error is not None:
                detail += f"; {error}"
            audit.trail.record(
                event,
                user=creator.user,
                os_account=creator.os_account,
                outcome=outcome,
                patient_id=group.patient_id,
                patient_name=group.patient_name,
                study_uids=group.study_uids,
                detail=detail,
                peer=remote,
            )
    except AuditError as exc:
        # The transfer already happened and the queue has its outcome, so the
        # job stays as it is. The error names the database to check.
        logger.error("sync job %d was not recorded in the audit trail: %s", job.id, exc)


def _audit_peer(services: JobServices, job: SyncJob) -> AuditPeer | None:
    """Return the job's node as an audit participant, or None when it is gone."""
    try:
        node = services.nodes.get(job.node)
    except NodeError:
        return None
    return AuditPeer(node.ae_title, node.host)


def _instances_done(job: SyncJob, attempt: _Attempt, group: _PatientGroup) -> int:
    if job.kind == RETRIEVE:
        return attempt.done
    if attempt.accepted is not None:
        handled = [uid for uid in attempt.order if uid in attempt.accepted]
    else:
        # The association ended mid-send: the first instances were handed
        # over, but which of them the peer stored is unknown.
        handled = attempt.order[: attempt.done]
    return sum(1 for uid in handled if attempt.owners.get(uid) in group.job_uids)


def _patient_groups(archive: Archive, job: SyncJob) -> list[_PatientGroup]:
    """Group the job's UIDs by patient, with the patient from the archive index.

    A retrieved study is in the index once its first instance arrived; a study
    that never arrived is recorded without a patient.
    """
    groups: dict[tuple[str, str], _PatientGroup] = {}
    unknown = _PatientGroup(None, None)
    for uid in job.uids:
        study = _study_of(archive, uid)
        if study is None:
            group = unknown
            study_uid = uid if job.kind == RETRIEVE else ""
        else:
            key = (study.PatientID, study.PatientName)
            group = groups.setdefault(
                key,
                _PatientGroup(study.PatientID or None, study.PatientName or None),
            )
            study_uid = study.StudyInstanceUID
        group.job_uids.add(uid)
        if study_uid and study_uid not in group.study_uids:
            group.study_uids.append(study_uid)
    found = list(groups.values())
    if unknown.job_uids or not found:
        found.append(unknown)
    return found


def _study_of(archive: Archive, uid: str) -> StudyRecord | None:
    """Return the archived study of a Study or Series Instance UID, or None."""
    try:
        study = archive.study(uid)
        if study is not None:
            return study
        # The index has no lookup by series, so the header of one stored
        # instance names the series' study.
        instances = archive.instances_for_series(uid)
        if not instances:
            return None
        header = read_dataset(instances[0].path, stop_before_pixels=True)
        return archive.study(str(header.get("StudyInstanceUID", "")))
    except (ArchiveError, DicomReadError) as exc:
        logger.warning("no study found for the audit record of %s: %s", uid, exc)
        return None


def run_due_jobs(
    queue: SyncQueue,
    services: JobServices,
    *,
    progress: JobProgress | None = None,
    cancel: threading.Event | None = None,
    job_cancel: Callable[[SyncJob], threading.Event] | None = None,
) -> list[SyncJob]:
    """Run every job that is due now, one after the other; return the outcomes.

    ``cancel`` stops the loop and the running job. ``job_cancel(job)``, when
    given, is called as each job is claimed and returns the event that stops
    that job alone, so that one job can be cancelled while the loop goes on;
    the caller then also sets it when ``cancel`` is set.
    """
    finished = []
    while not (cancel is not None and cancel.is_set()):
        job = queue.claim()
        if job is None:
            break
        event = job_cancel(job) if job_cancel is not None else cancel
        finished.append(run_job(queue, job, services, progress=progress, cancel=event))
    return finished
