"""`pacs-desktop archive stats|evict`, run in-process without a PACS."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.cli.main import run


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


def test_stats_without_limit(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert command(data_dir, "archive", "stats") == 0

    out = capsys.readouterr().out
    assert "studies:   1" in out
    assert "limit:     none" in out
    assert f"location:  {data_dir / 'store'}" in out


def test_stats_shows_limit(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command(data_dir, "settings", "set", "archive.size_limit_gb", "5")
    capsys.readouterr()

    command(data_dir, "archive", "stats")

    assert (
        "limit:     5.000 GB (eviction order: oldest-study)" in capsys.readouterr().out
    )


def test_evict_without_limit(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert command(data_dir, "archive", "evict") == 0
    assert "no size limit set" in capsys.readouterr().out


def test_evict_under_limit(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command(data_dir, "settings", "set", "archive.size_limit_gb", "1")
    capsys.readouterr()

    assert command(data_dir, "archive", "evict", "--dry-run") == 0
    assert "kept" not in capsys.readouterr().out


def test_evict_keeps_study_without_pacs(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A limit of 1 byte, so every study is over it.
    monkeypatch.setattr("pacs_desktop.core.archive.eviction.BYTES_PER_GB", 1)
    command(data_dir, "settings", "set", "archive.size_limit_gb", "1")
    capsys.readouterr()

    status = command(data_dir, "archive", "evict")

    captured = capsys.readouterr()
    assert status == 1
    assert "kept" in captured.out
    assert "no PACS node is configured" in captured.out
    assert "stays over its size limit" in captured.err


def test_import_over_limit_warns_and_keeps_the_study(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A limit of 1 byte: the imported study is the only copy, so it stays.
    monkeypatch.setattr("pacs_desktop.core.archive.eviction.BYTES_PER_GB", 1)
    data_dir = tmp_path / "data"
    command(data_dir, "settings", "set", "archive.size_limit_gb", "1")
    capsys.readouterr()

    status = command(data_dir, "import", str(get_testdata_file("CT_small.dcm")))

    captured = capsys.readouterr()
    assert status == 0
    assert "imported:   1" in captured.out
    assert "over its limit" in captured.err


def test_import_under_limit_is_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    command(data_dir, "settings", "set", "archive.size_limit_gb", "1")
    capsys.readouterr()

    command(data_dir, "import", str(get_testdata_file("CT_small.dcm")))

    assert capsys.readouterr().err == ""
