"""Help dialogs: the shortcut list follows the actions, About shows the folders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from pacs_desktop import __version__
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.help_dialogs import AboutDialog, ShortcutsDialog, action_shortcuts
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.viewer.shortcuts import SHORTCUTS


def make_actions(owner: QWidget) -> list[QAction]:
    open_action = QAction("&Open study", owner)
    open_action.setShortcut(QKeySequence("Ctrl+O"))
    import_action = QAction("Import &files...", owner)
    import_action.setShortcut(QKeySequence("Ctrl+I"))
    no_key = QAction("Refresh", owner)
    return [open_action, import_action, no_key]


def test_action_shortcuts_strip_mnemonics(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    assert action_shortcuts(make_actions(owner)) == [
        ("Ctrl+O", "Open study"),
        ("Ctrl+I", "Import files"),
    ]


def test_shortcuts_dialog_lists_every_group(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    dialog = ShortcutsDialog(
        make_actions(owner), [("Dictation", [("F9", "Record / pause")])], owner
    )
    rows = dialog.rows()
    assert ("Ctrl+O", "Open study") in rows
    assert ("F9", "Record / pause") in rows
    assert len(rows) == 2 + len(SHORTCUTS) + 1


def test_about_shows_version_and_folders(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path / "data", tmp_path / "data" / "logs")
    qtbot.addWidget(dialog)
    texts = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    assert texts["version"] == __version__
    assert texts["data_dir"] == str(tmp_path / "data")
    assert texts["log_dir"] == str(tmp_path / "data" / "logs")


def test_about_lists_dependency_licences(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path, tmp_path / "logs")
    qtbot.addWidget(dialog)
    table = dialog.license_table
    licences = {
        table.item(row, 0).text(): table.item(row, 2).text()
        for row in range(table.rowCount())
    }
    assert "MIT" in licences["pydicom"]
    assert "LGPL" in licences["PySide6-Essentials"]


def test_help_menu_stays_last(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    window.menuBar().addMenu("Later")
    titles = [action.text() for action in window.menuBar().actions()]
    window.shutdown()
    assert titles[-1] == "&Help"
    assert "Later" in titles


def test_settings_action_opens_dialog(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    window.help_menus.settings_action.trigger()
    dialog = window.help_menus.settings_dialog
    assert dialog is not None
    assert dialog.may_manage
    window.shutdown()
    qtbot.waitUntil(lambda: window.help_menus.settings_dialog is None)


def test_changed_presets_reach_open_viewer(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    viewer = window._ensure_viewer()
    Settings(workstation.data_dir).set("display.presets", ["MR:Brain T1:600:1200"])

    window.help_menus._on_settings_applied(["display.presets"])

    mr = viewer._presets.get("MR", ())
    window.shutdown()
    assert [preset.name for preset in mr] == ["Brain T1"]


def test_applied_settings_audited(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)

    window.help_menus._on_settings_applied(["security.idle_lock_minutes"])

    records = [
        record
        for record in workstation.audit.records()
        if record.event == audit_events.SETTINGS_CHANGED
    ]
    window.shutdown()
    assert len(records) == 1
    assert records[0].user == admin_session.user.name
    assert "security.idle_lock_minutes" in records[0].detail
