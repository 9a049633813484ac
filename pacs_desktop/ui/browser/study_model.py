"""Table model of the studies that the archive returned for the current filter.

The model shows the first page of a study list and fetches the next pages as
the view scrolls (Qt's ``canFetchMore``/``fetchMore``), so a filter over a
million studies costs one page, not every match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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

from pacs_desktop.ui.preferences import format_dicom_date, format_person_name

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import StudyCursor, StudyPage, StudyRecord

ModelIndex = QModelIndex | QPersistentModelIndex

# Returns the page of at most ``page_size`` studies of a study list that follows
# ``after`` (None: the first page), newest study first.
PageFetcher = Callable[["StudyCursor | None", int], "StudyPage"]

# Studies per page while scrolling: a few screens of the table.
PAGE_SIZE = 100
# Studies per page when every remaining study is fetched for a sort: fewer
# round trips, and the page query's cost grows with the rows it returns.
BULK_PAGE_SIZE = 5000

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
    # Each call names its text literally, so that pyside6-lupdate extracts it.
    return [
        QCoreApplication.translate("StudyTableModel", "Patient name"),
        QCoreApplication.translate("StudyTableModel", "Patient ID"),
        QCoreApplication.translate("StudyTableModel", "Birth date"),
        QCoreApplication.translate("StudyTableModel", "Sex"),
        QCoreApplication.translate("StudyTableModel", "Study date"),
        QCoreApplication.translate("StudyTableModel", "Modalities"),
        QCoreApplication.translate("StudyTableModel", "Description"),
        QCoreApplication.translate("StudyTableModel", "Accession"),
        QCoreApplication.translate("StudyTableModel", "Series"),
        QCoreApplication.translate("StudyTableModel", "Images"),
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


_DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
_SORT_ROLE = int(SORT_ROLE)
_RECORD_ROLE = int(RECORD_ROLE)
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

# Column of the study date and time: the order in which the archive returns
# pages (newest first), so a list sorted on it descending needs no more rows
# than the pages loaded.
STUDY_DATE_COLUMN = COLUMN_KEYS.index("StudyDateTime")


class StudyTableModel(QAbstractTableModel):
    """One row per `StudyRecord`, one column per entry of `COLUMN_KEYS`.

    Rows come either all at once (`set_records`) or page by page from the
    archive (`set_pages`), newest study first.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[StudyRecord] = []
        self._rows_by_uid: dict[str, int] = {}
        # Display texts of the rows a view has read, formatted once per row.
        self._display_rows: dict[int, tuple[str, ...]] = {}
        self._fetch: PageFetcher | None = None
        self._cursor: StudyCursor | None = None
        self._titles = column_titles()

    def set_records(self, records: Sequence[StudyRecord]) -> None:
        """Replace every row with ``records``; no more rows are fetched."""
        self.beginResetModel()
        self._fetch = None
        self._cursor = None
        self._records = list(records)
        self._index_rows(0)
        self.endResetModel()

    def set_pages(self, fetch: PageFetcher) -> None:
        """Replace every row with the first page of ``fetch``.

        The next pages are fetched when a view scrolls to the end of the rows
        (`fetchMore`) or when every row is needed (`fetch_all`).

        Raises
        ------
        PacsDesktopError
            What ``fetch`` raises for the first page (an invalid filter); the
            rows are left empty.
        """
        self.beginResetModel()
        self._records = []
        self._rows_by_uid = {}
        self._fetch = None
        self._cursor = None
        try:
            page = fetch(None, PAGE_SIZE)
            self._records = list(page.records)
            self._index_rows(0)
            self._cursor = page.cursor
            self._fetch = fetch
        finally:
            self.endResetModel()

    def _index_rows(self, start: int) -> None:
        if start == 0:
            self._rows_by_uid = {}
            self._display_rows = {}
        for row in range(start, len(self._records)):
            self._rows_by_uid[self._records[row].StudyInstanceUID] = row

    def canFetchMore(self, parent: ModelIndex | None = None) -> bool:
        if parent is not None and parent.isValid():
            return False
        return self._fetch is not None and self._cursor is not None

    def fetchMore(self, parent: ModelIndex | None = None) -> None:
        """Append the next page of studies, if there is one."""
        self._fetch_page(PAGE_SIZE, parent)

    def _fetch_page(self, page_size: int, parent: ModelIndex | None = None) -> None:
        if not self.canFetchMore(parent):
            return
        assert self._fetch is not None
        page = self._fetch(self._cursor, page_size)
        self._cursor = page.cursor
        if not page.records:
            return
        start = len(self._records)
        self.beginInsertRows(QModelIndex(), start, start + len(page.records) - 1)
        self._records.extend(page.records)
        self._index_rows(start)
        self.endInsertRows()

    def fetch_rows(self, count: int) -> None:
        """Fetch pages until at least ``count`` rows are loaded or none are left."""
        while len(self._records) < count and self.canFetchMore():
            missing = count - len(self._records)
            self._fetch_page(min(max(missing, PAGE_SIZE), BULK_PAGE_SIZE))

    def is_paged(self) -> bool:
        """Return whether the rows came from `set_pages` (newest study first)."""
        return self._fetch is not None

    def fetch_all(self) -> None:
        """Fetch every remaining page, for an order the archive does not page in."""
        while self.canFetchMore():
            self._fetch_page(BULK_PAGE_SIZE)

    def record(self, row: int) -> StudyRecord:
        """Return the study shown in ``row``."""
        return self._records[row]

    def records(self) -> list[StudyRecord]:
        """Return every study of the model, in model order."""
        return list(self._records)

    def row_of(self, study_uid: str) -> int | None:
        """Return the row of the study ``study_uid``, or None when not loaded."""
        return self._rows_by_uid.get(study_uid)

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
        # Plain ints: comparing a role with Qt's enum members costs more than
        # the rest of a display lookup.
        row = index.row()
        if row < 0 or row >= len(self._records):
            return None
        if role == _DISPLAY_ROLE:
            texts = self._display_rows.get(row)
            if texts is None:
                texts = self._display_texts(self._records[row])
                self._display_rows[row] = texts
            return texts[index.column()]
        record = self._records[row]
        key = COLUMN_KEYS[index.column()]
        if role == _SORT_ROLE:
            return self._sort_value(record, key)
        if role == _RECORD_ROLE:
            return record
        if role == _ALIGNMENT_ROLE and key.startswith("NumberOf"):
            return _RIGHT_ALIGNED
        return None

    @classmethod
    def _display_texts(cls, record: StudyRecord) -> tuple[str, ...]:
        return tuple(cls._display_value(record, key) for key in COLUMN_KEYS)

    @staticmethod
    def _display_value(record: StudyRecord, key: str) -> str:
        if key == "PatientName":
            return format_person_name(record.display_name)
        if key == "PatientBirthDate":
            return format_dicom_date(record.PatientBirthDate)
        if key == "StudyDateTime":
            date = format_dicom_date(record.StudyDate)
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
    """Sorting proxy over `StudyTableModel` by the unformatted column values.

    The archive pages studies newest first only. Sorted that way, a paged
    source is already in order: the proxy passes its rows through unsorted
    (sorting 100 rows through Python comparisons cost about 6 ms) and later
    pages append below. Any other order needs every matching study, so
    sorting by it first fetches all the remaining pages (for a filter that
    matches many studies this reads them all, as `Archive.find_studies`
    would).
    """

    def __init__(self, source: StudyTableModel) -> None:
        super().__init__()
        self._source = source
        self._column = -1
        self._order = Qt.SortOrder.AscendingOrder
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def pages_in_order(self) -> bool:
        """Return whether the current sort is the order the archive pages in."""
        return _is_page_order(self._column, self._order)

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        self._column = column
        self._order = order
        if self._source.is_paged() and _is_page_order(column, order):
            super().sort(-1)
            return
        # Every row first, so the proxy sorts once instead of placing each
        # fetched page into an already sorted list.
        if not _is_page_order(column, order):
            self._source.fetch_all()
        super().sort(column, order)

    def complete_for_sort(self) -> None:
        """Apply the current sort to new source rows (call after `set_pages`)."""
        self.sort(self._column, self._order)

    def canFetchMore(self, parent: ModelIndex) -> bool:
        # Pages fetched in another order would land mid-list, so scrolling
        # fetches only while the list is sorted as the archive pages.
        return self.pages_in_order() and super().canFetchMore(parent)

    def row_of(self, study_uid: str) -> int | None:
        """Return the proxy row of the study ``study_uid``, or None."""
        source_row = self._source.row_of(study_uid)
        if source_row is None:
            return None
        row = self.mapFromSource(self._source.index(source_row, 0)).row()
        return row if row >= 0 else None

    def record_at(self, index: ModelIndex) -> StudyRecord | None:
        """Return the study of the row of ``index`` (a proxy index)."""
        if not index.isValid():
            return None
        record: StudyRecord | None = self.index(index.row(), 0).data(RECORD_ROLE)
        return record


def _is_page_order(column: int, order: Qt.SortOrder) -> bool:
    return column < 0 or (
        column == STUDY_DATE_COLUMN and order == Qt.SortOrder.DescendingOrder
    )
