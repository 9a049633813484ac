"""The storage SCP follows its settings while the window runs.

The SCP binds every interface, so these tests run only inside a loopback-only
network namespace (PACS_TEST_NETNS=1); see tests/net/conftest.py.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from pacs_desktop.core.net.association import LocalEntity, Timeouts
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.errors import NetworkError
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.site_profile import EffectiveSettings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.network.node_page import NodePage
from pacs_desktop.ui.settings_dialog import SettingsDialog, settings_notifier
from tests.net.conftest import free_port, require_isolated_network

QUICK = Timeouts(acse=5.0, dimse=10.0, network=10.0, connect=5.0)
PACS = Node("pacs", "PACS", "127.0.0.1", 104)


@pytest.fixture(autouse=True)
def isolated() -> None:
    require_isolated_network()


def open_window(qtbot: QtBot, workstation: Workstation, session: Session) -> MainWindow:
    window = MainWindow(workstation, session)
    qtbot.addWidget(window)
    return window


def apply_in_dialog(qtbot: QtBot, workstation: Workstation, **values: str) -> None:
    """Store ``values`` (setting key with '_' for '.') the way an administrator does."""
    dialog = SettingsDialog(
        EffectiveSettings.open(workstation.data_dir), may_manage=True
    )
    qtbot.addWidget(dialog)
    for name, value in values.items():
        widget = dialog.bindings[name.replace("_", ".", 1)].widget
        if hasattr(widget, "setValue"):
            widget.setValue(int(value))
        else:
            widget.setText(value)  # type: ignore[attr-defined]
    assert dialog.apply()


def echo_as(caller: str, called: str, port: int) -> float:
    """Send a C-ECHO from ``caller`` to the workstation's SCP as ``called``."""
    return echo(Node("ws", called, "127.0.0.1", port), LocalEntity(caller, QUICK))


@pytest.fixture
def configured(workstation: Workstation) -> Workstation:
    """A workstation called OLDTITLE with one PACS node."""
    settings = Settings(workstation.data_dir)
    settings.set("network.ae_title", "OLDTITLE")
    settings.set("network.scp_port", free_port())
    NodeStore(workstation.database).add(PACS)
    return workstation


def test_first_settings_start_scp(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = open_window(qtbot, workstation, admin_session)
    service = window.network.service
    assert service.scp is None
    NodeStore(workstation.database).add(PACS)
    port = free_port()

    apply_in_dialog(
        qtbot, workstation, network_ae_title="READERA", network_scp_port=str(port)
    )

    assert service.scp is not None
    assert service.scp.ae_title == "READERA"
    assert service.scp.port == port
    label = window.network.sync_panel.scp_label.text()
    assert label == f"Storage SCP READERA listening on port {port}"
    assert echo_as("PACS", "READERA", port) < 5.0
    window.close()


def test_changed_ae_title_restarts_scp(
    qtbot: QtBot, configured: Workstation, admin_session: Session
) -> None:
    window = open_window(qtbot, configured, admin_session)
    service = window.network.service
    assert service.scp is not None
    port = service.scp.port

    apply_in_dialog(qtbot, configured, network_ae_title="NEWTITLE")

    assert service.scp.ae_title == "NEWTITLE"
    assert "NEWTITLE" in window.network.sync_panel.scp_label.text()
    assert echo_as("PACS", "NEWTITLE", port) < 5.0
    with pytest.raises(NetworkError):
        echo_as("PACS", "OLDTITLE", port)
    window.close()


def test_first_allowed_ae_starts_scp(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    Settings(workstation.data_dir).set("network.scp_port", free_port())
    window = open_window(qtbot, workstation, admin_session)
    service = window.network.service
    assert service.scp is None

    apply_in_dialog(qtbot, workstation, network_scp_allowed_aets="CT1")

    assert service.scp is not None
    assert echo_as("CT1", service.scp.ae_title, service.scp.port) < 5.0
    window.close()


def test_first_node_starts_scp(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    Settings(workstation.data_dir).set("network.scp_port", free_port())
    window = open_window(qtbot, workstation, admin_session)
    service = window.network.service
    assert service.scp is None

    NodeStore(workstation.database).add(PACS)
    window.network.nodes_changed()

    assert service.scp is not None
    assert echo_as("PACS", service.scp.ae_title, service.scp.port) < 5.0
    window.close()


def test_settings_of_other_roles_leave_scp(
    qtbot: QtBot, configured: Workstation, admin_session: Session
) -> None:
    configured.users.create_user(
        "reader", "Radiology-Reading-42", Role.RADIOLOGIST, actor=admin_session
    )
    reader = configured.users.authenticate("reader", "Radiology-Reading-42")
    window = open_window(qtbot, configured, reader)
    service = window.network.service
    running = service.scp
    assert running is not None

    Settings(configured.data_dir).set("network.ae_title", "NEWTITLE")
    settings_notifier().sig_applied.emit(["network.ae_title"])

    assert service.scp is running
    assert running.ae_title == "OLDTITLE"
    window.close()


@pytest.fixture
def silent_pacs() -> Iterator[Node]:
    """A node whose TCP port accepts connections and never responds."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield Node("silent", "SILENT", "127.0.0.1", listener.getsockname()[1])


def test_restart_waits_for_running_job(
    qtbot: QtBot, configured: Workstation, admin_session: Session, silent_pacs: Node
) -> None:
    Settings(configured.data_dir).set("network.acse_timeout", 2.0)
    NodeStore(configured.database).add(silent_pacs)
    window = open_window(qtbot, configured, admin_session)
    service = window.network.service
    running = service.scp
    assert running is not None
    worker = service.runner.worker
    with qtbot.waitSignal(worker.sig_job_started, timeout=10_000):
        service.enqueue_retrieve("silent", "1.2.3")

    with qtbot.waitSignal(service.sig_job_finished, timeout=30_000):
        apply_in_dialog(qtbot, configured, network_ae_title="NEWTITLE")
        assert service.scp is running
        assert running.ae_title == "OLDTITLE"
        text = window.network.sync_panel.scp_label.text()
        assert "restarts with the new settings" in text

    assert service.scp is not running
    assert service.scp is not None
    assert service.scp.ae_title == "NEWTITLE"
    window.close()


def test_node_added_on_page_starts_scp(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    Settings(workstation.data_dir).set("network.scp_port", free_port())
    window = open_window(qtbot, workstation, admin_session)
    service = window.network.service
    page = NodePage(
        NodeStore(workstation.database), Settings(workstation.data_dir), may_manage=True
    )
    qtbot.addWidget(page)
    page.node_name_edit.setText(PACS.name)
    page.node_ae_edit.setText(PACS.ae_title)
    page.node_host_edit.setText(PACS.host)

    page.add_node_button.click()

    assert service.scp is not None
    assert echo_as("PACS", service.scp.ae_title, service.scp.port) < 5.0
    assert window.network.source_combo.findData(PACS.name) >= 0
    window.close()
