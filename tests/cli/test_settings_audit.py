"""Settings changed from the command line are audited under the OS account."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from pacs_desktop.cli.main import run
from pacs_desktop.core.security.audit import SETTINGS_CHANGED, AuditRecord
from pacs_desktop.core.workstation import Workstation


def _settings_records(data_dir: Path) -> list[AuditRecord]:
    workstation = Workstation(data_dir)
    try:
        return [r for r in workstation.audit.records() if r.event == SETTINGS_CHANGED]
    finally:
        workstation.close()


def test_set_audited(tmp_path: Path) -> None:
    status = run(
        ["--data-dir", str(tmp_path), "settings", "set", "network.ae_title", "READER1"]
    )

    (record,) = _settings_records(tmp_path)
    assert status == 0
    assert record.user == getpass.getuser()
    assert record.os_account is True
    assert "network.ae_title set to READER1" in record.detail


def test_reset_audited(tmp_path: Path) -> None:
    run(["--data-dir", str(tmp_path), "settings", "set", "network.scp_port", "11113"])

    status = run(["--data-dir", str(tmp_path), "settings", "reset", "network.scp_port"])

    records = _settings_records(tmp_path)
    assert status == 0
    assert len(records) == 2
    assert "network.scp_port reset to its default" in records[-1].detail


def test_invalid_value_not_audited(tmp_path: Path) -> None:
    status = run(
        ["--data-dir", str(tmp_path), "settings", "set", "network.scp_port", "x"]
    )

    assert status == 1
    assert _settings_records(tmp_path) == []


def test_send_node_must_name_a_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path)
    status = run(["--data-dir", data, "settings", "set", "dictation.send_node", "nope"])
    refused = capsys.readouterr().err

    run(["--data-dir", data, "node", "add", "pacs", "--aet", "PACS", "--host",
         "127.0.0.1", "--port", "104"])  # fmt: skip
    accepted = run(
        ["--data-dir", data, "settings", "set", "dictation.send_node", "pacs"]
    )
    cleared = run(["--data-dir", data, "settings", "set", "dictation.send_node", ""])

    assert status == 1
    assert "no PACS node called 'nope'" in refused
    assert (accepted, cleared) == (0, 0)
    assert len(_settings_records(tmp_path)) == 2
