"""The study browser follows changes that other processes make to the archive."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pydicom.uid import generate_uid
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.browser import StudyBrowser
from pacs_desktop.ui.workers import TaskRunner
from tests.ui.conftest import SAMPLE_STUDIES, write_image

ALL_STUDIES = 4
# Newer than every sample study, so it becomes the first row.
NEW_STUDY = replace(
    SAMPLE_STUDIES[0],
    PatientName="New^Patient",
    PatientID="PID-9001",
    StudyDate="20250101",
    AccessionNumber="ACC-9",
)


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


def new_study_file(folder: Path, study_uid: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{generate_uid()}.dcm"
    write_image(
        path,
        NEW_STUDY,
        study_uid=study_uid or generate_uid(),
        series_uid=generate_uid(),
        series_number=7,
        instance_number=1,
    )
    return path


def top_study(browser: StudyBrowser) -> StudyRecord | None:
    return browser.proxy.record_at(browser.table.indexAt(QPoint(0, 0)))


def select_patient(browser: StudyBrowser, patient_id: str) -> StudyRecord:
    for row in range(browser.row_count()):
        record = browser.proxy.record_at(browser.proxy.index(row, 0))
        if record is not None and record.PatientID == patient_id:
            browser.table.selectRow(row)
            return record
    raise AssertionError(f"no study of {patient_id} in the table")


def test_import_by_other_process_shown(
    qtbot: QtBot, browser: StudyBrowser, tmp_path: Path
) -> None:
    browser.change_timer.setInterval(20)
    path = new_study_file(tmp_path / "new")
    data_dir = tmp_path / "data"  # the data directory of filled_workstation

    command = [sys.executable, "-m", "pacs_desktop", "--data-dir", str(data_dir)]
    imported = subprocess.run(
        [*command, "import", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert imported.returncode == 0, imported.stderr
    qtbot.waitUntil(lambda: browser.row_count() == ALL_STUDIES + 1, timeout=10000)
    assert top_study(browser) is not None
    assert browser.proxy.index(0, 1).data() == "PID-9001"


def test_unchanged_archive_not_queried(
    qtbot: QtBot,
    browser: StudyBrowser,
    filled_workstation: Workstation,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    archive = filled_workstation.archive
    queries: list[object] = []
    find_page = archive.find_studies_page

    def counting_find_page(*args: object, **kwargs: object) -> object:
        queries.append(args)
        return find_page(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(archive, "find_studies_page", counting_find_page)
    browser.change_timer.setInterval(20)
    for _ in range(3):
        with qtbot.waitSignal(browser.change_timer.timeout, timeout=3000):
            pass

    assert queries == []
    assert browser.reload_if_changed() is False

    archive.import_paths([new_study_file(tmp_path / "new")])
    qtbot.waitUntil(lambda: browser.row_count() == ALL_STUDIES + 1, timeout=5000)
    assert len(queries) == 1


def test_reload_keeps_selection_and_top(
    qtbot: QtBot, browser: StudyBrowser, filled_workstation: Workstation, tmp_path: Path
) -> None:
    browser.change_timer.stop()
    table = browser.table
    row_height = table.rowHeight(0)
    table.setFixedHeight(table.horizontalHeader().height() + 2 * row_height + 4)
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 0, timeout=3000)
    selected = select_patient(browser, "PID-2002")
    table.verticalScrollBar().setValue(1)
    top = top_study(browser)
    assert top is not None
    assert top.StudyInstanceUID != selected.StudyInstanceUID

    filled_workstation.archive.import_paths([new_study_file(tmp_path / "new")])

    assert browser.reload_if_changed() is True
    assert browser.row_count() == ALL_STUDIES + 1
    still_selected = browser.selected_study()
    assert still_selected is not None
    assert still_selected.StudyInstanceUID == selected.StudyInstanceUID
    still_top = top_study(browser)
    assert still_top is not None
    assert still_top.StudyInstanceUID == top.StudyInstanceUID
    assert browser.series_panel.study_uid == selected.StudyInstanceUID


def test_new_series_of_selected_study_listed(
    qtbot: QtBot, browser: StudyBrowser, filled_workstation: Workstation, tmp_path: Path
) -> None:
    browser.change_timer.stop()
    selected = select_patient(browser, "PID-1001")
    panel = browser.series_panel
    qtbot.waitUntil(lambda: panel.list.count() == selected.NumberOfStudyRelatedSeries)
    study_uid = selected.StudyInstanceUID
    path = tmp_path / "retrieved" / "series3.dcm"
    path.parent.mkdir()
    write_image(
        path,
        SAMPLE_STUDIES[0],
        study_uid=study_uid,
        series_uid=generate_uid(),
        series_number=3,
        instance_number=1,
    )

    filled_workstation.archive.import_paths([path])

    assert browser.reload_if_changed() is True
    qtbot.waitUntil(lambda: panel.list.count() == 3, timeout=5000)
    assert browser.row_count() == ALL_STUDIES
