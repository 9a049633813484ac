"""Emergency access ("break glass") to a study the normal rules do not open.

A user whose role grants `Permission.EMERGENCY_ACCESS` (by the permission
table, radiologists only) may open such a study after stating a reason. The
override covers one user and one study, lasts a configurable time (default 60
minutes) and is audited when it starts (DCM 110127 Emergency Override Started)
and when it ends (DCM 110138 Emergency Override Stopped), whether it expired,
was ended by the user or ended at logout.

The normal rule is the role's `Permission.OPEN_STUDY`, narrowed by a predicate
that marks studies as restricted (a staff member's or a VIP's study, say); the
workstation passes `StudyRestrictions.is_restricted` of
`pacs_desktop.core.archive.restrictions`. Overrides live in memory and end
with the process.

NOTE: when the process stops while an override is in force, no end record is
written; the start record states when the override would have expired.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pacs_desktop.core.errors import AccessDeniedError, PacsDesktopError
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.core.security.users import Session

__all__ = [
    "DEFAULT_DURATION",
    "EmergencyAccess",
    "EmergencyReasonError",
    "Grant",
]

logger = logging.getLogger(__name__)

DEFAULT_DURATION = timedelta(minutes=60)


class EmergencyReasonError(PacsDesktopError, ValueError):
    """Emergency access was requested without a reason."""


@dataclass(frozen=True)
class Grant:
    """One emergency override: a user, a study, the reason and its time span."""

    user: str
    study_uid: str
    reason: str
    started: datetime
    expires: datetime
    patient_id: str | None = None
    patient_name: str | None = None

    def active_at(self, moment: datetime) -> bool:
        """Return whether the override is still in force at ``moment``."""
        return moment < self.expires


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _no_study_restricted(study_uid: str) -> bool:
    return False


class EmergencyAccess:
    """Grant, check and end emergency overrides.

    Parameters
    ----------
    audit
        The audit trail that records each start and end.
    clock
        Returns the current time (timezone-aware); tests pass their own.
    duration
        How long an override lasts.
    restricted
        Returns whether a study is closed to the normal open-study rule;
        default: no study is.

    Raises
    ------
    ValueError
        If ``duration`` is not positive.
    """

    def __init__(
        self,
        audit: AuditTrail,
        clock: Callable[[], datetime] = _utc_now,
        *,
        duration: timedelta = DEFAULT_DURATION,
        restricted: Callable[[str], bool] = _no_study_restricted,
    ) -> None:
        if duration <= timedelta(0):
            raise ValueError(
                f"invalid emergency access duration {duration}; give a positive time"
            )
        self._audit = audit
        self._clock = clock
        self.duration = duration
        self._restricted = restricted
        self._grants: dict[tuple[str, str], Grant] = {}
        self._lock = threading.RLock()

    # -- decisions -----------------------------------------------------------

    def allows(self, session: Session, study_uid: str) -> bool:
        """Return whether ``session``'s user has an override for the study now.

        Overrides that have run out are ended (and audited) first.

        Raises
        ------
        AuditError
            If the end of an expired override cannot be recorded.
        """
        self.expire_due()
        with self._lock:
            return _key(session.user.name, study_uid) in self._grants

    def may_open(self, session: Session, study_uid: str) -> bool:
        """Return whether ``session`` may open the study, by role or override.

        Raises
        ------
        AuditError
            If the end of an expired override cannot be recorded.
        """
        if self._normally_allowed(session, study_uid):
            return True
        return self.allows(session, study_uid)

    def can_break_glass(self, session: Session, study_uid: str) -> bool:
        """Return whether the front should offer emergency access for the study.

        True when the normal rule refuses the study, no override is in force
        and the role grants emergency access.

        Raises
        ------
        AuditError
            If the end of an expired override cannot be recorded.
        """
        return (
            session.may(Permission.EMERGENCY_ACCESS)
            and not self._normally_allowed(session, study_uid)
            and not self.allows(session, study_uid)
        )

    def require_open(self, session: Session, study_uid: str) -> None:
        """Raise unless ``session`` may open the study now, by role or override.

        A refusal is audited as an access-denied event naming the study.

        Raises
        ------
        AccessDeniedError
            If the role does not open the study and no override is in force.
        AuditError
            If the refusal, or the end of an expired override, cannot be
            recorded.
        """
        if self.may_open(session, study_uid):
            return
        user = session.user
        if not session.may(Permission.OPEN_STUDY):
            # Session.require records the refusal itself.
            session.require(Permission.OPEN_STUDY)
        self._audit.record(
            events.ACCESS_DENIED,
            user=user.name,
            study_uids=[study_uid],
            detail=f"restricted study refused to role {user.role.value}",
        )
        remedy = (
            "state a reason for emergency access"
            if session.may(Permission.EMERGENCY_ACCESS)
            else "ask an administrator to lift the restriction"
        )
        raise AccessDeniedError(
            f"study {study_uid} is restricted and {user.name!r} has no emergency "
            f"access in force; {remedy}"
        )

    def _normally_allowed(self, session: Session, study_uid: str) -> bool:
        return session.may(Permission.OPEN_STUDY) and not self._restricted(study_uid)

    # -- starting and ending -------------------------------------------------

    def grant(
        self,
        session: Session,
        study_uid: str,
        reason: str,
        *,
        patient_id: str | None = None,
        patient_name: str | None = None,
    ) -> Grant:
        """Start an override of ``study_uid`` for ``session``'s user.

        A second grant for the same user and study ends the first one and
        starts a new period.

        Parameters
        ----------
        reason
            Why the user needs the study; surrounding spaces are removed and
            the rest is stored in the audit record.
        patient_id, patient_name
            The study's patient, recorded in the audit trail.

        Raises
        ------
        AccessDeniedError
            If the role does not grant emergency access (audited as an
            access-denied event).
        EmergencyReasonError
            If ``reason`` is empty or only spaces.
        ValueError
            If ``study_uid`` is empty.
        AuditError
            If the start cannot be recorded; no override is granted then.
        """
        session.require(Permission.EMERGENCY_ACCESS)
        reason = reason.strip()
        if not reason:
            raise EmergencyReasonError(
                "emergency access needs a reason; state why the study must be "
                "opened, for example the clinical emergency"
            )
        if not study_uid:
            raise ValueError("emergency access needs the Study Instance UID")

        self.expire_due()
        now = self._clock()
        new = Grant(
            user=session.user.name,
            study_uid=study_uid,
            reason=reason,
            started=now,
            expires=now + self.duration,
            patient_id=patient_id,
            patient_name=patient_name,
        )
        with self._lock:
            previous = self._grants.get(_key(new.user, study_uid))
            if previous is not None:
                self._end(previous, "ended by a new emergency access to the study")
            self._audit.record(
                events.EMERGENCY_ACCESS_STARTED,
                user=new.user,
                patient_id=patient_id,
                patient_name=patient_name,
                study_uids=[study_uid],
                detail=f"reason: {reason}; expires {_iso(new.expires)}",
            )
            self._grants[_key(new.user, study_uid)] = new
        logger.info("emergency access started for %d minutes", self.duration // _MINUTE)
        return new

    def end(self, session: Session, study_uid: str) -> bool:
        """End ``session``'s override of the study; return whether one was on.

        Raises
        ------
        AuditError
            If the end cannot be recorded; the override stays in force then.
        """
        self.expire_due()
        with self._lock:
            current = self._grants.get(_key(session.user.name, study_uid))
            if current is None:
                return False
            self._end(current, "ended by the user")
        return True

    def end_all(self, session: Session, note: str = "ended at logout") -> int:
        """End every override of ``session``'s user; return how many ended.

        Raises
        ------
        AuditError
            If an end cannot be recorded.
        """
        self.expire_due()
        with self._lock:
            mine = [
                grant
                for grant in self._grants.values()
                if grant.user.casefold() == session.user.name.casefold()
            ]
            for grant in mine:
                self._end(grant, note)
        return len(mine)

    def expire_due(self) -> list[Grant]:
        """End and audit every override whose time has run out; return them.

        A front may call this from a timer so that the end is recorded close
        to the expiry time even when nobody opens a study.

        Raises
        ------
        AuditError
            If an end cannot be recorded.
        """
        now = self._clock()
        with self._lock:
            due = [grant for grant in self._grants.values() if not grant.active_at(now)]
            for grant in due:
                self._end(grant, f"expired at {_iso(grant.expires)}")
        return due

    def active_grants(self, session: Session | None = None) -> list[Grant]:
        """Return the overrides in force, of one user or of all, oldest first.

        Raises
        ------
        AuditError
            If the end of an expired override cannot be recorded.
        """
        self.expire_due()
        with self._lock:
            grants = sorted(self._grants.values(), key=lambda grant: grant.started)
        if session is None:
            return grants
        name = session.user.name.casefold()
        return [grant for grant in grants if grant.user.casefold() == name]

    def _end(self, grant: Grant, note: str) -> None:
        # The record is written before the override is dropped, so a failed
        # write leaves the override in force and its end still to be recorded.
        self._audit.record(
            events.EMERGENCY_ACCESS_STOPPED,
            user=grant.user,
            patient_id=grant.patient_id,
            patient_name=grant.patient_name,
            study_uids=[grant.study_uid],
            detail=note,
        )
        self._grants.pop(_key(grant.user, grant.study_uid), None)
        logger.info("emergency access ended")


_MINUTE = timedelta(minutes=1)


def _key(user: str, study_uid: str) -> tuple[str, str]:
    # User names are unique regardless of case in the user table.
    return user.casefold(), study_uid


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")
