"""A counter of changes to the archive's studies, kept by SQLite triggers.

Each insert, update or delete of a ``studies`` row adds one to the counter in
the same transaction, whichever process or connection made the change. Imports,
instances received from a peer, deleted or evicted studies and a rebuild all
change study rows. Every change a study list or a series list shows touches that row,
because the study row carries the series and instance counts and the
modalities. A study list queries again only when the counter differs from
the value it read before its last query. Reading the counter is one row lookup.
"""

from __future__ import annotations

import sqlite3

from pacs_desktop.core.errors import ArchiveError

COMPONENT = "archive_changes"

STEPS = (
    """
    CREATE TABLE archive_changes (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        change_count INTEGER NOT NULL
    );
    INSERT INTO archive_changes (id, change_count) VALUES (1, 0);
    CREATE TRIGGER archive_changes_study_inserted AFTER INSERT ON studies
    BEGIN
        UPDATE archive_changes SET change_count = change_count + 1 WHERE id = 1;
    END;
    CREATE TRIGGER archive_changes_study_updated AFTER UPDATE ON studies
    BEGIN
        UPDATE archive_changes SET change_count = change_count + 1 WHERE id = 1;
    END;
    CREATE TRIGGER archive_changes_study_deleted AFTER DELETE ON studies
    BEGIN
        UPDATE archive_changes SET change_count = change_count + 1 WHERE id = 1;
    END;
    """,
)


def change_count(conn: sqlite3.Connection) -> int:
    """Return the number of study changes committed so far.

    Raises
    ------
    ArchiveError
        If the database cannot be read.
    """
    try:
        row = conn.execute(
            "SELECT change_count FROM archive_changes WHERE id = 1"
        ).fetchone()
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read the archive change counter: {exc}") from exc
    return int(row[0]) if row else 0
