"""Integrity of the stored files: each file's SHA-256 checked against the index.

The index keeps the SHA-256 of every stored file as it was written. A file
read through the archive is hashed again; a mismatch (bit rot, a tampered or
truncated file) raises `IntegrityError`, is audited, and marks the instance
for re-fetch from the peer it came from. Readers that load a whole stored file
into memory anyway (the viewer's decoders) hash those bytes with `check_bytes`
instead of reading the file a second time.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pacs_desktop.core.archive.store import FileStore
from pacs_desktop.core.errors import ArchiveError

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive

logger = logging.getLogger(__name__)

# Bytes hashed per read() of a stored file.
_CHUNK = 1 << 20

# Advice that ends the reason of a changed file, by where the change was found.
RETRIEVE_AGAIN = "retrieve the instance again"
VERIFY_ADVICE = (
    "retrieve the instance again; `pacs-desktop archive verify` lists every "
    "stored file that changed"
)


class IntegrityError(ArchiveError):
    """A stored file is missing or no longer matches the SHA-256 in the index."""

    def __init__(self, path: Path, sop_instance_uid: str, reason: str) -> None:
        self.path = path
        self.sop_instance_uid = sop_instance_uid
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple[type[IntegrityError], tuple[Path, str, str]]:
        return (type(self), (self.path, self.sop_instance_uid, self.reason))


@dataclass(frozen=True)
class StoredInstance:
    """The index row of one stored file, as the integrity check needs it."""

    sop_instance_uid: str
    path: Path
    size: int
    file_sha256: str
    study_uid: str
    source_node: str


@dataclass
class VerifyReport:
    """The outcome of checking every stored file and the database."""

    checked: int = 0
    failures: list[IntegrityError] = field(default_factory=list)
    database_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every file matched and SQLite found no damage."""
        return not self.failures and not self.database_problems


