"""Reports typed from dictations: versions, workflow states and signing.

A report belongs to one study and usually to one dictation. Its text is edited
in place until it is signed. A signed version never changes again: amending it
creates a new version (same ``report_key``, ``version`` one higher) that starts
from the signed text and keeps a link to it, and the old version stays as it was.

States of one version::

    draft -> transcribed -> corrected -> signed
      |           |                        ^
      +-----------+------------------------+

Signing needs the SIGN permission (the radiologist role) and the signer's
password typed again, checked by `UserStore.verify_password`, which counts and
audits a wrong password like a failed login. When the report has a dictation,
the dictation follows the report into transcribed, corrected and signed.

Who may change the text (`ReportStore.may_edit`): while the dictation is in
transcription, only the transcriptionist who claimed it; while the report is
transcribed or corrected, a radiologist; once signed, no user. A draft without
a dictation in transcription (a radiologist's own report, an amendment) is
edited by a radiologist. Every text change is a report event with who and
when, and every report state change is also recorded in the audit trail.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import Enum

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dictation.store import (
    DictationError,
    DictationState,
    DictationStore,
    utc_now,
)
from pacs_desktop.core.errors import AccessDeniedError, AuthenticationError
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.core.security.users import Session, UserStore

COMPONENT = "reports"


class ReportError(DictationError):
    """A report cannot be created, changed or signed."""


class ReportNotFoundError(ReportError, LookupError):
    """No report has the requested id."""


class ReportStateError(ReportError):
    """The requested change is not allowed in the report's current state."""


class ReportEditDeniedError(ReportError, AccessDeniedError):
    """The user may not change the text of the report in its current state."""


class SignatureRejectedError(ReportError, AuthenticationError):
    """The password typed to sign a report is wrong; nothing was signed."""


class ReportState(str, Enum):
    """Workflow state of one report version."""

    DRAFT = "draft"
    TRANSCRIBED = "transcribed"
    CORRECTED = "corrected"
    SIGNED = "signed"


_ALLOWED: dict[ReportState, frozenset[ReportState]] = {
    ReportState.DRAFT: frozenset(
        {ReportState.TRANSCRIBED, ReportState.CORRECTED, ReportState.SIGNED}
    ),
    ReportState.TRANSCRIBED: frozenset({ReportState.CORRECTED, ReportState.SIGNED}),
    ReportState.CORRECTED: frozenset({ReportState.SIGNED}),
    ReportState.SIGNED: frozenset(),
}

# The dictation state that follows each report state.
_DICTATION_STATE = {
    ReportState.TRANSCRIBED: DictationState.TRANSCRIBED,
    ReportState.CORRECTED: DictationState.CORRECTED,
    ReportState.SIGNED: DictationState.SIGNED,
}

_SCHEMA_V1 = """
CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_key INTEGER NOT NULL,
    version INTEGER NOT NULL,
    previous_id INTEGER REFERENCES reports (id),
    dictation_id INTEGER,
    study_instance_uid TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    header TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    signed_by TEXT,
    signed_at TEXT,
    sr_sop_instance_uid TEXT,
    UNIQUE (report_key, version)
);
CREATE INDEX reports_study ON reports (study_instance_uid);
CREATE INDEX reports_dictation ON reports (dictation_id);
CREATE TABLE report_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    state TEXT NOT NULL,
    user TEXT NOT NULL,
    at TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_events_report ON report_events (report_id);
"""


