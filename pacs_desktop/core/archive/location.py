"""Where the archive's files live: the ``archive.location`` setting, and moving.

Index rows store paths relative to the store folder, so the folder can move
as a whole. The database records the ``archive.location`` value whose folder
contains the indexed files (table ``store_root``); with the default empty value
the whole data directory can still move. At start the configured folder
applies when the index is empty. When the index holds instances, the recorded
folder wins, so a changed setting never leaves indexed files behind in a
folder that is no longer read.

`move_archive` changes the folder of a non-empty archive: it copies every
indexed file, checks each copy's SHA-256, then switches the recorded folder
in one transaction and the setting after it, and only then removes the old
files. A crash before the switch leaves the old folder in use (a new run
reuses the verified copies); a crash after it leaves the new folder in use
with old files that nothing reads.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pacs_desktop.core.archive.database import DATABASE_NAME, Database
from pacs_desktop.core.archive.store import FileStore, temporary_path
from pacs_desktop.core.errors import ArchiveError
from pacs_desktop.core.settings import SettingValue

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive

logger = logging.getLogger(__name__)

LOCATION_KEY = "archive.location"
DEFAULT_FOLDER = "store"
COMPONENT = "archive_location"
_STEPS = (
    """
    CREATE TABLE store_root (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        root TEXT NOT NULL
    );
    """,
)
_CHUNK = 1 << 20


class LocationError(ArchiveError):
    """The archive's folder cannot be changed or moved as requested."""


class SettingsWriter(Protocol):
    """Write access to settings: `Settings` or `EffectiveSettings`."""

    def set(self, key: str, value: SettingValue) -> SettingValue: ...


@dataclass
class MoveReport:
    """The outcome of `move_archive`."""

    source: Path
    destination: Path
    copied: int = 0
    size: int = 0
    missing: list[str] = field(default_factory=list)
    """Indexed files absent from the old folder (already damaged)."""
    left_behind: int = 0
    """Old files that could not be removed after the switch."""


def configured_root(data_dir: Path, location: str) -> Path:
    """Return the store folder that ``archive.location`` names.

    An empty value means ``store`` in the data directory; a relative path is
    relative to the data directory.
    """
    if not location.strip():
        return data_dir / DEFAULT_FOLDER
    folder = Path(location.strip()).expanduser()
    return folder if folder.is_absolute() else data_dir / folder


def resolve_store_root(database: Database, data_dir: Path, location: str) -> Path:
    """Return the folder to open the archive on, and record it.

    ``location`` is the value of ``archive.location``.

    Raises
    ------
    ArchiveError
        If the database cannot be read or written.
    """
    database.migrate(COMPONENT, _STEPS)
    conn = database.connection()
    configured = configured_root(data_dir, location)
    try:
        recorded = _recorded_location(conn)
        if recorded is None or recorded == location.strip():
            _record_location(conn, location.strip())
            return configured
        if not _has_instances(conn):
            _record_location(conn, location.strip())
            return configured
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read the archive's store folder: {exc}") from exc
    in_use = configured_root(data_dir, recorded)
    logger.error(
        "archive.location names %s but the indexed files are in %s; the archive "
        "stays there until 'pacs-desktop archive move' moves it",
        configured,
        in_use,
    )
    return in_use


def check_location_change(data_dir: Path, new_location: str) -> None:
    """Raise when setting ``archive.location`` would leave indexed files behind.

    Raises
    ------
    LocationError
        If the archive has instances in another folder than the new one.
    ArchiveError
        If the database cannot be read.
    """
    target = configured_root(data_dir, new_location)
    path = data_dir / DATABASE_NAME
    if not path.exists():
        return
    database = Database(path)
    try:
        database.migrate(COMPONENT, _STEPS)
        conn = database.connection()
        recorded = _recorded_location(conn)
        in_use = recorded is not None and _has_instances(conn)
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot read the archive's store folder: {exc}") from exc
    finally:
        database.close()
    if recorded is None or not in_use:
        return
    current = configured_root(data_dir, recorded)
    if current.resolve() != target.resolve():
        raise LocationError(
            f"the local archive has its files in {current}; setting "
            f"{LOCATION_KEY} directly would leave them behind. Move them with "
            f"`pacs-desktop archive move {target}`"
        )


