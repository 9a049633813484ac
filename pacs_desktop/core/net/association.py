"""Opening DICOM associations with timeouts, TLS and a stall watchdog.

Every association this package opens as a requestor goes through `associate`:

- ACSE, DIMSE, network and connection timeouts from the settings;
- TCP_NODELAY, because with Nagle's algorithm each DIMSE round trip on loopback
  waited about 40 ms for a delayed acknowledgement (47 ms against 6 ms for a
  C-FIND against Orthanc 1.10);
- DICOM TLS (PS3.15 Annex B.1) with TLS 1.2 or newer, the server certificate
  checked against the node's CA and its host name, and no fallback to plain TCP;
- an outer watchdog thread that shuts the socket down when the peer makes no
  progress for longer than the stall limit. pynetdicom's own timeouts restart on
  every byte, so a peer that declares a huge PDU and trickles bytes would
  otherwise hold ``associate()`` for minutes.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from pydicom import Dataset
from pynetdicom import AE, Association
from pynetdicom.presentation import PresentationContext
from pynetdicom.transport import AddressInformation, AssociationSocket

from pacs_desktop.core.net.errors import (
    AssociationAbortedError,
    AssociationRejectedError,
    ConnectionFailedError,
    NetworkError,
    NetworkTimeoutError,
    PeerAbortedRequestError,
    TlsError,
)
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.pdu_limits import (
    DEFAULT_MAX_MESSAGE_BYTES,
    LimitedSocket,
    ReceiveLimits,
)
from pacs_desktop.core.net.status import require_status
from pacs_desktop.core.settings import SettingValue

logger = logging.getLogger(__name__)

# pynetdicom logs C-FIND identifiers (patient data) at INFO and DEBUG.
logging.getLogger("pynetdicom").setLevel(logging.WARNING)

# Extra seconds the watchdog grants beyond pynetdicom's own timeout, so that
# pynetdicom reports an ordinary timeout first whenever it can.
_WATCHDOG_GRACE = 2.0


class SettingsReader(Protocol):
    """Read access to settings: `Settings`, or the site profile over them."""

    def get(self, key: str) -> SettingValue: ...

    def get_str(self, key: str) -> str: ...

    def get_int(self, key: str) -> int: ...

    def get_list(self, key: str) -> list[str]: ...


def _seconds(settings: SettingsReader, key: str) -> float:
    value = settings.get(key)
    assert isinstance(value, int | float)
    return float(value)


@dataclass(frozen=True)
class Timeouts:
    """Association timeouts in seconds."""

    acse: float = 10.0
    dimse: float = 60.0
    network: float = 60.0
    connect: float = 10.0

    @classmethod
    def from_settings(cls, settings: SettingsReader) -> Timeouts:
        """Read the timeouts from the ``network.*_timeout`` settings."""
        acse = _seconds(settings, "network.acse_timeout")
        return cls(
            acse=acse,
            dimse=_seconds(settings, "network.dimse_timeout"),
            network=_seconds(settings, "network.network_timeout"),
            connect=acse,
        )


@dataclass(frozen=True)
class LocalEntity:
    """This workstation as a DICOM application entity."""

    ae_title: str
    timeouts: Timeouts = Timeouts()
    scp_port: int = 11112
    # Seconds to wait for a Storage Commitment report; 0 requests none.
    commitment_timeout: float = 30.0
    # Bytes of one DIMSE message (one object) accepted from a peer.
    max_object_bytes: int = DEFAULT_MAX_MESSAGE_BYTES

    def receive_limits(self) -> ReceiveLimits:
        """Return the read limits of this workstation's associations."""
        return ReceiveLimits(
            max_message_bytes=self.max_object_bytes,
            pdu_seconds=self.timeouts.network,
        )

    @classmethod
    def from_settings(cls, settings: SettingsReader) -> LocalEntity:
        """Read the AE title, SCP port and timeouts from the settings."""
        return cls(
            ae_title=settings.get_str("network.ae_title"),
            timeouts=Timeouts.from_settings(settings),
            scp_port=settings.get_int("network.scp_port"),
            commitment_timeout=float(settings.get_int("network.commitment_timeout")),
            max_object_bytes=settings.get_int("network.max_object_mb") << 20,
        )


