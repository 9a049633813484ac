"""Storage SCP read limits: oversized PDUs and objects, and trickled PDUs,
abort the association with a log line that carries no patient data."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity, Timeouts
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.errors import NetworkError
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.pdu_limits import ReceiveLimits
from pacs_desktop.core.net.scp import StorageSCP
from pacs_desktop.core.net.send import outgoing_from_file, send_instances
from tests.net.conftest import wait_until

QUICK = Timeouts(acse=5.0, dimse=5.0, network=5.0, connect=5.0)
LIMITS = ReceiveLimits(
    max_pdu_length=16384,
    max_control_pdu_length=65536,
    max_message_bytes=16384,
    pdu_seconds=1.0,
)
LOG_DEADLINE = 5.0


@pytest.fixture
def scp(tmp_path: Path) -> Iterator[StorageSCP]:
    archive = Archive(Database(tmp_path / "archive.sqlite"), tmp_path / "store")
    server = StorageSCP(
        archive,
        ae_title="WORKSTATION",
        port=0,
        allowed_aets=lambda: ["MODALITY"],
        timeouts=QUICK,
        bind_address="127.0.0.1",
        limits=LIMITS,
    )
    server.start()
    yield server
    server.stop()


def _node(scp: StorageSCP) -> Node:
    return Node("workstation", "WORKSTATION", "127.0.0.1", scp.port)


def _abort_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "pacs_desktop.core.net.pdu_limits"
    ]


def test_oversized_object_aborted(
    scp: StorageSCP, caplog: pytest.LogCaptureFixture
) -> None:
    path = Path(get_testdata_file("CT_small.dcm"))
    assert path.stat().st_size > LIMITS.max_message_bytes
    with pytest.raises(NetworkError):
        send_instances(
            _node(scp), LocalEntity("MODALITY", QUICK), [outgoing_from_file(path)]
        )

    wait_until(
        lambda: bool(_abort_lines(caplog)), deadline=LOG_DEADLINE, what="the log line"
    )
    (line,) = _abort_lines(caplog)
    assert "one DIMSE message exceeded 16384 bytes" in line
    assert line.startswith("association with 127.0.0.1:")
    original = pydicom.dcmread(path)
    for value in (original.PatientName, original.PatientID, original.StudyDate):
        assert str(value) not in caplog.text
    assert scp.receiver.archive.instance_path(original.SOPInstanceUID) is None
    # The SCP goes on serving other associations.
    assert echo(_node(scp), LocalEntity("MODALITY", QUICK)) < 5.0


@pytest.mark.parametrize(
    ("pdu_type", "length", "expected"),
    [
        (0x01, 100 << 20, "PDU of type 0x01 with 104857600 bytes"),
        (0x04, 16385, "PDU of type 0x04 with 16385 bytes, more than the 16384"),
        (0x01, 1000, "sent 10 of 1000 bytes of a PDU in 1 s"),
    ],
)
def test_bad_pdu_closes_connection(
    scp: StorageSCP,
    caplog: pytest.LogCaptureFixture,
    pdu_type: int,
    length: int,
    expected: str,
) -> None:
    with socket.create_connection(("127.0.0.1", scp.port), timeout=10) as client:
        client.sendall(bytes([pdu_type, 0]) + length.to_bytes(4, "big") + bytes(10))
        # The SCP closes the connection instead of waiting for the rest.
        try:
            remainder = client.recv(65536)
        except ConnectionResetError:
            remainder = b""
    assert remainder == b""
    wait_until(
        lambda: bool(_abort_lines(caplog)), deadline=LOG_DEADLINE, what="the log line"
    )
    (line,) = _abort_lines(caplog)
    assert expected in line
