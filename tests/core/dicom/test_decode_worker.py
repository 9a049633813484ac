"""Decoding in a child process: results, errors and the time limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.core.dicom.isolation import DecodeTimeoutError, DecodeWorker
from pacs_desktop.core.dicom.pipeline import FrameImage
from pacs_desktop.core.errors import DicomReadError


def _ct_small() -> Path:
    found = get_testdata_file("CT_small.dcm")
    assert found is not None
    return Path(str(found))


def stalled_decoder(path: Path, frame_index: int) -> FrameImage:
    """Stand in for a decoder stuck on a hostile stream (test seam)."""
    while True:
        time.sleep(0.05)


def test_worker_decodes_frame() -> None:
    with DecodeWorker(timeout=10) as worker:
        frame = worker.decode(_ct_small(), 0)
    assert frame.modality.shape == (128, 128)


def test_worker_reports_read_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.dcm"
    bad.write_text("not an image")
    with DecodeWorker(timeout=10) as worker, pytest.raises(DicomReadError) as caught:
        worker.decode(bad, 0)
    assert caught.value.path == bad


def test_stalled_decoder_times_out() -> None:
    with DecodeWorker(timeout=1, decoder=stalled_decoder) as worker:
        started = time.monotonic()
        with pytest.raises(DecodeTimeoutError, match="timed out after 1 s") as caught:
            worker.decode(_ct_small(), 0)
        elapsed = time.monotonic() - started
    assert caught.value.path == _ct_small()
    assert elapsed < 3


def test_worker_recovers_after_timeout() -> None:
    with DecodeWorker(timeout=1, decoder=stalled_decoder) as worker:
        with pytest.raises(DecodeTimeoutError):
            worker.decode(_ct_small(), 0)
        with pytest.raises(DecodeTimeoutError):
            worker.decode(_ct_small(), 0)
