"""Audit events and their DICOM audit messages (PS3.15 Annex A.5).

Each event name the workstation records maps to an Event ID, an Event Action
Code and, where one fits, an Event Type Code from the DCM coding scheme (PS3.16
CID 400-403). `build_message` turns one event into the XML of an AuditMessage:
EventIdentification, the ActiveParticipants (the person, this application
and, for a C-FIND or a transfer, the remote application entity),
AuditSourceIdentification, and one ParticipantObjectIdentification per patient,
study, query and user account concerned.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

APPLICATION_NAME = "pacs-desktop"


@dataclass(frozen=True)
class Code:
    """A coded value: code, coding scheme and meaning (``csd-code`` etc. in XML)."""

    code: str
    meaning: str
    scheme: str = "DCM"


@dataclass(frozen=True)
class EventSpec:
    """The DICOM codes of one event name and the outcome it usually has."""

    event_id: Code
    action: str
    """EventActionCode: C create, R read, U update, D delete, E execute."""
    type_code: Code | None = None
    default_outcome: str = "success"


# Event IDs (PS3.16 CID 400, Audit Event ID).
_APPLICATION_ACTIVITY = Code("110100", "Application Activity")
_AUDIT_LOG_USED = Code("110101", "Audit Log Used")
_INSTANCES_ACCESSED = Code("110103", "DICOM Instances Accessed")
_INSTANCES_TRANSFERRED = Code("110104", "DICOM Instances Transferred")
_STUDY_DELETED = Code("110105", "DICOM Study Deleted")
_EXPORT = Code("110106", "Export")
_IMPORT = Code("110107", "Import")
_PATIENT_RECORD = Code("110110", "Patient Record")
_QUERY = Code("110112", "Query")
_SECURITY_ALERT = Code("110113", "Security Alert")
_USER_AUTHENTICATION = Code("110114", "User Authentication")

# Event Type Codes (PS3.16 CID 401 and CID 402).
_APPLICATION_START = Code("110120", "Application Start")
_APPLICATION_STOP = Code("110121", "Application Stop")
_LOGIN = Code("110122", "Login")
_LOGOUT = Code("110123", "Logout")
_EMERGENCY_OVERRIDE_STARTED = Code("110127", "Emergency Override Started")
_NETWORK_CONFIGURATION = Code("110128", "Network Configuration")
_SOFTWARE_CONFIGURATION = Code("110131", "Software Configuration")
_USE_OF_RESTRICTED_FUNCTION = Code("110132", "Use of Restricted Function")
_SECURITY_ROLES_CHANGED = Code("110136", "Security Roles Changed")
_USER_SECURITY_ATTRIBUTES_CHANGED = Code("110137", "User Security Attributes Changed")
_OBJECT_SECURITY_ATTRIBUTES_CHANGED = Code(
    "110135", "Object Security Attributes Changed"
)
_EMERGENCY_OVERRIDE_STOPPED = Code("110138", "Emergency Override Stopped")

# Active participant role IDs (PS3.16 CID 402).
_ROLE_APPLICATION = Code("110150", "Application")
_ROLE_APPLICATION_LAUNCHER = Code("110151", "Application Launcher")
_ROLE_DESTINATION = Code("110152", "Destination Role ID")
_ROLE_SOURCE = Code("110153", "Source Role ID")

# Participant object ID types (RFC 3881 and PS3.16 CID 404).
_PATIENT_NUMBER = Code("2", "Patient Number", "RFC-3881")
_USER_IDENTIFIER = Code("11", "User Identifier", "RFC-3881")
_STUDY_INSTANCE_UID = Code("110180", "Study Instance UID")
_SOP_CLASS_UID = Code("110181", "SOP Class UID")

# Audit source type (PS3.15 A.5.1): 1 is an end-user display device.
_SOURCE_TYPE_END_USER = Code("1", "End-user display device")

# Event names stored in the trail and passed to AuditTrail.record.
APPLICATION_START = "application-start"
APPLICATION_STOP = "application-stop"
LOGIN = "login"
LOGIN_FAILED = "login-failed"
LOGOUT = "logout"
ACCOUNT_LOCKED = "account-locked"
ACCOUNT_UNLOCKED = "account-unlocked"
SESSION_LOCKED = "session-locked"
SESSION_UNLOCKED = "session-unlocked"
USER_CREATED = "user-created"
USER_DISABLED = "user-disabled"
USER_ENABLED = "user-enabled"
PASSWORD_CHANGED = "password-changed"
PASSWORD_RESET = "password-reset"
ROLE_CHANGED = "role-changed"
SETTINGS_CHANGED = "settings-changed"
NODES_CHANGED = "nodes-changed"
ACCESS_DENIED = "access-denied"
EMERGENCY_ACCESS_STARTED = "emergency-access-started"
EMERGENCY_ACCESS_STOPPED = "emergency-access-stopped"
PATIENT_RECORD_ACCESSED = "patient-record-accessed"
PATIENT_CONFIRMATION_FAILED = "patient-confirmation-failed"
STUDY_OPENED = "study-opened"
QUERY = "query"
INSTANCES_IMPORTED = "instances-imported"
INSTANCES_EXPORTED = "instances-exported"
INSTANCES_SENT = "instances-sent"
INSTANCES_RETRIEVED = "instances-retrieved"
INSTANCES_DELETED = "instances-deleted"
DICTATION_RECORDED = "dictation-recorded"
DICTATION_PLAYED = "dictation-played"
DICTATION_TRANSCRIBED = "dictation-transcribed"
REPORT_SIGNED = "report-signed"
AUDIT_READ = "audit-read"
AUDIT_EXPORTED = "audit-exported"
INTEGRITY_FAILURE = "integrity-failure"
STUDY_RESTRICTED = "study-restricted"
STUDY_UNRESTRICTED = "study-unrestricted"

_SECURITY = _SECURITY_ALERT
_USER_ATTRIBUTES = _USER_SECURITY_ATTRIBUTES_CHANGED

EVENTS: dict[str, EventSpec] = {
    APPLICATION_START: EventSpec(_APPLICATION_ACTIVITY, "E", _APPLICATION_START),
    APPLICATION_STOP: EventSpec(_APPLICATION_ACTIVITY, "E", _APPLICATION_STOP),
    LOGIN: EventSpec(_USER_AUTHENTICATION, "E", _LOGIN),
    LOGIN_FAILED: EventSpec(_USER_AUTHENTICATION, "E", _LOGIN, "minor-failure"),
    LOGOUT: EventSpec(_USER_AUTHENTICATION, "E", _LOGOUT),
    ACCOUNT_LOCKED: EventSpec(_SECURITY, "E", _USER_ATTRIBUTES),
    ACCOUNT_UNLOCKED: EventSpec(_SECURITY, "E", _USER_ATTRIBUTES),
    # PS3.16 has no type code for an idle-locked screen, so only the Event ID is set.
    SESSION_LOCKED: EventSpec(_USER_AUTHENTICATION, "E"),
    SESSION_UNLOCKED: EventSpec(_USER_AUTHENTICATION, "E"),
    USER_CREATED: EventSpec(_SECURITY, "E", _USER_ATTRIBUTES),
    USER_DISABLED: EventSpec(_SECURITY, "E", _USER_ATTRIBUTES),
    USER_ENABLED: EventSpec(_SECURITY, "E", _USER_ATTRIBUTES),
    PASSWORD_CHANGED: EventSpec(_SECURITY, "E", _USER_ATTRIBUTES),
    PASSWORD_RESET: EventSpec(_SECURITY, "E", _USER_ATTRIBUTES),
    ROLE_CHANGED: EventSpec(_SECURITY, "E", _SECURITY_ROLES_CHANGED),
    SETTINGS_CHANGED: EventSpec(_SECURITY, "E", _SOFTWARE_CONFIGURATION),
    NODES_CHANGED: EventSpec(_SECURITY, "E", _NETWORK_CONFIGURATION),
    ACCESS_DENIED: EventSpec(
        _SECURITY, "E", _USE_OF_RESTRICTED_FUNCTION, "minor-failure"
    ),
    EMERGENCY_ACCESS_STARTED: EventSpec(_SECURITY, "E", _EMERGENCY_OVERRIDE_STARTED),
    EMERGENCY_ACCESS_STOPPED: EventSpec(_SECURITY, "E", _EMERGENCY_OVERRIDE_STOPPED),
    PATIENT_RECORD_ACCESSED: EventSpec(_PATIENT_RECORD, "R"),
    PATIENT_CONFIRMATION_FAILED: EventSpec(_PATIENT_RECORD, "R", None, "minor-failure"),
    STUDY_OPENED: EventSpec(_INSTANCES_ACCESSED, "R"),
    QUERY: EventSpec(_QUERY, "E"),
    INSTANCES_IMPORTED: EventSpec(_IMPORT, "C"),
    INSTANCES_EXPORTED: EventSpec(_EXPORT, "R"),
    # PS3.15 A.5.3.4: the sender records Read, the receiver Create.
    INSTANCES_SENT: EventSpec(_INSTANCES_TRANSFERRED, "R"),
    INSTANCES_RETRIEVED: EventSpec(_INSTANCES_TRANSFERRED, "C"),
    INSTANCES_DELETED: EventSpec(_STUDY_DELETED, "D"),
    # Dictations are DICOM Basic Voice Audio instances; reports are patient record.
    DICTATION_RECORDED: EventSpec(_INSTANCES_ACCESSED, "C"),
    DICTATION_PLAYED: EventSpec(_INSTANCES_ACCESSED, "R"),
    DICTATION_TRANSCRIBED: EventSpec(_PATIENT_RECORD, "C"),
    REPORT_SIGNED: EventSpec(_PATIENT_RECORD, "U"),
    AUDIT_READ: EventSpec(_AUDIT_LOG_USED, "R"),
    AUDIT_EXPORTED: EventSpec(_AUDIT_LOG_USED, "R"),
    # A stored file no longer matches the SHA-256 recorded when it was stored.
    INTEGRITY_FAILURE: EventSpec(_SECURITY_ALERT, "E", None, "serious-failure"),
    # A study marked confidential, or its mark lifted (emergency access only).
    STUDY_RESTRICTED: EventSpec(
        _SECURITY_ALERT, "E", _OBJECT_SECURITY_ATTRIBUTES_CHANGED
    ),
    STUDY_UNRESTRICTED: EventSpec(
        _SECURITY_ALERT, "E", _OBJECT_SECURITY_ATTRIBUTES_CHANGED
    ),
}

# EventOutcomeIndicator values of PS3.15 A.5.1.
OUTCOMES: dict[str, str] = {
    "success": "0",
    "minor-failure": "4",
    "failure": "4",
    "serious-failure": "8",
    "major-failure": "12",
}


# The SOP Class of every C-FIND the workstation records, local queries included:
# Study Root Query/Retrieve Information Model - FIND (PS3.4 C.6.2).
QUERY_SOP_CLASS_UID = "1.2.840.10008.5.1.4.1.2.2.1"
# The transfer syntax of the query data set in a Query message: Explicit VR
# Little Endian (PS3.15 A.5.3.12).
QUERY_TRANSFER_SYNTAX_UID = "1.2.840.10008.1.2.1"


@dataclass(frozen=True)
class AuditPeer:
    """The remote application entity of a C-FIND or of a transfer."""

    ae_title: str
    host: str
    """Host name or IP address, as the node configuration gives it."""


@dataclass(frozen=True)
class AuditEvent:
    """The facts of one audit record that its message is built from."""

    time: datetime
    event: str
    outcome: str
    user: str
    os_account: bool
    patient_id: str | None
    patient_name: str | None
    study_uids: Sequence[str]
    target_user: str | None
    detail: str
    query: bytes | None = None
    """QUERY only: the C-FIND identifier in Explicit VR Little Endian."""
    peer: AuditPeer | None = None
    """QUERY, INSTANCES_SENT and INSTANCES_RETRIEVED only: the remote AE."""


# The role of the remote AE in the events that name one (PS3.15 A.5.3.4 and
# A.5.3.12): a C-FIND or a C-STORE goes to it, a retrieve comes from it.
_PEER_ROLES: dict[str, Code] = {
    QUERY: _ROLE_DESTINATION,
    INSTANCES_SENT: _ROLE_DESTINATION,
    INSTANCES_RETRIEVED: _ROLE_SOURCE,
}
_OWN_ROLES: dict[str, Code] = {
    QUERY: _ROLE_SOURCE,
    INSTANCES_SENT: _ROLE_SOURCE,
    INSTANCES_RETRIEVED: _ROLE_DESTINATION,
}


# Characters XML 1.0 forbids (section 2.2); a broken file can put them in a name.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML_CHAR.sub("\ufffd", value)


def build_message(event: AuditEvent, *, source_id: str | None = None) -> str:
    """Return the XML text of the AuditMessage describing ``event``.

    Raises
    ------
    ValueError
        If the event name or the outcome is unknown, or a query or a peer is
        given for an event that has none.
    """
    spec = EVENTS.get(event.event)
    if spec is None:
        raise ValueError(f"unknown audit event {event.event!r}")
    if event.outcome not in OUTCOMES:
        raise ValueError(
            f"unknown audit outcome {event.outcome!r}; use one of "
            + ", ".join(OUTCOMES)
        )
    if event.query is not None and event.event != QUERY:
        raise ValueError(
            f"only the {QUERY!r} audit event records a query, not {event.event!r}"
        )
    if event.peer is not None and event.event not in _PEER_ROLES:
        names = ", ".join(repr(name) for name in _PEER_ROLES)
        raise ValueError(
            f"only the {names} audit events name a remote application entity, "
            f"not {event.event!r}"
        )

    event = AuditEvent(
        time=event.time,
        event=event.event,
        outcome=event.outcome,
        user=_xml_text(event.user),
        os_account=event.os_account,
        patient_id=None if event.patient_id is None else _xml_text(event.patient_id),
        patient_name=(
            None if event.patient_name is None else _xml_text(event.patient_name)
        ),
        study_uids=[_xml_text(uid) for uid in event.study_uids],
        target_user=None if event.target_user is None else _xml_text(event.target_user),
        detail=_xml_text(event.detail),
        query=event.query,
        peer=(
            None
            if event.peer is None
            else AuditPeer(_xml_text(event.peer.ae_title), _xml_text(event.peer.host))
        ),
    )
    root = ET.Element("AuditMessage")
    _add_event_identification(root, spec, event)
    _add_active_participants(root, event)
    source = ET.SubElement(
        root, "AuditSourceIdentification", AuditSourceID=source_id or default_source()
    )
    _add_code(source, "AuditSourceTypeCode", _SOURCE_TYPE_END_USER)
    _add_participant_objects(root, event)
    return ET.tostring(root, encoding="unicode")


def default_source() -> str:
    """Return the AuditSourceID of this installation: ``pacs-desktop@HOST``."""
    return f"{APPLICATION_NAME}@{socket.gethostname()}"


def _add_code(parent: ET.Element, tag: str, code: Code) -> None:
    ET.SubElement(
        parent,
        tag,
        {
            "csd-code": code.code,
            "codeSystemName": code.scheme,
            "originalText": code.meaning,
        },
    )


def _add_event_identification(
    root: ET.Element, spec: EventSpec, event: AuditEvent
) -> None:
    identification = ET.SubElement(
        root,
        "EventIdentification",
        EventActionCode=spec.action,
        EventDateTime=event.time.isoformat(),
        EventOutcomeIndicator=OUTCOMES[event.outcome],
    )
    _add_code(identification, "EventID", spec.event_id)
    if spec.type_code is not None:
        _add_code(identification, "EventTypeCode", spec.type_code)
    if event.detail:
        ET.SubElement(identification, "EventOutcomeDescription").text = event.detail


def _add_active_participants(root: ET.Element, event: AuditEvent) -> None:
    # The person who acted is the requestor; this application is the second
    # participant, identified by its process ID on this host.
    if event.user:
        person = ET.SubElement(
            root, "ActiveParticipant", UserID=event.user, UserIsRequestor="true"
        )
        if event.os_account:
            person.set("UserName", f"{event.user} (operating-system account)")
        if event.event in (APPLICATION_START, APPLICATION_STOP):
            _add_code(person, "RoleIDCode", _ROLE_APPLICATION_LAUNCHER)

    application = ET.SubElement(
        root,
        "ActiveParticipant",
        UserID=APPLICATION_NAME,
        AlternativeUserID=str(os.getpid()),
        UserIsRequestor="false" if event.user else "true",
        NetworkAccessPointID=socket.gethostname(),
        # 1: the access point ID is a machine name.
        NetworkAccessPointTypeCode="1",
    )
    _add_code(application, "RoleIDCode", _ROLE_APPLICATION)
    if event.peer is None:
        return

    # With a remote AE, this application is the other end of the exchange.
    _add_code(application, "RoleIDCode", _OWN_ROLES[event.event])
    peer = ET.SubElement(
        root, "ActiveParticipant", UserID=event.peer.ae_title, UserIsRequestor="false"
    )
    _add_code(peer, "RoleIDCode", _PEER_ROLES[event.event])
    if event.peer.host:
        peer.set("NetworkAccessPointID", event.peer.host)
        peer.set("NetworkAccessPointTypeCode", _access_point_type(event.peer.host))


def _access_point_type(host: str) -> str:
    # NetworkAccessPointTypeCode (PS3.15 A.5.1): 2 an IP address, 1 a machine name.
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "1"
    return "2"


def _add_participant_objects(root: ET.Element, event: AuditEvent) -> None:
    # Type code 1 person, 2 system object; role 1 patient, 3 report (the role
    # PS3.15 A.5.3 gives a study), 11 security user entity.
    if event.patient_id is not None or event.patient_name is not None:
        patient = ET.SubElement(
            root,
            "ParticipantObjectIdentification",
            ParticipantObjectID=event.patient_id or "",
            ParticipantObjectTypeCode="1",
            ParticipantObjectTypeCodeRole="1",
        )
        _add_code(patient, "ParticipantObjectIDTypeCode", _PATIENT_NUMBER)
        _add_name(patient, event.patient_name or "")

    for uid in event.study_uids:
        study = ET.SubElement(
            root,
            "ParticipantObjectIdentification",
            ParticipantObjectID=uid,
            ParticipantObjectTypeCode="2",
            ParticipantObjectTypeCodeRole="3",
        )
        _add_code(study, "ParticipantObjectIDTypeCode", _STUDY_INSTANCE_UID)
        _add_name(study, "")

    if event.query is not None:
        _add_query(root, event.query)

    if event.target_user:
        account = ET.SubElement(
            root,
            "ParticipantObjectIdentification",
            ParticipantObjectID=event.target_user,
            ParticipantObjectTypeCode="1",
            ParticipantObjectTypeCodeRole="11",
        )
        _add_code(account, "ParticipantObjectIDTypeCode", _USER_IDENTIFIER)
        _add_name(account, event.target_user)


def _add_query(root: ET.Element, identifier: bytes) -> None:
    # PS3.15 A.5.3.12: the query is a system object in the role of a report,
    # identified by the SOP Class UID of the C-FIND. The schema puts the query
    # where a name would be, and the details after it.
    query = ET.SubElement(
        root,
        "ParticipantObjectIdentification",
        ParticipantObjectID=QUERY_SOP_CLASS_UID,
        ParticipantObjectTypeCode="2",
        ParticipantObjectTypeCodeRole="3",
    )
    _add_code(query, "ParticipantObjectIDTypeCode", _SOP_CLASS_UID)
    ET.SubElement(query, "ParticipantObjectQuery").text = _base64(identifier)
    ET.SubElement(
        query,
        "ParticipantObjectDetail",
        type="TransferSyntax",
        value=_base64(QUERY_TRANSFER_SYNTAX_UID.encode("ascii")),
    )


def _base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _add_name(participant_object: ET.Element, name: str) -> None:
    # The PS3.15 A.5.1 schema requires a ParticipantObjectName or a
    # ParticipantObjectQuery in every participant object; an object without a
    # name (a study) gets an empty one.
    ET.SubElement(participant_object, "ParticipantObjectName").text = name
