"""The application log: hidden library values, private files, a quiet console."""

from __future__ import annotations

import logging
import logging.handlers
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydicom.dataset import Dataset

from pacs_desktop.app import configure_logging

# An invalid birth date such as a user types into a filter or a file carries.
BIRTH_DATE = "1961-07-23"


@pytest.fixture
def restore_root() -> Iterator[None]:
    """Remove the handlers a test added to the root logger, and its level."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    level = root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def log_path(tmp_path: Path, restore_root: None) -> Path:
    return configure_logging(tmp_path, console=False)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _file_handler(log_path: Path) -> logging.handlers.RotatingFileHandler:
    for handler in logging.getLogger().handlers:
        if (
            isinstance(handler, logging.handlers.RotatingFileHandler)
            and Path(handler.baseFilename) == log_path
        ):
            return handler
    raise AssertionError(f"no rotating file handler writes {log_path}")


def test_invalid_value_is_not_logged(log_path: Path) -> None:
    with pytest.warns(UserWarning):
        Dataset().PatientBirthDate = BIRTH_DATE

    text = log_path.read_text(encoding="utf-8")
    assert "Invalid value for VR DA: '(value hidden)'" in text
    assert BIRTH_DATE not in text


def test_own_messages_keep_their_text(log_path: Path) -> None:
    logging.getLogger("pacs_desktop.test").warning("node %r refused", "PACS1")

    assert "node 'PACS1' refused" in log_path.read_text(encoding="utf-8")


def test_log_folder_private(log_path: Path) -> None:
    assert _mode(log_path.parent) == 0o700


def test_log_file_private(log_path: Path) -> None:
    assert _mode(log_path) == 0o600


def test_rotated_log_files_private(log_path: Path) -> None:
    handler = _file_handler(log_path)
    logging.getLogger("pacs_desktop.test").warning("before rotation")
    handler.doRollover()
    logging.getLogger("pacs_desktop.test").warning("after rotation")

    rotated = log_path.with_name(log_path.name + ".1")
    assert _mode(rotated) == 0o600
    assert _mode(log_path) == 0o600


def test_older_wide_permissions_narrowed(tmp_path: Path, restore_root: None) -> None:
    folder = tmp_path / "logs"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    old_file = folder / "pacs-desktop.log"
    old_file.write_text("older line\n", encoding="utf-8")
    old_file.chmod(0o644)

    configure_logging(tmp_path, console=False)

    assert _mode(folder) == 0o700
    assert _mode(old_file) == 0o600


def test_console_drops_pynetdicom(
    tmp_path: Path, restore_root: None, capsys: pytest.CaptureFixture[str]
) -> None:
    log_path = configure_logging(tmp_path, console=True)
    logging.getLogger("pynetdicom.assoc").error("Association Rejected")
    logging.getLogger("pacs_desktop.test").error("the PACS rejected the association")

    console = capsys.readouterr().err
    assert "Association Rejected" not in console
    assert "the PACS rejected the association" in console
    assert "Association Rejected" in log_path.read_text(encoding="utf-8")


def test_console_hides_library_values(
    tmp_path: Path, restore_root: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(tmp_path, console=True)
    with pytest.warns(UserWarning):
        Dataset().PatientBirthDate = BIRTH_DATE

    assert BIRTH_DATE not in capsys.readouterr().err
