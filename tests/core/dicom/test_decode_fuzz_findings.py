"""Decoder failures the import and render fuzz run found, distilled to one file each."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.encaps import encapsulate, get_frame

from pacs_desktop.core.dicom.isolation import DecodeWorker
from pacs_desktop.core.dicom.pipeline import decode_frame
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.errors import PixelDataError


def _rle_with_bad_run(tmp_path: Path) -> Path:
    """Write MR_small_RLE.dcm with a replicate run that overflows the segment.

    Byte 64 of the frame is the first header byte of RLE segment 1; 0xB3
    asks for 78 copies of the next byte, past the end of the 4,096-byte
    segment, and pylibjpeg-rle 2.x panics (a BaseException) on it.
    """
    source = get_testdata_file("MR_small_RLE.dcm")
    assert source is not None
    ds = pydicom.dcmread(source)
    frame = bytearray(get_frame(ds.PixelData, 0, number_of_frames=1))
    frame[64] = 0xB3
    ds.PixelData = encapsulate([bytes(frame)])
    path = tmp_path / "rle-overflow.dcm"
    ds.save_as(path)
    return path


def test_rle_overflow_raises_pixel_data_error(tmp_path: Path) -> None:
    path = _rle_with_bad_run(tmp_path)

    with pytest.raises(PixelDataError) as caught:
        decode_frame(read_dataset(path), 0, path)

    assert caught.value.path == path


def test_rle_overflow_keeps_worker_alive(tmp_path: Path) -> None:
    path = _rle_with_bad_run(tmp_path)
    with DecodeWorker(timeout=10) as worker:
        with pytest.raises(PixelDataError, match="decoding frame 1 of 1"):
            worker.decode(path, 0)
        process = worker._process

        worker.decode(Path(str(get_testdata_file("MR_small_RLE.dcm"))), 0)

        assert worker._process is process
