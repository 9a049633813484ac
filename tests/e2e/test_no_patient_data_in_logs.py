"""No patient name or ID reaches the log, the settings or the temp folder.

A whole GUI session (first administrator, login, import, filter, confirm,
open, scroll, window, close, logout) runs in-process, then the command line
imports, searches and renders the same files. Only the database may hold the
patient's name and ID (in the index and the audit trail).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import logging
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydicom.uid import generate_uid
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pacs_desktop.app import configure_logging
from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.login import LoginDialog
from pacs_desktop.ui.main_window import MainWindow
from tests.ui.conftest import SampleStudy, write_image

PATIENT_NAME = "ZZTESTNAME^LOGCHECK"
PATIENT_ID = "ZZID9876"
BIRTH_DATE = "19800229"
ADMIN = "admin"
ADMIN_PASSWORD = "Correct-Horse-Battery-9"
STUDY = SampleStudy(
    PATIENT_NAME, PATIENT_ID, BIRTH_DATE, "O", "20250102", "CT", "ACCZZ77",
    "CT log check", images_per_series=3,
)  # fmt: skip


def forbidden_fragments() -> list[str]:
    """The patient ID and each '=' group and '^' component of the name."""
    fragments = {PATIENT_ID, PATIENT_NAME}
    for group in PATIENT_NAME.split("="):
        fragments.add(group)
        fragments.update(part for part in group.split("^") if part)
    return sorted(fragments)


@pytest.fixture
def session_dirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, Path]]:
    """A data directory with its log file, and a private temp folder."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    temp_dir = tmp_path / "temp"
    temp_dir.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp_dir))
    monkeypatch.setattr(tempfile, "tempdir", str(temp_dir))
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    level_before = root.level
    configure_logging(data_dir, console=False)
    yield data_dir, temp_dir
    for handler in root.handlers[:]:
        if handler not in handlers_before:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level_before)


def write_study(folder: Path) -> Path:
    folder.mkdir(parents=True)
    study_uid, series_uid = generate_uid(), generate_uid()
    for number in range(1, STUDY.images_per_series + 1):
        write_image(
            folder / f"image{number}.dcm",
            STUDY,
            study_uid=study_uid,
            series_uid=series_uid,
            series_number=1,
            instance_number=number,
        )
    return folder


def log_in(qtbot: QtBot, station: Workstation, *, first: bool) -> LoginDialog:
    dialog = LoginDialog(station.users)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, ADMIN)
    qtbot.keyClicks(dialog.password_edit, ADMIN_PASSWORD)
    if first:
        qtbot.keyClicks(dialog.repeat_edit, ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.session is not None
    return dialog


def run_gui_session(qtbot: QtBot, data_dir: Path, folder: Path) -> None:
    station = Workstation(data_dir)
    log_in(qtbot, station, first=True)
    login = log_in(qtbot, station, first=False)
    assert login.session is not None
    window = MainWindow(station, login.session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    with qtbot.waitSignal(window.sig_import_finished, timeout=30_000):
        assert window.start_import([folder])
    summary = window.summary_dialog
    assert summary is not None
    summary.accept()

    window.browser.focus_filter()
    qtbot.keyClicks(window.browser.filter_bar.name_edit, "ZZTEST*")
    qtbot.waitUntil(lambda: window.browser.row_count() == 1, timeout=5000)
    study = window.browser.selected_study()
    assert study is not None

    with qtbot.waitSignal(window.sig_study_opened, timeout=10_000):
        window.request_open(study)
        confirm = window.confirm_dialog
        assert confirm is not None
        qtbot.keyClicks(confirm.answer_edit, "1980-02-29")
        qtbot.keyClick(confirm.answer_edit, Qt.Key.Key_Return)
    viewer = window.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.current_index is not None, timeout=10_000)

    viewer.go_to(2)
    qtbot.waitUntil(lambda: viewer.current_index == 2, timeout=10_000)
    qtbot.keyClick(viewer, Qt.Key.Key_1)
    window.show_browser()
    window.close()
    station.close()


def run_cli(data_dir: Path, temp_dir: Path, *args: str) -> str:
    env = dict(os.environ, TMPDIR=str(temp_dir))
    result = subprocess.run(
        [sys.executable, "-m", "pacs_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def searched_files(data_dir: Path, temp_dir: Path) -> list[Path]:
    files = [path for path in (data_dir / "logs").rglob("*") if path.is_file()]
    files += [path for path in temp_dir.rglob("*") if path.is_file()]
    files += [path for path in data_dir.glob("*.json") if path.is_file()]
    config = Path(os.environ["XDG_CONFIG_HOME"])
    if config.is_dir():
        files += [path for path in config.rglob("*") if path.is_file()]
    return files


def test_session_leaves_no_patient_data(
    qtbot: QtBot, session_dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    data_dir, temp_dir = session_dirs
    gui_folder = write_study(tmp_path / "gui-import")
    cli_folder = write_study(tmp_path / "cli-import")

    run_gui_session(qtbot, data_dir, gui_folder)
    run_cli(data_dir, temp_dir, "import", str(cli_folder))
    listing = run_cli(data_dir, temp_dir, "studies", "--patient-name", "ZZTEST*")
    assert PATIENT_ID in listing
    station = Workstation(data_dir)
    studies = station.archive.find_studies(StudyQuery(patient_id=PATIENT_ID))
    instance = station.archive.series_for_study(studies[0].StudyInstanceUID)[0]
    (first, *_rest) = station.archive.instances_for_series(instance.SeriesInstanceUID)
    station.close()
    output = tmp_path / "render.png"
    run_cli(data_dir, temp_dir, "render", first.SOPInstanceUID, "--output", str(output))
    assert output.is_file()

    for handler in logging.getLogger().handlers:
        handler.flush()
    log_file = data_dir / "logs" / "pacs-desktop.log"
    assert log_file.stat().st_size > 0
    hits = []
    for path in searched_files(data_dir, temp_dir):
        text = path.read_bytes().decode("utf-8", errors="replace").casefold()
        hits += [
            f"{path}: {fragment}"
            for fragment in forbidden_fragments()
            if fragment.casefold() in text
        ]
    assert hits == []
