"""Storage SCP (PS3.4 Annex B): receives C-STOREs into the local archive.

The same `ArchiveReceiver` stores the sub-operations of a C-GET (on the
requestor's association) and the pushes the SCP accepts (modalities, C-MOVE).
Each data set is stored with the bytes the peer sent, never decoded and
re-encoded, through the archive's atomic import path, so a half-received
instance is never indexed. The SCP records what each association delivered
in the archive's audit trail (see `transfer_audit`).
"""

from __future__ import annotations

import errno
import io
import logging
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from pynetdicom import AE, ALL_TRANSFER_SYNTAXES, AllStoragePresentationContexts, evt
from pynetdicom.dimse_primitives import C_STORE
from pynetdicom.transport import ThreadedAssociationServer

from pacs_desktop.core.archive.batch import GroupCommit
from pacs_desktop.core.archive.index import DUPLICATE, IMPORTED, Archive
from pacs_desktop.core.errors import ArchiveError
from pacs_desktop.core.net.association import LocalEntity, SettingsReader, Timeouts
from pacs_desktop.core.net.commitment import (
    STORAGE_COMMITMENT_PUSH_MODEL,
    CommitmentReports,
)
from pacs_desktop.core.net.errors import NetworkError, PortInUseError
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.pdu_limits import LimitedSocket, ReceiveLimits
from pacs_desktop.core.net.transfer_audit import ReceptionAudit
from pacs_desktop.core.security.audit import AuditTrail

logger = logging.getLogger(__name__)

VERIFICATION = "1.2.840.10008.1.1"

# C-STORE failure statuses (PS3.4 B.2.3): 0xA700 is "refused: out of
# resources" and 0xC000 is "cannot understand".
STATUS_OUT_OF_RESOURCES = 0xA700
STATUS_CANNOT_UNDERSTAND = 0xC000

# Associations the storage SCP serves at once.
MAXIMUM_ASSOCIATIONS = 8


@dataclass(frozen=True)
class ReceivedInstance:
    """One instance that a peer sent, and what the archive made of it."""

    sop_instance_uid: str
    study_uid: str
    calling_ae_title: str
    size: int
    status: str
    reason: str = ""


ReceivedCallback = Callable[[ReceivedInstance], None]


class ArchiveReceiver:
    """An ``EVT_C_STORE`` handler that stores each data set in the archive.

    Listeners (a retrieve job counting its instances, for example) are called
    in the association's thread after each instance. With ``audit``, each
    instance is also counted for the audit record of its association.
    """

    def __init__(
        self, archive: Archive, *, audit: ReceptionAudit | None = None
    ) -> None:
        self.archive = archive
        self.audit = audit
        self._writer = GroupCommit(archive)
        self._listeners: list[ReceivedCallback] = []
        self._lock = threading.Lock()

    def add_listener(self, listener: ReceivedCallback) -> None:
        """Call ``listener`` after each received instance."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: ReceivedCallback) -> None:
        """Stop calling ``listener``."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def handle_store(self, event: evt.Event) -> int:
        """Store the C-STORE data set of ``event`` and return the DIMSE status."""
        # On a C-GET association the workstation is the requestor, so the
        # peer that sends the instance is the acceptor.
        assoc = event.assoc
        peer = assoc.acceptor if assoc.is_requestor else assoc.requestor
        calling = str(peer.ae_title).strip()
        data = _file_bytes(event)
        try:
            outcome = self._writer.store(data, calling, source_node=calling)
        except ArchiveError as exc:
            logger.error("instance from %s not stored: %s", calling, exc)
            if self.audit is not None:
                self.audit.count(assoc, "failed", "", str(exc), data)
            self._notify(
                ReceivedInstance("", "", calling, len(data), "failed", str(exc))
            )
            return STATUS_OUT_OF_RESOURCES
        received = ReceivedInstance(
            sop_instance_uid=outcome.sop_instance_uid,
            study_uid=outcome.study_uid,
            calling_ae_title=calling,
            size=len(data),
            status=outcome.status,
            reason=outcome.reason,
        )
        if self.audit is not None:
            self.audit.count(
                assoc, outcome.status, outcome.study_uid, outcome.reason, data
            )
        self._notify(received)
        if outcome.status in (IMPORTED, DUPLICATE):
            return 0x0000
        if self.audit is not None:
            # A reason can quote a value of the data set, such as an invalid
            # Patient's Name, so it goes to the audit trail only.
            logger.warning(
                "instance from %s rejected; the audit trail records the reason",
                calling,
            )
        else:
            logger.warning("instance from %s rejected: %s", calling, outcome.reason)
        return STATUS_CANNOT_UNDERSTAND

    def _notify(self, received: ReceivedInstance) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(received)


