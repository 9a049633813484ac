"""SHA-256 checks of stored files, re-fetch marks, audit and `archive verify`."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.cli.main import run
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.integrity import IntegrityError
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.auditmessage import INTEGRITY_FAILURE


def _ct_small() -> Path:
    found = get_testdata_file("CT_small.dcm")
    assert found is not None
    return Path(str(found))


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def stored(archive: Archive) -> tuple[str, Path]:
    archive.import_paths([_ct_small()])
    uid = str(pydicom.dcmread(_ct_small()).SOPInstanceUID)
    path = archive.instance_path(uid)
    assert path is not None
    return uid, path


def test_intact_instance_verified(archive: Archive, stored: tuple[str, Path]) -> None:
    uid, path = stored
    assert archive.verify_instance(uid) == path


def test_unknown_instance_none(archive: Archive) -> None:
    assert archive.verify_instance("1.2.3.4") is None


def test_damaged_instance_raises(archive: Archive, stored: tuple[str, Path]) -> None:
    uid, path = stored
    _damage(path)

    with pytest.raises(IntegrityError, match="SHA-256") as caught:
        archive.verify_instance(uid)

    assert caught.value.path == path
    assert caught.value.sop_instance_uid == uid


def test_damaged_instance_marked(archive: Archive, stored: tuple[str, Path]) -> None:
    uid, path = stored
    _damage(path)

    with pytest.raises(IntegrityError):
        archive.verify_instance(uid)

    assert [row[1] for row in archive.instances_to_refetch()] == [uid]


def test_missing_file_raises(archive: Archive, stored: tuple[str, Path]) -> None:
    uid, path = stored
    path.unlink()

    with pytest.raises(IntegrityError, match="missing"):
        archive.verify_instance(uid)


def test_source_node_kept(archive: Archive) -> None:
    archive.import_dataset_bytes(_ct_small().read_bytes(), "PACS", source_node="PACS")
    uid = str(pydicom.dcmread(_ct_small()).SOPInstanceUID)
    path = archive.instance_path(uid)
    assert path is not None
    _damage(path)

    archive.verify()

    assert archive.instances_to_refetch()[0][2] == "PACS"


def test_integrity_failure_audited(
    tmp_path: Path,
) -> None:
    database = Database(tmp_path / "archive.sqlite")
    audit = AuditTrail(database)
    archive = Archive(database, tmp_path / "store", audit=audit)
    archive.import_paths([_ct_small()])
    uid = str(pydicom.dcmread(_ct_small()).SOPInstanceUID)
    path = archive.instance_path(uid)
    assert path is not None
    _damage(path)

    with pytest.raises(IntegrityError):
        archive.verify_instance(uid)

    records = [r for r in audit.records() if r.event == INTEGRITY_FAILURE]
    archive.close()
    database.close()
    assert len(records) == 1
    assert str(path) in records[0].detail


def test_verify_report_ok(archive: Archive, stored: tuple[str, Path]) -> None:
    report = archive.verify()
    assert report.ok
    assert report.checked == 1


def test_verify_report_damage(archive: Archive, stored: tuple[str, Path]) -> None:
    _damage(stored[1])
    report = archive.verify()
    assert not report.ok
    assert [failure.path for failure in report.failures] == [stored[1]]


def test_cli_verify_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import", str(_ct_small())]) == 0
    assert run(["archive", "verify"]) == 0
    assert "damaged:  0" in capsys.readouterr().out


def test_cli_verify_reports_damage(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["import", str(_ct_small())]) == 0
    stored = next((isolated_home / "store").rglob("*.dcm"))
    _damage(stored)
    capsys.readouterr()

    status = run(["archive", "verify"])

    out = capsys.readouterr().out
    assert status == 1
    assert "damaged:  1" in out
    assert str(stored) in out
