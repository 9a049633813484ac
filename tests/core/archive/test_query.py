"""Study, series and instance queries on a real archive index."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.data import get_charset_files

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.query import QueryError, parse_modalities
from pacs_desktop.core.archive.records import JSON_KEYS, StudyQuery


@pytest.fixture
def filled(archive: Archive, tmp_path: Path, write_copies) -> Archive:
    write_copies(
        tmp_path / "a",
        2,
        PatientName="DOE^JOHN",
        PatientID="P1",
        StudyDate="20240115",
        AccessionNumber="ACC1",
        StudyDescription="CT Abdomen",
    )
    write_copies(
        tmp_path / "b",
        1,
        PatientName="Smith^Anna",
        PatientID="P2",
        StudyDate="20231231",
        AccessionNumber="ACC2",
        StudyDescription="CT Head",
    )
    archive.import_paths([tmp_path / "a", tmp_path / "b"])
    archive.import_paths([Path(get_charset_files("chrH32.dcm")[0])])
    return archive


def _names(archive: Archive, **filters: str) -> list[str]:
    return [s.PatientID for s in archive.find_studies(StudyQuery(**filters))]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["P1", "P2", "H32EXAMPLE"]),
        ({"patient_name": "doe*"}, ["P1"]),
        ({"patient_name": "D?E^JOHN"}, ["P1"]),
        ({"patient_name": "DOE^JOHN"}, ["P1"]),
        ({"patient_name": "DOE"}, []),
        ({"patient_name": "*ann*"}, ["P2"]),
        ({"patient_name": "山田*"}, ["H32EXAMPLE"]),
        ({"patient_id": "P2"}, ["P2"]),
        ({"patient_id": "P*"}, ["P1", "P2"]),
        ({"date_range": "20240101-20241231"}, ["P1"]),
        ({"date_range": "-20231231"}, ["P2"]),
        ({"date_range": "20231231-"}, ["P1", "P2"]),
        ({"date_range": "20231231"}, ["P2"]),
        ({"modality": "ct"}, ["P1", "P2"]),
        ({"modality": "OT"}, ["H32EXAMPLE"]),
        ({"modality": "CT, OT"}, ["P1", "P2", "H32EXAMPLE"]),
        ({"modality": "mr ot"}, ["H32EXAMPLE"]),
        ({"modality": "OT\\CT"}, ["P1", "P2", "H32EXAMPLE"]),
        ({"modality": "MR,,US"}, []),
        ({"accession": "ACC2"}, ["P2"]),
        ({"description": "*head*"}, ["P2"]),
    ],
)
def test_find_studies_filters(
    filled: Archive, filters: dict[str, str], expected: list[str]
) -> None:
    found = _names(filled, **filters)
    assert sorted(found) == sorted(expected)


def test_h32_name_keeps_groups(filled: Archive) -> None:
    study = filled.find_studies(StudyQuery(patient_id="H32EXAMPLE"))[0]
    assert study.PatientName == "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"


def test_limit_caps_results(filled: Archive) -> None:
    assert len(filled.find_studies(StudyQuery(limit=2))) == 2


def test_newest_study_first(filled: Archive) -> None:
    dates = [s.StudyDate for s in filled.find_studies(StudyQuery(patient_id="P*"))]
    assert dates == ["20240115", "20231231"]


@pytest.mark.parametrize(
    "bad",
    [
        "2024",
        "20240101-2024",
        "20241231-20240101",
        "-",
        "20131301-",
        "20130230",
        "20230229",
        "20240100-",
    ],
)
def test_bad_date_range_raises(filled: Archive, bad: str) -> None:
    with pytest.raises(QueryError):
        filled.find_studies(StudyQuery(date_range=bad))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("  ", ()),
        ("ct", ("CT",)),
        ("CT, MR", ("CT", "MR")),
        ("CT MR", ("CT", "MR")),
        ("CT\\MR", ("CT", "MR")),
        (" ct ,mr, ", ("CT", "MR")),
        ("CT, ct", ("CT",)),
        ("RTSTRUCT", ("RTSTRUCT",)),
        ("KO\\SR_X", ("KO", "SR_X")),
    ],
)
def test_parse_modalities(text: str, expected: tuple[str, ...]) -> None:
    assert parse_modalities(text) == expected


@pytest.mark.parametrize("bad", ["C-T", "CT; MR", "X" * 17, "CT, MR*", "CÄ"])
def test_bad_modality_raises(filled: Archive, bad: str) -> None:
    with pytest.raises(QueryError, match="invalid modality"):
        filled.find_studies(StudyQuery(modality=bad))


def test_to_json_keys(filled: Archive) -> None:
    study = filled.find_studies(StudyQuery(patient_id="P1"))[0]
    assert list(study.to_json()) == list(JSON_KEYS)
    assert study.to_json()["NumberOfStudyRelatedInstances"] == 2
    assert study.to_json()["ModalitiesInStudy"] == ["CT"]


def test_series_and_instances(filled: Archive) -> None:
    study = filled.find_studies(StudyQuery(patient_id="P1"))[0]
    series = filled.series_for_study(study.StudyInstanceUID)
    instances = filled.instances_for_series(series[0].SeriesInstanceUID)

    assert len(series) == 1
    assert series[0].NumberOfSeriesRelatedInstances == 2
    assert [i.InstanceNumber for i in instances] == [1, 2]
    assert all(i.path.is_absolute() and i.path.is_file() for i in instances)
    assert filled.instance_path(instances[0].SOPInstanceUID) == instances[0].path


def test_study_by_uid(filled: Archive) -> None:
    study = filled.find_studies(StudyQuery(patient_id="P2"))[0]
    assert filled.study(study.StudyInstanceUID) == study
    assert filled.study("1.2.3.4") is None


def test_ideographic_only_name(archive: Archive, tmp_path: Path, write_copies) -> None:
    write_copies(
        tmp_path / "gb", 1, SpecificCharacterSet="GB18030", PatientName="=赵^桂香"
    )
    archive.import_paths([tmp_path / "gb"])

    found = archive.find_studies(StudyQuery(patient_name="赵*"))

    assert found[0].PatientName == "=赵^桂香"
    assert found[0].display_name == "赵^桂香"
