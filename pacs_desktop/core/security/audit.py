"""The tamper-evident audit trail: hash-chained records of who did what, when.

Every record stores the hash of the record before it and its own hash,
``SHA-256(prev_hash + canonical record bytes)``, so editing, deleting or
reordering a stored record breaks the chain at that record, and `verify` finds
it. A one-row head table stores the number of records and the newest hash.

A chain without a key cannot show that records were cut off its end when the
head was rewritten to match. So the head is also anchored outside the
database: the row ``audit_anchor`` carries an HMAC-SHA256 of the newest record's
sequence number and hash, made with a key that is not in the database (the
operating system's keyring when ``keyring`` has a usable backend, else a key
file next to the database that only its owner can read). Someone who can write
the database alone cannot make a valid HMAC for a shorter trail, and `verify`
reports such a cut. A trail that had records before it got its anchor is
anchored from the next start on, and that start is audited and reported.

The trail is the only place where patient identifiers are recorded; the
application log never contains them.

NOTE: someone who can also read the key (the same operating-system account,
or root) can recompute every hash and the anchor after an edit or a cut.
Forwarding records to a collector elsewhere (syslog) is the copy that such
a rewrite cannot reach; the chain and the anchor cover changes made by
someone who can write the database file but not read the key.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    "KEYRING_SERVICE",
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
    "AnchorKey",
    "AuditError",
    "AuditPeer",
    "AuditRecord",
    "AuditTrail",
    "VerifyResult",
    "anchor_mac",
    "records_after",
    "verify_chain",
]

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

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
    """,
    # The anchor of the head: an HMAC over the newest record made with a key
    # kept outside the database. started_seq is the first record written
    # under the anchor. replaced is 1 when the anchor had to be created again
    # although its key existed.
    """
    CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        started_seq INTEGER NOT NULL,
        started_time TEXT NOT NULL,
        replaced INTEGER NOT NULL,
        anchored_seq INTEGER NOT NULL,
        anchored_hash TEXT NOT NULL,
        mac TEXT NOT NULL
    );
    """,
]

