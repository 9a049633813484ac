"""Slice geometry: display order of frames and slices, spacing, gaps.

Slices are ordered by their position along the image normal, the cross product
of the row and column direction cosines of Image Orientation (Patient)
(PS3.3 C.7.6.2.1.1). Instance Number is used only when positions are missing.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydicom.dataset import Dataset

from pacs_desktop.core.dicom.functional_groups import frame_group_item
from pacs_desktop.core.dicom.orientation import parse_patient_orientation

logger = logging.getLogger(__name__)

Vector = tuple[float, float, float]

# Spacing that differs from the median by more than this fraction (or by more
# than the absolute floor, in mm) counts as a gap or uneven spacing. Positions are
# DS values rounded by scanners to about 0.001 mm, well inside both limits.
SPACING_TOLERANCE_FRACTION = 0.05
SPACING_TOLERANCE_MM = 0.01


@dataclass(frozen=True)
class SliceHeader:
    """The header values of one slice (one frame of a file) that order a series.

    ``patient_orientation`` contains the row and column labels of Patient
    Orientation (0020,0020), such as ("A", "F"), or None when absent.
    """

    path: Path
    sop_instance_uid: str
    instance_number: int | None
    position: Vector | None
    orientation: tuple[float, ...] | None
    number_of_frames: int
    slice_thickness: float | None
    frame_index: int = 0
    series_instance_uid: str = ""
    rows: int | None = None
    columns: int | None = None
    pixel_spacing: tuple[float, float] | None = None
    patient_orientation: tuple[str, str] | None = None


@dataclass(frozen=True)
class SliceOrder:
    """Slices in display order with the spacing found between them.

    ``spacing`` is the median distance in mm between neighbouring slices along
    the normal, or ``None`` when positions are missing. ``gaps`` lists the
    display indices ``i`` where the distance from slice ``i`` to ``i + 1``
    differs from ``spacing``; ``uneven`` is true when there is any.
    """

    headers: list[SliceHeader]
    spacing: float | None = None
    gaps: list[int] = field(default_factory=list)
    uneven: bool = False


def number_of_frames(ds: Dataset) -> int:
    """Return Number of Frames (0028,0008), 1 when absent or invalid."""
    try:
        count = int(ds.get("NumberOfFrames", 1) or 1)
    except (TypeError, ValueError):
        return 1
    return max(count, 1)


def frame_display_order(ds: Dataset) -> list[int]:
    """Return the stored frame indices (0-based) in display order.

    Enhanced multi-frame objects are ordered by each frame's Plane Position
    (Patient) along the image normal. Frames at the same position, and objects
    without per-frame positions, keep their stored order.
    """
    count = number_of_frames(ds)
    if count == 1:
        return [0]
    positions = [_frame_position(ds, index) for index in range(count)]
    orientation = _frame_orientation(ds, 0)
    if orientation is None or any(position is None for position in positions):
        return list(range(count))
    normal = slice_normal(orientation)
    distances = [_dot(position, normal) for position in positions if position]
    return sorted(range(count), key=lambda index: (distances[index], index))


def slice_header(ds: Dataset, path: Path) -> SliceHeader:
    """Return the header of ``ds`` for ordering, with the first frame's position."""
    orientation = _frame_orientation(ds, 0)
    position = _frame_position(ds, 0)
    thickness = _slice_thickness(ds, 0)
    spacing = _floats(ds.get("PixelSpacing"), 2)
    if spacing is None:
        measures = frame_group_item(ds, 0, "PixelMeasuresSequence")
        if measures is not None:
            spacing = _floats(measures.get("PixelSpacing"), 2)
    return SliceHeader(
        path=path,
        sop_instance_uid=str(ds.get("SOPInstanceUID", "") or ""),
        instance_number=_int_or_none(ds.get("InstanceNumber")),
        position=_vector(position),
        orientation=orientation,
        number_of_frames=number_of_frames(ds),
        slice_thickness=thickness,
        series_instance_uid=str(ds.get("SeriesInstanceUID", "") or ""),
        rows=_int_or_none(ds.get("Rows")),
        columns=_int_or_none(ds.get("Columns")),
        pixel_spacing=(spacing[0], spacing[1]) if spacing else None,
        patient_orientation=parse_patient_orientation(ds.get("PatientOrientation")),
    )


