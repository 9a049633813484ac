"""Help dialogs: the keyboard shortcuts and About PACS Desktop.

The shortcut list is built from the live QActions of the main window and the
viewer's own key table, so it shows exactly the keys the program reacts to.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop import __version__

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
    action's text without its mnemonic ampersand and trailing dots.
    """
    rows = []
    for action in actions:
        shortcut = action.shortcut()
        if shortcut.isEmpty():
            continue
        keys = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        rows.append((keys, text.removesuffix("...").strip()))
    return rows


def viewer_shortcuts() -> list[tuple[str, str]]:
    """Return the viewer's keys and mouse controls in the user's language."""
    from pacs_desktop.ui.viewer.shortcuts import shortcut_help

    return shortcut_help()


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
        license_text = info["License-Expression"] or info["License"] or ""
        if not license_text or len(license_text) > 80:
            classifiers = [
                value.rsplit("::", 1)[-1].strip()
                for value in info.get_all("Classifier") or []
                if value.startswith("License ::")
            ]
            license_text = ", ".join(classifiers) or license_text[:80]
        found.append((name, info["Version"] or "", license_text))
    return found


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