# The keyring entry of an anchor key: this service, and the database's path
# as the user name, so that each database has its own key.
KEYRING_SERVICE = "pacs-desktop-audit-anchor"

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
    Problems of the anchor are ``"cut"`` (the head was rewritten after records
    were cut off the end), ``"anchor-missing"``, ``"anchor-key-missing"`` and
    ``"anchor-replaced"``.
    """

    ok: bool
    checked: int
    problem: str | None = None
    seq: int | None = None
    message: str = ""
    anchored_since: int | None = None
    """The first record written under the current anchor, when it is valid."""
    anchor_started: str | None = None
    """UTC time (ISO 8601) the current anchor was created, when it is valid."""


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


class AnchorKey:
    """The secret key of the trail's anchor, kept outside the database.

    The key is looked for in ``key_file`` first, then in the keyring entry
    (`KEYRING_SERVICE`, ``keyring_user``). A new key goes to the keyring when
    ``keyring`` has a usable backend, else to ``key_file`` with mode 0600.

    Parameters
    ----------
    key_file
        The key file, usually next to the database.
    keyring_user
        The user name of the keyring entry; None never uses the keyring.
    """

    def __init__(self, key_file: Path, *, keyring_user: str | None) -> None:
        self.key_file = key_file
        self.keyring_user = keyring_user

    @classmethod
    def for_database(cls, database: Database) -> AnchorKey:
        """Return the key store of ``database``: a file next to it.

        The keyring is not used here: a desktop keyring may be locked and ask
        for a password while the login window opens, and any process of the
        same account can read it, as it can read the key file.
        """
        path = database.path
        return cls(path.with_name(path.name + ".audit-key"), keyring_user=None)

    def load(self) -> bytes | None:
        """Return the key, or None when neither the file nor the keyring has one.

        Raises
        ------
        AuditError
            If the key file exists but cannot be read or is not a key.
        """
        try:
            text = self.key_file.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            text = self._keyring_get() or ""
        except (OSError, UnicodeDecodeError) as exc:
            raise AuditError(
                f"cannot read the audit anchor key {self.key_file}: {exc}; give "
                "the account that runs PACS Desktop read access to it"
            ) from exc
        if not text:
            return None
        try:
            return bytes.fromhex(text)
        except ValueError as exc:
            raise AuditError(
                f"the audit anchor key {self.key_file} is not a hexadecimal key; "
                "restore it from a backup"
            ) from exc

    def create(self) -> bytes:
        """Make a new 256-bit key, store it and return it.

        Raises
        ------
        AuditError
            If the key file cannot be written.
        """
        key = secrets.token_bytes(32)
        if self._keyring_set(key.hex()):
            return key
        try:
            # O_EXCL: a key that another process created meanwhile is kept.
            fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            existing = self.load()
            if existing is None:
                raise AuditError(
                    f"the audit anchor key {self.key_file} is empty; restore it "
                    "from a backup"
                ) from None
            return existing
        except OSError as exc:
            raise AuditError(
                f"cannot create the audit anchor key {self.key_file}: "
                f"{exc.strerror}; check the permissions of its folder"
            ) from exc
        with os.fdopen(fd, "w", encoding="ascii") as stream:
            stream.write(key.hex() + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        return key

    def _keyring_get(self) -> str | None:
        backend = self._usable_keyring()
        if backend is None or self.keyring_user is None:
            return None
        import keyring.errors

        try:
            secret: str | None = backend.get_password(
                KEYRING_SERVICE, self.keyring_user
            )
        except keyring.errors.KeyringError as exc:
            raise AuditError(
                f"cannot read the audit anchor key from the keyring: {exc}; "
                "unlock the keyring and retry"
            ) from exc
        return secret

    def _keyring_set(self, secret: str) -> bool:
        backend = self._usable_keyring()
        if backend is None or self.keyring_user is None:
            return False
        import keyring.errors

        try:
            backend.set_password(KEYRING_SERVICE, self.keyring_user, secret)
        except keyring.errors.KeyringError:
            # The key file is the documented fallback.
            logger.warning("the keyring rejected the audit anchor key; using a file")
            return False
        return True

    @staticmethod
    def _usable_keyring() -> KeyringBackend | None:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or backend.priority <= 0:
            return None
        return backend


def anchor_mac(key: bytes, anchor: sqlite3.Row | dict[str, Any]) -> str:
    """Return the HMAC-SHA256 (hex) over the fields of an ``audit_anchor`` row."""
    content = [
        int(anchor["started_seq"]),
        str(anchor["started_time"]),
        int(anchor["replaced"]),
        int(anchor["anchored_seq"]),
        str(anchor["anchored_hash"]),
    ]
    message = json.dumps(content, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


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
    anchor_key
        Where the key of the head's anchor is kept; default
        `AnchorKey.for_database`.

    Raises
    ------
    AuditError
        If the anchor key cannot be read or created, or the anchor not
        written.
    """

    def __init__(
        self,
        database: Database,
        *,
        clock: Callable[[], datetime] = _utc_now,
        source_id: str | None = None,
        anchor_key: AnchorKey | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._source_id = source_id
        self._listeners: list[Callable[[AuditRecord], None]] = []
        self._anchor_key = anchor_key or AnchorKey.for_database(database)
        database.migrate("audit", STEPS)
        self._key = self._anchor_key.load()
        self._ensure_anchor()

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
            self._advance_anchor(conn, head, record)
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

    def _ensure_anchor(self) -> None:
        """Create the anchor of a trail that has none, in one write transaction.

        A trail with records gets an audited record that names where the
        anchor starts. When the key existed already although the anchor did
        not, the anchor is marked as replaced, because deleting the anchor
        row is the way to hide a cut.
        """
        conn = self._database.connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("SELECT 1 FROM audit_anchor").fetchone() is not None:
                conn.execute("COMMIT")
                if self._key is None:
                    # Another process may have created the key and the anchor.
                    self._key = self._anchor_key.load()
                if self._key is None:
                    logger.error(
                        "the audit anchor key %s is missing; records are appended "
                        "without advancing the anchor",
                        self._anchor_key.key_file,
                    )
                return
            self._create_anchor(conn)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise AuditError(
                f"cannot write the audit trail's anchor in {self._database.path}: "
                f"{exc}; check that the disk is not full and retry"
            ) from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _create_anchor(self, conn: sqlite3.Connection) -> None:
        head = conn.execute(
            "SELECT last_seq, last_hash FROM audit_head WHERE id = 1"
        ).fetchone()
        earlier = int(head["last_seq"])
        key_existed = self._key is not None
        key = self._key if self._key is not None else self._anchor_key.create()
        self._key = key
        anchor: dict[str, Any] = {
            "started_seq": earlier + 1,
            # Wall-clock time: creating the anchor writes no record, so it does
            # not take a time from the trail's clock.
            "started_time": _utc_now().isoformat(timespec="microseconds"),
            "replaced": int(key_existed and earlier > 0),
            "anchored_seq": earlier,
            "anchored_hash": str(head["last_hash"]),
        }
        conn.execute(
            "INSERT INTO audit_anchor (id, started_seq, started_time, replaced, "
            "anchored_seq, anchored_hash, mac) VALUES (1, ?, ?, ?, ?, ?, ?)",
            (
                anchor["started_seq"],
                anchor["started_time"],
                anchor["replaced"],
                anchor["anchored_seq"],
                anchor["anchored_hash"],
                anchor_mac(key, anchor),
            ),
        )
        if earlier == 0:
            return
        detail = (
            f"the audit trail's anchor was created at record {earlier + 1}; "
            f"records 1 to {earlier} are covered by the hash chain only"
        )
        if key_existed:
            detail = (
                "the audit trail's anchor was missing although its key existed, "
                f"so records may have been cut off its end; a new anchor starts "
                f"at record {earlier + 1}"
            )
        # This record joins the open transaction and advances the new anchor.
        self.record(SETTINGS_CHANGED, user=_os_user(), os_account=True, detail=detail)

    def _advance_anchor(
        self, conn: sqlite3.Connection, head: sqlite3.Row, record: AuditRecord
    ) -> None:
        """Move the anchor to ``record`` when it still matches the trail.

        An anchor that no longer matches stays where it is: advancing it would
        make a rewritten head valid and hide the cut from `verify`.
        """
        if self._key is None:
            return
        anchor = conn.execute("SELECT * FROM audit_anchor WHERE id = 1").fetchone()
        if anchor is None:
            return
        stored = _stored_hash(conn, int(anchor["anchored_seq"]))
        if not _anchor_matches(self._key, anchor, int(head["last_seq"]), stored):
            logger.error(
                "the audit anchor does not match the trail and is not advanced; "
                "run `pacs-desktop audit verify`"
            )
            return
        moved = dict(anchor)
        moved.update(anchored_seq=record.seq, anchored_hash=record.hash)
        conn.execute(
            "UPDATE audit_anchor SET anchored_seq = ?, anchored_hash = ?, mac = ? "
            "WHERE id = 1",
            (record.seq, record.hash, anchor_mac(self._key, moved)),
        )

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
            anchor = conn.execute("SELECT * FROM audit_anchor WHERE id = 1").fetchone()
            stored = None
            if anchor is not None:
                stored = _stored_hash(conn, int(anchor["anchored_seq"]))
        except sqlite3.Error as exc:
            raise AuditError(f"cannot read the audit trail: {exc}") from exc
        finally:
            if own_transaction and conn.in_transaction:
                conn.execute("COMMIT")
        result = checker.check_head(head)
        if not result.ok:
            return result
        return self._check_anchor(result, head, anchor, stored)

    def _check_anchor(
        self,
        result: VerifyResult,
        head: sqlite3.Row,
        anchor: sqlite3.Row | None,
        stored_hash: str | None,
    ) -> VerifyResult:
        """Check the anchor of an intact chain against its head."""
        last_seq = int(head["last_seq"])
        if anchor is None:
            return _anchor_problem(
                result,
                "anchor-missing",
                "the anchor of the audit trail is missing, so records cut off its "
                "end cannot be detected; the next start creates a new anchor",
            )
        key = self._key if self._key is not None else self._anchor_key.load()
        if key is None:
            return _anchor_problem(
                result,
                "anchor-key-missing",
                "the key of the audit trail's anchor is missing (neither "
                f"{self._anchor_key.key_file} nor the keyring contains it), so "
                "records cut off the end cannot be detected; restore the key "
                "from a backup",
            )
        if not _anchor_matches(key, anchor, last_seq, stored_hash):
            return _anchor_problem(
                result,
                "cut",
                "the end of the trail was cut: the head was rewritten (the anchor "
                f"does not match record {last_seq}, which the head names as the "
                "newest)",
            )
        started_seq = int(anchor["started_seq"])
        started_time = str(anchor["started_time"])
        if anchor["replaced"]:
            return _anchor_problem(
                result,
                "anchor-replaced",
                "the anchor of the audit trail was missing although its key "
                f"existed, and a new one was created at {started_time}: records "
                f"before record {started_seq} may have been cut off the end",
            )
        message = (
            f"the chain is intact, and its end is anchored since record "
            f"{started_seq} (anchor created at {started_time})"
        )
        anchored_seq = int(anchor["anchored_seq"])
        if anchored_seq < last_seq:
            message += (
                f"; records {anchored_seq + 1} to {last_seq} were written without "
                "the anchor key and are covered by the chain only"
            )
        return VerifyResult(
            ok=True,
            checked=result.checked,
            message=message,
            anchored_since=started_seq,
            anchor_started=started_time,
        )

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


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No login name in the environment and no password database entry.
        return f"uid {os.getuid()}"


def _stored_hash(conn: sqlite3.Connection, seq: int) -> str | None:
    """Return the hash of record ``seq`` (`GENESIS_HASH` for 0), None if absent."""
    if seq == 0:
        return GENESIS_HASH
    row = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else str(row[0])


def _anchor_matches(
    key: bytes, anchor: sqlite3.Row, last_seq: int, stored_hash: str | None
) -> bool:
    """Return whether ``anchor`` is authentic and names a record still in the trail.

    The anchor may name a record before the newest one when records were
    appended by a process without the key, but never one after it.
    """
    if not hmac.compare_digest(str(anchor["mac"]), anchor_mac(key, anchor)):
        return False
    if int(anchor["anchored_seq"]) > last_seq:
        return False
    return stored_hash == str(anchor["anchored_hash"])


def _anchor_problem(result: VerifyResult, problem: str, message: str) -> VerifyResult:
    return VerifyResult(
        ok=False, checked=result.checked, problem=problem, seq=None, message=message
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
