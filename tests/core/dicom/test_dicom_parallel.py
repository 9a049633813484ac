"""Series decoding in worker processes: order, errors and frames as in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset

from pacs_desktop.core.dicom.parallel import DecodedSeries, SeriesDecoder
from pacs_desktop.core.dicom.series import decode_frame_ref, load_series
from pacs_desktop.core.errors import DicomReadError, PixelDataError

ImageBuilder = Callable[..., Dataset]
ImageWriter = Callable[[Dataset, str], Path]


@pytest.fixture(scope="module")
def decoder() -> Iterator[SeriesDecoder]:
    with SeriesDecoder(workers=2) as pool:
        yield pool


def _slice(make_image: ImageBuilder, z: int, instance: int) -> Dataset:
    return make_image(
        [[z, z + 1], [z + 2, 4000]],
        bits_stored=12,
        RescaleIntercept=-1024,
        ImageOrientationPatient=[1, 0, 0, 0, 1, 0],
        ImagePositionPatient=[0, 0, z],
        InstanceNumber=instance,
    )


@pytest.fixture
def slices(make_image: ImageBuilder, write_image: ImageWriter) -> list[Path]:
    return [
        write_image(_slice(make_image, z, instance), f"{instance}.dcm")
        for instance, z in ((1, 20), (2, 0), (3, 10))
    ]


def test_load_orders_like_load_series(
    decoder: SeriesDecoder, slices: list[Path]
) -> None:
    loaded = decoder.load(slices)

    expected = load_series(slices)
    assert [ref.path for ref in loaded.series.frames] == [
        ref.path for ref in expected.frames
    ]
    assert loaded.series.spacing == expected.spacing


def test_load_frames_match_in_process(
    decoder: SeriesDecoder, slices: list[Path]
) -> None:
    loaded = decoder.load(slices)

    for ref, image in zip(loaded.series.frames, loaded.images, strict=True):
        assert image is not None
        assert image.modality.dtype == np.int16
        assert np.array_equal(image.modality, decode_frame_ref(ref).modality)


def test_load_records_unreadable_file(
    decoder: SeriesDecoder, slices: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not an image")

    loaded = decoder.load([*slices, bad])

    assert len(loaded.images) == 3
    assert [path for path, _ in loaded.series.errors] == [bad]


def test_load_keeps_frame_that_fails(
    decoder: SeriesDecoder,
    make_image: ImageBuilder,
    write_image: ImageWriter,
    slices: list[Path],
) -> None:
    short = _slice(make_image, 30, 4)
    short.PixelData = short.PixelData[:2]
    broken = write_image(short, "4.dcm")

    loaded: DecodedSeries = decoder.load([*slices, broken])

    assert loaded.images[-1] is None
    assert [path for path, _, _ in loaded.frame_errors] == [broken]
    assert "PixelData contains 2 bytes" in loaded.frame_errors[0][2]


def test_load_reports_progress(decoder: SeriesDecoder, slices: list[Path]) -> None:
    seen: list[tuple[int, int]] = []

    decoder.load(slices, progress=lambda done, total: seen.append((done, total)))

    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_decode_refs_in_order(decoder: SeriesDecoder, slices: list[Path]) -> None:
    series = load_series(slices)

    values = [image.modality[0, 0] for image in decoder.decode_refs(series.frames)]

    assert values == [-1024, -1014, -1004]


def test_decode_raises_in_caller(decoder: SeriesDecoder, tmp_path: Path) -> None:
    missing = tmp_path / "absent.dcm"

    with pytest.raises(DicomReadError, match=r"absent\.dcm"):
        decoder.decode(missing, 0).result()


def test_pixel_error_keeps_type_and_pool(
    decoder: SeriesDecoder,
    make_image: ImageBuilder,
    write_image: ImageWriter,
    slices: list[Path],
) -> None:
    short = _slice(make_image, 30, 4)
    short.PixelData = short.PixelData[:2]
    broken = write_image(short, "4.dcm")

    with pytest.raises(PixelDataError, match=r"4\.dcm"):
        decoder.decode(broken, 0).result()
    assert decoder.decode(slices[0], 0).result().modality[0, 0] == -1004
