"""The open study's dictations and signed reports, beside the viewer.

When a study opens, a worker thread first registers the audio and SR objects
that arrived with it from the PACS (`register_received_objects`), then lists
the study's dictations and signed reports. Selecting a dictation loads it into
the player in a worker thread. A radiologist amends the signed report of the
selected dictation here: the amendment is a new version, edited and signed
with the password in a dialog, and the signed version stays as it was.
Closing the study clears the list, the player and the report text, and a
result that arrives for a study or a dictation no longer shown is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.dictation.playback import Player
from pacs_desktop.core.dictation.received import register_received_objects
from pacs_desktop.core.dictation.report import Report, ReportState, ReportStore
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationState,
    DictationStore,
)
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.ui.dictation.player_widget import (
    DEFAULT_SHORTCUTS,
    PlayerWidget,
    format_seconds,
)
from pacs_desktop.ui.dictation.report_editor import ReportEditor
from pacs_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.archive.records import StudyRecord
    from pacs_desktop.core.security.users import Session

logger = logging.getLogger(__name__)

# Dictations without playable audio of their own are not listed.
_HIDDEN_STATES = (DictationState.RECORDING, DictationState.DISCARDED)


@dataclass(frozen=True)
class StudyDictations:
    """The dictations and signed reports the worker found for one study."""

    StudyInstanceUID: str
    dictations: list[Dictation]
    reports: list[Report]


class StudyDictationsPanel(QWidget):
    """List and play the dictations of the open study; show its signed reports."""

    #: sig_listed(object): the StudyDictations now shown.
    sig_listed = Signal(object)
    #: sig_audio_loaded(object): the Player of the selected dictation.
    sig_audio_loaded = Signal(object)
    #: sig_dictation_opened(object): the Dictation whose audio is being loaded
    #: for playback.
    sig_dictation_opened = Signal(object)
    #: sig_report_signed(object): the amended Report version just signed, to
    #: be archived and sent like any signed report.
    sig_report_signed = Signal(object)

    def __init__(
        self,
        store: DictationStore,
        reports: ReportStore,
        archive: Archive,
        recordings_dir: Path,
        parent: QWidget | None = None,
        *,
        shortcuts: Mapping[str, str] = DEFAULT_SHORTCUTS,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.shortcuts = shortcuts
        # The newest version of each listed dictation's report, when signed.
        self.signed_reports: dict[int, Report] = {}
        self.amend_dialog: QDialog | None = None
        self.store = store
        self.reports = reports
        self.archive = archive
        self.recordings_dir = recordings_dir
        self.study_uid: str | None = None
        self.dictations: dict[int, Dictation] = {}
        self._wanted_audio: Path | None = None
        self.runner = TaskRunner(parent=self)

        self.list_widget = QListWidget(self)
        self.player = PlayerWidget(self, shortcuts=shortcuts)
        self.report_view = QPlainTextEdit(self)
        self.report_view.setReadOnly(True)
        self.report_view.setPlaceholderText(self.tr("No signed report"))
        self.message_label = QLabel(self)
        self.message_label.setObjectName("error")
        self.message_label.setWordWrap(True)
        # Hidden until set_import_action gives it an action to trigger.
        self.import_button = QToolButton(self)
        self.import_button.setObjectName("import_dictation_button")
        self.import_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.import_button.hide()
        self.amend_button = QPushButton(self.tr("Amend report"), self)
        self.amend_button.setObjectName("amend_report_button")
        self.amend_button.setVisible(
            session is not None and session.may(Permission.SIGN)
        )
        self.amend_button.setEnabled(False)
        self.amend_button.clicked.connect(self.amend_selected)

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("Dictations of this study"), self), 1)
        header.addWidget(self.import_button)
        layout.addLayout(header)
        layout.addWidget(self.list_widget, 1)
        layout.addWidget(self.player)
        layout.addWidget(QLabel(self.tr("Signed report"), self))
        layout.addWidget(self.report_view, 1)
        layout.addWidget(self.amend_button)
        layout.addWidget(self.message_label)
        self.list_widget.currentItemChanged.connect(self._on_selected)

    def set_import_action(self, action: QAction) -> None:
        """Show a button that triggers ``action`` and follows its enabled state."""
        self.import_button.setDefaultAction(action)
        self.import_button.show()

    def set_study(self, study: StudyRecord | None) -> None:
        """Show the dictations of ``study``; None clears everything."""
        self.study_uid = study.StudyInstanceUID if study is not None else None
        self._clear()
        if study is not None:
            self.refresh()

    def refresh(self) -> None:
        """List the open study's dictations again, in a worker thread."""
        study_uid = self.study_uid
        if study_uid is None:
            return
        store, reports, archive = self.store, self.reports, self.archive
        recordings_dir = self.recordings_dir

        def job(_progress: object, _cancel: object) -> StudyDictations:
            register_received_objects(
                store, reports, archive, recordings_dir, study_uid
            )
            listed = [
                dictation
                for dictation in store.find(study_uid=study_uid)
                if dictation.state not in _HIDDEN_STATES
            ]
            signed = reports.find(study_uid=study_uid, states=[ReportState.SIGNED])
            return StudyDictations(study_uid, listed, signed)

        self.runner.start(job, on_finished=self._on_listed, on_failed=self._on_failed)

    def _clear(self) -> None:
        self._wanted_audio = None
        self.player.set_player(None)
        self.dictations = {}
        self.signed_reports = {}
        self.amend_button.setEnabled(False)
        self.list_widget.clear()
        self.report_view.clear()
        self.message_label.clear()

    def _on_listed(self, found: StudyDictations) -> None:
        if found.StudyInstanceUID != self.study_uid:
            return  # the user opened another study meanwhile
        selected = self._selected_id()
        self.list_widget.blockSignals(True)
        self.list_widget.clear()
        self.dictations = {dictation.id: dictation for dictation in found.dictations}
        for dictation in found.dictations:
            started = dictation.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            text = self.tr("{author}, {started}, {length}, {state}").format(
                author=dictation.author or self.tr("unknown author"),
                started=started,
                length=format_seconds(dictation.duration_seconds),
                state=dictation.state.value,
            )
            item = QListWidgetItem(text, self.list_widget)
            item.setData(Qt.ItemDataRole.UserRole, dictation.id)
            if dictation.id == selected:
                self.list_widget.setCurrentItem(item)
        self.list_widget.blockSignals(False)
        if selected is not None and selected not in self.dictations:
            self._wanted_audio = None
            self.player.set_player(None)
        self.report_view.setPlainText(
            "\n\n".join(report.text for report in found.reports)
        )
        self.signed_reports = {
            report.dictation_id: report
            for report in found.reports
            if report.dictation_id is not None
        }
        self._update_amend()
        self.sig_listed.emit(found)

    def _on_failed(self, error: Exception) -> None:
        if not isinstance(error, PacsDesktopError):
            logger.error("listing the study's dictations failed: %r", error)
        self.message_label.setText(str(error))

    def _selected_id(self) -> int | None:
        item = self.list_widget.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _update_amend(self) -> None:
        selected = self._selected_id()
        self.amend_button.setEnabled(
            self.amend_button.isVisibleTo(self)
            and selected is not None
            and selected in self.signed_reports
        )

    def amend_selected(self) -> ReportEditor | None:
        """Start an amendment of the selected dictation's signed report.

        The new version opens in a dialog with the report editor and the
        dictation's audio in its player. Signing it there needs the password,
        like any signature.
        """
        selected = self._selected_id()
        report = self.signed_reports.get(selected) if selected else None
        if report is None or self.session is None:
            return None
        try:
            amended = self.reports.amend(report.id, self.session)
        except PacsDesktopError as exc:
            self.message_label.setText(str(exc))
            return None
        self.message_label.clear()
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Amend report"))
        editor = ReportEditor(
            self.reports, self.session, dialog, shortcuts=self.shortcuts
        )
        editor.show_report(amended)
        dictation = self.dictations.get(selected) if selected else None
        if dictation is not None:
            editor.load_audio(dictation)
        editor.sig_signed.connect(self._on_amendment_signed)
        dialog.finished.connect(lambda _result: editor.shutdown())
        layout = QVBoxLayout(dialog)
        layout.addWidget(editor)
        self.amend_dialog = dialog
        dialog.open()
        self.refresh()
        return editor

    def _on_amendment_signed(self, report: Report) -> None:
        self.sig_report_signed.emit(report)
        self.refresh()

    def _on_selected(self, item: QListWidgetItem | None, _previous: object) -> None:
        self._update_amend()
        dictation_id = self._selected_id() if item is not None else None
        dictation = self.dictations.get(dictation_id) if dictation_id else None
        path = dictation.audio_path if dictation is not None else None
        self._wanted_audio = path
        self.player.set_player(None)
        if path is None:
            return
        self.sig_dictation_opened.emit(dictation)

        def job(_progress: object, _cancel: object) -> tuple[Path, Player]:
            return path, Player.from_file(path)

        self.runner.start(
            job, on_finished=self._on_audio_loaded, on_failed=self._on_failed
        )

    def _on_audio_loaded(self, loaded: tuple[Path, Player]) -> None:
        path, player = loaded
        if path != self._wanted_audio:
            return  # another dictation was selected, or the study closed
        self.player.set_player(player)
        self.sig_audio_loaded.emit(player)

    def select(self, dictation_id: int) -> bool:
        """Select the listed dictation with this id; False when it is not listed."""
        for row in range(self.list_widget.count()):
            item = self.list_widget.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == dictation_id:
                self.list_widget.setCurrentItem(item)
                return True
        return False

    def shutdown(self) -> None:
        """Save an amendment being typed, stop playback and wait for the workers."""
        if self.amend_dialog is not None:
            self.amend_dialog.close()
        self.player.shutdown()
        self.runner.shutdown()
