"""Study browser: filters as the user types, sorting, series thumbnails."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyCursor, StudyPage, StudyQuery
from pacs_desktop.core.security.emergency import EmergencyAccess
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.browser import StudyBrowser, study_model
from pacs_desktop.ui.browser.filter_bar import dicom_date_range, parse_date_bound
from pacs_desktop.ui.browser.series_panel import SERIES_UID_ROLE
from pacs_desktop.ui.workers import TaskRunner
from tests.ui.conftest import SAMPLE_STUDIES, write_image

ALL_STUDIES = 4


@pytest.fixture(autouse=True)
def british_locale() -> Iterator[None]:
    """Show dates as the British locale does (15/03/1970) whatever the system's."""
    previous = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def browser(
    qtbot: QtBot, filled_workstation: Workstation, runner: TaskRunner
) -> StudyBrowser:
    widget = StudyBrowser(filled_workstation.archive, runner)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    widget.refresh()
    return widget


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def table_column(browser: StudyBrowser, column: int) -> list[str]:
    proxy = browser.proxy
    return [str(proxy.index(row, column).data()) for row in range(proxy.rowCount())]


def test_browser_lists_all_studies(browser: StudyBrowser) -> None:
    assert browser.row_count() == ALL_STUDIES


def test_browser_shows_patient_columns(browser: StudyBrowser) -> None:
    rows = {
        tuple(str(browser.proxy.index(row, column).data()) for column in range(0, 4))
        for row in range(browser.row_count())
    }
    assert ("Doe, Jane", "PID-1001", "15/03/1970", "F") in rows


@pytest.mark.parametrize(
    ("field", "text", "expected_rows"),
    [
        ("name_edit", "Doe*", 2),
        ("name_edit", "Smith^?nna", 1),
        ("name_edit", "Nobody*", 0),
        ("id_edit", "PID-2001", 1),
        ("date_from_edit", "2024-01-01", 3),
        ("date_to_edit", "2023-12-31", 1),
        ("date_from_edit", "2024", 3),
        ("modality_edit", "mr", 1),
        ("modality_edit", "CT, MR", ALL_STUDIES),
        ("modality_edit", "mr us", 1),
        ("modality_edit", "US\\XA", 0),
        ("accession_edit", "ACC-3", 1),
    ],
)
def test_filter_applies_while_typing(
    qtbot: QtBot, browser: StudyBrowser, field: str, text: str, expected_rows: int
) -> None:
    edit: QLineEdit = getattr(browser.filter_bar, field)
    type_into(qtbot, edit, text)
    qtbot.waitUntil(lambda: browser.row_count() == expected_rows, timeout=3000)


def test_filter_date_range_both_bounds(qtbot: QtBot, browser: StudyBrowser) -> None:
    type_into(qtbot, browser.filter_bar.date_from_edit, "2024-01-01")
    type_into(qtbot, browser.filter_bar.date_to_edit, "2024-03-31")
    qtbot.waitUntil(lambda: browser.row_count() == 2, timeout=3000)
    assert sorted(table_column(browser, 1)) == ["PID-1001", "PID-1002"]


def test_filter_waits_for_typing_pause(qtbot: QtBot, browser: StudyBrowser) -> None:
    with qtbot.waitSignal(browser.sig_studies_shown, timeout=3000) as blocker:
        type_into(qtbot, browser.filter_bar.name_edit, "Smith*")
    assert blocker.args == [2]


def test_invalid_date_is_marked_and_ignored(
    qtbot: QtBot, browser: StudyBrowser
) -> None:
    type_into(qtbot, browser.filter_bar.date_from_edit, "2024-13-45")
    with qtbot.waitSignal(browser.sig_studies_shown, timeout=3000) as blocker:
        type_into(qtbot, browser.filter_bar.id_edit, "PID-1*")
    assert blocker.args == [2]
    assert "background" in browser.filter_bar.date_from_edit.styleSheet()


