"""The display pipeline on real images: transfer syntaxes, colour, MONOCHROME1."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from pacs_desktop.core.dicom.pipeline import FrameImage, decode_frame, to_display
from pacs_desktop.core.dicom.reading import read_dataset, require_identifiers
from pacs_desktop.core.dicom.series import load_series
from pacs_desktop.core.errors import DicomReadError

pytestmark = pytest.mark.shared_data

SYNTAX_VARIANTS = [f"{number}.dcm" for number in range(2, 10)]


def decode(path: Path) -> FrameImage:
    return decode_frame(read_dataset(path), 0, path)


@pytest.mark.parametrize("name", SYNTAX_VARIANTS)
def test_transfer_syntaxes_same_pixels(shared_data: Path, name: str) -> None:
    folder = shared_data / "mr_transfer_syntaxes"
    reference = decode(folder / "1.dcm").modality

    assert np.array_equal(decode(folder / name).modality, reference)


def test_j2k_rct_equals_uncompressed_rgb(shared_data: Path) -> None:
    folder = shared_data / "pydicom-data"

    lossless = decode(folder / "US1_J2KR.dcm").modality

    assert np.array_equal(lossless, decode(folder / "US1_UNCR.dcm").modality)


def test_j2k_ict_close_to_rgb(shared_data: Path) -> None:
    folder = shared_data / "pydicom-data"
    lossy = decode(folder / "US1_J2KI.dcm").modality.astype(int)
    reference = decode(folder / "US1_UNCR.dcm").modality.astype(int)

    assert np.abs(lossy - reference).mean() < 3


def test_palette_rle_equals_native(shared_data: Path) -> None:
    folder = shared_data / "pydicom-data"

    rle = decode(folder / "OBXXXX1A_rle.dcm").modality

    assert np.array_equal(rle, decode(folder / "OBXXXX1A.dcm").modality)


def test_palette_is_rgb(shared_data: Path) -> None:
    frame = decode(shared_data / "pydicom-data" / "OBXXXX1A.dcm")

    assert frame.modality.shape == (600, 800, 3)


def test_cr_monochrome1_low_values_white(shared_data: Path) -> None:
    frame = decode(shared_data / "pydicom-data" / "RG3_J2KR.dcm")
    display = to_display(frame)
    darkest = np.unravel_index(np.argmin(frame.modality), frame.modality.shape)

    assert display[darkest] == 255


def test_totalseg_empty_uids_named(shared_data: Path) -> None:
    path = next((shared_data / "ct_series_totalseg_20").iterdir())

    with pytest.raises(DicomReadError, match="SOPInstanceUID \\(0008,0018\\)"):
        require_identifiers(read_dataset(path, stop_before_pixels=True), path)


def test_ct_series_even(shared_data: Path) -> None:
    paths = sorted((shared_data / "ct_series_pancreas_134").glob("*.dcm"))

    series = load_series(paths)

    assert len(series.frames) == 134
    assert series.uneven is False
    assert series.spacing is not None and series.spacing > 0


def test_mr_sagittal_series_even(shared_data: Path) -> None:
    paths = sorted((shared_data / "mr_series_sag_mprage_192").glob("*.dcm"))

    series = load_series(paths)

    assert len(series.frames) == 192
    assert series.uneven is False


def test_ct_matches_dcmtk(shared_data: Path, tmp_path: Path) -> None:
    if shutil.which("dcmj2pnm") is None:
        message = "comparison with DCMTK needs dcmj2pnm (package dcmtk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    path = shared_data / "ct_series_pancreas_134" / "1-050.dcm"
    output = tmp_path / "dcmtk.pgm"
    subprocess.run(["dcmj2pnm", "+Wi", "1", str(path), str(output)], check=True)
    header, _, pixels = output.read_bytes().partition(b"\n255\n")
    width, height = (int(value) for value in header.split()[1:3])
    reference = np.frombuffer(pixels, np.uint8)[: width * height].reshape(height, -1)

    display = to_display(decode(path))

    assert np.abs(display.astype(int) - reference).max() <= 1
