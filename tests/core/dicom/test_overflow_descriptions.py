"""Image Pixel descriptions whose sizes overflow: rejected before any allocation."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import (
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    RLELossless,
    SecondaryCaptureImageStorage,
    generate_uid,
)

from pacs_desktop.core.dicom.pipeline import decode_frame
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.dicom.series import load_series
from pacs_desktop.core.errors import PixelDataError

NATIVE = ExplicitVRLittleEndian

# Memory a rejection may cost, measured with tracemalloc. Allocating even one
# declared frame of the cases below would take from 1 MB to 8 GB.
MEMORY_BOUND = 256 << 10


def _described(
    folder: Path,
    *,
    rows: int,
    columns: int,
    frames: str,
    bits: int = 16,
    samples: int = 1,
    syntax: str = NATIVE,
) -> Path:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = syntax
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = generate_uid()
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = "OT"
    ds.Rows, ds.Columns = rows, columns
    ds.NumberOfFrames = frames
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = "MONOCHROME2" if samples == 1 else "RGB"
    if samples > 1:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits, bits, bits - 1
    ds.PixelRepresentation = 0
    if syntax == NATIVE:
        ds.PixelData = bytes(64)
    else:
        ds.PixelData = encapsulate([bytes(64)])
    path = folder / "described.dcm"
    ds.save_as(path, enforce_file_format=True)
    return path


@pytest.fixture
def memory() -> Iterator[None]:
    tracemalloc.start()
    yield
    tracemalloc.stop()


def _case(  # noqa: PLR0917 - one positional argument per table column
    rows: int,
    columns: int,
    frames: str,
    bits: int,
    samples: int,
    syntax: str,
    reason: str,
    *,
    id: str,
) -> object:
    description = {
        "rows": rows,
        "columns": columns,
        "frames": frames,
        "bits": bits,
        "samples": samples,
        "syntax": syntax,
    }
    return pytest.param(description, reason, id=id)


OVERFLOWING = [
    _case(65535, 65535, "1000", 16, 1, NATIVE, "more than the 1073741824", id="huge"),
    _case(65535, 65535, "1", 16, 1, NATIVE, "more than the 1073741824", id="one"),
    _case(
        65535, 65535, "1000", 16, 1, JPEG2000Lossless, "more than the", id="huge-j2k"
    ),
    _case(65535, 65535, "1000", 16, 3, RLELossless, "more than the", id="rgb-rle"),
    _case(512, 512, "2147483647", 16, 1, NATIVE, "need 1125899906318336", id="2^31"),
    _case(
        512, 512, "2147483647", 16, 1, RLELossless, "cannot hold that", id="2^31-rle"
    ),
    _case(1, 1, "999999999999", 8, 1, NATIVE, "need 999999999999", id="10^12"),
    _case(4096, 4096, "1", 32768, 1, NATIVE, "more than the", id="32768-bits"),
]


@pytest.mark.parametrize(("description", "reason"), OVERFLOWING)
def test_overflowing_description_rejected(
    tmp_path: Path, memory: None, description: dict[str, Any], reason: str
) -> None:
    path = _described(tmp_path, **description)
    ds = read_dataset(path)
    tracemalloc.reset_peak()

    with pytest.raises(PixelDataError, match=reason):
        decode_frame(ds, 0, path)

    assert tracemalloc.get_traced_memory()[1] < MEMORY_BOUND


@pytest.mark.parametrize("frames", ["2147483647", "999999999999"])
def test_series_with_huge_frame_count_skipped(
    tmp_path: Path, memory: None, frames: str
) -> None:
    path = _described(tmp_path, rows=512, columns=512, frames=frames)
    tracemalloc.reset_peak()

    series = load_series([path])

    assert series.frames == []
    assert "Number of Frames (0028,0008)" in series.errors[0][1]
    assert tracemalloc.get_traced_memory()[1] < MEMORY_BOUND
