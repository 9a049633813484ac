"""Networking in the main window: source selector, send menu, sync panel, SCP.

`NetworkUi` adds a source row above the study browser (the local archive or
a configured PACS node). With a node chosen, the browser's local list is
hidden and a `RemoteBrowser` takes its place. The storage SCP restarts when an
administrator applies new SCP settings.

A `NetworkService` handed in by the caller outlives the window, which only
detaches from it at logout, so the sync queue and the storage SCP go on for
the next user. Without one, the window builds its own service, which
starts and stops with the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.association import SettingsReader
from pacs_desktop.core.net.queue import RETRIEVE, JobState, SyncJob
from pacs_desktop.core.net.refetch import RefetchPlan, queue_refetch_of_instance
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.core.settings import Settings
from pacs_desktop.ui.browser.series_panel import SERIES_UID_ROLE
from pacs_desktop.ui.network.node_page import node_changes
from pacs_desktop.ui.network.remote_browser import RemoteBrowser
from pacs_desktop.ui.network.service import NetworkService
from pacs_desktop.ui.network.sync_panel import SyncPanel
from pacs_desktop.ui.security.controls import apply_role_gating
from pacs_desktop.ui.settings_dialog import settings_notifier

if TYPE_CHECKING:
    from pacs_desktop.core.workstation import Workstation
    from pacs_desktop.ui.main_window import MainWindow
    from pacs_desktop.ui.viewer import ViewerWidget
    from pacs_desktop.ui.viewer.loader import FrameLoader

logger = logging.getLogger(__name__)

# Settings that the storage SCP is built from; applying any of them restarts
# it. Timeouts and receive limits apply at the next restart.
SCP_SETTING_KEYS = frozenset(
    {"network.ae_title", "network.scp_port", "network.scp_allowed_aets"}
)

# Instances pushed to the storage SCP refresh the local list after this pause,
# once per burst instead of once per instance.
_RECEIVED_REFRESH_MS = 500


def open_settings(workstation: Workstation) -> SettingsReader:
    """Return the effective settings (site profile over the user's settings).

    An invalid site profile is logged and the user's settings are used.
    """
    from pacs_desktop.core.site_profile import EffectiveSettings

    try:
        return EffectiveSettings.open(workstation.data_dir)
    except PacsDesktopError as exc:
        logger.error("site profile not used for networking: %s", exc)
        return Settings(workstation.data_dir)


def attach_refetch(loader: FrameLoader, service: NetworkService) -> None:
    """Queue the re-fetch of each damaged stored file ``loader`` finds.

    The retrieve goes to the service's sync queue, from the configured node
    whose AE title sent the file, and the service's queue runner starts it.
    """
    archive = service.archive
    queue = service.queue
    node_store = service.node_store

    # Runs on the loader's worker threads, so it touches no Qt object.
    def refetch(sop_instance_uid: str) -> RefetchPlan | None:
        return queue_refetch_of_instance(
            archive, queue, node_store.list(), sop_instance_uid
        )

    def start_job(_plan: RefetchPlan) -> None:
        # The runner thread starts on its first wake. Once it runs, its poll
        # also finds new jobs, but a wake starts this one at once.
        service.refresh_jobs()
        service.runner.wake()

    loader.set_refetch(refetch)
    loader.sig_refetch_queued.connect(start_job)


class SourceComboBox(QComboBox):
    """The source list; it reloads the nodes each time it opens."""

    def __init__(self, owner: NetworkUi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owner = owner

    def showPopup(self) -> None:
        self.owner.reload_nodes()
        super().showPopup()


class NetworkUi(QObject):
    """The networking parts of one main window, and the service behind them."""

    def __init__(
        self,
        window: MainWindow,
        settings: SettingsReader | None = None,
        *,
        service: NetworkService | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.browser = window.browser
        session = window.session
        self.may_query = session.may(Permission.QUERY)
        self.may_send = session.may(Permission.SEND)
        # The sync panel names the patient of each job's study and lets the
        # user cancel any job, so only roles that retrieve or send see it.
        self.may_see_queue = self.may_query or self.may_send
        self.owns_service = service is None
        if service is None:
            service = NetworkService(
                window.workstation,
                settings or open_settings(window.workstation),
                self,
                user=window.user_name,
            )
        else:
            service.set_user(window.user_name)
        self.service = service
        self.remote = RemoteBrowser(
            self.service, may_retrieve=self.may_query, parent=self.browser
        )
        self.remote.hide()
        self.sync_panel = SyncPanel(self.service, window)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.sync_panel)
        self.sync_panel.hide()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(_RECEIVED_REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh_after_receive)
        self.scp_warning: QMessageBox | None = None

        self._build_source_row()
        self._build_menu()
        self.remote.sig_open_requested.connect(window.request_open)
        self._service_slots: list[tuple[SignalInstance, Callable[..., None]]] = [
            (self.service.sig_error, self._on_error),
            (self.service.sig_job_queued, self._on_job_queued),
            (self.service.sig_job_finished, self._on_job_finished),
            (self.service.sig_instance_received, self._on_instance_received),
            (self.service.sig_scp_state, self._on_scp_state),
        ]
        for signal, slot in self._service_slots:
            signal.connect(slot)
        settings_notifier().sig_applied.connect(self._on_settings_applied)
        node_changes().sig_nodes_changed.connect(self.nodes_changed)
        self._listening = True
        self.reload_nodes()

    def start(self) -> None:
        """Start the storage SCP if needed and resume unfinished jobs."""
        self.service.start()

    def shutdown(self) -> None:
        """Detach from the service, and stop it when this window built it.

        A shared service goes on running, and records what is queued from
        now on under the operating-system account until the next login.
        """
        self._refresh_timer.stop()
        if self._listening:
            settings_notifier().sig_applied.disconnect(self._on_settings_applied)
            node_changes().sig_nodes_changed.disconnect(self.nodes_changed)
            for signal, slot in self._service_slots:
                signal.disconnect(slot)
            self._listening = False
        self._close_scp_warning()
        if self.owns_service:
            self.service.shutdown()
        else:
            self.service.set_user(None)

    def attach_viewer(self, viewer: ViewerWidget) -> None:
        """Make ``viewer`` queue the re-fetch of each damaged stored file it finds.

        The status bar names the retrieve job and the node it comes from.
        """
        attach_refetch(viewer.loader, self.service)
        viewer.loader.sig_refetch_queued.connect(self._on_refetch_queued)

    # Source row

    def _build_source_row(self) -> None:
        row = QWidget(self.browser)
        self.source_combo = SourceComboBox(self, row)
        self.source_combo.setObjectName("study_source")
        label = QLabel(self.tr("S&ource:"), row)
        label.setBuddy(self.source_combo)
        self.send_button = QToolButton(row)
        self.send_button.setObjectName("send_to")
        self.send_button.setText(self.tr("Send &to"))
        self.send_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.send_menu = QMenu(self.send_button)
        self.send_button.setMenu(self.send_menu)
        self.send_button.setEnabled(self.may_send)
        self.send_button.setToolTip(
            self.tr("Send the selected study, or its selected series, to a PACS")
        )
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.source_combo)
        layout.addStretch(1)
        layout.addWidget(self.send_button)
        self.source_row = row

        # The browser's layout is filter bar, message, splitter; the source
        # row goes on top and the remote view below them, shown instead.
        browser_layout = self.browser.layout()
        assert isinstance(browser_layout, QVBoxLayout)
        browser_layout.insertWidget(0, row)
        browser_layout.addWidget(self.remote, 1)
        self.source_combo.currentIndexChanged.connect(self._on_source_changed)

    def reload_nodes(self) -> None:
        """Fill the source list and the send menu with the configured nodes."""
        current = self.source_combo.currentData()
        try:
            nodes = self.service.nodes()
        except PacsDesktopError as exc:
            logger.error("PACS nodes not listed: %s", exc)
            nodes = []
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        self.source_combo.addItem(self.tr("Local archive"), "")
        if self.may_query:
            for node in nodes:
                self.source_combo.addItem(
                    self.tr("PACS {name} ({ae_title})").format(
                        name=node.name, ae_title=node.ae_title
                    ),
                    node.name,
                )
        index = self.source_combo.findData(current)
        self.source_combo.setCurrentIndex(max(index, 0))
        self.source_combo.blockSignals(False)
        if index < 0 and current:
            self._on_source_changed(0)

        self.send_menu.clear()
        for node in nodes:
            action = QAction(f"{node.name} ({node.ae_title})", self.send_menu)
            action.setData(node.name)
            action.triggered.connect(
                lambda _checked=False, name=node.name: self.send_selected(name)
            )
            self.send_menu.addAction(action)
        self.send_button.setEnabled(self.may_send and bool(nodes))

    def set_source(self, node_name: str) -> None:
        """Show the local archive ('') or the PACS node called ``node_name``."""
        self.reload_nodes()
        index = self.source_combo.findData(node_name)
        if index >= 0:
            self.source_combo.setCurrentIndex(index)

    def _on_source_changed(self, _index: int) -> None:
        name = str(self.source_combo.currentData() or "")
        node = next((n for n in self.service.nodes() if n.name == name), None)
        remote = node is not None
        self.browser.filter_bar.setVisible(not remote)
        splitter = self.browser.table.parentWidget()
        if splitter is not None:
            splitter.setVisible(not remote)
        if remote:
            self.browser.message_label.hide()
        self.remote.setVisible(remote)
        self.remote.set_node(node)
        if remote:
            self._copy_filters()
            self.remote.filter_bar.name_edit.setFocus()
        else:
            self.browser.refresh()
            self.browser.table.setFocus()

    def _copy_filters(self) -> None:
        local_bar = self.browser.filter_bar
        remote_bar = self.remote.filter_bar
        pairs = (
            (local_bar.name_edit, remote_bar.name_edit),
            (local_bar.id_edit, remote_bar.id_edit),
            (local_bar.date_from_edit, remote_bar.date_from_edit),
            (local_bar.date_to_edit, remote_bar.date_to_edit),
            (local_bar.modality_edit, remote_bar.modality_edit),
            (local_bar.accession_edit, remote_bar.accession_edit),
        )
        for source, target in pairs:
            target.setText(source.text())

    # Menu

    def _build_menu(self) -> None:
        menu = self.window.menuBar().addMenu(self.tr("&Network"))
        panel_action = self.sync_panel.toggleViewAction()
        panel_action.setText(self.tr("&Sync queue"))
        panel_action.setShortcut("Ctrl+Shift+Y")
        panel_action.setEnabled(self.may_see_queue)
        panel_action.setVisible(self.may_see_queue)
        self.sync_panel_action = panel_action
        menu.addAction(panel_action)
        self.restart_scp_action = QAction(self.tr("&Restart storage SCP"), self)
        self.restart_scp_action.triggered.connect(
            lambda _checked=False: self.restart_scp()
        )
        menu.addAction(self.restart_scp_action)
        # The window's own actions were gated before this menu existed.
        apply_role_gating(self, self.window.session)

    def restart_scp(self) -> None:
        """Start the storage SCP again with the current settings and nodes.

        Does nothing for a role without the permission to manage PACS nodes.
        """
        if not self.window.session.may(Permission.MANAGE_NODES):
            return
        self.service.restart_scp()
        self.reload_nodes()

    def nodes_changed(self) -> None:
        """Show the changed PACS nodes and start or stop the SCP for them.

        The first node starts the storage SCP, because its AE title is the
        first allowed caller. Only a role that may manage PACS nodes changes
        the SCP.
        """
        self.reload_nodes()
        if self.window.session.may(Permission.MANAGE_NODES):
            self.service.update_scp_callers()

    def _on_settings_applied(self, keys: list[str]) -> None:
        # Only a role that may manage settings can change the SCP's keys in
        # the settings dialog, and only such a role restarts the SCP.
        if not SCP_SETTING_KEYS & set(keys):
            return
        if self.window.session.may(Permission.MANAGE_SETTINGS):
            self.service.restart_scp()

    # Send

    def send_selected(self, node_name: str) -> None:
        """Queue the send of the selected series, or else the selected study."""
        if not self.may_send:
            return
        study = self.browser.selected_study()
        if study is None:
            self.window.statusBar().showMessage(self.tr("Select a study to send."))
            return
        panel = self.browser.series_panel
        series = [
            str(item.data(SERIES_UID_ROLE))
            for item in panel.list.selectedItems()
            if item.data(SERIES_UID_ROLE)
        ]
        self.service.enqueue_send(node_name, series or [study.StudyInstanceUID])
        self.sync_panel.show()
        self.window.statusBar().showMessage(
            self.tr("Send to {node} queued.").format(node=node_name)
        )

    # Reactions

    def _may_show_queue(self) -> bool:
        # The lock screen hides the dock, and showing it again would put the
        # patient names of the jobs' studies on the locked screen.
        return self.may_see_queue and not self.window.security.idle_lock.locked

    def _on_error(self, message: str) -> None:
        self.window.statusBar().showMessage(message)
        if self._may_show_queue():
            self.sync_panel.show()

    def _on_job_queued(self, _kind: str) -> None:
        # The sync panel shows the new job's progress; it may be closed or
        # behind another dock.
        if self._may_show_queue():
            self.sync_panel.show()
            self.sync_panel.raise_()

    def _on_job_finished(self, job: SyncJob) -> None:
        if job.kind == RETRIEVE:
            if self.remote.isVisible():
                self.remote.refresh_local_counts()
            else:
                self.browser.refresh()
        if job.state == JobState.DONE:
            text = self.tr("Job {id} done: {description}")
        else:
            text = self.tr("Job {id} {state}: {description}")
        self.window.statusBar().showMessage(
            text.format(id=job.id, state=job.state.value, description=job.description)
        )

    def _on_refetch_queued(self, plan: RefetchPlan) -> None:
        self.window.statusBar().showMessage(
            self.tr(
                "A stored image failed its integrity check: retrieve job {id} "
                "fetches a new copy from {node}."
            ).format(id=plan.job_id, node=plan.node_name)
        )

    def _on_instance_received(self, _study_uid: str) -> None:
        self._refresh_timer.start()

    def _refresh_after_receive(self) -> None:
        if not self.remote.isVisible():
            self.browser.refresh()

    def _close_scp_warning(self) -> None:
        if self.scp_warning is not None:
            self.scp_warning.close()
            self.scp_warning = None

    def _on_scp_state(self, running: bool, message: str) -> None:
        self.window.statusBar().showMessage(message, 0 if not running else 10_000)
        # A restart replaces the warning of the previous attempt.
        self._close_scp_warning()
        if not running and self.service.node_store.list():
            # A configured workstation that cannot receive images shows a warning.
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Storage SCP not running"),
                message,
                QMessageBox.StandardButton.Ok,
                self.window,
            )
            box.setWindowModality(Qt.WindowModality.NonModal)
            self.scp_warning = box
            box.show()
