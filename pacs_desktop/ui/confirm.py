"""Patient confirmation before a study opens.

The user confirms the patient actively by typing the birth date, or the patient
ID when the birth date is empty, because reading the name alone is not enough.
A wrong entry opens nothing and is recorded in the audit trail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.identity import BIRTH_DATE, challenge_for
from pacs_desktop.ui.browser.study_model import format_date, format_time
from pacs_desktop.ui.layout_fit import grow_to_fit, set_message_width
from pacs_desktop.ui.preferences import format_person_name
from pacs_desktop.ui.status_text import mark_status

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import StudyRecord
    from pacs_desktop.core.security.audit import AuditTrail


class ConfirmPatientDialog(QDialog):
    """Show a study's patient and study data and ask for the identity check.

    ``accepted`` is emitted only after a matching entry. Each mismatch is
    recorded as PATIENT_CONFIRMATION_FAILED for ``user_name``.
    """

    #: sig_mismatch(int): a wrong entry was refused; the count of refusals so far.
    sig_mismatch = Signal(int)

    def __init__(
        self,
        study: StudyRecord,
        audit: AuditTrail,
        user_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.study = study
        self.audit = audit
        self.user_name = user_name
        self.challenge = challenge_for(study.PatientBirthDate, study.PatientID)
        self.mismatches = 0
        self.format_hint = self._format_hint_text()
        self.setWindowTitle(self.tr("Confirm the patient"))
        self.setModal(True)

        self.answer_edit = QLineEdit(self)
        self.answer_edit.setObjectName("answer")
        self.answer_edit.setPlaceholderText(self.format_hint)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        mark_status(self.error_label, "error")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Open study")
        )
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)
        self._build_layout()
        set_message_width(self)
        self.answer_edit.setFocus()
        if not self.challenge.answerable:
            self.answer_edit.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            self.error_label.setText(
                self.tr(
                    "This study has neither a birth date nor a patient ID, so the "
                    "patient cannot be confirmed. Correct the patient data first."
                )
            )
            self.error_label.show()

    def _build_layout(self) -> None:
        study = self.study
        details = QFormLayout()
        rows = (
            (self.tr("Name:"), format_person_name(study.display_name), "name"),
            (self.tr("Patient ID:"), study.PatientID, "patient_id"),
            (self.tr("Birth date:"), format_date(study.PatientBirthDate), "birth_date"),
            (self.tr("Sex:"), study.PatientSex, "sex"),
            (self.tr("Accession:"), study.AccessionNumber, "accession"),
            (self.tr("Study date:"), self._study_date_text(), "study_date"),
            (self.tr("Description:"), study.StudyDescription, "description"),
            (self.tr("Modality:"), ", ".join(study.ModalitiesInStudy), "modality"),
        )
        for label_text, value, name in rows:
            value_label = QLabel(value or self.tr("(empty)"), self)
            value_label.setObjectName(name)
            value_label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
            )
            details.addRow(label_text, value_label)

        if self.challenge.kind == BIRTH_DATE:
            prompt = self.tr("Type the patient's birth date to confirm:")
        else:
            prompt = self.tr("The birth date is empty. Type the patient ID to confirm:")
        hint = QLabel(self.format_hint, self)
        hint.setObjectName("format_hint")
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.answer_edit, 1)
        answer_row.addWidget(hint)

        layout = QVBoxLayout(self)
        layout.addLayout(details)
        layout.addWidget(QLabel(prompt, self))
        layout.addLayout(answer_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _format_hint_text(self) -> str:
        if self.challenge.kind == BIRTH_DATE:
            # The check accepts year-month-day in every language, so only the
            # letters of the hint are translated ("JJJJ-MM-TT"), never their
            # order. The birth date above is shown in the same order.
            return self.tr("YYYY-MM-DD")
        return self.tr("as shown above")

    def _study_date_text(self) -> str:
        date = format_date(self.study.StudyDate)
        time = format_time(self.study.StudyTime or "")
        return f"{date} {time}".strip()

    def _on_submit(self) -> None:
        if self.challenge.matches(self.answer_edit.text()):
            self.accept()
            return

        self.mismatches += 1
        self.audit.record(
            audit_events.PATIENT_CONFIRMATION_FAILED,
            user=self.user_name,
            patient_id=self.study.PatientID,
            patient_name=self.study.PatientName,
            study_uids=[self.study.StudyInstanceUID],
            detail=f"typed value did not match the {self.challenge.kind}",
        )
        if self.challenge.kind == BIRTH_DATE:
            message = self.tr(
                "The birth date does not match this patient. Check the patient "
                "and type the date as {hint}."
            ).format(hint=self.format_hint)
        else:
            message = self.tr(
                "The patient ID does not match this patient. Check the patient "
                "and type the ID exactly."
            )
        self.error_label.setText(message)
        self.error_label.show()
        grow_to_fit(self)
        self.answer_edit.selectAll()
        self.answer_edit.setFocus()
        self.sig_mismatch.emit(self.mismatches)