def frame_headers(ds: Dataset, path: Path) -> list[SliceHeader]:
    """Return one header per stored frame, each with that frame's geometry."""
    base = slice_header(ds, path)
    if base.number_of_frames == 1:
        return [base]
    return [
        dataclasses.replace(
            base,
            frame_index=index,
            position=_vector(_frame_position(ds, index)),
            orientation=_frame_orientation(ds, index),
            slice_thickness=_slice_thickness(ds, index),
        )
        for index in range(base.number_of_frames)
    ]


def sort_slices(headers: Sequence[SliceHeader]) -> SliceOrder:
    """Put slices in display order and measure the spacing between them.

    When every header has a position and an orientation, slices are sorted by
    position along the normal of the first slice's orientation, ties broken by
    Instance Number and frame index. Otherwise they are sorted by Instance
    Number (missing numbers last), then file name and frame index, and no
    spacing is reported.
    """
    if not headers:
        return SliceOrder(headers=[])
    first_orientation = headers[0].orientation
    if first_orientation is None or any(
        header.position is None or header.orientation is None for header in headers
    ):
        return SliceOrder(headers=sorted(headers, key=_instance_key))

    normal = slice_normal(first_orientation)
    keyed = sorted(
        (
            (_dot(header.position, normal), header)
            for header in headers
            if header.position
        ),
        key=lambda pair: (pair[0], _instance_key(pair[1])),
    )
    distances = [distance for distance, _ in keyed]
    ordered = [header for _, header in keyed]
    spacing, gaps = _spacing_and_gaps(distances)
    return SliceOrder(headers=ordered, spacing=spacing, gaps=gaps, uneven=bool(gaps))


def slice_normal(orientation: Sequence[float]) -> Vector:
    """Return the cross product of the row and column direction cosines."""
    rx, ry, rz, cx, cy, cz = orientation[:6]
    return (ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx)


def _spacing_and_gaps(distances: list[float]) -> tuple[float | None, list[int]]:
    if len(distances) < 2:
        return None, []
    steps = [after - before for before, after in itertools.pairwise(distances)]
    spacing = statistics.median(steps)
    tolerance = max(SPACING_TOLERANCE_MM, SPACING_TOLERANCE_FRACTION * spacing)
    gaps = [
        index for index, step in enumerate(steps) if abs(step - spacing) > tolerance
    ]
    if gaps:
        logger.info(
            "uneven slice spacing: %d of %d steps differ from the median %.3f mm",
            len(gaps),
            len(steps),
            spacing,
        )
    return spacing, gaps


def _instance_key(header: SliceHeader) -> tuple[int, int, str, int]:
    number = header.instance_number
    return (number is None, number or 0, header.path.name, header.frame_index)


def _frame_position(ds: Dataset, stored_index: int) -> tuple[float, ...] | None:
    item = frame_group_item(ds, stored_index, "PlanePositionSequence")
    if item is not None and "ImagePositionPatient" in item:
        return _floats(item.ImagePositionPatient, 3)
    return _floats(ds.get("ImagePositionPatient"), 3)


def _frame_orientation(ds: Dataset, stored_index: int) -> tuple[float, ...] | None:
    item = frame_group_item(ds, stored_index, "PlaneOrientationSequence")
    if item is not None and "ImageOrientationPatient" in item:
        return _floats(item.ImageOrientationPatient, 6)
    return _floats(ds.get("ImageOrientationPatient"), 6)


def _slice_thickness(ds: Dataset, stored_index: int) -> float | None:
    item = frame_group_item(ds, stored_index, "PixelMeasuresSequence")
    if item is not None and "SliceThickness" in item:
        values = _floats(item.SliceThickness, 1)
    else:
        values = _floats(ds.get("SliceThickness"), 1)
    return values[0] if values else None


def _floats(value: object, count: int) -> tuple[float, ...] | None:
    """Return ``count`` floats from a DS/FD value, or ``None`` when invalid."""
    if value is None or value == "":
        return None
    items: Iterable[object] = (
        value if isinstance(value, Iterable) and not isinstance(value, str) else [value]
    )
    try:
        numbers = tuple(float(item) for item in items)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return numbers[:count] if len(numbers) >= count else None


def _vector(values: tuple[float, ...] | None) -> Vector | None:
    return (values[0], values[1], values[2]) if values else None


def _int_or_none(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