def sha256_of(path: Path) -> str:
    """Return the SHA-256 of the file at ``path``.

    Raises
    ------
    OSError
        If the file cannot be read.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_stored(instance: StoredInstance) -> IntegrityError | None:
    """Hash the stored file of ``instance``; return the problem, or None."""
    try:
        actual = sha256_of(instance.path)
    except FileNotFoundError:
        return IntegrityError(
            instance.path,
            instance.sop_instance_uid,
            "the stored file is missing; retrieve the instance again",
        )
    except OSError as exc:
        return IntegrityError(
            instance.path,
            instance.sop_instance_uid,
            f"the stored file cannot be read: {exc.strerror or exc}",
        )
    return check_digest(instance, actual)


def check_digest(
    instance: StoredInstance, actual: str, *, advice: str = RETRIEVE_AGAIN
) -> IntegrityError | None:
    """Compare the SHA-256 ``actual`` of a stored file with the index's record.

    Returns the mismatch as an `IntegrityError` whose reason ends with
    ``advice`` (what the user should do), or None when the digests match.
    """
    if actual == instance.file_sha256:
        return None
    return IntegrityError(
        instance.path,
        instance.sop_instance_uid,
        f"the stored file changed since it was archived: its SHA-256 {actual} "
        f"differs from {instance.file_sha256} recorded when it was stored, so "
        f"the file was altered or damaged and is not used; {advice}",
    )


def check_bytes(instance: StoredInstance, data: bytes) -> IntegrityError | None:
    """Hash ``data``, the whole stored file of ``instance`` as just read.

    For readers that hold the file in memory anyway: the bytes that are
    checked are the bytes that get parsed, and the file is read once.
    Returns the mismatch, or None when the digests match.
    """
    # hashlib releases the GIL while it hashes more than 2 KiB, so a worker
    # thread hashing a stored file does not stall the GUI thread.
    actual = hashlib.sha256(data).hexdigest()
    return check_digest(instance, actual, advice=VERIFY_ADVICE)


_SELECT = (
    "SELECT i.sop_uid, i.path, i.size, i.file_sha256, st.study_uid, i.source_node "
    "FROM instances i JOIN series se ON se.pk = i.series_pk "
    "JOIN studies st ON st.pk = se.study_pk"
)


def stored_instance(
    conn: sqlite3.Connection, store: FileStore, sop_instance_uid: str
) -> StoredInstance | None:
    """Return the index row of one instance, or None when it is not archived."""
    row = conn.execute(f"{_SELECT} WHERE i.sop_uid = ?", (sop_instance_uid,)).fetchone()
    return _stored(store, row) if row is not None else None


def stored_instances_of_series(
    archive: Archive, series_uid: str
) -> dict[Path, StoredInstance]:
    """Return the index rows of a series' stored files by absolute path.

    The viewer passes these to its decoders, which check each file's bytes
    against ``file_sha256`` before showing them.

    Raises
    ------
    ArchiveError
        If the index cannot be read.
    """
    try:
        rows = archive.database.connection().execute(
            f"{_SELECT} WHERE se.series_uid = ?", (series_uid,)
        )
        instances = [_stored(archive.store, row) for row in rows]
    except sqlite3.Error as exc:
        raise ArchiveError(
            f"cannot read the stored files of series {series_uid}: {exc}"
        ) from exc
    return {instance.path: instance for instance in instances}


def verify_all(
    conn: sqlite3.Connection,
    store: FileStore,
    progress: Callable[[int, int], None] | None = None,
) -> VerifyReport:
    """Check every stored file against the index and SQLite's own integrity.

    Runs ``PRAGMA integrity_check`` first, then hashes each file. Nothing is
    changed; the caller marks the failures (see `mark_refetch`).
    """
    report = VerifyReport()
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        report.database_problems = [
            str(r[0])
            for r in rows
            if str(r[0]) != "ok" and not _false_null_report(conn, str(r[0]))
        ]
        instances = [_stored(store, row) for row in conn.execute(_SELECT)]
    except sqlite3.DatabaseError as exc:
        report.database_problems.append(f"the database cannot be read: {exc}")
        return report
    for done, instance in enumerate(instances):
        if progress is not None:
            progress(done, len(instances))
        problem = check_stored(instance)
        report.checked += 1
        if problem is not None:
            report.failures.append(problem)
    return report


def mark_refetch(conn: sqlite3.Connection, sop_instance_uids: list[str]) -> None:
    """Flag instances whose stored files failed their check for re-fetch.

    Raises
    ------
    ArchiveError
        If the database cannot be written.
    """
    try:
        with conn:
            conn.executemany(
                "UPDATE instances SET needs_refetch = 1 WHERE sop_uid = ?",
                [(uid,) for uid in sop_instance_uids],
            )
    except sqlite3.Error as exc:
        raise ArchiveError(
            f"cannot mark {len(sop_instance_uids)} instances for re-fetch: {exc}"
        ) from exc


def refetch_list(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """Return (Study, SOP Instance UID, source AE title) of flagged instances.

    The source AE title is '' for an instance imported from a file.
    """
    rows = conn.execute(
        "SELECT st.study_uid, i.sop_uid, i.source_node FROM instances i "
        "JOIN series se ON se.pk = i.series_pk "
        "JOIN studies st ON st.pk = se.study_pk WHERE i.needs_refetch = 1"
    )
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


@dataclass(frozen=True)
class RefetchGroup:
    """Instances marked for re-fetch that one peer sent for one study.

    ``source_node`` is the AE title of the peer that sent them, '' for
    instances imported from files (nothing to retrieve them from).
    """

    source_node: str
    study_uid: str
    sop_instance_uids: tuple[str, ...]


def refetch_groups(rows: list[tuple[str, str, str]]) -> list[RefetchGroup]:
    """Group (Study, SOP Instance UID, source AE title) rows by peer and study.

    One retrieve per group is enough: a C-GET or C-MOVE at study level brings
    back every damaged instance of the study. Groups are sorted by peer, then
    study.
    """
    grouped: dict[tuple[str, str], list[str]] = {}
    for study_uid, sop_uid, source in rows:
        grouped.setdefault((source, study_uid), []).append(sop_uid)
    return [
        RefetchGroup(source, study, tuple(sorted(uids)))
        for (source, study), uids in sorted(grouped.items())
    ]


def os_account() -> str:
    """Return the operating-system account that runs this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


_NULL_REPORT = re.compile(r"NULL value in (\w+)\.(\w+)")


def _false_null_report(conn: sqlite3.Connection, message: str) -> bool:
    """Tell whether a "NULL value in T.C" report is contradicted by the table.

    SQLite 3.40.1 reports NULLs in the NOT NULL columns of a WITHOUT ROWID table
    that has a secondary index (study_name_keys) although a query finds none.
    """
    match = _NULL_REPORT.fullmatch(message)
    if match is None:
        return False
    table, column = match.groups()
    try:
        row = conn.execute(
            f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NULL'
        ).fetchone()
    except sqlite3.Error:
        return False
    return int(row[0]) == 0


def _stored(store: FileStore, row: sqlite3.Row | tuple[object, ...]) -> StoredInstance:
    return StoredInstance(
        sop_instance_uid=str(row[0]),
        path=store.absolute(str(row[1])),
        size=int(str(row[2])),
        file_sha256=str(row[3]),
        study_uid=str(row[4]),
        source_node=str(row[5] or ""),
    )