def _recorded_location(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT root FROM store_root WHERE id = 1").fetchone()
    return str(row[0]) if row is not None else None


def _record_location(conn: sqlite3.Connection, location: str) -> None:
    with conn:
        conn.execute(
            "INSERT INTO store_root (id, root) VALUES (1, ?) "
            "ON CONFLICT(id) DO UPDATE SET root = excluded.root",
            (location,),
        )


def _has_instances(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM instances LIMIT 1").fetchone() is not None


def move_archive(
    archive: Archive,
    settings: SettingsWriter,
    destination: Path,
    progress: Callable[[int, int], None] | None = None,
) -> MoveReport:
    """Move every stored file of ``archive`` to ``destination`` and switch to it.

    NOTE: a GUI on the same data directory may import files after the move
    listed them, and those files stay behind. Close the GUI before a move.

    Raises
    ------
    LocationError
        If ``destination`` is the current folder, inside it (or the other way
        round), or contains other files than a store's.
    ArchiveError
        If a file cannot be copied or its copy differs (the old folder stays
        in use), or the database cannot be changed.
    """
    source = archive.store_dir.resolve()
    target = destination.expanduser().resolve()
    _check_destination(source, target)
    report = MoveReport(source, target)
    conn = archive.database.connection()
    with archive.write_lock:
        # Files of deleted studies go first, so none is left in the old folder.
        archive.recover()
        rows = conn.execute("SELECT path, size FROM instances").fetchall()
        store = FileStore(target)
        for done, (relative, size) in enumerate(rows):
            if progress is not None:
                progress(done, len(rows))
            if _copy_verified(source / str(relative), store, str(relative)):
                report.copied += 1
                report.size += int(size)
            else:
                report.missing.append(str(relative))
        # The switch: from this commit on, the new folder is the archive's.
        try:
            _record_location(conn, str(target))
        except sqlite3.Error as exc:
            raise ArchiveError(
                f"cannot switch the archive to {target}: {exc}; the archive stays "
                f"in {source}"
            ) from exc
        settings.set(LOCATION_KEY, str(target))
        archive.relocate(target)
        report.left_behind = _remove_old(source, [str(r[0]) for r in rows])
    logger.info("archive moved: %d files, %d bytes", report.copied, report.size)
    return report


def _check_destination(source: Path, target: Path) -> None:
    if target == source:
        raise LocationError(f"the local archive is already in {target}")
    if source in target.parents or target in source.parents:
        raise LocationError(
            f"cannot move the archive from {source} to {target}: one folder "
            "contains the other; choose a separate folder"
        )
    if target.exists() and not target.is_dir():
        raise LocationError(f"{target} exists and is not a folder")
    if target.is_dir():
        strangers = [
            entry.name
            for entry in target.iterdir()
            if not (len(entry.name) == 2 and entry.is_dir() and _is_hex(entry.name))
        ]
        if strangers:
            raise LocationError(
                f"{target} contains other files ({strangers[0]} ...); choose an "
                "empty folder"
            )


def _is_hex(text: str) -> bool:
    return all(char in "0123456789abcdef" for char in text)


def _copy_verified(source: Path, store: FileStore, relative: str) -> bool:
    """Copy one file and check the copy; False when the source is missing.

    The copy is compared with the SHA-256 of the bytes read from the source,
    so a damaged file moves as it is and keeps its re-fetch mark.
    """
    final = store.absolute(relative)
    try:
        expected = _sha256(source)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise ArchiveError(
            f"cannot read {source}: {exc.strerror or exc}; nothing was moved"
        ) from exc
    with contextlib.suppress(FileNotFoundError):
        if _sha256(final) == expected:
            return True
        # A copy an interrupted move left half written.
        final.unlink()
    temporary = temporary_path(relative, f"move{os.getpid()}")
    try:
        with open(source, "rb") as stream:
            stored = store.write(
                relative, temporary, iter(lambda: stream.read(_CHUNK), b"")
            )
    except OSError as exc:
        raise ArchiveError(
            f"cannot copy {source} to {final}: {exc}; the archive stays in "
            f"{source.parent}, free space and run the move again"
        ) from exc
    if stored.sha256 != expected:
        raise ArchiveError(
            f"the copy {final} differs from {source} (SHA-256); the archive stays "
            "in its folder, check the destination disk and run the move again"
        )
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _remove_old(source: Path, relatives: list[str]) -> int:
    left = 0
    for relative in relatives:
        try:
            (source / relative).unlink(missing_ok=True)
        except OSError as exc:
            logger.warning("cannot remove the old copy %s: %s", relative, exc)
            left += 1
    for folder, _subfolders, _files in sorted(
        os.walk(source), key=lambda item: len(item[0]), reverse=True
    ):
        with contextlib.suppress(OSError):
            Path(folder).rmdir()
    return left


__all__ = [
    "DEFAULT_FOLDER",
    "LOCATION_KEY",
    "LocationError",
    "MoveReport",
    "check_location_change",
    "configured_root",
    "move_archive",
    "resolve_store_root",
]
