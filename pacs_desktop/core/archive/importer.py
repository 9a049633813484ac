"""The list of files an import handles: folders walked, DICOMDIRs resolved."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pacs_desktop.core.archive.dicomdir import is_dicomdir, referenced_files
from pacs_desktop.core.archive.records import Rejection, Skip
from pacs_desktop.core.dicom import reading

# A file without the DICM prefix at byte 128 and without a data element at
# byte 0 is not DICOM (PS3.10 7.1, and the headerless files PS3.10 allows).
_HEAD_LENGTH = reading.PREAMBLE_LENGTH + len(reading.DICM_PREFIX)
NOT_DICOM_REASON = (
    "not DICOM: no 'DICM' prefix at byte 128 and no DICOM data element at the "
    "start of the file"
)


@dataclass
class ImportPlan:
    """The files to import, in order, and the paths rejected before reading."""

    files: list[Path] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    _seen: set[Path] = field(default_factory=set, repr=False)

    def add(self, path: Path) -> None:
        """Add ``path`` unless it is already planned."""
        key = Path(os.path.abspath(path))
        if key not in self._seen:
            self._seen.add(key)
            self.files.append(path)

    def add_dicomdir(self, dicomdir: Path) -> None:
        """Add the files a DICOMDIR references; the DICOMDIR itself is no instance."""
        found = referenced_files(dicomdir)
        for path in found.files:
            self.add(path)
        self.rejected.extend(found.rejected)


def plan_import(paths: Sequence[Path]) -> ImportPlan:
    """List the files behind ``paths``: files, folders (recursively), DICOMDIRs.

    A folder is walked in name order without following symbolic links to other
    folders. A DICOMDIR, given directly or met in a folder, adds the files it
    references. A folder that cannot be listed, a dangling symbolic link and
    anything that is not a regular file (a FIFO, a socket, a device) end in
    ``rejected`` with the reason; none of them is opened, since opening a FIFO
    blocks until another process writes to it. A regular file met in a folder
    that is not DICOM at all (a LICENSE or README beside the images) ends in
    the plan's rejections as a `Skip`, which `ImportSummary` lists as skipped.
    A file named directly is imported or rejected, never skipped.
    """
    plan = ImportPlan()
    for path in paths:
        if path.is_dir():
            _walk(plan, path)
        else:
            _add_file(plan, path)
    return plan


def _add_file(plan: ImportPlan, path: Path, *, in_folder: bool = False) -> None:
    if path.is_file():
        if is_dicomdir(path):
            plan.add_dicomdir(path)
        elif in_folder and not _may_be_dicom(path):
            plan.rejected.append(Skip(path, NOT_DICOM_REASON))
        else:
            plan.add(path)
    elif path.is_symlink() and not path.exists():
        plan.rejected.append(
            Rejection(path, "dangling symbolic link: its target does not exist")
        )
    elif path.exists():
        plan.rejected.append(Rejection(path, f"not a regular file ({_kind(path)})"))
    else:
        plan.rejected.append(Rejection(path, "not found"))


def _kind(path: Path) -> str:
    mode = path.stat().st_mode
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file or folder"


def _walk(plan: ImportPlan, folder: Path) -> None:
    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        reason = error.strerror or str(error)
        plan.rejected.append(
            Rejection(
                where, f"folder cannot be read: {reason}; its files were not imported"
            )
        )

    for current, subfolders, files in os.walk(folder, onerror=unreadable):
        subfolders.sort()
        for name in sorted(files):
            _add_file(plan, Path(current) / name, in_folder=True)


def _may_be_dicom(path: Path) -> bool:
    """Return False only when the head of ``path`` shows it is not DICOM."""
    try:
        with open(path, "rb") as fp:
            head = fp.read(_HEAD_LENGTH)
    except OSError:
        # The import reads the file again and rejects it with the reason.
        return True
    return reading.looks_like_dicom(head)
