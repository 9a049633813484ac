"""`pacs-desktop queue list|retry|cancel|run`: the sync queue of retrieves and
sends; also the job runner that `retrieve` and `send` share."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from typing import Any

from pacs_desktop.cli.counts import count
from pacs_desktop.cli.size_limit import keep_under_size_limit
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.queue import (
    RETRIEVE,
    JobAudit,
    JobCreator,
    JobServices,
    JobState,
    SyncJob,
    SyncQueue,
    run_due_jobs,
    run_job,
)
from pacs_desktop.core.settings import Settings


def register(subparsers: Any) -> None:
    """Add the ``queue`` command group."""
    parser = subparsers.add_parser(
        "queue",
        help="show and manage the sync queue",
        description="Every retrieve and send is a job in a persistent queue; "
        "failed attempts are retried with a growing delay.",
    )
    commands = parser.add_subparsers(dest="queue_command", metavar="ACTION")
    commands.required = True

    listing = commands.add_parser("list", help="list every job")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_list)

    retry = commands.add_parser("retry", help="run a failed or waiting job again")
    retry.add_argument("job_id", type=int, metavar="ID")
    retry.set_defaults(handler=run_retry)

    cancel = commands.add_parser("cancel", help="cancel a job")
    cancel.add_argument("job_id", type=int, metavar="ID")
    cancel.set_defaults(handler=run_cancel)

    run = commands.add_parser(
        "run",
        help="run every job that is due now",
        description="Run, one after the other, every pending job whose next "
        "attempt is due. A job that failed and waits for its retry time is "
        "not run but listed with that time; `pacs-desktop queue retry ID` "
        "runs it at once.",
    )
    run.set_defaults(handler=run_due)


def open_queue(context: Any) -> SyncQueue:
    """Open the queue with the attempt limit from the settings."""
    settings = Settings(context.data_dir)
    # Jobs queued here and run later by the GUI stay audited under this
    # operating-system account.
    return SyncQueue(
        context.workstation.database,
        max_attempts=settings.get_int("sync.max_attempts"),
        creator=JobCreator(context.operating_system_user, os_account=True),
    )


def job_services(context: Any) -> JobServices:
    """Build what running a job needs from the workstation and settings.

    Each attempt is audited under the operating-system account, marked as
    such, like every other command.
    """
    workstation = context.workstation
    return JobServices(
        nodes=NodeStore(workstation.database),
        local=LocalEntity.from_settings(Settings(context.data_dir)),
        archive=workstation.archive,
        audit=JobAudit(
            workstation.audit, context.operating_system_user, os_account=True
        ),
    )


def print_progress(job: SyncJob, done: int, total: int, rate: float) -> None:
    """Rewrite one progress line on standard error."""
    counted = (
        f"{done} of {total} instances"
        if total
        else count(done, "instance", "instances")
    )
    sys.stderr.write(f"\rjob {job.id}: {counted}, {rate:.1f} MB/s   ")
    sys.stderr.flush()


def run_in_foreground(context: Any, queue: SyncQueue, job: SyncJob) -> int:
    """Run ``job`` now with a progress line; 0 only when it is done."""
    claimed = queue.claim(job.id)
    if claimed is None:
        print(f"job {job.id} is not pending", file=sys.stderr)
        return 1
    outcome = run_job(queue, claimed, job_services(context), progress=print_progress)
    sys.stderr.write("\n")
    print(describe(outcome))
    if outcome.kind == RETRIEVE:
        keep_under_size_limit(context)
    return 0 if outcome.state == JobState.DONE else 1


def describe(job: SyncJob) -> str:
    """Format a job as one line: state, progress, error and next attempt."""
    line = (
        f"job {job.id} {job.state.value}: {job.description} "
        f"({job.done_count}/{job.total_count} instances, attempt {job.attempts}"
        f" of {job.max_attempts})"
    )
    if job.commitment:
        line += f"; storage commitment: {job.commitment}"
        if job.commitment_failed:
            failed = count(len(job.commitment_failed), "instance", "instances")
            line += f" ({failed} not committed)"
    if job.last_error and job.state != JobState.DONE:
        line += f"; last error: {job.last_error}"
    if job.state == JobState.PENDING and job.attempts:
        line += f"; next attempt at {local_time(job.next_attempt)}"
    if job.state == JobState.FAILED:
        line += f"; retry with `pacs-desktop queue retry {job.id}`"
    return line


def local_time(timestamp: float) -> str:
    """Format seconds since the epoch as local time with its UTC offset."""
    moment = datetime.datetime.fromtimestamp(timestamp).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def run_list(args: argparse.Namespace, context: Any) -> int:
    """Print every job."""
    jobs = open_queue(context).list_jobs()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": job.id,
                        "kind": job.kind,
                        "node": job.node,
                        "uids": job.uids,
                        "series_uids": job.series_uids,
                        "state": job.state.value,
                        "attempts": job.attempts,
                        "max_attempts": job.max_attempts,
                        "last_error": job.last_error,
                        "next_attempt": job.next_attempt,
                        "done": job.done_count,
                        "total": job.total_count,
                        "commitment": job.commitment,
                        "commitment_failed": list(job.commitment_failed),
                    }
                    for job in jobs
                ],
                indent=2,
            )
        )
        return 0
    for job in jobs:
        print(describe(job))
    print(count(len(jobs), "job", "jobs"))
    return 0


def run_retry(args: argparse.Namespace, context: Any) -> int:
    """Run a job again now, in the foreground."""
    queue = open_queue(context)
    job = queue.retry(args.job_id)
    return run_in_foreground(context, queue, job)


def run_cancel(args: argparse.Namespace, context: Any) -> int:
    """Cancel a job."""
    print(describe(open_queue(context).cancel(args.job_id)))
    return 0


def run_due(args: argparse.Namespace, context: Any) -> int:
    """Run every due job; 0 when all of them are done."""
    queue = open_queue(context)
    outcomes = run_due_jobs(queue, job_services(context), progress=print_progress)
    if outcomes:
        sys.stderr.write("\n")
    for job in outcomes:
        print(describe(job))
    print(f"{count(len(outcomes), 'job', 'jobs')} run")
    ran = {job.id for job in outcomes}
    now = queue.clock()
    for job in queue.list_jobs([JobState.PENDING]):
        if job.id not in ran and job.next_attempt > now:
            print(
                f"job {job.id} waits for its next attempt at "
                f"{local_time(job.next_attempt)}; run it now with "
                f"`pacs-desktop queue retry {job.id}`"
            )
    if any(job.kind == RETRIEVE for job in outcomes):
        keep_under_size_limit(context)
    return 0 if all(job.state == JobState.DONE for job in outcomes) else 1
