"""The GUI's access to DICOM networking: every call runs off the GUI thread.

`NetworkService` starts C-ECHO, C-FIND and queue changes as pool tasks, runs
the sync queue in a `QueueRunner` thread and owns the workstation's storage
SCP. Results come back through its signals, on the GUI thread.
"""

from __future__ import annotations

import getpass
import itertools
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.association import LocalEntity, SettingsReader
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.find import (
    encoded_identifier,
    find_series,
    find_studies,
    series_identifier,
    study_identifier,
)
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import (
    JobAudit,
    JobCreator,
    JobServices,
    JobState,
    SyncJob,
    SyncQueue,
)
from pacs_desktop.core.net.scp import ReceivedInstance, StorageSCP, workstation_scp
from pacs_desktop.core.security.audit import QUERY, AuditPeer, AuditTrail
from pacs_desktop.ui.browser.browser_widget import describe_query
from pacs_desktop.ui.network.queue_runner import QueueRunner
from pacs_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.archive.records import StudyQuery, StudyRecord
    from pacs_desktop.core.workstation import Workstation

logger = logging.getLogger(__name__)

# Jobs that are not finished; the runner thread starts when one exists.
UNFINISHED = (JobState.PENDING, JobState.RUNNING)


@dataclass(frozen=True)
class RemoteStudy:
    """A study found on a PACS, with how many of its instances are local."""

    record: StudyRecord
    local_instances: int
    local_record: StudyRecord | None


@dataclass(frozen=True)
class _Outcome:
    """The result of a pool task, dispatched by `NetworkService._on_outcome`."""

    kind: str
    key: object
    value: object = None
    error: str = ""


