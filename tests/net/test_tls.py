"""DICOM TLS against storescp +tls: host name, CA trust, no plaintext fallback."""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.errors import TlsError
from pacs_desktop.core.net.nodes import Node
from tests.net.conftest import StoreScp, free_port


@dataclass
class Authority:
    """A certificate authority: key, certificate and its PEM file."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    path: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _authority(folder: Path, common_name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
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
    path = folder / f"{common_name}.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return Authority(key, certificate, path)


def _server_files(folder: Path, authority: Authority) -> tuple[Path, Path]:
    """Issue a server certificate for localhost and 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
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
    key_path = folder / "server.key"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path = folder / "server.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@dataclass
class TlsPeer:
    """storescp with TLS, the CA that signed it and one that did not."""

    server: StoreScp
    trusted: Authority
    untrusted: Authority


@pytest.fixture
def tls_peer(tmp_path: Path, storescp_factory: Callable[..., StoreScp]) -> TlsPeer:
    trusted = _authority(tmp_path, "test-ca")
    untrusted = _authority(tmp_path, "other-ca")
    key_path, cert_path = _server_files(tmp_path, trusted)
    port = free_port()
    node = Node(
        "tls",
        "STORESCP",
        "localhost",
        port,
        tls=True,
        ca_file=trusted.path,
    )
    server = storescp_factory(
        port, "+tls", str(key_path), str(cert_path), "-ic", "+px", node=node
    )
    return TlsPeer(server, trusted, untrusted)


def test_tls_right_host_accepted(tls_peer: TlsPeer, local_entity: LocalEntity) -> None:
    assert echo(tls_peer.server.node, local_entity) < 5.0


def test_tls_ip_address_accepted(tls_peer: TlsPeer, local_entity: LocalEntity) -> None:
    node = replace(tls_peer.server.node, host="127.0.0.1")
    assert echo(node, local_entity) < 5.0


def test_tls_wrong_host_refused(tls_peer: TlsPeer, local_entity: LocalEntity) -> None:
    # 127.0.0.2 reaches the same loopback server, but the certificate does
    # not name that address.
    node = replace(tls_peer.server.node, host="127.0.0.2")
    with pytest.raises(TlsError, match=r"IP address mismatch|Hostname mismatch"):
        echo(node, local_entity)


def test_tls_untrusted_ca_refused(tls_peer: TlsPeer, local_entity: LocalEntity) -> None:
    node = replace(tls_peer.server.node, ca_file=tls_peer.untrusted.path)
    with pytest.raises(TlsError, match="unable to get local issuer certificate"):
        echo(node, local_entity)


def test_tls_plaintext_server_refused(
    tmp_path: Path,
    storescp_factory: Callable[..., StoreScp],
    local_entity: LocalEntity,
) -> None:
    trusted = _authority(tmp_path, "plain-ca")
    plain = storescp_factory(free_port())
    node = replace(plain.node, tls=True, ca_file=trusted.path)
    with pytest.raises(TlsError) as caught:
        echo(node, local_entity)
    assert not caught.value.retryable
    assert not list(plain.output_dir.iterdir())


def test_tls_unreadable_ca_names_file(
    tmp_path: Path, local_entity: LocalEntity
) -> None:
    missing = tmp_path / "missing-ca.pem"
    node = Node("tls", "STORESCP", "localhost", free_port(), tls=True, ca_file=missing)
    with pytest.raises(TlsError) as caught:
        echo(node, local_entity)
    assert f"CA certificate file {missing}" in str(caught.value)
    assert not caught.value.retryable
