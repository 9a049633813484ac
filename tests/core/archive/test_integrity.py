"""SHA-256 checks of stored files, re-fetch marks, audit and `archive verify`."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.filebase import DicomBytesIO
from pydicom.uid import generate_uid

from pacs_desktop.cli.main import run
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.integrity import IntegrityError, RefetchGroup
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import SyncQueue
from pacs_desktop.core.paths import resolve_data_dir
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.auditmessage import INTEGRITY_FAILURE
from pacs_desktop.core.workstation import Workstation


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


def test_new_copy_replaces_damaged(archive: Archive, stored: tuple[str, Path]) -> None:
    uid, path = stored
    _damage(path)
    with pytest.raises(IntegrityError):
        archive.verify_instance(uid)

    summary = archive.import_paths([_ct_small()])

    assert summary.imported == [_ct_small()]
    assert archive.verify_instance(uid) == path
    assert archive.instances_to_refetch() == []
    assert archive.count_instances() == 1
    study = archive.study(str(pydicom.dcmread(_ct_small()).StudyInstanceUID))
    assert study is not None
    assert study.NumberOfStudyRelatedInstances == 1


def test_unmarked_copy_stays_duplicate(
    archive: Archive, stored: tuple[str, Path]
) -> None:
    summary = archive.import_paths([_ct_small()])

    assert summary.duplicates == [_ct_small()]


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


def _store_from(archive: Archive, source_node: str, study_uid: str) -> str:
    ds = pydicom.dcmread(_ct_small())
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = generate_uid()
    ds.SOPInstanceUID = generate_uid()
    buffer = DicomBytesIO()
    ds.save_as(buffer)
    archive.import_dataset_bytes(
        buffer.getvalue(), source_node or "file", source_node=source_node
    )
    path = archive.instance_path(str(ds.SOPInstanceUID))
    assert path is not None
    _damage(path)
    return str(ds.SOPInstanceUID)


def test_refetch_grouped_by_peer_and_study(archive: Archive) -> None:
    first, second = "1.2.826.0.1.3680043.8.498.10", "1.2.826.0.1.3680043.8.498.20"
    a = _store_from(archive, "PACS_A", first)
    b = _store_from(archive, "PACS_A", first)
    c = _store_from(archive, "PACS_B", first)
    d = _store_from(archive, "PACS_A", second)
    e = _store_from(archive, "", second)

    archive.verify()

    assert archive.refetch_groups() == [
        RefetchGroup("", second, (e,)),
        RefetchGroup("PACS_A", first, tuple(sorted([a, b]))),
        RefetchGroup("PACS_A", second, (d,)),
        RefetchGroup("PACS_B", first, (c,)),
    ]


STUDY = "1.2.826.0.1.3680043.8.498.30"


def _damaged_in_data_dir(source_node: str) -> str:
    workstation = Workstation(resolve_data_dir())
    try:
        if source_node == "PACS":
            NodeStore(workstation.database).add(
                Node("main-pacs", "PACS", "127.0.0.1", 11112)
            )
        _store_from(workstation.archive, source_node, STUDY)
    finally:
        workstation.close()
    return STUDY


def test_cli_refetch_queues_retrieve(capsys: pytest.CaptureFixture[str]) -> None:
    study = _damaged_in_data_dir("PACS")

    status = run(["archive", "verify", "--refetch"])

    workstation = Workstation(resolve_data_dir())
    try:
        jobs = SyncQueue(workstation.database).list_jobs()
    finally:
        workstation.close()
    assert status == 1
    assert [(job.kind, job.node, job.uids) for job in jobs] == [
        ("retrieve", "main-pacs", [study])
    ]
    assert "queued on node main-pacs" in capsys.readouterr().out


def test_cli_refetch_names_missing_node(capsys: pytest.CaptureFixture[str]) -> None:
    _damaged_in_data_dir("OTHER_PACS")

    status = run(["archive", "verify", "--refetch"])

    assert status == 1
    assert "AE title OTHER_PACS, but no PACS node" in capsys.readouterr().out
