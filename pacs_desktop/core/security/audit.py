"""The tamper-evident audit trail: hash-chained records of who did what, when.

Every record stores the hash of the record before it and its own hash,
``SHA-256(prev_hash + canonical record bytes)``, so editing, deleting or
reordering a stored record breaks the chain at that record, and `verify` finds
it. A one-row head table stores the number of records and the newest hash, so
deleting records at the end is found as well.

The trail is the only place where patient identifiers are recorded; the
application log never contains them.

NOTE: someone who can write the database file can recompute every hash after
an edit. Forwarding records to a collector elsewhere (syslog) is what makes
such a rewrite visible; the chain alone covers edits made without this code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.auditmessage import (
    ACCESS_DENIED,
    ACCOUNT_LOCKED,
    ACCOUNT_UNLOCKED,
    APPLICATION_START,
    APPLICATION_STOP,
    AUDIT_EXPORTED,
    AUDIT_READ,
    DICTATION_PLAYED,
    DICTATION_RECORDED,
    DICTATION_TRANSCRIBED,
    EMERGENCY_ACCESS_STARTED,
    EMERGENCY_ACCESS_STOPPED,
    EVENTS,
    INSTANCES_DELETED,
    INSTANCES_EXPORTED,
    INSTANCES_IMPORTED,
    INSTANCES_RETRIEVED,
    INSTANCES_SENT,
    LOGIN,
    LOGIN_FAILED,
    LOGOUT,
    NODES_CHANGED,
    OUTCOMES,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    PATIENT_CONFIRMATION_FAILED,
    PATIENT_RECORD_ACCESSED,
    QUERY,
    REPORT_SIGNED,
    ROLE_CHANGED,
    SESSION_LOCKED,
    SESSION_UNLOCKED,
    SETTINGS_CHANGED,
    STUDY_OPENED,
    STUDY_RESTRICTED,
    STUDY_UNRESTRICTED,
    USER_CREATED,
    USER_DISABLED,
    USER_ENABLED,
    AuditEvent,
    AuditPeer,
    build_message,
)

__all__ = [
    "ACCESS_DENIED",
    "ACCOUNT_LOCKED",
    "ACCOUNT_UNLOCKED",
    "APPLICATION_START",
    "APPLICATION_STOP",
    "AUDIT_EXPORTED",
    "AUDIT_READ",
    "DICTATION_PLAYED",
    "DICTATION_RECORDED",
    "DICTATION_TRANSCRIBED",
    "EMERGENCY_ACCESS_STARTED",
    "EMERGENCY_ACCESS_STOPPED",
    "EVENTS",
    "GENESIS_HASH",
    "INSTANCES_DELETED",
    "INSTANCES_EXPORTED",
    "INSTANCES_IMPORTED",
    "INSTANCES_RETRIEVED",
    "INSTANCES_SENT",
    "LOGIN",
    "LOGIN_FAILED",
    "LOGOUT",
    "NODES_CHANGED",
    "PASSWORD_CHANGED",
    "PASSWORD_RESET",
    "PATIENT_CONFIRMATION_FAILED",
    "PATIENT_RECORD_ACCESSED",
    "QUERY",
    "REPORT_SIGNED",
    "ROLE_CHANGED",
    "SESSION_LOCKED",
    "SESSION_UNLOCKED",
    "SETTINGS_CHANGED",
    "STUDY_OPENED",
    "STUDY_RESTRICTED",
    "STUDY_UNRESTRICTED",
    "USER_CREATED",
    "USER_DISABLED",
    "USER_ENABLED",
    "AuditError",
    "AuditPeer",
    "AuditRecord",
    "AuditTrail",
    "VerifyResult",
    "records_after",
    "verify_chain",
]

logger = logging.getLogger(__name__)

# The prev_hash of the first record.
GENESIS_HASH = "0" * 64

STEPS: list[str] = [
    f"""
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        event TEXT NOT NULL,
        outcome TEXT NOT NULL,
        user_name TEXT NOT NULL,
        os_account INTEGER NOT NULL,
        patient_id TEXT,
        patient_name TEXT,
        study_uids TEXT NOT NULL,
        target_user TEXT,
        detail TEXT NOT NULL,
        message_xml TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_log_time ON audit_log (time);
    CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_seq INTEGER NOT NULL,
        last_hash TEXT NOT NULL,
        record_count INTEGER NOT NULL
    );
    INSERT INTO audit_head (id, last_seq, last_hash, record_count)
        VALUES (1, 0, '{GENESIS_HASH}', 0);
    """
]

_COLUMNS = (
    "seq, time, event, outcome, user_name, os_account, patient_id, patient_name, "
    "study_uids, target_user, detail, message_xml, prev_hash, hash"
)


class AuditError(PacsDesktopError):
    """The audit trail cannot be written or read."""


@dataclass(frozen=True)
class AuditRecord:
    """One stored audit record."""

    seq: int
    time: str
    """UTC time in ISO 8601, such as ``2026-01-31T08:15:00.000000+00:00``."""
    event: str
    outcome: str
    user: str
    os_account: bool
    patient_id: str | None
    patient_name: str | None
    study_uids: tuple[str, ...]
    target_user: str | None
    detail: str
    message_xml: str
    prev_hash: str
    hash: str

    def canonical_bytes(self) -> bytes:
        """Return the bytes the record's hash covers (every field but seq/hashes)."""
        return _canonical_bytes(
            time=self.time,
            event=self.event,
            outcome=self.outcome,
            user=self.user,
            os_account=self.os_account,
            patient_id=self.patient_id,
            patient_name=self.patient_name,
            study_uids=self.study_uids,
            target_user=self.target_user,
            detail=self.detail,
            message_xml=self.message_xml,
        )

    def computed_hash(self) -> str:
        """Return the hash the record must have, given its prev_hash and content."""
        return chain_hash(self.prev_hash, self.canonical_bytes())


