"""Core exceptions keep their fields across pickling (process pools)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pacs_desktop.core.errors import (
    DicomReadError,
    PixelDataError,
    UnsupportedTransferSyntaxError,
)


@pytest.mark.parametrize(
    "error_type", [DicomReadError, PixelDataError, UnsupportedTransferSyntaxError]
)
def test_dicom_error_survives_pickle(error_type: type[DicomReadError]) -> None:
    error = error_type(Path("/data/1.dcm"), "PixelData is 2 bytes, expected 8")

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is error_type
    assert copy.path == Path("/data/1.dcm")
    assert copy.reason == "PixelData is 2 bytes, expected 8"
    assert str(copy) == str(error)
