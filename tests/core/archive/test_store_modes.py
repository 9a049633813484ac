"""Stored instances and their folders are private to the workstation's account."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive


@pytest.fixture
def open_umask() -> Iterator[None]:
    # The modes must hold under the common umask that lets others read.
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_stored_file_and_folders_private(tmp_path: Path, open_umask: None) -> None:
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    try:
        summary = archive.import_paths([Path(str(get_testdata_file("CT_small.dcm")))])
        uid = next(iter(summary.studies))
        stored = archive.instances_for_series(
            archive.series_for_study(uid)[0].SeriesInstanceUID
        )[0].path
    finally:
        archive.close()
        database.close()

    folders = [p for p in stored.parents if p.is_relative_to(tmp_path / "store")]
    assert _mode(stored) == 0o600
    assert {_mode(folder) for folder in folders} == {0o700}
