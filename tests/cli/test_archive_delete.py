"""`pacs-desktop archive delete`, run in-process."""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.cli.main import run
from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.workstation import Workstation


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def study_uid(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The StudyInstanceUID of pydicom's CT_small.dcm, imported."""
    path = Path(str(get_testdata_file("CT_small.dcm")))
    assert run(["--data-dir", str(data_dir), "import", str(path)]) == 0
    capsys.readouterr()
    station = Workstation(data_dir)
    try:
        (study,) = station.archive.find_studies(StudyQuery())
    finally:
        station.close()
    return study.StudyInstanceUID


def archive_command(data_dir: Path, *args: str) -> int:
    return run(["--data-dir", str(data_dir), "archive", *args])


def study_count(data_dir: Path) -> int:
    station = Workstation(data_dir)
    try:
        return len(station.archive.find_studies(StudyQuery()))
    finally:
        station.close()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_delete_with_yes(
    data_dir: Path, study_uid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = archive_command(data_dir, "delete", study_uid, "--yes")

    assert status == 0
    assert "deleted study" in capsys.readouterr().out
    assert study_count(data_dir) == 0


def test_delete_audited_under_os_account(data_dir: Path, study_uid: str) -> None:
    archive_command(data_dir, "delete", study_uid, "--yes")

    station = Workstation(data_dir)
    try:
        record = station.audit.records()[-1]
    finally:
        station.close()
    assert record.event == events.INSTANCES_DELETED
    assert record.user == getpass.getuser()
    assert record.os_account


def test_delete_without_terminal_needs_yes(
    data_dir: Path,
    study_uid: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))

    status = archive_command(data_dir, "delete", study_uid)

    assert status == 1
    assert "--yes" in capsys.readouterr().err
    assert study_count(data_dir) == 1


@pytest.mark.parametrize(("answer", "status", "left"), [("yes", 0, 0), ("no", 1, 1)])
def test_delete_asks_in_terminal(
    data_dir: Path,
    study_uid: str,
    *,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    status: int,
    left: int,
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal(f"{answer}\n"))

    assert archive_command(data_dir, "delete", study_uid) == status
    assert "Dictations and reports are" in capsys.readouterr().out
    assert study_count(data_dir) == left


def test_delete_unknown_study(
    data_dir: Path, study_uid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = archive_command(data_dir, "delete", "1.2.3.999", "--yes")

    assert status != 0
    assert "no study with Study Instance UID 1.2.3.999" in capsys.readouterr().err
