"""Storage SCP: calling AE title check and storing with the received bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity, Timeouts
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.errors import AssociationRejectedError, NodeError
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.scp import StorageSCP, workstation_scp
from pacs_desktop.core.net.send import outgoing_from_file, send_instances
from pacs_desktop.core.settings import Settings
from tests.net.conftest import free_port

QUICK = Timeouts(acse=5.0, dimse=10.0, network=10.0, connect=5.0)


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
    )
    server.start()
    yield server
    server.stop()


def _node(scp: StorageSCP) -> Node:
    return Node("workstation", "WORKSTATION", "127.0.0.1", scp.port)


def test_allowed_caller_accepted(scp: StorageSCP) -> None:
    assert echo(_node(scp), LocalEntity("MODALITY", QUICK)) < 5.0


def test_unknown_caller_rejected(scp: StorageSCP) -> None:
    with pytest.raises(AssociationRejectedError) as caught:
        echo(_node(scp), LocalEntity("STRANGER", QUICK))
    assert "calling AE title not recognised" in str(caught.value)
    assert not caught.value.retryable


@pytest.mark.parametrize(
    "name", ["CT_small.dcm", "MR_small_jp2klossless.dcm", "SC_rgb_rle.dcm"]
)
def test_received_dataset_stored_unchanged(scp: StorageSCP, name: str) -> None:
    path = Path(get_testdata_file(name))
    outgoing = outgoing_from_file(path)
    result = send_instances(_node(scp), LocalEntity("MODALITY", QUICK), [outgoing])
    assert result.stored == [outgoing.sop_instance_uid]
    stored = scp.receiver.archive.instance_path(outgoing.sop_instance_uid)
    assert stored is not None
    original = pydicom.dcmread(path)
    received = pydicom.dcmread(stored)
    assert received.file_meta.TransferSyntaxUID == original.file_meta.TransferSyntaxUID
    assert received.PixelData == original.PixelData


def test_workstation_scp_allows_node_titles(tmp_path: Path) -> None:
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    settings = Settings(tmp_path)
    settings.set("network.ae_title", "WORKSTATION")
    settings.set("network.scp_port", str(free_port()))
    settings.set("network.scp_allowed_aets", "CT_SCANNER")
    nodes = NodeStore(database)
    nodes.add(Node("pacs", "PACS_AE", "127.0.0.1", 104))
    server = workstation_scp(archive, settings, nodes)
    server.bind_address = "127.0.0.1"
    server.start()
    try:
        node = Node("workstation", "WORKSTATION", "127.0.0.1", server.port)
        for caller in ("PACS_AE", "CT_SCANNER"):
            assert echo(node, LocalEntity(caller, QUICK)) < 5.0
        with pytest.raises(AssociationRejectedError):
            echo(node, LocalEntity("MR_SCANNER", QUICK))
    finally:
        server.stop()


def test_node_passphrase_needs_keyring(tmp_path: Path) -> None:
    # The tests run with the null keyring, which discards every secret.
    nodes = NodeStore(Database(tmp_path / "archive.sqlite"))
    node = Node("pacs", "PACS_AE", "127.0.0.1", 104)
    with pytest.raises(NodeError, match="did not keep the secret"):
        nodes.add(node, key_passphrase="secret")
    assert nodes.list() == []
