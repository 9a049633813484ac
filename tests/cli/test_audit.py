"""`pacs-desktop audit`, run as the real installed command."""

from __future__ import annotations

import getpass
import json
import os
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pacs_desktop.core.archive.database import DATABASE_NAME, Database
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail

ENTRY_POINT = Path(sys.executable).with_name("pacs-desktop")
PATIENT_ID = "PAT-0042"
PATIENT_NAME = "Tanaka^Hanako"
# One record a day at 08:30 UTC, from 1 to 6 March 2026.
FIRST_DAY = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)
DAYS = 6


class DailyClock:
    """A clock that moves one day forward after each reading."""

    def __init__(self) -> None:
        self.now = FIRST_DAY

    def __call__(self) -> datetime:
        current = self.now
        self.now += timedelta(days=1)
        return current


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = (
        [str(ENTRY_POINT)]
        if ENTRY_POINT.exists()
        else [sys.executable, "-m", "pacs_desktop"]
    )
    return subprocess.run(
        [*command, "--data-dir", str(data_dir), "audit", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory whose trail holds one study-opened record a day."""
    folder = tmp_path / "data"
    folder.mkdir()
    database = Database(folder / DATABASE_NAME)
    trail = AuditTrail(database, clock=DailyClock())
    for day in range(DAYS):
        trail.record(
            events.STUDY_OPENED,
            user=f"reader{day + 1}",
            patient_id=PATIENT_ID,
            patient_name=PATIENT_NAME,
            study_uids=[f"1.2.826.0.1.3680043.8.498.{day + 1}"],
        )
    database.close()
    return folder


def _tamper(data_dir: Path, *statements: str) -> None:
    database = Database(data_dir / DATABASE_NAME)
    conn = database.connection()
    for statement in statements:
        conn.execute(statement)
    database.close()


def _records(data_dir: Path) -> list[events.AuditRecord]:
    database = Database(data_dir / DATABASE_NAME)
    try:
        return AuditTrail(database).records()
    finally:
        database.close()


def test_command_registered(data_dir: Path) -> None:
    result = run(data_dir, "--help")
    assert result.returncode == 0, (
        "`pacs-desktop audit` is not registered: add 'audit' to COMMAND_MODULES "
        f"in pacs_desktop/cli/main.py\n{result.stderr}"
    )


# -- verify --------------------------------------------------------------------


def test_verify_intact(data_dir: Path) -> None:
    result = run(data_dir, "verify")
    assert result.returncode == 0, result.stderr
    assert f"intact: {DAYS} records checked" in result.stdout


def test_verify_finds_edit(data_dir: Path) -> None:
    _tamper(data_dir, "UPDATE audit_log SET user_name = 'someone' WHERE seq = 3")
    result = run(data_dir, "verify")
    assert result.returncode == 1
    assert "record 3 was altered" in result.stdout


def test_verify_finds_deletion(data_dir: Path) -> None:
    _tamper(data_dir, "DELETE FROM audit_log WHERE seq = 4")
    result = run(data_dir, "verify")
    assert result.returncode == 1
    assert "record 4 is missing" in result.stdout


def test_verify_finds_swap(data_dir: Path) -> None:
    _tamper(
        data_dir,
        "UPDATE audit_log SET seq = -1 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = -1",
    )
    result = run(data_dir, "verify")
    assert result.returncode == 1
    assert "record 2 is out of order" in result.stdout


# Deletes the last two records and rewrites the head to match the shorter trail.
CUT_END = (
    f"DELETE FROM audit_log WHERE seq > {DAYS - 2}",
    f"UPDATE audit_head SET last_seq = {DAYS - 2}, record_count = {DAYS - 2}, "
    f"last_hash = (SELECT hash FROM audit_log WHERE seq = {DAYS - 2})",
)


def _key_file(data_dir: Path) -> Path:
    return data_dir / (DATABASE_NAME + ".audit-key")


def test_verify_reports_anchor_start(data_dir: Path) -> None:
    result = run(data_dir, "verify")
    assert "anchored since record 1" in result.stdout


def test_verify_finds_cut_end(data_dir: Path) -> None:
    _tamper(data_dir, *CUT_END)
    result = run(data_dir, "verify")
    assert result.returncode == 1
    assert "the end of the trail was cut: the head was rewritten" in result.stdout


def test_verify_finds_cut_after_restart(data_dir: Path) -> None:
    _tamper(data_dir, *CUT_END)
    run(data_dir, "list")
    result = run(data_dir, "verify")
    assert result.returncode == 1
    assert "the end of the trail was cut" in result.stdout


def test_existing_trail_anchored_at_start(data_dir: Path) -> None:
    _tamper(data_dir, "DELETE FROM audit_anchor")
    _key_file(data_dir).unlink()
    result = run(data_dir, "verify")
    assert result.returncode == 0, result.stdout
    assert f"anchored since record {DAYS + 1}" in result.stdout
    created = _records(data_dir)[DAYS]
    assert created.event == events.SETTINGS_CHANGED
    assert "anchor was created" in created.detail


def test_verify_finds_deleted_anchor(data_dir: Path) -> None:
    _tamper(data_dir, "DELETE FROM audit_anchor")
    result = run(data_dir, "verify")
    assert result.returncode == 1
    assert "missing although its key existed" in result.stdout


def test_verify_finds_missing_key(data_dir: Path) -> None:
    _key_file(data_dir).unlink()
    result = run(data_dir, "verify")
    assert result.returncode == 1
    assert "key of the audit trail's anchor is missing" in result.stdout


def test_verify_audited_as_os_account(data_dir: Path) -> None:
    run(data_dir, "verify")
    last = _records(data_dir)[-1]
    assert (last.event, last.user, last.os_account) == (
        events.AUDIT_READ,
        getpass.getuser(),
        True,
    )


def test_verify_failure_audited(data_dir: Path) -> None:
    _tamper(data_dir, "UPDATE audit_log SET detail = 'x' WHERE seq = 2")
    run(data_dir, "verify")
    assert "broken" in _records(data_dir)[-1].detail


# -- export --------------------------------------------------------------------


def _exported_users(document: ET.Element) -> list[str]:
    users = []
    for message in document.findall("AuditRecord/AuditMessage"):
        participant = message.find("ActiveParticipant")
        assert participant is not None
        users.append(participant.get("UserID") or "")
    return users


def test_export_date_range(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "audit.xml"
    result = run(
        data_dir,
        "export",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-04",
        "--output",
        str(output),
    )
    assert result.returncode == 0, result.stderr
    document = ET.parse(output).getroot()
    assert document.tag == "AuditMessages"
    seqs = [int(wrapper.get("seq") or 0) for wrapper in document]
    assert seqs == [2, 3, 4]
    assert _exported_users(document) == ["reader2", "reader3", "reader4"]


def test_export_time_bounds_inclusive(data_dir: Path) -> None:
    result = run(
        data_dir,
        "export",
        "--from",
        "2026-03-05T08:30:00Z",
        "--to",
        "2026-03-06T08:30:00+00:00",
    )
    assert result.returncode == 0, result.stderr
    document = ET.fromstring(result.stdout)
    assert [int(wrapper.get("seq") or 0) for wrapper in document] == [5, 6]


def test_export_offset_converted(data_dir: Path) -> None:
    # 09:30 at +01:00 is 08:30 UTC, the time of the record of 1 March.
    result = run(
        data_dir,
        "export",
        "--from",
        "2026-03-01T09:30+01:00",
        "--to",
        "2026-03-01T09:30+01:00",
    )
    document = ET.fromstring(result.stdout)
    assert [int(wrapper.get("seq") or 0) for wrapper in document] == [1]


def test_export_empty_range(data_dir: Path) -> None:
    result = run(data_dir, "export", "--from", "2025-01-01", "--to", "2025-12-31")
    assert result.returncode == 0, result.stderr
    assert len(ET.fromstring(result.stdout)) == 0


def test_export_file_private(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "audit.xml"
    run(
        data_dir,
        "export",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-06",
        "--output",
        str(output),
    )
    assert stat.S_IMODE(output.stat().st_mode) == 0o600


def test_export_audited(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "audit.xml"
    run(
        data_dir,
        "export",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-06",
        "--output",
        str(output),
    )
    last = _records(data_dir)[-1]
    assert (last.event, last.os_account) == (events.AUDIT_EXPORTED, True)
    assert str(output) in last.detail


def test_export_unwritable_file(data_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "missing-folder" / "audit.xml"
    result = run(
        data_dir,
        "export",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-06",
        "--output",
        str(output),
    )
    assert result.returncode == 1
    assert "cannot write" in result.stderr
    assert _records(data_dir)[-1].outcome == "failure"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("yesterday", "2026-03-02"),
        ("2026-03-01", "2026-13-01"),
        ("2026-03-04", "2026-03-02"),
    ],
)
def test_export_bad_range_rejected(data_dir: Path, start: str, end: str) -> None:
    result = run(data_dir, "export", "--from", start, "--to", end)
    assert result.returncode == 2
    assert len(_records(data_dir)) == DAYS


def test_export_needs_range(data_dir: Path) -> None:
    assert run(data_dir, "export").returncode == 2


# -- list ----------------------------------------------------------------------


def test_list_json(data_dir: Path) -> None:
    result = run(data_dir, "list", "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [item["seq"] for item in listed] == list(range(1, DAYS + 1))
    assert listed[0]["patient_id"] == PATIENT_ID


def test_list_filters(data_dir: Path) -> None:
    result = run(data_dir, "list", "--json", "--user", "reader5")
    assert [item["seq"] for item in json.loads(result.stdout)] == [5]


def test_list_limit(data_dir: Path) -> None:
    result = run(data_dir, "list", "--json", "--limit", "2")
    assert [item["seq"] for item in json.loads(result.stdout)] == [5, 6]


def test_list_table(data_dir: Path) -> None:
    result = run(data_dir, "list", "--from", "2026-03-03", "--to", "2026-03-03")
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("3  2026-03-03T08:30:00.000000+00:00  study-opened")


def test_list_audited(data_dir: Path) -> None:
    run(data_dir, "list")
    last = _records(data_dir)[-1]
    assert (last.event, last.detail) == (events.AUDIT_READ, f"listed {DAYS} records")


def test_reading_keeps_chain_intact(data_dir: Path) -> None:
    run(data_dir, "list")
    run(data_dir, "export", "--from", "2026-03-01", "--to", "2026-03-02")
    result = run(data_dir, "verify")
    assert result.returncode == 0
    assert f"intact: {DAYS + 2} records checked" in result.stdout
