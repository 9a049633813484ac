"""Table model of the studies that the archive returned for the current filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import StudyRecord

ModelIndex = QModelIndex | QPersistentModelIndex

# Role that returns the unformatted value, so dates and counts sort correctly.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# Role that returns the StudyRecord of a row.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMN_KEYS = (
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "PatientSex",
    "StudyDateTime",
    "ModalitiesInStudy",
    "StudyDescription",
    "AccessionNumber",
    "NumberOfStudyRelatedSeries",
    "NumberOfStudyRelatedInstances",
)


def column_titles() -> list[str]:
    """Return the translated column headers, in the order of `COLUMN_KEYS`."""

    def translate(text: str) -> str:
        return QCoreApplication.translate("StudyTableModel", text)

    return [
        translate("Patient name"),
        translate("Patient ID"),
        translate("Birth date"),
        translate("Sex"),
        translate("Study date"),
        translate("Modalities"),
        translate("Description"),
        translate("Accession"),
        translate("Series"),
        translate("Images"),
    ]


def format_date(value: str) -> str:
    """Show a DICOM DA value (YYYYMMDD) as YYYY-MM-DD; other text unchanged."""
    text = value.strip()
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return text


def format_time(value: str) -> str:
    """Show a DICOM TM value (HHMMSS.FFFFFF, or a prefix of it) as HH:MM."""
    text = value.strip().replace(":", "")
    if len(text) >= 4 and text[:4].isdigit():
        return f"{text[:2]}:{text[2:4]}"
    if len(text) == 2 and text.isdigit():
        return f"{text}:00"
    return text


class StudyTableModel(QAbstractTableModel):
    """One row per `StudyRecord`, one column per entry of `COLUMN_KEYS`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[StudyRecord] = []
        self._titles = column_titles()

    def set_records(self, records: Sequence[StudyRecord]) -> None:
        """Replace every row with ``records``."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> StudyRecord:
        """Return the study shown in ``row``."""
        return self._records[row]

    def records(self) -> list[StudyRecord]:
        """Return every study of the model, in model order."""
        return list(self._records)

    def rowCount(self, parent: ModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._records)

    def columnCount(self, parent: ModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(COLUMN_KEYS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._titles)
        ):
            return self._titles[section]
        return None

    def data(
        self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or index.row() >= len(self._records):
            return None
        record = self._records[index.row()]
        key = COLUMN_KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display_value(record, key)
        if role == SORT_ROLE:
            return self._sort_value(record, key)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and key.startswith("NumberOf"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display_value(record: StudyRecord, key: str) -> str:
        if key == "PatientName":
            return record.display_name
        if key == "PatientBirthDate":
            return format_date(record.PatientBirthDate)
        if key == "StudyDateTime":
            date = format_date(record.StudyDate)
            time = format_time(record.StudyTime or "")
            return f"{date} {time}".strip()
        if key == "ModalitiesInStudy":
            return ", ".join(record.ModalitiesInStudy)
        return str(getattr(record, key))

    @staticmethod
    def _sort_value(record: StudyRecord, key: str) -> object:
        if key == "PatientName":
            return record.display_name.casefold()
        if key == "StudyDateTime":
            return f"{record.StudyDate}{record.StudyTime or ''}"
        if key == "ModalitiesInStudy":
            return ", ".join(record.ModalitiesInStudy)
        value = getattr(record, key)
        if isinstance(value, int):
            return value
        return str(value).casefold()


class StudySortModel(QSortFilterProxyModel):
    """Sorting proxy over `StudyTableModel` by the unformatted column values."""

    def __init__(self, source: StudyTableModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:
        left_value = left.data(SORT_ROLE)
        right_value = right.data(SORT_ROLE)
        if isinstance(left_value, int) and isinstance(right_value, int):
            return left_value < right_value
        return str(left_value) < str(right_value)

    def record_at(self, index: ModelIndex) -> StudyRecord | None:
        """Return the study of the row of ``index`` (a proxy index)."""
        if not index.isValid():
            return None
        record: StudyRecord | None = self.index(index.row(), 0).data(RECORD_ROLE)
        return record
