"""Forwarding of audit records to a syslog collector over TLS.

Each record becomes an RFC 5424 message whose MSG is the record's DICOM audit
message. The header uses the values PS3.15 A.7 gives for audit messages in
syslog: facility 10 with severity 5 (4 for a failure outcome), so PRI 85 or
84, and MSGID ``DICOM+RFC3881``. Messages are framed by octet counting (RFC
5425 section 4.3) and sent over TLS 1.2 or newer with the collector's
certificate and host name verified. Nothing is ever sent without TLS.

The spool is the trail itself: the audit records after the last one the
collector acknowledged (``audit_forward_state.last_sent_seq`` in the database,
schema component ``"audit_forward"``). Records made while the collector is
unreachable stay pending and go out, in trail order, when it returns, also
after a restart of the workstation.

What "sent" means. RFC 5425 has no application acknowledgement, and a
successful write only means the bytes reached the local kernel. So each batch
travels on its own connection: after the last frame the sender sends a TLS
close_notify and waits (up to ``ack_timeout``) for the collector to close its
side, by its own close_notify or by ending the TCP stream. A collector that
read the whole batch does that; one that did not read it resets the connection
or stays silent. Only then are the batch's records marked sent, so a record is
never resent after that point. A batch whose connection fails before that
point is sent again, whole, so the collector may receive a record twice
(never zero times) when the connection breaks after it read the batch but
before its close reached the sender.

NOTE: a collector that closes a connection on its own (an idle timeout, say)
at the moment a batch arrives is taken as having read it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pacs_desktop import __version__
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.audit import (
    AuditError,
    AuditRecord,
    AuditTrail,
    records_after,
)

__all__ = [
    "DEFAULT_PORT",
    "AuditForwarder",
    "ForwardError",
    "SyslogTarget",
    "format_message",
    "frame",
    "tls_context",
]

logger = logging.getLogger(__name__)

# The port IANA assigned to syslog over TLS (RFC 5425 section 4.1).
DEFAULT_PORT = 6514

COMPONENT = "audit_forward"
STEPS: list[str] = [
    """
    CREATE TABLE audit_forward_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_sent_seq INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until TEXT
    );
    INSERT INTO audit_forward_state (id, last_sent_seq) VALUES (1, 0);
    """
]

# PRI = facility * 8 + severity; facility 10 is security/authorization.
_PRI_NOTICE = 10 * 8 + 5
_PRI_WARNING = 10 * 8 + 4
_MSGID = "DICOM+RFC3881"
_BOM = b"\xef\xbb\xbf"
# RFC 5424 section 7.3.1: sequenceId runs from 1 to 2147483647.
_MAX_SEQUENCE_ID = 2_147_483_647


class ForwardError(PacsDesktopError):
    """A batch of audit records could not be delivered to the collector."""


@dataclass(frozen=True)
class SyslogTarget:
    """Where and how to send audit records.

    ``ca_file`` is the PEM file of the certificate authorities that may sign
    the collector's certificate; None uses the system's trust store.
    ``server_name`` is the name the certificate must carry; default ``host``.
    ``client_cert`` and ``client_key`` authenticate this workstation when the
    collector asks for a client certificate (RFC 5425 section 5.2).
    """

    host: str
    port: int = DEFAULT_PORT
    ca_file: Path | None = None
    server_name: str | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    connect_timeout: float = 10.0
    """Seconds for the TCP connection and the TLS handshake."""
    ack_timeout: float = 10.0
    """Seconds to wait for the collector to close after a batch."""
    batch_size: int = 100
    """Records per connection."""


def tls_context(target: SyslogTarget) -> ssl.SSLContext:
    """Build the client TLS context: TLS >= 1.2, certificate and name checked.

    Raises
    ------
    ForwardError
        If a certificate or key file cannot be loaded.
    """
    try:
        context = ssl.create_default_context(
            ssl.Purpose.SERVER_AUTH,
            cafile=str(target.ca_file) if target.ca_file else None,
        )
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.check_hostname = True
        context.verify_mode = ssl.CERT_REQUIRED
        if target.client_cert is not None:
            context.load_cert_chain(
                str(target.client_cert),
                str(target.client_key) if target.client_key else None,
            )
    except (OSError, ssl.SSLError) as exc:
        raise ForwardError(
            f"cannot load the TLS certificates for the syslog collector "
            f"{target.host}:{target.port}: {exc}; check the CA, certificate and "
            "key files"
        ) from exc
    return context


def format_message(
    record: AuditRecord,
    *,
    hostname: str | None = None,
    app_name: str = "pacs-desktop",
    procid: str | None = None,
) -> bytes:
    """Return the RFC 5424 message of ``record``, its audit XML as MSG.

    The structured data carries ``meta sequenceId`` (the record's sequence
    number, so a collector sees gaps) and ``origin software/swVersion``.
    """
    pri = _PRI_NOTICE if record.outcome == "success" else _PRI_WARNING
    timestamp = datetime.fromisoformat(record.time).astimezone(timezone.utc)
    header = " ".join(
        [
            f"<{pri}>1",
            timestamp.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            _printable(hostname or socket.gethostname(), 255),
            _printable(app_name, 48),
            _printable(procid or str(os.getpid()), 128),
            _MSGID,
        ]
    )
    sequence_id = (record.seq - 1) % _MAX_SEQUENCE_ID + 1
    structured = (
        f'[meta sequenceId="{sequence_id}"]'
        f'[origin software="pacs-desktop" swVersion="{_sd_escape(__version__)}"]'
    )
    return (
        f"{header} {structured} ".encode("ascii")
        + _BOM
        + record.message_xml.encode("utf-8")
    )


def frame(message: bytes) -> bytes:
    """Return ``message`` with its RFC 5425 octet count: ``LEN SP MESSAGE``."""
    return str(len(message)).encode("ascii") + b" " + message


def _printable(value: str, limit: int) -> str:
    # RFC 5424 header fields are 1 to ``limit`` characters of ASCII 33-126.
    cleaned = "".join(char for char in value if 33 <= ord(char) <= 126)
    return cleaned[:limit] or "-"


def _sd_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class AuditForwarder:
    """Sends every audit record to one collector from a background thread.

    Parameters
    ----------
    database
        The workstation database with the audit trail.
    target
        The collector.
    audit
        When given, the forwarder wakes as soon as a record is appended in
        this process; records of other processes are found by polling.
    poll_interval
        Seconds between checks for records when nothing woke the sender.
    initial_backoff, max_backoff
        Seconds to wait after the first failed delivery, doubling after each
        further failure up to ``max_backoff``.
    lease
        How long one process may forward before renewing its claim; only the
        holder of the claim sends, so two processes never send the same record.

    Raises
    ------
    ForwardError
        If the TLS certificates cannot be loaded.
    ArchiveError
        If the forwarding state cannot be created in the database.
    """

    def __init__(
        self,
        database: Database,
        target: SyslogTarget,
        *,
        audit: AuditTrail | None = None,
        poll_interval: float = 5.0,
        initial_backoff: float = 1.0,
        max_backoff: float = 300.0,
        lease: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._database = database
        self.target = target
        self._context = tls_context(target)
        self._poll_interval = poll_interval
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._lease = lease
        self._clock = clock
        self._owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._active: ssl.SSLSocket | None = None
        self._active_lock = threading.Lock()
        self.last_error: str | None = None
        """The reason the last delivery failed; None after a success."""
        self._audit = audit
        database.migrate(COMPONENT, STEPS)
        if audit is not None:
            audit.add_listener(self._on_record)

    # -- thread --------------------------------------------------------------

    def start(self) -> None:
        """Start the sender thread (once)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(
            target=self._run, name="audit-forwarder", daemon=True
        )
        self._thread.start()
        logger.info(
            "audit forwarding to %s:%d started", self.target.host, self.target.port
        )

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the sender thread and wait for it to end.

        A batch in flight is cut off; its records stay pending and are sent
        again by the next forwarder.
        """
        self._stop.set()
        self._wake.set()
        with self._active_lock:
            if self._active is not None:
                # The base-class shutdown acts on the TCP socket only, so a
                # blocked TLS read or write in the sender thread returns.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(self._active, socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._audit is not None:
            self._audit.remove_listener(self._on_record)
        self._release()
        logger.info("audit forwarding stopped")

    def wake(self) -> None:
        """Make the sender check for pending records now."""
        self._wake.set()

    def _on_record(self, record: AuditRecord) -> None:
        self._wake.set()

    def _run(self) -> None:
        backoff = self._initial_backoff
        while not self._stop.is_set():
            try:
                sent = self.send_pending()
            except (ForwardError, AuditError, OSError) as exc:
                if self._stop.is_set():
                    break
                self._note_failure(str(exc), backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                continue
            backoff = self._initial_backoff
            if sent < self.target.batch_size:
                self._wake.wait(self._poll_interval)
                self._wake.clear()

    def _note_failure(self, reason: str, backoff: float) -> None:
        if reason != self.last_error:
            logger.warning(
                "audit forwarding to %s:%d failed, retrying in %.1f s: %s",
                self.target.host,
                self.target.port,
                backoff,
                reason,
            )
        self.last_error = reason

    # -- one batch -----------------------------------------------------------

    def send_pending(self) -> int:
        """Send one batch of pending records; return how many were sent.

        Returns 0 when nothing is pending or another process has the claim
        to forward.

        Raises
        ------
        ForwardError
            If the collector cannot be reached, its certificate is refused, or
            it did not acknowledge the batch; the records stay pending.
        """
        if not self._claim():
            return 0
        records = self._pending()
        if not records:
            return 0
        payload = b"".join(frame(format_message(record)) for record in records)
        self._deliver(payload)
        self._mark_sent(records[-1].seq)
        if self.last_error is not None:
            logger.info("audit forwarding resumed")
        self.last_error = None
        return len(records)

    def pending_count(self) -> int:
        """Return how many records wait to be sent."""
        conn = self._database.connection()
        row = conn.execute(
            "SELECT COUNT(*) FROM audit_log WHERE seq > "
            "(SELECT last_sent_seq FROM audit_forward_state WHERE id = 1)"
        ).fetchone()
        return int(row[0])

    def last_sent_seq(self) -> int:
        """Return the sequence number of the last acknowledged record."""
        row = (
            self._database.connection()
            .execute("SELECT last_sent_seq FROM audit_forward_state WHERE id = 1")
            .fetchone()
        )
        return int(row[0])

    def _pending(self) -> list[AuditRecord]:
        return records_after(
            self._database, self.last_sent_seq(), limit=self.target.batch_size
        )

    def _deliver(self, payload: bytes) -> None:
        where = f"{self.target.host}:{self.target.port}"
        try:
            raw = socket.create_connection(
                (self.target.host, self.target.port),
                timeout=self.target.connect_timeout,
            )
        except OSError as exc:
            raise ForwardError(
                f"cannot connect to the syslog collector {where}: {exc}"
            ) from exc
        try:
            tls = self._context.wrap_socket(
                raw, server_hostname=self.target.server_name or self.target.host
            )
        except (OSError, ssl.SSLError) as exc:
            raw.close()
            raise ForwardError(
                f"TLS handshake with the syslog collector {where} failed: {exc}; "
                "check its certificate, the CA file and the host name"
            ) from exc
        with self._active_lock:
            self._active = tls
        try:
            tls.settimeout(self.target.ack_timeout)
            tls.sendall(payload)
            _await_close(tls, where)
        except (OSError, ssl.SSLError) as exc:
            raise ForwardError(
                f"sending to the syslog collector {where} failed: {exc}"
            ) from exc
        finally:
            with self._active_lock:
                self._active = None
            tls.close()

    # -- state in the database ----------------------------------------------

    def _claim(self) -> bool:
        now = self._clock()
        conn = self._database.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute(
                "SELECT lease_owner, lease_until FROM audit_forward_state WHERE id = 1"
            ).fetchone()
            owner, until = row["lease_owner"], row["lease_until"]
            held_elsewhere = (
                owner not in (None, self._owner)
                and until is not None
                and datetime.fromisoformat(until) > now
            )
            if not held_elsewhere:
                conn.execute(
                    "UPDATE audit_forward_state SET lease_owner = ?, lease_until = ? "
                    "WHERE id = 1",
                    (self._owner, (now + self._lease).isoformat()),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return not held_elsewhere

    def _release(self) -> None:
        # Lets another process forward at once instead of after the lease.
        conn = self._database.connection()
        conn.execute(
            "UPDATE audit_forward_state SET lease_owner = NULL, lease_until = NULL "
            "WHERE id = 1 AND lease_owner = ?",
            (self._owner,),
        )

    def _mark_sent(self, seq: int) -> None:
        conn = self._database.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "UPDATE audit_forward_state SET last_sent_seq = MAX(last_sent_seq, ?) "
                "WHERE id = 1",
                (seq,),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _await_close(tls: ssl.SSLSocket, where: str) -> None:
    """Send close_notify and wait until the collector closes its side.

    Raises
    ------
    ForwardError
        If the collector resets the connection or does not close in time.
    """
    try:
        tls.unwrap()
        return
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError):
        # The collector ended the TCP stream without a close_notify of its
        # own, after reading up to ours.
        return
    except TimeoutError as exc:
        raise ForwardError(
            f"the syslog collector {where} did not acknowledge the batch in time"
        ) from exc
