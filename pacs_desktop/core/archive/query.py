"""Study, series and instance look-ups on the archive index.

Every filter of `find_studies` maps to an indexed column: name keys, patient
ID, study date, accession number, series modality. Only a pattern that starts
with a wildcard (``*SMITH``) or a description filter scans.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from pacs_desktop.core.archive.names import has_wildcard, name_keys, to_glob
from pacs_desktop.core.archive.records import (
    InstanceRecord,
    SeriesRecord,
    StudyQuery,
    StudyRecord,
)
from pacs_desktop.core.errors import PacsDesktopError

_DATE = re.compile(r"\d{8}")

_STUDY_COLUMNS = (
    "SELECT p.patient_name, p.patient_id, p.birth_date, p.sex, s.study_uid,"
    " s.study_date, s.study_time, s.accession_number, s.modalities,"
    " s.study_description, s.series_count, s.instance_count"
    " FROM studies s JOIN patients p ON p.pk = s.patient_pk"
)


class QueryError(PacsDesktopError, ValueError):
    """A study filter holds a value the index cannot match (a bad date range)."""


def parse_date_range(value: str) -> tuple[str, str]:
    """Split a DICOM date range into (first, last); '' means open.

    Accepts ``A-B``, ``A-``, ``-B`` and ``A`` (one day), each date YYYYMMDD.

    Raises
    ------
    QueryError
        If a date is not eight digits or the range is reversed.
    """
    text = value.strip()
    if "-" in text:
        first, _, last = text.partition("-")
    else:
        first = last = text
    for date in (first, last):
        if date and not _DATE.fullmatch(date):
            raise QueryError(
                f"invalid date {date!r} in range {value!r}: use YYYYMMDD, "
                "for example 20240101-20241231, 20240101- or -20241231"
            )
    if not first and not last:
        raise QueryError(f"empty date range {value!r}: give at least one date")
    if first and last and first > last:
        raise QueryError(f"date range {value!r} ends before it starts")
    return first, last


def _text_condition(column: str, pattern: str) -> tuple[str, str]:
    if has_wildcard(pattern):
        return f"{column} GLOB ?", to_glob(pattern)
    return f"{column} = ?", pattern


def _study_filters(query: StudyQuery) -> tuple[list[str], list[object]]:
    conditions: list[str] = []
    parameters: list[object] = []
    if query.patient_name.strip():
        keys = name_keys(query.patient_name)
        pattern = keys[0] if keys else query.patient_name.strip().upper()
        condition, value = _text_condition("name_key", pattern)
        conditions.append(
            "s.patient_pk IN (SELECT patient_pk FROM patient_name_keys "
            f"WHERE {condition})"
        )
        parameters.append(value)
    if query.patient_id.strip():
        condition, value = _text_condition("patient_id", query.patient_id.strip())
        conditions.append(
            f"s.patient_pk IN (SELECT pk FROM patients WHERE {condition})"
        )
        parameters.append(value)
    if query.date_range.strip():
        first, last = parse_date_range(query.date_range)
        # A study without a date matches no range (PS3.4 section C.2.2.2.5).
        conditions.append("s.study_date <> ''")
        if first:
            conditions.append("s.study_date >= ?")
            parameters.append(first)
        if last:
            conditions.append("s.study_date <= ?")
            parameters.append(last)
    if query.modality.strip():
        conditions.append("s.pk IN (SELECT study_pk FROM series WHERE modality = ?)")
        parameters.append(query.modality.strip().upper())
    if query.accession.strip():
        condition, value = _text_condition(
            "s.accession_number", query.accession.strip()
        )
        conditions.append(condition)
        parameters.append(value)
    if query.description.strip():
        pattern = query.description.strip().upper()
        condition, value = _text_condition("s.description_key", pattern)
        conditions.append(condition)
        parameters.append(value)
    return conditions, parameters


def find_studies(conn: sqlite3.Connection, query: StudyQuery) -> list[StudyRecord]:
    """Return the studies matching every filter of ``query``, newest first.

    Raises
    ------
    QueryError
        If the date range is invalid.
    """
    conditions, parameters = _study_filters(query)
    sql = _STUDY_COLUMNS
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY s.study_date DESC, s.study_time DESC, s.pk DESC"
    if query.limit is not None:
        sql += " LIMIT ?"
        parameters.append(max(0, int(query.limit)))
    return [_study_record(row) for row in conn.execute(sql, parameters)]


def study(conn: sqlite3.Connection, study_uid: str) -> StudyRecord | None:
    """Return the study with this Study Instance UID, or None."""
    row = conn.execute(
        _STUDY_COLUMNS + " WHERE s.study_uid = ?", (study_uid,)
    ).fetchone()
    return _study_record(row) if row is not None else None


def _study_record(row: sqlite3.Row) -> StudyRecord:
    return StudyRecord(
        PatientName=row[0],
        PatientID=row[1],
        PatientBirthDate=row[2],
        PatientSex=row[3],
        StudyInstanceUID=row[4],
        StudyDate=row[5],
        StudyTime=row[6],
        AccessionNumber=row[7],
        ModalitiesInStudy=[m for m in str(row[8]).split("\\") if m],
        StudyDescription=row[9],
        NumberOfStudyRelatedSeries=int(row[10]),
        NumberOfStudyRelatedInstances=int(row[11]),
    )


def series_for_study(conn: sqlite3.Connection, study_uid: str) -> list[SeriesRecord]:
    """Return the series of a study ordered by Series Number."""
    rows = conn.execute(
        "SELECT se.series_uid, se.modality, se.series_number, se.series_description,"
        " se.instance_count, s.study_uid FROM series se"
        " JOIN studies s ON s.pk = se.study_pk WHERE s.study_uid = ?"
        " ORDER BY se.series_number IS NULL, se.series_number, se.pk",
        (study_uid,),
    )
    return [
        SeriesRecord(
            SeriesInstanceUID=row[0],
            Modality=row[1],
            SeriesNumber=row[2],
            SeriesDescription=row[3],
            NumberOfSeriesRelatedInstances=int(row[4]),
            StudyInstanceUID=row[5],
        )
        for row in rows
    ]


def instances_for_series(
    conn: sqlite3.Connection, series_uid: str, store_root: Path
) -> list[InstanceRecord]:
    """Return the instances of a series ordered by Instance Number."""
    rows = conn.execute(
        "SELECT i.sop_uid, i.sop_class_uid, i.instance_number, i.path,"
        " i.number_of_frames, i.transfer_syntax_uid FROM instances i"
        " JOIN series se ON se.pk = i.series_pk WHERE se.series_uid = ?"
        " ORDER BY i.instance_number IS NULL, i.instance_number, i.pk",
        (series_uid,),
    )
    return [
        InstanceRecord(
            SOPInstanceUID=row[0],
            SOPClassUID=row[1],
            InstanceNumber=row[2],
            path=store_root / row[3],
            NumberOfFrames=int(row[4]),
            TransferSyntaxUID=row[5],
        )
        for row in rows
    ]
