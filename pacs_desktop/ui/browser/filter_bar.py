"""The filter fields above the study table, applied as the user types."""

from __future__ import annotations

import datetime
import re

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from pacs_desktop.core.archive.names import typed_name_pattern
from pacs_desktop.core.archive.query import QueryError, parse_modalities
from pacs_desktop.core.archive.records import StudyQuery

# Typing pauses shorter than this restart the timer, so a query runs once per burst
# of keystrokes instead of once per key.
DEBOUNCE_MS = 150

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_YEAR_PATTERN = re.compile(r"^(\d{4})$")


def parse_date_bound(text: str, *, end: bool) -> str | None:
    """Turn a typed date into a DICOM DA value (YYYYMMDD).

    Accepts YYYY-MM-DD, YYYYMMDD and a year alone, which stands for its first
    day (``end`` False) or its last day (``end`` True). Returns '' for empty
    text and None for text that is not a valid date.
    """
    text = text.strip()
    if not text:
        return ""
    year_match = _YEAR_PATTERN.match(text)
    if year_match:
        return f"{year_match.group(1)}{'1231' if end else '0101'}"
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        year, month, day = (int(group) for group in match.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            return None
        return f"{year:04d}{month:02d}{day:02d}"
    return None


def dicom_date_range(start: str, end: str) -> str:
    """Join two DA values into a DICOM range: 'A-B', 'A-', '-B', or ''."""
    if start and end:
        return start if start == end else f"{start}-{end}"
    if start:
        return f"{start}-"
    if end:
        return f"-{end}"
    return ""


class FilterBar(QWidget):
    """Filter fields for patient name, ID, birth date, study date range, modality,
    accession and study description.

    Each edit restarts a single-shot timer; when it fires, the bar emits the
    new query.
    """

    #: sig_query_changed(StudyQuery): the filter the study table should show.
    sig_query_changed = Signal(object)
    #: sig_submitted(): the user pressed Enter in a field, after the bar
    #: emitted sig_query_changed for the current fields.
    sig_submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_edit = self._add_field(
            "patient_name", self.tr("Name, * and ? match any text"), 180
        )
        self.id_edit = self._add_field("patient_id", self.tr("Patient ID"), 110)
        self.birth_date_edit = self._add_field("birth_date", self.tr("YYYY-MM-DD"), 95)
        self.date_from_edit = self._add_field("date_from", self.tr("YYYY-MM-DD"), 95)
        self.date_to_edit = self._add_field("date_to", self.tr("YYYY-MM-DD"), 95)
        self.modality_edit = self._add_field("modality", self.tr("CT, MR ..."), 70)
        self.accession_edit = self._add_field(
            "accession", self.tr("Accession number"), 120
        )
        self.description_edit = self._add_field(
            "description", self.tr("Study description, * and ?"), 120
        )
        for date_edit in (self.date_from_edit, self.date_to_edit, self.birth_date_edit):
            date_edit.setMinimumWidth(self._date_field_width(date_edit))
        self.date_from_edit.setToolTip(self.tr("Study date from (inclusive)"))
        self.date_to_edit.setToolTip(self.tr("Study date to (inclusive)"))
        # The tooltip the modality field shows while its text is valid.
        self._modality_tooltip = ""
        self._modality_marked = False

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._on_timer)
        self._build_layout()

    def _add_field(self, name: str, placeholder: str, width: int) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        edit.setMinimumWidth(width)
        edit.textChanged.connect(self._on_text_changed)
        edit.returnPressed.connect(self._on_return_pressed)
        return edit

    @staticmethod
    def _date_field_width(edit: QLineEdit) -> int:
        # QLineEdit's size hint is 17 "x" plus its frame and margins. The clear
        # button is a square about as wide as the field is high, with a margin.
        metrics = edit.fontMetrics()
        frame = edit.sizeHint().width() - 17 * metrics.horizontalAdvance("x")
        clear_button = edit.sizeHint().height() + 4
        return metrics.horizontalAdvance("0000-00-00") + frame + clear_button

    def _build_layout(self) -> None:
        # Three rows keep the bar narrow enough for a 1280-pixel screen beside
        # the dictation dock.
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        rows = (
            (
                (self.tr("&Name:"), self.name_edit),
                (self.tr("I&D:"), self.id_edit),
                (self.tr("&Birth date:"), self.birth_date_edit),
            ),
            (
                (self.tr("&Date from:"), self.date_from_edit),
                (self.tr("to:"), self.date_to_edit),
                (self.tr("&Modality:"), self.modality_edit),
            ),
            (
                (self.tr("&Accession:"), self.accession_edit),
                (self.tr("D&escription:"), self.description_edit),
            ),
        )
        for row, pairs in enumerate(rows):
            for position, (text, edit) in enumerate(pairs):
                label = QLabel(text, self)
                label.setBuddy(edit)
                layout.addWidget(label, row, 2 * position)
                layout.addWidget(edit, row, 2 * position + 1)
                layout.setColumnStretch(2 * position + 1, 1)

    def _on_text_changed(self, _text: str) -> None:
        self.timer.start()

    def _on_return_pressed(self) -> None:
        # Apply the filter at once instead of after the pause. An unchanged
        # filter runs too, because Enter is how a user asks to search again.
        self.timer.stop()
        self._on_timer()
        self.sig_submitted.emit()

    def _on_timer(self) -> None:
        self.sig_query_changed.emit(self.query())

    def query(self) -> StudyQuery:
        """Return the query of the current field contents.

        A date field with text that is not a date is marked and left out of the
        range until it is corrected.
        """
        start = self._date_bound(self.date_from_edit, end=False)
        end = self._date_bound(self.date_to_edit, end=True)
        # A birth date matches its day; a year alone matches the whole year.
        born_from = self._date_bound(self.birth_date_edit, end=False)
        born_to = self._date_bound(self.birth_date_edit, end=True)
        return StudyQuery(
            patient_name=typed_name_pattern(self.name_edit.text()),
            patient_id=self.id_edit.text().strip(),
            date_range=dicom_date_range(start, end),
            modality=self._modalities(),
            accession=self.accession_edit.text().strip(),
            description=self.description_edit.text().strip(),
            patient_birth_date=dicom_date_range(born_from, born_to),
        )

    def _modalities(self) -> str:
        """Return the typed modalities joined by backslashes, or '' if invalid.

        Invalid text is marked like a bad date and left out of the query.
        """
        edit = self.modality_edit
        try:
            codes = parse_modalities(edit.text())
        except QueryError:
            if not self._modality_marked:
                self._modality_tooltip = edit.toolTip()
                self._modality_marked = True
            edit.setStyleSheet("background-color: #ffd0d0;")
            edit.setToolTip(
                self.tr(
                    "A modality is 1 to 16 letters, digits or underscores, such "
                    "as CT or MR. Separate several with commas."
                )
            )
            return ""
        if self._modality_marked:
            self._modality_marked = False
            edit.setStyleSheet("")
            edit.setToolTip(self._modality_tooltip)
        return "\\".join(codes)

    def _date_bound(self, edit: QLineEdit, *, end: bool) -> str:
        value = parse_date_bound(edit.text(), end=end)
        if value is None:
            edit.setStyleSheet("background-color: #ffd0d0;")
            return ""
        edit.setStyleSheet("")
        return value

    def clear(self) -> None:
        """Empty every field; the cleared query follows after the debounce."""
        for edit in self.findChildren(QLineEdit):
            edit.clear()
