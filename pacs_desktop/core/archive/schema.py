"""Tables of the archive index, as migration steps of the ``archive`` component.

Patient attributes live in ``patients`` and each study points to one patient.
``patient_name_keys`` holds one upper-cased key per name component group, so a
name filter is an index range scan; ``study_name_keys`` repeats those keys
per study with the study's date, so the newest matches come from one index.
``studies`` carries its modalities and
counts, kept current at import, so a study list needs no aggregate query.
Instance paths are relative to the store folder, so the data directory can
move. ``import_pending`` lists files being written, so a start after a crash
removes what an interrupted import left behind.
"""

from __future__ import annotations

from pacs_desktop.core.archive.database import MigrationStep

COMPONENT = "archive"

_VERSION_1 = """
CREATE TABLE patients (
    pk INTEGER PRIMARY KEY,
    patient_id TEXT NOT NULL,
    patient_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    UNIQUE (patient_id, patient_name, birth_date, sex)
);
CREATE TABLE patient_name_keys (
    name_key TEXT NOT NULL,
    patient_pk INTEGER NOT NULL REFERENCES patients (pk) ON DELETE CASCADE,
    PRIMARY KEY (name_key, patient_pk)
) WITHOUT ROWID;
CREATE INDEX patient_name_keys_patient ON patient_name_keys (patient_pk);
CREATE TABLE studies (
    pk INTEGER PRIMARY KEY,
    study_uid TEXT NOT NULL UNIQUE,
    patient_pk INTEGER NOT NULL REFERENCES patients (pk),
    study_date TEXT NOT NULL,
    study_time TEXT NOT NULL,
    accession_number TEXT NOT NULL,
    study_description TEXT NOT NULL,
    description_key TEXT NOT NULL,
    modalities TEXT NOT NULL,
    series_count INTEGER NOT NULL DEFAULT 0,
    instance_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX studies_patient ON studies (patient_pk);
CREATE INDEX studies_date ON studies (study_date, study_time);
CREATE INDEX studies_accession ON studies (accession_number);
CREATE TABLE series (
    pk INTEGER PRIMARY KEY,
    series_uid TEXT NOT NULL UNIQUE,
    study_pk INTEGER NOT NULL REFERENCES studies (pk) ON DELETE CASCADE,
    modality TEXT NOT NULL,
    series_number INTEGER,
    series_description TEXT NOT NULL,
    instance_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX series_study ON series (study_pk);
CREATE INDEX series_modality ON series (modality, study_pk);
CREATE TABLE instances (
    pk INTEGER PRIMARY KEY,
    sop_uid TEXT NOT NULL UNIQUE,
    series_pk INTEGER NOT NULL REFERENCES series (pk) ON DELETE CASCADE,
    sop_class_uid TEXT NOT NULL,
    instance_number INTEGER,
    number_of_frames INTEGER NOT NULL,
    transfer_syntax_uid TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    file_sha256 TEXT NOT NULL,
    dataset_sha256 TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE INDEX instances_series ON instances (series_pk);
CREATE TABLE import_pending (
    temporary_path TEXT PRIMARY KEY,
    final_path TEXT NOT NULL,
    pid INTEGER NOT NULL,
    token TEXT NOT NULL
);
"""

# Version 2: one row per study and patient name key, carrying the study's date
# and time, so a name filter reads the newest matching studies from one range
# of one index and stops at the page size, without touching the studies table
# for the studies it does not return (a 5-letter prefix matches about 2,500 of
# a million generated studies).
_VERSION_2 = """
CREATE TABLE study_name_keys (
    name_key TEXT NOT NULL,
    study_date TEXT NOT NULL,
    study_time TEXT NOT NULL,
    study_pk INTEGER NOT NULL REFERENCES studies (pk) ON DELETE CASCADE,
    PRIMARY KEY (name_key, study_pk)
) WITHOUT ROWID;
CREATE INDEX study_name_keys_study ON study_name_keys (study_pk);
INSERT INTO study_name_keys (name_key, study_date, study_time, study_pk)
    SELECT k.name_key, s.study_date, s.study_time, s.pk
    FROM studies s JOIN patient_name_keys k ON k.patient_pk = s.patient_pk;
"""

# Version 3: integrity. ``needs_refetch`` marks an instance whose stored file
# no longer matches its SHA-256; ``source_node`` is the AE title of the peer
# it was received from ('' for a file import), where a re-fetch asks for it.
_VERSION_3 = """
ALTER TABLE instances ADD COLUMN needs_refetch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN source_node TEXT NOT NULL DEFAULT '';
CREATE INDEX instances_refetch ON instances (needs_refetch) WHERE needs_refetch;
"""

STEPS: tuple[MigrationStep, ...] = (_VERSION_1, _VERSION_2, _VERSION_3)
