"""At start, offer the author the recordings recovered after an interruption."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.dictation.recovery import (
    discard_recovered,
    finish_recovered,
    pending_for_author,
)
from pacs_desktop.core.dictation.store import Dictation, DictationStore
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.ui.dictation.player_widget import format_seconds
from pacs_desktop.ui.preferences import format_dicom_date, format_person_name

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive

# finish_recovered or discard_recovered: (store, dictation id, user) -> Dictation.
Decision = Callable[[DictationStore, int, str], Dictation]


class RecoveryDialog(QDialog):
    """List the author's recovered recordings to finish or discard one by one.

    Each line names the patient and the study the recording is attached to;
    ``archive`` supplies the patient name and the study date and description.
    """

    #: sig_kept(object): the Dictation just kept, now a finished recording.
    sig_kept = Signal(object)
    #: sig_discarded(object): the Dictation just discarded.
    sig_discarded = Signal(object)

    def __init__(
        self,
        store: DictationStore,
        user: str,
        parent: QWidget | None = None,
        *,
        archive: Archive | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.user = user
        self.archive = archive
        self.setWindowTitle(self.tr("Recovered recordings"))
        self.list_widget = QListWidget(self)
        self.finish_button = QPushButton(self.tr("Keep for transcription"), self)
        self.discard_button = QPushButton(self.tr("Discard"), self)
        self.close_button = QPushButton(self.tr("Decide later"), self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.finish_button, self.discard_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "These recordings were interrupted (a crash or a power cut) and "
                    "were recovered. Each stays attached to its study."
                ),
                self,
            )
        )
        layout.addWidget(self.list_widget)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        self.finish_button.clicked.connect(lambda: self._decide(finish_recovered))
        self.discard_button.clicked.connect(lambda: self._decide(discard_recovered))
        self.close_button.clicked.connect(self.reject)
        self.refresh()

    def refresh(self) -> None:
        """List the recordings still waiting for this author."""
        self.list_widget.clear()
        for dictation in pending_for_author(self.store, self.user):
            item = QListWidgetItem(self._describe(dictation), self.list_widget)
            item.setData(Qt.ItemDataRole.UserRole, dictation.id)
        if self.list_widget.count():
            self.list_widget.setCurrentRow(0)
        else:
            self.accept()

    def _describe(self, dictation: Dictation) -> str:
        started = dictation.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        study = None
        if self.archive is not None:
            try:
                study = self.archive.study(dictation.StudyInstanceUID)
            except PacsDesktopError:
                # The line then names the IDs stored with the dictation.
                study = None
        name = format_person_name(study.display_name) if study else ""
        return self.tr(
            "{started}: {length}, patient {name} (ID {patient_id}), study of "
            "{date} {description}, accession {accession}"
        ).format(
            started=started,
            length=format_seconds(dictation.duration_seconds),
            name=name or "-",
            patient_id=dictation.PatientID,
            date=format_dicom_date(study.StudyDate) if study else "-",
            description=(study.StudyDescription if study else "") or "",
            accession=dictation.AccessionNumber or "-",
        )

    def _decide(self, decision: Decision) -> None:
        item = self.list_widget.currentItem()
        if item is None:
            return
        try:
            dictation = decision(
                self.store, int(item.data(Qt.ItemDataRole.UserRole)), self.user
            )
        except PacsDesktopError as exc:
            self.message_label.setText(str(exc))
            return
        if decision is finish_recovered:
            self.sig_kept.emit(dictation)
        else:
            self.sig_discarded.emit(dictation)
        self.refresh()
