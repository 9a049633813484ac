"""The file store: where each instance lives on disk and how it gets there.

A stored path is derived from SHA-256 hashes of the Study, Series and SOP
Instance UIDs, never from text in the file, so no value can steer a write
outside the store. Files are written to a temporary name in their final
folder, fsynced, linked to the final name and the folder fsynced, so a crash
leaves either a complete file or a temporary one that the next start removes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pacs_desktop.core.errors import ArchiveError

SUFFIX = ".dcm"
# Stored instances are patient data: only the workstation's own account may
# read them, whatever the umask.
FILE_MODE = 0o600
FOLDER_MODE = 0o700
TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class StoredFile:
    """A file written to the store: path relative to it, size and SHA-256."""

    relative_path: str
    size: int
    sha256: str


class StoreConflictError(ArchiveError, FileExistsError):
    """The final name already holds a file (a concurrent or interrupted import)."""


def _uid_hash(uid: str) -> str:
    return hashlib.sha256(uid.encode("ascii")).hexdigest()


def relative_path(study_uid: str, series_uid: str, sop_uid: str) -> str:
    """Return the store path of an instance, relative to the store folder.

    The layout is ``ab/<study>/<series>/<instance>.dcm`` where each part is a
    hash of its UID and ``ab`` the first two hex digits of the study hash, so
    no folder holds more than a fraction of the studies.
    """
    study = _uid_hash(study_uid)[:32]
    series = _uid_hash(f"{study_uid}\\{series_uid}")[:32]
    instance = _uid_hash(f"{study_uid}\\{series_uid}\\{sop_uid}")
    return f"{study[:2]}/{study}/{series}/{instance}{SUFFIX}"


def temporary_path(relative: str, token: str) -> str:
    """Return the temporary name in the same folder used while writing."""
    folder, _, name = relative.rpartition("/")
    return f"{folder}/.{name}.{token}{TEMP_SUFFIX}"


class FileStore:
    """The folder holding the stored instances."""

    def __init__(self, root: Path) -> None:
        self.root = root
        if not self.root.is_dir():
            self.root.parent.mkdir(parents=True, exist_ok=True)
            self.root.mkdir(mode=FOLDER_MODE, exist_ok=True)

    def absolute(self, relative: str) -> Path:
        """Return the absolute path of a store-relative path."""
        return self.root / relative

    def write(
        self,
        relative: str,
        temporary: str,
        chunks: Iterable[bytes],
        *,
        sync_folder: bool = True,
    ) -> StoredFile:
        """Write ``chunks`` atomically to ``relative`` through ``temporary``.

        The file is fsynced before it is linked to its final name. With
        ``sync_folder`` false the caller must fsync the folder (see
        `sync_folder`) before it indexes the file, or a power cut could lose
        the new name of an indexed file.

        Raises
        ------
        StoreConflictError
            If ``relative`` already exists; nothing was changed.
        ArchiveError
            If the disk write fails (disk full, permissions); the temporary
            file is removed.
        """
        final = self.absolute(relative)
        temp = self.absolute(temporary)
        self._make_folder(final.parent)
        digest = hashlib.sha256()
        size = 0
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            with os.fdopen(os.open(temp, flags, FILE_MODE), "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            self._link(temp, final)
        except OSError as exc:
            self.discard(temporary)
            if isinstance(exc, StoreConflictError):
                raise
            raise ArchiveError(
                f"cannot write {final}: {exc.strerror or exc}; check free space "
                "and permissions of the data directory"
            ) from exc
        self.discard(temporary)
        if sync_folder:
            _fsync_folder(final.parent)
        return StoredFile(relative, size, digest.hexdigest())

    def sync_folder(self, folder: Path) -> None:
        """Fsync ``folder``, making the names linked into it durable.

        Raises
        ------
        ArchiveError
            If the folder cannot be synced.
        """
        try:
            _fsync_folder(folder)
        except OSError as exc:
            raise ArchiveError(
                f"cannot sync folder {folder}: {exc.strerror or exc}; check "
                "the disk of the data directory"
            ) from exc

    def discard(self, relative: str) -> None:
        """Remove a file of the store if it exists."""
        with contextlib.suppress(FileNotFoundError):
            self.absolute(relative).unlink()

    def _link(self, temp: Path, final: Path) -> None:
        # A hard link fails when the final name exists, where a rename would
        # silently replace a file another writer just stored.
        try:
            os.link(temp, final)
        except FileExistsError as exc:
            raise StoreConflictError(f"{final} already exists") from exc
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
                raise
            if final.exists():
                raise StoreConflictError(f"{final} already exists") from exc
            os.replace(temp, final)

    def _make_folder(self, folder: Path) -> None:
        missing = []
        current = folder
        while not current.exists() and current != self.root:
            missing.append(current)
            current = current.parent
        for created in reversed(missing):
            with contextlib.suppress(FileExistsError):
                created.mkdir(mode=FOLDER_MODE)
            # The new entry is durable only once its parent folder is synced.
            _fsync_folder(created.parent)

    def stored_files(self) -> Iterable[Path]:
        """Yield every stored instance file (temporary files excluded)."""
        for folder, subfolders, files in os.walk(self.root):
            subfolders.sort()
            for name in sorted(files):
                if name.endswith(SUFFIX) and not name.startswith("."):
                    yield Path(folder) / name

    def temporary_files(self) -> Iterable[Path]:
        """Yield every temporary file left in the store."""
        for folder, _subfolders, files in os.walk(self.root):
            for name in files:
                if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                    yield Path(folder) / name


def _fsync_folder(folder: Path) -> None:
    # Folders cannot be opened for fsync on Windows; NTFS journals the rename.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
