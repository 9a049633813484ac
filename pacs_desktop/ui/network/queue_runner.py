"""The sync queue runner: runs due jobs in a QThread of its own.

The worker calls the core's `run_due_jobs` when woken (a job was added or
retried) and every few seconds, so that jobs waiting for their backoff start
on time. Progress comes back through Qt signals, queued to the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from pacs_desktop.core.net.queue import JobServices, SyncJob, SyncQueue, run_due_jobs

logger = logging.getLogger(__name__)

# How often the worker looks for jobs whose next attempt is due.
POLL_INTERVAL_MS = 2000
# Progress signals per job are at most this often, except the last one.
_PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True)
class JobProgressReport:
    """Progress of one running job."""

    job_id: int
    done: int
    total: int
    megabytes_per_second: float
    seconds_left: float | None


class QueueWorker(QObject):
    """Runs the due jobs of a `SyncQueue`; lives in the runner's thread."""

    #: sig_job_started(SyncJob): a job was claimed and starts now.
    sig_job_started = Signal(object)
    #: sig_job_progress(JobProgressReport): instances done of a running job.
    sig_job_progress = Signal(object)
    #: sig_job_finished(SyncJob): a job ended (done, waiting, failed, cancelled).
    sig_job_finished = Signal(object)

    def __init__(self, queue: SyncQueue, services: JobServices) -> None:
        super().__init__()
        self.queue = queue
        self.services = services
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._job_events: dict[int, threading.Event] = {}
        self._started: dict[int, float] = {}
        self._last_report: dict[int, float] = {}
        self._timer: QTimer | None = None

    @Slot()
    def start_polling(self) -> None:
        """Start the poll timer; called in the worker's thread."""
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self.run_due)
        self._timer.start()
        self.run_due()

    @Slot()
    def stop_polling(self) -> None:
        """Stop the poll timer; called in the worker's thread as it ends."""
        if self._timer is not None:
            self._timer.stop()

    @Slot()
    def run_due(self) -> None:
        """Run every job that is due now."""
        if self._stop.is_set():
            return
        finished = run_due_jobs(
            self.queue,
            self.services,
            progress=self._on_progress,
            cancel=self._stop,
            job_cancel=self._on_claimed,
        )
        for job in finished:
            with self._lock:
                self._job_events.pop(job.id, None)
                self._started.pop(job.id, None)
                self._last_report.pop(job.id, None)
            self.sig_job_finished.emit(job)

    def cancel_job(self, job_id: int) -> None:
        """Stop job ``job_id`` if it is running; safe from any thread."""
        with self._lock:
            event = self._job_events.get(job_id)
        if event is not None:
            event.set()

    def stop(self) -> None:
        """Stop the running job and every later one; safe from any thread."""
        self._stop.set()
        with self._lock:
            events = list(self._job_events.values())
        for event in events:
            event.set()

    def _on_claimed(self, job: SyncJob) -> threading.Event:
        event = threading.Event()
        with self._lock:
            self._job_events[job.id] = event
            self._started[job.id] = time.monotonic()
        if self._stop.is_set():
            event.set()
        self.sig_job_started.emit(job)
        return event

    def _on_progress(self, job: SyncJob, done: int, total: int, rate: float) -> None:
        # Called in the worker thread or, for C-GET and C-MOVE, in the
        # association's thread.
        now = time.monotonic()
        with self._lock:
            started = self._started.get(job.id, now)
            last = self._last_report.get(job.id, 0.0)
            if now - last < _PROGRESS_INTERVAL_S and done < total:
                return
            self._last_report[job.id] = now
        seconds_left = None
        if 0 < done <= total:
            seconds_left = (now - started) / done * (total - done)
        self.sig_job_progress.emit(
            JobProgressReport(job.id, done, total, rate, seconds_left)
        )


class QueueRunner(QObject):
    """Owns the worker thread of the sync queue; lives in the GUI thread.

    The thread starts on the first `wake`, so a window that never queues a
    job starts no thread.
    """

    #: sig_wake(): makes the worker run due jobs (queued to its thread).
    sig_wake = Signal()

    def __init__(
        self, queue: SyncQueue, services: JobServices, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.worker = QueueWorker(queue, services)
        self.worker_thread = QThread(self)
        self.worker_thread.setObjectName("sync-queue")
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.worker.start_polling)
        # Direct: the timer belongs to the worker thread and stops in it.
        self.worker_thread.finished.connect(
            self.worker.stop_polling, Qt.ConnectionType.DirectConnection
        )
        self.sig_wake.connect(self.worker.run_due)
        self._stopped = False

    @property
    def running(self) -> bool:
        """Whether the worker thread runs."""
        return self.worker_thread.isRunning()

    def wake(self) -> None:
        """Start the thread if needed and make the worker run due jobs."""
        if self._stopped:
            return
        if not self.worker_thread.isRunning():
            self.worker_thread.start()
            return
        self.sig_wake.emit()

    def cancel_job(self, job_id: int) -> None:
        """Stop job ``job_id`` if the worker is running it."""
        self.worker.cancel_job(job_id)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop the running job and the thread; False if it did not end in time."""
        self._stopped = True
        self.worker.stop()
        if not self.worker_thread.isRunning():
            return True
        self.worker_thread.quit()
        finished = self.worker_thread.wait(timeout_ms)
        if not finished:
            logger.warning("sync queue thread still running after %d ms", timeout_ms)
        return bool(finished)
