"""Rebuild from the stored files, and an import killed mid-way then re-run."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyQuery


def test_rebuild_restores_index(tmp_path: Path, write_copies) -> None:
    write_copies(tmp_path / "in", 4, PatientName="DOE^JOHN")
    first = Archive(Database(tmp_path / "one.sqlite"), tmp_path / "store")
    first.import_paths([tmp_path / "in"])
    before = first.find_studies(StudyQuery())

    second = Archive(Database(tmp_path / "two.sqlite"), tmp_path / "store")
    summary = second.rebuild()

    assert len(summary.imported) == 4
    assert second.find_studies(StudyQuery()) == before


def test_rebuild_rejects_moved_file(
    archive: Archive, tmp_path: Path, write_copies
) -> None:
    archive.import_paths(write_copies(tmp_path / "in", 2))
    stored = sorted(archive.store_dir.rglob("*.dcm"))
    stored[0].rename(stored[0].with_name("f" * 64 + ".dcm"))

    summary = archive.rebuild()

    assert len(summary.imported) == 1
    assert "moved" in summary.rejected[0].reason


def _count(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM instances").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _import_command(data_dir: Path, folder: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pacs_desktop",
        "--data-dir",
        str(data_dir),
        "import",
        str(folder),
    ]


@pytest.mark.slow
def test_killed_import_completes_on_rerun(tmp_path: Path, write_copies) -> None:
    folder = tmp_path / "in"
    write_copies(folder, 400)
    data_dir = tmp_path / "data"
    database = data_dir / "archive.sqlite"

    process = subprocess.Popen(
        _import_command(data_dir, folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _count(database) < 20 and process.poll() is None:
        assert time.monotonic() < deadline, "the import never indexed 20 files"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_count = _count(database)

    rerun = subprocess.run(
        _import_command(data_dir, folder), capture_output=True, text=True, check=False
    )

    assert killed_count < 400, "the import ended before it could be killed"
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert _count(database) == 400
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT path, file_sha256 FROM instances").fetchall()
        pending = conn.execute("SELECT count(*) FROM import_pending").fetchone()[0]
    store = data_dir / "store"
    for relative, sha256 in rows:
        assert hashlib.sha256((store / relative).read_bytes()).hexdigest() == sha256
    assert pending == 0
    assert list(store.rglob("*.tmp")) == []
    assert len(list(store.rglob("*.dcm"))) == 400
    assert os.path.exists(database)
