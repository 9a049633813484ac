"""Slice order along the image normal, spacing, gaps and presets."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacs_desktop.core.dicom.geometry import SliceHeader, slice_normal, sort_slices
from pacs_desktop.core.dicom.presets import CT_PRESETS, preset_for_key

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
SAGITTAL = (0.0, 1.0, 0.0, 0.0, 0.0, -1.0)


def header(
    name: str,
    position: tuple[float, float, float] | None,
    *,
    orientation: tuple[float, ...] | None = AXIAL,
    instance: int | None = None,
) -> SliceHeader:
    return SliceHeader(
        path=Path(name),
        sop_instance_uid=f"1.2.3.{name}",
        instance_number=instance,
        position=position,
        orientation=orientation,
        number_of_frames=1,
        slice_thickness=1.0,
    )


def names(headers: list[SliceHeader]) -> list[str]:
    return [item.path.name for item in headers]


def test_axial_sorted_by_height() -> None:
    slices = [header(name, (0, 0, z)) for name, z in (("c", 5), ("a", -5), ("b", 0))]

    assert names(sort_slices(slices).headers) == ["a", "b", "c"]


def test_sagittal_sorted_along_normal() -> None:
    # The normal of this orientation is (-1, 0, 0): larger x comes first.
    slices = [
        header(name, (x, 0, 0), orientation=SAGITTAL)
        for name, x in (("a", 1.0), ("b", 3.0), ("c", 2.0))
    ]

    assert names(sort_slices(slices).headers) == ["b", "c", "a"]


def test_normal_is_cross_product() -> None:
    assert slice_normal(SAGITTAL) == (-1.0, 0.0, 0.0)


def test_instance_number_fallback() -> None:
    slices = [
        header("x", None, instance=3),
        header("y", None, instance=None),
        header("z", None, instance=1),
    ]

    assert names(sort_slices(slices).headers) == ["z", "x", "y"]


def test_fallback_reports_no_spacing() -> None:
    assert sort_slices([header("x", None), header("y", None)]).spacing is None


def test_even_spacing_measured() -> None:
    order = sort_slices([header(str(z), (0, 0, z * 2.5)) for z in range(5)])

    assert order.spacing == pytest.approx(2.5)
    assert order.gaps == []
    assert order.uneven is False


def test_missing_slice_is_gap() -> None:
    order = sort_slices([header(str(z), (0, 0, z)) for z in (0, 1, 2, 4, 5)])

    assert order.gaps == [2]
    assert order.uneven is True


def test_uneven_spacing_found() -> None:
    order = sort_slices(
        [header(str(i), (0, 0, z)) for i, z in enumerate((0, 1, 2, 3.3, 4.3))]
    )

    assert order.gaps == [2]


def test_rounding_is_not_a_gap() -> None:
    order = sort_slices(
        [header(str(i), (0, 0, z)) for i, z in enumerate((0, 1.25, 2.501, 3.749, 5.0))]
    )

    assert order.gaps == []


def test_presets_on_keys_in_order() -> None:
    assert [(preset.key, preset.name) for preset in CT_PRESETS] == [
        ("1", "Brain"),
        ("2", "Subdural"),
        ("3", "Stroke"),
        ("4", "Lung"),
        ("5", "Mediastinum"),
        ("6", "Abdomen"),
        ("7", "Liver"),
        ("8", "Bone"),
    ]


@pytest.mark.parametrize(
    ("key", "center", "width"),
    [("1", 40, 80), ("4", -600, 1500), ("8", 400, 1800)],
)
def test_preset_windows(key: str, center: float, width: float) -> None:
    preset = preset_for_key(key)

    assert preset is not None
    assert (preset.window.center, preset.window.width) == (center, width)


def test_unknown_preset_key() -> None:
    assert preset_for_key("9") is None
