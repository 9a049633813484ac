"""Help dialogs: the keyboard shortcuts and About PACS Desktop.

The shortcut list is built from the live QActions of the main window (its
own, its menus' and its docks') and the viewer's own key table, so it shows
exactly the keys the program reacts to. Key names are Qt's native text, which
Qt's own translation (qtbase) puts in the user's language.
"""

from __future__ import annotations

import logging
import platform
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, qVersion
from PySide6.QtGui import QAction, QActionEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop import __version__

if TYPE_CHECKING:
    from pacs_desktop.core.site_profile import EffectiveSettings
    from pacs_desktop.ui.main_window import MainWindow
    from pacs_desktop.ui.settings_dialog import SettingsDialog

logger = logging.getLogger(__name__)

PROJECT_LICENSE = "MIT"
# The distributions the program runs on, as their package metadata names them.
DEPENDENCIES = (
    "PySide6-Essentials",
    "pyqtgraph",
    "numpy",
    "pydicom",
    "pynetdicom",
    "pylibjpeg",
    "pylibjpeg-openjpeg",
    "pylibjpeg-rle",
    "python-gdcm",
    "sounddevice",
    "soundfile",
    "keyring",
    "argon2-cffi",
    "platformdirs",
)


def action_shortcuts(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """Return (keys, description) of each action that has a shortcut.

    Keys are in the platform's native text ("Ctrl+O"), descriptions the
    action's text without its mnemonic ampersand and trailing dots. Actions
    without text are left out.
    """
    rows = []
    for action in actions:
        shortcut = action.shortcut()
        text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        text = text.removesuffix("...").strip()
        # An action without text (the dictation transport keys, which have a
        # group of their own) has nothing to describe it by.
        if shortcut.isEmpty() or not text:
            continue
        keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        rows.append((keys, text))
    return rows


def window_actions(window: QWidget) -> list[QAction]:
    """Return the actions in force in ``window``, each once.

    These are the window's own actions and every action below it that sits
    in a menu, a toolbar or a widget (a dock's toggle action in the menu bar,
    for example). An action added to nothing reacts to no key.
    """
    found: dict[int, QAction] = {}
    for action in window.actions():
        found.setdefault(id(action), action)
    for action in window.findChildren(QAction):
        if action.associatedObjects():
            found.setdefault(id(action), action)
    return list(found.values())


def native_keys(keys: str | QKeySequence | Qt.Key | QKeyCombination) -> str:
    """Return ``keys`` as the platform writes them, in the user's language."""
    sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def viewer_shortcuts() -> list[tuple[str, str]]:
    """Return the viewer's keys and mouse controls in the user's language.

    A key column that `ViewerKeyNames` does not know stays as written.
    """
    from pacs_desktop.ui.viewer.shortcuts import shortcut_help

    names = ViewerKeyNames().names()
    return [(names.get(keys, keys), text) for keys, text in shortcut_help()]


class ViewerKeyNames(QObject):
    """The viewer's key column, in the user's language.

    Keys are Qt's native text, and mouse controls go through ``tr()``.
    """

    def names(self) -> dict[str, str]:
        """Return the shown text of each key column of the viewer's help table."""
        key = Qt.Key
        wheel = self.tr("Wheel")
        # Qt's native text of Ctrl+1 is "Strg+1" in German and "⌘1" on macOS,
        # so the modifier's text is that of Ctrl+1 without its last character.
        ctrl = native_keys(Qt.KeyboardModifier.ControlModifier | key.Key_1)[:-1]
        return {
            "Wheel": wheel,
            "Up / Down": self._pair(key.Key_Up, key.Key_Down, " / "),
            "Page Up / Page Down": self._pair(key.Key_PageUp, key.Key_PageDown, " / "),
            "Home / End": self._pair(key.Key_Home, key.Key_End, " / "),
            "Right drag": self.tr("Right drag"),
            "1 - 8": self._pair(key.Key_1, key.Key_8, " - "),
            "9, 0": self._pair(key.Key_9, key.Key_0, ", "),
            "Ctrl+Wheel, + / -": f"{ctrl}{wheel}, "
            + self._pair(key.Key_Plus, key.Key_Minus, " / "),
            "Left or middle drag": self.tr("Left or middle drag"),
            "F": native_keys(key.Key_F),
            "Ctrl+1, A": native_keys(Qt.KeyboardModifier.ControlModifier | key.Key_1)
            + ", "
            + native_keys(key.Key_A),
            "I": native_keys(key.Key_I),
            "R": native_keys(key.Key_R),
            "H / V": self._pair(key.Key_H, key.Key_V, " / "),
            "Esc": native_keys(key.Key_Escape),
        }

    @staticmethod
    def _pair(first: Qt.Key, second: Qt.Key, separator: str) -> str:
        return native_keys(first) + separator + native_keys(second)


class ShortcutsDialog(QDialog):
    """A table of every keyboard shortcut, grouped by where it works."""

    def __init__(
        self,
        actions: Sequence[QAction],
        extra_groups: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(560, 600)
        groups = [
            (self.tr("Main window"), action_shortcuts(actions)),
            (self.tr("Image viewer"), viewer_shortcuts()),
            *extra_groups,
        ]
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("shortcut_table")
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        for title, rows in groups:
            self._add_group(title, rows)
        self.table.resizeColumnToContents(0)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _add_group(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        if not rows:
            return
        heading = QTableWidgetItem(title)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, heading)
        self.table.setSpan(row, 0, 1, 2)
        for keys, text in rows:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(text))

    def rows(self) -> list[tuple[str, str]]:
        """Return every (keys, action) row, without the group headings."""
        found = []
        for row in range(self.table.rowCount()):
            action = self.table.item(row, 1)
            keys = self.table.item(row, 0)
            if action is not None and keys is not None:
                found.append((keys.text(), action.text()))
        return found


def dependency_licenses() -> list[tuple[str, str, str]]:
    """Return (distribution, version, licence) of each installed dependency.

    The licence is the package's own metadata (License-Expression, else
    License, else its licence classifier).
    """
    found = []
    for name in DEPENDENCIES:
        try:
            info = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        license_text = _field(info, "License-Expression") or _field(info, "License")
        if not license_text or len(license_text) > 80:
            classifiers = [
                value.rsplit("::", 1)[-1].strip()
                for value in info.get_all("Classifier") or []
                if value.startswith("License ::")
            ]
            license_text = ", ".join(classifiers) or license_text[:80]
        found.append((name, _field(info, "Version"), license_text))
    return found


def _field(info: metadata.PackageMetadata, name: str) -> str:
    # Missing fields raise KeyError in newer importlib.metadata, None in older.
    values = info.get_all(name) or []
    return str(values[0]) if values else ""


class AboutDialog(QDialog):
    """The program's version, licences, and where it keeps its data and logs."""

    def __init__(
        self, data_dir: Path, log_dir: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About PACS Desktop"))
        self.resize(560, 480)
        title = QLabel(f"<h2>PACS Desktop {__version__}</h2>", self)
        title.setObjectName("title")
        summary = QLabel(
            self.tr(
                "Radiology workstation: local DICOM archive, image viewer, "
                "PACS query and retrieve, and dictation."
            ),
            self,
        )
        summary.setWordWrap(True)

        facts = QFormLayout()
        for label, value, name in (
            (self.tr("Version:"), __version__, "version"),
            (self.tr("Licence:"), PROJECT_LICENSE, "license"),
            (self.tr("Data folder:"), str(data_dir), "data_dir"),
            (self.tr("Log folder:"), str(log_dir), "log_dir"),
            (
                self.tr("Runs on:"),
                f"Python {platform.python_version()}, Qt {qVersion()}, "
                f"PySide6 {PySide6.__version__}, {sys.platform}",
                "runtime",
            ),
        ):
            value_label = QLabel(value, self)
            value_label.setObjectName(name)
            value_label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
            )
            facts.addRow(label, value_label)

        self.license_table = QTableWidget(0, 3, self)
        self.license_table.setObjectName("license_table")
        self.license_table.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("Version"), self.tr("Licence")]
        )
        self.license_table.verticalHeader().hide()
        self.license_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.license_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        for row, texts in enumerate(dependency_licenses()):
            self.license_table.insertRow(row)
            for column, text in enumerate(texts):
                self.license_table.setItem(row, column, QTableWidgetItem(text))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(summary)
        layout.addLayout(facts)
        layout.addWidget(QLabel(self.tr("Components and their licences:"), self))
        layout.addWidget(self.license_table, 1)
        layout.addWidget(buttons)


