"""Audit messages against the DICOM audit message schema (PS3.15 A.5.1)."""

from __future__ import annotations

import base64
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree
from pydicom import Dataset
from pydicom.filereader import read_dataset

from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.net.find import (
    encoded_identifier,
    series_identifier,
    study_identifier,
)
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditPeer, AuditRecord, AuditTrail

SCHEMA_PATH = Path(__file__).parent / "data" / "audit-message.rng"
PATIENT_ID = "PAT-0042"
PATIENT_NAME = "Tanaka^Hanako=田中^花子"
STUDY_UIDS = ["1.2.826.0.1.3680043.8.498.1", "1.2.826.0.1.3680043.8.498.2"]
STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1"
EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
PACS = AuditPeer("ORTHANC", "127.0.0.1")


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


# -- query and peer participants (PS3.15 A.5.3.4 and A.5.3.12) -----------------


def _query_record(audit: AuditTrail, identifier: Dataset) -> AuditRecord:
    return audit.record(
        events.QUERY,
        user="drwho",
        patient_id=PATIENT_ID,
        study_uids=STUDY_UIDS,
        detail="C-FIND on ORTHANC",
        query=encoded_identifier(identifier),
        peer=PACS,
    )


def _objects_by_id_type(message: etree._Element) -> dict[str, etree._Element]:
    found = {}
    for participant_object in message.findall("ParticipantObjectIdentification"):
        code = participant_object.find("ParticipantObjectIDTypeCode")
        assert code is not None
        found[code.get("csd-code") or ""] = participant_object
    return found


def _query_object(record: AuditRecord) -> etree._Element:
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    return _objects_by_id_type(message)["110181"]


def _decoded_query(record: AuditRecord) -> Dataset:
    text = _query_object(record).findtext("ParticipantObjectQuery") or ""
    return read_dataset(
        BytesIO(base64.b64decode(text, validate=True)),
        is_implicit_VR=False,
        is_little_endian=True,
    )


def _role_codes(participant: etree._Element) -> list[str]:
    return [code.get("csd-code") or "" for code in participant.findall("RoleIDCode")]


IDENTIFIERS = [
    pytest.param(study_identifier(StudyQuery()), id="every-study"),
    pytest.param(
        study_identifier(
            StudyQuery(patient_name="Doe^J*", date_range="20240101-20241231")
        ),
        id="latin1-name",
    ),
    pytest.param(
        study_identifier(StudyQuery(patient_name="田中^花子", modality="MR")),
        id="utf8-name",
    ),
    pytest.param(series_identifier(STUDY_UIDS[0]), id="series"),
]


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_query_with_peer_valid(
    audit: AuditTrail, schema: etree.RelaxNG, identifier: Dataset
) -> None:
    record = _query_record(audit, identifier)
    assert _validate(schema, record.message_xml) == ""


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_query_decodes_to_same_keys(audit: AuditTrail, identifier: Dataset) -> None:
    decoded = _decoded_query(_query_record(audit, identifier))
    assert sorted(decoded.keys()) == sorted(identifier.keys())


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_query_decodes_to_same_values(audit: AuditTrail, identifier: Dataset) -> None:
    decoded = _decoded_query(_query_record(audit, identifier))
    assert {e.keyword: str(e.value) for e in decoded} == {
        e.keyword: str(e.value) for e in identifier
    }


def test_query_object_identified_by_sop_class(audit: AuditTrail) -> None:
    query = _query_object(_query_record(audit, series_identifier(STUDY_UIDS[0])))
    code = query.find("ParticipantObjectIDTypeCode")
    assert code is not None
    assert (
        query.get("ParticipantObjectID"),
        query.get("ParticipantObjectTypeCode"),
        query.get("ParticipantObjectTypeCodeRole"),
    ) == (STUDY_ROOT_FIND, "2", "3")
    assert (code.get("codeSystemName"), code.get("originalText")) == (
        "DCM",
        "SOP Class UID",
    )


