"""The application log: DICOM library messages lose their quoted values."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydicom.dataset import Dataset

from pacs_desktop.app import configure_logging

# An invalid birth date such as a user types into a filter or a file carries.
BIRTH_DATE = "1961-07-23"


@pytest.fixture
def log_path(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    handlers = list(root.handlers)
    level = root.level
    path = configure_logging(tmp_path, console=False)
    yield path
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_invalid_value_is_not_logged(log_path: Path) -> None:
    with pytest.warns(UserWarning):
        Dataset().PatientBirthDate = BIRTH_DATE

    text = log_path.read_text(encoding="utf-8")
    assert "Invalid value for VR DA: '(value hidden)'" in text
    assert BIRTH_DATE not in text


def test_own_messages_keep_their_text(log_path: Path) -> None:
    logging.getLogger("pacs_desktop.test").warning("node %r refused", "PACS1")

    assert "node 'PACS1' refused" in log_path.read_text(encoding="utf-8")
