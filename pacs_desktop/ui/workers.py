"""Worker threads for the GUI: run core functions off the GUI thread.

A `Task` runs one callable in a `QThreadPool` thread and reports back through
Qt signals, which Qt delivers to receivers on the GUI thread as queued calls.
Tasks contain no logic of their own and only call the core.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

logger = logging.getLogger(__name__)

#: Pools whose tasks outlived a shutdown; see `TaskRunner.shutdown`.
_DETACHED_POOLS: list[QThreadPool] = []

# The function a task runs: given the task's progress callback and cancel event.
TaskFunction = Callable[[Callable[[object], None], threading.Event], object]


class TaskSignals(QObject):
    """Signals of one task, emitted from its worker thread."""

    #: sig_progress(object): a progress report from the running function.
    sig_progress = Signal(object)
    #: sig_finished(object): the function's return value.
    sig_finished = Signal(object)
    #: sig_failed(object): the exception the function raised.
    sig_failed = Signal(object)
    #: sig_done(object): the task itself, emitted last.
    sig_done = Signal(object)


class Task(QRunnable):
    """Run ``function(progress, cancel)`` once in a pool thread."""

    def __init__(self, function: TaskFunction) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.function = function
        self.cancel = threading.Event()
        self.signals = TaskSignals()

    def run(self) -> None:
        """Call the function and emit its result or its exception.

        The function runs even when the task was cancelled before it started,
        so that its caller always receives sig_finished or sig_failed. The
        function checks the cancel event itself.
        """
        try:
            result = self.function(self.signals.sig_progress.emit, self.cancel)
        except Exception as exc:
            self.signals.sig_failed.emit(exc)
        else:
            self.signals.sig_finished.emit(result)
        self.signals.sig_done.emit(self)


class TaskRunner(QObject):
    """Start tasks on a thread pool and keep them alive until they end.

    ``shutdown()`` sets every task's cancel event and waits for the pool, so a
    closing window leaves no thread behind. A task started after shutdown does
    not run: a queued signal delivered during teardown could otherwise start a
    database read while the owner closes the database under it.
    """

    def __init__(self, max_threads: int | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        if max_threads is not None:
            self.pool.setMaxThreadCount(max_threads)
        self._active: set[Task] = set()
        self._shut_down = False

    def start(
        self,
        function: TaskFunction,
        *,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[Exception], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> Task:
        """Run ``function`` in a pool thread and connect the given handlers.

        Handlers should be methods of objects that live on the GUI thread, so
        that Qt queues the calls to that thread.
        """
        task = Task(function)
        if self._shut_down:
            logger.debug("task not started: the runner is shut down")
            return task
        if on_finished is not None:
            task.signals.sig_finished.connect(on_finished)
        if on_failed is not None:
            task.signals.sig_failed.connect(on_failed)
        if on_progress is not None:
            task.signals.sig_progress.connect(on_progress)
        task.signals.sig_done.connect(self._on_task_done)
        self._active.add(task)
        self.pool.start(task)
        return task

    def _on_task_done(self, task: Task) -> None:
        self._active.discard(task)

    def active_count(self) -> int:
        """Return how many started tasks have not reported back yet."""
        return len(self._active)

    def cancel_all(self) -> None:
        """Ask every running task to stop at its next check of the cancel event."""
        for task in list(self._active):
            task.cancel.set()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel every task and wait for the pool; return False on timeout.

        Tasks started afterwards do not run.
        """
        self._shut_down = True
        self.cancel_all()
        finished = self.pool.waitForDone(timeout_ms)
        if not finished:
            logger.warning("worker threads still running after %d ms", timeout_ms)
            # A QThreadPool waits for its threads without a limit when it is
            # destroyed, as it would be with this runner's window. Detached and
            # kept, it lets the window close while the stuck task finishes.
            self.pool.setParent(None)
            _DETACHED_POOLS.append(self.pool)
        return finished
