"""`pacs-desktop archive restrict|unrestrict|restrictions`, run in-process."""

from __future__ import annotations

import getpass
import subprocess
import sys
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.cli.main import run
from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.archive.restrictions import StudyRestrictions
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.workstation import Workstation

UNKNOWN_STUDY = "1.2.826.0.1.3680043.8.498.999"


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


def archive(data_dir: Path, *args: str) -> int:
    return run(["--data-dir", str(data_dir), "archive", *args])


def is_restricted(data_dir: Path, uid: str) -> bool:
    station = Workstation(data_dir)
    try:
        return StudyRestrictions(station.database, station.audit).is_restricted(uid)
    finally:
        station.close()


def records(data_dir: Path, event: str) -> list[events.AuditRecord]:
    station = Workstation(data_dir)
    try:
        return [record for record in station.audit.records() if record.event == event]
    finally:
        station.close()


def test_restrict_marks_study(
    data_dir: Path, study_uid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert archive(data_dir, "restrict", study_uid, "--reason", "staff member") == 0
    assert f"restricted study {study_uid}: staff member" in capsys.readouterr().out
    assert is_restricted(data_dir, study_uid)


def test_restrict_audited_under_os_account(data_dir: Path, study_uid: str) -> None:
    archive(data_dir, "restrict", study_uid, "--reason", "VIP")
    (record,) = records(data_dir, events.STUDY_RESTRICTED)
    assert record.user == getpass.getuser()
    assert record.os_account is True
    assert record.study_uids == (study_uid,)
    assert record.patient_id == "1CT1"
    assert "VIP" in record.detail


def test_restrict_unknown_study_fails(
    data_dir: Path, study_uid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert archive(data_dir, "restrict", UNKNOWN_STUDY, "--reason", "VIP") == 1
    assert "no study with Study Instance UID" in capsys.readouterr().err
    assert not is_restricted(data_dir, UNKNOWN_STUDY)


def test_restrict_empty_reason_fails(
    data_dir: Path, study_uid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert archive(data_dir, "restrict", study_uid, "--reason", "  ") == 1
    assert "needs a reason" in capsys.readouterr().err
    assert not is_restricted(data_dir, study_uid)
    assert records(data_dir, events.STUDY_RESTRICTED) == []


def test_restrict_without_reason_is_usage_error(data_dir: Path, study_uid: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        archive(data_dir, "restrict", study_uid)
    assert exit_info.value.code == 2


def test_unrestrict_lifts_restriction(
    data_dir: Path, study_uid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    archive(data_dir, "restrict", study_uid, "--reason", "VIP")
    assert archive(data_dir, "unrestrict", study_uid) == 0
    assert "lifted the restriction" in capsys.readouterr().out
    assert not is_restricted(data_dir, study_uid)
    lifted = records(data_dir, events.STUDY_UNRESTRICTED)[-1]
    assert lifted.detail == "study restriction lifted"
    assert lifted.os_account is True


def test_unrestrict_open_study_fails(
    data_dir: Path, study_uid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert archive(data_dir, "unrestrict", study_uid) == 1
    assert "is not restricted" in capsys.readouterr().err
    assert records(data_dir, events.STUDY_UNRESTRICTED) == []


def test_restrictions_lists_studies(
    data_dir: Path, study_uid: str, capsys: pytest.CaptureFixture[str]
) -> None:
    archive(data_dir, "restrict", study_uid, "--reason", "staff member")
    capsys.readouterr()
    assert archive(data_dir, "restrictions") == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(study_uid)
    assert line.endswith(f"{getpass.getuser()}  staff member")


def test_installed_command_restricts(data_dir: Path, study_uid: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pacs_desktop",
            "--data-dir",
            str(data_dir),
            "archive",
            "restrict",
            study_uid,
            "--reason",
            "VIP",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert is_restricted(data_dir, study_uid)
