"""Restricted studies: marking them, and emergency access to them in the core."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from security_fixtures import Clock

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.restrictions import (
    RestrictionError,
    StudyRestrictions,
)
from pacs_desktop.core.errors import AccessDeniedError
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.emergency import EmergencyAccess
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session, User

STUDY = "1.2.826.0.1.3680043.8.498.101"
OPEN_STUDY = "1.2.826.0.1.3680043.8.498.102"
OS_ACCOUNT = "pacsadmin"
REASON = "staff member"


def session(audit: AuditTrail, clock: Clock, name: str, role: Role) -> Session:
    return Session(user=User(name, role, disabled=False), started=clock(), audit=audit)


@pytest.fixture
def restrictions(database: Database, audit: AuditTrail) -> StudyRestrictions:
    return StudyRestrictions(database, audit)


@pytest.fixture
def restricted(restrictions: StudyRestrictions) -> StudyRestrictions:
    restrictions.restrict(STUDY, REASON, actor=OS_ACCOUNT)
    return restrictions


@pytest.fixture
def emergency(
    database: Database,
    audit: AuditTrail,
    clock: Clock,
    restricted: StudyRestrictions,
) -> EmergencyAccess:
    return EmergencyAccess(
        database,
        audit,
        clock,
        duration=timedelta(minutes=20),
        restricted=restricted.is_restricted,
    )


def names(audit: AuditTrail) -> list[str]:
    return [record.event for record in audit.records()]


# -- the restriction store -----------------------------------------------------


def test_restrict_marks_study(restricted: StudyRestrictions) -> None:
    assert restricted.is_restricted(STUDY)
    assert not restricted.is_restricted(OPEN_STUDY)


def test_restriction_fields(restricted: StudyRestrictions) -> None:
    restriction = restricted.get(STUDY)
    assert restriction is not None
    assert restriction.reason == REASON
    assert restriction.restricted_by == OS_ACCOUNT
    assert restriction.os_account is True


def test_restrict_audited_as_os_account(
    restrictions: StudyRestrictions, audit: AuditTrail
) -> None:
    restrictions.restrict(STUDY, f"  {REASON} ", actor=OS_ACCOUNT, patient_id="PAT-7")
    (record,) = audit.records()
    assert record.event == events.STUDY_RESTRICTED
    assert record.user == OS_ACCOUNT
    assert record.os_account is True
    assert record.study_uids == (STUDY,)
    assert record.patient_id == "PAT-7"
    assert record.detail == f"study restricted; reason: {REASON}"


def test_restrict_by_administrator(
    restrictions: StudyRestrictions, audit: AuditTrail, clock: Clock
) -> None:
    admin = session(audit, clock, "chief", Role.ADMINISTRATOR)
    restrictions.restrict(STUDY, "VIP", actor=admin)
    restriction = restrictions.get(STUDY)
    assert restriction is not None
    assert restriction.restricted_by == "chief"
    assert restriction.os_account is False
    assert audit.records()[-1].os_account is False


@pytest.mark.parametrize(
    "role",
    [
        Role.RADIOLOGIST,
        Role.REFERRING_PHYSICIAN,
        Role.TECHNICIAN,
        Role.TRANSCRIPTIONIST,
    ],
)
def test_restrict_refused_to_role(
    restrictions: StudyRestrictions, audit: AuditTrail, clock: Clock, role: Role
) -> None:
    user = session(audit, clock, "someone", role)
    with pytest.raises(AccessDeniedError):
        restrictions.restrict(STUDY, "VIP", actor=user)
    with pytest.raises(AccessDeniedError):
        restrictions.unrestrict(STUDY, actor=user)
    assert not restrictions.is_restricted(STUDY)
    assert names(audit) == [events.ACCESS_DENIED, events.ACCESS_DENIED]


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_restrict_needs_reason(
    restrictions: StudyRestrictions, audit: AuditTrail, reason: str
) -> None:
    with pytest.raises(RestrictionError, match="needs a reason"):
        restrictions.restrict(STUDY, reason, actor=OS_ACCOUNT)
    assert not restrictions.is_restricted(STUDY)
    assert names(audit) == []


@pytest.mark.parametrize(
    "uid",
    ["", "1.2.", "1..2", "1.02.3", "1.2.a", "PID-1001", "1." + "2" * 64, "١.٢"],
)
def test_restrict_rejects_invalid_uid(
    restrictions: StudyRestrictions, uid: str
) -> None:
    with pytest.raises(RestrictionError, match="invalid Study Instance UID"):
        restrictions.restrict(uid, REASON, actor=OS_ACCOUNT)


def test_restrict_again_replaces_reason(
    restricted: StudyRestrictions, audit: AuditTrail
) -> None:
    restricted.restrict(STUDY, "VIP", actor=OS_ACCOUNT)
    restriction = restricted.get(STUDY)
    assert restriction is not None
    assert restriction.reason == "VIP"
    assert len(restricted.list_restrictions()) == 1
    assert names(audit) == [events.STUDY_RESTRICTED, events.STUDY_RESTRICTED]


def test_unrestrict_lifts_and_audits(
    restricted: StudyRestrictions, audit: AuditTrail
) -> None:
    assert restricted.unrestrict(STUDY, actor=OS_ACCOUNT) is True
    assert not restricted.is_restricted(STUDY)
    assert audit.records()[-1].detail == "study restriction lifted"
    assert restricted.unrestrict(STUDY, actor=OS_ACCOUNT) is False
    assert len(audit.records()) == 2


def test_restriction_survives_restart(
    restricted: StudyRestrictions, database: Database, database_path: Path
) -> None:
    database.close()
    reopened = Database(database_path)
    try:
        again = StudyRestrictions(reopened, AuditTrail(reopened))
        assert again.is_restricted(STUDY)
    finally:
        reopened.close()


# -- emergency access to a restricted study ------------------------------------


def test_radiologist_needs_override(
    emergency: EmergencyAccess, audit: AuditTrail, clock: Clock
) -> None:
    reader = session(audit, clock, "drgrey", Role.RADIOLOGIST)
    assert not emergency.may_open(reader, STUDY)
    assert emergency.can_break_glass(reader, STUDY)
    assert emergency.may_open(reader, OPEN_STUDY)


def test_radiologist_refused_without_reason(
    emergency: EmergencyAccess, audit: AuditTrail, clock: Clock
) -> None:
    reader = session(audit, clock, "drgrey", Role.RADIOLOGIST)
    with pytest.raises(AccessDeniedError, match="state a reason"):
        emergency.require_open(reader, STUDY)
    denied = audit.records()[-1]
    assert denied.event == events.ACCESS_DENIED
    assert denied.study_uids == (STUDY,)


def test_override_opens_for_its_time(
    emergency: EmergencyAccess, audit: AuditTrail, clock: Clock
) -> None:
    reader = session(audit, clock, "drgrey", Role.RADIOLOGIST)
    emergency.grant(reader, STUDY, "stroke alarm", patient_id="PAT-7")
    emergency.require_open(reader, STUDY)
    assert emergency.may_open(reader, STUDY)

    clock.advance(timedelta(minutes=20))
    assert not emergency.may_open(reader, STUDY)
    assert names(audit)[-2:] == [
        events.EMERGENCY_ACCESS_STARTED,
        events.EMERGENCY_ACCESS_STOPPED,
    ]
    assert "expired" in audit.records()[-1].detail


@pytest.mark.parametrize(
    "role",
    [Role.ADMINISTRATOR, Role.REFERRING_PHYSICIAN, Role.TECHNICIAN],
)
def test_other_roles_refused_study(
    emergency: EmergencyAccess, audit: AuditTrail, clock: Clock, role: Role
) -> None:
    user = session(audit, clock, "someone", role)
    assert not emergency.can_break_glass(user, STUDY)
    with pytest.raises(AccessDeniedError, match="lift the restriction"):
        emergency.require_open(user, STUDY)
    assert names(audit)[-1] == events.ACCESS_DENIED
    emergency.require_open(user, OPEN_STUDY)


def test_transcriptionist_refused_any_study(
    emergency: EmergencyAccess, audit: AuditTrail, clock: Clock
) -> None:
    typist = session(audit, clock, "typist", Role.TRANSCRIPTIONIST)
    with pytest.raises(AccessDeniedError):
        emergency.require_open(typist, OPEN_STUDY)
    assert names(audit)[-1] == events.ACCESS_DENIED


def test_lifted_restriction_opens_by_role(
    emergency: EmergencyAccess,
    restricted: StudyRestrictions,
    audit: AuditTrail,
    clock: Clock,
) -> None:
    technician = session(audit, clock, "tech", Role.TECHNICIAN)
    restricted.unrestrict(STUDY, actor=OS_ACCOUNT)
    emergency.require_open(technician, STUDY)
    assert emergency.may_open(technician, STUDY)