def test_query_object_names_transfer_syntax(audit: AuditTrail) -> None:
    query = _query_object(_query_record(audit, series_identifier(STUDY_UIDS[0])))
    (detail,) = query.findall("ParticipantObjectDetail")
    assert detail.get("type") == "TransferSyntax"
    assert base64.b64decode(detail.get("value") or "") == (
        EXPLICIT_VR_LITTLE_ENDIAN.encode("ascii")
    )


def test_query_object_order_matches_schema(audit: AuditTrail) -> None:
    query = _query_object(_query_record(audit, series_identifier(STUDY_UIDS[0])))
    assert [child.tag for child in query] == [
        "ParticipantObjectIDTypeCode",
        "ParticipantObjectQuery",
        "ParticipantObjectDetail",
    ]


def test_query_keeps_patient_and_studies(audit: AuditTrail) -> None:
    record = _query_record(audit, series_identifier(STUDY_UIDS[0]))
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    ids = [
        (code.get("csd-code"), participant_object.get("ParticipantObjectID"))
        for participant_object in message.findall("ParticipantObjectIdentification")
        for code in participant_object.findall("ParticipantObjectIDTypeCode")
    ]
    assert ids == [
        ("2", PATIENT_ID),
        ("110180", STUDY_UIDS[0]),
        ("110180", STUDY_UIDS[1]),
        ("110181", STUDY_ROOT_FIND),
    ]


def test_query_without_bytes_has_no_query_object(audit: AuditTrail) -> None:
    record = audit.record(events.QUERY, user="drwho", study_uids=STUDY_UIDS)
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    assert "110181" not in _objects_by_id_type(message)


def _peer_participant(record: AuditRecord) -> etree._Element:
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    (peer,) = [
        participant
        for participant in message.findall("ActiveParticipant")
        if participant.get("UserID") == PACS.ae_title
    ]
    return peer


@pytest.mark.parametrize(
    ("event", "peer_role", "own_role"),
    [
        (events.QUERY, "110152", "110153"),
        (events.INSTANCES_SENT, "110152", "110153"),
        (events.INSTANCES_RETRIEVED, "110153", "110152"),
    ],
)
def test_peer_roles(
    audit: AuditTrail,
    schema: etree.RelaxNG,
    event: str,
    peer_role: str,
    own_role: str,
) -> None:
    record = audit.record(
        event, user="drwho", patient_id=PATIENT_ID, study_uids=STUDY_UIDS, peer=PACS
    )
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    person, application, peer = message.findall("ActiveParticipant")
    assert person.get("UserID") == "drwho"
    assert _role_codes(application) == ["110150", own_role]
    assert _role_codes(peer) == [peer_role]
    assert peer.get("UserIsRequestor") == "false"
    assert _validate(schema, record.message_xml) == ""


@pytest.mark.parametrize(
    ("host", "type_code"),
    [
        ("127.0.0.1", "2"),
        ("::1", "2"),
        ("pacs.example.org", "1"),
        ("localhost", "1"),
    ],
)
def test_peer_access_point(audit: AuditTrail, host: str, type_code: str) -> None:
    record = audit.record(
        events.INSTANCES_SENT, user="ops", peer=AuditPeer(PACS.ae_title, host)
    )
    peer = _peer_participant(record)
    assert peer.get("NetworkAccessPointID") == host
    assert peer.get("NetworkAccessPointTypeCode") == type_code


def test_without_peer_application_only(audit: AuditTrail) -> None:
    record = audit.record(events.INSTANCES_SENT, user="ops")
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    _person, application = message.findall("ActiveParticipant")
    assert _role_codes(application) == ["110150"]


@pytest.mark.parametrize("event", [events.STUDY_OPENED, events.INSTANCES_SENT])
def test_query_on_other_event_rejected(audit: AuditTrail, event: str) -> None:
    with pytest.raises(ValueError, match="records a query"):
        audit.record(event, user="drwho", query=b"")
    assert audit.records() == []


@pytest.mark.parametrize("event", [events.STUDY_OPENED, events.INSTANCES_IMPORTED])
def test_peer_on_other_event_rejected(audit: AuditTrail, event: str) -> None:
    with pytest.raises(ValueError, match="name a remote application entity"):
        audit.record(event, user="drwho", peer=PACS)
    assert audit.records() == []