def test_invalid_modality_is_marked_and_ignored(
    qtbot: QtBot, browser: StudyBrowser
) -> None:
    edit = browser.filter_bar.modality_edit
    edit.setToolTip("Modalities read here: CT, MR")
    type_into(qtbot, edit, "C-T")
    with qtbot.waitSignal(browser.sig_studies_shown, timeout=3000) as blocker:
        type_into(qtbot, browser.filter_bar.id_edit, "PID-1*")
    assert blocker.args == [2]
    assert "background" in edit.styleSheet()
    assert "1 to 16 letters" in edit.toolTip()


def test_corrected_modality_restores_tooltip(
    qtbot: QtBot, browser: StudyBrowser
) -> None:
    edit = browser.filter_bar.modality_edit
    edit.setToolTip("Modalities read here: CT, MR")
    type_into(qtbot, edit, "C-T")
    qtbot.waitUntil(lambda: edit.styleSheet() != "", timeout=3000)
    edit.setText("MR")
    qtbot.waitUntil(lambda: browser.row_count() == 1, timeout=3000)
    assert edit.styleSheet() == ""
    assert edit.toolTip() == "Modalities read here: CT, MR"


def test_clearing_filter_shows_all_again(qtbot: QtBot, browser: StudyBrowser) -> None:
    type_into(qtbot, browser.filter_bar.name_edit, "Doe^Jane")
    qtbot.waitUntil(lambda: browser.row_count() == 1, timeout=3000)
    browser.filter_bar.clear()
    qtbot.waitUntil(lambda: browser.row_count() == ALL_STUDIES, timeout=3000)


def test_columns_sort(browser: StudyBrowser) -> None:
    browser.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = table_column(browser, 0)
    assert names == ["Doe, Jane", "Doe, John", "Smith, Anna", "Smith, Bob"]

    browser.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)
    assert table_column(browser, 8)[0] == "2"


def test_birth_dates_sort_by_dicom_value(browser: StudyBrowser) -> None:
    # Sorted as shown (day first), 15/03/1970 would come before 22/07/1965.
    browser.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert table_column(browser, 2) == ["", "22/07/1965", "15/03/1970", "30/11/1988"]


def test_default_sort_is_newest_study_first(browser: StudyBrowser) -> None:
    assert table_column(browser, 1)[0] == "PID-2002"


def test_enter_requests_open(qtbot: QtBot, browser: StudyBrowser) -> None:
    browser.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    browser.table.selectRow(1)
    browser.table.setFocus()
    with qtbot.waitSignal(browser.sig_open_requested, timeout=3000) as blocker:
        qtbot.keyClick(browser.table, Qt.Key.Key_Return)
    assert blocker.args[0].PatientID == "PID-1002"


def test_selection_shows_series_thumbnails(qtbot: QtBot, browser: StudyBrowser) -> None:
    browser.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    browser.table.selectRow(0)
    panel = browser.series_panel
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=3000)
    qtbot.waitUntil(lambda: panel.thumbnail_count() == 2, timeout=10_000)

    item = panel.list.item(0)
    assert item.data(SERIES_UID_ROLE)
    image = item.icon().pixmap(96, 96).toImage()
    greys = {
        image.pixelColor(x, y).value()
        for x in range(image.width())
        for y in range(image.height())
    }
    assert len(greys) > 8


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("", False, ""),
        ("2024-02-29", False, "20240229"),
        ("20240229", True, "20240229"),
        ("2023-02-29", False, None),
        ("2024", False, "20240101"),
        ("2024", True, "20241231"),
        ("24-1-1", False, None),
    ],
)
def test_parse_date_bound(text: str, end: bool, expected: str | None) -> None:
    assert parse_date_bound(text, end=end) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("20240101", "20241231", "20240101-20241231"),
        ("20240101", "", "20240101-"),
        ("", "20241231", "-20241231"),
        ("20240101", "20240101", "20240101"),
        ("", "", ""),
    ],
)
def test_dicom_date_range(start: str, end: str, expected: str) -> None:
    assert dicom_date_range(start, end) == expected


def test_name_in_ideographic_group_shown(
    qtbot: QtBot, workstation: Workstation, runner: TaskRunner, tmp_path: Path
) -> None:
    ds = pydicom.dcmread(str(get_testdata_file("CT_small.dcm")))
    ds.SpecificCharacterSet = "GB18030"
    ds.PatientName = "=赵^桂香"
    ds.PatientID = "GB-1"
    path = tmp_path / "gb18030.dcm"
    ds.save_as(path)
    workstation.archive.import_paths([path])

    widget = StudyBrowser(workstation.archive, runner)
    qtbot.addWidget(widget)
    widget.refresh()
    assert widget.row_count() == 1
    assert widget.proxy.index(0, 0).data() == "赵^桂香"


