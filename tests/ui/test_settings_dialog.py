"""Settings dialog: pages, locked site values, permissions, storing, nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QTableWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.site_profile import (
    EffectiveSettings,
    apply_site_nodes,
    parse_site_profile,
)
from pacs_desktop.ui.settings_dialog import SettingsDialog

PROFILE = """
[site]
name = "Neuroradiology"

[display]
modalities = { value = ["CT", "MR"], locked = true }

[security]
idle_lock_minutes = { value = 5, locked = true }
lockout_attempts = 3

[[nodes]]
name = "main-pacs"
ae_title = "MAINPACS"
host = "pacs.example.org"
port = 104
locked = true
"""

PAGE_NAMES = [
    "page_nodes",
    "page_scp",
    "page_archive",
    "page_display",
    "page_dictation",
    "page_security",
    "page_language",
]


@pytest.fixture
def effective(tmp_path: Path) -> EffectiveSettings:
    return EffectiveSettings(Settings(tmp_path), parse_site_profile(PROFILE))


@pytest.fixture
def node_store(tmp_path: Path, effective: EffectiveSettings) -> NodeStore:
    store = NodeStore(Database(tmp_path / "nodes.sqlite"))
    apply_site_nodes(store, effective.profile)
    return store


@pytest.fixture
def admin_dialog(
    qtbot: QtBot, effective: EffectiveSettings, node_store: NodeStore
) -> SettingsDialog:
    dialog = SettingsDialog(
        effective, node_store, may_manage=True, may_manage_nodes=True
    )
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def record(_parent: QWidget, _title: str, text: str) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "warning", record)
    return shown


def field(dialog: SettingsDialog, key: str) -> QWidget:
    return dialog.bindings[key].widget


def test_dialog_has_every_page(admin_dialog: SettingsDialog) -> None:
    names = [
        admin_dialog.pages.widget(index).objectName()
        for index in range(admin_dialog.pages.count())
    ]
    assert names == PAGE_NAMES


def test_locked_site_values_disabled(admin_dialog: SettingsDialog) -> None:
    assert not field(admin_dialog, "security.idle_lock_minutes").isEnabled()
    assert not field(admin_dialog, "display.modalities").isEnabled()
    assert "Neuroradiology" in field(admin_dialog, "display.modalities").toolTip()


def test_locked_values_show_site_value(admin_dialog: SettingsDialog) -> None:
    spin = field(admin_dialog, "security.idle_lock_minutes")
    assert isinstance(spin, QSpinBox)
    assert spin.value() == 5


def test_overridable_site_value_editable(admin_dialog: SettingsDialog) -> None:
    spin = field(admin_dialog, "security.lockout_attempts")
    assert isinstance(spin, QSpinBox)
    assert spin.isEnabled()
    assert spin.value() == 3


def test_user_without_permission_edits_own_pages(
    qtbot: QtBot, effective: EffectiveSettings, node_store: NodeStore
) -> None:
    dialog = SettingsDialog(effective, node_store)
    qtbot.addWidget(dialog)
    assert not field(dialog, "network.ae_title").isEnabled()
    assert not field(dialog, "security.lockout_attempts").isEnabled()
    assert not dialog.node_page.add_node_button.isEnabled()
    assert field(dialog, "ui.theme").isEnabled()
    assert field(dialog, "display.presets").isEnabled()


def test_apply_stores_changed_fields(
    qtbot: QtBot, admin_dialog: SettingsDialog, effective: EffectiveSettings
) -> None:
    attempts = field(admin_dialog, "security.lockout_attempts")
    assert isinstance(attempts, QSpinBox)
    attempts.setValue(8)
    ae_title = field(admin_dialog, "network.ae_title")
    assert isinstance(ae_title, QLineEdit)
    ae_title.setText("READER7")
    with qtbot.waitSignal(admin_dialog.sig_applied) as applied:
        assert admin_dialog.apply()
    assert sorted(applied.args[0]) == ["network.ae_title", "security.lockout_attempts"]
    assert effective.get("security.lockout_attempts") == 8
    assert Settings(effective.settings.path.parent).get("network.ae_title") == (
        "READER7"
    )


def test_unchanged_dialog_stores_nothing(
    admin_dialog: SettingsDialog, effective: EffectiveSettings
) -> None:
    assert admin_dialog.apply()
    assert not effective.settings.path.exists()


def test_theme_change_applies_theme(admin_dialog: SettingsDialog) -> None:
    from pacs_desktop.ui.resources import current_theme

    theme = field(admin_dialog, "ui.theme")
    assert isinstance(theme, QComboBox)
    theme.setCurrentIndex(theme.findData("light"))
    try:
        assert admin_dialog.apply()
        assert current_theme() == "light"
    finally:
        from PySide6.QtWidgets import QApplication

        from pacs_desktop.ui.resources import apply_theme

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_theme(app, "dark")


def test_edited_preset_stored(
    admin_dialog: SettingsDialog, effective: EffectiveSettings
) -> None:
    table = admin_dialog.preset_table
    assert table.rowCount() == 8
    row = table.rowCount()
    table.insertRow(row)
    for column, text in enumerate(("MR", "T2", "300", "600")):
        table.setItem(row, column, QTableWidgetItem(text))
    assert admin_dialog.apply()
    names = [preset.name for preset in effective.presets_for("MR")]
    assert names == ["T2"]


def test_invalid_preset_rejected_with_message(
    admin_dialog: SettingsDialog, effective: EffectiveSettings, warnings: list[str]
) -> None:
    table = admin_dialog.preset_table
    table.setItem(0, 3, QTableWidgetItem("-10"))
    assert not admin_dialog.apply()
    assert "width must be positive" in warnings[0]
    assert admin_dialog.pages.currentWidget().objectName() == "page_display"
    assert effective.source("display.presets") == "default"


def test_add_node_from_page(
    admin_dialog: SettingsDialog, node_store: NodeStore
) -> None:
    admin_dialog.node_page.node_name_edit.setText("orthanc")
    admin_dialog.node_page.node_ae_edit.setText("ORTHANC")
    admin_dialog.node_page.node_host_edit.setText("127.0.0.1")
    admin_dialog.node_page.node_port_spin.setValue(4242)
    admin_dialog.node_page.add_node_button.click()
    assert node_store.get("orthanc").port == 4242
    assert admin_dialog.node_page.node_table.rowCount() == 2


def test_invalid_node_shows_reason(
    admin_dialog: SettingsDialog, node_store: NodeStore, warnings: list[str]
) -> None:
    admin_dialog.node_page.node_name_edit.setText("bad")
    admin_dialog.node_page.node_ae_edit.setText("A" * 17)
    admin_dialog.node_page.node_host_edit.setText("127.0.0.1")
    admin_dialog.node_page.add_node_button.click()
    assert "longer than 16" in warnings[0]
    assert [node.name for node in node_store.list()] == ["main-pacs"]


def test_site_node_cannot_be_removed(admin_dialog: SettingsDialog) -> None:
    admin_dialog.node_page.node_table.selectRow(0)
    assert admin_dialog.node_page.node_table.item(0, 0).text() == "main-pacs"
    assert admin_dialog.node_page.node_table.item(0, 0).isSelected()
    assert not admin_dialog.node_page.remove_node_button.isEnabled()


def test_own_node_can_be_removed(
    admin_dialog: SettingsDialog, node_store: NodeStore
) -> None:
    admin_dialog.node_page.node_name_edit.setText("local")
    admin_dialog.node_page.node_ae_edit.setText("LOCAL")
    admin_dialog.node_page.node_host_edit.setText("127.0.0.1")
    admin_dialog.node_page.add_node_button.click()
    row = next(
        row
        for row in range(admin_dialog.node_page.node_table.rowCount())
        if admin_dialog.node_page.node_table.item(row, 0).text() == "local"
    )
    admin_dialog.node_page.node_table.selectRow(row)
    assert admin_dialog.node_page.remove_node_button.isEnabled()
    admin_dialog.node_page.remove_node_button.click()
    assert [node.name for node in node_store.list()] == ["main-pacs"]


def _send_node_choices(dialog: SettingsDialog) -> list[str]:
    combo = field(dialog, "dictation.send_node")
    assert isinstance(combo, QComboBox)
    return [str(combo.itemData(index)) for index in range(combo.count())]


def _add_node(dialog: SettingsDialog, name: str) -> None:
    dialog.node_page.node_name_edit.setText(name)
    dialog.node_page.node_ae_edit.setText(name.upper())
    dialog.node_page.node_host_edit.setText("127.0.0.1")
    dialog.node_page.add_node_button.click()


def test_send_node_lists_configured_nodes(admin_dialog: SettingsDialog) -> None:
    combo = field(admin_dialog, "dictation.send_node")
    assert isinstance(combo, QComboBox)
    assert not combo.isEditable()
    assert _send_node_choices(admin_dialog) == ["", "main-pacs"]
    assert combo.itemText(0) == "(none: keep in the local archive)"
    assert combo.currentIndex() == 0


def test_send_node_follows_node_page(admin_dialog: SettingsDialog) -> None:
    _add_node(admin_dialog, "orthanc")
    assert _send_node_choices(admin_dialog) == ["", "main-pacs", "orthanc"]

    admin_dialog.node_page.select("orthanc")
    admin_dialog.node_page.node_name_edit.setText("orthanc2")
    admin_dialog.node_page.update_node_button.click()
    assert _send_node_choices(admin_dialog) == ["", "main-pacs", "orthanc2"]

    admin_dialog.node_page.select("orthanc2")
    admin_dialog.node_page.remove_node_button.click()
    assert _send_node_choices(admin_dialog) == ["", "main-pacs"]


def test_send_node_choice_stored(
    admin_dialog: SettingsDialog, effective: EffectiveSettings
) -> None:
    combo = field(admin_dialog, "dictation.send_node")
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("main-pacs"))

    assert admin_dialog.apply()
    assert effective.get("dictation.send_node") == "main-pacs"


def test_missing_send_node_rejected(
    qtbot: QtBot,
    effective: EffectiveSettings,
    node_store: NodeStore,
    warnings: list[str],
) -> None:
    effective.set("dictation.send_node", "GONE")
    dialog = SettingsDialog(
        effective, node_store, may_manage=True, may_manage_nodes=True
    )
    qtbot.addWidget(dialog)
    combo = field(dialog, "dictation.send_node")
    assert isinstance(combo, QComboBox)
    assert combo.currentText() == "GONE (no such PACS node)"

    assert not dialog.apply()
    assert len(warnings) == 1
    assert "GONE, which does not exist" in warnings[0]
    assert dialog.pages.currentWidget().objectName() == "page_dictation"

    combo.setCurrentIndex(0)
    assert dialog.apply()
    assert effective.get("dictation.send_node") == ""


def test_removed_send_node_rejected(
    admin_dialog: SettingsDialog,
    effective: EffectiveSettings,
    warnings: list[str],
) -> None:
    _add_node(admin_dialog, "orthanc")
    combo = field(admin_dialog, "dictation.send_node")
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("orthanc"))
    admin_dialog.node_page.select("orthanc")
    admin_dialog.node_page.remove_node_button.click()

    assert combo.currentText() == "orthanc (no such PACS node)"
    assert not admin_dialog.apply()
    assert "orthanc, which does not exist" in warnings[0]
    assert effective.get("dictation.send_node") == ""
