"""Limits on what a peer may make an association read and buffer.

pynetdicom reads a whole PDU into memory once its 6-byte header declares the
length (up to 4 GiB), and it buffers a whole DIMSE message (the command and
the data set) before any handler receives it. A hostile or broken peer could
therefore make the workstation allocate gigabytes, or hold a read open by
trickling bytes. `LimitedSocket` reads each PDU within `ReceiveLimits` and
closes the connection on the first violation, which pynetdicom then handles
as a lost connection (the association is aborted).

PDU layout (PS3.8 section 9.3): type (1 byte), reserved (1), length (4, big
endian). A P-DATA-TF PDU (type 0x04) holds presentation data value items:
item length (4), presentation context ID (1), message control header (1, bit
1 set on the last fragment of a command or data set), then the fragment.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import ssl
import struct
import time
from dataclasses import dataclass
from typing import Any

from pynetdicom.transport import AssociationSocket

logger = logging.getLogger(__name__)

P_DATA_TF = 0x04
_HEADER_LENGTH = 6
_LAST_FRAGMENT = 0x02

# The Maximum Length Received that this workstation declares (PS3.8 D.1): the
# largest P-DATA-TF PDU a peer may send it. pynetdicom's default is 16382.
MAX_PDU_LENGTH = 1 << 20

# Association negotiation and release PDUs. An A-ASSOCIATE-RQ with the full
# 128 presentation contexts and ten transfer syntaxes each is about 40 KB.
MAX_CONTROL_PDU_LENGTH = 1 << 20

# One DIMSE message (command and data set) buffered in memory. Large enhanced
# multi-frame objects exceed 1 GB; the settings can raise this.
DEFAULT_MAX_MESSAGE_BYTES = 2 << 30

# Longest wait for incoming data before pynetdicom's reactor loop runs its
# timer and stop checks again; outgoing messages end the wait at once.
IDLE_WAIT_SECONDS = 0.005


@dataclass(frozen=True)
class ReceiveLimits:
    """Bounds on the bytes and time one association may use when reading.

    ``max_pdu_length`` is also the Maximum Length Received declared to the
    peer. ``pdu_seconds`` bounds the time from a PDU's header to its last
    byte, so that a peer cannot hold a read open by trickling bytes.
    """

    max_pdu_length: int = MAX_PDU_LENGTH
    max_control_pdu_length: int = MAX_CONTROL_PDU_LENGTH
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    pdu_seconds: float = 60.0


class LimitedSocket(AssociationSocket):
    """An association socket that reads PDUs within `ReceiveLimits`.

    pynetdicom's DUL reads each PDU with two calls: ``recv(6)`` for the header
    and ``recv(length)`` for the rest. The header is checked before the rest
    is read. A violation closes the connection and returns too few bytes, so
    pynetdicom reports a lost connection.
    """

    limits: ReceiveLimits = ReceiveLimits()
    peer_label: str = "peer"
    violation: str = ""
    _pending: tuple[int, int] | None = None
    _message_bytes: int = 0
    _wakeup: tuple[socket.socket, socket.socket] | None = None

    @property
    def ready(self) -> bool:
        """Wait briefly for incoming data; return whether some is ready.

        pynetdicom 3.0's reactor (``DULServiceProvider.run_reactor``) polls
        the socket and sleeps 1 ms whenever nothing is ready. Measured with a
        C-GET of 134 CT instances from Orthanc, those sleeps took 0.35 s of
        0.64 s. This wait returns as soon as data arrives or the association
        queues a message to send, and the reactor no longer sleeps.
        """
        sock = self.socket
        if sock is None or not self._is_connected:
            return False
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        wakeup = self._wakeup or self._install_wakeup()
        try:
            readable, _writable, _errors = select.select(
                [sock, wakeup[0]], [], [], IDLE_WAIT_SECONDS
            )
        except (OSError, ValueError):
            # A closed socket: pynetdicom's own check reports the closed
            # connection (Evt17).
            return bool(super().ready)
        if wakeup[0] in readable:
            with contextlib.suppress(OSError):
                wakeup[0].recv(4096)
        return sock in readable

    def _install_wakeup(self) -> tuple[socket.socket, socket.socket]:
        # Every primitive the association sends goes through the DUL's
        # to_provider_queue.put; wrapping that one bound method of this
        # association's queue ends the wait in `ready` when one is queued.
        wakeup = socket.socketpair()
        for end in wakeup:
            end.setblocking(False)
        self._wakeup = wakeup
        dul = self.assoc.dul
        outgoing = dul.to_provider_queue
        queue_put = outgoing.put

        def put(item: Any, block: bool = True, timeout: float | None = None) -> None:
            queue_put(item, block, timeout)
            with contextlib.suppress(OSError):
                wakeup[1].send(b"\0")

        setattr(outgoing, "put", put)  # noqa: B010 (an instance attribute)
        dul._run_loop_delay = 0.0
        return wakeup

    def close(self) -> None:
        """Close the connection and the wake-up socket pair."""
        super().close()
        wakeup, self._wakeup = self._wakeup, None
        if wakeup is not None:
            for end in wakeup:
                end.close()

    def set_limits(self, limits: ReceiveLimits, peer_label: str) -> None:
        """Apply ``limits`` and name the peer in log lines as ``peer_label``."""
        self.limits = limits
        self.peer_label = peer_label

    def recv(self, nr_bytes: int) -> bytearray:
        """Read a PDU header or the PDU body announced by the last header."""
        if self.violation:
            return bytearray()
        pending = self._pending
        deadline = time.monotonic() + self.limits.pdu_seconds
        if pending is None:
            header = self._read(nr_bytes, deadline=deadline)
            if len(header) == _HEADER_LENGTH:
                pdu_type, _reserved, length = struct.unpack(">BBL", header)
                self._pending = (pdu_type, length)
                self._check_header(pdu_type, length)
            return header
        self._pending = None
        pdu_type, _length = pending
        body = self._read(nr_bytes, deadline=deadline)
        if len(body) == nr_bytes and pdu_type == P_DATA_TF:
            self._count_fragments(body)
        return bytearray() if self.violation else body

    def _check_header(self, pdu_type: int, length: int) -> None:
        limit = (
            self.limits.max_pdu_length
            if pdu_type == P_DATA_TF
            else self.limits.max_control_pdu_length
        )
        if length > limit:
            self._reject(
                f"it announced a PDU of type 0x{pdu_type:02X} with {length} bytes, "
                f"more than the {limit} accepted"
            )

    def _count_fragments(self, body: bytearray) -> None:
        offset = 0
        while offset + 6 <= len(body):
            item_length = int.from_bytes(body[offset : offset + 4], "big")
            control = body[offset + 5]
            self._message_bytes += max(item_length - 2, 0)
            offset += 4 + item_length
            if self._message_bytes > self.limits.max_message_bytes:
                self._reject(
                    f"one DIMSE message exceeded {self.limits.max_message_bytes} "
                    "bytes (network.max_object_mb)"
                )
                return
            if control & _LAST_FRAGMENT:
                self._message_bytes = 0

    def _read(self, nr_bytes: int, *, deadline: float) -> bytearray:
        sock = self.socket
        data = bytearray()
        while sock is not None and len(data) < nr_bytes:
            if not self._wait_readable(sock, deadline):
                self._reject(
                    f"it sent {len(data)} of {nr_bytes} bytes of a PDU in "
                    f"{self.limits.pdu_seconds:.0f} s"
                )
                break
            try:
                chunk = sock.recv(min(nr_bytes - len(data), 65536))
            except (OSError, TimeoutError):
                break
            if not chunk:
                break
            data.extend(chunk)
        return data

    @staticmethod
    def _wait_readable(sock: socket.socket, deadline: float) -> bool:
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            readable, _writable, _errors = select.select([sock], [], [], remaining)
        except (OSError, ValueError):
            # A closed socket: the next recv reports the end of the stream.
            return True
        return bool(readable)

    def _reject(self, reason: str) -> None:
        # Only sizes and the peer's address or AE title: never PDU content,
        # which may contain patient data.
        self.violation = reason
        logger.warning("association with %s aborted: %s", self.peer_label, reason)
        sock = self.socket
        if sock is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
