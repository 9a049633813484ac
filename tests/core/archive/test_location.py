"""archive.location: where the store folder is, and moving a non-empty archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacs_desktop.core.archive import location
from pacs_desktop.core.archive.location import (
    LocationError,
    check_location_change,
    move_archive,
)
from pacs_desktop.core.errors import ArchiveError
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation


def _station(data_dir: Path) -> Workstation:
    return Workstation(data_dir)


def _import(data_dir: Path, folder: Path, write_copies, count: int = 3) -> str:
    station = _station(data_dir)
    try:
        summary = station.archive.import_paths(write_copies(folder, count))
    finally:
        station.close()
    (study_uid,) = summary.studies
    return study_uid


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.dcm"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def test_empty_location_means_data_directory(data_dir: Path) -> None:
    station = _station(data_dir)
    try:
        assert station.archive.store_dir == data_dir / "store"
    finally:
        station.close()


def test_location_applies_to_empty_archive(
    data_dir: Path, tmp_path: Path, write_copies
) -> None:
    Settings(data_dir).set("archive.location", str(tmp_path / "elsewhere"))

    _import(data_dir, tmp_path / "in", write_copies)

    assert len(_files(tmp_path / "elsewhere")) == 3
    assert _files(data_dir / "store") == []


def test_relative_location_is_below_data_directory(data_dir: Path) -> None:
    Settings(data_dir).set("archive.location", "images")
    station = _station(data_dir)
    try:
        assert station.archive.store_dir == data_dir / "images"
    finally:
        station.close()


def test_changed_setting_keeps_indexed_folder(
    data_dir: Path, tmp_path: Path, write_copies
) -> None:
    study_uid = _import(data_dir, tmp_path / "in", write_copies)
    Settings(data_dir).set("archive.location", str(tmp_path / "elsewhere"))

    station = _station(data_dir)
    try:
        assert station.archive.store_dir == data_dir / "store"
        assert station.archive.study(study_uid) is not None
        assert station.archive.verify().ok
    finally:
        station.close()


def test_change_refused_for_non_empty_archive(
    data_dir: Path, tmp_path: Path, write_copies
) -> None:
    _import(data_dir, tmp_path / "in", write_copies)

    with pytest.raises(LocationError, match="pacs-desktop archive move"):
        check_location_change(data_dir, str(tmp_path / "elsewhere"))


def test_change_allowed_for_empty_archive(data_dir: Path, tmp_path: Path) -> None:
    _station(data_dir).close()

    check_location_change(data_dir, str(tmp_path / "elsewhere"))


def test_move_switches_and_verifies(
    data_dir: Path, tmp_path: Path, write_copies
) -> None:
    study_uid = _import(data_dir, tmp_path / "in", write_copies)
    destination = tmp_path / "new-store"
    station = _station(data_dir)
    try:
        report = move_archive(station.archive, station.settings, destination)
        assert station.archive.verify().ok
    finally:
        station.close()

    assert report.copied == 3
    assert len(_files(destination)) == 3
    assert not (data_dir / "store").exists()
    assert Settings(data_dir).get("archive.location") == str(destination.resolve())
    station = _station(data_dir)
    try:
        assert station.archive.store_dir == destination.resolve()
        assert station.archive.study(study_uid) is not None
        assert station.archive.verify().ok
    finally:
        station.close()


def test_interrupted_copy_keeps_old_folder(
    data_dir: Path, tmp_path: Path, write_copies, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import(data_dir, tmp_path / "in", write_copies)
    destination = tmp_path / "new-store"
    real_copy = location._copy_verified
    calls = []

    def copy_then_fail(*args: object) -> bool:
        calls.append(args)
        if len(calls) == 2:
            raise ArchiveError("disk full")
        return real_copy(*args)  # type: ignore[arg-type]

    station = _station(data_dir)
    try:
        with monkeypatch.context() as patch:
            patch.setattr(location, "_copy_verified", copy_then_fail)
            with pytest.raises(ArchiveError, match="disk full"):
                move_archive(station.archive, station.settings, destination)
    finally:
        station.close()

    station = _station(data_dir)
    try:
        assert station.archive.store_dir == data_dir / "store"
        assert station.archive.verify().ok
        report = move_archive(station.archive, station.settings, destination)
    finally:
        station.close()
    assert report.copied == 3
    assert len(_files(destination)) == 3


def test_crash_after_switch_uses_new_folder(
    data_dir: Path, tmp_path: Path, write_copies, monkeypatch: pytest.MonkeyPatch
) -> None:
    study_uid = _import(data_dir, tmp_path / "in", write_copies)
    destination = tmp_path / "new-store"

    def stop(*_args: object) -> object:
        raise SystemExit("stopped after the switch")

    station = _station(data_dir)
    try:
        with monkeypatch.context() as patch:
            patch.setattr(station.settings, "set", stop)
            with pytest.raises(SystemExit):
                move_archive(station.archive, station.settings, destination)
    finally:
        station.close()

    station = _station(data_dir)
    try:
        assert station.archive.store_dir == destination.resolve()
        assert station.archive.study(study_uid) is not None
        assert station.archive.verify().ok
    finally:
        station.close()


@pytest.mark.parametrize("where", ["same", "inside", "not-empty"])
def test_move_rejects_destination(
    data_dir: Path, tmp_path: Path, write_copies, where: str
) -> None:
    _import(data_dir, tmp_path / "in", write_copies, 1)
    destinations = {
        "same": data_dir / "store",
        "inside": data_dir / "store" / "sub",
        "not-empty": tmp_path / "in",
    }
    station = _station(data_dir)
    try:
        with pytest.raises(LocationError):
            move_archive(station.archive, station.settings, destinations[where])
        assert station.archive.verify().ok
    finally:
        station.close()
