"""The dictation parts of the main window: docks, worklist, recovery.

`DictationDesk` adds a recorder dock for users who dictate, a dock that lists
and plays the open study's dictations for users who may open studies, a menu
entry that opens the transcription worklist with the report editor, and at
start the recovery of interrupted recordings. Finished dictations and signed reports are
stored in the archive as DICOM objects in a worker thread and, when the
``dictation.send_node`` setting names a PACS node, queued for sending there.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from pacs_desktop.core.dictation.config import (
    DictationConfig,
    SettingsSource,
    load_dictation_config,
)
from pacs_desktop.core.dictation.importing import import_audio_file
from pacs_desktop.core.dictation.publish import (
    Published,
    publish_dictation_audio,
    publish_pending,
    publish_signed_report,
)
from pacs_desktop.core.dictation.recorder import default_recordings_dir
from pacs_desktop.core.dictation.recovery import (
    RecoveredRecording,
    pending_for_author,
    recover_unfinished,
)
from pacs_desktop.core.dictation.report import Report, ReportStore
from pacs_desktop.core.dictation.store import Dictation, may_override_claim
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.queue import JobCreator, SyncQueue
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.core.settings import Settings
from pacs_desktop.ui.confirm import ConfirmPatientDialog
from pacs_desktop.ui.dictation.audit import record_dictation_event
from pacs_desktop.ui.dictation.recorder_panel import RecorderPanel
from pacs_desktop.ui.dictation.recovery_dialog import RecoveryDialog
from pacs_desktop.ui.dictation.report_editor import ReportEditor
from pacs_desktop.ui.dictation.study_dictations import StudyDictationsPanel
from pacs_desktop.ui.dictation.worklist import WorklistWidget
from pacs_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import StudyRecord
    from pacs_desktop.core.security.users import Session
    from pacs_desktop.core.workstation import Workstation

logger = logging.getLogger(__name__)


class TranscriptionWindow(QWidget):
    """The worklist beside the report editor and its player.

    The editor shows the report of the selected row's dictation after Open or
    Claim, and nothing once another row or no row is selected. When the typed
    text cannot be saved, the editor keeps it and its row is selected again.
    """

    def __init__(
        self,
        workstation: Workstation,
        reports: ReportStore,
        session: Session,
        parent: QWidget | None = None,
        *,
        config: DictationConfig | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.workstation = workstation
        self.setWindowTitle(self.tr("Transcription worklist"))
        self.worklist = WorklistWidget(
            workstation.dictations, workstation.archive, session, self
        )
        shortcuts = (config or DictationConfig()).shortcuts
        self.editor = ReportEditor(reports, session, self, shortcuts=shortcuts)
        layout = QHBoxLayout(self)
        layout.addWidget(self.worklist, 3)
        layout.addWidget(self.editor, 2)
        self.worklist.sig_open_requested.connect(self._on_open)
        self.worklist.sig_selection_changed.connect(self._on_selection_changed)
        self.editor.sig_changed.connect(lambda _report: self.worklist.refresh())
        self.editor.sig_signed.connect(self._on_signed)
        self.resize(1280, 700)

    def changeEvent(self, event: QEvent) -> None:
        """Read the worklist again when the window is activated."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.worklist.refresh_if_changed()
        super().changeEvent(event)

    def _on_selection_changed(self, dictation: Dictation | None) -> None:
        report = self.editor.report
        if report is None:
            return
        if dictation is not None and dictation.id == report.dictation_id:
            self.editor.check_access()
            return
        if not self.editor.close_report():
            # The typed text is not saved, so its dictation stays selected.
            self.worklist.select(report.dictation_id or 0)

    def _on_signed(self, _report: Report) -> None:
        self.worklist.refresh()
        self.worklist.message_label.setText(self.tr("The report is signed."))

    def _on_open(self, dictation: Dictation) -> None:
        study = self.workstation.archive.study(dictation.StudyInstanceUID)
        if study is None:
            self.worklist.message_label.setText(
                self.tr("The study of this dictation is not in the local archive.")
            )
            return
        self.editor.open_dictation(dictation, study)

    def shutdown(self) -> None:
        """Stop playback."""
        self.editor.shutdown()


