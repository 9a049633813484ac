"""Restricted studies: studies that an administrator closed to normal access.

A study is marked restricted when it needs more protection than its role rules
give it: a staff member's or a public figure's study (confidential, VIP). A
restricted study opens for nobody by role alone; a radiologist may still open
it through emergency access after stating a reason
(`pacs_desktop.core.security.emergency.EmergencyAccess`, whose ``restricted``
predicate is `StudyRestrictions.is_restricted`).

Only an administrator (`Permission.MANAGE_USERS`) or an operating-system
account on the command line marks or lifts a restriction. Each change is
written together with its audit record in one transaction.

The marks live in their own table under the migration component
``restrictions``, keyed by StudyInstanceUID, so a study may be marked before
its instances arrive and keeps its mark when the archive index is rebuilt.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import AccessDeniedError, ArchiveError, PacsDesktopError
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.core.security.users import Session

__all__ = [
    "COMPONENT",
    "Restriction",
    "RestrictionError",
    "StudyRestrictions",
]

logger = logging.getLogger(__name__)

COMPONENT = "restrictions"

_STEPS = [
    """
    CREATE TABLE study_restrictions (
        study_uid TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        restricted_by TEXT NOT NULL,
        os_account INTEGER NOT NULL,
        restricted_at TEXT NOT NULL
    );
    """,
]

# The length of a UI value, PS3.5 table 6.2-1.
_MAX_UID_LENGTH = 64


class RestrictionError(PacsDesktopError, ValueError):
    """A restriction request is invalid: no reason, or an invalid study UID."""


@dataclass(frozen=True)
class Restriction:
    """The restriction of one study: why, by whom and since when."""

    study_uid: str
    reason: str
    restricted_by: str
    os_account: bool
    restricted_at: datetime


# Who changes a restriction: a GUI session, or the name of the operating-system
# account that ran a command.
Actor = Session | str


class StudyRestrictions:
    """Mark, lift and look up study restrictions.

    Parameters
    ----------
    database
        The workstation database; the ``restrictions`` tables are migrated.
    audit
        The trail that records every change and every refused change.

    Raises
    ------
    ArchiveError
        If the tables cannot be created or migrated.
    """

    def __init__(self, database: Database, audit: AuditTrail) -> None:
        self._database = database
        self._audit = audit
        database.migrate(COMPONENT, _STEPS)

    # -- queries -------------------------------------------------------------

    def is_restricted(self, study_uid: str) -> bool:
        """Return whether the study is restricted.

        Raises
        ------
        ArchiveError
            If the table cannot be read.
        """
        return self.get(study_uid) is not None

    def get(self, study_uid: str) -> Restriction | None:
        """Return the restriction of the study, or None when it has none.

        Raises
        ------
        ArchiveError
            If the table cannot be read.
        """
        try:
            row = (
                self._database.connection()
                .execute(
                    "SELECT * FROM study_restrictions WHERE study_uid = ?",
                    (study_uid,),
                )
                .fetchone()
            )
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot read the study restrictions: {exc}") from exc
        return None if row is None else _restriction(row)

    def list_restrictions(self) -> list[Restriction]:
        """Return every restriction, oldest first.

        Raises
        ------
        ArchiveError
            If the table cannot be read.
        """
        try:
            rows = (
                self._database.connection()
                .execute("SELECT * FROM study_restrictions ORDER BY restricted_at")
                .fetchall()
            )
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot read the study restrictions: {exc}") from exc
        return [_restriction(row) for row in rows]

    # -- changes -------------------------------------------------------------

    def restrict(
        self,
        study_uid: str,
        reason: str,
        *,
        actor: Actor,
        patient_id: str | None = None,
        patient_name: str | None = None,
    ) -> Restriction:
        """Mark the study restricted, or replace the reason of its restriction.

        Parameters
        ----------
        reason
            Why the study is restricted ("VIP", "staff member"); surrounding
            spaces are removed and the rest is stored and audited.
        actor
            An administrator's session, or the operating-system account name
            of a command-line run.
        patient_id, patient_name
            The study's patient, recorded in the audit trail only.

        Raises
        ------
        AccessDeniedError
            If ``actor`` is a session without `Permission.MANAGE_USERS`
            (audited as an access-denied event).
        RestrictionError
            If the reason is empty or the UID is not a valid UID.
        ArchiveError
            If the change cannot be stored; nothing changes then.
        AuditError
            If the change cannot be recorded; nothing changes then.
        """
        actor_name, os_account = _authorise(actor)
        study_uid = _check_uid(study_uid)
        reason = reason.strip()
        if not reason:
            raise RestrictionError(
                "a study restriction needs a reason; state why the study is "
                "confidential, for example 'staff member' or 'VIP'"
            )
        now = datetime.now(timezone.utc)
        restriction = Restriction(study_uid, reason, actor_name, os_account, now)
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO study_restrictions (study_uid, reason, restricted_by,"
                " os_account, restricted_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(study_uid) DO UPDATE SET reason = excluded.reason,"
                " restricted_by = excluded.restricted_by,"
                " os_account = excluded.os_account,"
                " restricted_at = excluded.restricted_at",
                (study_uid, reason, actor_name, int(os_account), now.isoformat()),
            )
            self._audit.record(
                events.STUDY_RESTRICTED,
                user=actor_name,
                os_account=os_account,
                patient_id=patient_id,
                patient_name=patient_name,
                study_uids=[study_uid],
                detail=f"study restricted; reason: {reason}",
            )
        logger.info("study restriction set")
        return restriction

    def unrestrict(
        self,
        study_uid: str,
        *,
        actor: Actor,
        patient_id: str | None = None,
        patient_name: str | None = None,
    ) -> bool:
        """Lift the study's restriction; return whether it had one.

        Nothing is recorded when the study was not restricted.

        Raises
        ------
        AccessDeniedError
            If ``actor`` is a session without `Permission.MANAGE_USERS`
            (audited as an access-denied event).
        ArchiveError
            If the change cannot be stored; nothing changes then.
        AuditError
            If the change cannot be recorded; nothing changes then.
        """
        actor_name, os_account = _authorise(actor)
        with self._transaction() as conn:
            removed = conn.execute(
                "DELETE FROM study_restrictions WHERE study_uid = ?", (study_uid,)
            ).rowcount
            if removed:
                self._audit.record(
                    events.STUDY_UNRESTRICTED,
                    user=actor_name,
                    os_account=os_account,
                    patient_id=patient_id,
                    patient_name=patient_name,
                    study_uids=[study_uid],
                    detail="study restriction lifted",
                )
        if removed:
            logger.info("study restriction lifted")
        return bool(removed)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._database.connection())


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception.

    The audit trail joins a transaction opened this way, so the change and its
    record commit together or not at all.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot change the study restrictions: {exc}") from exc
        return self.conn

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        if kind is not None:
            self.conn.execute("ROLLBACK")
            return
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            raise ArchiveError(f"cannot change the study restrictions: {exc}") from exc


def _authorise(actor: Actor) -> tuple[str, bool]:
    """Return the audit name of ``actor`` and whether it is an OS account."""
    if isinstance(actor, str):
        if not actor:
            raise AccessDeniedError("a study restriction needs a named account")
        return actor, True
    actor.require(Permission.MANAGE_USERS)
    return actor.user.name, False


def _check_uid(study_uid: str) -> str:
    # PS3.5 section 9.1: digits and dots, no empty or leading-zero component.
    uid = study_uid.strip()
    components = uid.split(".")
    valid = (
        0 < len(uid) <= _MAX_UID_LENGTH
        and all(part.isdigit() and part.isascii() for part in components)
        and all(part == "0" or not part.startswith("0") for part in components)
    )
    if not valid:
        raise RestrictionError(
            f"invalid Study Instance UID {study_uid!r}; give the UID as digits "
            "and dots, as `pacs-desktop studies --json` lists it"
        )
    return uid


def _restriction(row: sqlite3.Row) -> Restriction:
    return Restriction(
        study_uid=row["study_uid"],
        reason=row["reason"],
        restricted_by=row["restricted_by"],
        os_account=bool(row["os_account"]),
        restricted_at=datetime.fromisoformat(row["restricted_at"]),
    )
