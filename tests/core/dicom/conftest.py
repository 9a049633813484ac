"""Builders of small synthetic DICOM images for the display pipeline tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (
    ExplicitVRLittleEndian,
    SecondaryCaptureImageStorage,
    generate_uid,
)

ImageBuilder = Callable[..., Dataset]


def build_image(
    pixels: np.ndarray | list[Any],
    *,
    photometric: str = "MONOCHROME2",
    bits_allocated: int = 16,
    bits_stored: int | None = None,
    signed: bool = False,
    samples: int = 1,
    pixel_bytes: bytes | None = None,
    frames: int = 1,
    **attributes: Any,
) -> Dataset:
    """Return an Explicit VR Little Endian image with the given pixels and attributes.

    ``pixels`` is rows x columns (x samples for colour, frames first for
    multi-frame). ``pixel_bytes`` replaces the encoded pixels, for planar
    configurations and deliberately short data.
    """
    array = np.asarray(pixels)
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = "OT"
    shape = array.shape[1:] if frames > 1 else array.shape
    ds.Rows, ds.Columns = int(shape[0]), int(shape[1])
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = bits_allocated
    ds.BitsStored = bits_stored or bits_allocated
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = int(signed)
    if samples > 1:
        ds.PlanarConfiguration = 0
    if frames > 1:
        ds.NumberOfFrames = frames
    for keyword, value in attributes.items():
        setattr(ds, keyword, value)
    if pixel_bytes is None:
        kind = "i" if signed else "u"
        pixel_bytes = array.astype(f"<{kind}{bits_allocated // 8}").tobytes()
    ds.PixelData = pixel_bytes + (b"\0" if len(pixel_bytes) % 2 else b"")
    ds["PixelData"].VR = "OW" if bits_allocated > 8 else "OB"
    return ds


@pytest.fixture
def make_image() -> ImageBuilder:
    """The ``build_image`` function."""
    return build_image


@pytest.fixture
def write_image(tmp_path: Path) -> Callable[[Dataset, str], Path]:
    """Save a data set as a DICOM file in the test's folder and return its path."""

    def write(ds: Dataset, name: str) -> Path:
        path = tmp_path / name
        ds.save_as(path, enforce_file_format=True)
        return path

    return write
