"""A "Test connection" button: C-ECHO to a node in a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.association import LocalEntity, SettingsReader
from pacs_desktop.core.net.echo import echo
from pacs_desktop.ui.status_text import mark_status
from pacs_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from pacs_desktop.core.net.nodes import Node


class ConnectionTestButton(QPushButton):
    """Send a C-ECHO to the node that ``node_to_test`` returns; show the outcome.

    The outcome goes to `result_label` in plain words: the round trip, or the
    reason (association rejected with its reason, connection refused, timed
    out, TLS failure).
    """

    #: sig_tested(bool, str): success and the message shown.
    sig_tested = Signal(bool, str)

    def __init__(
        self,
        node_to_test: Callable[[], Node | None],
        settings: SettingsReader,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("&Test connection"), parent)
        self.setObjectName("test_connection")
        self.node_to_test = node_to_test
        self.settings = settings
        self.result_label = QLabel(parent)
        self.result_label.setObjectName("test_connection_result")
        self.result_label.setWordWrap(True)
        self.runner = TaskRunner(max_threads=1, parent=self)
        self.clicked.connect(self.test)

    def test(self) -> None:
        """Start the C-ECHO, or show that no node is selected."""
        try:
            node = self.node_to_test()
            local = LocalEntity.from_settings(self.settings)
        except PacsDesktopError as exc:
            self._show(False, str(exc))
            return
        if node is None:
            self._show(False, self.tr("Select a node to test."))
            return
        self.setEnabled(False)
        self.result_label.setText(self.tr("Testing {node}...").format(node=node.label))

        def job(*_args: object) -> object:
            return echo(node, local)

        self.runner.start(job, on_finished=self._on_success, on_failed=self._on_failure)

    def _on_success(self, seconds: float) -> None:
        self._show(
            True,
            self.tr("Connection works: C-ECHO answered in {ms:.0f} ms.").format(
                ms=seconds * 1000
            ),
        )

    def _on_failure(self, error: Exception) -> None:
        reason = error.reason if hasattr(error, "reason") else str(error)
        self._show(False, self.tr("Connection failed: {reason}").format(reason=reason))

    def _show(self, ok: bool, message: str) -> None:
        self.setEnabled(True)
        mark_status(self.result_label, "ok" if ok else "error")
        self.result_label.setText(message)
        self.sig_tested.emit(ok, message)

    def shutdown(self) -> None:
        """Wait for a running C-ECHO; it ends within the association timeouts."""
        self.runner.shutdown()
