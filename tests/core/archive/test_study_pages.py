"""Study list pages, name prefix ranges and the study name key migration."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.query import _next_prefix
from pacs_desktop.core.archive.records import StudyQuery

STUDIES = [
    ("MUELLER^ANNA", "20240103", "P1"),
    ("MUENCH^OTTO", "20240101", "P2"),
    ("MUELLER^ANNA", "20231231", "P3"),
    ("MUF^EVA", "20240102", "P4"),
    ("MUE^MAX=MUELLER^MAX", "20240104", "P5"),
    ("SMITH^JOHN", "20240105", "P6"),
    ("MUENCH^OTTO", "20240101", "P7"),
]


@pytest.fixture
def studies(archive: Archive, tmp_path: Path, write_copies) -> Archive:
    for number, (name, date, patient_id) in enumerate(STUDIES):
        write_copies(
            tmp_path / f"s{number}",
            1,
            PatientName=name,
            StudyDate=date,
            PatientID=patient_id,
        )
    archive.import_paths([tmp_path])
    return archive


def _ids(records: list) -> list[str]:
    return [record.PatientID for record in records]


def _all_pages(archive: Archive, query: StudyQuery, size: int) -> list[list[str]]:
    pages = []
    page = archive.find_studies_page(query, page_size=size)
    pages.append(_ids(page.records))
    while page.cursor is not None:
        page = archive.find_studies_page(query, after=page.cursor, page_size=size)
        pages.append(_ids(page.records))
    return pages


QUERIES = [
    StudyQuery(),
    StudyQuery(patient_name="MUE*"),
    StudyQuery(patient_name="mue*", date_range="20240101-20240103"),
    StudyQuery(patient_name="MUELLER^ANNA"),
    StudyQuery(patient_name="*ER*"),
    StudyQuery(patient_name="MUE*", patient_id="P*"),
    StudyQuery(date_range="20240101-"),
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("size", [1, 2, 3, 100])
def test_pages_follow_find_studies(
    studies: Archive, query: StudyQuery, size: int
) -> None:
    pages = _all_pages(studies, query, size)
    joined = [patient_id for page in pages for patient_id in page]

    assert joined == _ids(studies.find_studies(query))
    assert all(len(page) == size for page in pages[:-1])
    assert len(pages[-1]) <= size


def test_prefix_excludes_next_name(studies: Archive) -> None:
    found = _ids(studies.find_studies(StudyQuery(patient_name="MUE*")))

    assert found == ["P5", "P1", "P7", "P2", "P3"]


def test_two_matching_groups_give_one_study(studies: Archive) -> None:
    page = studies.find_studies_page(StudyQuery(patient_name="MUE*"), page_size=1)

    assert _ids(page.records) == ["P5"]
    assert page.cursor is not None


def test_equal_dates_newest_import_first(studies: Archive) -> None:
    found = _ids(studies.find_studies(StudyQuery(patient_name="MUENCH*")))

    assert found == ["P7", "P2"]


def test_page_size_below_one_raises(studies: Archive) -> None:
    with pytest.raises(ValueError, match="page size"):
        studies.find_studies_page(StudyQuery(), page_size=0)


def test_migration_fills_name_keys(tmp_path: Path, write_copies) -> None:
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    write_copies(tmp_path / "in", 1, PatientName="MUELLER^ANNA", PatientID="P1")
    archive.import_paths([tmp_path / "in"])
    archive.close()
    conn = database.connection()
    # Back to schema version 1, as a database written before the table existed.
    conn.execute("DROP TABLE study_name_keys")
    conn.execute("DROP INDEX instances_refetch")
    conn.execute("ALTER TABLE instances DROP COLUMN needs_refetch")
    conn.execute("ALTER TABLE instances DROP COLUMN source_node")
    conn.execute("UPDATE schema_version SET version = 1 WHERE component = 'archive'")

    reopened = Archive(database, tmp_path / "store")
    found = reopened.find_studies(StudyQuery(patient_name="MUEL*"))
    reopened.close()
    database.close()

    assert _ids(found) == ["P1"]


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("MUE", "MUF"),
        ("A\ud7ff", "A\ue000"),
        ("山", "山"[:-1] + chr(ord("山") + 1)),
        ("A\U0010ffff", None),
    ],
)
def test_next_prefix_bounds(prefix: str, expected: str | None) -> None:
    assert _next_prefix(prefix) == expected