class _ClientContext(ssl.SSLContext):
    """A client TLS context that carries the failure record of its connection."""

    failure_record: _FailureRecord | None = None


def client_tls_context(node: Node) -> ssl.SSLContext:
    """Build the TLS context for connecting to ``node`` as a client.

    The server certificate must chain to ``node.ca_file`` and name ``node.host``
    (checked by passing ``node.host`` as ``server_hostname``).

    Raises
    ------
    TlsError
        If the CA, certificate or key file cannot be loaded.
    """
    # The settings of ssl.create_default_context(Purpose.SERVER_AUTH): this
    # context authenticates a server, verifying its certificate and host name.
    # A subclass is built directly so that it can carry the failure record.
    context = _ClientContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.sslsocket_class = _RecordingSSLSocket
    try:
        context.load_verify_locations(cafile=str(node.ca_file))
    except (OSError, ssl.SSLError) as exc:
        raise TlsError(
            node.label,
            f"cannot load the CA certificate file {node.ca_file} ({exc}); check --ca",
        ) from exc
    if node.cert_file is not None and node.key_file is not None:
        try:
            context.load_cert_chain(
                str(node.cert_file), str(node.key_file), node.key_passphrase()
            )
        except (OSError, ssl.SSLError) as exc:
            raise TlsError(
                node.label,
                f"cannot load the client certificate {node.cert_file} or its key "
                f"{node.key_file} ({exc}); check --cert and --key",
            ) from exc
    return context


class _FailureRecord:
    """The exception that ended a connection attempt, kept for the message."""

    def __init__(self) -> None:
        self.error: OSError | None = None


class _RecordingSocket(socket.socket):
    """A TCP socket that keeps the error of a failed connect.

    pynetdicom logs and swallows the error of its connect, so the record is
    how the user learns whether the peer refused, timed out or failed TLS.
    """

    record: _FailureRecord

    def connect(self, address: Any) -> None:
        try:
            super().connect(address)
        except OSError as exc:
            self.record.error = exc
            raise


class _RecordingSSLSocket(ssl.SSLSocket):
    """The TLS counterpart of `_RecordingSocket` (TCP connect and handshake)."""

    def connect(self, address: Any) -> None:
        try:
            super().connect(address)
        except OSError as exc:
            context = self.context
            record = getattr(context, "failure_record", None)
            if isinstance(record, _FailureRecord):
                record.error = exc
            raise


