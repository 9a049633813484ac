"""Deleting a study from the local archive: index rows first, then files.

One transaction deletes the study's index rows, lists its files in
``removal_pending`` and writes the INSTANCES_DELETED audit record. The files
are unlinked after that commit, and their pending rows deleted. A crash in
between leaves files that no index row names but a pending row does: the next
`Archive` start (and `Archive.rebuild`, before it reads the store) unlinks
them, so a rebuild never brings a deleted study back.

Deleting local images never deletes dictations or reports: those rows refer to
the study by its Study Instance UID and stay, with their audio files.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pacs_desktop.core.archive.store import FileStore
from pacs_desktop.core.errors import AccessDeniedError, ArchiveError
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.core.security.users import Session

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive

__all__ = [
    "COMPONENT",
    "STEPS",
    "RemovalBlockedError",
    "RemovedStudy",
    "StudyNotFoundError",
    "finish_pending_removals",
    "remove_study",
]

logger = logging.getLogger(__name__)

COMPONENT = "archive_removal"

STEPS = (
    """
    CREATE TABLE removal_pending (
        path TEXT PRIMARY KEY,
        study_uid TEXT NOT NULL,
        queued_at TEXT NOT NULL
    );
    """,
)

# Dictation states in which a recording is not finished: the author is
# recording, or must still decide what happens to an interrupted recording.
_DICTATION_IN_PROGRESS = ("recording", "recovered")

# Sync job states in which a send has not been confirmed by the peer yet.
_UNSENT_JOB_STATES = ("pending", "running")

# Who deletes: a GUI session, or the name of the operating-system account that
# ran a command.
Actor = Session | str


class StudyNotFoundError(ArchiveError, LookupError):
    """No study with the requested Study Instance UID is in the local archive."""


class RemovalBlockedError(ArchiveError):
    """The study cannot be deleted now; the message gives the reason and the remedy."""


@dataclass(frozen=True)
class RemovedStudy:
    """A study deleted from the local archive: its UID, instance count and bytes."""

    study_uid: str
    instances: int
    size: int
    files_left: int = 0
    """Files not unlinked yet (kept in ``removal_pending`` for the next start)."""


def remove_study(
    archive: Archive,
    study_uid: str,
    *,
    actor: Actor,
    in_use: Collection[str] = (),
    detail: str = "",
    check_permission: bool = True,
) -> RemovedStudy:
    """Delete a study's index rows and stored files, and audit the deletion.

    Parameters
    ----------
    archive
        The archive holding the study; its audit trail records the deletion.
    actor
        A session, which must have `Permission.DELETE`, or the name of the
        operating-system account that ran a command (audited as such).
    in_use
        Study Instance UIDs open in a viewer, which are not deleted.
    detail
        Text that leads the audit record's detail ("evicted: ...").
    check_permission
        False only for the workstation's own size-limit eviction.

    Raises
    ------
    AccessDeniedError
        If the session's role lacks the delete permission (audited).
    StudyNotFoundError
        If the study is not in the archive.
    RemovalBlockedError
        If the study is open, has a dictation being recorded, or a send of it
        is still queued.
    ArchiveError
        If the database cannot be changed; nothing was deleted then.
    AuditError
        If the deletion cannot be recorded; nothing was deleted then.
    """
    user, os_account = _authorise(actor, check_permission)
    if archive.audit is None:
        raise ArchiveError("deleting a study needs the archive's audit trail")
    if study_uid in in_use:
        raise RemovalBlockedError(
            f"study {study_uid} is open in the viewer; close it and delete again"
        )
    conn = archive.database.connection()
    with archive.write_lock:
        try:
            conn.execute("BEGIN IMMEDIATE")
            removed = _remove_rows(conn, archive, study_uid, (user, os_account), detail)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise ArchiveError(
                f"cannot delete study {study_uid} from the index: {exc}; nothing "
                "was deleted, try again"
            ) from exc
        except BaseException:
            _rollback(conn)
            raise
        left = finish_pending_removals(conn, archive.store)
    logger.info("study deleted from the local archive: %d instances", removed[0])
    return RemovedStudy(study_uid, removed[0], removed[1], left)


def _authorise(actor: Actor, check_permission: bool) -> tuple[str, bool]:
    if isinstance(actor, str):
        if not actor:
            raise AccessDeniedError("deleting a study needs a named account")
        return actor, True
    if check_permission:
        actor.require(Permission.DELETE)
    return actor.user.name, False


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _remove_rows(
    conn: sqlite3.Connection,
    archive: Archive,
    study_uid: str,
    performer: tuple[str, bool],
    detail: str,
) -> tuple[int, int]:
    """Delete the rows, queue the files and audit, inside the open transaction."""
    user, os_account = performer
    row = conn.execute(
        "SELECT s.pk, s.patient_pk, p.patient_id, p.patient_name FROM studies s "
        "JOIN patients p ON p.pk = s.patient_pk WHERE s.study_uid = ?",
        (study_uid,),
    ).fetchone()
    if row is None:
        raise StudyNotFoundError(
            f"no study with Study Instance UID {study_uid} in the local archive; "
            "`pacs-desktop studies --json` lists the archived studies"
        )
    study_pk, patient_pk, patient_id, patient_name = row
    _check_blockers(conn, study_uid, int(study_pk))

    files = conn.execute(
        "SELECT i.path, i.size FROM instances i JOIN series se ON se.pk = "
        "i.series_pk WHERE se.study_pk = ?",
        (study_pk,),
    ).fetchall()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    conn.executemany(
        "INSERT OR IGNORE INTO removal_pending (path, study_uid, queued_at) "
        "VALUES (?, ?, ?)",
        [(str(path), study_uid, now) for path, _size in files],
    )
    # Series, instances and the study's name keys go with the study (ON DELETE
    # CASCADE); a patient without studies left goes too.
    conn.execute("DELETE FROM studies WHERE pk = ?", (study_pk,))
    conn.execute(
        "DELETE FROM patients WHERE pk = ? AND NOT EXISTS "
        "(SELECT 1 FROM studies WHERE patient_pk = ?)",
        (patient_pk, patient_pk),
    )
    size = sum(int(item[1]) for item in files)
    summary = f"{len(files)} instances ({size} bytes) deleted from the local archive"
    assert archive.audit is not None
    archive.audit.record(
        events.INSTANCES_DELETED,
        user=user,
        os_account=os_account,
        patient_id=str(patient_id),
        patient_name=str(patient_name),
        study_uids=[study_uid],
        detail=f"{detail}; {summary}" if detail else summary,
    )
    return len(files), size


def _check_blockers(conn: sqlite3.Connection, study_uid: str, study_pk: int) -> None:
    if _table_exists(conn, "dictations"):
        marks = ", ".join("?" for _ in _DICTATION_IN_PROGRESS)
        recording = conn.execute(
            "SELECT count(*) FROM dictations WHERE study_instance_uid = ? "
            f"AND state IN ({marks})",
            (study_uid, *_DICTATION_IN_PROGRESS),
        ).fetchone()[0]
        if recording:
            raise RemovalBlockedError(
                f"study {study_uid} has a dictation being recorded or an "
                "interrupted recording; finish or discard it, then delete again"
            )
    if _unsent(conn, study_uid, study_pk):
        raise RemovalBlockedError(
            f"study {study_uid} (or one of its series) is queued for sending and "
            "this may be its only copy; wait until the send is done, or cancel "
            "it with `pacs-desktop queue cancel`, then delete again"
        )


def _unsent(conn: sqlite3.Connection, study_uid: str, study_pk: int) -> bool:
    """Return whether a send job not yet confirmed names the study or a series."""
    if not _table_exists(conn, "sync_jobs"):
        return False
    uids = {study_uid}
    uids.update(
        str(r[0])
        for r in conn.execute(
            "SELECT series_uid FROM series WHERE study_pk = ?", (study_pk,)
        )
    )
    marks = ", ".join("?" for _ in _UNSENT_JOB_STATES)
    # The job parameters are a JSON object with a "uids" list (study or
    # series UIDs).
    row = conn.execute(
        "SELECT count(*) FROM sync_jobs, json_each(sync_jobs.parameters, '$.uids') "
        f"AS uid WHERE kind = 'send' AND state IN ({marks}) AND uid.value IN "
        f"({', '.join('?' for _ in uids)})",
        (*_UNSENT_JOB_STATES, *sorted(uids)),
    ).fetchone()
    return bool(row[0])


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def finish_pending_removals(conn: sqlite3.Connection, store: FileStore) -> int:
    """Unlink the files of deleted studies; return how many are still left.

    A listed path that an index row or an import in progress names again (the
    study came back after its deletion) is kept. The transaction keeps new
    imports from claiming a path between that check and the unlink, because
    an import commits its ``import_pending`` row before it writes the file.
    A file that cannot be unlinked keeps its row and is counted.

    Raises
    ------
    ArchiveError
        If the database cannot be changed.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        paths = [str(r[0]) for r in conn.execute("SELECT path FROM removal_pending")]
        done, folders = _unlink_unclaimed(conn, store, paths)
        conn.executemany(
            "DELETE FROM removal_pending WHERE path = ?", [(p,) for p in done]
        )
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise ArchiveError(
            f"cannot finish removing the files of deleted studies: {exc}"
        ) from exc
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        _remove_empty_folders(store, folder)
    left = len(paths) - len(done)
    if left:
        logger.warning("%d files of deleted studies could not be removed", left)
    return left


def _unlink_unclaimed(
    conn: sqlite3.Connection, store: FileStore, paths: list[str]
) -> tuple[list[str], set[Path]]:
    done: list[str] = []
    folders: set[Path] = set()
    for relative in paths:
        claimed = conn.execute(
            "SELECT 1 FROM instances WHERE path = ? UNION ALL "
            "SELECT 1 FROM import_pending WHERE final_path = ?",
            (relative, relative),
        ).fetchone()
        if claimed is None:
            try:
                store.absolute(relative).unlink(missing_ok=True)
            except OSError as exc:
                logger.warning("cannot remove %s: %s", relative, exc)
                continue
            folders.add(store.absolute(relative).parent)
        done.append(relative)
    return done, folders


def _remove_empty_folders(store: FileStore, folder: Path) -> None:
    # The series, study and prefix folders of a deleted study, when empty.
    current = folder
    while current != store.root and store.root in current.parents:
        with contextlib.suppress(OSError):
            current.rmdir()
        if current.exists():
            return
        current = current.parent
