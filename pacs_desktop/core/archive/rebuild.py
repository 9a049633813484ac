"""Rebuilding the archive index from the stored files alone."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pacs_desktop.core.archive.incoming import read_incoming
from pacs_desktop.core.archive.indexing import (
    IndexConflictError,
    clear_index,
    insert_instance,
)
from pacs_desktop.core.archive.records import ImportProgress, ImportSummary, Rejection
from pacs_desktop.core.archive.store import FileStore, StoredFile, relative_path
from pacs_desktop.core.errors import ArchiveError, DicomReadError


def file_sha256(fp: BinaryIO) -> str:
    """Return the SHA-256 of the whole open file."""
    digest = hashlib.sha256()
    fp.seek(0)
    for chunk in iter(lambda: fp.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def rebuild_index(
    conn: sqlite3.Connection,
    store: FileStore,
    progress: Callable[[ImportProgress], None] | None = None,
) -> ImportSummary:
    """Replace the index rows by rows read from every stored file, in one transaction.

    Leftover temporary files are removed first.

    Raises
    ------
    ArchiveError
        If the database fails; the transaction is rolled back.
    """
    for temporary in store.temporary_files():
        temporary.unlink(missing_ok=True)
    files = list(store.stored_files())
    summary = ImportSummary()
    try:
        conn.execute("BEGIN IMMEDIATE")
        clear_index(conn)
        for done, path in enumerate(files):
            if progress is not None:
                progress(ImportProgress(done, len(files), path))
            _index_file(conn, store, path, summary)
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise ArchiveError(f"rebuilding the index failed: {exc}") from exc
    if progress is not None:
        progress(ImportProgress(len(files), len(files), Path()))
    return summary


def _index_file(
    conn: sqlite3.Connection, store: FileStore, path: Path, summary: ImportSummary
) -> None:
    relative = path.relative_to(store.root).as_posix()
    try:
        with open(path, "rb") as fp:
            incoming = read_incoming(fp, path)
            stored = StoredFile(relative, fp.seek(0, io.SEEK_END), file_sha256(fp))
    except (OSError, DicomReadError) as exc:
        summary.rejected.append(Rejection(path, str(getattr(exc, "reason", exc))))
        return

    attributes = incoming.attributes
    expected = relative_path(
        attributes.StudyInstanceUID,
        attributes.SeriesInstanceUID,
        attributes.SOPInstanceUID,
    )
    if expected != relative:
        summary.rejected.append(
            Rejection(path, f"its UIDs belong at {expected}; the file was moved")
        )
        return
    try:
        insert_instance(conn, incoming, stored)
    except IndexConflictError as exc:
        # The file stays in the store, unindexed, as other rejected files do.
        summary.rejected.append(Rejection(path, exc.reason))
        return
    summary.imported.append(path)
    summary.studies.add(attributes.StudyInstanceUID)
