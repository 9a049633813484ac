"""Direct codec calls and integer modality values against pydicom's own path."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pydicom
import pytest
from pydicom import pixels
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.uid import UID

from pacs_desktop.core.dicom.direct import greyscale_frame
from pacs_desktop.core.dicom.geometry import number_of_frames
from pacs_desktop.core.dicom.modality import stored_values
from pacs_desktop.core.dicom.pipeline import (
    FrameImage,
    VoiLut,
    Window,
    decode_frame,
    to_display,
)

ImageBuilder = Callable[..., Dataset]

# Greyscale files that take the direct path: one per codec and byte order.
DIRECT_FILES = [
    "MR_small_RLE.dcm",
    "MR_small_jp2klossless.dcm",
    "MR_small_jpeg_ls_lossless.dcm",
    "JPEGLSNearLossless_16.dcm",
    "J2K_pixelrep_mismatch.dcm",
    "MR_small_bigendian.dcm",
    "CT_small.dcm",
]


def _masked(ds: Dataset, array: np.ndarray) -> np.ndarray:
    native = array.astype(array.dtype.newbyteorder("="))
    signed = int(ds.PixelRepresentation) == 1
    return stored_values(native, int(ds.BitsStored), signed=signed)


@pytest.mark.parametrize("name", DIRECT_FILES)
def test_direct_frame_matches_pydicom(name: str) -> None:
    ds = pydicom.dcmread(get_testdata_file(name))
    frames = number_of_frames(ds)
    uid = UID(ds.file_meta.TransferSyntaxUID)
    direct = greyscale_frame(ds, frames - 1, frames, uid)
    reference = pixels.pixel_array(ds, index=frames - 1)

    if uid == "1.2.840.10008.1.2.4.81":
        # Near-lossless JPEG-LS keeps pydicom's checks.
        assert direct is None
        return
    assert direct is not None
    assert np.array_equal(_masked(ds, direct), _masked(ds, reference))


def test_direct_skips_colour() -> None:
    ds = pydicom.dcmread(get_testdata_file("SC_rgb_rle.dcm"))
    uid = UID(ds.file_meta.TransferSyntaxUID)

    assert greyscale_frame(ds, 0, 1, uid) is None


def test_direct_skips_32_bit_samples() -> None:
    ds = pydicom.dcmread(get_testdata_file("rtdose_rle.dcm"))
    uid = UID(ds.file_meta.TransferSyntaxUID)

    assert greyscale_frame(ds, 0, number_of_frames(ds), uid) is None


def test_direct_skips_short_native_data(make_image: ImageBuilder) -> None:
    ds = make_image([[1, 2], [3, 4]])
    ds.PixelData = ds.PixelData[:4]
    uid = UID(ds.file_meta.TransferSyntaxUID)

    assert greyscale_frame(ds, 0, 1, uid) is None


def test_ct_rescale_keeps_int16(make_image: ImageBuilder) -> None:
    ds = make_image(
        [[0, 1024], [2048, 4095]],
        bits_stored=12,
        RescaleSlope=1,
        RescaleIntercept=-1024,
    )
    frame = decode_frame(ds, 0)

    assert frame.modality.dtype == np.int16
    assert frame.modality.tolist() == [[-1024, 0], [1024, 3071]]


def test_wide_integer_rescale_keeps_int32(make_image: ImageBuilder) -> None:
    ds = make_image([[0, 65535]], RescaleSlope=2, RescaleIntercept=-10)
    frame = decode_frame(ds, 0)

    assert frame.modality.dtype == np.int32
    assert frame.modality.tolist() == [[-10, 131060]]


def test_fractional_slope_gives_float32(make_image: ImageBuilder) -> None:
    ds = make_image([[0, 100]], RescaleSlope=0.5, RescaleIntercept=0)
    frame = decode_frame(ds, 0)

    assert frame.modality.dtype == np.float32
    assert frame.modality.tolist() == [[0.0, 50.0]]


def test_value_range_of_integer_values(make_image: ImageBuilder) -> None:
    ds = make_image([[0, 4095]], bits_stored=12, RescaleIntercept=-1024)

    assert decode_frame(ds, 0).value_range == (-1024.0, 3071.0)


def _as_float(frame: FrameImage) -> FrameImage:
    return FrameImage(
        modality=frame.modality.astype(np.float32),
        is_color=False,
        monochrome1=frame.monochrome1,
        voi_choices=frame.voi_choices,
        value_range=frame.value_range,
    )


DISPLAY_CHOICES = [
    None,
    Window(40.0, 400.0),
    Window(40.0, 400.0, "LINEAR_EXACT"),
    Window(40.0, 400.0, "SIGMOID"),
    Window(100.0, 0.5),
    VoiLut(-1024, 12, np.arange(4096, dtype=np.uint16)),
]


@pytest.mark.parametrize("voi", DISPLAY_CHOICES)
@pytest.mark.parametrize("invert", [False, True])
def test_integer_display_equals_float(
    make_image: ImageBuilder, voi: Window | VoiLut | None, invert: bool
) -> None:
    rng = np.random.default_rng(5)
    stored = rng.integers(0, 4096, size=(16, 16))
    ds = make_image(stored, bits_stored=12, RescaleIntercept=-1024)
    frame = decode_frame(ds, 0)

    assert frame.modality.dtype == np.int16
    expected = to_display(_as_float(frame), voi, invert=invert)
    assert np.array_equal(to_display(frame, voi, invert=invert), expected)


def _reference_stored(array: np.ndarray, bits: int, signed: bool) -> np.ndarray:
    width = array.dtype.itemsize * 8
    unsigned = array.view(f"u{array.dtype.itemsize}").astype(np.int64)
    bits = bits if 0 < bits < width else width
    unsigned &= (1 << bits) - 1
    if not signed:
        return unsigned
    return (unsigned ^ (1 << (bits - 1))) - (1 << (bits - 1))


STORED_CASES = [
    (np.uint8, 8, False, np.int16),
    (np.uint16, 12, False, np.int16),
    (np.uint16, 12, True, np.int16),
    (np.int16, 16, True, np.int16),
    (np.uint16, 15, False, np.int16),
    (np.uint16, 16, False, np.int32),
    (np.uint16, 1, True, np.int16),
    (np.uint32, 32, True, np.int64),
    (np.uint32, 20, False, np.int64),
]


@pytest.mark.parametrize(("dtype", "bits", "signed", "result_type"), STORED_CASES)
def test_stored_values_narrow_and_exact(
    dtype: type[np.integer], bits: int, signed: bool, result_type: type[np.integer]
) -> None:
    limits = np.iinfo(dtype)
    rng = np.random.default_rng(3)
    array = rng.integers(limits.min, limits.max, size=256, endpoint=True)
    array = array.astype(dtype)
    array[:3] = [limits.min, limits.max, 0]

    values = stored_values(array, bits, signed=signed)

    assert values.dtype == result_type
    assert np.array_equal(values, _reference_stored(array, bits, signed))
