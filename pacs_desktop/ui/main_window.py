"""The main window: menu, toolbar, the study browser page and the viewer page."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QWidget,
)

from pacs_desktop.core.archive.eviction import OpenedStudies
from pacs_desktop.core.archive.records import ImportProgress, ImportSummary
from pacs_desktop.core.errors import AccessDeniedError, PacsDesktopError
from pacs_desktop.core.net.queue import RETRIEVE, JobState
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.ui.archive_actions import ArchiveUpkeep
from pacs_desktop.ui.browser import StudyBrowser
from pacs_desktop.ui.confirm import ConfirmPatientDialog
from pacs_desktop.ui.dictation.desk import DictationDesk
from pacs_desktop.ui.help_dialogs import HelpAndSettingsMenus
from pacs_desktop.ui.import_summary import ImportSummaryDialog
from pacs_desktop.ui.network import NetworkUi
from pacs_desktop.ui.preferences import window_presets
from pacs_desktop.ui.security import SecurityControls
from pacs_desktop.ui.workers import Task, TaskRunner

if TYPE_CHECKING:
    from pacs_desktop.core.archive.eviction import EvictionReport
    from pacs_desktop.core.archive.records import StudyRecord
    from pacs_desktop.core.net.queue import SyncJob
    from pacs_desktop.core.security.users import Session
    from pacs_desktop.core.workstation import Workstation
    from pacs_desktop.ui.network.service import NetworkService
    from pacs_desktop.ui.viewer import ViewerWidget

logger = logging.getLogger(__name__)

# The identity a confirmation covers: PatientID, PatientName and PatientBirthDate.
PatientKey = tuple[str, str, str]


def patient_key(study: StudyRecord) -> PatientKey:
    """Return the identity that a patient confirmation covers for ``study``."""
    return (study.PatientID, study.PatientName, study.PatientBirthDate)


class MainWindow(QMainWindow):
    """The workstation window of one logged-in user.

    File > Log out closes the window, and `returns_to_login` is then true, so
    the caller shows the login dialog again in the same process.

    Patient confirmation: opening a study requires the typed birth date (or
    patient ID). A further study of the last confirmed patient of this login
    (same non-empty PatientID, same PatientName and PatientBirthDate) opens
    without a new confirmation. A study of any other patient requires one, and
    so does returning to a patient after another patient was opened.
    """

    #: sig_import_finished(object): the ImportSummary of a finished import.
    sig_import_finished = Signal(object)
    #: sig_study_opened(object): the StudyRecord now shown in the viewer, or
    #: None once the study is closed.
    sig_study_opened = Signal(object)

    def __init__(
        self,
        workstation: Workstation,
        session: Session,
        parent: QWidget | None = None,
        *,
        network_service: NetworkService | None = None,
    ) -> None:
        super().__init__(parent)
        self.workstation = workstation
        self.archive = workstation.archive
        self.audit = workstation.audit
        self.session = session
        self.user_name = session.user.name
        self.runner = TaskRunner(parent=self)
        self.viewer: ViewerWidget | None = None
        self.confirm_dialog: ConfirmPatientDialog | None = None
        self.summary_dialog: ImportSummaryDialog | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.import_task: Task | None = None
        self._confirmed_patient: PatientKey | None = None
        self._open_study: StudyRecord | None = None
        self._logged_out = False
        self.logout_requested = False

        self.setWindowTitle(self.tr("PACS Desktop"))
        self.setAcceptDrops(True)
        self.resize(self._initial_size())
        self.browser = StudyBrowser(
            self.archive, self.runner, self, audit=self.audit, user=self.user_name
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.browser)
        self.setCentralWidget(self.stack)
        self.browser.sig_open_requested.connect(self._on_open_requested)
        self._create_actions()
        self.help_menus = HelpAndSettingsMenus(self)
        self.dictation_desk = DictationDesk(self, workstation, session)
        self.sig_study_opened.connect(self.dictation_desk.set_study)
        self.statusBar().showMessage(
            self.tr("Logged in as {user}").format(user=self.user_name)
        )
        # The study list shows patient names: a role without the query
        # permission never fills it, not even before the gating below.
        if session.may(Permission.QUERY):
            self.browser.refresh()
        self.browser.table.setFocus()
        self.security = SecurityControls(self)
        self.security.idle_lock.sig_locked_by_user.connect(
            self.dictation_desk.pause_recording_for_lock
        )
        # A service from the caller goes on after this window's logout.
        self.network = NetworkUi(self, service=network_service)
        self.network.start()
        self.dictation_desk.sig_published.connect(self._on_dictation_published)
        self._start_upkeep()

    def _start_upkeep(self) -> None:
        # The size limit applies at start and after each import, retrieve and
        # received study.
        service = self.network.service
        self.upkeep = ArchiveUpkeep(
            self.archive,
            self.workstation.settings,
            self.runner,
            nodes=service.nodes,
            local_entity=service.local_entity,
            in_use=self.open_study_uids,
            show_status=self.show_status,
            parent=self,
        )
        self.upkeep.sig_evicted.connect(self._on_evicted)
        service.sig_job_finished.connect(self._on_job_finished)
        service.sig_instance_received.connect(self._on_instance_received)
        self.upkeep.schedule()

    def open_study_uids(self) -> list[str]:
        """Return the Study Instance UID open in the viewer (empty when none)."""
        return [self._open_study.StudyInstanceUID] if self._open_study else []

    def show_status(self, text: str) -> None:
        """Show ``text`` in the status bar for 15 seconds."""
        self.statusBar().showMessage(text, 15_000)

    def _on_job_finished(self, job: SyncJob) -> None:
        if job.kind == RETRIEVE and job.state is JobState.DONE:
            self.upkeep.schedule()

    def _on_instance_received(self, _study_uid: str) -> None:
        self.upkeep.schedule()

    def _on_evicted(self, report: EvictionReport) -> None:
        if report.evicted and not self._logged_out:
            self.browser.refresh()

    def _initial_size(self) -> QSize:
        """Return 1200 x 800, or 90 % of the screen where it is smaller."""
        wanted = QSize(1200, 800)
        screen = self.screen()
        if screen is None:
            return wanted
        available = screen.availableGeometry().size()
        return wanted.boundedTo(
            QSize(available.width() * 9 // 10, available.height() * 9 // 10)
        )

    # Actions, menu and toolbar

    def _create_actions(self) -> None:
        self.import_files_action = self._action(
            self.tr("Import &files..."), "Ctrl+I", self._on_import_files
        )
        self.import_folder_action = self._action(
            self.tr("Import f&older..."), "Ctrl+Shift+I", self._on_import_folder
        )
        self.open_action = self._action(
            self.tr("&Open study"), "Ctrl+O", self._on_open_action
        )
        self.close_study_action = self._action(
            self.tr("&Close study"), "Ctrl+W", self.show_browser
        )
        self.close_study_action.setEnabled(False)
        self.find_action = self._action(
            self.tr("&Find studies"), QKeySequence.StandardKey.Find, self._on_find
        )
        self.logout_action = self._action(
            self.tr("&Log out"), "Ctrl+Shift+L", self.log_out
        )
        self.quit_action = self._action(
            self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close
        )
        # Some platforms (Windows, offscreen) bind no key to the standard Quit.
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        may_import = self.session.may(Permission.IMPORT)
        self.import_files_action.setEnabled(may_import)
        self.import_folder_action.setEnabled(may_import)

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.import_files_action)
        file_menu.addAction(self.import_folder_action)
        file_menu.addSeparator()
        file_menu.addAction(self.logout_action)
        file_menu.addAction(self.quit_action)
        study_menu = self.menuBar().addMenu(self.tr("&Study"))
        study_menu.addAction(self.find_action)
        study_menu.addAction(self.open_action)
        study_menu.addAction(self.close_study_action)

        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main_toolbar")
        toolbar.addAction(self.import_files_action)
        toolbar.addAction(self.import_folder_action)
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.close_study_action)

    def _action(
        self,
        text: str,
        shortcut: str | QKeySequence.StandardKey,
        handler: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: handler())
        self.addAction(action)
        return action

    # Import

    def _file_dialog(self, title: str, mode: QFileDialog.FileMode) -> list[Path]:
        # Qt's own dialog (not the platform's) behaves the same everywhere and can
        # be driven by keyboard under a bare X server.
        dialog = QFileDialog(self, title)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(mode)
        if mode == QFileDialog.FileMode.Directory:
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return []
        return [Path(name) for name in dialog.selectedFiles()]

    def _on_import_files(self) -> None:
        paths = self._file_dialog(
            self.tr("Import DICOM files"), QFileDialog.FileMode.ExistingFiles
        )
        if paths:
            self.start_import(paths)

    def _on_import_folder(self) -> None:
        paths = self._file_dialog(
            self.tr("Import a folder of DICOM files"), QFileDialog.FileMode.Directory
        )
        if paths:
            self.start_import(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_paths(event) and self.import_files_action.isEnabled():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.start_import(paths)

    @staticmethod
    def _local_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def start_import(self, paths: Sequence[Path]) -> bool:
        """Import files and folders in a worker thread; False if one is running."""
        if not self._allowed(Permission.IMPORT):
            return False
        if self.import_task is not None:
            QMessageBox.information(
                self,
                self.tr("Import running"),
                self.tr("Wait for the running import to finish, or cancel it."),
            )
            return False

        archive = self.archive
        targets = list(paths)

        def job(
            report: Callable[[object], None], cancel: threading.Event
        ) -> ImportSummary:
            return archive.import_paths(targets, progress=report, cancel=cancel)

        self._show_progress()
        self.setWindowTitle(self.tr("PACS Desktop - importing"))
        self.import_task = self.runner.start(
            job,
            on_finished=self._on_import_finished,
            on_failed=self._on_import_failed,
            on_progress=self._on_import_progress,
        )
        logger.info("import of %d paths started", len(targets))
        return True

    def _show_progress(self) -> None:
        dialog = QProgressDialog(self)
        dialog.setWindowTitle(self.tr("Importing"))
        dialog.setLabelText(self.tr("Looking for DICOM files..."))
        dialog.setCancelButtonText(self.tr("Cancel"))
        dialog.setRange(0, 0)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(self._on_import_cancel)
        self.progress_dialog = dialog

    def _on_import_progress(self, progress: ImportProgress) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        self.statusBar().showMessage(
            self.tr("Importing: {done} files").format(done=progress.done)
        )
        if progress.total:
            text = self.tr("Importing file {done} of {total}")
            dialog.setLabelText(text.format(done=progress.done, total=progress.total))
            dialog.setRange(0, progress.total)
            # Last step: setValue() of a modal progress dialog processes events,
            # which may run the end of the import before it returns.
            dialog.setValue(progress.done)
        else:
            dialog.setLabelText(
                self.tr("Importing file {done}").format(done=progress.done)
            )

    def _on_import_cancel(self) -> None:
        if self.import_task is not None:
            self.import_task.cancel.set()
            if self.progress_dialog is not None:
                self.progress_dialog.setLabelText(self.tr("Cancelling..."))

    def _end_import(self) -> None:
        self.import_task = None
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self._on_import_cancel)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.setWindowTitle(self.tr("PACS Desktop"))

    def _on_import_finished(self, summary: ImportSummary) -> None:
        self._end_import()
        self.audit.record(
            audit_events.INSTANCES_IMPORTED,
            user=self.user_name,
            outcome="minor-failure" if summary.rejected else "success",
            study_uids=sorted(summary.studies),
            detail=(
                f"{len(summary.imported)} imported, {len(summary.duplicates)} "
                f"duplicates, {len(summary.rejected)} rejected"
            ),
        )
        self.browser.refresh()
        self.statusBar().showMessage(
            self.tr("Import finished: {imported} imported, {rejected} rejected").format(
                imported=len(summary.imported), rejected=len(summary.rejected)
            )
        )
        if summary.imported:
            self.upkeep.schedule()
        self.summary_dialog = ImportSummaryDialog(summary, self)
        self.summary_dialog.finished.connect(self._on_summary_closed)
        self.summary_dialog.open()
        self.sig_import_finished.emit(summary)

    def _on_summary_closed(self, _result: int) -> None:
        self.browser.table.setFocus()

    def _on_import_failed(self, error: Exception) -> None:
        self._end_import()
        logger.error("import failed: %s", error)
        self.browser.refresh()
        QMessageBox.critical(
            self,
            self.tr("Import failed"),
            self.tr("The import stopped: {reason}").format(reason=str(error)),
        )

    # Opening studies

    def _on_find(self) -> None:
        if self.stack.currentWidget() is not self.browser:
            self.show_browser()
        self.browser.focus_filter()

    def _on_open_action(self) -> None:
        study = self.browser.selected_study()
        if study is not None:
            self.request_open(study)

    def _on_open_requested(self, study: StudyRecord) -> None:
        self.request_open(study)

    def request_open(self, study: StudyRecord) -> None:
        """Open ``study`` after the patient confirmation that it needs."""
        if not self._allowed(Permission.OPEN_STUDY):
            return
        if not self.security.study_gate.admit(study, lambda: self.request_open(study)):
            return
        key = patient_key(study)
        if key[0] and key == self._confirmed_patient:
            self._open_confirmed(study)
            return

        dialog = ConfirmPatientDialog(study, self.audit, self.user_name, self)
        dialog.accepted.connect(lambda: self._open_confirmed(study))
        dialog.finished.connect(self._on_confirm_closed)
        self.confirm_dialog = dialog
        dialog.open()

    def _on_confirm_closed(self, _result: int) -> None:
        dialog = self.confirm_dialog
        self.confirm_dialog = None
        if dialog is not None:
            dialog.deleteLater()
        if self.stack.currentWidget() is self.browser:
            self.browser.table.setFocus()

    def _open_confirmed(self, study: StudyRecord) -> None:
        self._confirmed_patient = patient_key(study)
        self._open_study = study
        try:
            # Feeds the least-recently-opened eviction order.
            OpenedStudies(self.workstation.database).note(study.StudyInstanceUID)
        except PacsDesktopError as exc:
            logger.error("opening of the study not recorded: %s", exc)
        self.audit.record(
            audit_events.STUDY_OPENED,
            user=self.user_name,
            patient_id=study.PatientID,
            patient_name=study.PatientName,
            study_uids=[study.StudyInstanceUID],
        )
        viewer = self._ensure_viewer()
        viewer.close_study()
        # Read at each opening, so changed presets apply from the next study.
        viewer.set_presets(window_presets(self.workstation.data_dir))
        viewer.open_study(study)
        self.stack.setCurrentWidget(viewer)
        self.close_study_action.setEnabled(True)
        # The confirmation dialog has just closed, and some platforms then
        # leave no window active, so no widget would take the viewer's keys.
        self.activateWindow()
        viewer.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_study_opened.emit(study)

    def _ensure_viewer(self) -> ViewerWidget:
        if self.viewer is None:
            # Imported on first use: the viewer pulls in pyqtgraph, which the
            # study list does not need.
            from pacs_desktop.ui.viewer import ViewerWidget

            self.viewer = ViewerWidget(self.archive, self, user=self.user_name)
            self.stack.addWidget(self.viewer)
            self.network.attach_viewer(self.viewer)
        return self.viewer

    def show_browser(self) -> None:
        """Close the open study (clearing its pixels and names) and show the list."""
        if self.viewer is not None:
            self.viewer.close_study()
        self._open_study = None
        self.stack.setCurrentWidget(self.browser)
        self.close_study_action.setEnabled(False)
        self.sig_study_opened.emit(None)
        self.browser.table.setFocus()

    def _on_dictation_published(self, _published: object) -> None:
        # A dictation object queued for sending wakes the sync queue runner.
        if not self._logged_out:
            self.network.service.resume_queue()

    def _allowed(self, permission: Permission) -> bool:
        # require() records a refusal in the audit trail.
        try:
            self.session.require(permission)
        except AccessDeniedError as exc:
            QMessageBox.warning(self, self.tr("Not allowed"), str(exc))
            return False
        return True

    # Log out and shutdown

    @property
    def returns_to_login(self) -> bool:
        """Whether the window closed so that another user can log in.

        True after `log_out` and after an administrator closed the locked
        session to switch user.
        """
        return self.logout_requested or self.security.switch_user_requested

    def log_out(self) -> None:
        """End this user's session and close the window.

        The session ends as it does at a switch of user. `shutdown` stops an
        active recording and keeps what was recorded, saves typed report
        drafts, closes the open study and records the logout.
        """
        if self._logged_out:
            return
        logger.info("log out requested")
        self.logout_requested = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Hidden first: stopping the workers can take a while, and the window
        # shows patient data until it is gone.
        self.hide()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the workers, clear the viewer and record the logout, once."""
        if self._logged_out:
            return
        self._logged_out = True
        self.help_menus.close_dialogs()
        self.dictation_desk.shutdown()
        for dialog in (self.confirm_dialog, self.summary_dialog):
            if dialog is not None:
                dialog.close()
        self.upkeep.stop()
        service = self.network.service
        service.sig_job_finished.disconnect(self._on_job_finished)
        service.sig_instance_received.disconnect(self._on_instance_received)
        self.security.archive_actions.close_dialogs()
        self.security.shutdown()
        self.network.shutdown()
        self.runner.shutdown()
        if self.viewer is not None:
            self.viewer.close_study()
            self.viewer.shutdown()
        self.workstation.users.logout(self.session)