def test_enter_in_filter_focuses_table(qtbot: QtBot, browser: StudyBrowser) -> None:
    browser.activateWindow()
    type_into(qtbot, browser.filter_bar.id_edit, "PID-1001")
    qtbot.keyClick(browser.filter_bar.id_edit, Qt.Key.Key_Return)

    assert browser.row_count() == 1
    qtbot.waitUntil(browser.table.hasFocus, timeout=3000)


def _import_new_study(workstation: Workstation, folder: Path) -> None:
    study = SAMPLE_STUDIES[0]
    path = folder / "new.dcm"
    folder.mkdir()
    write_image(
        path,
        replace(study, PatientID="PID-9001", StudyDate="20250101"),
        study_uid=pydicom.uid.generate_uid(),
        series_uid=pydicom.uid.generate_uid(),
        series_number=1,
        instance_number=1,
    )
    summary = workstation.archive.import_paths([path])
    assert summary.imported, summary.rejected


def test_enter_in_empty_filter_searches(
    qtbot: QtBot, browser: StudyBrowser, filled_workstation: Workstation, tmp_path: Path
) -> None:
    browser.change_timer.stop()
    _import_new_study(filled_workstation, tmp_path / "new")
    assert browser.row_count() == ALL_STUDIES

    qtbot.keyClick(browser.filter_bar.name_edit, Qt.Key.Key_Return)

    assert browser.row_count() == ALL_STUDIES + 1


def test_f5_refreshes_study_list(
    qtbot: QtBot, browser: StudyBrowser, filled_workstation: Workstation, tmp_path: Path
) -> None:
    browser.change_timer.stop()
    browser.activateWindow()
    browser.table.setFocus()
    qtbot.waitUntil(browser.table.hasFocus, timeout=3000)
    _import_new_study(filled_workstation, tmp_path / "new")

    qtbot.keyClick(browser.table, Qt.Key.Key_F5)

    assert browser.row_count() == ALL_STUDIES + 1


def test_reversed_date_range_shows_message(qtbot: QtBot, browser: StudyBrowser) -> None:
    type_into(qtbot, browser.filter_bar.date_from_edit, "2024-06-01")
    type_into(qtbot, browser.filter_bar.date_to_edit, "2024-01-01")
    qtbot.waitUntil(browser.message_label.isVisible, timeout=3000)

    assert browser.row_count() == 0
    assert "ends before it starts" in browser.message_label.text()
    browser.filter_bar.date_to_edit.clear()
    qtbot.waitUntil(lambda: not browser.message_label.isVisible(), timeout=3000)
    assert browser.row_count() == 1


