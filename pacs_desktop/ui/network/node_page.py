"""The PACS node page for the settings dialog: list, add, edit, remove, test.

Node changes are stored at once. Each change is announced on the
application's `NodeChanges` object, so that the main window can start its
storage SCP for the first node without a reference to the dialog.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.errors import NodeError
from pacs_desktop.core.net.nodes import RETRIEVE_METHODS, Node
from pacs_desktop.ui.network.connection_test import ConnectionTestButton

if TYPE_CHECKING:
    from pacs_desktop.core.net.association import SettingsReader
    from pacs_desktop.core.net.nodes import NodeStore

# The DICOM default port, shown in an empty form.
DEFAULT_PORT = 104
LOCKED_ROLE = Qt.ItemDataRole.UserRole


class NodeChanges(QObject):
    """Announces that a node page added, changed or removed a PACS node."""

    #: sig_nodes_changed(): the stored PACS nodes changed.
    sig_nodes_changed = Signal()


@functools.cache
def node_changes() -> NodeChanges:
    """Return the application's one `NodeChanges`; create it on first use."""
    return NodeChanges()


class NodePage(QWidget):
    """Edit the PACS nodes of ``nodes``; read-only unless ``may_manage``.

    Selecting a node fills the form; Update node stores the form over the
    selected node and keeps its TLS files and key passphrase, which only the
    command line sets. Nodes named in ``locked_names`` (set by the site
    profile) can be tested but not changed or removed.
    """

    #: sig_nodes_changed(): a node was added, updated or removed here.
    sig_nodes_changed = Signal()

    def __init__(
        self,
        nodes: NodeStore | None,
        settings: SettingsReader,
        *,
        locked_names: set[str] | frozenset[str] = frozenset(),
        may_manage: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_nodes")
        self.node_store = nodes
        self.locked_names = set(locked_names)
        self.may_manage = may_manage and nodes is not None
        self._build_table()
        self._build_form()
        self._build_layout(settings)
        self.fill()

    # Building

    def _build_table(self) -> None:
        self.node_table = QTableWidget(0, 5, self)
        self.node_table.setObjectName("node_table")
        self.node_table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("AE title"),
                self.tr("Host"),
                self.tr("Port"),
                self.tr("Retrieve with"),
            ]
        )
        self.node_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.node_table.setSelectionBehavior(
            QAbstractItemView.SelectionBehavior.SelectRows
        )
        self.node_table.setSelectionMode(
            QAbstractItemView.SelectionMode.SingleSelection
        )
        self.node_table.itemSelectionChanged.connect(self._on_selection)

    def _build_form(self) -> None:
        self.node_name_edit = QLineEdit(self)
        self.node_name_edit.setObjectName("node_name")
        self.node_ae_edit = QLineEdit(self)
        self.node_ae_edit.setObjectName("node_ae_title")
        self.node_host_edit = QLineEdit(self)
        self.node_host_edit.setObjectName("node_host")
        self.node_port_spin = QSpinBox(self)
        self.node_port_spin.setObjectName("node_port")
        self.node_port_spin.setRange(1, 65535)
        self.node_port_spin.setValue(DEFAULT_PORT)
        self.node_retrieve_combo = QComboBox(self)
        self.node_retrieve_combo.setObjectName("node_retrieve")
        for method in RETRIEVE_METHODS:
            self.node_retrieve_combo.addItem(self.retrieve_label(method), method)
        self.add_node_button = QPushButton(self.tr("&Add node"), self)
        self.add_node_button.setObjectName("add_node")
        self.add_node_button.clicked.connect(self._on_add)
        self.update_node_button = QPushButton(self.tr("&Update node"), self)
        self.update_node_button.setObjectName("update_node")
        self.update_node_button.setToolTip(
            self.tr("Store the form over the selected node")
        )
        self.update_node_button.clicked.connect(self._on_update)
        self.remove_node_button = QPushButton(self.tr("&Remove node"), self)
        self.remove_node_button.setObjectName("remove_node")
        self.remove_node_button.clicked.connect(self._on_remove)

    def _build_layout(self, settings: SettingsReader) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.node_name_edit)
        form.addRow(self.tr("AE title:"), self.node_ae_edit)
        form.addRow(self.tr("Host:"), self.node_host_edit)
        form.addRow(self.tr("Port:"), self.node_port_spin)
        form.addRow(self.tr("Retrieve with:"), self.node_retrieve_combo)
        self.test_node_button = ConnectionTestButton(self.selected_node, settings, self)
        buttons = QHBoxLayout()
        for button in (
            self.add_node_button,
            self.update_node_button,
            self.remove_node_button,
            self.test_node_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        note = QLabel(
            self.tr(
                "TLS certificates and key passphrases are set with the command "
                "pacs-desktop node add; Update node keeps them. Node changes are "
                "stored at once."
            ),
            self,
        )
        note.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.node_table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.test_node_button.result_label)
        layout.addWidget(note)
        for widget in (
            self.node_name_edit,
            self.node_ae_edit,
            self.node_host_edit,
            self.node_port_spin,
            self.node_retrieve_combo,
            self.add_node_button,
        ):
            widget.setEnabled(self.may_manage)

    def retrieve_label(self, method: str) -> str:
        """Return the label of a retrieve method, the same in table and form."""
        labels = {
            "auto": self.tr("C-GET, else C-MOVE"),
            "get": self.tr("C-GET"),
            "move": self.tr("C-MOVE"),
        }
        return labels.get(method, method)

    # The node list

    def fill(self) -> None:
        """Show the stored nodes, keeping the selected one selected."""
        selected = self.selected_name()
        self.node_table.blockSignals(True)
        self.node_table.setRowCount(0)
        nodes = self.node_store.list() if self.node_store is not None else []
        for node in nodes:
            self._append_row(node)
        self.node_table.blockSignals(False)
        if selected is not None:
            self.select(selected)
        self._update_buttons()

    def _append_row(self, node: Node) -> None:
        row = self.node_table.rowCount()
        self.node_table.insertRow(row)
        locked = node.name in self.locked_names
        texts = (
            node.name,
            node.ae_title,
            node.host,
            str(node.port),
            self.retrieve_label(node.retrieve),
        )
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setData(LOCKED_ROLE, locked)
            if locked:
                item.setToolTip(self.tr("Set by the site profile"))
            self.node_table.setItem(row, column, item)

    def select(self, name: str) -> None:
        """Select the row of the node called ``name``, if it is listed."""
        for row in range(self.node_table.rowCount()):
            item = self.node_table.item(row, 0)
            if item is not None and item.text() == name:
                self.node_table.selectRow(row)
                return

    def selected_name(self) -> str | None:
        """Return the name of the selected node, or None."""
        row = self.node_table.currentRow()
        item = self.node_table.item(row, 0) if row >= 0 else None
        if item is None or not item.isSelected():
            return None
        return item.text()

    def selected_node(self) -> Node | None:
        """Return the selected node as stored, or None."""
        name = self.selected_name()
        if self.node_store is None or name is None:
            return None
        return self.node_store.get(name)

    def _selected_locked(self) -> bool:
        row = self.node_table.currentRow()
        item = self.node_table.item(row, 0) if row >= 0 else None
        return item is not None and bool(item.data(LOCKED_ROLE))

    def _on_selection(self) -> None:
        try:
            node = self.selected_node()
        except PacsDesktopError as exc:
            QMessageBox.warning(self, self.tr("Node not read"), str(exc))
            node = None
        if node is not None:
            self._show_in_form(node)
        self._update_buttons()

    def _show_in_form(self, node: Node) -> None:
        self.node_name_edit.setText(node.name)
        self.node_ae_edit.setText(node.ae_title)
        self.node_host_edit.setText(node.host)
        self.node_port_spin.setValue(node.port)
        index = self.node_retrieve_combo.findData(node.retrieve)
        self.node_retrieve_combo.setCurrentIndex(max(index, 0))

    def _clear_form(self) -> None:
        for edit in (self.node_name_edit, self.node_ae_edit, self.node_host_edit):
            edit.clear()
        self.node_port_spin.setValue(DEFAULT_PORT)
        self.node_retrieve_combo.setCurrentIndex(0)

    def _update_buttons(self) -> None:
        changeable = (
            self.may_manage
            and self.selected_name() is not None
            and not self._selected_locked()
        )
        self.update_node_button.setEnabled(changeable)
        self.remove_node_button.setEnabled(changeable)

    # Changes

    def _form_node(self, base: Node | None = None) -> Node:
        """Build a node from the form over ``base``, whose TLS fields stay.

        Raises
        ------
        NodeError
            With every invalid field in ``problems``.
        """
        name = self.node_name_edit.text().strip()
        ae_title = self.node_ae_edit.text().strip()
        host = self.node_host_edit.text().strip()
        port = self.node_port_spin.value()
        retrieve = str(self.node_retrieve_combo.currentData())
        if base is None:
            return Node(name, ae_title, host, port, retrieve=retrieve)
        return dataclasses.replace(
            base, name=name, ae_title=ae_title, host=host, port=port, retrieve=retrieve
        )

    def _on_add(self) -> None:
        if self.node_store is None or not self.may_manage:
            return
        try:
            node = self._form_node()
            self.node_store.add(node)
        except PacsDesktopError as exc:
            self._warn(self.tr("Node not added"), exc)
            return
        self._changed(select=node.name)

    def _on_update(self) -> None:
        name = self.selected_name()
        if self.node_store is None or not self.may_manage or name is None:
            return
        if self._selected_locked():
            return
        try:
            node = self._form_node(self.node_store.get(name))
            self.node_store.update(name, node)
        except PacsDesktopError as exc:
            self._warn(self.tr("Node not updated"), exc)
            return
        self._changed(select=node.name)

    def _on_remove(self) -> None:
        name = self.selected_name()
        if self.node_store is None or not self.may_manage or name is None:
            return
        if self._selected_locked():
            return
        try:
            self.node_store.remove(name)
        except PacsDesktopError as exc:
            self._warn(self.tr("Node not removed"), exc)
            return
        self._clear_form()
        self._changed()

    def _changed(self, *, select: str | None = None) -> None:
        self.fill()
        if select is not None:
            self.select(select)
        self.sig_nodes_changed.emit()
        node_changes().sig_nodes_changed.emit()

    def _warn(self, title: str, error: PacsDesktopError) -> None:
        problems = error.problems if isinstance(error, NodeError) else ()
        if len(problems) > 1:
            text = self.tr("Correct these fields and try again:") + "\n"
            text += "\n".join(f"\N{BULLET} {problem}" for problem in problems)
        else:
            text = str(error)
        QMessageBox.warning(self, title, text)
