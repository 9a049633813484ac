"""Files referenced by a DICOMDIR (Basic Directory, PS3.3 section F.3).

A Referenced File ID (0004,1500) lists path components relative to the
DICOMDIR's folder. Media are burnt with upper-case IDs (PS3.10 section 8.2)
but are often mounted or copied with lower-case names, so each component is
matched without regard to case. An ID that would leave the DICOMDIR's folder
(``..``, an absolute path, a symbolic link pointing elsewhere) is rejected.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pydicom
from pydicom.errors import InvalidDicomError

from pacs_desktop.core.archive.records import Rejection

DICOMDIR_NAME = "DICOMDIR"


@dataclass
class DicomdirFiles:
    """The referenced files found, and the references that were rejected."""

    files: list[Path] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def is_dicomdir(path: Path) -> bool:
    """Return whether ``path`` is named DICOMDIR, in any case."""
    return path.name.upper() == DICOMDIR_NAME


def referenced_files(dicomdir: Path) -> DicomdirFiles:
    """Resolve every Referenced File ID of ``dicomdir`` to an existing file.

    Unreadable DICOMDIRs and bad references end in ``rejected``; nothing raises.
    """
    result = DicomdirFiles()
    try:
        directory = pydicom.dcmread(dicomdir, force=True)
        records = list(directory.get("DirectoryRecordSequence", []))
    except (InvalidDicomError, OSError, ValueError, EOFError) as exc:
        result.rejected.append(Rejection(dicomdir, f"unreadable DICOMDIR: {exc}"))
        return result

    base = dicomdir.parent
    resolver = _CaseInsensitiveResolver(dicomdir)
    seen: set[Path] = set()
    for record in records:
        file_id = record.get("ReferencedFileID")
        if file_id is None or file_id == "":
            continue
        components = [file_id] if isinstance(file_id, str) else list(file_id)
        shown = base / "/".join(str(c) for c in components)
        problem = _component_problem([str(c) for c in components])
        if problem:
            result.rejected.append(
                Rejection(shown, f"Referenced File ID (0004,1500) {problem}")
            )
            continue
        found, problem = resolver.resolve([str(c).strip() for c in components])
        if found is None:
            result.rejected.append(Rejection(shown, problem))
        elif found not in seen:
            seen.add(found)
            result.files.append(found)
    return result


def _component_problem(components: list[str]) -> str:
    for raw in components:
        component = raw.strip()
        if component in ("", ".", ".."):
            return f"has the component {raw!r}, which leaves or stays above its folder"
        if any(char in component for char in "/\\:\x00") or os.path.isabs(component):
            return f"has the component {raw!r}, which is not a plain file name"
    return ""


class _CaseInsensitiveResolver:
    def __init__(self, dicomdir: Path) -> None:
        self.dicomdir = dicomdir
        self.base = dicomdir.parent
        self.base_real = self.base.resolve()
        self._listings: dict[Path, dict[str, str]] = {}

    def resolve(self, components: list[str]) -> tuple[Path | None, str]:
        current = self.base
        for component in components:
            name = self._match(current, component)
            if name is None:
                return None, f"referenced by {self.dicomdir} but not found"
            current = current / name
        if not current.is_file():
            return None, "referenced by the DICOMDIR but is not a regular file"
        if not current.resolve().is_relative_to(self.base_real):
            return None, (
                "referenced by the DICOMDIR but a symbolic link leads outside the "
                "DICOMDIR's folder"
            )
        return current, ""

    def _match(self, folder: Path, component: str) -> str | None:
        if (folder / component).exists():
            return component
        listing = self._listings.get(folder)
        if listing is None:
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            listing = {name.casefold(): name for name in names}
            self._listings[folder] = listing
        return listing.get(component.casefold())