class _WatchedSocket(LimitedSocket):
    """An association socket with TCP_NODELAY, read limits and a failure record."""

    def __init__(self, assoc: Association, address: AddressInformation) -> None:
        self.record = _FailureRecord()
        super().__init__(assoc, address=address)

    def _create_socket(self, address: AddressInformation) -> socket.socket:
        plain = super()._create_socket(address)
        timeout = plain.gettimeout()
        sock = _RecordingSocket(plain.family, plain.type, fileno=plain.detach())
        sock.record = self.record
        sock.settimeout(timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def connect(self, primitive: Any) -> None:
        # The TLS socket replaces ours inside the base class's connect; it
        # finds the record through its context.
        if self.tls_args and isinstance(self.tls_args[0], _ClientContext):
            self.tls_args[0].failure_record = self.record
        super().connect(primitive)

    def stop(self) -> None:
        """Shut the connection down so that every blocked read returns."""
        sock = self.socket
        if sock is None:
            return
        # socket.socket.shutdown also on a TLS socket: SSLSocket.shutdown would
        # drop its TLS state under the reading thread. OSError: already closed.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _WatchedAE(AE):
    """An AE whose requestor sockets are `_WatchedSocket` instances.

    NOTE: overrides ``AE._create_socket``, a private method of pynetdicom 3.0
    (the project pins pynetdicom below 3.1).
    """

    def __init__(self, ae_title: str, limits: ReceiveLimits, label: str) -> None:
        super().__init__(ae_title)
        self.maximum_pdu_size = limits.max_pdu_length
        self.limits = limits
        self.label = label
        self.last_socket: _WatchedSocket | None = None

    def _create_socket(
        self,
        assoc: Association,
        address: AddressInformation,
        tls_args: tuple[ssl.SSLContext, str] | None,
    ) -> AssociationSocket:
        sock = _WatchedSocket(assoc, address)
        sock.set_limits(self.limits, self.label)
        sock.tls_args = tls_args
        self.last_socket = sock
        _leave_responses_to_caller(assoc)
        return sock


def _leave_responses_to_caller(assoc: Association) -> None:
    """Keep the association's reactor thread from taking DIMSE responses.

    pynetdicom 3.0 pauses its reactor around each ``send_*`` call, but the
    reactor can pass its pause check just before the caller sends and then
    take the response off the queue first; it logs "Received unexpected
    C-STORE service message", drops it, and the caller waits for the DIMSE
    timeout. The reactor polls without blocking and the caller blocks, so the
    reactor's non-blocking polls now get only requests (a peer's
    N-EVENT-REPORT, for example).
    """
    dimse = assoc.dimse
    messages = dimse.msg_queue
    get_message = dimse.get_msg

    def get_msg(block: bool = False) -> Any:
        if not block:
            with messages.mutex:
                head = messages.queue[0] if messages.queue else None
            if not getattr(head and head[1], "is_valid_request", False):
                return None, None
        return get_message(block)

    setattr(dimse, "get_msg", get_msg)  # noqa: B010 (an instance attribute)


class Watchdog:
    """Shuts a connection down when no progress was reported for too long.

    Callers report progress with `kick` (a DIMSE message sent or received).
    The limit can change between phases with `set_limit`.
    """

    def __init__(self, label: str, limit: float) -> None:
        self.label = label
        self.limit = limit
        self.fired = False
        self._last = time.monotonic()
        self._stopped = threading.Event()
        self._socket: Callable[[], _WatchedSocket | None] = lambda: None
        self._thread = threading.Thread(
            target=self._run, name="association-watchdog", daemon=True
        )

    def watch(self, sock: Callable[[], _WatchedSocket | None]) -> None:
        """Start watching; ``sock`` returns the socket to shut down, if any yet.

        The socket is looked up when the watchdog fires because pynetdicom
        creates it inside ``AE.associate``, which is what may block.
        """
        self._socket = sock
        self._last = time.monotonic()
        self._thread.start()

    def kick(self) -> None:
        """Record progress now."""
        self._last = time.monotonic()

    def idle(self) -> float:
        """Return the seconds since the last progress."""
        return time.monotonic() - self._last

    def set_limit(self, seconds: float) -> None:
        """Change the stall limit and record progress now."""
        self.limit = seconds
        self.kick()

    def stop(self) -> None:
        """Stop watching."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stopped.is_set():
            idle = time.monotonic() - self._last
            if idle > self.limit:
                self.fired = True
                logger.warning(
                    "association with %s made no progress for %.0f s; aborting it",
                    self.label,
                    idle,
                )
                sock = self._socket()
                if sock is not None:
                    sock.stop()
                return
            self._stopped.wait(min(0.25, self.limit - idle + 0.01))


@dataclass
class OpenAssociation:
    """An established association with its node and watchdog."""

    assoc: Association
    node: Node
    watchdog: Watchdog
    sock: _WatchedSocket | None = None
    dimse_timeout: float | None = None

    def status(self, response: Dataset | None, operation: str) -> int:
        """Return the Status of a DIMSE response and record progress.

        Raises
        ------
        NetworkTimeoutError
            If there is no status because the watchdog aborted the association.
        AssociationAbortedError
            If there is no status for another reason (abort, timeout, lost
            connection).
        """
        if response is None or "Status" not in response:
            self.check_alive()
        self.watchdog.kick()
        return require_status(self.node, response, operation)

    def check_alive(self) -> None:
        """Raise the error that ended the association, if it ended early.

        Raises
        ------
        NetworkTimeoutError
            If the watchdog aborted the association.
        AssociationAbortedError
            If the peer aborted or the connection dropped.
        """
        if self.watchdog.fired:
            raise NetworkTimeoutError(
                self.node.label,
                f"the PACS stopped responding for more than "
                f"{self.watchdog.limit:.0f} s; the association was aborted",
            )
        if self.sock is not None and self.sock.violation:
            raise AssociationAbortedError(
                self.node.label,
                f"the association was aborted because {self.sock.violation}",
            )
        # pynetdicom aborts the association itself when the DIMSE timeout
        # expires, so a long silence before the abort means a timeout.
        if self.dimse_timeout is not None and self.watchdog.idle() >= (
            self.dimse_timeout
        ):
            raise NetworkTimeoutError(
                self.node.label,
                f"the PACS sent no response within {self.dimse_timeout:.0f} s "
                "(DIMSE timeout); the association was aborted",
            )
        if self.assoc.is_aborted or not self.assoc.is_established:
            raise AssociationAbortedError(
                self.node.label,
                "the association was aborted or the connection was lost",
            )


@contextmanager
def associate(
    node: Node,
    local: LocalEntity,
    contexts: Sequence[PresentationContext],
    *,
    ext_neg: Sequence[Any] = (),
    evt_handlers: Sequence[Any] = (),
) -> Iterator[OpenAssociation]:
    """Open an association with ``node``, yield it, then release it.

    On an exception inside the ``with`` block the association is aborted
    instead of released.

    Raises
    ------
    ConnectionFailedError
        If the TCP connection is refused or the host is unreachable.
    NetworkTimeoutError
        If the connection or the negotiation timed out or stalled.
    AssociationRejectedError
        If the node rejected the association; the message gives the reason.
    TlsError
        If TLS is configured and the handshake failed.
    """
    timeouts = local.timeouts
    ae = _WatchedAE(local.ae_title, local.receive_limits(), node.label)
    ae.acse_timeout = timeouts.acse
    ae.dimse_timeout = timeouts.dimse
    ae.network_timeout = timeouts.network
    ae.connection_timeout = timeouts.connect
    tls_args = (client_tls_context(node), node.host) if node.tls else None

    watchdog = Watchdog(node.label, timeouts.connect + timeouts.acse + _WATCHDOG_GRACE)
    handlers = [*evt_handlers]
    started = time.monotonic()
    watchdog.watch(lambda: ae.last_socket)
    try:
        assoc = _start(
            ae,
            node=node,
            contexts=list(contexts),
            ext_neg=list(ext_neg),
            handlers=handlers,
            tls_args=tls_args,
        )
        sock = ae.last_socket
        acse_expired = time.monotonic() - started >= timeouts.acse
        _wait_established(assoc, node, watchdog, sock, acse_expired=acse_expired)
        # NOTE: progress is counted per DIMSE message, so one instance that
        # takes longer than the DIMSE timeout to transfer is aborted too.
        watchdog.set_limit(timeouts.dimse + _WATCHDOG_GRACE)
        opened = OpenAssociation(assoc, node, watchdog, sock, timeouts.dimse)
        logger.info("association with %s established", node.label)
        try:
            yield opened
        except BaseException:
            assoc.abort()
            raise
        if assoc.is_established:
            assoc.release()
    finally:
        watchdog.stop()


def _start(
    ae: _WatchedAE,
    *,
    node: Node,
    contexts: list[PresentationContext],
    ext_neg: list[Any],
    handlers: list[Any],
    tls_args: tuple[ssl.SSLContext, str] | None,
) -> Association:
    try:
        assoc: Association = ae.associate(
            node.host,
            node.port,
            contexts=contexts,
            ae_title=node.ae_title,
            ext_neg=ext_neg or None,
            evt_handlers=handlers or None,
            tls_args=tls_args,
        )
    except (OSError, ValueError) as exc:
        raise ConnectionFailedError(
            node.label, f"cannot start the association: {exc}"
        ) from exc
    return assoc


def _wait_established(
    assoc: Association,
    node: Node,
    watchdog: Watchdog,
    sock: _WatchedSocket | None,
    *,
    acse_expired: bool,
) -> None:
    if assoc.is_established:
        return
    error = sock.record.error if sock is not None else None
    if watchdog.fired:
        raise NetworkTimeoutError(
            node.label,
            "the association request stalled (the peer sent no complete "
            "answer in time); check the PACS and try again",
        )
    if sock is not None and sock.violation:
        raise AssociationAbortedError(
            node.label, f"the association request was aborted because {sock.violation}"
        )
    if assoc.is_rejected:
        raise _rejection(node, assoc)
    if error is not None:
        raise _connection_error(node, error)
    if assoc.is_aborted and not acse_expired:
        raise PeerAbortedRequestError(
            node.label,
            "the PACS aborted the association request or responded with an "
            "invalid PDU; check that it knows this workstation's AE title",
        )
    # pynetdicom aborts the request itself when the ACSE timeout expires.
    raise NetworkTimeoutError(
        node.label,
        "timed out waiting for an answer to the association request; check "
        "the host, the port and that the PACS is running",
    )


_REJECT_REASONS = {
    (1, 1): "no reason given",
    (1, 2): "application context name not supported",
    (1, 3): "calling AE title not recognised; register this workstation's AE "
    "title on the PACS",
    (1, 7): "called AE title not recognised; check the node's AE title",
    (2, 1): "no reason given",
    (2, 2): "protocol version not supported",
    (3, 1): "temporary congestion",
    (3, 2): "local limit exceeded",
}


def _rejection(node: Node, assoc: Association) -> AssociationRejectedError:
    primitive = assoc.acceptor.primitive
    result = getattr(primitive, "result", None)
    source = getattr(primitive, "result_source", None)
    diagnostic = getattr(primitive, "diagnostic", None)
    permanent = result == 0x01
    reason = _REJECT_REASONS.get((source or 0, diagnostic or 0), "reason unknown")
    kind = "permanent" if permanent else "transient"
    return AssociationRejectedError(
        node.label,
        f"association rejected, {kind}, {reason}",
        retryable=not permanent,
    )


def _connection_error(node: Node, error: OSError) -> NetworkError:
    if isinstance(error, ssl.SSLCertVerificationError):
        return TlsError(
            node.label,
            f"TLS certificate not accepted: {error.verify_message}; check the "
            "host name and the CA file of the node",
        )
    if isinstance(error, ssl.SSLError):
        return TlsError(
            node.label,
            f"TLS handshake failed ({error.reason or error}); check that the "
            "PACS port speaks TLS and accepts TLS 1.2 or newer",
        )
    if isinstance(error, ConnectionRefusedError):
        return ConnectionFailedError(
            node.label,
            "connection refused; check the host and port, and that the PACS is running",
        )
    if isinstance(error, TimeoutError | socket.timeout):
        return NetworkTimeoutError(
            node.label, "connection timed out; check the host, port and firewall"
        )
    if isinstance(error, ConnectionResetError | EOFError) and node.tls:
        return TlsError(
            node.label,
            "TLS handshake failed: the peer closed the connection; check that "
            "the PACS port speaks TLS",
        )
    return ConnectionFailedError(node.label, f"cannot connect: {error}")
