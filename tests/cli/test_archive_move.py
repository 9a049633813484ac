"""`pacs-desktop archive move` and the archive.location setting, in-process."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.cli.main import run
from pacs_desktop.core.settings import Settings


@pytest.fixture
def data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A data directory holding pydicom's CT_small.dcm."""
    data_dir = tmp_path / "data"
    path = Path(str(get_testdata_file("CT_small.dcm")))
    assert run(["--data-dir", str(data_dir), "import", str(path)]) == 0
    capsys.readouterr()
    return data_dir


def command(data_dir: Path, *args: str) -> int:
    return run(["--data-dir", str(data_dir), *args])


def test_move_prints_and_switches(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    destination = tmp_path / "moved"

    status = command(data_dir, "archive", "move", str(destination))

    assert status == 0
    assert "moved 1 file" in capsys.readouterr().out
    assert len(list(destination.rglob("*.dcm"))) == 1
    assert Settings(data_dir).get("archive.location") == str(destination.resolve())


def test_move_then_verify(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command(data_dir, "archive", "move", str(tmp_path / "moved"))

    assert command(data_dir, "archive", "verify") == 0
    assert f"location:  {(tmp_path / 'moved').resolve()}" in _stats(data_dir, capsys)


def _stats(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    command(data_dir, "archive", "stats")
    return capsys.readouterr().out


def test_direct_set_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = command(data_dir, "settings", "set", "archive.location", str(tmp_path))

    assert status != 0
    assert "pacs-desktop archive move" in capsys.readouterr().err
    assert Settings(data_dir).get("archive.location") == ""


def test_reset_after_move_refused(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command(data_dir, "archive", "move", str(tmp_path / "moved"))
    capsys.readouterr()

    status = command(data_dir, "settings", "reset", "archive.location")

    assert status != 0
    assert "pacs-desktop archive move" in capsys.readouterr().err


def test_set_same_folder_allowed(data_dir: Path) -> None:
    status = command(data_dir, "settings", "set", "archive.location", "store")

    assert status == 0