@dataclass(frozen=True)
class ReportHeader:
    """The patient and study a report is about, as shown above its text."""

    PatientName: str
    PatientID: str
    PatientBirthDate: str
    PatientSex: str
    StudyInstanceUID: str
    StudyDate: str
    StudyDescription: str
    ModalitiesInStudy: tuple[str, ...]
    AccessionNumber: str

    @classmethod
    def from_study(cls, study: object) -> ReportHeader:
        """Take the header from a study record (DICOM keyword attributes).

        Raises
        ------
        ReportError
            If the study has no StudyInstanceUID or no PatientID.
        """
        values = {
            name: str(getattr(study, name, "") or "")
            for name in cls.__dataclass_fields__
            if name != "ModalitiesInStudy"
        }
        if not values["StudyInstanceUID"] or not values["PatientID"]:
            raise ReportError(
                "a report needs a study with StudyInstanceUID and PatientID; open "
                "the study from the archive and try again"
            )
        modalities = getattr(study, "ModalitiesInStudy", ()) or ()
        return cls(ModalitiesInStudy=tuple(str(m) for m in modalities), **values)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ReportHeader:
        """Rebuild a header stored with `to_json`."""
        values = {name: str(data.get(name, "")) for name in cls.__dataclass_fields__}
        raw = data.get("ModalitiesInStudy", [])
        modalities = tuple(str(m) for m in raw) if isinstance(raw, list) else ()
        values.pop("ModalitiesInStudy")
        return cls(ModalitiesInStudy=modalities, **values)

    def to_json(self) -> dict[str, object]:
        """Return the header as a dict keyed by DICOM keywords."""
        data: dict[str, object] = asdict(self)
        data["ModalitiesInStudy"] = list(self.ModalitiesInStudy)
        return data


@dataclass(frozen=True)
class Report:
    """One version of a report."""

    id: int
    report_key: int
    version: int
    previous_id: int | None
    dictation_id: int | None
    header: ReportHeader
    text: str
    state: ReportState
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    signed_by: str | None
    signed_at: datetime | None
    sr_sop_instance_uid: str | None

    @property
    def StudyInstanceUID(self) -> str:
        """The study the report is about."""
        return self.header.StudyInstanceUID

    @property
    def PatientID(self) -> str:
        """The patient the report is about."""
        return self.header.PatientID


@dataclass(frozen=True)
class ReportEvent:
    """One change of a report version: the state after it, who, when and why."""

    report_id: int
    state: ReportState
    user: str
    at: datetime
    detail: str


