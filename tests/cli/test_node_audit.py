"""PACS node changes from the command line are audited under the OS account."""

from __future__ import annotations

import getpass
from pathlib import Path

from lxml import etree

from pacs_desktop.cli.main import run
from pacs_desktop.core.security.audit import NODES_CHANGED, AuditRecord
from pacs_desktop.core.workstation import Workstation

SCHEMA_PATH = (
    Path(__file__).parents[1] / "core" / "security" / "data" / "audit-message.rng"
)
NETWORK_CONFIGURATION = "110128"


def _node_records(data_dir: Path) -> list[AuditRecord]:
    workstation = Workstation(data_dir)
    try:
        return [r for r in workstation.audit.records() if r.event == NODES_CHANGED]
    finally:
        workstation.close()


def _add(data_dir: Path, *extra: str) -> int:
    return run(
        [
            *("--data-dir", str(data_dir), "node", "add", "pacs"),
            *("--aet", "ARCHIVE1", "--host", "10.0.0.5", "--port", "11112"),
            *extra,
        ]
    )


def test_node_add_audited(tmp_path: Path) -> None:
    status = _add(tmp_path)

    (record,) = _node_records(tmp_path)
    assert status == 0
    assert record.user == getpass.getuser()
    assert record.os_account is True
    assert record.outcome == "success"
    assert "PACS node pacs added" in record.detail
    assert "AE title ARCHIVE1" in record.detail
    assert "host 10.0.0.5" in record.detail
    assert "port 11112" in record.detail


def test_node_remove_audited(tmp_path: Path) -> None:
    _add(tmp_path)

    status = run(["--data-dir", str(tmp_path), "node", "remove", "pacs"])

    records = _node_records(tmp_path)
    assert status == 0
    assert len(records) == 2
    assert records[-1].user == getpass.getuser()
    assert records[-1].os_account is True
    assert "PACS node pacs removed" in records[-1].detail
    assert "AE title ARCHIVE1, host 10.0.0.5, port 11112" in records[-1].detail


def test_node_record_has_no_tls_paths(tmp_path: Path) -> None:
    ca = tmp_path / "secret-ca.pem"
    ca.write_text("not checked before a connection\n")

    _add(tmp_path, "--tls", "--ca", str(ca))

    (record,) = _node_records(tmp_path)
    assert "TLS" in record.detail
    assert "secret-ca" not in record.detail
    assert "secret-ca" not in record.message_xml


def test_node_record_is_network_configuration(tmp_path: Path) -> None:
    _add(tmp_path)

    (record,) = _node_records(tmp_path)
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    schema = etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))
    assert schema.validate(message), str(schema.error_log)
    type_code = message.find("EventIdentification/EventTypeCode")
    assert type_code is not None
    assert type_code.get("csd-code") == NETWORK_CONFIGURATION


def test_failed_node_remove_not_audited(tmp_path: Path) -> None:
    status = run(["--data-dir", str(tmp_path), "node", "remove", "nope"])

    assert status != 0
    assert _node_records(tmp_path) == []


def test_duplicate_node_add_not_audited(tmp_path: Path) -> None:
    _add(tmp_path)

    status = _add(tmp_path)

    assert status != 0
    assert len(_node_records(tmp_path)) == 1
