"""A syslog-over-TLS collector on loopback and the certificates it needs."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Authority:
    """A certificate authority: its key, certificate and PEM file."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    pem: Path


def make_authority(folder: Path, name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    pem = folder / f"{name}-ca.pem"
    pem.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return Authority(key, certificate, pem)


def make_server_certificate(
    folder: Path, authority: Authority, name: str, alt_names: list[x509.GeneralName]
) -> tuple[Path, Path]:
    """Return the certificate and key files of a server signed by ``authority``."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                authority.key.public_key()
            ),
            critical=False,
        )
        .sign(authority.key, hashes.SHA256())
    )
    cert_file = folder / f"{name}.pem"
    key_file = folder / f"{name}.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


LOOPBACK_NAMES: list[x509.GeneralName] = [
    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    x509.DNSName("localhost"),
]


def split_frames(stream: bytes) -> list[bytes]:
    """Split an RFC 5425 octet-counted stream into its messages.

    Raises
    ------
    ValueError
        If a frame is not ``LENGTH SP MESSAGE`` or the stream ends inside one.
    """
    messages = []
    position = 0
    while position < len(stream):
        space = stream.index(b" ", position)
        length_text = stream[position:space]
        if not length_text.isdigit() or length_text.startswith(b"0"):
            raise ValueError(f"invalid frame length {length_text!r} at {position}")
        end = space + 1 + int(length_text)
        if end > len(stream):
            raise ValueError(f"stream ends inside the frame at {position}")
        messages.append(stream[space + 1 : end])
        position = end
    return messages


class Collector:
    """A syslog collector on 127.0.0.1 that keeps every message it reads.

    With ``tls=False`` it speaks no TLS and keeps the raw bytes a client sent
    before it closes the connection, to show what would leak in plain text.
    It can be stopped and started again on the same port; the messages of
    every run stay in ``messages``.
    """

    def __init__(
        self, cert_file: Path | None = None, key_file: Path | None = None
    ) -> None:
        self.port = 0
        self.messages: list[bytes] = []
        self.raw: bytearray = bytearray()
        self.handshake_failures = 0
        self.frame_errors: list[str] = []
        self._condition = threading.Condition()
        self._context: ssl.SSLContext | None = None
        if cert_file is not None:
            self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._context.load_cert_chain(str(cert_file), str(key_file))
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(8)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        assert self._listener is not None
        assert self._thread is not None
        # shutdown() wakes the thread blocked in accept() on Linux.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(10)
        self._listener = None
        self._thread = None

    def wait_for(self, count: int, timeout: float = 20.0) -> bool:
        """Wait until ``count`` messages arrived; return whether they did."""
        with self._condition:
            return self._condition.wait_for(
                lambda: len(self.messages) >= count, timeout
            )

    def wait_for_connection(self, timeout: float = 20.0) -> bool:
        """Wait until a client's bytes or a failed handshake were seen."""
        with self._condition:
            return self._condition.wait_for(
                lambda: bool(self.raw) or self.handshake_failures > 0, timeout
            )

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(10)
                if self._context is None:
                    self._read_plain(connection)
                else:
                    self._read_tls(connection)

    def _read_plain(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            data = connection.recv(65536)
            with self._condition:
                self.raw.extend(data)
                self._condition.notify_all()

    def _read_tls(self, connection: socket.socket) -> None:
        assert self._context is not None
        try:
            tls = self._context.wrap_socket(connection, server_side=True)
        except (OSError, ssl.SSLError):
            with self._condition:
                self.handshake_failures += 1
                self._condition.notify_all()
            return
        stream = bytearray()
        with contextlib.suppress(OSError, ssl.SSLError):
            while chunk := tls.recv(65536):
                stream.extend(chunk)
            # Answer the client's close_notify with ours: the acknowledgement.
            tls.unwrap()
        try:
            messages = split_frames(bytes(stream))
        except ValueError as exc:
            messages = []
            self.frame_errors.append(str(exc))
        with self._condition:
            self.messages.extend(messages)
            self._condition.notify_all()