class DictationDesk(QObject):
    """Wire the dictation views into a main window for one session."""

    #: sig_published(object): the Published object just archived; its
    #: send_job_id is set when a send to the dictation node was queued.
    sig_published = Signal(object)
    #: sig_pending_checked(int): the start-up check for finished recordings and
    #: signed reports without an archived object ended; how many it published.
    sig_pending_checked = Signal(int)

    def __init__(
        self,
        window: QMainWindow,
        workstation: Workstation,
        session: Session,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workstation = workstation
        self.session = session
        self.user = session.user.name
        self.runner = TaskRunner(parent=self)
        self.settings = self._open_settings()
        self.config = self._read_config()
        self.recordings_dir = default_recordings_dir(workstation.data_dir)
        self.reports = ReportStore(
            workstation.database,
            workstation.users,
            workstation.audit,
            workstation.dictations,
        )
        self.panel: RecorderPanel | None = None
        self.study_panel: StudyDictationsPanel | None = None
        self.transcription: TranscriptionWindow | None = None
        self.recovery_dialog: RecoveryDialog | None = None
        self.study: StudyRecord | None = None
        self.import_confirm_dialog: ConfirmPatientDialog | None = None

        if session.may(Permission.OPEN_STUDY):
            self._add_study_dock()
        if session.may(Permission.DICTATE):
            self._add_recorder_dock()
        self.worklist_action = QAction(self.tr("Transcription &worklist"), window)
        self.worklist_action.triggered.connect(self.show_worklist)
        # Administrators see the worklist to free claims left by others.
        self.worklist_action.setEnabled(
            session.may(Permission.TRANSCRIBE)
            or session.may(Permission.SIGN)
            or may_override_claim(session)
        )
        self.import_audio_action = QAction(
            self.tr("&Import dictation audio..."), window
        )
        self.import_audio_action.triggered.connect(self._on_import_audio_action)
        self.import_audio_action.setEnabled(False)
        menu = window.menuBar().addMenu(self.tr("&Dictation"))
        menu.addAction(self.worklist_action)
        menu.addAction(self.import_audio_action)
        if self.study_panel is not None and session.may(Permission.DICTATE):
            self.study_panel.set_import_action(self.import_audio_action)
        if session.may(Permission.DICTATE):
            self.runner.start(self._recover, on_finished=self._on_recovered)
        # Recordings stopped as a window closed and reports signed just before
        # the program ended are archived and queued at the next login.
        self.runner.start(
            self._publish_pending,
            on_finished=self._on_pending_published,
            on_failed=self._on_pending_failed,
        )

    def _open_settings(self) -> SettingsSource:
        # The site profile over the user's settings, as for networking.
        from pacs_desktop.core.site_profile import EffectiveSettings

        try:
            return EffectiveSettings.open(self.workstation.data_dir)
        except PacsDesktopError as exc:
            logger.error("site profile not used for dictation: %s", exc)
            return Settings(self.workstation.data_dir)

    def _read_config(self) -> DictationConfig:
        try:
            return load_dictation_config(self.settings)
        except PacsDesktopError as exc:
            logger.error("dictation settings not read, defaults used: %s", exc)
            return DictationConfig()

    def _add_study_dock(self) -> None:
        panel = StudyDictationsPanel(
            self.workstation.dictations,
            self.reports,
            self.workstation.archive,
            self.recordings_dir,
            shortcuts=self.config.shortcuts,
            session=self.session,
        )
        panel.sig_dictation_opened.connect(self._on_dictation_opened)
        # An amendment signed from the study's list is archived and sent too.
        panel.sig_report_signed.connect(self._on_report_signed)
        dock = QDockWidget(self.tr("Study dictations"), self.window)
        dock.setObjectName("study_dictations_dock")
        dock.setWidget(panel)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.study_panel = panel

    def _add_recorder_dock(self) -> None:
        panel = RecorderPanel(
            self.workstation.dictations,
            self.recordings_dir,
            self.user,
            max_seconds=self.config.max_seconds,
            device_name=self.config.device,
            shortcuts=self.config.shortcuts,
        )
        panel.refresh_devices()
        dock = QDockWidget(self.tr("Dictation"), self.window)
        dock.setObjectName("dictation_dock")
        dock.setWidget(panel)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        panel.sig_recording_finished.connect(self._on_recording_finished)
        self.panel = panel

    def set_study(self, study: object) -> None:
        """Show which study is open (a StudyRecord, or None after it closed)."""
        self.study = study  # type: ignore[assignment]
        self.import_audio_action.setEnabled(
            study is not None and self.session.may(Permission.DICTATE)
        )
        if self.panel is not None:
            self.panel.set_study(study)  # type: ignore[arg-type]
        if self.study_panel is not None:
            self.study_panel.set_study(study)  # type: ignore[arg-type]

    def pause_recording_for_lock(self) -> None:
        """Pause a running recording when the user locks the screen on purpose.

        A user who locks the screen leaves the workstation, so the room is not
        recorded into the dictation. The pause is audited with the dictation's
        patient and study.
        """
        panel = self.panel
        if panel is None or not panel.pause_for_lock():
            return
        dictation = panel.recorder.dictation if panel.recorder else None
        if dictation is not None:
            self._audit_dictation(
                audit_events.DICTATION_RECORDED,
                dictation,
                "recording paused because the user locked the screen",
            )

    def _audit_dictation(
        self,
        event: str,
        dictation: Dictation,
        detail: str,
        *,
        outcome: str | None = None,
        user: str | None = None,
    ) -> None:
        # Like record_dictation_event, with a detail describing the change.
        try:
            self.workstation.audit.record(
                event,
                user=user or self.user,
                outcome=outcome,
                patient_id=dictation.PatientID,
                patient_name=self._patient_name(dictation),
                study_uids=[dictation.StudyInstanceUID],
                detail=f"dictation {dictation.id}: {detail}",
            )
        except PacsDesktopError as exc:
            logger.error("audit record of dictation %d failed: %s", dictation.id, exc)

    def _on_import_audio_action(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Import dictation audio"),
            "",
            self.tr("Audio files (*.wav *.flac)"),
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.import_audio(Path(path))

    def import_audio(self, audio_file: Path) -> None:
        """Attach a WAV or FLAC file to the open study after the patient check.

        The user confirms the patient as when opening the study; the file is
        then imported in a worker and handled like a finished recording.
        """
        study = self.study
        if study is None or not self.session.may(Permission.DICTATE):
            return
        dialog = ConfirmPatientDialog(
            study, self.workstation.audit, self.user, self.window
        )
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Attach recording")
        )
        self.import_confirm_dialog = dialog
        store = self.workstation.dictations
        archive = self.workstation.archive
        recordings_dir = self.recordings_dir
        user = self.user

        def job(_progress: object, _cancel: object) -> Dictation:
            return import_audio_file(
                store,
                archive,
                recordings_dir,
                study_uid=study.StudyInstanceUID,
                audio_file=audio_file,
                patient_id=study.PatientID,
                user=user,
            )

        def start() -> None:
            self.runner.start(
                job,
                on_finished=self._on_recording_finished,
                on_failed=self._on_import_failed,
            )

        dialog.accepted.connect(start)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_import_failed(self, error: Exception) -> None:
        logger.error("importing a dictation audio file failed: %s", error)
        QMessageBox.warning(self.window, self.tr("Import dictation audio"), str(error))

    def show_worklist(self) -> TranscriptionWindow:
        """Open (or raise) the transcription window."""
        if self.transcription is None:
            self.transcription = TranscriptionWindow(
                self.workstation,
                self.reports,
                self.session,
                self.window,
                config=self.config,
            )
            self.transcription.editor.sig_signed.connect(self._on_report_signed)
            # The study's dictation list shows each state change at once.
            self.transcription.editor.sig_changed.connect(self._on_desk_changed)
            self.transcription.worklist.sig_changed.connect(self._on_desk_changed)
        self.transcription.worklist.refresh()
        self.transcription.show()
        self.transcription.raise_()
        return self.transcription

    # -- background work ----------------------------------------------------

    def _recover(self, _progress: object, _cancel: object) -> list[RecoveredRecording]:
        return recover_unfinished(self.workstation.dictations, self.recordings_dir)

    def _on_recovered(self, recovered: list[RecoveredRecording]) -> None:
        # Each recovered recording was made by its author before the
        # interruption, so the record names the author, not this user.
        for item in recovered:
            self._audit_dictation(
                audit_events.DICTATION_RECORDED,
                item.dictation,
                f"recovered after an interruption, {item.duration_seconds:.1f} s kept",
                user=item.dictation.author,
            )
        if not pending_for_author(self.workstation.dictations, self.user):
            return
        dialog = RecoveryDialog(
            self.workstation.dictations,
            self.user,
            self.window,
            archive=self.workstation.archive,
        )
        # A kept recovery is a finished recording: audited, archived and sent.
        dialog.sig_kept.connect(self._on_recovery_kept)
        dialog.sig_discarded.connect(self._on_recovery_discarded)
        self.recovery_dialog = dialog
        dialog.open()

    def send_node(self) -> str:
        """Return the PACS node that receives dictation objects ('' for none).

        The setting is read at each publish, so a change applies at once.
        """
        try:
            return self.settings.get_str("dictation.send_node")
        except PacsDesktopError as exc:
            logger.error("dictation objects not queued for sending: %s", exc)
            return ""

    def _send_queue(self, node: str) -> SyncQueue | None:
        # Called in the worker thread: the database hands out one connection
        # per thread.
        # Attempts are audited under this user, even after another user logs in.
        if not node:
            return None
        return SyncQueue(self.workstation.database, creator=JobCreator(self.user))

    def _publish_pending(self, _progress: object, _cancel: object) -> list[Published]:
        node = self.send_node()
        database = self.workstation.database

        def queue_for(user: str) -> SyncQueue | None:
            # Each send is audited under the dictation's author or the
            # report's signer, not under the user who logged in now.
            return SyncQueue(database, creator=JobCreator(user)) if node else None

        return publish_pending(
            self.workstation.dictations,
            self.reports,
            self.workstation.archive,
            queue_for=queue_for,
            node=node,
        )

    def _on_pending_published(self, published: list[Published]) -> None:
        for item in published:
            self._on_published(item)
        self.sig_pending_checked.emit(len(published))

    def _on_pending_failed(self, error: Exception) -> None:
        self._on_publish_failed(error)
        self.sig_pending_checked.emit(0)

    def _on_desk_changed(self, _changed: object) -> None:
        panel = self.study_panel
        if panel is not None and panel.study_uid:
            panel.refresh()

    def _patient_name(self, dictation: Dictation) -> str | None:
        # The audit record names the patient as study-opened records do. A
        # study deleted from the local archive leaves the name out.
        try:
            study = self.workstation.archive.study(dictation.StudyInstanceUID)
        except PacsDesktopError as exc:
            logger.error("study of dictation %d not read: %s", dictation.id, exc)
            return None
        return study.PatientName if study is not None else None

    def _on_dictation_opened(self, dictation: Dictation) -> None:
        record_dictation_event(
            self.workstation.audit,
            audit_events.DICTATION_PLAYED,
            dictation,
            self.user,
            patient_name=self._patient_name(dictation),
        )

    def _on_recovery_kept(self, dictation: Dictation) -> None:
        self._audit_dictation(
            audit_events.DICTATION_RECORDED, dictation, "kept after recovery"
        )
        self._publish_audio(dictation)

    def _on_recovery_discarded(self, dictation: Dictation) -> None:
        self._audit_dictation(
            audit_events.INSTANCES_DELETED,
            dictation,
            "discarded after recovery; its audio was deleted",
        )

    def _on_recording_finished(self, dictation: Dictation) -> None:
        record_dictation_event(
            self.workstation.audit,
            audit_events.DICTATION_RECORDED,
            dictation,
            self.user,
            patient_name=self._patient_name(dictation),
        )
        self._publish_audio(dictation)

    def _publish_audio(self, dictation: Dictation) -> None:
        self._refresh_study(dictation.StudyInstanceUID)
        store = self.workstation.dictations
        archive = self.workstation.archive
        node = self.send_node()

        def job(_progress: object, _cancel: object) -> Published:
            queue = self._send_queue(node)
            return publish_dictation_audio(
                store, archive, dictation.id, queue=queue, node=node
            )

        self.runner.start(
            job, on_finished=self._on_published, on_failed=self._on_publish_failed
        )

    def _on_report_signed(self, report: Report) -> None:
        reports = self.reports
        archive = self.workstation.archive
        author = self.user
        if report.dictation_id is not None:
            author = self.workstation.dictations.get(report.dictation_id).author
        node = self.send_node()

        def job(_progress: object, _cancel: object) -> Published:
            queue = self._send_queue(node)
            return publish_signed_report(
                reports, archive, report.id, author=author, queue=queue, node=node
            )

        self.runner.start(
            job, on_finished=self._on_published, on_failed=self._on_publish_failed
        )

    def _refresh_study(self, study_uid: str) -> None:
        panel = self.study_panel
        if panel is not None and panel.study_uid == study_uid:
            panel.refresh()

    def _on_published(self, published: Published) -> None:
        self._refresh_study(published.StudyInstanceUID)
        self.sig_published.emit(published)

    def _on_publish_failed(self, error: Exception) -> None:
        logger.error("archiving or queueing a dictation object failed: %s", error)
        self.window.statusBar().showMessage(str(error))

    def shutdown(self) -> None:
        """Stop recording, playback and the workers."""
        if self.recovery_dialog is not None:
            self.recovery_dialog.close()
        if self.panel is not None:
            self.panel.shutdown()
        if self.study_panel is not None:
            self.study_panel.shutdown()
        if self.transcription is not None:
            self.transcription.shutdown()
            self.transcription.close()
        self.runner.shutdown()
