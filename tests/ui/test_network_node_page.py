"""The PACS node page: select to edit, update, remove, and its messages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.net.nodes import KEYRING_SERVICE, Node, NodeAudit, NodeStore
from pacs_desktop.core.security.audit import NODES_CHANGED, AuditRecord, AuditTrail
from pacs_desktop.core.settings import Settings
from pacs_desktop.ui.network.node_page import NodePage, node_changes

READER = "dr.adams"

TLS_NODE = Node(
    "secure",
    "SECURE",
    "pacs.example.org",
    2762,
    retrieve="move",
    tls=True,
    ca_file=Path("/etc/pacs/ca.pem"),
    cert_file=Path("/etc/pacs/client.pem"),
    key_file=Path("/etc/pacs/client.key"),
)


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps secrets in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.secrets[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def store(tmp_path: Path, memory_keyring: MemoryKeyring) -> NodeStore:
    nodes = NodeStore(Database(tmp_path / "nodes.sqlite"))
    nodes.add(Node("orthanc", "ORTHANC", "127.0.0.1", 4242))
    nodes.add(TLS_NODE, key_passphrase="key-secret")
    return nodes


@pytest.fixture
def page(qtbot: QtBot, tmp_path: Path, store: NodeStore) -> NodePage:
    widget = NodePage(
        store,
        Settings(tmp_path),
        locked_names={"orthanc"},
        may_manage=True,
    )
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(_parent: QWidget, _title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "warning", record)
    return shown


def passphrase(name: str) -> str | None:
    return keyring.get_password(KEYRING_SERVICE, f"node/{name}/key-passphrase")


def test_selecting_node_fills_form(page: NodePage) -> None:
    page.select("secure")

    assert page.node_name_edit.text() == "secure"
    assert page.node_ae_edit.text() == "SECURE"
    assert page.node_host_edit.text() == "pacs.example.org"
    assert page.node_port_spin.value() == 2762
    assert page.node_retrieve_combo.currentData() == "move"


def test_update_keeps_tls_and_secret(page: NodePage, store: NodeStore) -> None:
    page.select("secure")
    page.node_ae_edit.setText("SECURE2")
    page.node_port_spin.setValue(2763)

    page.update_node_button.click()

    updated = store.get("secure")
    assert updated.ae_title == "SECURE2"
    assert updated.port == 2763
    assert updated.tls
    assert updated.ca_file == TLS_NODE.ca_file
    assert updated.key_file == TLS_NODE.key_file
    assert passphrase("secure") == "key-secret"
    assert page.selected_name() == "secure"


def test_rename_moves_key_passphrase(page: NodePage, store: NodeStore) -> None:
    page.select("secure")
    page.node_name_edit.setText("secure-new")

    page.update_node_button.click()

    assert [node.name for node in store.list()] == ["orthanc", "secure-new"]
    assert passphrase("secure-new") == "key-secret"
    assert passphrase("secure") is None


def test_rename_to_taken_name_rejected(
    page: NodePage,
    store: NodeStore,
    warnings: list[str],
    memory_keyring: MemoryKeyring,
) -> None:
    page.select("secure")
    page.node_name_edit.setText("orthanc")

    page.update_node_button.click()

    assert "node orthanc already exists" in warnings[0]
    assert store.get("secure") == TLS_NODE
    assert passphrase("secure") == "key-secret"
    assert len(memory_keyring.secrets) == 1


def test_site_node_not_changeable(page: NodePage) -> None:
    page.select("orthanc")

    assert page.node_name_edit.text() == "orthanc"
    assert not page.update_node_button.isEnabled()
    assert not page.remove_node_button.isEnabled()


def test_table_uses_form_words(page: NodePage, store: NodeStore) -> None:
    store.add(Node("getter", "GETTER", "127.0.0.1", 104, retrieve="get"))
    page.fill()

    for row in range(page.node_table.rowCount()):
        page.node_table.selectRow(row)
        name = page.node_table.item(row, 0).text()
        shown = page.node_table.item(row, 4).text()
        assert shown == page.node_retrieve_combo.currentText(), name
    assert page.node_table.item(0, 4).text() == "C-GET"
    assert page.node_table.item(1, 4).text() == "C-GET, else C-MOVE"
    assert page.node_table.item(2, 4).text() == "C-MOVE"


def test_invalid_form_lists_every_field(
    page: NodePage, store: NodeStore, warnings: list[str]
) -> None:
    page.node_name_edit.setText("bad name")
    page.node_ae_edit.setText("A" * 17)
    page.node_host_edit.setText("")

    page.add_node_button.click()

    (text,) = warnings
    lines = text.splitlines()
    assert lines[0] == "Correct these fields and try again:"
    assert lines[1].startswith("\N{BULLET} name 'bad name' is invalid")
    assert "longer than 16 characters" in lines[2]
    assert lines[3] == "\N{BULLET} host '' is invalid"
    assert len(store.list()) == 2


def test_remove_clears_form(page: NodePage, store: NodeStore) -> None:
    page.select("secure")

    page.remove_node_button.click()

    assert [node.name for node in store.list()] == ["orthanc"]
    assert page.node_name_edit.text() == ""
    assert passphrase("secure") is None


def test_add_announces_change(qtbot: QtBot, page: NodePage) -> None:
    page.node_name_edit.setText("ct")
    page.node_ae_edit.setText("CT1")
    page.node_host_edit.setText("127.0.0.1")

    with qtbot.waitSignal(node_changes().sig_nodes_changed, timeout=1000):
        page.add_node_button.click()

    assert page.selected_name() == "ct"


def test_read_only_page_disables_changes(
    qtbot: QtBot, tmp_path: Path, store: NodeStore
) -> None:
    page = NodePage(store, Settings(tmp_path), may_manage=False)
    qtbot.addWidget(page)
    page.select("secure")

    assert page.node_name_edit.text() == "secure"
    assert not page.add_node_button.isEnabled()
    assert not page.update_node_button.isEnabled()
    assert not page.remove_node_button.isEnabled()


@pytest.fixture
def audited_page(
    qtbot: QtBot, tmp_path: Path, store: NodeStore
) -> tuple[NodePage, AuditTrail]:
    # The store of a logged-in user: changes are recorded under that user.
    trail = AuditTrail(store.database)
    audit = NodeAudit(trail, READER)
    widget = NodePage(
        NodeStore(store.database, audit=audit), Settings(tmp_path), may_manage=True
    )
    qtbot.addWidget(widget)
    return widget, trail


def node_records(trail: AuditTrail) -> list[AuditRecord]:
    return trail.records(event=NODES_CHANGED)


def test_add_recorded_under_user(
    audited_page: tuple[NodePage, AuditTrail],
) -> None:
    page, trail = audited_page
    page.node_name_edit.setText("ct")
    page.node_ae_edit.setText("CT1")
    page.node_host_edit.setText("192.168.1.20")
    page.node_port_spin.setValue(104)

    page.add_node_button.click()

    (record,) = node_records(trail)
    assert record.user == READER
    assert record.os_account is False
    assert "PACS node ct added" in record.detail
    assert "AE title CT1, host 192.168.1.20, port 104" in record.detail


def test_update_recorded_with_before(
    audited_page: tuple[NodePage, AuditTrail],
) -> None:
    page, trail = audited_page
    page.select("secure")
    page.node_port_spin.setValue(2763)

    page.update_node_button.click()

    (record,) = node_records(trail)
    assert record.user == READER
    assert "PACS node secure updated: AE title SECURE" in record.detail
    assert "port 2763" in record.detail
    assert "before: AE title SECURE, host pacs.example.org, port 2762" in (
        record.detail
    )
    assert "client.key" not in record.detail
    assert "key-secret" not in record.message_xml


def test_remove_recorded_under_user(
    audited_page: tuple[NodePage, AuditTrail],
) -> None:
    page, trail = audited_page
    page.select("secure")

    page.remove_node_button.click()

    (record,) = node_records(trail)
    assert record.user == READER
    assert "PACS node secure removed" in record.detail
    assert "host pacs.example.org, port 2762" in record.detail


def test_rejected_rename_not_recorded(
    audited_page: tuple[NodePage, AuditTrail], warnings: list[str]
) -> None:
    page, trail = audited_page
    page.select("secure")
    page.node_name_edit.setText("orthanc")

    page.update_node_button.click()

    assert warnings
    assert node_records(trail) == []
