"""The task runner: results on the GUI thread, nothing started after shutdown."""

from __future__ import annotations

import threading

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
