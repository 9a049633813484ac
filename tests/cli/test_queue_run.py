"""`queue run` and `node list` output: waiting jobs and counted nouns."""

from __future__ import annotations

import getpass
import re
from pathlib import Path

import pytest

from pacs_desktop.cli import main
from pacs_desktop.core.net.queue import JobCreator, SyncQueue
from pacs_desktop.core.workstation import Workstation
from tests.net.conftest import free_port


def _run(data_dir: Path, *argv: str) -> int:
    return main.run(["--data-dir", str(data_dir), *argv])


def _add_node(data_dir: Path, name: str) -> None:
    port = str(free_port())
    status = _run(
        data_dir, "node", "add", name, "--aet", "GONE", "--host", "127.0.0.1",
        "--port", port,
    )  # fmt: skip
    assert status == 0


@pytest.fixture
def waiting_job(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run `queue run` while a retrieve waits for its retry; return stdout."""
    _add_node(tmp_path, "gone")
    # Nothing listens on the port, so the retrieve fails and waits 10 s.
    assert _run(tmp_path, "retrieve", "gone", "1.2.3.4") == 1
    capsys.readouterr()
    assert _run(tmp_path, "queue", "run") == 0
    return capsys.readouterr().out


def test_queue_run_names_waiting_job(waiting_job: str) -> None:
    assert "job 1 waits for its next attempt at" in waiting_job


def test_queue_run_gives_time_with_offset(waiting_job: str) -> None:
    assert re.search(r"at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4};", waiting_job)


def test_queue_run_says_how_to_run_now(waiting_job: str) -> None:
    assert "`pacs-desktop queue retry 1`" in waiting_job


def test_queue_run_counts_jobs_run(waiting_job: str) -> None:
    assert "0 jobs run" in waiting_job


def test_queue_run_has_description(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main.run(["queue", "run", "-h"])
    assert "queue retry ID" in capsys.readouterr().out


def test_one_node_is_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_node(tmp_path, "gone")
    capsys.readouterr()
    assert _run(tmp_path, "node", "list") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 node"


def test_queued_job_keeps_os_account(tmp_path: Path) -> None:
    _add_node(tmp_path, "gone")
    assert _run(tmp_path, "retrieve", "gone", "1.2.3.4") == 1

    workstation = Workstation(tmp_path)
    try:
        (job,) = SyncQueue(workstation.database).list_jobs()
    finally:
        workstation.close()
    assert job.creator == JobCreator(getpass.getuser(), os_account=True)
