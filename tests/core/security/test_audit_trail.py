"""The hash-chained audit trail and its DICOM audit messages."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from security_fixtures import Clock

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import GENESIS_HASH, AuditTrail, verify_chain

PATIENT_ID = "PAT-0042"
PATIENT_NAME = "Tanaka^Hanako=田中^花子"
STUDY_UID = "1.2.826.0.1.3680043.8.498.1"


def _fill(audit: AuditTrail, count: int) -> None:
    for index in range(count):
        audit.record(
            events.STUDY_OPENED,
            user=f"user{index}",
            patient_id=PATIENT_ID,
            patient_name=PATIENT_NAME,
            study_uids=[STUDY_UID],
            detail=f"record {index + 1}",
        )


def _message(audit: AuditTrail) -> ET.Element:
    return ET.fromstring(audit.records()[-1].message_xml)


# -- storage -----------------------------------------------------------------


def test_record_round_trip(audit: AuditTrail, clock: Clock) -> None:
    audit.record(
        events.STUDY_OPENED,
        user="drwho",
        patient_id=PATIENT_ID,
        patient_name=PATIENT_NAME,
        study_uids=[STUDY_UID],
        detail="opened from the browser",
    )
    (record,) = audit.records()
    assert (record.seq, record.event, record.outcome, record.user) == (
        1,
        events.STUDY_OPENED,
        "success",
        "drwho",
    )
    assert (record.patient_id, record.patient_name) == (PATIENT_ID, PATIENT_NAME)
    assert record.study_uids == (STUDY_UID,)
    assert record.time == "2026-03-02T08:30:00.000000+00:00"
    assert record.prev_hash == GENESIS_HASH


def test_records_chain(audit: AuditTrail) -> None:
    _fill(audit, 3)
    first, second, third = audit.records()
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash


def test_os_account_flag(audit: AuditTrail) -> None:
    audit.record(events.INSTANCES_IMPORTED, user="ops", os_account=True)
    assert audit.records()[-1].os_account


def test_unknown_event_rejected(audit: AuditTrail) -> None:
    with pytest.raises(ValueError, match="unknown audit event"):
        audit.record("coffee-break", user="drwho")


def test_unknown_outcome_rejected(audit: AuditTrail) -> None:
    with pytest.raises(ValueError, match="unknown audit outcome"):
        audit.record(events.LOGIN, user="drwho", outcome="meh")


def test_records_time_filter(audit: AuditTrail, clock: Clock) -> None:
    _fill(audit, 2)
    start = clock.now + timedelta(minutes=1)
    clock.advance(timedelta(minutes=5))
    _fill(audit, 1)
    assert [record.seq for record in audit.records(start=start)] == [3]
    assert [record.seq for record in audit.records(end=start)] == [1, 2]


def test_records_limit_keeps_newest(audit: AuditTrail) -> None:
    _fill(audit, 5)
    assert [record.seq for record in audit.records(limit=2)] == [4, 5]


def test_record_joins_open_transaction(audit: AuditTrail, database: Database) -> None:
    _fill(audit, 1)
    conn = database.connection()
    conn.execute("BEGIN IMMEDIATE")
    audit.record(events.LOGIN, user="drwho")
    conn.execute("ROLLBACK")
    assert len(audit.records()) == 1
    assert audit.verify().ok


def test_patient_data_not_logged(
    audit: AuditTrail, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _fill(audit, 2)
    audit.verify()
    assert PATIENT_ID not in caplog.text
    assert "Tanaka" not in caplog.text


# -- DICOM audit message --------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "codes"),
    [
        (events.APPLICATION_START, ("110100", "E", "110120", "0")),
        (events.APPLICATION_STOP, ("110100", "E", "110121", "0")),
        (events.LOGIN, ("110114", "E", "110122", "0")),
        (events.LOGIN_FAILED, ("110114", "E", "110122", "4")),
        (events.LOGOUT, ("110114", "E", "110123", "0")),
        (events.USER_CREATED, ("110113", "E", "110137", "0")),
        (events.ROLE_CHANGED, ("110113", "E", "110136", "0")),
        (events.EMERGENCY_ACCESS_STARTED, ("110113", "E", "110127", "0")),
        (events.EMERGENCY_ACCESS_STOPPED, ("110113", "E", "110138", "0")),
        (events.PATIENT_RECORD_ACCESSED, ("110110", "R", None, "0")),
        (events.PATIENT_CONFIRMATION_FAILED, ("110110", "R", None, "4")),
        (events.STUDY_OPENED, ("110103", "R", None, "0")),
        (events.INSTANCES_IMPORTED, ("110107", "C", None, "0")),
        (events.INSTANCES_EXPORTED, ("110106", "R", None, "0")),
        (events.INSTANCES_SENT, ("110104", "R", None, "0")),
        (events.INSTANCES_RETRIEVED, ("110104", "C", None, "0")),
        (events.INSTANCES_DELETED, ("110105", "D", None, "0")),
        (events.QUERY, ("110112", "E", None, "0")),
        (events.AUDIT_READ, ("110101", "R", None, "0")),
    ],
)
def test_event_codes(
    audit: AuditTrail, event: str, codes: tuple[str, str, str | None, str]
) -> None:
    event_id, action, type_code, indicator = codes
    audit.record(event, user="drwho")
    identification = _message(audit).find("EventIdentification")
    assert identification is not None
    assert identification.get("EventActionCode") == action
    assert identification.get("EventOutcomeIndicator") == indicator
    code = identification.find("EventID")
    assert code is not None
    assert (code.get("csd-code"), code.get("codeSystemName")) == (event_id, "DCM")
    types = [
        element.get("csd-code") for element in identification.iter("EventTypeCode")
    ]
    assert types == ([type_code] if type_code else [])


@pytest.mark.parametrize("event", sorted(events.EVENTS))
def test_message_structure(audit: AuditTrail, event: str) -> None:
    audit.record(
        event,
        user="drwho",
        patient_id=PATIENT_ID,
        patient_name=PATIENT_NAME,
        study_uids=[STUDY_UID],
        detail="details",
    )
    message = _message(audit)
    assert message.tag == "AuditMessage"
    tags = [child.tag for child in message]
    assert tags == [
        "EventIdentification",
        "ActiveParticipant",
        "ActiveParticipant",
        "AuditSourceIdentification",
        "ParticipantObjectIdentification",
        "ParticipantObjectIdentification",
    ]
    identification = message.find("EventIdentification")
    assert identification is not None
    assert identification.get("EventDateTime") == "2026-03-02T08:30:00+00:00"


def test_requestor_is_user(audit: AuditTrail) -> None:
    audit.record(events.LOGIN, user="drwho")
    participants = _message(audit).findall("ActiveParticipant")
    requestors = [
        p.get("UserID") for p in participants if p.get("UserIsRequestor") == "true"
    ]
    assert requestors == ["drwho"]


def test_os_account_named_in_message(audit: AuditTrail) -> None:
    audit.record(events.USER_CREATED, user="ops", os_account=True, target_user="bob")
    person = _message(audit).find("ActiveParticipant")
    assert person is not None
    assert person.get("UserName") == "ops (operating-system account)"


def test_patient_and_study_objects(audit: AuditTrail) -> None:
    _fill(audit, 1)
    patient, study = _message(audit).findall("ParticipantObjectIdentification")
    assert (
        patient.get("ParticipantObjectID"),
        patient.get("ParticipantObjectTypeCode"),
        patient.get("ParticipantObjectTypeCodeRole"),
    ) == (PATIENT_ID, "1", "1")
    assert patient.findtext("ParticipantObjectName") == PATIENT_NAME
    assert (
        study.get("ParticipantObjectID"),
        study.get("ParticipantObjectTypeCode"),
        study.get("ParticipantObjectTypeCodeRole"),
    ) == (STUDY_UID, "2", "3")
    id_type = study.find("ParticipantObjectIDTypeCode")
    assert id_type is not None
    assert id_type.get("csd-code") == "110180"


def test_audit_source(audit: AuditTrail) -> None:
    audit.record(events.LOGIN, user="drwho")
    source = _message(audit).find("AuditSourceIdentification")
    assert source is not None
    assert (source.get("AuditSourceID") or "").startswith("pacs-desktop@")


def test_control_characters_kept_out_of_xml(audit: AuditTrail) -> None:
    audit.record(events.STUDY_OPENED, user="drwho", patient_name="Bad\x00\x1bName")
    patient = _message(audit).find("ParticipantObjectIdentification")
    assert patient is not None
    assert patient.findtext("ParticipantObjectName") == "Bad\ufffd\ufffdName"


def test_export_xml(audit: AuditTrail) -> None:
    _fill(audit, 3)
    document = ET.fromstring(audit.export_xml(audit.records()))
    assert len(document.findall("AuditRecord/AuditMessage")) == 3


# -- tamper evidence -----------------------------------------------------------


def test_verify_intact(audit: AuditTrail) -> None:
    _fill(audit, 5)
    result = audit.verify()
    assert result.ok
    assert result.checked == 5


def test_verify_empty(audit: AuditTrail) -> None:
    assert audit.verify().ok


@pytest.mark.parametrize("column", ["detail", "user_name", "patient_name", "time"])
def test_verify_finds_edit(audit: AuditTrail, database: Database, column: str) -> None:
    _fill(audit, 5)
    database.connection().execute(
        f"UPDATE audit_log SET {column} = 'forged' WHERE seq = 3"
    )
    result = audit.verify()
    assert (result.ok, result.problem, result.seq) == (False, "altered", 3)


def test_verify_finds_edited_xml(audit: AuditTrail, database: Database) -> None:
    _fill(audit, 5)
    database.connection().execute(
        "UPDATE audit_log SET message_xml = replace(message_xml, ?, 'OTHER') "
        "WHERE seq = 2",
        (PATIENT_ID,),
    )
    result = audit.verify()
    assert (result.problem, result.seq) == ("altered", 2)


def test_verify_finds_deletion(audit: AuditTrail, database: Database) -> None:
    _fill(audit, 5)
    database.connection().execute("DELETE FROM audit_log WHERE seq = 3")
    result = audit.verify()
    assert (result.ok, result.problem, result.seq) == (False, "removed", 3)


def test_verify_finds_first_deleted(audit: AuditTrail, database: Database) -> None:
    _fill(audit, 5)
    database.connection().execute("DELETE FROM audit_log WHERE seq = 1")
    result = audit.verify()
    assert (result.problem, result.seq) == ("removed", 1)


def test_verify_finds_last_deleted(audit: AuditTrail, database: Database) -> None:
    _fill(audit, 5)
    database.connection().execute("DELETE FROM audit_log WHERE seq = 5")
    result = audit.verify()
    assert (result.problem, result.seq) == ("removed", 5)


def test_verify_finds_swap(audit: AuditTrail, database: Database) -> None:
    _fill(audit, 5)
    conn = database.connection()
    conn.execute("UPDATE audit_log SET seq = -1 WHERE seq = 3")
    conn.execute("UPDATE audit_log SET seq = 3 WHERE seq = 4")
    conn.execute("UPDATE audit_log SET seq = 4 WHERE seq = -1")
    result = audit.verify()
    assert (result.ok, result.problem, result.seq) == (False, "reordered", 3)


def test_verify_finds_first_of_several(audit: AuditTrail, database: Database) -> None:
    _fill(audit, 6)
    conn = database.connection()
    conn.execute("UPDATE audit_log SET detail = 'x' WHERE seq = 5")
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    assert audit.verify().seq == 2


def test_appends_continue_after_verify_failure(
    audit: AuditTrail, database: Database
) -> None:
    _fill(audit, 3)
    database.connection().execute("DELETE FROM audit_log WHERE seq = 3")
    _fill(audit, 1)
    assert [record.seq for record in audit.records()] == [1, 2, 4]


# -- concurrency ---------------------------------------------------------------


def test_threads_append_one_chain(database: Database) -> None:
    audit = AuditTrail(database)

    def append() -> None:
        for _ in range(25):
            audit.record(events.QUERY, user="worker")

    threads = [threading.Thread(target=append) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert audit.verify().ok
    assert [record.seq for record in audit.records()] == list(range(1, 101))


CHILD = """
import sys
from pathlib import Path
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.security.audit import AuditTrail, QUERY
trail = AuditTrail(Database(Path(sys.argv[1])))
for _ in range(20):
    trail.record(QUERY, user="process")
