"""The benchmark suite's quick run: it must run and write its results page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    assert "| workload | case | peer |" in report.read_text(encoding="utf-8")
