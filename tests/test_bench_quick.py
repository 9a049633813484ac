"""The benchmark suite's quick run: it must run and write its results page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import exit_status
from bench.dictation_crash import RunResult, rows_of
from bench.report import results_table

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_quick_run_writes_report(shared_data: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--output",
            str(tmp_path),
            "--data-dir",
            str(shared_data),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = tmp_path / "benchmarks.md"

    assert completed.returncode == 0, completed.stderr[-2000:]
    assert report.is_file()
    text = report.read_text(encoding="utf-8")
    assert "| workload | case | peer |" in text
    assert "| dictation crash recovery | kill -9 at a random time, 10 runs" in text


def _killed_run(run: int, recovered: float, failure: str = "") -> RunResult:
    return RunResult(
        run,
        kill_at=2.0,
        fed_seconds=2.0,
        recovered_seconds=recovered,
        recovery_seconds=0.01,
        failure=failure,
    )


def test_dictation_rows_without_failures_met() -> None:
    rows = rows_of(
        [_killed_run(0, 2.0), _killed_run(1, 1.9)], 7, "gap case", "recovery case"
    )

    assert [row.met for row in rows] == [True, True]
    assert rows[0].result is not None
    assert rows[0].result.ours.maximum == pytest.approx(0.1)
    assert exit_status(rows) == 0
    assert "| dictation crash recovery | gap case | none" in results_table(rows)


def test_dictation_rows_failed_run_exits_nonzero() -> None:
    # The gap is within 1 s, but the run was attached to another study.
    failed = _killed_run(1, 2.0, failure="attached to another study")
    rows = rows_of([_killed_run(0, 2.0), failed], 7, "gap case", "recovery case")

    assert rows[0].met is False
    assert "run 1" in rows[0].cause
    assert rows[1].met is True
    assert exit_status(rows) == 1


def test_dictation_rows_gap_over_limit_missed() -> None:
    rows = rows_of(
        [_killed_run(0, 0.5, failure="0.50 s recovered of 2.00 s fed")],
        7,
        "gap case",
        "recovery case",
    )

    assert rows[0].result is not None
    assert rows[0].result.ours.maximum == pytest.approx(1.5)
    assert rows[0].met is False
    assert exit_status(rows) == 1
