"""The progress of a retrieve split over parallel C-GET associations."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net import retrieve
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import Node

STUDY = "1.2.826.0.1.3680043.8.498.1"


def test_progress_never_goes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(tmp_path / "archive.sqlite")
    job = retrieve._Job(
        Node("pacs", "PACS", "127.0.0.1", 11112),
        local=LocalEntity("PACSTEST"),
        archive=Archive(database, tmp_path / "store"),
        study_uid=STUDY,
        series_uids=[],
        expected=[],
        progress=None,
        cancel=None,
    )
    reported: list[int] = []
    second_reported = threading.Event()

    def on_progress(update: retrieve.RetrieveProgress) -> None:
        reported.append(update.received)
        if threading.current_thread() is not first:
            second_reported.set()

    job.progress = on_progress
    real_clock = time.monotonic

    def clock() -> float:
        # The first association's thread is held inside its progress report
        # until the second association has reported a later count.
        if threading.current_thread() is first:
            second_reported.wait(timeout=2.0)
        return real_clock()

    monkeypatch.setattr(retrieve.time, "monotonic", clock)

    def receive_one() -> None:
        job.counter.stored += 1
        job.on_received(None)

    first = threading.Thread(target=receive_one, name="first c-get")
    first.start()
    while job.counter.stored == 0:
        time.sleep(0)  # yield until the first instance is counted
    receive_one()
    first.join()
    database.close()

    assert reported == sorted(reported)