@dataclass(frozen=True)
class VerifyResult:
    """The result of checking the chain.

    ``problem`` is None when the chain is intact, else ``"altered"``,
    ``"removed"`` or ``"reordered"``, and ``seq`` is the sequence number of the
    first record concerned (for ``"removed"``, of the first missing record).
    """

    ok: bool
    checked: int
    problem: str | None = None
    seq: int | None = None
    message: str = ""


def _canonical_bytes(
    *,
    time: str,
    event: str,
    outcome: str,
    user: str,
    os_account: bool,
    patient_id: str | None,
    patient_name: str | None,
    study_uids: Sequence[str],
    target_user: str | None,
    detail: str,
    message_xml: str,
) -> bytes:
    # Sorted keys, no spaces, UTF-8: one byte string for one content. The
    # sequence number is left out so that a moved record is distinguished from
    # an edited one: its own hash still matches, but it no longer follows its
    # predecessor.
    content = {
        "time": time,
        "event": event,
        "outcome": outcome,
        "user": user,
        "os_account": os_account,
        "patient_id": patient_id,
        "patient_name": patient_name,
        "study_uids": list(study_uids),
        "target_user": target_user,
        "detail": detail,
        "message_xml": message_xml,
    }
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """Return ``SHA-256(prev_hash + canonical)`` as lower-case hex."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class AuditTrail:
    """Append-only, hash-chained audit records in the workstation database.

    Parameters
    ----------
    database
        The workstation database; the trail keeps its tables there under the
        schema component ``"audit"``.
    clock
        Returns the current time (timezone-aware); tests pass a fixed clock.
    source_id
        AuditSourceID of the messages; default ``pacs-desktop@HOSTNAME``.
    """

    def __init__(
        self,
        database: Database,
        *,
        clock: Callable[[], datetime] = _utc_now,
        source_id: str | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._source_id = source_id
        self._listeners: list[Callable[[AuditRecord], None]] = []
        database.migrate("audit", STEPS)

    def add_listener(self, listener: Callable[[AuditRecord], None]) -> None:
        """Call ``listener`` with each record this object appends from now on.

        The call happens in the appending thread, after the record was
        written; when the record joined a caller's transaction, that
        transaction may still be open (or roll back). Listeners must return
        quickly and not raise.
        """
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[AuditRecord], None]) -> None:
        """Stop calling ``listener``; nothing happens when it was not added."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def record(
        self,
        event: str,
        *,
        user: str,
        outcome: str | None = None,
        os_account: bool = False,
        patient_id: str | None = None,
        patient_name: str | None = None,
        study_uids: Sequence[str] = (),
        detail: str = "",
        target_user: str | None = None,
        query: bytes | None = None,
        peer: AuditPeer | None = None,
    ) -> AuditRecord:
        """Append one record to the trail and return it.

        When this thread's connection is inside a transaction, the record joins
        it, so the record and the change it describes commit together; that
        transaction must have been opened with ``BEGIN IMMEDIATE``. Otherwise
        the record gets its own ``BEGIN IMMEDIATE`` transaction, which
        serialises appends from every thread and process.

        Parameters
        ----------
        event
            One of the event name constants of this module (`EVENTS`).
        user
            The application user name, or the operating-system account name
            when ``os_account`` is true.
        outcome
            ``"success"``, ``"minor-failure"`` (also ``"failure"``),
            ``"serious-failure"`` or ``"major-failure"``; default: the event's
            usual outcome (failure for ``LOGIN_FAILED`` and the like).
        target_user
            The account that a user-management event changed.
        query
            ``QUERY`` only: the C-FIND identifier encoded in Explicit VR Little
            Endian, for a local query the identifier equivalent to its filter.
            It is stored base64-encoded in the message only.
        peer
            ``QUERY``, ``INSTANCES_SENT`` and ``INSTANCES_RETRIEVED`` only: the
            remote application entity queried, sent to or retrieved from.

        Raises
        ------
        ValueError
            If the event name or the outcome is unknown, or ``query`` or
            ``peer`` is given for an event that has none.
        AuditError
            If the record cannot be written (for example the database stays
            locked by another process for longer than its timeout).
        """
        spec = EVENTS.get(event)
        if spec is None:
            raise ValueError(f"unknown audit event {event!r}")
        outcome = outcome or spec.default_outcome
        if outcome not in OUTCOMES:
            raise ValueError(
                f"unknown audit outcome {outcome!r}; use one of " + ", ".join(OUTCOMES)
            )

        when = self._clock().astimezone(timezone.utc)
        facts = AuditEvent(
            time=when,
            event=event,
            outcome=outcome,
            user=user,
            os_account=os_account,
            patient_id=patient_id,
            patient_name=patient_name,
            study_uids=tuple(study_uids),
            target_user=target_user,
            detail=detail,
            query=query,
            peer=peer,
        )
        message_xml = build_message(facts, source_id=self._source_id)
        record = self._append(
            facts, when.isoformat(timespec="microseconds"), message_xml
        )
        for listener in self._listeners:
            listener(record)
        return record

    def _append(
        self, facts: AuditEvent, time_text: str, message_xml: str
    ) -> AuditRecord:
        conn = self._database.connection()
        own_transaction = not conn.in_transaction
        try:
            if own_transaction:
                conn.execute("BEGIN IMMEDIATE")
            head = conn.execute(
                "SELECT last_seq, last_hash, record_count FROM audit_head WHERE id = 1"
            ).fetchone()
            prev_hash = str(head["last_hash"])
            canonical = _canonical_bytes(
                time=time_text,
                event=facts.event,
                outcome=facts.outcome,
                user=facts.user,
                os_account=facts.os_account,
                patient_id=facts.patient_id,
                patient_name=facts.patient_name,
                study_uids=facts.study_uids,
                target_user=facts.target_user,
                detail=facts.detail,
                message_xml=message_xml,
            )
            record = AuditRecord(
                seq=int(head["last_seq"]) + 1,
                time=time_text,
                event=facts.event,
                outcome=facts.outcome,
                user=facts.user,
                os_account=facts.os_account,
                patient_id=facts.patient_id,
                patient_name=facts.patient_name,
                study_uids=tuple(facts.study_uids),
                target_user=facts.target_user,
                detail=facts.detail,
                message_xml=message_xml,
                prev_hash=prev_hash,
                hash=chain_hash(prev_hash, canonical),
            )
            _insert(conn, record)
            conn.execute(
                "UPDATE audit_head SET last_seq = ?, last_hash = ?, "
                "record_count = record_count + 1 WHERE id = 1",
                (record.seq, record.hash),
            )
            if own_transaction:
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if own_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")
            raise AuditError(
                f"cannot write the audit trail in {self._database.path}: {exc}; "
                "the action was not recorded, so retry it, and check that the "
                "disk is not full and no other program holds the database"
            ) from exc
        return record

    def records(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        event: str | None = None,
        user: str | None = None,
        limit: int | None = None,
    ) -> list[AuditRecord]:
        """Return stored records in order, optionally filtered.

        ``start`` and ``end`` bound the record time (inclusive start, exclusive
        end); ``limit`` keeps the newest records when set.

        Raises
        ------
        AuditError
            If the table cannot be read.
        """
        clauses: list[str] = []
        params: list[object] = []
        if start is not None:
            clauses.append("time >= ?")
            params.append(_iso_utc(start))
        if end is not None:
            clauses.append("time < ?")
            params.append(_iso_utc(end))
        if event is not None:
            clauses.append("event = ?")
            params.append(event)
        if user is not None:
            clauses.append("user_name = ?")
            params.append(user)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT {_COLUMNS} FROM audit_log {where} ORDER BY seq"
        if limit is not None:
            sql = f"SELECT * FROM ({sql} DESC LIMIT ?) ORDER BY seq"
            params.append(int(limit))
        try:
            rows = self._database.connection().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise AuditError(f"cannot read the audit trail: {exc}") from exc
        return [_record_from_row(row) for row in rows]

    def verify(self) -> VerifyResult:
        """Check the whole chain and return the first broken record, if any.

        Raises
        ------
        AuditError
            If the tables cannot be read.
        """
        conn = self._database.connection()
        own_transaction = not conn.in_transaction

        def later_record(hash_value: str, after_seq: int) -> int | None:
            row = conn.execute(
                "SELECT seq FROM audit_log WHERE hash = ? AND seq > ? "
                "ORDER BY seq LIMIT 1",
                (hash_value, after_seq),
            ).fetchone()
            return None if row is None else int(row[0])

        try:
            # One read transaction, so the head and the rows are one snapshot.
            # Rows are read one at a time: a trail of years does not fit in
            # memory with its XML messages.
            if own_transaction:
                conn.execute("BEGIN")
            checker = _ChainChecker(later_record)
            cursor = conn.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq")
            for row in cursor:
                broken = checker.check(_record_from_row(row))
                if broken is not None:
                    return broken
            head = conn.execute(
                "SELECT last_seq, last_hash, record_count FROM audit_head WHERE id = 1"
            ).fetchone()
        except sqlite3.Error as exc:
            raise AuditError(f"cannot read the audit trail: {exc}") from exc
        finally:
            if own_transaction and conn.in_transaction:
                conn.execute("COMMIT")
        return checker.check_head(head)

    def export_xml(self, records: Sequence[AuditRecord]) -> str:
        """Return ``records`` as one XML document of their AuditMessages.

        The root element ``AuditMessages`` contains the messages in trail order;
        each carries its sequence number and hash as attributes of a wrapping
        ``AuditRecord`` element, so a reader can check them against the trail.
        """
        root = ET.Element("AuditMessages")
        for record in records:
            wrapper = ET.SubElement(
                root,
                "AuditRecord",
                seq=str(record.seq),
                prevHash=record.prev_hash,
                hash=record.hash,
            )
            wrapper.append(ET.fromstring(record.message_xml))
        return ET.tostring(root, encoding="unicode", xml_declaration=True)


