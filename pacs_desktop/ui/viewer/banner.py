"""The patient banner: name, ID and birth date above the images of an open study."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from pacs_desktop.ui.preferences import format_person_name


class PatientBanner(QFrame):
    """Name, ID and birth date of the patient whose images are open.

    The banner is hidden while no study is open, so no patient data stays
    on screen after `clear`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#patientBanner { background: #1d3557; }"
            " #patientBanner QLabel { color: white; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.name_label = QLabel(self)
        font = self.name_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.name_label.setFont(font)
        self.id_label = QLabel(self)
        self.birth_date_label = QLabel(self)
        for label in (self.name_label, self.id_label, self.birth_date_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.name_label)
        layout.addSpacing(24)
        layout.addWidget(self.id_label)
        layout.addSpacing(24)
        layout.addWidget(self.birth_date_label)
        layout.addStretch(1)
        self.setVisible(False)

    def set_patient(self, name: str, patient_id: str, birth_date: str) -> None:
        """Show the patient as the study list does ("Doe, Jane").

        ``name`` is one component group of the DICOM name ("Doe^Jane"), and
        ``birth_date`` is already formatted for display.
        """
        shown = format_person_name(name)
        self.name_label.setText(shown or self.tr("(no name)"))
        self.id_label.setText(self.tr("ID: {patient_id}").format(patient_id=patient_id))
        self.birth_date_label.setText(
            self.tr("Born: {birth_date}").format(birth_date=birth_date or "-")
        )
        self.setVisible(True)

    def text(self) -> str:
        """Return every text the banner shows, joined by spaces."""
        parts = (self.name_label, self.id_label, self.birth_date_label)
        return " ".join(label.text() for label in parts if label.text())

    def clear(self) -> None:
        """Remove the patient's data and hide the banner."""
        for label in (self.name_label, self.id_label, self.birth_date_label):
            label.clear()
        self.setVisible(False)
