"""`pacs-desktop studies --series` and `--instances`, and shortened table cells."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.cli.counts import shorten
from pacs_desktop.cli.main import run
from pacs_desktop.cli.query import _print_table as print_query_table
from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.paths import resolve_data_dir
from pacs_desktop.core.security.audit import QUERY, AuditRecord
from pacs_desktop.core.workstation import Workstation


def _import_ct(capsys: pytest.CaptureFixture[str]) -> pydicom.Dataset:
    path = Path(str(get_testdata_file("CT_small.dcm")))
    assert run(["import", str(path)]) == 0
    capsys.readouterr()
    return pydicom.dcmread(path, stop_before_pixels=True)


def _query_records() -> list[AuditRecord]:
    workstation = Workstation(resolve_data_dir(None))
    try:
        return [r for r in workstation.audit.records() if r.event == QUERY]
    finally:
        workstation.close()


def test_studies_table_shows_uid(capsys: pytest.CaptureFixture[str]) -> None:
    ct = _import_ct(capsys)

    run(["studies"])

    header, row = capsys.readouterr().out.splitlines()[:2]
    assert header.endswith("Study Instance UID")
    assert row.endswith(f"  {ct.StudyInstanceUID}")


def test_series_table(capsys: pytest.CaptureFixture[str]) -> None:
    ct = _import_ct(capsys)

    status = run(["studies", "--series", ct.StudyInstanceUID])

    header, row, total = capsys.readouterr().out.splitlines()
    assert status == 0
    assert header.split() == [
        "Number",
        "Modality",
        "Instances",
        "Description",
        "Series",
        "Instance",
        "UID",
    ]
    assert row.split()[:3] == [str(ct.SeriesNumber), "CT", "1"]
    assert row.endswith(f"  {ct.SeriesInstanceUID}")
    assert total == "1 series"


def test_series_json(capsys: pytest.CaptureFixture[str]) -> None:
    ct = _import_ct(capsys)

    run(["studies", "--series", ct.StudyInstanceUID, "--json"])

    (series,) = json.loads(capsys.readouterr().out)
    assert series["SeriesInstanceUID"] == ct.SeriesInstanceUID
    assert series["Modality"] == "CT"
    assert series["NumberOfSeriesRelatedInstances"] == 1
    assert series["StudyInstanceUID"] == ct.StudyInstanceUID


def test_instances_table(capsys: pytest.CaptureFixture[str]) -> None:
    ct = _import_ct(capsys)

    status = run(["studies", "--instances", ct.SeriesInstanceUID])

    header, row, total = capsys.readouterr().out.splitlines()
    assert status == 0
    assert header.split() == ["Number", "SOP", "Instance", "UID", "Frames"]
    assert row.split() == [str(ct.InstanceNumber), ct.SOPInstanceUID, "1"]
    assert total == "1 instance"


def test_instances_json(capsys: pytest.CaptureFixture[str]) -> None:
    ct = _import_ct(capsys)

    run(["studies", "--instances", ct.SeriesInstanceUID, "--json"])

    (instance,) = json.loads(capsys.readouterr().out)
    assert instance["SOPInstanceUID"] == ct.SOPInstanceUID
    assert instance["NumberOfFrames"] == 1


@pytest.mark.parametrize("option", ["--series", "--instances"])
def test_unknown_uid_fails(capsys: pytest.CaptureFixture[str], option: str) -> None:
    _import_ct(capsys)

    status = run(["studies", option, "1.2.3.4"])

    assert status == 1
    assert "1.2.3.4 not found in the local archive" in capsys.readouterr().err


def test_series_list_audited(capsys: pytest.CaptureFixture[str]) -> None:
    ct = _import_ct(capsys)

    run(["studies", "--series", ct.StudyInstanceUID])

    (record,) = _query_records()
    assert list(record.study_uids) == [ct.StudyInstanceUID]
    assert record.patient_id == ct.PatientID
    assert "command-line series list: 1 series" in record.detail


def test_instance_list_audited(capsys: pytest.CaptureFixture[str]) -> None:
    ct = _import_ct(capsys)

    run(["studies", "--instances", ct.SeriesInstanceUID])

    (record,) = _query_records()
    assert list(record.study_uids) == [ct.StudyInstanceUID]
    assert record.patient_id == ct.PatientID
    assert "1 instance" in record.detail


SHORTEN_CASES = [
    ("Pancreas-CT-CB_001", 16, "Pancreas-CT-CB_…"),
    ("ABC", 16, "ABC"),
    ("1234567890123456", 16, "1234567890123456"),
    ("1.2.840.10008.5.1.4.1.1.2", 0, "1.2.840.10008.5.1.4.1.1.2"),
]


@pytest.mark.parametrize(("value", "width", "expected"), SHORTEN_CASES)
def test_shorten(value: str, width: int, expected: str) -> None:
    assert shorten(value, width) == expected


def test_query_table_marks_cut_id(capsys: pytest.CaptureFixture[str]) -> None:
    _import_ct(capsys)
    workstation = Workstation(resolve_data_dir(None))
    try:
        (study,) = workstation.archive.find_studies(StudyQuery())
        long_id = dataclasses.replace(study, PatientID="Pancreas-CT-CB_001")
        print_query_table([long_id], workstation.archive)
    finally:
        workstation.close()

    row = capsys.readouterr().out.splitlines()[1]
    assert "Pancreas-CT-CB_… " in row
