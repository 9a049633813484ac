"""Loading a series from files: display order, skipped files, frame decoding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from pacs_desktop.core.dicom.series import decode_frame_ref, load_series

ImageBuilder = Callable[..., Dataset]
ImageWriter = Callable[[Dataset, str], Path]


def axial_slice(make_image: ImageBuilder, z: float, instance: int) -> Dataset:
    return make_image(
        [[int(z)]],
        ImageOrientationPatient=[1, 0, 0, 0, 1, 0],
        ImagePositionPatient=[0, 0, z],
        InstanceNumber=instance,
        SliceThickness=1,
    )


def test_slices_in_position_order(
    make_image: ImageBuilder, write_image: ImageWriter
) -> None:
    paths = [
        write_image(axial_slice(make_image, z, instance), f"{instance}.dcm")
        for instance, z in ((1, 20), (2, 0), (3, 10))
    ]

    series = load_series(paths)

    assert [ref.path.name for ref in series.frames] == ["2.dcm", "3.dcm", "1.dcm"]
    assert series.spacing == 10


def test_unreadable_file_recorded(
    make_image: ImageBuilder, write_image: ImageWriter, tmp_path: Path
) -> None:
    good = write_image(axial_slice(make_image, 0, 1), "good.dcm")
    bad = tmp_path / "notes.txt"
    bad.write_text("not an image")

    series = load_series([good, bad])

    assert [ref.path for ref in series.frames] == [good]
    assert [path for path, _ in series.errors] == [bad]
    assert "not a DICOM file" in series.errors[0][1]


def test_decode_frame_ref_pixels(
    make_image: ImageBuilder, write_image: ImageWriter
) -> None:
    paths = [
        write_image(axial_slice(make_image, z, instance), f"{instance}.dcm")
        for instance, z in ((1, 20), (2, 0), (3, 10))
    ]

    series = load_series(paths)

    values = [decode_frame_ref(ref).modality[0, 0] for ref in series.frames]
    assert values == [0, 10, 20]


def test_enhanced_frames_expanded(
    make_image: ImageBuilder, write_image: ImageWriter
) -> None:
    heights = [10, 0, 5]
    ds = make_image(np.array(heights).reshape(3, 1, 1), frames=3)
    orientation = Dataset()
    orientation.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    shared = Dataset()
    shared.PlaneOrientationSequence = Sequence([orientation])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    items = []
    for z in heights:
        position = Dataset()
        position.ImagePositionPatient = [0, 0, z]
        item = Dataset()
        item.PlanePositionSequence = Sequence([position])
        items.append(item)
    ds.PerFrameFunctionalGroupsSequence = Sequence(items)
    path = write_image(ds, "enhanced.dcm")

    series = load_series([path])

    assert [ref.frame_index for ref in series.frames] == [1, 2, 0]
    assert [decode_frame_ref(ref).modality[0, 0] for ref in series.frames] == [
        0,
        5,
        10,
    ]
