"""The task runner: results on the GUI thread, nothing started after shutdown."""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from pytestqt.qtbot import QtBot

from pacs_desktop.ui.workers import TaskRunner


def test_task_result_reaches_handler(qtbot: QtBot) -> None:
    runner = TaskRunner()
    results: list[object] = []

    runner.start(lambda _progress, _cancel: 42, on_finished=results.append)

    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert runner.shutdown()


def test_start_after_shutdown_runs_nothing(qtbot: QtBot) -> None:
    runner = TaskRunner()
    assert runner.shutdown()
    ran = threading.Event()

    def work(_progress: object, _cancel: object) -> None:
        ran.set()

    runner.start(work)

    qtbot.wait(200)
    assert not ran.is_set()
    assert runner.active_count() == 0


def test_owner_closes_while_task_stuck(qtbot: QtBot) -> None:
    owner = QObject()
    runner = TaskRunner(parent=owner)
    release = threading.Event()
    # Frees the stuck task later, so a regression blocks for a while
    # instead of hanging the test run.
    timer = threading.Timer(10.0, release.set)
    timer.start()
    started = threading.Event()

    def stuck(_progress: object, _cancel: object) -> None:
        started.set()
        release.wait()

    runner.start(stuck)
    assert started.wait(5)

    assert not runner.shutdown(timeout_ms=100)
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    assert not release.is_set()
    release.set()
    timer.cancel()
