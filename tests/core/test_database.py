"""Connection settings and forward migration of the workstation database."""

from __future__ import annotations

import sqlite3
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
