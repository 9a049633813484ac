"""Eviction asks a real PACS (Orthanc) whether it holds a study in full."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.eviction import PacsHoldingCheck, evict
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.security.audit import AuditTrail
from tests.net.conftest import OrthancServer, free_port


def _write_study(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    paths = []
    for number in range(count):
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        path = folder / f"{number}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store", audit=AuditTrail(database))
    yield archive
    archive.close()
    database.close()


def test_full_copy_on_pacs_is_evicted(
    orthanc: OrthancServer, local_entity: LocalEntity, archive: Archive, tmp_path: Path
) -> None:
    paths = _write_study(tmp_path / "study", 3)
    (study_uid,) = archive.import_paths(paths).studies
    for path in paths:
        orthanc.upload(path)
    check = PacsHoldingCheck([orthanc.node], local_entity)

    report = evict(archive, limit=1, order="oldest-study", check=check)

    assert [d.study_uid for d in report.evicted] == [study_uid]
    assert archive.study(study_uid) is None


def test_partial_copy_on_pacs_is_kept(
    orthanc: OrthancServer, local_entity: LocalEntity, archive: Archive, tmp_path: Path
) -> None:
    paths = _write_study(tmp_path / "study", 3)
    (study_uid,) = archive.import_paths(paths).studies
    for path in paths[:2]:
        orthanc.upload(path)
    check = PacsHoldingCheck([orthanc.node], local_entity)

    report = evict(archive, limit=1, order="oldest-study", check=check)

    assert archive.study(study_uid) is not None
    assert "lacks 1 of its instances" in report.kept[0].reason


def test_unreachable_pacs_keeps_study(
    orthanc: OrthancServer, local_entity: LocalEntity, archive: Archive, tmp_path: Path
) -> None:
    paths = _write_study(tmp_path / "study", 2)
    (study_uid,) = archive.import_paths(paths).studies
    for path in paths:
        orthanc.upload(path)
    closed = Node("closed", orthanc.node.ae_title, "127.0.0.1", free_port())
    check = PacsHoldingCheck([closed], local_entity)

    report = evict(archive, limit=1, order="oldest-study", check=check)

    assert archive.study(study_uid) is not None
    assert report.kept[0].reason.startswith("no PACS node confirmed a full copy")
