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
`pacs_desktop.core.archive.restrictions`.

Overrides are stored in the workstation database under the migration component
``emergency``, so that a crash cannot lose the end of one:

- A grant row and its start record commit in one transaction before the
  override takes effect; every decision reads the table.
- Ending an override marks its row ended and writes the end record in one
  transaction, so each override gets exactly one end record.
- Each row names the `EmergencyAccess` object that granted it and that
  object's process. An override is in force only for the object that granted
  it: a new object, built for the next login, never inherits one.
- When an object is built, it ends every override whose process has stopped
  (a crash, a kill, a power cut). An override that had expired is recorded as
  ended at its expiry time. One still within its time is ended at once as
  well, because the user who stated the reason must log in and state it
  again. Both end records say that the override was closed at start after an
  unclean shutdown.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import uuid
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import (
    AccessDeniedError,
    ArchiveError,
    PacsDesktopError,
)
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.core.security.users import Session

__all__ = [
    "COMPONENT",
    "DEFAULT_DURATION",
    "UNCLEAN_SHUTDOWN_NOTE",
    "EmergencyAccess",
    "EmergencyReasonError",
    "Grant",
]

logger = logging.getLogger(__name__)

COMPONENT = "emergency"

DEFAULT_DURATION = timedelta(minutes=60)

# Part of the end record of an override whose process stopped while it was open.
UNCLEAN_SHUTDOWN_NOTE = "closed at start after an unclean shutdown"

_STEPS = [
    """
    CREATE TABLE emergency_grants (
        id INTEGER PRIMARY KEY,
        user_name TEXT NOT NULL,
        user_key TEXT NOT NULL,
        study_uid TEXT NOT NULL,
        reason TEXT NOT NULL,
        patient_id TEXT,
        patient_name TEXT,
        started TEXT NOT NULL,
        expires TEXT NOT NULL,
        owner TEXT NOT NULL,
        owner_host TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_process TEXT NOT NULL,
        ended TEXT,
        end_note TEXT
    );
    CREATE INDEX emergency_grants_open ON emergency_grants (owner)
        WHERE ended IS NULL;
    """,
]

# Tokens of the EmergencyAccess objects alive in this process.
_live_owners: set[str] = set()


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


@dataclass(frozen=True)
class _StoredGrant:
    """A row of ``emergency_grants`` that has not ended."""

    row_id: int
    grant: Grant
    owner: str
    owner_host: str
    owner_pid: int
    owner_process: str


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _no_study_restricted(study_uid: str) -> bool:
    return False


