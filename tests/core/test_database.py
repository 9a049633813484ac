"""Connection settings and forward migration of the workstation database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pacs_desktop.core.archive.database import (
    Database,
    connect,
    migrate,
    schema_version,
)
from pacs_desktop.core.errors import ArchiveError

STEPS = (
    "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
    "ALTER TABLE thing ADD COLUMN size INTEGER NOT NULL DEFAULT 0;",
)


def test_connect_uses_wal_and_full_sync(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrate_applies_steps_once(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    migrate(conn, "things", STEPS[:1])
    conn.execute("INSERT INTO thing (name) VALUES ('a')")

    migrate(conn, "things", STEPS)
    migrate(conn, "things", STEPS)

    assert schema_version(conn, "things") == 2
    rows = conn.execute("SELECT name, size FROM thing").fetchall()
    assert [tuple(row) for row in rows] == [("a", 0)]


def test_components_have_separate_versions(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    migrate(conn, "things", STEPS)
    migrate(conn, "others", ("CREATE TABLE other (id INTEGER);",))
    assert schema_version(conn, "things") == 2
    assert schema_version(conn, "others") == 1


def test_newer_schema_is_rejected(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    migrate(conn, "things", STEPS)
    with pytest.raises(ArchiveError, match="newer than this program"):
        migrate(conn, "things", STEPS[:1])


def test_failed_step_rolls_back(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    broken = (STEPS[0], "CREATE TABLE extra (id INTEGER); CREATE TABLE thing (x);")
    with pytest.raises(ArchiveError, match="schema version 2 failed"):
        migrate(conn, "things", broken)
    assert schema_version(conn, "things") == 1
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "extra" not in tables


def test_not_a_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    path.write_bytes(b"this is not an sqlite file" * 100)
    with pytest.raises(ArchiveError, match=str(path)):
        connect(path)


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    database = Database(tmp_path / "db.sqlite")
    seen: list[sqlite3.Connection] = []
    worker = threading.Thread(target=lambda: seen.append(database.connection()))
    worker.start()
    worker.join()
    assert seen[0] is not database.connection()
    database.close()


def test_new_database_is_private(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    conn = connect(path)
    conn.execute("CREATE TABLE thing (id INTEGER)")
    conn.execute("INSERT INTO thing VALUES (1)")

    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "db.sqlite-wal").stat().st_mode & 0o777 == 0o600


_MIGRATING_CHILD = """
import sys, time
from pathlib import Path
from pacs_desktop.core.archive.database import Database

go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)

def slow_step(conn):
    time.sleep(0.2)
    conn.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY)")

Database(Path(sys.argv[1])).migrate(
    "things", [slow_step, "ALTER TABLE thing ADD COLUMN size INTEGER;"]
)
"""


def test_processes_migrating_a_new_database_at_once(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite"
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATING_CHILD, str(database), str(go)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    go.touch()
    for child in children:
        _, stderr = child.communicate(timeout=60)
        assert child.returncode == 0, stderr
    conn = connect(database)
    assert schema_version(conn, "things") == 2
    columns = [row[1] for row in conn.execute("PRAGMA table_info(thing)")]
    assert columns == ["id", "size"]