def records_after(
    database: Database, after_seq: int, *, limit: int | None = None
) -> list[AuditRecord]:
    """Return the records whose sequence number exceeds ``after_seq``, in order.

    Raises
    ------
    AuditError
        If the table cannot be read.
    """
    sql = f"SELECT {_COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq"
    params: list[object] = [after_seq]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    try:
        rows = database.connection().execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise AuditError(f"cannot read the audit trail: {exc}") from exc
    return [_record_from_row(row) for row in rows]


def verify_chain(records: Sequence[AuditRecord]) -> VerifyResult:
    """Check that each record's hash and link to its predecessor hold.

    The first record must follow `GENESIS_HASH`. Records deleted after the
    last one cannot be seen from the records alone; `AuditTrail.verify` also
    checks the stored head of the trail.
    """
    position_of_hash = {record.hash: index for index, record in enumerate(records)}
    position_of_seq = {record.seq: index for index, record in enumerate(records)}

    def later_record(hash_value: str, after_seq: int) -> int | None:
        position = position_of_hash.get(hash_value)
        if position is None or position <= position_of_seq[after_seq]:
            return None
        return records[position].seq

    checker = _ChainChecker(later_record)
    for record in records:
        broken = checker.check(record)
        if broken is not None:
            return broken
    return VerifyResult(ok=True, checked=checker.count, message="the chain is intact")


