"""A storage SCP port on which another program listens, as a running GUI does.

A C-MOVE needs the workstation's storage SCP on the port registered on the
PACS, so the error names the probable owner of the port and what to do,
instead of suggesting another port.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydicom import Dataset
from pydicom.uid import generate_uid
from pynetdicom import AE, evt

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.errors import PortInUseError
from pacs_desktop.core.net.find import STUDY_ROOT_FIND
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import JobServices, JobState, SyncQueue, run_job
from pacs_desktop.core.net.scp import StorageSCP, port_in_use
from tests.net.conftest import free_port, require_isolated_network

STUDY = "1.2.826.0.1.3680043.8.498.20"


@pytest.fixture
def held_port() -> Iterator[int]:
    """A loopback port on which a plain socket listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.fixture
def find_peer() -> Iterator[Node]:
    """A PACS on loopback that lists one instance of `STUDY` by C-FIND."""

    def on_find(event: evt.Event) -> Iterator[tuple[int, Dataset | None]]:
        answer = Dataset()
        answer.QueryRetrieveLevel = event.identifier.QueryRetrieveLevel
        answer.StudyInstanceUID = STUDY
        answer.SeriesInstanceUID = STUDY + ".1"
        answer.SOPInstanceUID = generate_uid()
        answer.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
        answer.NumberOfStudyRelatedInstances = 1
        yield 0xFF00, answer
        yield 0x0000, None

    ae = AE("FINDPEER")
    ae.add_supported_context(STUDY_ROOT_FIND)
    server = ae.start_server(
        ("127.0.0.1", 0), block=False, evt_handlers=[(evt.EVT_C_FIND, on_find)]
    )
    yield Node("findpeer", "FINDPEER", "127.0.0.1", server.server_address[1])
    server.shutdown()


def test_port_in_use_detects_listener(held_port: int) -> None:
    assert port_in_use(held_port)
    assert port_in_use(held_port, "127.0.0.1")


def test_port_in_use_false_for_free_port() -> None:
    assert not port_in_use(free_port(), "127.0.0.1")


def test_scp_start_raises_port_in_use(tmp_path: Path, held_port: int) -> None:
    archive = Archive(Database(tmp_path / "archive.sqlite"), tmp_path / "store")
    scp = StorageSCP(
        archive,
        ae_title="READERA",
        port=held_port,
        allowed_aets=lambda: ["PACS"],
        bind_address="127.0.0.1",
    )

    with pytest.raises(PortInUseError) as raised:
        scp.start()

    assert raised.value.port == held_port
    assert "network.scp_port" in str(raised.value)
    assert not scp.running


def test_move_job_error_names_held_port(
    tmp_path: Path, held_port: int, find_peer: Node, local_entity: LocalEntity
) -> None:
    require_isolated_network()
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    nodes = NodeStore(database)
    nodes.add(find_peer)
    local = LocalEntity(local_entity.ae_title, local_entity.timeouts, held_port)
    queue = SyncQueue(database)
    queue.enqueue_retrieve(find_peer.name, STUDY, method="move")
    claimed = queue.claim()
    assert claimed is not None

    outcome = run_job(queue, claimed, JobServices(nodes, local, archive))

    assert outcome.state == JobState.FAILED
    error = outcome.last_error
    assert f"port {held_port} is in use" in error
    assert "probably by a running PACS Desktop window" in error
    assert "C-MOVE from findpeer needs this port" in error
    assert "--method get" in error
    assert "network.scp_port" not in error
