"""Reading files with and without file meta, and rejecting bad input clearly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pydicom.data import get_charset_files, get_testdata_file
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian

from pacs_desktop.core.dicom.pipeline import decode_frame
from pacs_desktop.core.dicom.reading import read_dataset, require_identifiers
from pacs_desktop.core.dicom.text import full_person_name
from pacs_desktop.core.errors import DicomReadError

ImageBuilder = Callable[..., Dataset]
ImageWriter = Callable[[Dataset, str], Path]


@pytest.mark.parametrize(
    ("name", "syntax"),
    [
        ("ExplVR_LitEndNoMeta.dcm", ExplicitVRLittleEndian),
        ("ExplVR_BigEndNoMeta.dcm", ExplicitVRBigEndian),
    ],
)
def test_no_preamble_no_meta_read(name: str, syntax: str) -> None:
    ds = read_dataset(Path(get_testdata_file(name)))

    assert ds.file_meta.TransferSyntaxUID == syntax
    assert ds.SOPInstanceUID


def test_japanese_name_decoded() -> None:
    path = Path(get_charset_files("chrJapMultiExplicitIR6.dcm")[0])

    ds = read_dataset(path)

    assert full_person_name(ds.PatientName) == "やまだ^たろう"


def test_image_round_trip(make_image: ImageBuilder, write_image: ImageWriter) -> None:
    path = write_image(make_image([[1, 2], [3, 4]]), "image.dcm")

    frame = decode_frame(read_dataset(path), 0, path)

    assert frame.modality.tolist() == [[1, 2], [3, 4]]


def test_stop_before_pixels(make_image: ImageBuilder, write_image: ImageWriter) -> None:
    path = write_image(make_image([[1, 2], [3, 4]]), "image.dcm")

    assert "PixelData" not in read_dataset(path, stop_before_pixels=True)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not a DICOM file"),
        (b"This is a radiology report, not an image.\n" * 10, "not a DICOM file"),
        (bytes(128) + b"DICM", "contains no DICOM data elements"),
        (np.arange(1000, dtype=np.uint32).tobytes(), "not a DICOM file"),
    ],
)
def test_bad_content_rejected(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.dcm"
    path.write_bytes(content)

    with pytest.raises(DicomReadError, match=reason) as caught:
        read_dataset(path)

    assert caught.value.path == path


def test_missing_file_named(tmp_path: Path) -> None:
    with pytest.raises(DicomReadError, match=r"missing\.dcm: file not found"):
        read_dataset(tmp_path / "missing.dcm")


def test_folder_rejected(tmp_path: Path) -> None:
    with pytest.raises(DicomReadError, match="is a folder"):
        read_dataset(tmp_path)


@pytest.mark.parametrize("kept", [140, 300, 0.5, -1])
def test_truncated_file_rejected(
    make_image: ImageBuilder, write_image: ImageWriter, kept: float
) -> None:
    path = write_image(make_image(np.arange(64 * 64).reshape(64, 64)), "cut.dcm")
    data = path.read_bytes()
    end = int(len(data) * kept) if isinstance(kept, float) else kept
    path.write_bytes(data[:end])

    with pytest.raises(DicomReadError) as caught:
        decode_frame(read_dataset(path), 0, path)

    assert caught.value.path == path


def test_truncated_pixel_data_reason(
    make_image: ImageBuilder, write_image: ImageWriter
) -> None:
    path = write_image(make_image(np.arange(64 * 64).reshape(64, 64)), "cut.dcm")
    path.write_bytes(path.read_bytes()[:-100])

    with pytest.raises(DicomReadError, match="truncated"):
        decode_frame(read_dataset(path), 0, path)


def test_empty_uids_named(make_image: ImageBuilder) -> None:
    ds = make_image([[0]])
    ds.SOPInstanceUID = ""
    ds.StudyInstanceUID = ""

    with pytest.raises(DicomReadError) as caught:
        require_identifiers(ds, Path("empty.dcm"))

    assert "SOPInstanceUID (0008,0018), StudyInstanceUID (0020,000D)" in str(
        caught.value
    )


def test_complete_uids_accepted(make_image: ImageBuilder) -> None:
    assert require_identifiers(make_image([[0]]), Path("ok.dcm")) is None