def _file_bytes(event: evt.Event) -> bytes:
    """Return the received data set as a file: preamble, File Meta, data set.

    The bytes arrive as the peer encoded them; only a minimal File Meta
    Information goes in front because the archive writes its own. Building
    it with pydicom, as ``encoded_dataset`` does, took about 1 ms per CT
    instance under cProfile.
    """
    request = cast(C_STORE, event.request)
    encoded = request.DataSet
    stream = encoded.getvalue() if isinstance(encoded, io.BytesIO) else b""
    meta = _encode_meta(
        str(request.AffectedSOPClassUID or ""),
        str(request.AffectedSOPInstanceUID or ""),
        str(event.context.transfer_syntax),
    )
    return b"".join((bytes(128), b"DICM", meta, stream))


def _meta_element(tag: int, vr: bytes, value: bytes) -> bytes:
    # PS3.5 7.1.2: explicit VR little endian; OB has a 4-byte length.
    if len(value) % 2:
        value += b"\0"
    head = struct.pack("<HH", tag >> 16, tag & 0xFFFF) + vr
    if vr == b"OB":
        return head + struct.pack("<HI", 0, len(value)) + value
    return head + struct.pack("<H", len(value)) + value


def _encode_meta(sop_class: str, sop_instance: str, transfer_syntax: str) -> bytes:
    """Encode File Meta Information (PS3.10 7.1) with its group length."""
    body = b"".join(
        (
            _meta_element(0x00020001, b"OB", b"\0\1"),
            _meta_element(0x00020002, b"UI", sop_class.encode("ascii", "replace")),
            _meta_element(0x00020003, b"UI", sop_instance.encode("ascii", "replace")),
            _meta_element(
                0x00020010, b"UI", transfer_syntax.encode("ascii", "replace")
            ),
        )
    )
    return _group_length(len(body)) + body


def _group_length(length: int) -> bytes:
    # (0002,0000) File Meta Information Group Length, UL.
    return struct.pack("<HH2sHI", 0x0002, 0x0000, b"UL", 4, length)


def storage_abstract_syntaxes() -> list[str]:
    """Return the UIDs of every storage SOP class that pynetdicom defines."""
    return [str(context.abstract_syntax) for context in AllStoragePresentationContexts]


