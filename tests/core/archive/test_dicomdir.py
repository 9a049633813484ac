"""Import of DICOMDIR media, with case-insensitive file IDs and escape checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pydicom
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.index import Archive


def tiny_alpha(tmp_path: Path) -> Path:
    dicomdir = get_testdata_file("DICOMDIR", download=False)
    assert dicomdir is not None
    source = Path(str(dicomdir)).parent / "TINY_ALPHA"
    target = tmp_path / "TINY_ALPHA"
    shutil.copytree(source, target)
    return target


def lower_case_below(folder: Path) -> None:
    for current, subfolders, files in os.walk(folder, topdown=False):
        for name in [*files, *subfolders]:
            if name != "DICOMDIR":
                Path(current, name).rename(Path(current, name.lower()))


def test_lower_cased_media_all_found(archive: Archive, tmp_path: Path) -> None:
    media = tiny_alpha(tmp_path)
    lower_case_below(media)

    summary = archive.import_paths([media / "DICOMDIR"])

    assert summary.rejected == []
    assert len(summary.imported) == 50


def test_folder_with_dicomdir_imports_once(archive: Archive, tmp_path: Path) -> None:
    summary = archive.import_paths([tiny_alpha(tmp_path)])
    assert len(summary.imported) == 50
    assert summary.duplicates == []


def _rewrite_first_reference(media: Path, components: list[str]) -> None:
    ds = pydicom.dcmread(media / "DICOMDIR")
    for record in ds.DirectoryRecordSequence:
        if "ReferencedFileID" in record:
            record.ReferencedFileID = components
            break
    ds.save_as(media / "DICOMDIR")


def test_parent_reference_rejected(archive: Archive, tmp_path: Path) -> None:
    media = tiny_alpha(tmp_path)
    _rewrite_first_reference(media, ["..", "OUTSIDE"])

    summary = archive.import_paths([media / "DICOMDIR"])

    assert len(summary.imported) == 49
    assert "'..'" in summary.rejected[0].reason


def test_symlink_escape_rejected(archive: Archive, tmp_path: Path) -> None:
    media = tiny_alpha(tmp_path)
    outside = tmp_path / "outside.dcm"
    shutil.copy(media / "PT000000" / "ST000000" / "SE000000" / "IM000000", outside)
    (media / "LINK").symlink_to(outside)
    _rewrite_first_reference(media, ["LINK"])

    summary = archive.import_paths([media / "DICOMDIR"])

    assert "symbolic link" in summary.rejected[0].reason
    assert len(summary.imported) == 49


def test_missing_reference_rejected(archive: Archive, tmp_path: Path) -> None:
    media = tiny_alpha(tmp_path)
    (media / "PT000000" / "ST000000" / "SE000000" / "IM000000").unlink()
    summary = archive.import_paths([media / "DICOMDIR"])
    assert "not found" in summary.rejected[0].reason
