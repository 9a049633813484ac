"""Stalled and malformed peers: DCMTK's storescp --sleep-during and
pynetdicom's test peer (parrot) sending bad or incomplete PDUs.

Each fault must end the association with a clear error within the timeouts,
read no more than the PDU limit into memory, and leave nothing lost or
stored twice once the peer is healthy again.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pynetdicom.tests.encoded_pdu_items import a_associate_ac
from pynetdicom.tests.parrot import ParrotRequest, ThreadedParrot

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity, Timeouts
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.errors import (
    AssociationAbortedError,
    NetworkError,
    NetworkTimeoutError,
)
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import (
    BACKOFF_SECONDS,
    JobServices,
    JobState,
    SyncQueue,
    run_due_jobs,
)
from tests.net.conftest import StoreScp, free_port, require_isolated_network
from tests.net.test_queue import FakeClock

# Short timeouts, so that every fault here costs a few seconds at most.
QUICK = Timeouts(acse=2.0, dimse=2.0, network=2.0, connect=2.0)
# ACSE or DIMSE timeout, the watchdog's 2 s of grace, and slack for a slow CI.
FAULT_DEADLINE = 8.0
TEST_FILES = ("CT_small.dcm", "MR_small.dcm")


@pytest.fixture
def quick_entity(local_entity: LocalEntity) -> LocalEntity:
    return dataclasses.replace(local_entity, timeouts=QUICK)


def test_sleeping_storescp_retried_without_loss(
    tmp_path: Path,
    quick_entity: LocalEntity,
    storescp_factory: Callable[..., StoreScp],
) -> None:
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    summary = archive.import_paths([Path(get_testdata_file(n)) for n in TEST_FILES])
    expected = sorted(
        str(pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID)
        for path in summary.imported
    )
    services = JobServices(NodeStore(database), quick_entity, archive)
    queue = SyncQueue(database, clock=FakeClock())

    port = free_port()
    sleeping = storescp_factory(port, "--sleep-during", "30")
    services.nodes.add(sleeping.node)
    job = queue.enqueue_send(sleeping.node.name, sorted(summary.studies))
    started = time.monotonic()
    (first,) = run_due_jobs(queue, services)
    assert time.monotonic() - started < FAULT_DEADLINE
    assert first.state == JobState.PENDING
    assert "no response within 2 s" in first.last_error

    # The peer comes back awake on the same port; the retry stores each
    # instance once.
    sleeping.process.kill()
    sleeping.process.wait()
    healthy = storescp_factory(port, node=sleeping.node)
    queue.clock.now += BACKOFF_SECONDS[0]  # type: ignore[attr-defined]
    (second,) = run_due_jobs(queue, services)
    assert second.id == job.id
    assert second.state == JobState.DONE, second.last_error
    received = sorted(
        str(pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID)
        for path in healthy.output_dir.iterdir()
    )
    assert received == expected


@pytest.fixture
def parrot_factory() -> Iterator[Callable[[Sequence[tuple[str, object]]], Node]]:
    """Start pynetdicom's test peer with a script; return the node reaching it."""
    require_isolated_network()
    servers: list[ThreadedParrot] = []

    def start(commands: Sequence[tuple[str, object]]) -> Node:
        server = ThreadedParrot(("127.0.0.1", 0), list(commands), ParrotRequest)
        # The script's own waits must not hold the test at shutdown.
        server.daemon_threads = True
        server.block_on_close = False
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        port = server.server_address[1]
        return Node(name="parrot", ae_title="ANY-SCP", host="127.0.0.1", port=port)

    yield start
    for server in servers:
        server.shutdown()


def _p_data_header(length: int) -> bytes:
    return bytes([0x04, 0x00]) + length.to_bytes(4, "big")


# Each script responds to the A-ASSOCIATE-RQ (or not) and then misbehaves.
FAULT_SCRIPTS = {
    "unknown PDU type": [
        ("recv", None),
        ("send", a_associate_ac),
        ("recv", None),
        ("send", bytes([0x0A, 0x00, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 0])),
        ("wait", 10),
    ],
    "malformed A-ASSOCIATE-AC": [
        ("recv", None),
        ("send", bytes([0x02, 0x00, 0x00, 0x00, 0x00, 0x10]) + b"\xff" * 16),
        ("wait", 10),
    ],
    "silent after accepting": [
        ("recv", None),
        ("send", a_associate_ac),
        ("wait", 10),
    ],
    "P-DATA-TF cut short": [
        ("recv", None),
        ("send", a_associate_ac),
        ("recv", None),
        ("send", _p_data_header(60_000) + b"\x00" * 100),
        ("wait", 10),
    ],
}


@pytest.mark.parametrize("fault", sorted(FAULT_SCRIPTS))
def test_faulty_peer_ends_association(
    parrot_factory: Callable[[Sequence[tuple[str, object]]], Node],
    quick_entity: LocalEntity,
    fault: str,
) -> None:
    node = parrot_factory(FAULT_SCRIPTS[fault])
    started = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        echo(node, quick_entity)
    assert time.monotonic() - started < FAULT_DEADLINE
    assert caught.value.retryable
    assert str(caught.value).startswith(node.label)


def test_oversized_pdu_not_buffered(
    parrot_factory: Callable[[Sequence[tuple[str, object]]], Node],
    quick_entity: LocalEntity,
) -> None:
    declared = 64 << 20
    flood = _p_data_header(declared) + bytes(declared)
    node = parrot_factory(
        [("recv", None), ("send", a_associate_ac), ("recv", None), ("send", flood)]
    )
    tracemalloc.start()
    try:
        with pytest.raises(AssociationAbortedError, match="more than the") as caught:
            echo(node, quick_entity)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"{declared} bytes" in str(caught.value)
    # Far below the declared 64 MiB: the body was never read.
    assert peak < 8 << 20


def test_stalled_peer_times_out(
    parrot_factory: Callable[[Sequence[tuple[str, object]]], Node],
    quick_entity: LocalEntity,
) -> None:
    node = parrot_factory([("recv", None), ("wait", 10)])
    with pytest.raises(NetworkTimeoutError):
        echo(node, quick_entity)
