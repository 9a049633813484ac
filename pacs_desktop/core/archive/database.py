"""The workstation's SQLite database: connection settings and schema migration.

Every component (archive index, users, audit trail, sync queue, dictation) keeps its
own tables and its own schema version in ``schema_version``, so each migrates forward
independently of the others.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from pacs_desktop.core.errors import ArchiveError

logger = logging.getLogger(__name__)

DATABASE_NAME = "archive.sqlite"

# One migration step: SQL text run as a script, or a function given the connection.
MigrationStep = str | Callable[[sqlite3.Connection], None]

_migrate_lock = threading.Lock()


def connect(path: Path) -> sqlite3.Connection:
    """Open the database in WAL mode with ``synchronous=FULL`` and foreign keys on.

    The connection may be shared between threads; callers serialise writes
    through transactions (``with conn:``).

    Raises
    ------
    ArchiveError
        If the file cannot be opened or is not an SQLite database.
    """
    try:
        _create_private(path)
        conn = sqlite3.connect(
            path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL makes a committed transaction survive a power cut, not only a crash.
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot open database {path}: {exc}") from exc
    return conn


def _create_private(path: Path) -> None:
    # The database holds patient data and password hashes: a new file is
    # readable by its owner only. SQLite gives the -wal and -shm files the
    # permissions of the database file.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise ArchiveError(f"cannot create database {path}: {exc.strerror}") from exc
    os.close(fd)


def schema_version(conn: sqlite3.Connection, component: str) -> int:
    """Return the schema version of ``component``, 0 when it has no tables yet."""
    row = conn.execute(
        "SELECT version FROM schema_version WHERE component = ?", (component,)
    ).fetchone()
    return int(row[0]) if row else 0


def migrate(
    conn: sqlite3.Connection, component: str, steps: Sequence[MigrationStep]
) -> None:
    """Apply the steps of ``component`` that the database has not seen yet.

    Step ``i`` (counting from 1) brings the component to version ``i``. Each step
    runs in its own transaction together with the version update, so an
    interrupted migration resumes at the step that failed. The version is read
    inside that write transaction: when two processes open a new database at
    once, the second waits for the first and then finds the step done.

    Raises
    ------
    ArchiveError
        If the database is newer than this program or a step fails.
    """
    with _migrate_lock:
        if schema_version(conn, component) == len(steps):
            return
        while _apply_next_step(conn, component, steps):
            pass


def _apply_next_step(
    conn: sqlite3.Connection, component: str, steps: Sequence[MigrationStep]
) -> bool:
    # Returns whether a step ran, so the caller tries the next one.
    version = 0
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot migrate {component!r}: {exc}") from exc
    try:
        current = schema_version(conn, component)
        if current > len(steps):
            raise ArchiveError(
                f"database schema of {component!r} is version {current}, newer than "
                f"this program knows ({len(steps)}); upgrade PACS Desktop"
            )
        if current == len(steps):
            conn.execute("COMMIT")
            return False
        version = current + 1
        step = steps[current]
        if isinstance(step, str):
            for statement in _split_statements(step):
                conn.execute(statement)
        else:
            step(conn)
        conn.execute(
            "INSERT INTO schema_version (component, version) VALUES (?, ?) "
            "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
            (component, version),
        )
        conn.execute("COMMIT")
    except ArchiveError:
        conn.execute("ROLLBACK")
        raise
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise ArchiveError(
            f"migration of {component!r} to schema version {version} failed: {exc}"
        ) from exc
    logger.info("migrated %s schema to version %d", component, version)
    return True


def _split_statements(script: str) -> list[str]:
    # executescript() would commit the open transaction, so statements run one by one.
    statements = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


class Database:
    """The database file with one connection per thread.

    SQLite connections must not run transactions from two threads at once, so
    worker threads each get their own connection to the same WAL database.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.connection()

    def connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def migrate(self, component: str, steps: Sequence[MigrationStep]) -> None:
        """Bring ``component``'s tables to the newest version (see `migrate`)."""
        migrate(self.connection(), component, steps)

    def close(self) -> None:
        """Close every connection that any thread opened."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
