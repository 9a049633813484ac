"""Person names for display, decoded with their Specific Character Set."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.multival import MultiValue
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from pydicom.valuerep import PersonName

from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.dicom.text import display_person_name, full_person_name


def gb18030_file(tmp_path: Path) -> Path:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.SOPInstanceUID = generate_uid()
    ds.SpecificCharacterSet = "GB18030"
    ds.PatientName = "=赵^桂香"
    path = tmp_path / "gb18030.dcm"
    ds.save_as(path, enforce_file_format=True)
    return path


def test_gb18030_ideographic_only(tmp_path: Path) -> None:
    ds = read_dataset(gb18030_file(tmp_path))

    assert display_person_name(ds.PatientName) == "赵^桂香"


def test_gb18030_stored_encoded(tmp_path: Path) -> None:
    raw = gb18030_file(tmp_path).read_bytes()

    assert "赵^桂香".encode("gb18030") in raw


def test_gb18030_full_name_keeps_groups(tmp_path: Path) -> None:
    ds = read_dataset(gb18030_file(tmp_path))

    assert full_person_name(ds.PatientName) == "=赵^桂香"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("Doe^John", "Doe^John"),
        ("Yamada^Tarou=山田^太郎=やまだ^たろう", "Yamada^Tarou"),
        ("^^=", ""),
        ("==やまだ^たろう", "やまだ^たろう"),
        (b"Doe^Jane ", "Doe^Jane"),
        (PersonName("=赵^桂香"), "赵^桂香"),
        (MultiValue(str, ["First^One", "Second^Two"]), "First^One"),
    ],
)
def test_display_person_name(value: object, expected: str) -> None:
    assert display_person_name(value) == expected


def test_full_person_name_strips_padding() -> None:
    assert full_person_name("Doe^John\x00") == "Doe^John"
