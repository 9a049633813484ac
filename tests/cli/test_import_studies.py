"""`pacs-desktop import`, `studies` and `archive rebuild` run in-process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.cli.main import run
from pacs_desktop.core.archive.records import JSON_KEYS


def pydicom_file(name: str) -> Path:
    found = get_testdata_file(name)
    assert found is not None
    return Path(str(found))


def test_import_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    status = run(["import", str(pydicom_file("CT_small.dcm"))])
    assert status == 0
    assert "imported:   1" in capsys.readouterr().out


def test_import_rejection_exit_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.dcm"
    bad.write_text("plain text")
    shutil.copy(pydicom_file("MR_small.dcm"), tmp_path / "good.dcm")

    status = run(["import", str(tmp_path)])

    out = capsys.readouterr().out
    assert status == 1
    assert "imported:   1" in out
    assert f"{bad}: not a DICOM file" in out


def test_import_without_path_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["import"])
    assert exit_info.value.code == 2


def test_studies_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    run(["import", str(pydicom_file("CT_small.dcm"))])
    capsys.readouterr()

    status = run(["studies", "--json", "--modality", "CT"])

    listed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [list(item) for item in listed] == [list(JSON_KEYS)]
    assert listed[0]["PatientName"] == "CompressedSamples^CT1"


def test_studies_table(capsys: pytest.CaptureFixture[str]) -> None:
    run(["import", str(pydicom_file("CT_small.dcm"))])
    capsys.readouterr()
    run(["studies", "--patient-name", "compressed*", "--date", "20040101-"])
    assert "CompressedSamples^CT1" in capsys.readouterr().out


def test_studies_bad_date_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["studies", "--date", "2024"])
    assert exit_info.value.code == 2


def test_archive_rebuild(capsys: pytest.CaptureFixture[str]) -> None:
    run(["import", str(pydicom_file("CT_small.dcm"))])
    capsys.readouterr()
    status = run(["archive", "rebuild"])
    assert status == 0
    assert "indexed:  1 instances in 1 studies" in capsys.readouterr().out
