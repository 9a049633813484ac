"""Dictation records, their workflow states and who changed them when.

A dictation row is written when recording starts, before the first sample, so a
recording is bound to its study, patient and author from its first moment. Each
state change appends an event row naming the user and the time.

States and the changes allowed between them::

    recording ---------> recorded -> in transcription -> transcribed -> corrected
        |                  ^   ^          |                  |              |
        v                  |   +----------+ (release)        +----> signed <+
    recovered -------------+
        |
        +--> discarded  (also from recording and recorded)

    received -> discarded

``in transcription`` is locked to the transcriptionist who claimed it: only that
user may mark it transcribed, and only that user releases it, unless a
radiologist or an administrator overrides a stale claim (`release_claim`). A
``received`` dictation came from the PACS as a Basic Voice Audio object made
elsewhere: it plays in its study's dictation list and stays off the
transcription worklist, because the workstation that recorded it runs its
transcription.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from pydicom.uid import generate_uid

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Permission

if TYPE_CHECKING:
    from pacs_desktop.core.security.audit import AuditTrail
    from pacs_desktop.core.security.users import Session

COMPONENT = "dictation"


class DictationError(PacsDesktopError):
    """A dictation cannot be recorded, stored or changed."""


class DictationNotFoundError(DictationError, LookupError):
    """No dictation has the requested id."""


class DictationStateError(DictationError):
    """The requested state change is not allowed from the current state."""


class DictationLockedError(DictationError):
    """The dictation is locked to another transcriptionist."""


class DictationState(str, Enum):
    """Workflow state of a dictation."""

    RECORDING = "recording"
    RECOVERED = "recovered"
    RECORDED = "recorded"
    IN_TRANSCRIPTION = "in transcription"
    TRANSCRIBED = "transcribed"
    CORRECTED = "corrected"
    SIGNED = "signed"
    DISCARDED = "discarded"
    RECEIVED = "received"


class Priority(str, Enum):
    """Reading priority shown on the transcription worklist."""

    ROUTINE = "routine"
    URGENT = "urgent"
    STAT = "stat"


_ALLOWED: dict[DictationState, frozenset[DictationState]] = {
    DictationState.RECORDING: frozenset(
        {DictationState.RECORDED, DictationState.RECOVERED, DictationState.DISCARDED}
    ),
    DictationState.RECOVERED: frozenset(
        {DictationState.RECORDED, DictationState.DISCARDED}
    ),
    DictationState.RECORDED: frozenset(
        {DictationState.IN_TRANSCRIPTION, DictationState.DISCARDED}
    ),
    DictationState.IN_TRANSCRIPTION: frozenset(
        {DictationState.RECORDED, DictationState.TRANSCRIBED}
    ),
    DictationState.TRANSCRIBED: frozenset(
        {DictationState.CORRECTED, DictationState.SIGNED}
    ),
    DictationState.CORRECTED: frozenset({DictationState.SIGNED}),
    DictationState.SIGNED: frozenset(),
    DictationState.DISCARDED: frozenset(),
    DictationState.RECEIVED: frozenset({DictationState.DISCARDED}),
}

_SCHEMA_V1 = """
CREATE TABLE dictations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    study_instance_uid TEXT NOT NULL,
    accession_number TEXT NOT NULL DEFAULT '',
    patient_id TEXT NOT NULL,
    author TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    state TEXT NOT NULL,
    locked_by TEXT,
    priority TEXT NOT NULL DEFAULT 'routine',
    source TEXT NOT NULL DEFAULT 'recorded',
    audio_path TEXT,
    sample_rate INTEGER NOT NULL,
    channels INTEGER NOT NULL DEFAULT 1,
    duration_seconds REAL NOT NULL DEFAULT 0
);
CREATE INDEX dictations_study ON dictations (study_instance_uid);
CREATE INDEX dictations_state ON dictations (state);
CREATE TABLE dictation_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dictation_id INTEGER NOT NULL REFERENCES dictations (id),
    state TEXT NOT NULL,
    user TEXT NOT NULL,
    at TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dictation_events_dictation ON dictation_events (dictation_id);
