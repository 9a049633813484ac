"""Fixtures of the archive tests: a fresh archive and generated DICOM files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive


def pydicom_file(name: str) -> Path:
    """Return the path of one of pydicom's test files."""
    found = get_testdata_file(name)
    assert found is not None, f"pydicom test file {name} is missing"
    return Path(str(found))


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """An empty archive on disk under the test's temporary folder."""
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    yield archive
    archive.close()
    database.close()


class CopyWriter(Protocol):
    def __call__(
        self, folder: Path, count: int, *, study_uid: str | None = None, **values: str
    ) -> list[Path]: ...


@pytest.fixture
def write_copies() -> CopyWriter:
    """Return the function that writes copies of CT_small.dcm."""
    return _write_copies


def _write_copies(
    folder: Path, count: int, *, study_uid: str | None = None, **values: str
) -> list[Path]:
    """Write ``count`` copies of CT_small.dcm with new SOP Instance UIDs.

    ``values`` set further attributes (PatientName, StudyDate ...) on every copy.
    """
    folder.mkdir(parents=True, exist_ok=True)
    source = pydicom.dcmread(pydicom_file("CT_small.dcm"))
    source.StudyInstanceUID = study_uid or generate_uid()
    source.SeriesInstanceUID = generate_uid()
    for keyword, value in values.items():
        setattr(source, keyword, value)
    paths = []
    for number in range(count):
        source.SOPInstanceUID = generate_uid()
        source.file_meta.MediaStorageSOPInstanceUID = source.SOPInstanceUID
        source.InstanceNumber = number + 1
        path = folder / f"ct{number:04d}.dcm"
        source.save_as(path)
        paths.append(path)
    return paths
