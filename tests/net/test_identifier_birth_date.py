"""The STUDY-level C-FIND identifier carries the query's patient birth date."""

from __future__ import annotations

from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.net.find import study_identifier


def test_birth_date_from_query() -> None:
    identifier = study_identifier(StudyQuery(patient_birth_date="19700315"))

    assert identifier.PatientBirthDate == "19700315"


def test_birth_date_keyword_wins() -> None:
    query = StudyQuery(patient_birth_date="19700315")

    identifier = study_identifier(query, patient_birth_date="19800101-19801231")

    assert identifier.PatientBirthDate == "19800101-19801231"