"""

# The SOP Instance UID of the dictation's Basic Voice Audio object, made here or
# received from the PACS, so that each audio object maps to one dictation.
_SCHEMA_V2 = """
ALTER TABLE dictations ADD COLUMN audio_object_uid TEXT;
CREATE INDEX dictations_audio_object ON dictations (audio_object_uid);
"""

# The Series Instance UID of that object. Both UIDs are assigned once and
# reused by every export and send, so the PACS gets one object per recording
# version however often it is sent.
_SCHEMA_V3 = """
ALTER TABLE dictations ADD COLUMN audio_series_uid TEXT;
"""


def utc_now() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class RecordingBinding:
    """The study, patient and author a recording belongs to, fixed at Record."""

    StudyInstanceUID: str
    AccessionNumber: str
    PatientID: str
    user: str
    started: datetime

    @classmethod
    def for_study(
        cls, study: object, user: str, started: datetime | None = None
    ) -> RecordingBinding:
        """Bind to a study record (any object with the DICOM keyword attributes).

        Raises
        ------
        DictationError
            If the study has no StudyInstanceUID or no PatientID.
        """
        uid = str(getattr(study, "StudyInstanceUID", "") or "")
        patient_id = str(getattr(study, "PatientID", "") or "")
        if not uid or not patient_id:
            raise DictationError(
                "cannot bind a dictation to a study without StudyInstanceUID and "
                "PatientID; open the study from the archive and record again"
            )
        return cls(
            StudyInstanceUID=uid,
            AccessionNumber=str(getattr(study, "AccessionNumber", "") or ""),
            PatientID=patient_id,
            user=user,
            started=started or utc_now(),
        )


@dataclass(frozen=True)
class DictationAudit:
    """The audit trail and patient name that record a dictation state change.

    ``PatientName`` comes from the dictation's study, because the dictation row
    stores only the PatientID.
    """

    trail: AuditTrail
    PatientName: str = ""
    os_account: bool = False


@dataclass(frozen=True)
class Dictation:
    """One dictation row."""

    id: int
    StudyInstanceUID: str
    AccessionNumber: str
    PatientID: str
    author: str
    started_at: datetime
    finished_at: datetime | None
    state: DictationState
    locked_by: str | None
    priority: Priority
    source: str
    audio_path: Path | None
    sample_rate: int
    channels: int
    duration_seconds: float
    audio_object_uid: str | None = None
    audio_series_uid: str | None = None

    def to_json(self) -> dict[str, object]:
        """Return the fields of `pacs-desktop dictation list --json`."""
        return {
            "id": self.id,
            "StudyInstanceUID": self.StudyInstanceUID,
            "AccessionNumber": self.AccessionNumber,
            "PatientID": self.PatientID,
            "author": self.author,
            "started_at": self.started_at.isoformat(),
            "duration_seconds": round(self.duration_seconds, 3),
            "state": self.state.value,
            "priority": self.priority.value,
            "locked_by": self.locked_by,
        }


@dataclass(frozen=True)
class DictationEvent:
    """One state change: which state, who made it, when, and why."""

    dictation_id: int
    state: DictationState
    user: str
    at: datetime
    detail: str


def _row_to_dictation(row: sqlite3.Row) -> Dictation:
    finished = row["finished_at"]
    return Dictation(
        id=int(row["id"]),
        StudyInstanceUID=row["study_instance_uid"],
        AccessionNumber=row["accession_number"],
        PatientID=row["patient_id"],
        author=row["author"],
        started_at=datetime.fromisoformat(row["started_at"]),
        finished_at=datetime.fromisoformat(finished) if finished else None,
        state=DictationState(row["state"]),
        locked_by=row["locked_by"],
        priority=Priority(row["priority"]),
        source=row["source"],
        audio_path=Path(row["audio_path"]) if row["audio_path"] else None,
        sample_rate=int(row["sample_rate"]),
        channels=int(row["channels"]),
        duration_seconds=float(row["duration_seconds"]),
        audio_object_uid=row["audio_object_uid"],
        audio_series_uid=row["audio_series_uid"],
    )


class DictationStore:
    """Dictation rows in the workstation database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        database.migrate(COMPONENT, [_SCHEMA_V1, _SCHEMA_V2, _SCHEMA_V3])

    def create(
        self,
        binding: RecordingBinding,
        *,
        sample_rate: int,
        channels: int = 1,
        state: DictationState = DictationState.RECORDING,
        source: str = "recorded",
        audio_path: Path | None = None,
        duration_seconds: float = 0.0,
        priority: Priority = Priority.ROUTINE,
        audio_object_uid: str | None = None,
        audio_series_uid: str | None = None,
        detail: str = "created",
    ) -> Dictation:
        """Insert a dictation bound to a study and return it.

        The row is committed (``synchronous=FULL``) before this returns, so a
        crash after it still finds the binding. ``audio_object_uid`` and
        ``audio_series_uid`` are the SOP Instance and Series Instance UIDs of
        a received Basic Voice Audio object. ``detail`` describes the
        creation in the dictation's history.

        Raises
        ------
        ArchiveError
            If the database cannot be written.
        """
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            cursor = conn.execute(
                "INSERT INTO dictations (study_instance_uid, accession_number,"
                " patient_id, author, started_at, state, priority, source,"
                " audio_path, sample_rate, channels, duration_seconds,"
                " audio_object_uid, audio_series_uid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    binding.StudyInstanceUID,
                    binding.AccessionNumber,
                    binding.PatientID,
                    binding.user,
                    binding.started.isoformat(),
                    state.value,
                    priority.value,
                    source,
                    str(audio_path) if audio_path else None,
                    sample_rate,
                    channels,
                    duration_seconds,
                    audio_object_uid,
                    audio_series_uid,
                ),
            )
            dictation_id = int(cursor.lastrowid or 0)
            self._add_event(conn, dictation_id, state, binding.user, detail)
        return self.get(dictation_id)

    def get(self, dictation_id: int) -> Dictation:
        """Return one dictation.

        Raises
        ------
        DictationNotFoundError
            If no dictation has this id.
        """
        row = (
            self.database.connection()
            .execute("SELECT * FROM dictations WHERE id = ?", (dictation_id,))
            .fetchone()
        )
        if row is None:
            raise DictationNotFoundError(
                f"no dictation with id {dictation_id}; "
                "run `pacs-desktop dictation list` to see the ids"
            )
        return _row_to_dictation(row)

    def find(
        self,
        *,
        study_uid: str | None = None,
        states: Sequence[DictationState] | None = None,
        author: str | None = None,
    ) -> list[Dictation]:
        """Return dictations, oldest first, optionally filtered."""
        clauses: list[str] = []
        params: list[object] = []
        if study_uid is not None:
            clauses.append("study_instance_uid = ?")
            params.append(study_uid)
        if author is not None:
            clauses.append("author = ?")
            params.append(author)
        if states is not None:
            marks = ", ".join("?" for _ in states)
            clauses.append(f"state IN ({marks})")
            params.extend(state.value for state in states)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = (
            self.database.connection()
            .execute(f"SELECT * FROM dictations{where} ORDER BY id", params)
            .fetchall()
        )
        return [_row_to_dictation(row) for row in rows]

    def history(self, dictation_id: int) -> list[DictationEvent]:
        """Return every state change of a dictation, oldest first."""
        rows = (
            self.database.connection()
            .execute(
                "SELECT * FROM dictation_events WHERE dictation_id = ? ORDER BY id",
                (dictation_id,),
            )
            .fetchall()
        )
        return [
            DictationEvent(
                dictation_id=int(row["dictation_id"]),
                state=DictationState(row["state"]),
                user=row["user"],
                at=datetime.fromisoformat(row["at"]),
                detail=row["detail"],
            )
            for row in rows
        ]

    def set_audio(
        self, dictation_id: int, audio_path: Path, duration_seconds: float
    ) -> None:
        """Record where the audio of a dictation is and how long it is.

        Replacing earlier audio of a recorded dictation (an edited recording)
        makes a new recording version, so its audio object gets new UIDs on
        the next export. A received dictation keeps the UIDs of the PACS
        object its audio came from.
        """
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            current = self.get(dictation_id)
            new_version = current.audio_path is not None and current.source != (
                "received"
            )
            conn.execute(
                "UPDATE dictations SET audio_path = ?, duration_seconds = ?"
                " WHERE id = ?",
                (str(audio_path), duration_seconds, dictation_id),
            )
            if new_version:
                conn.execute(
                    "UPDATE dictations SET audio_object_uid = NULL,"
                    " audio_series_uid = NULL WHERE id = ?",
                    (dictation_id,),
                )

    def audio_object_uids(self, dictation_id: int) -> tuple[str, str]:
        """Return the SOP Instance and Series Instance UIDs of the audio object.

        They are generated and stored on the first call, then returned
        unchanged until the recording changes (`set_audio`).

        Raises
        ------
        DictationNotFoundError
            If no dictation has this id.
        """
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            current = self.get(dictation_id)
            sop_uid = current.audio_object_uid or generate_uid()
            series_uid = current.audio_series_uid or generate_uid()
            conn.execute(
                "UPDATE dictations SET audio_object_uid = ?, audio_series_uid = ?"
                " WHERE id = ?",
                (sop_uid, series_uid, dictation_id),
            )
        return sop_uid, series_uid

    def set_audio_object(self, dictation_id: int, sop_instance_uid: str) -> None:
        """Record the SOP Instance UID of the dictation's audio object."""
        conn = self.database.connection()
        with conn:
            conn.execute(
                "UPDATE dictations SET audio_object_uid = ? WHERE id = ?",
                (sop_instance_uid, dictation_id),
            )

    def find_by_audio_object(self, sop_instance_uid: str) -> Dictation | None:
        """Return the dictation whose audio object has this SOP Instance UID."""
        row = (
            self.database.connection()
            .execute(
                "SELECT * FROM dictations WHERE audio_object_uid = ?"
                " ORDER BY id LIMIT 1",
                (sop_instance_uid,),
            )
            .fetchone()
        )
        return _row_to_dictation(row) if row else None

    def set_priority(
        self, dictation_id: int, priority: Priority, user: str
    ) -> Dictation:
        """Change the reading priority of a dictation, recording who and when.

        The change is an event in the dictation's history (its state stays,
        the detail names the new priority); setting the current priority again
        records nothing.

        Raises
        ------
        DictationNotFoundError
            If no dictation has this id.
        DictationStateError
            If the dictation is signed or discarded: its reading is over.
        """
        priority = Priority(priority)
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            current = self.get(dictation_id)
            if current.state in (DictationState.SIGNED, DictationState.DISCARDED):
                raise DictationStateError(
                    f"dictation {dictation_id} is {current.state.value}; its "
                    "priority can no longer change"
                )
            if current.priority is not priority:
                conn.execute(
                    "UPDATE dictations SET priority = ? WHERE id = ?",
                    (priority.value, dictation_id),
                )
                self._add_event(
                    conn,
                    dictation_id,
                    current.state,
                    user,
                    f"priority {current.priority.value} -> {priority.value}",
                )
        return self.get(dictation_id)

    def transition(
        self,
        dictation_id: int,
        new_state: DictationState,
        user: str,
        *,
        detail: str = "",
        override_lock: bool = False,
        audit: DictationAudit | None = None,
    ) -> Dictation:
        """Move a dictation to ``new_state``, recording who and when.

        Claiming (to ``in transcription``) locks the dictation to ``user``; leaving
        that state is allowed only to the lock holder and clears the lock, unless
        ``override_lock`` is set. With ``audit``, the change is also recorded in
        the audit trail, in the same transaction.

        Raises
        ------
        DictationNotFoundError
            If no dictation has this id.
        DictationStateError
            If the change is not allowed from the current state.
        DictationLockedError
            If the dictation is in transcription by another user.
        """
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            current = self.get(dictation_id)
            self._check_transition(current, new_state, user, override_lock)
            locked_by = user if new_state is DictationState.IN_TRANSCRIPTION else None
            finished = current.finished_at
            if new_state is DictationState.RECORDED and finished is None:
                finished = utc_now()
            conn.execute(
                "UPDATE dictations SET state = ?, locked_by = ?, finished_at = ?"
                " WHERE id = ?",
                (
                    new_state.value,
                    locked_by,
                    finished.isoformat() if finished else None,
                    dictation_id,
                ),
            )
            self._add_event(conn, dictation_id, new_state, user, detail)
            if audit is not None:
                audit.trail.record(
                    audit_events.DICTATION_TRANSCRIBED,
                    user=user,
                    os_account=audit.os_account,
                    patient_id=current.PatientID,
                    patient_name=audit.PatientName or None,
                    study_uids=[current.StudyInstanceUID],
                    detail=f"dictation {dictation_id} {new_state.value}"
                    + (f": {detail}" if detail else ""),
                )
        return self.get(dictation_id)

    def claim(
        self, dictation_id: int, user: str, *, audit: DictationAudit | None = None
    ) -> Dictation:
        """Lock a recorded dictation to ``user`` for transcription.

        Raises
        ------
        DictationStateError, DictationLockedError
            As for `transition`.
        """
        return self.transition(
            dictation_id,
            DictationState.IN_TRANSCRIPTION,
            user,
            detail="claimed",
            audit=audit,
        )

    def release(
        self,
        dictation_id: int,
        user: str,
        *,
        override: bool = False,
        audit: DictationAudit | None = None,
    ) -> Dictation:
        """Give a claimed dictation back to the worklist without transcribing it.

        With ``override``, ``user`` releases another user's claim; the event
        names the former claimant. Callers check who may override
        (`may_override_claim`); `release_claim` does both.

        Raises
        ------
        DictationStateError
            If the dictation is not in transcription, so it has no claim.
        DictationLockedError
            As for `transition`.
        """
        current = self.get(dictation_id)
        if current.state is not DictationState.IN_TRANSCRIPTION:
            raise DictationStateError(
                f"dictation {dictation_id} is not claimed (it is "
                f"{current.state.value!r}), so there is no claim to release"
            )
        detail = "released"
        holder = current.locked_by
        if override and holder and holder != user:
            detail = f"released the claim of {holder}"
        return self.transition(
            dictation_id,
            DictationState.RECORDED,
            user,
            detail=detail,
            override_lock=override,
            audit=audit,
        )

    def release_claim(
        self,
        dictation_id: int,
        session: Session,
        *,
        audit: DictationAudit | None = None,
    ) -> Dictation:
        """Release a claim as ``session``'s user: one's own, or another's by override.

        Raises
        ------
        AccessDeniedError
            If the claim is another user's and the session's role may not
            override it (only radiologists and administrators may).
        DictationStateError
            If the dictation is not in transcription.
        """
        name = session.user.name
        current = self.get(dictation_id)
        if current.locked_by is None or current.locked_by == name:
            session.require(Permission.TRANSCRIBE)
            return self.release(dictation_id, name, audit=audit)
        if not may_override_claim(session):
            session.require(Permission.SIGN)
        return self.release(dictation_id, name, override=True, audit=audit)

    @staticmethod
    def _check_transition(
        current: Dictation,
        new_state: DictationState,
        user: str,
        override_lock: bool = False,
    ) -> None:
        if new_state not in _ALLOWED[current.state]:
            raise DictationStateError(
                f"dictation {current.id} is {current.state.value!r}; it cannot "
                f"become {new_state.value!r}"
            )
        if override_lock and new_state is DictationState.RECORDED:
            return
        if current.state is DictationState.IN_TRANSCRIPTION and current.locked_by != (
            user
        ):
            raise DictationLockedError(
                f"dictation {current.id} is being transcribed by "
                f"{current.locked_by}; only that user can finish it, and only that "
                "user, a radiologist or an administrator can release it"
            )

    @staticmethod
    def _add_event(
        conn: sqlite3.Connection,
        dictation_id: int,
        state: DictationState,
        user: str,
        detail: str,
    ) -> None:
        conn.execute(
            "INSERT INTO dictation_events (dictation_id, state, user, at, detail)"
            " VALUES (?, ?, ?, ?, ?)",
            (dictation_id, state.value, user, utc_now().isoformat(), detail),
        )


def may_override_claim(session: Session) -> bool:
    """Return whether ``session`` may release another user's transcription claim.

    Radiologists (who sign) and administrators (who manage users) may, so a
    claim left by a crashed, absent or disabled transcriptionist can be freed.
    """
    return session.may(Permission.SIGN) or session.may(Permission.MANAGE_USERS)
