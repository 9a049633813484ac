"""The report editor beside the player: header, free text, transcribe and sign.

The transcriptionist types the text and marks it transcribed; the radiologist
corrects it and signs with the password typed again. The text is read-only
whenever the core does not let this user change it (`ReportStore.may_edit`);
a signed version stays as it was and Amend starts a new version.

Typed text is saved as the report's draft 2 s after the last keystroke, and
at the latest 5 s after its first unsaved change while typing goes on. It is
also saved when the text field loses focus, before another report opens and at
shutdown, so a crash loses at most the last 5 s of typing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.dicom.text import display_person_name
from pacs_desktop.core.dictation.report import (
    Report,
    ReportEditDeniedError,
    ReportHeader,
    ReportState,
    ReportStore,
    SignatureRejectedError,
)
from pacs_desktop.core.dictation.store import DictationState
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.ui.browser.study_model import format_date
from pacs_desktop.ui.dictation.audit import record_dictation_event
from pacs_desktop.ui.dictation.player_widget import DEFAULT_SHORTCUTS, PlayerWidget

if TYPE_CHECKING:
    from pacs_desktop.core.dictation.store import Dictation
    from pacs_desktop.core.security.users import Session

logger = logging.getLogger(__name__)

# Milliseconds after the last keystroke before the draft is saved.
AUTOSAVE_DELAY_MS = 2000
# Maximum milliseconds between the first unsaved change and its save, so that
# steady typing without a pause of AUTOSAVE_DELAY_MS is saved too.
AUTOSAVE_MAX_WAIT_MS = 5000


class SignDialog(QDialog):
    """Ask for the signer's password and sign; a wrong password keeps it open."""

    def __init__(
        self, sign: Callable[[str], Report], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.sign = sign
        self.signed: Report | None = None
        self.setWindowTitle(self.tr("Sign the report"))
        self.setModal(True)
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign"))
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Type your password to sign. Signing is final."), self)
        )
        layout.addWidget(self.password_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.password_edit.setFocus()

    def _on_submit(self) -> None:
        password = self.password_edit.text()
        self.password_edit.clear()
        try:
            self.signed = self.sign(password)
        except SignatureRejectedError:
            self.error_label.setText(self.tr("Wrong password; nothing was signed."))
            return
        except PacsDesktopError as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()


class ReportEditor(QWidget):
    """Edit one report version with its dictation's player beside it."""

    #: sig_signed(object): the Report version just signed.
    sig_signed = Signal(object)
    #: sig_changed(object): the Report after a save or a state change.
    sig_changed = Signal(object)

    def __init__(
        self,
        reports: ReportStore,
        session: Session,
        parent: QWidget | None = None,
        *,
        shortcuts: Mapping[str, str] = DEFAULT_SHORTCUTS,
    ) -> None:
        super().__init__(parent)
        self.reports = reports
        self.session = session
        self.user = session.user.name
        self.report: Report | None = None
        self.sign_dialog: SignDialog | None = None

        self.header_labels: dict[str, QLabel] = {}
        header = QFormLayout()
        for key, title in (
            ("patient", self.tr("Patient")),
            ("study", self.tr("Study")),
            ("date", self.tr("Date")),
            ("modality", self.tr("Modality")),
            ("accession", self.tr("Accession")),
            ("state", self.tr("State")),
        ):
            label = QLabel(self)
            label.setObjectName(f"header_{key}")
            self.header_labels[key] = label
            header.addRow(title, label)
        self.player = PlayerWidget(self, shortcuts=shortcuts)
        self.text_edit = QPlainTextEdit(self)
        # Nothing typed before a report is open could be stored anywhere.
        self.text_edit.setReadOnly(True)
        self.text_edit.setPlaceholderText(
            self.tr("Open a dictation to type its report")
        )
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.keep_typed_text)
        self.autosave_deadline_timer = QTimer(self)
        self.autosave_deadline_timer.setSingleShot(True)
        self.autosave_deadline_timer.setInterval(AUTOSAVE_MAX_WAIT_MS)
        self.autosave_deadline_timer.timeout.connect(self.keep_typed_text)
        self.text_edit.textChanged.connect(self._on_text_changed)
        self.text_edit.installEventFilter(self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.transcribed_button = QPushButton(self.tr("Mark transcribed"), self)
        self.corrected_button = QPushButton(self.tr("Mark corrected"), self)
        self.sign_button = QPushButton(self.tr("Sign..."), self)
        self.amend_button = QPushButton(self.tr("Amend"), self)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("error")
        self.message_label.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (
            self.save_button,
            self.transcribed_button,
            self.corrected_button,
            self.sign_button,
            self.amend_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.player)
        layout.addWidget(self.text_edit, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)

        self.save_button.clicked.connect(self.save)
        self.transcribed_button.clicked.connect(self.mark_transcribed)
        self.corrected_button.clicked.connect(self.mark_corrected)
        self.sign_button.clicked.connect(self.ask_signature)
        self.amend_button.clicked.connect(self.amend)
        self._update_controls()

    # -- opening ------------------------------------------------------------

    def open_dictation(self, dictation: Dictation, study: object) -> Report | None:
        """Show the report of a dictation, creating its draft on first opening.

        ``study`` is the dictation's study record (for the header). Unsaved
        text of the report shown so far is saved as its draft first. When that
        save fails, the message label shows the reason and nothing else opens.
        """
        if not self.keep_typed_text():
            return None
        report = self.reports.for_dictation(dictation.id)
        if report is None:
            try:
                header = ReportHeader.from_study(study)
                report = self.reports.create(
                    header, user=self.user, dictation_id=dictation.id
                )
            except PacsDesktopError as exc:
                self.message_label.setText(str(exc))
                return None
        self.show_report(report)
        self.load_audio(dictation)
        return report

    def load_audio(self, dictation: Dictation) -> None:
        """Load the dictation's audio into the player and audit the playback.

        A dictation without audio leaves the player empty.
        """
        if dictation.audio_path is None or self.report is None:
            return
        record_dictation_event(
            self.reports.audit,
            audit_events.DICTATION_PLAYED,
            dictation,
            self.user,
            patient_name=self.report.header.PatientName,
        )
        self.player.load_file(dictation.audio_path)

    def _on_text_changed(self) -> None:
        if not self.has_unsaved_text():
            return
        self.autosave_timer.start()
        # Started once per unsaved change and not restarted by later keystrokes.
        if not self.autosave_deadline_timer.isActive():
            self.autosave_deadline_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Save the draft when the text field loses focus."""
        if watched is self.text_edit and event.type() == QEvent.Type.FocusOut:
            self.keep_typed_text()
        return super().eventFilter(watched, event)

    def has_unsaved_text(self) -> bool:
        """Return whether the text field differs from the open report's text."""
        report = self.report
        return (
            report is not None
            and not self.text_edit.isReadOnly()
            and self.text_edit.toPlainText() != report.text
        )

    def keep_typed_text(self) -> bool:
        """Save unsaved text of the open report; False when that failed."""
        self.autosave_timer.stop()
        self.autosave_deadline_timer.stop()
        if not self.has_unsaved_text():
            return True
        return self.save() is not None

    def close_report(self) -> bool:
        """Save unsaved text and show no report; False when the save failed.

        After a failed save the report stays open with the typed text, and the
        message label shows why.
        """
        if not self.keep_typed_text():
            return False
        self.report = None
        self.player.set_player(None)
        for label in self.header_labels.values():
            label.clear()
        self.text_edit.setReadOnly(True)
        self.text_edit.clear()
        self.text_edit.setPlaceholderText(
            self.tr("Open a dictation to type its report")
        )
        self.message_label.clear()
        self._update_controls()
        return True

    def check_access(self) -> None:
        """Show a message when the user may no longer change the open text.

        Another program may have released the claim meanwhile. The typed text
        stays in the field, so that claiming the dictation again saves it.
        """
        report = self.report
        if report is None or self.text_edit.isReadOnly():
            return
        if not self.reports.may_edit(report, self.session):
            fallback = self.tr("You may no longer change this text.")
            self.message_label.setText(self._edit_denied_message(fallback))

    def _edit_denied_message(self, fallback: str) -> str:
        report = self.report
        dictations = self.reports.dictations
        if report is None or report.dictation_id is None or dictations is None:
            return fallback
        try:
            dictation = dictations.get(report.dictation_id)
        except PacsDesktopError:
            return fallback
        if dictation.state is DictationState.RECORDED:
            return self.tr(
                "This dictation is no longer claimed by you; claim it again to type."
            )
        if (
            dictation.state is DictationState.IN_TRANSCRIPTION
            and dictation.locked_by != self.user
        ):
            return self.tr(
                "{user} is transcribing this dictation now; only that user can "
                "change its text."
            ).format(user=dictation.locked_by)
        return fallback

    def show_report(self, report: Report) -> None:
        """Show one report version."""
        self.report = report
        self.text_edit.setPlaceholderText("")
        header = report.header
        self.header_labels["patient"].setText(
            f"{display_person_name(header.PatientName)} ({header.PatientID})"
        )
        self.header_labels["study"].setText(header.StudyDescription)
        self.header_labels["date"].setText(format_date(header.StudyDate))
        self.header_labels["modality"].setText(", ".join(header.ModalitiesInStudy))
        self.header_labels["accession"].setText(header.AccessionNumber)
        state = self.tr("{state}, version {version}").format(
            state=report.state.value, version=report.version
        )
        self.header_labels["state"].setText(state)
        self.text_edit.setReadOnly(not self.reports.may_edit(report, self.session))
        if self.text_edit.toPlainText() != report.text:
            self.text_edit.setPlainText(report.text)
        self.autosave_timer.stop()
        self.autosave_deadline_timer.stop()
        self._update_controls()

    # -- actions ------------------------------------------------------------

    def save(self) -> Report | None:
        """Store the typed text; a read-only report is returned unchanged."""
        if self.report is None:
            return None
        if self.text_edit.isReadOnly():
            return self.report
        return self._apply(
            lambda report: self.reports.save_text(
                report.id, self.text_edit.toPlainText(), self.session
            )
        )

    def mark_transcribed(self) -> Report | None:
        """Save and mark the text as typed."""
        if self.save() is None:
            return None
        return self._apply(
            lambda report: self.reports.mark_transcribed(report.id, self.session)
        )

    def mark_corrected(self) -> Report | None:
        """Save and record the radiologist's correction."""
        if self.save() is None:
            return None
        return self._apply(
            lambda report: self.reports.mark_corrected(report.id, self.session)
        )

    def ask_signature(self) -> SignDialog | None:
        """Save, then open the password dialog that signs the report."""
        if self.save() is None or self.report is None:
            return None
        report_id = self.report.id

        def sign(password: str) -> Report:
            return self.reports.sign(report_id, self.session, password)

        dialog = SignDialog(sign, self)
        dialog.accepted.connect(lambda: self._on_signed(dialog))
        self.sign_dialog = dialog
        dialog.open()
        return dialog

    def _on_signed(self, dialog: SignDialog) -> None:
        self.sign_dialog = None
        dialog.deleteLater()
        if dialog.signed is not None:
            self.show_report(dialog.signed)
            self.message_label.setText(self.tr("Signed."))
            self.sig_signed.emit(dialog.signed)

    def amend(self) -> Report | None:
        """Start a new version of the signed report."""
        return self._apply(lambda report: self.reports.amend(report.id, self.session))

    def _apply(self, change: Callable[[Report], Report]) -> Report | None:
        if self.report is None:
            return None
        try:
            result = change(self.report)
        except ReportEditDeniedError as exc:
            self.message_label.setText(self._edit_denied_message(str(exc)))
            return None
        except PacsDesktopError as exc:
            self.message_label.setText(str(exc))
            return None
        self.message_label.clear()
        self.show_report(result)
        self.sig_changed.emit(result)
        return result

    def _update_controls(self) -> None:
        report = self.report
        state = report.state if report else None
        editable = report is not None and not self.text_edit.isReadOnly()
        may_sign = self.session.may(Permission.SIGN)
        may_type = self.session.may(Permission.TRANSCRIBE)
        self.save_button.setEnabled(editable)
        self.transcribed_button.setEnabled(may_type and state is ReportState.DRAFT)
        self.corrected_button.setEnabled(may_sign and state is ReportState.TRANSCRIBED)
        self.sign_button.setEnabled(
            may_sign and report is not None and state is not ReportState.SIGNED
        )
        self.amend_button.setEnabled(may_sign and state is ReportState.SIGNED)

    def shutdown(self) -> None:
        """Save the typed draft and stop the player."""
        self.keep_typed_text()
        self.player.shutdown()
