"""Audit messages against the DICOM audit message schema (PS3.15 A.5.1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail

SCHEMA_PATH = Path(__file__).parent / "data" / "audit-message.rng"
PATIENT_ID = "PAT-0042"
PATIENT_NAME = "Tanaka^Hanako=田中^花子"
STUDY_UIDS = ["1.2.826.0.1.3680043.8.498.1", "1.2.826.0.1.3680043.8.498.2"]


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))


def _validate(schema: etree.RelaxNG, xml_text: str) -> str:
    """Return the schema's error log, empty when ``xml_text`` is valid."""
    document = etree.fromstring(xml_text.encode("utf-8"))
    if schema.validate(document):
        return ""
    return str(schema.error_log)


@pytest.mark.parametrize("event", sorted(events.EVENTS))
def test_every_event_valid_with_objects(
    audit: AuditTrail, schema: etree.RelaxNG, event: str
) -> None:
    record = audit.record(
        event,
        user="drwho",
        patient_id=PATIENT_ID,
        patient_name=PATIENT_NAME,
        study_uids=STUDY_UIDS,
        target_user="nurse1",
        detail="opened from the study browser",
    )
    assert _validate(schema, record.message_xml) == ""


@pytest.mark.parametrize("event", sorted(events.EVENTS))
def test_every_event_valid_bare(
    audit: AuditTrail, schema: etree.RelaxNG, event: str
) -> None:
    record = audit.record(event, user="ops", os_account=True)
    assert _validate(schema, record.message_xml) == ""


@pytest.mark.parametrize("outcome", ["success", "failure", "serious-failure"])
def test_outcomes_valid(audit: AuditTrail, schema: etree.RelaxNG, outcome: str) -> None:
    record = audit.record(events.QUERY, user="drwho", outcome=outcome)
    assert _validate(schema, record.message_xml) == ""


def test_patient_without_name_valid(audit: AuditTrail, schema: etree.RelaxNG) -> None:
    record = audit.record(events.STUDY_OPENED, user="drwho", patient_id=PATIENT_ID)
    assert _validate(schema, record.message_xml) == ""


def test_application_start_without_user_valid(
    audit: AuditTrail, schema: etree.RelaxNG
) -> None:
    record = audit.record(events.APPLICATION_START, user="")
    assert _validate(schema, record.message_xml) == ""


def test_exported_messages_valid(audit: AuditTrail, schema: etree.RelaxNG) -> None:
    for event in (events.LOGIN, events.STUDY_OPENED, events.LOGOUT):
        audit.record(event, user="drwho", patient_id=PATIENT_ID)
    document = etree.fromstring(audit.export_xml(audit.records()).encode("utf-8"))
    messages = document.findall("AuditRecord/AuditMessage")
    assert len(messages) == 3
    for message in messages:
        assert schema.validate(message), str(schema.error_log)


def _drop_event_id(message: etree._Element) -> None:
    identification = message.find("EventIdentification")
    assert identification is not None
    event_id = identification.find("EventID")
    assert event_id is not None
    identification.remove(event_id)


def _bad_outcome(message: etree._Element) -> None:
    identification = message.find("EventIdentification")
    assert identification is not None
    identification.set("EventOutcomeIndicator", "3")


def _bad_action(message: etree._Element) -> None:
    identification = message.find("EventIdentification")
    assert identification is not None
    identification.set("EventActionCode", "X")


def _bad_time(message: etree._Element) -> None:
    identification = message.find("EventIdentification")
    assert identification is not None
    identification.set("EventDateTime", "02/03/2026 08:30")


def _drop_source(message: etree._Element) -> None:
    source = message.find("AuditSourceIdentification")
    assert source is not None
    message.remove(source)


def _drop_participants(message: etree._Element) -> None:
    for participant in message.findall("ActiveParticipant"):
        message.remove(participant)


def _bad_requestor_flag(message: etree._Element) -> None:
    participant = message.find("ActiveParticipant")
    assert participant is not None
    participant.set("UserIsRequestor", "yes")


def _drop_code_meaning(message: etree._Element) -> None:
    code = message.find("EventIdentification/EventID")
    assert code is not None
    del code.attrib["originalText"]


def _drop_object_name(message: etree._Element) -> None:
    for name in message.iter("ParticipantObjectName"):
        parent = name.getparent()
        assert parent is not None
        parent.remove(name)


def _source_before_participant(message: etree._Element) -> None:
    source = message.find("AuditSourceIdentification")
    assert source is not None
    message.remove(source)
    message.insert(1, source)


def _unknown_element(message: etree._Element) -> None:
    etree.SubElement(message, "Comment").text = "not in the schema"


@pytest.mark.parametrize(
    "breakage",
    [
        _drop_event_id,
        _bad_outcome,
        _bad_action,
        _bad_time,
        _drop_source,
        _drop_participants,
        _bad_requestor_flag,
        _drop_code_meaning,
        _drop_object_name,
        _source_before_participant,
        _unknown_element,
    ],
    ids=lambda breakage: breakage.__name__.lstrip("_"),
)
def test_broken_message_invalid(
    audit: AuditTrail, schema: etree.RelaxNG, breakage: object
) -> None:
    record = audit.record(
        events.STUDY_OPENED,
        user="drwho",
        patient_id=PATIENT_ID,
        patient_name=PATIENT_NAME,
        study_uids=STUDY_UIDS[:1],
    )
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    assert schema.validate(message)
    assert callable(breakage)
    breakage(message)
    assert not schema.validate(message)
