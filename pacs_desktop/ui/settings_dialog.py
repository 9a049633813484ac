"""The settings dialog: one page per topic, over the effective settings.

Each field edits one setting key. A value the site profile locks is shown
disabled with the profile named in its tooltip. The settings belong to the
workstation's data directory, not to one user. The policy pages (storage SCP,
local archive, security) need the manage-settings permission, and the PACS node
page needs manage-nodes. Any user may change display, dictation and language.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.archive.location import LOCATION_KEY, check_location_change
from pacs_desktop.core.dicom.presets import CT_PRESETS
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.settings import (
    ARCHIVE_EVICTION_ORDERS,
    DISPLAY_LAYOUTS,
    SettingValue,
)
from pacs_desktop.ui.network.node_page import NodePage, node_changes
from pacs_desktop.ui.preferences import LANGUAGE_NAMES

if TYPE_CHECKING:
    from pacs_desktop.core.net.nodes import NodeStore
    from pacs_desktop.core.site_profile import EffectiveSettings

logger = logging.getLogger(__name__)

PRESET_COLUMNS = 4
SEND_NODE_KEY = "dictation.send_node"


@dataclass
class _Binding:
    """One field of the dialog and the setting key it edits."""

    key: str
    widget: QWidget
    read: Callable[[], SettingValue]
    write: Callable[[SettingValue], None]
    initial: SettingValue = ""


class SettingsDialog(QDialog):
    """Edit the workstation settings, page by page.

    ``nodes`` is the PACS node store; without it the node page is read-only
    and empty. Changes to PACS nodes are stored at once; the other fields are
    stored by OK or Apply.
    """

    #: sig_applied(list): the setting keys whose values were stored.
    sig_applied = Signal(list)

    def __init__(
        self,
        effective: EffectiveSettings,
        nodes: NodeStore | None = None,
        *,
        may_manage: bool = False,
        may_manage_nodes: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.effective = effective
        self.node_store = nodes
        self.may_manage = may_manage
        self.may_manage_nodes = may_manage_nodes and nodes is not None
        self.bindings: dict[str, _Binding] = {}
        self._admin_keys: set[str] = set()
        self.setWindowTitle(self.tr("Settings"))
        self.resize(760, 520)

        self.page_list = QListWidget(self)
        self.page_list.setObjectName("pages")
        self.pages = QStackedWidget(self)
        self._add_page(self.tr("PACS nodes"), self._nodes_page())
        self._add_page(self.tr("Storage SCP"), self._scp_page())
        self._add_page(self.tr("Local archive"), self._archive_page())
        self._add_page(self.tr("Display"), self._display_page())
        self._add_page(self.tr("Dictation"), self._dictation_page())
        self._add_page(self.tr("Security"), self._security_page())
        self._add_page(self.tr("Language"), self._language_page())
        self.page_list.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.page_list.setCurrentRow(0)
        self.page_list.setMaximumWidth(180)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        apply_button.clicked.connect(self.apply)

        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.buttons)
        self._load()

    # Pages

    def _add_page(self, title: str, page: QWidget) -> None:
        self.page_list.addItem(title)
        self.pages.addWidget(page)

    def _nodes_page(self) -> QWidget:
        self.node_page = NodePage(
            self.node_store,
            self.effective,
            locked_names=self.effective.profile.locked_node_names(),
            may_manage=self.may_manage_nodes,
            parent=self,
        )
        return self.node_page

    def _scp_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("page_scp")
        form = QFormLayout(page)
        form.addRow(self.tr("AE title:"), self._line("network.ae_title", admin=True))
        form.addRow(
            self.tr("Port:"),
            self._spin("network.scp_port", 1, 65535, "", admin=True),
        )
        allowed = self._list_line("network.scp_allowed_aets", admin=True)
        allowed.setPlaceholderText(self.tr("CT1, MR_2 ..."))
        form.addRow(self.tr("Also accept images from:"), allowed)
        return page

    def _archive_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("page_archive")
        location = self._line("archive.location", admin=True)
        location.setPlaceholderText(self.tr("The data directory"))
        browse = QPushButton(self.tr("&Browse..."), page)
        browse.setEnabled(location.isEnabled())
        browse.clicked.connect(lambda: self._on_browse(location))
        row = QHBoxLayout()
        row.addWidget(location, 1)
        row.addWidget(browse)
        size = self._spin(
            "archive.size_limit_gb", 0, 1_000_000, self.tr(" GB"), admin=True
        )
        size.setSpecialValueText(self.tr("No limit"))
        eviction_labels = {
            "oldest-study": self.tr("Oldest study date first"),
            "least-recently-opened": self.tr("Least recently opened first"),
            "largest-study": self.tr("Largest study first"),
        }
        eviction = self._combo(
            "archive.eviction",
            [(order, eviction_labels[order]) for order in ARCHIVE_EVICTION_ORDERS],
            admin=True,
        )
        form = QFormLayout(page)
        form.addRow(self.tr("Location:"), row)
        form.addRow(self.tr("Size limit:"), size)
        form.addRow(self.tr("When full, remove:"), eviction)
        return page

    def _display_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("page_display")
        modalities = self._list_line("display.modalities")
        modalities.setPlaceholderText(self.tr("All modalities"))
        layout_labels = {
            "1x1": self.tr("One image"),
            "1x2": self.tr("Two side by side"),
            "2x1": self.tr("Two stacked"),
            "2x2": self.tr("Four (2 x 2)"),
        }
        default_layout = self._combo(
            "display.default_layout",
            [(name, layout_labels[name]) for name in DISPLAY_LAYOUTS],
        )
        theme = self._combo(
            "ui.theme",
            [("dark", self.tr("Dark (reading room)")), ("light", self.tr("Light"))],
        )
        form = QFormLayout()
        form.addRow(self.tr("Modalities read here:"), modalities)
        form.addRow(self.tr("Default layout:"), default_layout)
        form.addRow(self.tr("Theme:"), theme)

        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Window presets per modality:"), page))
        layout.addWidget(self._presets_editor(page), 1)
        return page

    def _presets_editor(self, page: QWidget) -> QWidget:
        box = QWidget(page)
        table = QTableWidget(0, PRESET_COLUMNS, box)
        table.setObjectName("preset_table")
        table.setHorizontalHeaderLabels(
            [self.tr("Modality"), self.tr("Name"), self.tr("Centre"), self.tr("Width")]
        )
        self.preset_table = table
        add = QPushButton(self.tr("Add &preset"), box)
        add.setObjectName("add_preset")
        add.clicked.connect(lambda: self._append_preset_row("", "", "", ""))
        remove = QPushButton(self.tr("Remove preset"), box)
        remove.setObjectName("remove_preset")
        remove.clicked.connect(self._on_remove_preset)
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table, 1)
        layout.addLayout(buttons)
        self._bind("display.presets", box, self._read_presets, self._write_presets)
        return box

    def _dictation_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("page_dictation")
        device = QComboBox(page)
        device.setObjectName("dictation.device")
        device.setEditable(True)
        device.addItem(self.tr("System default"), "")
        for name in _input_device_names():
            device.addItem(name, name)

        def read_device() -> str:
            index = device.currentIndex()
            if index >= 0 and device.itemText(index) == device.currentText():
                return str(device.itemData(index))
            return device.currentText().strip()

        def write_device(value: SettingValue) -> None:
            index = device.findData(str(value))
            if index >= 0:
                device.setCurrentIndex(index)
            else:
                device.setEditText(str(value))

        self._bind("dictation.device", device, read_device, write_device)
        form = QFormLayout(page)
        form.addRow(self.tr("Microphone:"), device)
        form.addRow(self.tr("Record / pause:"), self._keys("dictation.shortcut_record"))
        form.addRow(self.tr("Play / pause:"), self._keys("dictation.shortcut_play"))
        form.addRow(self.tr("Stop:"), self._keys("dictation.shortcut_stop"))
        form.addRow(self.tr("Rewind:"), self._keys("dictation.shortcut_rewind"))
        form.addRow(self.tr("Fast forward:"), self._keys("dictation.shortcut_forward"))
        form.addRow(
            self.tr("Maximum length:"),
            self._spin("dictation.max_seconds", 10, 14_400, self.tr(" s")),
        )
        form.addRow(
            self.tr("Send dictations and reports to PACS node:"),
            self._send_node_combo(SEND_NODE_KEY),
        )
        return page

    def _send_node_combo(self, key: str) -> QComboBox:
        """Build the choice of PACS node, listing only the nodes that exist."""
        combo = QComboBox(self)
        combo.setObjectName(key)
        self.send_node_combo = combo
        self._bind(
            key,
            combo,
            lambda: str(combo.currentData() or ""),
            lambda value: self._fill_send_nodes(str(value)),
            admin=True,
        )
        # The node page emits this for its own changes and other windows' pages
        # for theirs, so the list follows every add, rename and remove.
        node_changes().sig_nodes_changed.connect(self._on_nodes_changed)
        return combo

    def _fill_send_nodes(self, selected: str) -> None:
        combo = self.send_node_combo
        combo.clear()
        combo.addItem(self.tr("(none: keep in the local archive)"), "")
        names = self._node_names()
        for name in names:
            combo.addItem(name, name)
        if selected and self._node_missing(selected, names):
            combo.addItem(
                self.tr("{name} (no such PACS node)").format(name=selected), selected
            )
        combo.setCurrentIndex(max(combo.findData(selected), 0))

    def _on_nodes_changed(self) -> None:
        binding = self.bindings[SEND_NODE_KEY]
        self._fill_send_nodes(str(binding.read()))

    def _node_names(self) -> list[str]:
        if self.node_store is None:
            return []
        try:
            return [node.name for node in self.node_store.list()]
        except PacsDesktopError as exc:
            logger.error("PACS nodes not listed: %s", exc)
            return []

    def _node_missing(self, name: str, names: list[str]) -> bool:
        # Without a node store there is nothing to check the name against.
        return self.node_store is not None and name not in names

    def _check_send_node(self) -> bool:
        """Reject a send node that does not exist; True if the choice is valid."""
        binding = self.bindings[SEND_NODE_KEY]
        name = str(binding.read())
        if not binding.widget.isEnabled() or not name:
            return True
        if not self._node_missing(name, self._node_names()):
            return True
        self._show_page_of(binding.widget)
        binding.widget.setFocus()
        QMessageBox.warning(
            self,
            self.tr("Invalid setting"),
            self.tr(
                "Dictations and reports are set to be sent to the PACS node "
                "{name}, which does not exist.\n\nChoose a configured node, "
                "add {name} on the PACS nodes page, or choose to keep them in "
                "the local archive."
            ).format(name=name),
        )
        return False

    def _security_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("page_security")
        minutes = self.tr(" min")
        form = QFormLayout(page)
        form.addRow(
            self.tr("Lock the screen after:"),
            self._spin("security.idle_lock_minutes", 1, 240, minutes, admin=True),
        )
        form.addRow(
            self.tr("Failed logins before lockout:"),
            self._spin("security.lockout_attempts", 1, 100, "", admin=True),
        )
        lockout = self._spin("security.lockout_minutes", 0, 10_080, minutes, admin=True)
        lockout.setSpecialValueText(self.tr("Until an administrator unlocks"))
        form.addRow(self.tr("Lockout duration:"), lockout)
        form.addRow(
            self.tr("Minimum password length:"),
            self._spin(
                "security.min_password_length",
                8,
                128,
                self.tr(" characters"),
                admin=True,
            ),
        )
        return page

    def _language_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("page_language")
        choices = [("", self.tr("System language"))]
        choices += [(code, name) for code, name in LANGUAGE_NAMES.items()]
        combo = self._combo("ui.language", choices)
        note = QLabel(self.tr("A new language applies when PACS Desktop starts next."))
        note.setWordWrap(True)
        form = QFormLayout(page)
        form.addRow(self.tr("Language:"), combo)
        form.addRow(note)
        return page

    # Field factories: each binds a widget to one setting key

    def _bind(
        self,
        key: str,
        widget: QWidget,
        read: Callable[[], SettingValue],
        write: Callable[[SettingValue], None],
        *,
        admin: bool = False,
    ) -> None:
        self.bindings[key] = _Binding(key, widget, read, write)
        if admin:
            self._admin_keys.add(key)
        widget.setEnabled(self._editable(key))
        if self.effective.is_locked(key):
            where = self.effective.profile.name or str(self.effective.profile.path)
            widget.setToolTip(
                self.tr("Set by the site profile {name}").format(name=where)
            )

    def _editable(self, key: str) -> bool:
        if self.effective.is_locked(key):
            return False
        return self.may_manage or key not in self._admin_keys

    def _line(self, key: str, *, admin: bool = False) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(key)
        self._bind(
            key,
            edit,
            lambda: edit.text().strip(),
            lambda v: edit.setText(str(v)),
            admin=admin,
        )
        return edit

    def _list_line(self, key: str, *, admin: bool = False) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(key)

        def read() -> list[str]:
            return [part.strip() for part in edit.text().split(",") if part.strip()]

        def write(value: SettingValue) -> None:
            edit.setText(", ".join(value) if isinstance(value, list) else str(value))

        self._bind(key, edit, read, write, admin=admin)
        return edit

    def _spin(
        self, key: str, minimum: int, maximum: int, suffix: str, *, admin: bool = False
    ) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(key)
        spin.setRange(minimum, maximum)
        spin.setSuffix(suffix)
        self._bind(
            key, spin, spin.value, lambda v: spin.setValue(int(str(v))), admin=admin
        )
        return spin

    def _combo(
        self, key: str, choices: Sequence[tuple[str, str]], *, admin: bool = False
    ) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(key)
        for value, label in choices:
            combo.addItem(label, value)

        def write(value: SettingValue) -> None:
            index = combo.findData(str(value))
            combo.setCurrentIndex(max(index, 0))

        self._bind(key, combo, lambda: str(combo.currentData()), write, admin=admin)
        return combo

    def _keys(self, key: str) -> QKeySequenceEdit:
        edit = QKeySequenceEdit(self)
        edit.setObjectName(key)

        def read() -> str:
            return edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)

        def write(value: SettingValue) -> None:
            edit.setKeySequence(
                QKeySequence.fromString(
                    str(value), QKeySequence.SequenceFormat.PortableText
                )
            )

        self._bind(key, edit, read, write)
        return edit

    # Presets

    def _append_preset_row(
        self, modality: str, name: str, center: str, width: str
    ) -> None:
        row = self.preset_table.rowCount()
        self.preset_table.insertRow(row)
        for column, text in enumerate((modality, name, center, width)):
            self.preset_table.setItem(row, column, QTableWidgetItem(text))

    def _on_remove_preset(self) -> None:
        rows = sorted(
            {index.row() for index in self.preset_table.selectedIndexes()},
            reverse=True,
        )
        for row in rows:
            self.preset_table.removeRow(row)

    def _read_presets(self) -> list[str]:
        entries = []
        for row in range(self.preset_table.rowCount()):
            cells = []
            for column in range(PRESET_COLUMNS):
                item = self.preset_table.item(row, column)
                cells.append(item.text().strip() if item is not None else "")
            if any(cells):
                entries.append(":".join(cells))
        return entries

    def _write_presets(self, value: SettingValue) -> None:
        self.preset_table.setRowCount(0)
        entries = value if isinstance(value, list) else []
        if not entries:
            # No configured presets means the built-in CT presets: show them,
            # so that editing starts from what the viewer uses.
            entries = [
                f"CT:{preset.name}:{preset.window.center:g}:{preset.window.width:g}"
                for preset in CT_PRESETS
            ]
        for entry in entries:
            parts = entry.split(":")
            if len(parts) == PRESET_COLUMNS:
                self._append_preset_row(*parts)

    # Loading and storing

    def _load(self) -> None:
        for binding in self.bindings.values():
            binding.write(self.effective.get(binding.key))
            binding.initial = binding.read()

    def changed_keys(self) -> list[str]:
        """Return the keys whose fields differ from the values loaded."""
        return [
            binding.key
            for binding in self.bindings.values()
            if binding.widget.isEnabled() and binding.read() != binding.initial
        ]

    def apply(self) -> bool:
        """Store every changed field; False, with a message, if one is invalid."""
        if not self._check_send_node():
            return False
        stored: list[str] = []
        for key in self.changed_keys():
            binding = self.bindings[key]
            try:
                if key == LOCATION_KEY:
                    # A non-empty archive moves only with `archive move`.
                    data_dir = self.effective.settings.path.parent
                    check_location_change(data_dir, str(binding.read()))
                self.effective.set(key, binding.read())
            except PacsDesktopError as exc:
                self._show_page_of(binding.widget)
                binding.widget.setFocus()
                QMessageBox.warning(
                    self,
                    self.tr("Invalid setting"),
                    self.tr("{reason}\n\nCorrect the value and try again.").format(
                        reason=str(exc)
                    ),
                )
                self._applied(stored)
                return False
            binding.write(self.effective.get(key))
            binding.initial = binding.read()
            stored.append(key)
        self._applied(stored)
        return True

    def _applied(self, keys: list[str]) -> None:
        if not keys:
            return
        if "ui.theme" in keys:
            from pacs_desktop.ui.resources import apply_theme

            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, self.effective.get_str("ui.theme"))
        logger.info("%d settings changed in the settings dialog", len(keys))
        self.sig_applied.emit(keys)
        settings_notifier().sig_applied.emit(keys)

    def _on_ok(self) -> None:
        if self.apply():
            self.accept()

    def _show_page_of(self, widget: QWidget) -> None:
        for index in range(self.pages.count()):
            page = self.pages.widget(index)
            if page is not None and page.isAncestorOf(widget):
                self.page_list.setCurrentRow(index)
                return

    def _on_browse(self, edit: QLineEdit) -> None:
        dialog = QFileDialog(self, self.tr("Local archive folder"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if dialog.exec() == QFileDialog.DialogCode.Accepted:
            edit.setText(dialog.selectedFiles()[0])


class SettingsNotifier(QObject):
    """Announces the keys that any settings dialog stored.

    Parts of the running session that apply a setting at once (the idle
    lock) listen here, so they need no reference to the dialog.
    """

    #: sig_applied(list): the setting keys whose values were stored.
    sig_applied = Signal(list)


@functools.cache
def settings_notifier() -> SettingsNotifier:
    """Return the application's one `SettingsNotifier`; create it on first use."""
    return SettingsNotifier()


def _input_device_names() -> list[str]:
    """Return the names of the microphones PortAudio lists; none if it cannot."""
    from pacs_desktop.core.dictation.recorder import input_devices

    try:
        return [device.name for device in input_devices()]
    except PacsDesktopError as exc:
        logger.warning("microphones not listed: %s", exc)
        return []
