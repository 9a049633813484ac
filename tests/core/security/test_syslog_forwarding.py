"""Audit forwarding to a syslog collector over TLS (RFC 5424, RFC 5425)."""

from __future__ import annotations

import re
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from syslog_collector import (
    LOOPBACK_NAMES,
    Authority,
    Collector,
    make_authority,
    make_server_certificate,
    split_frames,
)

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.syslog import (
    AuditForwarder,
    ForwardError,
    SyslogTarget,
    format_message,
    frame,
    tls_context,
)

PATIENT_NAME = "Tanaka^Hanako"
MESSAGE = re.compile(
    rb"<(?P<pri>\d+)>1 (?P<time>\S+) (?P<host>\S+) pacs-desktop (?P<procid>\d+) "
    rb'DICOM\+RFC3881 \[meta sequenceId="(?P<seq>\d+)"\]'
    rb'\[origin software="pacs-desktop" swVersion="[^"]+"\] '
    rb"\xef\xbb\xbf(?P<msg>.*)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Pki:
    authority: Authority
    server: tuple[Path, Path]
    wrong_name: tuple[Path, Path]
    untrusted: tuple[Path, Path]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    authority = make_authority(folder, "trusted")
    stranger = make_authority(folder, "stranger")
    return Pki(
        authority=authority,
        server=make_server_certificate(folder, authority, "collector", LOOPBACK_NAMES),
        wrong_name=make_server_certificate(
            folder, authority, "elsewhere", [x509.DNSName("collector.invalid")]
        ),
        untrusted=make_server_certificate(folder, stranger, "impostor", LOOPBACK_NAMES),
    )


def _start(cert: tuple[Path, Path] | None) -> Collector:
    collector = Collector(*cert) if cert else Collector()
    collector.start()
    return collector


@pytest.fixture
def collector(pki: Pki) -> Iterator[Collector]:
    collector = _start(pki.server)
    yield collector
    collector.stop()


@pytest.fixture
def make_forwarder(
    database: Database, audit: AuditTrail, pki: Pki
) -> Iterator[Callable[[int], AuditForwarder]]:
    created: list[AuditForwarder] = []

    def make(port: int) -> AuditForwarder:
        target = SyslogTarget(
            "127.0.0.1",
            port,
            ca_file=pki.authority.pem,
            connect_timeout=5.0,
            ack_timeout=5.0,
        )
        forwarder = AuditForwarder(
            database,
            target,
            audit=audit,
            poll_interval=1.0,
            initial_backoff=0.05,
            max_backoff=0.2,
        )
        created.append(forwarder)
        return forwarder

    yield make
    for forwarder in created:
        forwarder.stop()


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Check ``condition`` until it holds or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            return False
        pause.wait(0.02)
    return True


def _record(audit: AuditTrail, count: int, start: int = 1) -> None:
    for index in range(start, start + count):
        audit.record(
            events.STUDY_OPENED,
            user=f"reader{index}",
            patient_id=f"PAT-{index}",
            patient_name=PATIENT_NAME,
            study_uids=[f"1.2.826.0.1.3680043.8.498.{index}"],
        )


def _sequence_ids(collector: Collector) -> list[int]:
    ids = []
    for message in collector.messages:
        match = MESSAGE.fullmatch(message)
        assert match is not None, message[:200]
        ids.append(int(match["seq"]))
    return ids


# -- message format --------------------------------------------------------------


def test_frame_octet_count() -> None:
    assert frame("é".encode()) == b"2 \xc3\xa9"


def test_split_frames_round_trip() -> None:
    assert split_frames(frame(b"a b") + frame(b"c" * 12)) == [b"a b", b"c" * 12]


def test_message_format(audit: AuditTrail) -> None:
    record = audit.record(events.LOGIN, user="drwho")
    message = format_message(record, hostname="ws 1", procid="42")
    match = MESSAGE.fullmatch(message)
    assert match is not None
    assert match["pri"] == b"85"
    assert match["time"] == b"2026-03-02T08:30:00.000000Z"
    assert match["host"] == b"ws1"
    assert match["procid"] == b"42"
    assert match["msg"].decode("utf-8") == record.message_xml


def test_failure_outcome_is_warning(audit: AuditTrail) -> None:
    record = audit.record(events.LOGIN_FAILED, user="drwho")
    match = MESSAGE.fullmatch(format_message(record))
    assert match is not None
    assert match["pri"] == b"84"


def test_tls_context_settings(pki: Pki) -> None:
    context = tls_context(SyslogTarget("127.0.0.1", ca_file=pki.authority.pem))
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert context.check_hostname
    assert context.verify_mode == ssl.CERT_REQUIRED


def test_missing_ca_file(tmp_path: Path) -> None:
    with pytest.raises(ForwardError, match="CA"):
        tls_context(SyslogTarget("127.0.0.1", ca_file=tmp_path / "none.pem"))


# -- delivery --------------------------------------------------------------------


def test_records_delivered(
    collector: Collector,
    audit: AuditTrail,
    make_forwarder: Callable[[int], AuditForwarder],
) -> None:
    forwarder = make_forwarder(collector.port)
    forwarder.start()
    _record(audit, 3)
    assert collector.wait_for(3)
    assert wait_until(lambda: forwarder.last_sent_seq() == 3)
    assert _sequence_ids(collector) == [1, 2, 3]
    stored = [record.message_xml for record in audit.records()]
    delivered = []
    for message in collector.messages:
        match = MESSAGE.fullmatch(message)
        assert match is not None
        delivered.append(match["msg"].decode("utf-8"))
    assert delivered == stored


def test_outage_spooled_and_resent(
    collector: Collector,
    audit: AuditTrail,
    make_forwarder: Callable[[int], AuditForwarder],
) -> None:
    forwarder = make_forwarder(collector.port)
    forwarder.start()
    _record(audit, 3)
    assert collector.wait_for(3)
    assert wait_until(lambda: forwarder.last_sent_seq() == 3)

    # The collector goes away; records made meanwhile wait in the spool.
    collector.stop()
    _record(audit, 4, start=4)
    assert wait_until(lambda: forwarder.last_error is not None)
    assert forwarder.pending_count() == 4
    assert len(collector.messages) == 3

    # Back on the same port: everything arrives once, in order.
    collector.start()
    assert collector.wait_for(7)
    assert wait_until(lambda: forwarder.last_sent_seq() == 7)
    _record(audit, 1, start=8)
    assert collector.wait_for(8)
    assert wait_until(lambda: forwarder.last_sent_seq() == 8)
    assert _sequence_ids(collector) == list(range(1, 9))
    assert forwarder.pending_count() == 0
    assert forwarder.last_error is None
    assert collector.frame_errors == []


def test_spool_survives_restart(
    collector: Collector,
    audit: AuditTrail,
    database: Database,
    make_forwarder: Callable[[int], AuditForwarder],
) -> None:
    first = make_forwarder(collector.port)
    first.start()
    _record(audit, 2)
    assert wait_until(lambda: first.last_sent_seq() == 2)
    first.stop()

    # Records made while no forwarder runs (the workstation is stopped).
    _record(audit, 3, start=3)
    second = make_forwarder(collector.port)
    assert second.pending_count() == 3
    second.start()
    assert collector.wait_for(5)
    assert wait_until(lambda: second.last_sent_seq() == 5)
    assert _sequence_ids(collector) == [1, 2, 3, 4, 5]


def test_large_backlog_in_batches(
    collector: Collector, audit: AuditTrail, database: Database, pki: Pki
) -> None:
    _record(audit, 25)
    target = SyslogTarget(
        "127.0.0.1", collector.port, ca_file=pki.authority.pem, batch_size=10
    )
    forwarder = AuditForwarder(database, target)
    assert [forwarder.send_pending() for _ in range(4)] == [10, 10, 5, 0]
    assert collector.wait_for(25)
    assert _sequence_ids(collector) == list(range(1, 26))


def test_second_process_waits_for_lease(
    collector: Collector, audit: AuditTrail, database: Database, pki: Pki
) -> None:
    target = SyslogTarget("127.0.0.1", collector.port, ca_file=pki.authority.pem)
    holder = AuditForwarder(database, target)
    other = AuditForwarder(database, target)
    _record(audit, 1)
    assert holder.send_pending() == 1
    _record(audit, 1, start=2)
    assert other.send_pending() == 0
    assert holder.send_pending() == 1


def test_stop_joins_thread(
    collector: Collector, make_forwarder: Callable[[int], AuditForwarder]
) -> None:
    forwarder = make_forwarder(collector.port)
    forwarder.start()
    forwarder.stop()
    assert not any(
        thread.name == "audit-forwarder" and thread.is_alive()
        for thread in threading.enumerate()
    )


# -- refusals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("certificate", "reason"),
    [("untrusted", "certificate verify failed"), ("wrong_name", "mismatch")],
)
def test_bad_certificate_rejected(
    pki: Pki,
    audit: AuditTrail,
    database: Database,
    certificate: str,
    reason: str,
) -> None:
    impostor = _start(getattr(pki, certificate))
    try:
        forwarder = AuditForwarder(
            database,
            SyslogTarget("127.0.0.1", impostor.port, ca_file=pki.authority.pem),
        )
        _record(audit, 2)
        with pytest.raises(ForwardError, match=reason):
            forwarder.send_pending()
        assert impostor.wait_for_connection()
        assert impostor.messages == []
        assert forwarder.pending_count() == 2
    finally:
        impostor.stop()


def test_plain_listener_gets_no_record(
    pki: Pki, audit: AuditTrail, database: Database
) -> None:
    listener = _start(None)
    try:
        forwarder = AuditForwarder(
            database,
            SyslogTarget("127.0.0.1", listener.port, ca_file=pki.authority.pem),
        )
        _record(audit, 1)
        with pytest.raises(ForwardError):
            forwarder.send_pending()
        assert listener.wait_for_connection()
        # 0x16 opens a TLS handshake record: the ClientHello, nothing else.
        assert listener.raw[:1] == b"\x16"
        assert b"AuditMessage" not in listener.raw
        assert PATIENT_NAME.encode() not in listener.raw
        assert forwarder.pending_count() == 1
    finally:
        listener.stop()


def test_refused_connection_keeps_records(
    pki: Pki, audit: AuditTrail, database: Database
) -> None:
    collector = _start(pki.server)
    port = collector.port
    collector.stop()
    forwarder = AuditForwarder(
        database, SyslogTarget("127.0.0.1", port, ca_file=pki.authority.pem)
    )
    _record(audit, 1)
    with pytest.raises(ForwardError, match="cannot connect"):
        forwarder.send_pending()
    assert forwarder.pending_count() == 1