"""


def test_processes_append_one_chain(database: Database, database_path: Path) -> None:
    AuditTrail(database)
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(database_path)])
        for _ in range(3)
    ]
    codes = [child.wait(timeout=60) for child in children]
    assert codes == [0, 0, 0]
    audit = AuditTrail(database)
    assert audit.verify().ok
    assert len(audit.records()) == 60


def test_verify_finds_forged_append(audit: AuditTrail, database: Database) -> None:
    for _ in range(3):
        audit.record(events.LOGIN, user="drwho")
    last = audit.records()[-1]
    forged = replace(last, seq=4, prev_hash=last.hash, detail="forged")
    forged = replace(forged, hash=forged.computed_hash())
    database.connection().execute(
        "INSERT INTO audit_log (seq, time, event, outcome, user_name, os_account, "
        "study_uids, detail, message_xml, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, 0, '[]', ?, ?, ?, ?)",
        (
            forged.seq,
            forged.time,
            forged.event,
            forged.outcome,
            forged.user,
            forged.detail,
            forged.message_xml,
            forged.prev_hash,
            forged.hash,
        ),
    )
    result = audit.verify()
    assert (result.ok, result.problem, result.seq) == (False, "altered", 4)


def test_verify_chain_on_list(audit: AuditTrail) -> None:
    _fill(audit, 4)
    first, second, third, fourth = audit.records()
    result = verify_chain([first, third, second, fourth])
    assert (result.problem, result.seq) == ("reordered", third.seq)