class NetworkService(QObject):
    """DICOM networking for the main window of each logged-in user in turn.

    The GUI builds one service at the first login and keeps it until the
    program quits, so the sync queue and the storage SCP go on while the
    screen is locked, after a log out and at the login dialog.

    Every C-FIND is recorded in the workstation's audit trail as a QUERY under
    ``user``. Each retrieve or send job stores ``user`` as its creator, and
    every attempt of it is recorded as INSTANCES_RETRIEVED or INSTANCES_SENT
    under that creator, even when another user is logged in at that time.
    Without ``user``, records name the operating-system account that runs the
    program, marked as such. `set_user` changes the account at each login and log out.
    """

    #: sig_echo_finished(str, bool, str): node name, success, and a message
    #: (the round trip, or the reason of the failure in plain words).
    sig_echo_finished = Signal(str, bool, str)
    #: sig_studies_found(int, list): request number and its RemoteStudy list.
    sig_studies_found = Signal(int, list)
    #: sig_search_failed(int, str): request number and the reason.
    sig_search_failed = Signal(int, str)
    #: sig_series_found(str, list): study UID and its SeriesRecord list.
    sig_series_found = Signal(str, list)
    #: sig_series_failed(str, str): study UID and the reason.
    sig_series_failed = Signal(str, str)
    #: sig_jobs_changed(list): every SyncJob of the queue, oldest first.
    sig_jobs_changed = Signal(list)
    #: sig_job_progress(JobProgressReport): progress of a running job.
    sig_job_progress = Signal(object)
    #: sig_job_finished(SyncJob): a job ended an attempt.
    sig_job_finished = Signal(object)
    #: sig_job_queued(str): a retrieve or send requested here was queued;
    #: the job kind, ``"retrieve"`` or ``"send"``.
    sig_job_queued = Signal(str)
    #: sig_error(str): a queue change failed; the reason in plain words.
    sig_error = Signal(str)
    #: sig_instance_received(str): the storage SCP stored an instance of this
    #: study UID.
    sig_instance_received = Signal(str)
    #: sig_scp_state(bool, str): whether the storage SCP listens, and why not.
    sig_scp_state = Signal(bool, str)

    def __init__(
        self,
        workstation: Workstation,
        settings: SettingsReader,
        parent: QObject | None = None,
        *,
        user: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.archive = workstation.archive
        self.audit = _job_audit(workstation.audit, user)
        self.settings = settings
        self.node_store = NodeStore(workstation.database)
        self.queue = SyncQueue(
            workstation.database,
            max_attempts=settings.get_int("sync.max_attempts"),
            creator=_creator(self.audit),
        )
        self.tasks = TaskRunner(max_threads=4, parent=self)
        self.scp: StorageSCP | None = None
        self.scp_message = ""
        self._requests = itertools.count(1)
        self._jobs_read_lock = threading.Lock()
        self._jobs_read_stamps = itertools.count(1)
        self._jobs_shown_stamp = 0
        #: The local archive's record of each job's study, by Study Instance
        #: UID, read with the job list that `sig_jobs_changed` delivered last.
        self.job_studies: dict[str, StudyRecord] = {}
        self.services = JobServices(
            nodes=self.node_store,
            local=self.local_entity(),
            archive=self.archive,
            audit=self.audit,
            # Read at the start of each attempt: a changed AE title applies
            # to the next job without a restart.
            local_source=self.local_entity,
        )
        # Jobs the runner started and has not finished, by id: the storage
        # SCP restarts only when none runs (see `restart_scp`).
        self._running_jobs: set[int] = set()
        self._restart_pending = False
        self.runner = QueueRunner(self.queue, self.services, self)
        self.runner.worker.sig_job_started.connect(self._on_job_started)
        self.runner.worker.sig_job_progress.connect(self.sig_job_progress)
        self.runner.worker.sig_job_finished.connect(self._on_job_finished)
        self._started = False
        self._shut_down = False

    def start(self) -> None:
        """Start the storage SCP on the first call and resume unfinished jobs.

        Later calls (at each login after the first) leave the SCP as it is
        and emit `sig_scp_state` again for the widgets of the new window.
        """
        if self._started:
            self.sig_scp_state.emit(self.scp is not None, self.scp_message)
        else:
            self._started = True
            self.start_scp()
        self.resume_queue()

    def set_user(self, user: str | None) -> None:
        """Record later queries and jobs queued from now on under ``user``.

        None, at the login dialog, names the operating-system account, marked
        as such. Jobs already queued keep the creator they were queued with.
        """
        self.audit = _job_audit(self.audit.trail, user)
        # The runner copies the services at the start of each attempt.
        self.services.audit = self.audit
        self.queue.creator = _creator(self.audit)

    # Configuration

    def local_entity(self) -> LocalEntity:
        """Return this workstation's AE title, SCP port and timeouts."""
        return LocalEntity.from_settings(self.settings)

    def nodes(self) -> list[Node]:
        """Return the configured PACS nodes."""
        return self.node_store.list()

    # Requests whose results arrive as signals

    def test_connection(self, node: Node) -> None:
        """Send a C-ECHO to ``node``; `sig_echo_finished` reports the outcome."""
        local = self.local_entity()

        def job() -> object:
            return echo(node, local)

        self._start("echo", node.name, job)

    def search(self, node: Node, query: StudyQuery) -> int:
        """Start a STUDY-level C-FIND; return the request number of its signal.

        The query is recorded in the audit trail with its criteria, its C-FIND
        identifier, the node and the studies found, or with the reason it failed.
        """
        request = next(self._requests)
        local = self.local_entity()
        archive = self.archive
        audit = self.audit
        summary = f"C-FIND on {node.label} for {describe_query(query)}"
        patient_id = query.patient_id or None
        # find_studies sends the identifier that study_identifier builds.
        find_request = _FindRequest(
            _peer(node), encoded_identifier(study_identifier(query))
        )

        def job() -> object:
            try:
                found = find_studies(node, local, query)
            except PacsDesktopError as exc:
                _record_query(
                    audit,
                    find_request,
                    patient_id,
                    [],
                    f"{summary}: {exc}",
                    outcome="minor-failure",
                )
                raise
            _record_query(
                audit,
                find_request,
                patient_id,
                [record.StudyInstanceUID for record in found],
                f"{summary}: {len(found)} studies",
            )
            return [_with_local_count(record, archive) for record in found]

        self._start("search", request, job)
        return request

    def list_series(
        self, node: Node, study_uid: str, *, patient_id: str | None = None
    ) -> None:
        """Start a SERIES-level C-FIND; `sig_series_found` reports the series.

        The query is recorded in the audit trail with the study, its patient
        when ``patient_id`` is given, and the node.
        """
        local = self.local_entity()
        audit = self.audit
        summary = f"SERIES-level C-FIND on {node.label} for study {study_uid}"
        find_request = _FindRequest(
            _peer(node), encoded_identifier(series_identifier(study_uid))
        )

        def job() -> object:
            try:
                series = find_series(node, local, study_uid)
            except PacsDesktopError as exc:
                _record_query(
                    audit,
                    find_request,
                    patient_id,
                    [study_uid],
                    f"{summary}: {exc}",
                    outcome="minor-failure",
                )
                raise
            _record_query(
                audit,
                find_request,
                patient_id,
                [study_uid],
                f"{summary}: {len(series)} series",
            )
            return series

        self._start("series", study_uid, job)

    # The sync queue

    def enqueue_retrieve(
        self, node_name: str, study_uid: str, series_uids: Sequence[str] = ()
    ) -> None:
        """Queue the retrieve of a study, or of some of its series."""
        queue = self.queue
        series = list(series_uids)
        # Taken now: the user may log out before the pool thread runs.
        creator = queue.creator

        def job() -> object:
            return queue.enqueue_retrieve(
                node_name, study_uid, series_uids=series, creator=creator
            )

        self._start("queue", "retrieve", job)

    def enqueue_send(self, node_name: str, uids: Sequence[str]) -> None:
        """Queue the send of studies or series (by UID) to ``node_name``."""
        queue = self.queue
        targets = list(uids)
        creator = queue.creator

        def job() -> object:
            return queue.enqueue_send(node_name, targets, creator=creator)

        self._start("queue", "send", job)

    def retry_job(self, job_id: int) -> None:
        """Make a failed, cancelled or waiting job due now."""
        queue = self.queue

        def job() -> object:
            return queue.retry(job_id)

        self._start("queue", "retry", job)

    def cancel_job(self, job_id: int) -> None:
        """Cancel a job; a running one stops at its next check."""
        queue = self.queue
        self.runner.cancel_job(job_id)

        def job() -> object:
            return queue.cancel(job_id)

        self._start("queue", "cancel", job)

    def refresh_jobs(self) -> None:
        """Read every job in a worker; `sig_jobs_changed` delivers them."""
        queue = self.queue
        lock = self._jobs_read_lock
        stamps = self._jobs_read_stamps

        archive = self.archive

        def job() -> object:
            # Reads run in several pool threads; the stamp, taken with the read
            # under one lock, lets `_on_jobs` drop a list older than one shown.
            with lock:
                stamp, jobs = next(stamps), queue.list_jobs()
            return stamp, jobs, _local_studies(archive, jobs)

        self._start("jobs", None, job)

    def resume_queue(self) -> None:
        """Start the runner thread when the queue contains unfinished jobs."""
        queue = self.queue

        def job() -> object:
            return queue.list_jobs(UNFINISHED)

        self._start("resume", None, job)

    # Storage SCP

    def start_scp(self) -> bool:
        """Start the storage SCP from the settings; False with `scp_message` set.

        The SCP starts only when some caller is allowed (a configured node or
        an AE title in ``network.scp_allowed_aets``), because it would reject
        every association otherwise.
        """
        self.stop_scp()
        try:
            allowed = self._allowed_callers()
            if not allowed:
                self.scp_message = self.tr(
                    "The storage SCP is not running: no PACS node and no sending "
                    "AE title is configured."
                )
                self.sig_scp_state.emit(False, self.scp_message)
                return False
            scp = workstation_scp(self.archive, self.settings, self.node_store)
            scp.start()
        except PacsDesktopError as exc:
            logger.error("storage SCP not started: %s", exc)
            self.scp_message = self.tr(
                "The storage SCP is not running, so this workstation receives no "
                "images: {reason}"
            ).format(reason=str(exc))
            self.sig_scp_state.emit(False, self.scp_message)
            return False
        scp.receiver.add_listener(self._on_received)
        self.scp = scp
        self.services.scp = scp
        self.scp_message = self.tr(
            "Storage SCP {ae_title} listening on port {port}"
        ).format(ae_title=scp.ae_title, port=scp.port)
        self.sig_scp_state.emit(True, self.scp_message)
        return True

    def restart_scp(self) -> bool:
        """Start the storage SCP again from the settings once no job runs.

        A running retrieve may wait for C-MOVE sub-operations on the current
        SCP, and a running send for a Storage Commitment report, so while a
        job runs the restart waits for the last one to end. Returns whether
        the SCP restarted now; `sig_scp_state` reports the outcome.
        """
        # NOTE: a job counts as running once its queued sig_job_started
        # arrives, so a restart in the moment after the worker claims a job
        # can still replace the SCP that the job was given.
        if self._running_jobs:
            self._restart_pending = True
            logger.info(
                "storage SCP restart waits for %d running job(s)",
                len(self._running_jobs),
            )
            if self.scp is not None:
                self.scp_message = self.tr(
                    "Storage SCP {ae_title} listening on port {port}; it "
                    "restarts with the new settings when the running jobs end"
                ).format(ae_title=self.scp.ae_title, port=self.scp.port)
                self.sig_scp_state.emit(True, self.scp_message)
            return False
        self._restart_pending = False
        return self.start_scp()

    def update_scp_callers(self) -> None:
        """Start or stop the storage SCP after the allowed callers changed.

        The SCP reads the allowed AE titles for each association, so a
        running SCP goes on unchanged while some caller remains allowed. It
        starts when the first caller (a node or an allowed AE title) appears
        and stops when none is left.
        """
        try:
            allowed = self._allowed_callers()
        except PacsDesktopError as exc:
            logger.error("allowed callers of the storage SCP not read: %s", exc)
            return
        if bool(allowed) != (self.scp is not None):
            self.restart_scp()

    def _allowed_callers(self) -> list[str]:
        return [
            *self.settings.get_list("network.scp_allowed_aets"),
            *self.node_store.ae_titles(),
        ]

    def stop_scp(self) -> None:
        """Stop the storage SCP if it runs.

        Associations that are open go on until their peers release them;
        only the listening socket closes.
        """
        if self.scp is not None:
            self.services.scp = None
            self.scp.stop()
            self.scp = None

    def _on_received(self, received: ReceivedInstance) -> None:
        # Called in the SCP's association thread; the signal is queued.
        if received.study_uid:
            self.sig_instance_received.emit(received.study_uid)

    # Shutdown

    def shutdown(self) -> None:
        """Stop the queue runner, the SCP and the pool threads, once."""
        if self._shut_down:
            return
        self._shut_down = True
        self.runner.shutdown()
        self.stop_scp()
        self.tasks.shutdown()

    # Task plumbing

    def _start(self, kind: str, key: object, function: Callable[[], object]) -> None:
        def job(_report: Callable[[object], None], _cancel: threading.Event) -> object:
            try:
                return _Outcome(kind, key, function())
            except PacsDesktopError as exc:
                return _Outcome(kind, key, error=str(exc))

        self.tasks.start(job, on_finished=self._on_outcome, on_failed=self._on_crash)

    def _on_crash(self, error: Exception) -> None:
        logger.error("network task failed unexpectedly: %r", error)
        self.sig_error.emit(str(error))

    def _on_outcome(self, outcome: _Outcome) -> None:
        handler = getattr(self, f"_on_{outcome.kind}")
        handler(outcome)

    def _on_echo(self, outcome: _Outcome) -> None:
        name = str(outcome.key)
        if outcome.error:
            self.sig_echo_finished.emit(name, False, outcome.error)
            return
        seconds = float(outcome.value)  # type: ignore[arg-type]
        message = self.tr("C-ECHO succeeded in {ms:.0f} ms").format(ms=seconds * 1000)
        self.sig_echo_finished.emit(name, True, message)

    def _on_search(self, outcome: _Outcome) -> None:
        request = int(outcome.key)  # type: ignore[call-overload]
        if outcome.error:
            self.sig_search_failed.emit(request, outcome.error)
        else:
            self.sig_studies_found.emit(request, outcome.value)

    def _on_series(self, outcome: _Outcome) -> None:
        study_uid = str(outcome.key)
        if outcome.error:
            self.sig_series_failed.emit(study_uid, outcome.error)
        else:
            self.sig_series_found.emit(study_uid, outcome.value)

    def _on_queue(self, outcome: _Outcome) -> None:
        if outcome.error:
            self.sig_error.emit(outcome.error)
        elif outcome.key in ("retrieve", "send"):
            self.sig_job_queued.emit(str(outcome.key))
        self.refresh_jobs()
        self.runner.wake()

    def _on_jobs(self, outcome: _Outcome) -> None:
        if outcome.error:
            return
        assert isinstance(outcome.value, tuple)
        stamp: int = outcome.value[0]
        jobs: list[SyncJob] = outcome.value[1]
        if stamp > self._jobs_shown_stamp:
            self._jobs_shown_stamp = stamp
            self.job_studies = outcome.value[2]
            self.sig_jobs_changed.emit(jobs)

    def _on_resume(self, outcome: _Outcome) -> None:
        if outcome.error:
            self.sig_error.emit(outcome.error)
            return
        self.refresh_jobs()
        if outcome.value:
            self.runner.wake()

    def _on_job_started(self, job: SyncJob) -> None:
        self._running_jobs.add(job.id)
        self.refresh_jobs()

    def _on_job_finished(self, job: SyncJob) -> None:
        self._running_jobs.discard(job.id)
        if self._restart_pending and not self._running_jobs and not self._shut_down:
            self.restart_scp()
        self.refresh_jobs()
        self.sig_job_finished.emit(job)


def _job_audit(trail: AuditTrail, user: str | None) -> JobAudit:
    if user is None:
        return JobAudit(trail, getpass.getuser(), os_account=True)
    return JobAudit(trail, user)


def _creator(audit: JobAudit) -> JobCreator:
    return JobCreator(audit.user, audit.os_account)


@dataclass(frozen=True)
class _FindRequest:
    """The PACS a C-FIND goes to and its identifier, for the audit record."""

    peer: AuditPeer
    identifier: bytes
    """The C-FIND identifier in Explicit VR Little Endian."""


def _peer(node: Node) -> AuditPeer:
    return AuditPeer(node.ae_title, node.host)


def _record_query(
    audit: JobAudit,
    request: _FindRequest,
    patient_id: str | None,
    study_uids: Sequence[str],
    detail: str,
    *,
    outcome: str = "success",
) -> None:
    """Record a C-FIND in the audit trail; runs in the pool thread of the query."""
    audit.trail.record(
        QUERY,
        user=audit.user,
        os_account=audit.os_account,
        outcome=outcome,
        patient_id=patient_id,
        study_uids=study_uids,
        detail=detail,
        query=request.identifier,
        peer=request.peer,
    )


def _with_local_count(record: StudyRecord, archive: Archive) -> RemoteStudy:
    local = archive.study(record.StudyInstanceUID)
    count = local.NumberOfStudyRelatedInstances if local is not None else 0
    return RemoteStudy(record, count, local)


def _local_studies(archive: Archive, jobs: Sequence[SyncJob]) -> dict[str, StudyRecord]:
    # One indexed look-up per distinct UID, in a worker thread. Series UIDs
    # (sends of selected series) match no study and keep showing the UID.
    uids = {uid for job in jobs for uid in job.uids}
    studies: dict[str, StudyRecord] = {}
    for uid in sorted(uids):
        try:
            record = archive.study(uid)
        except PacsDesktopError as exc:
            logger.error("studies of the sync jobs not read: %s", exc)
            return studies
        if record is not None:
            studies[uid] = record
    return studies
