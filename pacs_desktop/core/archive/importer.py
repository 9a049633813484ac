"""The list of files an import handles: folders walked, DICOMDIRs resolved."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pacs_desktop.core.archive.dicomdir import is_dicomdir, referenced_files
from pacs_desktop.core.archive.records import Rejection


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
    references.
    """
    plan = ImportPlan()
    for path in paths:
        if path.is_dir():
            _walk(plan, path)
        elif path.is_file():
            if is_dicomdir(path):
                plan.add_dicomdir(path)
            else:
                plan.add(path)
        elif path.exists():
            plan.rejected.append(Rejection(path, "not a regular file or folder"))
        else:
            plan.rejected.append(Rejection(path, "not found"))
    return plan


def _walk(plan: ImportPlan, folder: Path) -> None:
    for current, subfolders, files in os.walk(folder):
        subfolders.sort()
        for name in sorted(files):
            path = Path(current) / name
            if is_dicomdir(path):
                plan.add_dicomdir(path)
            elif path.is_file():
                plan.add(path)