class _ChainChecker:
    """Checks records one by one, in stored order.

    ``later_record(hash, seq)`` returns the sequence number of a record stored
    after the record ``seq`` whose hash is ``hash``, or None. It distinguishes
    a moved record from a deleted one.
    """

    def __init__(self, later_record: Callable[[str, int], int | None]) -> None:
        self._later_record = later_record
        self.count = 0
        self.last_hash = GENESIS_HASH
        self.last_seq = 0

    def check(self, record: AuditRecord) -> VerifyResult | None:
        """Return the problem ``record`` shows, or None when it fits the chain."""
        if record.computed_hash() != record.hash:
            return self._broken(
                "altered",
                record.seq,
                f"record {record.seq} was altered: its content does not match its hash",
            )
        if record.prev_hash != self.last_hash:
            moved_from = self._later_record(record.prev_hash, record.seq)
            if moved_from is not None:
                return self._broken(
                    "reordered",
                    record.seq,
                    f"record {record.seq} is out of order: it follows the record "
                    f"now stored as {moved_from}",
                )
            missing = self.last_seq + 1
            return self._broken(
                "removed",
                missing,
                f"record {missing} is missing: record {record.seq} does not "
                "follow the record stored before it",
            )
        self.count += 1
        self.last_hash = record.hash
        self.last_seq = record.seq
        return None

    def check_head(self, head: sqlite3.Row | None) -> VerifyResult:
        """Compare the end of the chain with the stored head of the trail."""
        if head is None:
            return self._broken(
                "altered", None, "the head of the audit trail is missing"
            )
        count = int(head["record_count"])
        if str(head["last_hash"]) == self.last_hash and count == self.count:
            return VerifyResult(
                ok=True, checked=self.count, message="the chain is intact"
            )
        if count <= self.count:
            return self._broken(
                "altered",
                self.last_seq,
                f"record {self.last_seq} does not match the head of the trail, "
                f"which names record {head['last_seq']} of {count} as the newest",
            )
        missing = self.last_seq + 1
        return self._broken(
            "removed",
            missing,
            f"record {missing} is missing: the trail should contain {count} "
            f"records up to record {head['last_seq']}",
        )

    def _broken(self, problem: str, seq: int | None, message: str) -> VerifyResult:
        return VerifyResult(
            ok=False, checked=self.count, problem=problem, seq=seq, message=message
        )


