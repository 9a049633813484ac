"""Import of DICOMDIR media, with case-insensitive file IDs and escape checks."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pydicom
import pytest
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


FIRST_IMAGE = ["PT000000", "ST000000", "SE000000", "IM000000"]


@pytest.mark.parametrize(
    ("components", "reason"),
    [
        (["/etc/passwd"], "'/etc/passwd', which is not a plain file name"),
        (["/", "etc", "passwd"], "'/', which is not a plain file name"),
        (["C:", "WINDOWS", "WIN.INI"], "'C:', which is not a plain file name"),
        (["", "", "SERVER", "SHARE"], "'', which leaves or stays above its folder"),
        (["PT000000", "..", "..", "OUTSIDE"], "'..', which leaves or stays above"),
        ([".", "PT000000"], "'.', which leaves or stays above its folder"),
        (["PT000000/ST000000"], "'PT000000/ST000000', which is not a plain file"),
        (["IM\x00000"], "which is not a plain file name"),
    ],
    ids=[
        "posix-absolute",
        "root-component",
        "windows-drive",
        "unc-share",
        "parent-in-middle",
        "current-folder",
        "forward-slash",
        "nul-byte",
    ],
)
def test_escaping_reference_rejected(
    archive: Archive, tmp_path: Path, components: list[str], reason: str
) -> None:
    media = tiny_alpha(tmp_path)
    _rewrite_first_reference(media, components)

    summary = archive.import_paths([media / "DICOMDIR"])

    assert len(summary.imported) == 49
    assert len(summary.rejected) == 1
    assert reason in summary.rejected[0].reason


def test_backslash_separated_id_matched(archive: Archive, tmp_path: Path) -> None:
    # PS3.10 section 8.5: the components of a File ID are the values of one
    # CS element, separated by backslashes, as written on Windows media.
    media = tiny_alpha(tmp_path)
    _rewrite_first_reference(media, ["\\".join(FIRST_IMAGE)])

    summary = archive.import_paths([media / "DICOMDIR"])

    assert summary.rejected == []
    assert len(summary.imported) == 50


def test_backslash_parent_id_rejected(archive: Archive, tmp_path: Path) -> None:
    media = tiny_alpha(tmp_path)
    _rewrite_first_reference(media, ["..\\..\\etc\\passwd"])

    summary = archive.import_paths([media / "DICOMDIR"])

    assert "'..'" in summary.rejected[0].reason


def test_mixed_case_id_matched(archive: Archive, tmp_path: Path) -> None:
    media = tiny_alpha(tmp_path)
    _rewrite_first_reference(media, ["pt000000", "St000000", "se000000", "Im000000"])

    summary = archive.import_paths([media / "DICOMDIR"])

    assert summary.rejected == []
    assert len(summary.imported) == 50


def test_folder_symlink_escape_rejected(archive: Archive, tmp_path: Path) -> None:
    media = tiny_alpha(tmp_path)
    outside = tmp_path / "outside"
    shutil.copytree(media / "PT000000" / "ST000000" / "SE000000", outside)
    (media / "ESCAPE").symlink_to(outside, target_is_directory=True)
    _rewrite_first_reference(media, ["ESCAPE", "IM000000"])

    summary = archive.import_paths([media / "DICOMDIR"])

    assert "symbolic link leads outside" in summary.rejected[0].reason


def test_symlink_inside_media_matched(archive: Archive, tmp_path: Path) -> None:
    media = tiny_alpha(tmp_path)
    (media / "ALIAS").symlink_to(media / "PT000000" / "ST000000" / "SE000000")
    _rewrite_first_reference(media, ["ALIAS", "IM000000"])

    summary = archive.import_paths([media / "DICOMDIR"])

    assert summary.rejected == []
    assert len(summary.imported) == 50
