"""The archive's change counter moves with every committed change to a study."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.security.audit import AuditTrail


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store", audit=AuditTrail(database))
    yield archive
    archive.close()
    database.close()


def _ct_small() -> Path:
    return Path(str(get_testdata_file("CT_small.dcm")))


def test_new_archive_counts_zero(archive: Archive) -> None:
    assert archive.change_count() == 0


def test_import_moves_counter(archive: Archive) -> None:
    summary = archive.import_paths([_ct_small()])

    assert summary.imported
    assert archive.change_count() > 0


def test_duplicate_keeps_counter(archive: Archive) -> None:
    archive.import_paths([_ct_small()])
    before = archive.change_count()

    summary = archive.import_paths([_ct_small()])

    assert summary.duplicates
    assert archive.change_count() == before


def test_delete_moves_counter(archive: Archive) -> None:
    summary = archive.import_paths([_ct_small()])
    before = archive.change_count()

    archive.delete_study(next(iter(summary.studies)), actor="root")

    assert archive.change_count() > before


def test_other_connection_sees_change(archive: Archive, tmp_path: Path) -> None:
    # A second Database object opens its own connection to the same file, as
    # a command-line import in another process does.
    other_database = Database(tmp_path / "archive.sqlite")
    other = Archive(other_database, tmp_path / "store")
    try:
        before = archive.change_count()
        other.import_paths([_ct_small()])
        assert archive.change_count() > before
    finally:
        other.close()
        other_database.close()
