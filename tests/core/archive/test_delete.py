"""Deleting a study: permission, audit, crash safety and what blocks it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pacs_desktop.core.archive import removal
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.archive.removal import RemovalBlockedError, StudyNotFoundError
from pacs_desktop.core.dictation.store import (
    DictationState,
    DictationStore,
    RecordingBinding,
)
from pacs_desktop.core.errors import AccessDeniedError
from pacs_desktop.core.net.queue import SyncQueue
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session, User


@dataclass
class Station:
    database: Database
    audit: AuditTrail
    archive: Archive
    store: Path


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    database = Database(tmp_path / "archive.sqlite")
    audit = AuditTrail(database)
    archive = Archive(database, tmp_path / "store", audit=audit)
    yield Station(database, audit, archive, tmp_path / "store")
    archive.close()
    database.close()


def _session(station: Station, role: Role) -> Session:
    user = User("dana", role, disabled=False)
    return Session(user=user, started=datetime.now(timezone.utc), audit=station.audit)


def _import_study(station: Station, folder: Path, write_copies, count: int = 3) -> str:
    paths = write_copies(folder, count, PatientName="Doe^Jane", PatientID="P-17")
    summary = station.archive.import_paths(paths)
    (study_uid,) = summary.studies
    return study_uid


def _stored_files(store: Path) -> list[Path]:
    return [p for p in store.rglob("*.dcm")]


def test_delete_removes_rows_and_files(
    station: Station, tmp_path: Path, write_copies
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)
    kept = _import_study(station, tmp_path / "other", write_copies, 2)

    removed = station.archive.delete_study(study_uid, actor="root")

    assert removed.instances == 3
    assert station.archive.study(study_uid) is None
    assert station.archive.study(kept) is not None
    assert len(_stored_files(station.store)) == 2


def test_delete_removes_empty_study_folders(
    station: Station, tmp_path: Path, write_copies
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)

    station.archive.delete_study(study_uid, actor="root")

    assert list(station.store.iterdir()) == []


def test_delete_removes_patient_without_studies(
    station: Station, tmp_path: Path, write_copies
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)

    station.archive.delete_study(study_uid, actor="root")

    assert station.archive.find_studies(StudyQuery(patient_name="Doe*")) == []


def test_delete_audits_participants_and_count(
    station: Station, tmp_path: Path, write_copies
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)

    station.archive.delete_study(study_uid, actor=_session(station, Role.ADMINISTRATOR))

    record = station.audit.records()[-1]
    assert record.event == events.INSTANCES_DELETED
    assert record.user == "dana"
    assert record.patient_id == "P-17"
    assert record.patient_name == "Doe^Jane"
    assert record.study_uids == (study_uid,)
    assert "3 instances" in record.detail


def test_delete_refused_without_permission(
    station: Station, tmp_path: Path, write_copies
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)

    with pytest.raises(AccessDeniedError):
        station.archive.delete_study(
            study_uid, actor=_session(station, Role.RADIOLOGIST)
        )

    assert station.archive.study(study_uid) is not None
    assert station.audit.records()[-1].event == events.ACCESS_DENIED


def test_delete_unknown_study(station: Station) -> None:
    with pytest.raises(StudyNotFoundError):
        station.archive.delete_study("1.2.3.4", actor="root")


def test_delete_refuses_open_study(
    station: Station, tmp_path: Path, write_copies
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)

    with pytest.raises(RemovalBlockedError, match="open in the viewer"):
        station.archive.delete_study(study_uid, actor="root", in_use=[study_uid])

    assert station.archive.study(study_uid) is not None


@pytest.mark.parametrize(
    ("state", "blocked"),
    [
        (DictationState.RECORDING, True),
        (DictationState.RECOVERED, True),
        (DictationState.RECORDED, False),
        (DictationState.SIGNED, False),
    ],
)
def test_delete_with_dictation(
    station: Station,
    tmp_path: Path,
    write_copies,
    state: DictationState,
    blocked: bool,
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)
    dictations = DictationStore(station.database)
    binding = RecordingBinding(
        study_uid, "", "P-17", "dana", datetime.now(timezone.utc)
    )
    dictation = dictations.create(binding, sample_rate=16000, state=state)

    if blocked:
        with pytest.raises(RemovalBlockedError, match="dictation"):
            station.archive.delete_study(study_uid, actor="root")
    else:
        station.archive.delete_study(study_uid, actor="root")

    assert (station.archive.study(study_uid) is not None) == blocked
    assert dictations.get(dictation.id).state is state


def test_delete_refuses_queued_send(
    station: Station, tmp_path: Path, write_copies
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)
    SyncQueue(station.database).enqueue_send("pacs", [study_uid])

    with pytest.raises(RemovalBlockedError, match="queued for sending"):
        station.archive.delete_study(study_uid, actor="root")


def test_delete_allowed_after_send_cancelled(
    station: Station, tmp_path: Path, write_copies
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)
    queue = SyncQueue(station.database)
    queue.cancel(queue.enqueue_send("pacs", [study_uid]).id)

    station.archive.delete_study(study_uid, actor="root")

    assert station.archive.study(study_uid) is None


def _crash_delete(station: Station, study_uid: str, monkeypatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(removal, "finish_pending_removals", _stop)
        with pytest.raises(SystemExit):
            station.archive.delete_study(study_uid, actor="root")


def _stop(*_args: object) -> int:
    raise SystemExit("stopped after the index commit")


def test_crash_leaves_files_until_next_start(
    station: Station, tmp_path: Path, write_copies, monkeypatch
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)
    _crash_delete(station, study_uid, monkeypatch)
    assert len(_stored_files(station.store)) == 3

    Archive(station.database, station.store, audit=station.audit).close()

    assert _stored_files(station.store) == []


def test_rebuild_after_crash_keeps_study_deleted(
    station: Station, tmp_path: Path, write_copies, monkeypatch
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)
    kept = _import_study(station, tmp_path / "other", write_copies, 2)
    _crash_delete(station, study_uid, monkeypatch)

    summary = station.archive.rebuild()

    assert station.archive.study(study_uid) is None
    assert summary.studies == {kept}


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root ignores folder modes"
)
def test_rebuild_refused_while_files_stay(
    station: Station, tmp_path: Path, write_copies, monkeypatch
) -> None:
    study_uid = _import_study(station, tmp_path / "in", write_copies)
    _crash_delete(station, study_uid, monkeypatch)
    folders = {p.parent for p in _stored_files(station.store)}
    for folder in folders:
        folder.chmod(0o500)
    try:
        with pytest.raises(removal.ArchiveError, match="bring those studies back"):
            station.archive.rebuild()
    finally:
        for folder in folders:
            folder.chmod(0o700)


def test_reimport_after_crash_keeps_new_copy(
    station: Station, tmp_path: Path, write_copies, monkeypatch
) -> None:
    paths = write_copies(tmp_path / "in", 2, PatientID="P-17")
    (study_uid,) = station.archive.import_paths(paths).studies
    _crash_delete(station, study_uid, monkeypatch)
    station.archive.import_paths(paths)

    Archive(station.database, station.store, audit=station.audit).close()

    assert len(_stored_files(station.store)) == 2
    assert station.archive.verify().ok
