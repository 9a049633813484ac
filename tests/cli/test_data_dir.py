"""The data directory: private when created, a warning when shared, clear errors."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pacs_desktop.app import main
from pacs_desktop.core.paths import resolve_data_dir


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_created_data_dir_is_private(tmp_path: Path, open_umask: None) -> None:
    created = resolve_data_dir(tmp_path / "new" / "data")
    assert stat.S_IMODE(created.stat().st_mode) == 0o700


def test_existing_shared_data_dir_kept_and_warned_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)

    with caplog.at_level(logging.WARNING, logger="pacs_desktop.core.paths"):
        resolve_data_dir(shared)
        resolve_data_dir(shared)

    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert [
        r.getMessage().startswith(f"data directory {shared}") for r in caplog.records
    ] == [True]


def test_private_data_dir_not_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)

    with caplog.at_level(logging.WARNING, logger="pacs_desktop.core.paths"):
        resolve_data_dir(private)

    assert caplog.records == []


@pytest.mark.parametrize("command", [["studies"], []], ids=["cli", "gui"])
def test_unwritable_data_dir_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # A regular file where the logs folder belongs fails as a read-only
    # folder would, even for root.
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "logs").write_text("")

    status = main(["--data-dir", str(data), *command])

    err = capsys.readouterr().err
    assert status == 1
    assert f"cannot use the data directory: {data / 'logs'}" in err
    assert "--data-dir DIR" in err
