"""Local study search by patient birth date (a DICOM date or range)."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyQuery


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    source = Path(str(get_testdata_file("CT_small.dcm")))
    ds = pydicom.dcmread(source)
    ds.PatientBirthDate = "19700315"
    path = tmp_path / "ct.dcm"
    ds.save_as(path)
    archive = Archive(Database(tmp_path / "archive.sqlite"), tmp_path / "store")
    archive.import_paths([path])
    return archive


@pytest.mark.parametrize(
    ("birth_date", "expected"),
    [
        ("19700315", 1),
        ("19700316", 0),
        ("19700101-19701231", 1),
        ("19710101-", 0),
        ("-19700315", 1),
        ("", 1),
    ],
)
def test_birth_date_filter(archive: Archive, birth_date: str, expected: int) -> None:
    found = archive.find_studies(StudyQuery(patient_birth_date=birth_date))

    assert len(found) == expected


def test_birth_date_with_name_filter(archive: Archive) -> None:
    name = str(archive.find_studies(StudyQuery())[0].PatientName)

    assert archive.find_studies(StudyQuery(name, patient_birth_date="19700315"))
    assert not archive.find_studies(StudyQuery(name, patient_birth_date="19990101"))
