"""Import in batches: shared commits and folder fsyncs, and what a crash leaves."""

from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import pydicom
import pytest

from pacs_desktop.core.archive import batch, store
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import ImportProgress


def _pending_rows(archive: Archive) -> int:
    conn = archive.database.connection()
    return int(conn.execute("SELECT count(*) FROM import_pending").fetchone()[0])


def _stored_files(archive: Archive) -> list[Path]:
    return sorted(archive.store_dir.rglob("*.dcm"))


def test_small_batches_import_every_file(
    archive: Archive, tmp_path: Path, write_copies, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "BATCH_FILES", 3)
    write_copies(tmp_path / "in", 7)

    summary = archive.import_paths([tmp_path / "in"])

    assert len(summary.imported) == 7
    assert archive.count_instances() == 7
    assert _pending_rows(archive) == 0


def test_one_folder_fsync_per_batch(
    archive: Archive, tmp_path: Path, write_copies, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_copies(tmp_path / "in", 10)
    synced: list[Path] = []
    original = store._fsync_folder

    def counting(folder: Path) -> None:
        synced.append(folder)
        original(folder)

    monkeypatch.setattr(store, "_fsync_folder", counting)
    summary = archive.import_paths([tmp_path / "in"])
    series_folder = _stored_files(archive)[0].parent

    assert len(summary.imported) == 10
    assert synced.count(series_folder) == 1


def test_same_instance_twice_in_one_batch(archive: Archive, tmp_path: Path) -> None:
    source = pydicom.data.get_testdata_file("CT_small.dcm")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(source, folder / "a.dcm")
    shutil.copy(source, folder / "b.dcm")

    summary = archive.import_paths([folder])

    assert summary.imported == [folder / "a.dcm"]
    assert summary.duplicates == [folder / "b.dcm"]
    assert summary.conflicts == []


def test_differing_copy_in_one_batch_conflicts(
    archive: Archive, tmp_path: Path
) -> None:
    ds = pydicom.dcmread(pydicom.data.get_testdata_file("CT_small.dcm"))
    folder = tmp_path / "in"
    folder.mkdir()
    ds.save_as(folder / "a.dcm")
    ds.PatientName = "OTHER^NAME"
    ds.save_as(folder / "b.dcm")

    summary = archive.import_paths([folder])

    assert summary.duplicates == [folder / "b.dcm"]
    assert "differs from the stored copy" in summary.conflicts[0].reason


def test_large_file_streamed_from_disk(
    archive: Archive, tmp_path: Path, write_copies, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "IN_MEMORY_BYTES", 0)
    write_copies(tmp_path / "in", 3)

    summary = archive.import_paths([tmp_path / "in"])
    rows = archive.database.connection().execute(
        "SELECT path, file_sha256 FROM instances"
    )

    assert len(summary.imported) == 3
    for relative, sha256 in rows:
        data = (archive.store_dir / relative).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha256


def test_cancel_stores_checked_files(
    archive: Archive, tmp_path: Path, write_copies
) -> None:
    write_copies(tmp_path / "in", 5)
    cancel = threading.Event()

    def stop_after_two(progress: ImportProgress) -> None:
        # Called before file ``done`` (from 0) is read, which still imports.
        if progress.done == 1:
            cancel.set()

    summary = archive.import_paths(
        [tmp_path / "in"], progress=stop_after_two, cancel=cancel
    )

    assert summary.cancelled
    assert len(summary.imported) == 2
    assert archive.count_instances() == 2


class _Crash(BaseException):
    """Stands in for the process dying between writing and indexing."""


def test_crash_before_index_commit_recovers(
    tmp_path: Path, write_copies, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_copies(tmp_path / "in", 4)
    database = Database(tmp_path / "archive.sqlite")
    first = Archive(database, tmp_path / "store")

    def crash(*_args: object) -> None:
        raise _Crash

    monkeypatch.setattr(Archive, "_index_batch", crash)
    with pytest.raises(_Crash):
        first.import_paths([tmp_path / "in"])
    written = _stored_files(first)
    pending = _pending_rows(first)
    first.close()
    monkeypatch.undo()

    restarted = Archive(database, tmp_path / "store")
    left = _stored_files(restarted)
    rerun = restarted.import_paths([tmp_path / "in"])
    restarted.close()
    database.close()

    assert len(written) == 4
    assert pending == 4
    assert left == []
    assert len(rerun.imported) == 4


def test_group_commit_indexes_concurrent_stores(
    archive: Archive, tmp_path: Path, write_copies
) -> None:
    paths = write_copies(tmp_path / "in", 12)
    writer = batch.GroupCommit(archive)
    outcomes: list[str] = []

    def store(path: Path) -> None:
        outcomes.append(writer.store(path.read_bytes(), "PEER").status)

    threads = [threading.Thread(target=store, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == ["imported"] * 12
    assert archive.count_instances() == 12
    assert _pending_rows(archive) == 0


def test_group_commit_answers_after_the_index_commit(
    archive: Archive, tmp_path: Path, write_copies
) -> None:
    (path,) = write_copies(tmp_path / "in", 1)
    writer = batch.GroupCommit(archive)

    outcome = writer.store(path.read_bytes(), "PEER", source_node="PEER")

    assert archive.instance_path(outcome.sop_instance_uid) is not None


def test_group_commit_same_instance_in_one_batch(
    archive: Archive, tmp_path: Path, write_copies
) -> None:
    (path,) = write_copies(tmp_path / "in", 1)
    data = path.read_bytes()
    writer = batch.GroupCommit(archive)
    statuses: list[str] = []
    release = threading.Event()
    original = archive._store_batch

    def held(files: list[batch.PendingFile]) -> list:  # type: ignore[type-arg]
        release.wait()
        return original(files)

    archive._store_batch = held  # type: ignore[method-assign]
    threads = [
        threading.Thread(target=lambda: statuses.append(writer.store(data, "P").status))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == ["duplicate", "duplicate", "imported"]


def test_group_commit_rejects_what_is_not_dicom(archive: Archive) -> None:
    writer = batch.GroupCommit(archive)

    outcome = writer.store(b"not a DICOM file" * 20, "PEER")

    assert outcome.status == "rejected"