@pytest.fixture
def one_study_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the study table fetch one study per page."""
    monkeypatch.setattr(study_model, "PAGE_SIZE", 1)
    monkeypatch.setattr(study_model, "BULK_PAGE_SIZE", 2)


def archive_pages(archive: Archive) -> study_model.PageFetcher:
    def fetch(after: StudyCursor | None, page_size: int) -> StudyPage:
        return archive.find_studies_page(StudyQuery(), after=after, page_size=page_size)

    return fetch


@pytest.mark.usefixtures("one_study_pages")
def test_model_loads_first_page_only(filled_workstation: Workstation) -> None:
    model = study_model.StudyTableModel()
    model.set_pages(archive_pages(filled_workstation.archive))
    assert model.rowCount() == 1
    assert model.canFetchMore(QModelIndex())


@pytest.mark.usefixtures("one_study_pages")
def test_model_fetches_pages_newest_first(filled_workstation: Workstation) -> None:
    model = study_model.StudyTableModel()
    model.set_pages(archive_pages(filled_workstation.archive))
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    dates = [record.StudyDate for record in model.records()]
    assert dates == ["20240620", "20240305", "20240110", "20231201"]


@pytest.mark.usefixtures("one_study_pages")
def test_model_set_records_stops_fetching(filled_workstation: Workstation) -> None:
    model = study_model.StudyTableModel()
    model.set_pages(archive_pages(filled_workstation.archive))
    model.set_records([])
    assert not model.canFetchMore(QModelIndex())


@pytest.mark.usefixtures("one_study_pages")
def test_model_row_of_loaded_study(filled_workstation: Workstation) -> None:
    model = study_model.StudyTableModel()
    model.set_pages(archive_pages(filled_workstation.archive))
    model.fetch_all()
    uid = model.record(2).StudyInstanceUID
    assert model.row_of(uid) == 2
    assert model.row_of("1.2.3.4") is None


@pytest.mark.usefixtures("one_study_pages")
def test_view_fetches_pages_as_shown(qtbot: QtBot, browser: StudyBrowser) -> None:
    # A tall table shows its last row, so the view asks for the next page.
    qtbot.waitUntil(lambda: browser.row_count() == ALL_STUDIES, timeout=3000)
    assert table_column(browser, 1)[0] == "PID-2002"


@pytest.mark.usefixtures("one_study_pages")
def test_sort_by_name_loads_every_page(
    qtbot: QtBot, filled_workstation: Workstation, runner: TaskRunner
) -> None:
    widget = StudyBrowser(filled_workstation.archive, runner)
    qtbot.addWidget(widget)
    widget.refresh()
    assert widget.row_count() == 1

    widget.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = table_column(widget, 0)
    assert names == ["Doe, Jane", "Doe, John", "Smith, Anna", "Smith, Bob"]


@pytest.mark.usefixtures("one_study_pages")
def test_filter_keeps_non_date_sort_complete(
    qtbot: QtBot, filled_workstation: Workstation, runner: TaskRunner
) -> None:
    widget = StudyBrowser(filled_workstation.archive, runner)
    qtbot.addWidget(widget)
    widget.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    widget.filter_bar.modality_edit.setText("CT")
    with qtbot.waitSignal(widget.sig_studies_shown, timeout=3000) as blocker:
        pass
    assert blocker.args == [3]
    assert table_column(widget, 0) == ["Smith, Bob", "Smith, Anna", "Doe, Jane"]


@pytest.mark.usefixtures("one_study_pages")
def test_date_sort_ascending_loads_every_page(
    qtbot: QtBot, filled_workstation: Workstation, runner: TaskRunner
) -> None:
    widget = StudyBrowser(filled_workstation.archive, runner)
    qtbot.addWidget(widget)
    widget.refresh()
    widget.table.sortByColumn(
        study_model.STUDY_DATE_COLUMN, Qt.SortOrder.AscendingOrder
    )
    assert table_column(widget, 1) == ["PID-2001", "PID-1001", "PID-1002", "PID-2002"]


def refusal_for(qtbot: QtBot, workstation: Workstation, session: Session) -> str:
    # Imported here: importing pacs_desktop.ui.security before the main window
    # runs into the package's import cycle through the network settings.
    from pacs_desktop.ui.security.emergency_dialog import StudyAccessGate

    parent = QWidget()
    qtbot.addWidget(parent)
    emergency = EmergencyAccess(
        workstation.database, workstation.audit, restricted=lambda _uid: True
    )
    gate = StudyAccessGate(parent, session, workstation.audit, emergency)
    return gate.refusal_message()


def test_restricted_refusal_tells_admin_to_lift(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    message = refusal_for(qtbot, workstation, admin_session)
    assert "Lift restriction" in message
    assert "Ask" not in message


@pytest.mark.parametrize(
    "role", [Role.REFERRING_PHYSICIAN, Role.TECHNICIAN, Role.TRANSCRIPTIONIST]
)
def test_restricted_refusal_names_whom_to_ask(
    qtbot: QtBot, workstation: Workstation, admin_session: Session, role: Role
) -> None:
    workstation.users.create_user(
        "user", "Correct-Horse-Battery-9", role, actor=admin_session
    )
    session = workstation.users.authenticate("user", "Correct-Horse-Battery-9")
    message = refusal_for(qtbot, workstation, session)
    assert "radiologist" in message
    assert "administrator to lift the restriction" in message