def _insert(conn: sqlite3.Connection, record: AuditRecord) -> None:
    conn.execute(
        f"INSERT INTO audit_log ({_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.seq,
            record.time,
            record.event,
            record.outcome,
            record.user,
            int(record.os_account),
            record.patient_id,
            record.patient_name,
            json.dumps(list(record.study_uids)),
            record.target_user,
            record.detail,
            record.message_xml,
            record.prev_hash,
            record.hash,
        ),
    )


def _record_from_row(row: sqlite3.Row) -> AuditRecord:
    try:
        uids = tuple(str(uid) for uid in json.loads(row["study_uids"]))
    except (TypeError, ValueError):
        # An edited cell that is no longer JSON: keep the text so the hash check
        # reports the record as altered instead of failing here.
        uids = (str(row["study_uids"]),)
    return AuditRecord(
        seq=int(row["seq"]),
        time=str(row["time"]),
        event=str(row["event"]),
        outcome=str(row["outcome"]),
        user=str(row["user_name"]),
        os_account=bool(row["os_account"]),
        patient_id=row["patient_id"],
        patient_name=row["patient_name"],
        study_uids=uids,
        target_user=row["target_user"],
        detail=str(row["detail"]),
        message_xml=str(row["message_xml"]),
        prev_hash=str(row["prev_hash"]),
        hash=str(row["hash"]),
    )


def _iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