class StorageSCP:
    """The workstation's storage SCP.

    Only calling AE titles returned by ``allowed_aets`` may associate; others
    are rejected (permanent, calling AE title not recognised). The called AE
    title must be ours.

    With ``audit`` (by default the archive's audit trail, when it has one),
    the instances each association delivered or had rejected are recorded
    when its connection closes.
    """

    def __init__(
        self,
        archive: Archive,
        *,
        ae_title: str,
        port: int,
        allowed_aets: Callable[[], Iterable[str]],
        timeouts: Timeouts | None = None,
        bind_address: str = "0.0.0.0",
        limits: ReceiveLimits | None = None,
        audit: AuditTrail | None = None,
    ) -> None:
        trail = audit if audit is not None else archive.audit
        self.audit = (
            None if trail is None else ReceptionAudit(trail, archive, ae_title=ae_title)
        )
        self.receiver = ArchiveReceiver(archive, audit=self.audit)
        self.commitments = CommitmentReports()
        self.ae_title = ae_title
        self.port = port
        self.bind_address = bind_address
        self._allowed_aets = allowed_aets
        self._timeouts = timeouts or Timeouts()
        self._limits = limits or ReceiveLimits(pdu_seconds=self._timeouts.network)
        self._server: ThreadedAssociationServer | None = None

    def start(self) -> None:
        """Start listening in background threads.

        Raises
        ------
        PortInUseError
            If another socket listens on the port.
        NetworkError
            If the port cannot be opened for another reason (a privileged
            port, for example).
        """
        ae = AE(self.ae_title)
        ae.require_called_aet = True
        ae.acse_timeout = self._timeouts.acse
        ae.dimse_timeout = self._timeouts.dimse
        ae.network_timeout = self._timeouts.network
        ae.maximum_associations = MAXIMUM_ASSOCIATIONS
        ae.maximum_pdu_size = self._limits.max_pdu_length
        ae.add_supported_context(VERIFICATION)
        for uid in storage_abstract_syntaxes():
            ae.add_supported_context(uid, ALL_TRANSFER_SYNTAXES)
        # A PACS sending a Storage Commitment report on its own association
        # proposes the SCP role for itself (PS3.4 J.3.3); both roles are
        # granted as proposed.
        ae.add_supported_context(
            STORAGE_COMMITMENT_PUSH_MODEL, scu_role=True, scp_role=True
        )
        handlers: list[Any] = [
            (evt.EVT_CONN_OPEN, self._limit_reads),
            (evt.EVT_REQUESTED, self._check_calling_ae),
            (evt.EVT_C_STORE, self.receiver.handle_store),
            (evt.EVT_N_EVENT_REPORT, self.commitments.handle_event_report),
        ]
        if self.audit is not None:
            handlers.append((evt.EVT_CONN_CLOSE, self.audit.handle_close))
        try:
            server = ae.start_server(
                (self.bind_address, self.port), block=False, evt_handlers=handlers
            )
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUseError(
                    f"storage SCP {self.ae_title}",
                    f"cannot listen on port {self.port}: another program "
                    "listens there; stop it or choose another port with "
                    "`settings set network.scp_port`",
                    port=self.port,
                ) from exc
            raise NetworkError(
                f"storage SCP {self.ae_title}",
                f"cannot listen on port {self.port}: {exc.strerror or exc}; "
                "choose another port with `settings set network.scp_port`",
                retryable=False,
            ) from exc
        assert server is not None  # start_server returns it when block=False
        self._server = server
        self.port = server.server_address[1]
        logger.info("storage SCP %s listening on port %d", self.ae_title, self.port)

    def stop(self) -> None:
        """Stop listening; open associations go on until their peers end them.

        pynetdicom 3.0.4's server shutdown closes only the listening socket,
        so an instance in transfer is still stored and confirmed, and a new
        SCP may listen on the same port at once (SO_REUSEADDR).
        """
        if self._server is not None:
            self._server.shutdown()
            self._server = None
            logger.info("storage SCP %s stopped", self.ae_title)

    @property
    def running(self) -> bool:
        """Whether the SCP is listening."""
        return self._server is not None

    def _limit_reads(self, event: evt.Event) -> None:
        # pynetdicom wraps each accepted connection in a plain
        # AssociationSocket before the association starts reading. Switching
        # its class keeps the socket's state (a second socket would queue a
        # second "connection open" event).
        sock = event.assoc.dul.socket
        if sock is None:
            return
        host, port = getattr(event, "address", ("unknown address", 0))[:2]
        sock.__class__ = LimitedSocket
        assert isinstance(sock, LimitedSocket)
        sock.set_limits(self._limits, f"{host}:{port}")

    def _check_calling_ae(self, event: evt.Event) -> None:
        # The allowed titles can change while the SCP runs (a node added), so
        # pynetdicom's list is refreshed before it checks each request.
        allowed = sorted({title.strip() for title in self._allowed_aets()})
        if allowed:
            event.assoc.ae.require_calling_aet = allowed
            return
        # pynetdicom reads an empty list as "allow every caller", so with no
        # allowed title the request is rejected here. NOTE: pynetdicom 3.0.4
        # may close the socket before this A-ASSOCIATE-RJ is sent, and then
        # the caller sees an abort instead of the rejection.
        logger.warning(
            "association request rejected: no calling AE title is allowed; "
            "allow one with `settings set network.scp_allowed_aets`"
        )
        event.assoc.acse.send_reject(0x01, 0x01, 0x03)


def port_in_use(port: int, bind_address: str = "0.0.0.0") -> bool:
    """Return whether another socket listens on ``port`` of ``bind_address``.

    The test binds the way pynetdicom's server binds (with SO_REUSEADDR), so
    a port that only has connections in TIME_WAIT counts as free.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((bind_address, port))
        except OSError as exc:
            # Other errors (a privileged port) are for `StorageSCP.start`
            # to report.
            return exc.errno == errno.EADDRINUSE
    return False


def workstation_scp(
    archive: Archive, settings: SettingsReader, nodes: NodeStore
) -> StorageSCP:
    """Build (not start) the workstation's storage SCP from its settings.

    Allowed callers are the ``network.scp_allowed_aets`` setting plus the AE
    titles of every configured node, read again for each association.

    Raises
    ------
    SettingsError
        If a network setting is invalid.
    """

    def allowed() -> list[str]:
        return [*settings.get_list("network.scp_allowed_aets"), *nodes.ae_titles()]

    local = LocalEntity.from_settings(settings)
    return StorageSCP(
        archive,
        ae_title=local.ae_title,
        port=local.scp_port,
        allowed_aets=allowed,
        timeouts=local.timeouts,
        limits=local.receive_limits(),
    )


class ReceivedCounter:
    """Counts instances received for one study and waits for a number of them."""

    def __init__(self, study_uid: str) -> None:
        self.study_uid = study_uid
        self.stored = 0
        self.failed = 0
        self.bytes = 0
        self._condition = threading.Condition()

    def __call__(self, received: ReceivedInstance) -> None:
        """Count ``received`` when it belongs to the study."""
        if received.study_uid and received.study_uid != self.study_uid:
            return
        with self._condition:
            if received.status in (IMPORTED, DUPLICATE):
                self.stored += 1
            else:
                self.failed += 1
            self.bytes += received.size
            self._condition.notify_all()

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until ``count`` instances arrived; False after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self.stored + self.failed < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
        return True
