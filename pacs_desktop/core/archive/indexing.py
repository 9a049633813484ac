"""Rows of the archive index for one stored instance.

The functions here run inside a transaction that the caller opens, so an
import commits an instance together with its patient, study and series rows
and the removal of its ``import_pending`` row, or nothing at all.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from pacs_desktop.core.archive.incoming import IncomingFile, InstanceAttributes
from pacs_desktop.core.archive.names import name_keys
from pacs_desktop.core.archive.store import StoredFile


class IndexConflictError(Exception):
    """The instance's UIDs contradict the rows already indexed.

    ``reason`` names the conflicting UIDs but no patient attribute.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def normalise_date(value: str) -> str:
    """Return a DA value as YYYYMMDD; the old ACR-NEMA form YYYY.MM.DD too."""
    compact = value.replace(".", "")
    return compact if len(compact) == 8 and compact.isdigit() else value


def insert_instance(
    conn: sqlite3.Connection,
    incoming: IncomingFile,
    stored: StoredFile,
    *,
    source_node: str = "",
) -> None:
    """Insert the instance and create or update its patient, study and series.

    Raises
    ------
    sqlite3.IntegrityError
        If the SOP Instance UID or the stored path is already indexed.
    IndexConflictError
        If the series is indexed under another study, or the study under a
        patient with another Patient ID. It is raised before any row is written.
    """
    attributes = incoming.attributes
    series_pk = _series_pk(conn, attributes)
    conn.execute(
        "INSERT INTO instances (sop_uid, series_pk, sop_class_uid, instance_number,"
        " number_of_frames, transfer_syntax_uid, path, size, file_sha256,"
        " dataset_sha256, stored_at, source_node)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            attributes.SOPInstanceUID,
            series_pk,
            attributes.SOPClassUID,
            attributes.InstanceNumber,
            attributes.NumberOfFrames,
            incoming.transfer_syntax,
            stored.relative_path,
            stored.size,
            stored.sha256,
            incoming.dataset_sha256,
            datetime.now(timezone.utc).isoformat(timespec="seconds"),
            source_node,
        ),
    )
    conn.execute(
        "UPDATE series SET instance_count = instance_count + 1 WHERE pk = ?",
        (series_pk,),
    )
    conn.execute(
        "UPDATE studies SET instance_count = instance_count + 1 WHERE pk = "
        "(SELECT study_pk FROM series WHERE pk = ?)",
        (series_pk,),
    )


def _patient_pk(conn: sqlite3.Connection, attributes: InstanceAttributes) -> int:
    key = (
        attributes.PatientID,
        attributes.PatientName,
        normalise_date(attributes.PatientBirthDate),
        attributes.PatientSex,
    )
    row = conn.execute(
        "SELECT pk FROM patients WHERE patient_id = ? AND patient_name = ? AND "
        "birth_date = ? AND sex = ?",
        key,
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = conn.execute(
        "INSERT INTO patients (patient_id, patient_name, birth_date, sex) "
        "VALUES (?, ?, ?, ?)",
        key,
    )
    patient_pk = int(cursor.lastrowid or 0)
    conn.executemany(
        "INSERT INTO patient_name_keys (name_key, patient_pk) VALUES (?, ?)",
        [(name_key, patient_pk) for name_key in name_keys(attributes.PatientName)],
    )
    return patient_pk


def _study_pk(conn: sqlite3.Connection, attributes: InstanceAttributes) -> int:
    row = conn.execute(
        "SELECT st.pk, p.patient_id FROM studies st "
        "JOIN patients p ON p.pk = st.patient_pk WHERE st.study_uid = ?",
        (attributes.StudyInstanceUID,),
    ).fetchone()
    if row is not None:
        # Filing the instance under the indexed study would show one
        # patient's images under another patient's name.
        if row[1] != attributes.PatientID:
            raise IndexConflictError(
                f"StudyInstanceUID (0020,000D) {attributes.StudyInstanceUID} is "
                "already archived for a patient with another Patient ID "
                "(0010,0020); a study belongs to one patient, so the file is "
                "not archived. If the Patient ID was corrected, delete the "
                "archived study ('pacs-desktop archive delete STUDY_UID') and "
                "import again"
            )
        return int(row[0])
    patient_pk = _patient_pk(conn, attributes)
    study_date = normalise_date(attributes.StudyDate)
    cursor = conn.execute(
        "INSERT INTO studies (study_uid, patient_pk, study_date, study_time,"
        " accession_number, study_description, description_key, modalities)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, '')",
        (
            attributes.StudyInstanceUID,
            patient_pk,
            study_date,
            attributes.StudyTime,
            attributes.AccessionNumber,
            attributes.StudyDescription,
            attributes.StudyDescription.upper(),
        ),
    )
    study_pk = int(cursor.lastrowid or 0)
    conn.execute(
        "INSERT INTO study_name_keys (name_key, study_date, study_time, study_pk)"
        " SELECT name_key, ?, ?, ? FROM patient_name_keys WHERE patient_pk = ?",
        (study_date, attributes.StudyTime, study_pk, patient_pk),
    )
    return study_pk


def _series_pk(conn: sqlite3.Connection, attributes: InstanceAttributes) -> int:
    row = conn.execute(
        "SELECT se.pk, st.study_uid FROM series se "
        "JOIN studies st ON st.pk = se.study_pk WHERE se.series_uid = ?",
        (attributes.SeriesInstanceUID,),
    ).fetchone()
    if row is not None:
        if row[1] != attributes.StudyInstanceUID:
            raise IndexConflictError(
                f"SeriesInstanceUID (0020,000E) {attributes.SeriesInstanceUID} is "
                f"already archived in study {row[1]}, but this file names study "
                f"{attributes.StudyInstanceUID}; a series belongs to one study, so "
                "the file is not archived"
            )
        # The study's own check still applies: its patient must match too.
        _study_pk(conn, attributes)
        return int(row[0])
    study_pk = _study_pk(conn, attributes)
    cursor = conn.execute(
        "INSERT INTO series (series_uid, study_pk, modality, series_number,"
        " series_description) VALUES (?, ?, ?, ?, ?)",
        (
            attributes.SeriesInstanceUID,
            study_pk,
            attributes.Modality,
            attributes.SeriesNumber,
            attributes.SeriesDescription,
        ),
    )
    modalities = conn.execute(
        "SELECT modalities FROM studies WHERE pk = ?", (study_pk,)
    ).fetchone()[0]
    merged = set(filter(None, str(modalities).split("\\")))
    if attributes.Modality:
        merged.add(attributes.Modality)
    conn.execute(
        "UPDATE studies SET series_count = series_count + 1, modalities = ? "
        "WHERE pk = ?",
        ("\\".join(sorted(merged)), study_pk),
    )
    return int(cursor.lastrowid or 0)


def clear_index(conn: sqlite3.Connection) -> None:
    """Delete every patient, study, series and instance row."""
    tables = (
        "instances",
        "series",
        "study_name_keys",
        "studies",
        "patient_name_keys",
        "patients",
    )
    for table in tables:
        conn.execute(f"DELETE FROM {table}")
