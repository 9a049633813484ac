"""Help dialogs: the shortcut list follows the actions, About shows the folders."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from pacs_desktop import __version__
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.help_dialogs import (
    AboutDialog,
    ShortcutsDialog,
    ViewerKeyNames,
    action_shortcuts,
    native_keys,
)
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.preferences import install_translations
from pacs_desktop.ui.viewer.shortcuts import SHORTCUTS, command_for_key

REPO_ROOT = Path(__file__).resolve().parents[2]


def make_actions(owner: QWidget) -> list[QAction]:
    open_action = QAction("&Open study", owner)
    open_action.setShortcut(QKeySequence("Ctrl+O"))
    import_action = QAction("Import &files...", owner)
    import_action.setShortcut(QKeySequence("Ctrl+I"))
    no_key = QAction("Refresh", owner)
    no_text = QAction(owner)
    no_text.setShortcut(QKeySequence("F10"))
    return [open_action, import_action, no_key, no_text]


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


def shown_shortcuts(window: MainWindow) -> list[tuple[str, str]]:
    window.help_menus.shortcuts_action.trigger()
    dialog = window.help_menus.shortcuts_dialog
    assert dialog is not None
    return dialog.rows()


def menu_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found.extend(menu_actions(submenu))
        else:
            found.append(action)
    return found


def test_shortcuts_list_sync_queue(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    rows = shown_shortcuts(window)
    window.shutdown()
    assert (native_keys("Ctrl+Shift+Y"), "Sync queue") in rows


def test_shortcuts_list_no_blank_description(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    rows = shown_shortcuts(window)
    window.shutdown()
    assert all(text for _keys, text in rows), rows


def test_shortcuts_list_every_menu_key(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    expected = set()
    for top in window.menuBar().actions():
        submenu = top.menu()
        assert isinstance(submenu, QMenu)
        expected.update(action_shortcuts(menu_actions(submenu)))
    rows = shown_shortcuts(window)
    window.shutdown()
    assert expected <= set(rows)


def test_shortcuts_follow_rebound_action(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    shown_shortcuts(window)
    window.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    rows = shown_shortcuts(window)
    window.shutdown()
    assert (native_keys("Ctrl+Q"), "Quit") in rows


def test_viewer_key_names_cover_help_table(qapp: QApplication) -> None:
    assert set(ViewerKeyNames().names()) == {keys for keys, _text in SHORTCUTS}


@pytest.mark.parametrize(
    "key",
    [
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_F,
        Qt.Key.Key_A,
        Qt.Key.Key_I,
        Qt.Key.Key_R,
        Qt.Key.Key_H,
        Qt.Key.Key_V,
        Qt.Key.Key_Plus,
        Qt.Key.Key_Minus,
    ],
)
def test_listed_viewer_key_acts(qapp: QApplication, key: Qt.Key) -> None:
    names = " ".join(ViewerKeyNames().names().values())
    assert native_keys(key) in names
    assert command_for_key(key, Qt.KeyboardModifier.NoModifier) is not None


@pytest.fixture(scope="module")
def qm_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .qm files compiled from the committed .ts sources."""
    spec = importlib.util.spec_from_file_location(
        "translations_build", REPO_ROOT / "translations" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("qm")
    module.compile_translations(folder)
    return folder


@pytest.fixture
def german(qapp: QApplication, qm_folder: Path) -> Iterator[None]:
    install_translations(qapp, "de", qm_folder)
    yield
    install_translations(qapp, "", qm_folder)


@pytest.mark.parametrize(
    ("english", "german_text"),
    [
        ("Wheel", "Mausrad"),
        ("Up / Down", "Hoch / Herunter"),
        ("Page Up / Page Down", "Bild aufwärts / Bild abwärts"),
        ("Home / End", "Pos1 / Ende"),
        ("Right drag", "Ziehen mit rechter Maustaste"),
        ("Ctrl+Wheel, + / -", "Strg+Mausrad, + / -"),
        ("Ctrl+1, A", "Strg+1, A"),
    ],
)
def test_viewer_keys_in_german(
    qtbot: QtBot, german: None, english: str, german_text: str
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    dialog = ShortcutsDialog([], [], owner)
    keys = [keys for keys, _action in dialog.rows()]
    assert german_text in keys
    assert english not in keys


def test_node_added_in_settings_audited(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    window.help_menus.settings_action.trigger()
    dialog = window.help_menus.settings_dialog
    assert dialog is not None
    store = dialog.node_page.node_store
    assert store is not None

    store.add(Node("pacs", "PACS", "127.0.0.1", 104))
    window.shutdown()

    (record,) = workstation.audit.records(event=audit_events.NODES_CHANGED)
    assert record.user == admin_session.user.name
    assert not record.os_account