class HelpAndSettingsMenus(QObject):
    """The Tools and Help menus of the main window, and what their actions open.

    It also gives the study browser's modality field the site's modalities as
    completions and placeholder.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings_dialog: SettingsDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.about_dialog: AboutDialog | None = None

        self.settings_action = self._action(
            self.tr("&Settings..."), QKeySequence("Ctrl+,"), self.show_settings
        )
        self.shortcuts_action = self._action(
            self.tr("&Keyboard shortcuts"),
            QKeySequence(QKeySequence.StandardKey.HelpContents),
            self.show_shortcuts,
        )
        self.about_action = self._action(
            self.tr("&About PACS Desktop"), QKeySequence(), self.show_about
        )
        tools_menu = window.menuBar().addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.settings_action)
        help_menu = window.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        self.help_menu = help_menu
        # Help stays the last menu when other parts add theirs later.
        self._menu_bar = window.menuBar()
        self._menu_bar.installEventFilter(self)
        self.apply_site_display()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only the event type is read first: while the window is destroyed,
        # its menu bar still sends events after the window's wrapper is gone.
        if event.type() != QEvent.Type.ActionAdded or watched is not self._menu_bar:
            return False
        help_action = self.help_menu.menuAction()
        if (
            isinstance(event, QActionEvent)
            and event.action() is not help_action
            and self._menu_bar.actions()[-1] is not help_action
        ):
            self._menu_bar.removeAction(help_action)
            self._menu_bar.addAction(help_action)
        return False

    def _action(
        self, text: str, shortcut: QKeySequence, handler: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: handler())
        self.window.addAction(action)
        return action

    def effective_settings(self) -> EffectiveSettings:
        """Open the data directory's settings under the site profile.

        Raises
        ------
        SiteProfileError
            If the site profile is missing where it was named, or invalid.
        """
        from pacs_desktop.core.site_profile import EffectiveSettings

        return EffectiveSettings.open(self.window.workstation.data_dir)

    def apply_site_display(self) -> None:
        """Offer the modalities this workstation reads in the browser's filter."""
        from pacs_desktop.core.errors import PacsDesktopError

        try:
            choices = self.effective_settings().modality_choices()
        except PacsDesktopError as exc:
            # The start-up already reported an invalid profile; keep the field.
            logger.warning("modality choices not applied: %s", exc)
            return
        edit = self.window.browser.filter_bar.modality_edit
        completer = QCompleter(choices, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        edit.setCompleter(completer)
        edit.setPlaceholderText(", ".join(choices[:3]))
        edit.setToolTip(
            self.tr("Modalities read here: {list}").format(list=", ".join(choices))
        )

    def show_settings(self) -> None:
        """Open the settings dialog (non-modal; one at a time)."""
        from pacs_desktop.core.errors import PacsDesktopError
        from pacs_desktop.core.net.nodes import NodeAudit, NodeStore
        from pacs_desktop.core.security.roles import Permission
        from pacs_desktop.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            return
        session = self.window.session
        try:
            effective = self.effective_settings()
            workstation = self.window.workstation
            # Node changes made in the dialog are audited under this user.
            nodes = NodeStore(
                workstation.database,
                audit=NodeAudit(workstation.audit, session.user.name),
            )
        except PacsDesktopError as exc:
            QMessageBox.critical(
                self.window,
                self.tr("Settings unavailable"),
                self.tr("The settings cannot be opened: {reason}").format(
                    reason=str(exc)
                ),
            )
            return
        dialog = SettingsDialog(
            effective,
            nodes,
            may_manage=session.may(Permission.MANAGE_SETTINGS),
            may_manage_nodes=session.may(Permission.MANAGE_NODES),
            parent=self.window,
        )
        dialog.sig_applied.connect(self._on_settings_applied)
        dialog.finished.connect(self._on_settings_closed)
        self.settings_dialog = dialog
        dialog.open()

    def _on_settings_applied(self, keys: list[str]) -> None:
        if keys:
            self._record_settings_change(keys)
        if "display.modalities" in keys:
            self.apply_site_display()
        viewer = getattr(self.window, "viewer", None)
        if viewer is not None and {"display.presets", "display.modalities"} & set(keys):
            from pacs_desktop.ui.preferences import window_presets

            viewer.set_presets(window_presets(self.window.workstation.data_dir))

    def _record_settings_change(self, keys: list[str]) -> None:
        from pacs_desktop.core.errors import PacsDesktopError
        from pacs_desktop.core.security.audit import SETTINGS_CHANGED

        try:
            self.window.workstation.audit.record(
                SETTINGS_CHANGED,
                user=self.window.session.user.name,
                detail="settings changed: " + ", ".join(sorted(keys)),
            )
        except PacsDesktopError as exc:
            logger.error("audit record of a settings change failed: %s", exc)

    def _on_settings_closed(self, _result: int) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
            self.settings_dialog = None

    def show_shortcuts(self) -> None:
        """Show the keyboard shortcuts of the main window and the viewer."""
        # Built anew each time, so actions added or rebound since are listed.
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.close()
            self.shortcuts_dialog.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(
            window_actions(self.window), self._dictation_keys(), self.window
        )
        self.shortcuts_dialog.show()
        self.shortcuts_dialog.raise_()

    def _dictation_keys(self) -> list[tuple[str, Sequence[tuple[str, str]]]]:
        from pacs_desktop.core.errors import PacsDesktopError

        try:
            effective = self.effective_settings()
            rows = [
                (native_keys(effective.get_str(key)), text)
                for key, text in (
                    ("dictation.shortcut_record", self.tr("Record / pause")),
                    ("dictation.shortcut_play", self.tr("Play / pause")),
                    ("dictation.shortcut_stop", self.tr("Stop")),
                    ("dictation.shortcut_rewind", self.tr("Rewind")),
                    ("dictation.shortcut_forward", self.tr("Fast forward")),
                )
            ]
        except PacsDesktopError as exc:
            logger.warning("dictation keys not listed: %s", exc)
            return []
        return [(self.tr("Dictation"), rows)]

    def show_about(self) -> None:
        """Show the version, licences and folders."""
        if self.about_dialog is None:
            workstation = self.window.workstation
            self.about_dialog = AboutDialog(
                workstation.data_dir, workstation.log_dir, self.window
            )
        self.about_dialog.show()
        self.about_dialog.raise_()

    def close_dialogs(self) -> None:
        """Close every dialog these menus opened (at logout)."""
        for dialog in (self.settings_dialog, self.shortcuts_dialog, self.about_dialog):
            if dialog is not None:
                dialog.close()
