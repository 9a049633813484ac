"""Emergency access: reason, role, time limit and audit records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from security_fixtures import Clock

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import AccessDeniedError
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.emergency import (
    DEFAULT_DURATION,
    EmergencyAccess,
    EmergencyReasonError,
)
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session, User

STUDY = "1.2.826.0.1.3680043.8.498.77"
OTHER_STUDY = "1.2.826.0.1.3680043.8.498.78"
REASON = "trauma call, the on-call radiologist is unreachable"


def _session(audit: AuditTrail, clock: Clock, name: str, role: Role) -> Session:
    return Session(user=User(name, role, disabled=False), started=clock(), audit=audit)


@pytest.fixture
def radiologist(audit: AuditTrail, clock: Clock) -> Session:
    return _session(audit, clock, "drgrey", Role.RADIOLOGIST)


@pytest.fixture
def emergency(database: Database, audit: AuditTrail, clock: Clock) -> EmergencyAccess:
    return EmergencyAccess(database, audit, clock, duration=timedelta(minutes=30))


def _events(audit: AuditTrail) -> list[str]:
    return [record.event for record in audit.records()]


def test_default_duration_one_hour(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    assert EmergencyAccess(database, audit, clock).duration == timedelta(minutes=60)
    assert timedelta(minutes=60) == DEFAULT_DURATION


def test_grant_allows_study(emergency: EmergencyAccess, radiologist: Session) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    assert emergency.allows(radiologist, STUDY)


def test_grant_audited_start(
    emergency: EmergencyAccess, radiologist: Session, audit: AuditTrail
) -> None:
    emergency.grant(
        radiologist, STUDY, REASON, patient_id="PAT-1", patient_name="Doe^Jane"
    )
    (record,) = audit.records()
    assert record.event == events.EMERGENCY_ACCESS_STARTED
    assert record.user == "drgrey"
    assert record.study_uids == (STUDY,)
    assert record.patient_id == "PAT-1"
    assert REASON in record.detail
    assert "110127" in record.message_xml


def test_grant_times(
    emergency: EmergencyAccess, radiologist: Session, clock: Clock
) -> None:
    grant = emergency.grant(radiologist, STUDY, f"  {REASON}  ")
    assert grant.started == clock.now
    assert grant.expires == clock.now + timedelta(minutes=30)
    assert grant.reason == REASON


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_reason_required(
    emergency: EmergencyAccess, radiologist: Session, audit: AuditTrail, reason: str
) -> None:
    with pytest.raises(EmergencyReasonError, match="needs a reason"):
        emergency.grant(radiologist, STUDY, reason)
    assert not emergency.allows(radiologist, STUDY)
    assert _events(audit) == []


def test_study_uid_required(emergency: EmergencyAccess, radiologist: Session) -> None:
    with pytest.raises(ValueError, match="Study Instance UID"):
        emergency.grant(radiologist, "", REASON)


@pytest.mark.parametrize(
    "role",
    [
        Role.ADMINISTRATOR,
        Role.REFERRING_PHYSICIAN,
        Role.TECHNICIAN,
        Role.TRANSCRIPTIONIST,
    ],
)
def test_other_roles_refused(
    emergency: EmergencyAccess, audit: AuditTrail, clock: Clock, role: Role
) -> None:
    session = _session(audit, clock, "someone", role)
    with pytest.raises(AccessDeniedError):
        emergency.grant(session, STUDY, REASON)
    assert not emergency.allows(session, STUDY)
    assert _events(audit) == [events.ACCESS_DENIED]


def test_expires_after_duration(
    emergency: EmergencyAccess, radiologist: Session, clock: Clock
) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    clock.advance(timedelta(minutes=30) - timedelta(microseconds=1))
    assert emergency.allows(radiologist, STUDY)
    clock.advance(timedelta(microseconds=1))
    assert not emergency.allows(radiologist, STUDY)


def test_configured_duration(
    database: Database, audit: AuditTrail, radiologist: Session, clock: Clock
) -> None:
    emergency = EmergencyAccess(database, audit, clock, duration=timedelta(minutes=5))
    emergency.grant(radiologist, STUDY, REASON)
    clock.advance(timedelta(minutes=5))
    assert not emergency.allows(radiologist, STUDY)


def test_expiry_audited_once(
    emergency: EmergencyAccess, radiologist: Session, clock: Clock, audit: AuditTrail
) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    clock.advance(timedelta(hours=2))
    emergency.allows(radiologist, STUDY)
    emergency.allows(radiologist, STUDY)
    assert _events(audit) == [
        events.EMERGENCY_ACCESS_STARTED,
        events.EMERGENCY_ACCESS_STOPPED,
    ]
    stop = audit.records()[-1]
    assert stop.study_uids == (STUDY,)
    assert "expired" in stop.detail
    assert "110138" in stop.message_xml


def test_expire_due_returns_ended(
    emergency: EmergencyAccess, radiologist: Session, clock: Clock
) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    assert emergency.expire_due() == []
    clock.advance(timedelta(minutes=31))
    assert [grant.study_uid for grant in emergency.expire_due()] == [STUDY]


def test_end_by_user(
    emergency: EmergencyAccess, radiologist: Session, audit: AuditTrail
) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    assert emergency.end(radiologist, STUDY)
    assert not emergency.allows(radiologist, STUDY)
    assert audit.records()[-1].detail == "ended by the user"


def test_end_without_grant(emergency: EmergencyAccess, radiologist: Session) -> None:
    assert not emergency.end(radiologist, STUDY)


def test_end_all_at_logout(
    emergency: EmergencyAccess, radiologist: Session, audit: AuditTrail
) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    emergency.grant(radiologist, OTHER_STUDY, REASON)
    assert emergency.end_all(radiologist) == 2
    assert emergency.active_grants() == []
    assert _events(audit).count(events.EMERGENCY_ACCESS_STOPPED) == 2


def test_grant_covers_one_study(
    emergency: EmergencyAccess, radiologist: Session
) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    assert not emergency.allows(radiologist, OTHER_STUDY)


def test_grant_covers_one_user(
    emergency: EmergencyAccess, radiologist: Session, audit: AuditTrail, clock: Clock
) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    colleague = _session(audit, clock, "drhouse", Role.RADIOLOGIST)
    assert not emergency.allows(colleague, STUDY)


def test_second_grant_renews(
    emergency: EmergencyAccess, radiologist: Session, clock: Clock, audit: AuditTrail
) -> None:
    emergency.grant(radiologist, STUDY, REASON)
    clock.advance(timedelta(minutes=20))
    renewed = emergency.grant(radiologist, STUDY, "still needed for the trauma call")
    assert renewed.expires == clock.now + timedelta(minutes=30)
    assert len(emergency.active_grants(radiologist)) == 1
    assert _events(audit) == [
        events.EMERGENCY_ACCESS_STARTED,
        events.EMERGENCY_ACCESS_STOPPED,
        events.EMERGENCY_ACCESS_STARTED,
    ]


def test_restricted_study_needs_override(
    database: Database, audit: AuditTrail, radiologist: Session, clock: Clock
) -> None:
    emergency = EmergencyAccess(
        database, audit, clock, restricted=lambda uid: uid == STUDY
    )
    assert not emergency.may_open(radiologist, STUDY)
    assert emergency.may_open(radiologist, OTHER_STUDY)
    assert emergency.can_break_glass(radiologist, STUDY)
    emergency.grant(radiologist, STUDY, REASON)
    assert emergency.may_open(radiologist, STUDY)
    assert not emergency.can_break_glass(radiologist, STUDY)


def test_no_break_glass_when_allowed(
    emergency: EmergencyAccess, radiologist: Session
) -> None:
    assert emergency.may_open(radiologist, STUDY)
    assert not emergency.can_break_glass(radiologist, STUDY)


def test_transcriptionist_not_offered(
    emergency: EmergencyAccess, audit: AuditTrail, clock: Clock
) -> None:
    typist = _session(audit, clock, "typist", Role.TRANSCRIPTIONIST)
    assert not emergency.may_open(typist, STUDY)
    assert not emergency.can_break_glass(typist, STUDY)


def test_invalid_duration(database: Database, audit: AuditTrail, clock: Clock) -> None:
    with pytest.raises(ValueError, match="duration"):
        EmergencyAccess(database, audit, clock, duration=timedelta(0))