def _optional_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _row_to_report(row: sqlite3.Row) -> Report:
    return Report(
        id=int(row["id"]),
        report_key=int(row["report_key"]),
        version=int(row["version"]),
        previous_id=row["previous_id"],
        dictation_id=row["dictation_id"],
        header=ReportHeader.from_json(json.loads(row["header"])),
        text=row["text"],
        state=ReportState(row["state"]),
        created_by=row["created_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_by=row["updated_by"],
        updated_at=datetime.fromisoformat(row["updated_at"]),
        signed_by=row["signed_by"],
        signed_at=_optional_time(row["signed_at"]),
        sr_sop_instance_uid=row["sr_sop_instance_uid"],
    )


class ReportStore:
    """Report versions in the workstation database.

    Parameters
    ----------
    database
        The workstation database; the ``reports`` tables are migrated here.
    users
        Checks the password typed again at signing.
    audit
        Receives the signing, transcription and amendment records.
    dictations
        When given, a report's dictation follows the report's state.
    """

    def __init__(
        self,
        database: Database,
        users: UserStore,
        audit: AuditTrail,
        dictations: DictationStore | None = None,
    ) -> None:
        self.database = database
        self.users = users
        self.audit = audit
        self.dictations = dictations
        database.migrate(COMPONENT, [_SCHEMA_V1])

    # -- reading ------------------------------------------------------------

    def get(self, report_id: int) -> Report:
        """Return one report version.

        Raises
        ------
        ReportNotFoundError
            If no report has this id.
        """
        row = (
            self.database.connection()
            .execute("SELECT * FROM reports WHERE id = ?", (report_id,))
            .fetchone()
        )
        if row is None:
            raise ReportNotFoundError(f"no report with id {report_id}")
        return _row_to_report(row)

    def versions(self, report_key: int) -> list[Report]:
        """Return every version of a report, oldest first."""
        rows = (
            self.database.connection()
            .execute(
                "SELECT * FROM reports WHERE report_key = ? ORDER BY version",
                (report_key,),
            )
            .fetchall()
        )
        return [_row_to_report(row) for row in rows]

    def latest(self, report_key: int) -> Report:
        """Return the newest version of a report.

        Raises
        ------
        ReportNotFoundError
            If no report has this key.
        """
        versions = self.versions(report_key)
        if not versions:
            raise ReportNotFoundError(f"no report with key {report_key}")
        return versions[-1]

    def for_dictation(self, dictation_id: int) -> Report | None:
        """Return the newest version of the report of a dictation, if any."""
        row = (
            self.database.connection()
            .execute(
                "SELECT * FROM reports WHERE dictation_id = ?"
                " ORDER BY version DESC, id DESC LIMIT 1",
                (dictation_id,),
            )
            .fetchone()
        )
        return _row_to_report(row) if row else None

    def find(
        self,
        *,
        study_uid: str | None = None,
        states: Sequence[ReportState] | None = None,
    ) -> list[Report]:
        """Return the newest version of each report, oldest report first."""
        clauses = ["version = (SELECT MAX(version) FROM reports AS r"]
        clauses[0] += " WHERE r.report_key = reports.report_key)"
        params: list[object] = []
        if study_uid is not None:
            clauses.append("study_instance_uid = ?")
            params.append(study_uid)
        if states is not None:
            clauses.append(f"state IN ({', '.join('?' for _ in states)})")
            params.extend(state.value for state in states)
        rows = (
            self.database.connection()
            .execute(
                f"SELECT * FROM reports WHERE {' AND '.join(clauses)}"
                " ORDER BY report_key",
                params,
            )
            .fetchall()
        )
        return [_row_to_report(row) for row in rows]

    def find_by_sr_instance(self, sop_instance_uid: str) -> Report | None:
        """Return the report version whose SR object has this SOP Instance UID."""
        row = (
            self.database.connection()
            .execute(
                "SELECT * FROM reports WHERE sr_sop_instance_uid = ?"
                " ORDER BY id LIMIT 1",
                (sop_instance_uid,),
            )
            .fetchone()
        )
        return _row_to_report(row) if row else None

    def history(self, report_id: int) -> list[ReportEvent]:
        """Return every change of one report version, oldest first."""
        rows = (
            self.database.connection()
            .execute(
                "SELECT * FROM report_events WHERE report_id = ? ORDER BY id",
                (report_id,),
            )
            .fetchall()
        )
        return [
            ReportEvent(
                report_id=int(row["report_id"]),
                state=ReportState(row["state"]),
                user=row["user"],
                at=datetime.fromisoformat(row["at"]),
                detail=row["detail"],
            )
            for row in rows
        ]

    # -- writing ------------------------------------------------------------

    def create(
        self,
        header: ReportHeader,
        *,
        user: str,
        dictation_id: int | None = None,
        text: str = "",
    ) -> Report:
        """Start version 1 of a report in the draft state.

        Raises
        ------
        ReportError
            If the dictation already has a report, or belongs to another study
            or patient than ``header``.
        """
        if dictation_id is not None:
            self._check_dictation(dictation_id, header)
        now = utc_now().isoformat()
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            cursor = conn.execute(
                "INSERT INTO reports (report_key, version, dictation_id,"
                " study_instance_uid, patient_id, header, text, state, created_by,"
                " created_at, updated_by, updated_at)"
                " VALUES (0, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    dictation_id,
                    header.StudyInstanceUID,
                    header.PatientID,
                    json.dumps(header.to_json()),
                    text,
                    ReportState.DRAFT.value,
                    user,
                    now,
                    user,
                    now,
                ),
            )
            report_id = int(cursor.lastrowid or 0)
            conn.execute(
                "UPDATE reports SET report_key = id WHERE id = ?", (report_id,)
            )
            self._add_event(conn, report_id, ReportState.DRAFT, user, "created")
        return self.get(report_id)

    def add_received(
        self,
        header: ReportHeader,
        *,
        text: str,
        author: str,
        signed_by: str,
        signed_at: datetime,
        sr_sop_instance_uid: str,
        previous_id: int | None = None,
    ) -> Report:
        """Insert a report signed elsewhere, received as a verified SR object.

        With ``previous_id`` (the version its SR amends) it becomes that
        report's next version; otherwise version 1 of a new report.

        Raises
        ------
        ReportStateError
            If ``previous_id`` is not the newest version of its report.
        ReportNotFoundError
            If no report has the id ``previous_id``.
        """
        now = utc_now().isoformat()
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            key, version = 0, 1
            if previous_id is not None:
                previous = self.get(previous_id)
                if self.latest(previous.report_key).id != previous.id:
                    raise ReportStateError(
                        f"report {previous_id} already has a newer version; the "
                        f"SR {sr_sop_instance_uid} cannot amend it"
                    )
                key, version = previous.report_key, previous.version + 1
            cursor = conn.execute(
                "INSERT INTO reports (report_key, version, previous_id,"
                " study_instance_uid, patient_id, header, text, state, created_by,"
                " created_at, updated_by, updated_at, signed_by, signed_at,"
                " sr_sop_instance_uid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    version,
                    previous_id,
                    header.StudyInstanceUID,
                    header.PatientID,
                    json.dumps(header.to_json()),
                    text,
                    ReportState.SIGNED.value,
                    author,
                    now,
                    signed_by,
                    now,
                    signed_by,
                    signed_at.isoformat(),
                    sr_sop_instance_uid,
                ),
            )
            report_id = int(cursor.lastrowid or 0)
            if previous_id is None:
                conn.execute(
                    "UPDATE reports SET report_key = id WHERE id = ?", (report_id,)
                )
            self._add_event(conn, report_id, ReportState.SIGNED, signed_by, "received")
        return self.get(report_id)

    def _check_dictation(self, dictation_id: int, header: ReportHeader) -> None:
        if self.for_dictation(dictation_id) is not None:
            raise ReportError(
                f"dictation {dictation_id} already has a report; open that report"
            )
        if self.dictations is None:
            return
        dictation = self.dictations.get(dictation_id)
        if (
            dictation.StudyInstanceUID != header.StudyInstanceUID
            or dictation.PatientID != header.PatientID
        ):
            raise ReportError(
                f"dictation {dictation_id} belongs to another study or patient "
                "than the report header; open the dictation's own study"
            )

    def may_edit(self, report: Report, session: Session) -> bool:
        """Return whether ``session``'s user may change the text of ``report``."""
        return self._edit_denial_reason(report, session) is None

    def _edit_denial_reason(self, report: Report, session: Session) -> str | None:
        if report.state is ReportState.SIGNED:
            return "is signed and cannot change; amend it to create a new version"
        dictation = None
        if self.dictations is not None and report.dictation_id is not None:
            dictation = self.dictations.get(report.dictation_id)
        if (
            report.state is ReportState.DRAFT
            and dictation is not None
            and dictation.state is DictationState.IN_TRANSCRIPTION
        ):
            if dictation.locked_by == session.user.name and session.may(
                Permission.TRANSCRIBE
            ):
                return None
            return (
                f"is being transcribed by {dictation.locked_by}; only that user "
                "can change its text"
            )
        if (
            report.state is ReportState.DRAFT
            and dictation is not None
            and dictation.state is DictationState.RECORDED
            and session.may(Permission.TRANSCRIBE)
        ):
            return (
                f"belongs to dictation {dictation.id}, which nobody has claimed; "
                "claim the dictation to change the text"
            )
        if session.may(Permission.SIGN):
            return None
        return f"is {report.state.value}; only a radiologist can change its text now"

    def save_text(self, report_id: int, text: str, session: Session) -> Report:
        """Replace the text of an unsigned report version as ``session``'s user.

        The change is stored as a report event naming the user and the time;
        saving the same text again records nothing.

        Raises
        ------
        ReportStateError
            If the version is signed (amend it instead).
        ReportEditDeniedError
            If the user may not change the text in the report's state (see
            `may_edit`).
        """
        user = session.user.name
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            report = self.get(report_id)
            reason = self._edit_denial_reason(report, session)
            if report.state is ReportState.SIGNED:
                raise ReportStateError(f"report {report_id} {reason}")
            if reason is not None:
                raise ReportEditDeniedError(f"report {report_id} {reason}")
            if text == report.text:
                return report
            conn.execute(
                "UPDATE reports SET text = ?, updated_by = ?, updated_at = ?"
                " WHERE id = ?",
                (text, user, utc_now().isoformat(), report_id),
            )
            self._add_event(conn, report_id, report.state, user, "text changed")
        return self.get(report_id)

    def mark_transcribed(self, report_id: int, session: Session) -> Report:
        """Mark the text as typed; the dictation becomes transcribed.

        Raises
        ------
        AccessDeniedError
            If the user may not transcribe.
        ReportStateError
            If the report is not a draft or its text is empty.
        DictationLockedError
            If the dictation is locked to another transcriptionist.
        """
        session.require(Permission.TRANSCRIBE)
        report = self._change_state(report_id, ReportState.TRANSCRIBED, session)
        self.audit.record(
            audit_events.DICTATION_TRANSCRIBED,
            user=session.user.name,
            patient_id=report.PatientID,
            patient_name=report.header.PatientName,
            study_uids=[report.StudyInstanceUID],
            detail=f"report {report.id} version {report.version}",
        )
        return report

    def mark_corrected(self, report_id: int, session: Session) -> Report:
        """Record that the radiologist reviewed and corrected the text.

        Raises
        ------
        AccessDeniedError
            If the user may not sign reports (only signers correct them).
        ReportStateError
            If the report is not transcribed.
        """
        session.require(Permission.SIGN)
        report = self._change_state(report_id, ReportState.CORRECTED, session)
        self._audit_workflow(report, session, "marked corrected")
        return report

    def sign(self, report_id: int, session: Session, password: str) -> Report:
        """Sign a report version with the signer's password typed again.

        Raises
        ------
        AccessDeniedError
            If the user's role may not sign (recorded in the audit trail).
        SignatureRejectedError
            If the password is wrong; counted and audited as a failed login.
        ReportStateError
            If the report is already signed or has no text.
        """
        session.require(Permission.SIGN)
        name = session.user.name
        report = self.get(report_id)
        if not self.users.verify_password(name, password):
            self.audit.record(
                audit_events.REPORT_SIGNED,
                user=name,
                outcome="minor-failure",
                patient_id=report.PatientID,
                patient_name=report.header.PatientName,
                study_uids=[report.StudyInstanceUID],
                detail=f"report {report_id}: wrong password, not signed",
            )
            raise SignatureRejectedError(
                f"the password is wrong; report {report_id} was not signed. Type "
                "your own login password to sign"
            )
        signed = self._change_state(report_id, ReportState.SIGNED, session)
        self.audit.record(
            audit_events.REPORT_SIGNED,
            user=name,
            patient_id=signed.PatientID,
            patient_name=signed.header.PatientName,
            study_uids=[signed.StudyInstanceUID],
            detail=f"report {signed.id} version {signed.version}",
        )
        return signed

    def amend(self, report_id: int, session: Session) -> Report:
        """Start a new draft version of a signed report; the signed one stays.

        Raises
        ------
        AccessDeniedError
            If the user may not sign reports.
        ReportStateError
            If the version is not signed, or is not the newest version.
        """
        session.require(Permission.SIGN)
        user = session.user.name
        now = utc_now().isoformat()
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            old = self.get(report_id)
            if old.state is not ReportState.SIGNED:
                raise ReportStateError(
                    f"report {report_id} is {old.state.value}, not signed; edit it "
                    "instead of amending it"
                )
            if self.latest(old.report_key).id != old.id:
                raise ReportStateError(
                    f"report {report_id} already has a newer version; amend that one"
                )
            cursor = conn.execute(
                "INSERT INTO reports (report_key, version, previous_id, dictation_id,"
                " study_instance_uid, patient_id, header, text, state, created_by,"
                " created_at, updated_by, updated_at)"
                " SELECT report_key, version + 1, id, dictation_id,"
                " study_instance_uid, patient_id, header, text, ?, ?, ?, ?, ?"
                " FROM reports WHERE id = ?",
                (ReportState.DRAFT.value, user, now, user, now, report_id),
            )
            new_id = int(cursor.lastrowid or 0)
            self._add_event(
                conn, new_id, ReportState.DRAFT, user, f"amends report {report_id}"
            )
        amended = self.get(new_id)
        self._audit_workflow(amended, session, f"amends report {report_id}")
        return amended

    def _audit_workflow(self, report: Report, session: Session, action: str) -> None:
        # The trail has event names for transcription and for signing only;
        # the steps between (correction, amendment) are transcription events
        # whose detail names the step.
        self.audit.record(
            audit_events.DICTATION_TRANSCRIBED,
            user=session.user.name,
            patient_id=report.PatientID,
            patient_name=report.header.PatientName,
            study_uids=[report.StudyInstanceUID],
            detail=f"report {report.id} version {report.version} {action}",
        )

    def set_sr_instance(self, report_id: int, sop_instance_uid: str) -> None:
        """Record the SOP Instance UID of the signed version's SR object."""
        conn = self.database.connection()
        with conn:
            conn.execute(
                "UPDATE reports SET sr_sop_instance_uid = ? WHERE id = ?",
                (sop_instance_uid, report_id),
            )

    def _change_state(
        self, report_id: int, new_state: ReportState, session: Session
    ) -> Report:
        user = session.user.name
        self._check_change(self.get(report_id), new_state)
        # The dictation moves first: its own rules (the transcription lock, its
        # states) can refuse, and then the report stays unchanged as well.
        self._follow_dictation(self.get(report_id), new_state, user)

        now = utc_now().isoformat()
        signed = new_state is ReportState.SIGNED
        conn = self.database.connection()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            self._check_change(self.get(report_id), new_state)
            conn.execute(
                "UPDATE reports SET state = ?, updated_by = ?, updated_at = ?,"
                " signed_by = ?, signed_at = ? WHERE id = ?",
                (
                    new_state.value,
                    user,
                    now,
                    user if signed else None,
                    now if signed else None,
                    report_id,
                ),
            )
            self._add_event(conn, report_id, new_state, user, "")
        return self.get(report_id)

    @staticmethod
    def _check_change(report: Report, new_state: ReportState) -> None:
        if new_state not in _ALLOWED[report.state]:
            raise ReportStateError(
                f"report {report.id} is {report.state.value}; it cannot become "
                f"{new_state.value}"
            )
        if not report.text.strip():
            raise ReportStateError(
                f"report {report.id} has no text; type the report first"
            )

    def _follow_dictation(
        self, report: Report, new_state: ReportState, user: str
    ) -> None:
        if self.dictations is None or report.dictation_id is None:
            return
        target = _DICTATION_STATE[new_state]
        dictation = self.dictations.get(report.dictation_id)
        # An amendment finds its dictation signed already.
        if dictation.state in (target, DictationState.SIGNED):
            return
        self.dictations.transition(report.dictation_id, target, user)

    @staticmethod
    def _add_event(
        conn: sqlite3.Connection,
        report_id: int,
        state: ReportState,
        user: str,
        detail: str,
    ) -> None:
        conn.execute(
            "INSERT INTO report_events (report_id, state, user, at, detail)"
            " VALUES (?, ?, ?, ?, ?)",
            (report_id, state.value, user, utc_now().isoformat(), detail),
        )