class EmergencyAccess:
    """Grant, check and end emergency overrides.

    Building the object ends (and audits) the overrides that stopped processes
    left open; see the module description.

    Parameters
    ----------
    database
        The workstation database; the ``emergency`` tables are migrated.
    audit
        The audit trail that records each start and end. It must write to
        ``database``, because each record joins the transaction that changes
        the override.
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
    ArchiveError
        If the tables cannot be created or migrated.
    """

    def __init__(
        self,
        database: Database,
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
        self._database = database
        self._audit = audit
        self._clock = clock
        self.duration = duration
        self._restricted = restricted
        self._owner = uuid.uuid4().hex
        self._owner_pid = os.getpid()
        self._owner_process = _process_start(self._owner_pid) or ""
        database.migrate(COMPONENT, _STEPS)
        _live_owners.add(self._owner)
        weakref.finalize(self, _live_owners.discard, self._owner)

        self._abandoned_checked = False
        try:
            self.end_abandoned()
        except PacsDesktopError as exc:
            # Abandoned overrides grant nothing to this object, so only their
            # end records wait; expire_due() tries again.
            logger.error(
                "cannot close emergency access left open by a stopped process, "
                "retrying at the next check: %s",
                exc,
            )

    # -- decisions -----------------------------------------------------------

    def allows(self, session: Session, study_uid: str) -> bool:
        """Return whether ``session``'s user has an override for the study now.

        Overrides that have run out are ended (and audited) first.

        Raises
        ------
        AuditError
            If the end of an expired override cannot be recorded.
        ArchiveError
            If the override table cannot be read or changed.
        """
        self.expire_due()
        conn = self._database.connection()
        return bool(self._select_open(conn, session.user.name, study_uid))

    def may_open(self, session: Session, study_uid: str) -> bool:
        """Return whether ``session`` may open the study, by role or override.

        Raises
        ------
        AuditError
            If the end of an expired override cannot be recorded.
        ArchiveError
            If the override table cannot be read or changed.
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
        ArchiveError
            If the override table cannot be read or changed.
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
        ArchiveError
            If the override table cannot be read or changed.
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
        starts a new period. The override is stored, together with its start
        record, before it takes effect.

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
        ArchiveError
            If the override cannot be stored; no override is granted then.
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
        conn = self._database.connection()
        with self._write_transaction(conn):
            for previous in self._select_open(conn, new.user, study_uid):
                self._mark_ended(
                    conn, previous, "ended by a new emergency access to the study", now
                )
            self._insert(conn, new)
            self._audit.record(
                events.EMERGENCY_ACCESS_STARTED,
                user=new.user,
                patient_id=patient_id,
                patient_name=patient_name,
                study_uids=[study_uid],
                detail=f"reason: {reason}; expires {_iso(new.expires)}",
            )
        logger.info("emergency access started for %d minutes", self.duration // _MINUTE)
        return new

    def end(self, session: Session, study_uid: str) -> bool:
        """End ``session``'s override of the study; return whether one was on.

        Raises
        ------
        AuditError
            If the end cannot be recorded; the override stays in force then.
        ArchiveError
            If the override table cannot be read or changed.
        """
        self.expire_due()
        now = self._clock()
        ended = self._end_selected(
            lambda conn: self._select_open(conn, session.user.name, study_uid),
            lambda _stored: ("ended by the user", now),
        )
        return bool(ended)

    def end_all(self, session: Session, note: str = "ended at logout") -> int:
        """End every override of ``session``'s user; return how many ended.

        Raises
        ------
        AuditError
            If an end cannot be recorded.
        ArchiveError
            If the override table cannot be read or changed.
        """
        self.expire_due()
        now = self._clock()
        ended = self._end_selected(
            lambda conn: self._select_open(conn, session.user.name),
            lambda _stored: (note, now),
        )
        return len(ended)

    def expire_due(self) -> list[Grant]:
        """End and audit every override whose time has run out; return them.

        A front may call this from a timer so that the end is recorded close
        to the expiry time even when no study is opened. The overrides that
        stopped processes left open are closed here as well when building the
        object could not close them.

        Raises
        ------
        AuditError
            If an end cannot be recorded.
        ArchiveError
            If the override table cannot be read or changed.
        """
        if not self._abandoned_checked:
            self.end_abandoned()
        now = self._clock()

        def due(conn: sqlite3.Connection) -> list[_StoredGrant]:
            return [
                stored
                for stored in self._select_open(conn)
                if not stored.grant.active_at(now)
            ]

        return self._end_selected(
            due,
            lambda stored: (
                f"expired at {_iso(stored.grant.expires)}",
                stored.grant.expires,
            ),
        )

    def end_abandoned(self) -> list[Grant]:
        """End the overrides that stopped processes left open; return them.

        An override counts as abandoned when the `EmergencyAccess` object that
        granted it is gone and its process is no longer running. An expired
        one is marked ended at its expiry time, and one still within its time
        at the current time, so neither carries over to a new login. Each end
        record states that the override was closed after an unclean shutdown.

        Raises
        ------
        AuditError
            If an end cannot be recorded.
        ArchiveError
            If the override table cannot be read or changed.
        """
        now = self._clock()

        def abandoned(conn: sqlite3.Connection) -> list[_StoredGrant]:
            return [
                stored
                for stored in self._select_open(conn, any_owner=True)
                if not _owner_running(stored)
            ]

        def note(stored: _StoredGrant) -> tuple[str, datetime]:
            expires = stored.grant.expires
            if stored.grant.active_at(now):
                return (
                    f"{UNCLEAN_SHUTDOWN_NOTE}; the override was in force until "
                    f"{_iso(expires)}",
                    now,
                )
            return f"expired at {_iso(expires)}; {UNCLEAN_SHUTDOWN_NOTE}", expires

        ended = self._end_selected(abandoned, note)
        self._abandoned_checked = True
        if ended:
            logger.warning(
                "closed %d emergency accesses left open by an unclean shutdown",
                len(ended),
            )
        return ended

    def active_grants(self, session: Session | None = None) -> list[Grant]:
        """Return the overrides in force, of one user or of all, oldest first.

        Only the overrides that this object granted are returned.

        Raises
        ------
        AuditError
            If the end of an expired override cannot be recorded.
        ArchiveError
            If the override table cannot be read or changed.
        """
        self.expire_due()
        conn = self._database.connection()
        user = session.user.name if session is not None else None
        return [stored.grant for stored in self._select_open(conn, user)]

    # -- storage -------------------------------------------------------------

    def _end_selected(
        self,
        select: Callable[[sqlite3.Connection], list[_StoredGrant]],
        note: Callable[[_StoredGrant], tuple[str, datetime]],
    ) -> list[Grant]:
        # The first read is outside a transaction, so a check that finds
        # nothing to end does not take the database's write lock.
        conn = self._database.connection()
        if not select(conn):
            return []
        ended = []
        with self._write_transaction(conn):
            for stored in select(conn):
                text, ended_at = note(stored)
                if self._mark_ended(conn, stored, text, ended_at):
                    ended.append(stored.grant)
        return ended

    def _mark_ended(
        self,
        conn: sqlite3.Connection,
        stored: _StoredGrant,
        note: str,
        ended_at: datetime,
    ) -> bool:
        # The only place where an override ends: the row and the end record
        # commit together. A row that another process ended meanwhile gets no
        # second record.
        changed = conn.execute(
            "UPDATE emergency_grants SET ended = ?, end_note = ? "
            "WHERE id = ? AND ended IS NULL",
            (_iso_exact(ended_at), note, stored.row_id),
        ).rowcount
        if not changed:
            return False
        grant = stored.grant
        self._audit.record(
            events.EMERGENCY_ACCESS_STOPPED,
            user=grant.user,
            patient_id=grant.patient_id,
            patient_name=grant.patient_name,
            study_uids=[grant.study_uid],
            detail=note,
        )
        logger.info("emergency access ended")
        return True

    def _insert(self, conn: sqlite3.Connection, grant: Grant) -> None:
        conn.execute(
            "INSERT INTO emergency_grants (user_name, user_key, study_uid, reason,"
            " patient_id, patient_name, started, expires, owner, owner_host,"
            " owner_pid, owner_process) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                grant.user,
                _user_key(grant.user),
                grant.study_uid,
                grant.reason,
                grant.patient_id,
                grant.patient_name,
                _iso_exact(grant.started),
                _iso_exact(grant.expires),
                self._owner,
                socket.gethostname(),
                self._owner_pid,
                self._owner_process,
            ),
        )

    def _select_open(
        self,
        conn: sqlite3.Connection,
        user: str | None = None,
        study_uid: str | None = None,
        *,
        any_owner: bool = False,
    ) -> list[_StoredGrant]:
        # Overrides not yet ended: this object's own, or with ``any_owner``
        # those of every other object.
        clauses = ["ended IS NULL", "owner != ?" if any_owner else "owner = ?"]
        params: list[object] = [self._owner]
        if user is not None:
            clauses.append("user_key = ?")
            params.append(_user_key(user))
        if study_uid is not None:
            clauses.append("study_uid = ?")
            params.append(study_uid)
        sql = (
            "SELECT * FROM emergency_grants WHERE "
            + " AND ".join(clauses)
            + " ORDER BY started, id"
        )
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise ArchiveError(
                f"cannot read the emergency access table in {self._database.path}: "
                f"{exc}; check that the disk is readable"
            ) from exc
        return [_stored_grant(row) for row in rows]

    @contextmanager
    def _write_transaction(self, conn: sqlite3.Connection) -> Iterator[None]:
        # The audit trail joins only a transaction begun with BEGIN IMMEDIATE.
        failure = f"cannot change the emergency access table in {self._database.path}"
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise ArchiveError(
                f"{failure}: {exc}; retry, and check that no other program holds "
                "the database"
            ) from exc
        try:
            yield
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ArchiveError(
                f"{failure}: {exc}; nothing was changed, so retry, and check that "
                "the disk is not full"
            ) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _owner_running(stored: _StoredGrant) -> bool:
    """Return whether the object that granted ``stored`` may still be in use."""
    if stored.owner in _live_owners:
        return True
    # A WAL database is shared by processes of one host only (SQLite keeps
    # its index in shared memory), so an owner on another host has stopped.
    if stored.owner_host != socket.gethostname():
        return False
    if stored.owner_pid == os.getpid():
        return False
    if os.name != "posix":
        # NOTE: without a process table to read, an owner process is taken to
        # be running, so its overrides stay open until it ends them.
        return True
    try:
        os.kill(stored.owner_pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    current = _process_start(stored.owner_pid)
    if current is None or not stored.owner_process:
        return True
    # The same process number with another start time is another process.
    return current == stored.owner_process


def _process_start(pid: int) -> str | None:
    """Return the boot and start time of process ``pid`` from Linux's /proc.

    Returns None where /proc does not tell, and '' when the process is not
    running, which includes a process that has exited but that its parent has
    not yet collected (a zombie).
    """
    try:
        boot_id = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # proc(5): the command name in brackets may contain spaces, so fields are
    # counted after its closing bracket. Field 3 is the state, field 22 the
    # start time in clock ticks after boot.
    fields = stat[stat.rfind(")") + 1 :].split()
    if len(fields) < 20:
        return None
    if fields[0] in ("Z", "X"):
        return ""
    return f"{boot_id}:{fields[19]}"


def _stored_grant(row: sqlite3.Row) -> _StoredGrant:
    grant = Grant(
        user=row["user_name"],
        study_uid=row["study_uid"],
        reason=row["reason"],
        started=datetime.fromisoformat(row["started"]),
        expires=datetime.fromisoformat(row["expires"]),
        patient_id=row["patient_id"],
        patient_name=row["patient_name"],
    )
    return _StoredGrant(
        row_id=int(row["id"]),
        grant=grant,
        owner=row["owner"],
        owner_host=row["owner_host"],
        owner_pid=int(row["owner_pid"]),
        owner_process=row["owner_process"],
    )


_MINUTE = timedelta(minutes=1)


def _user_key(user: str) -> str:
    # User names are unique regardless of case in the user table.
    return user.casefold()


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _iso_exact(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
