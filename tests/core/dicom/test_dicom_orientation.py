"""Patient-orientation markers: direction labels, fallbacks, rotation and flips."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset

from pacs_desktop.core.dicom.geometry import slice_header
from pacs_desktop.core.dicom.orientation import (
    EdgeLabels,
    base_labels,
    direction_label,
    edge_labels,
    opposite_label,
    parse_patient_orientation,
)

AXIAL = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
SAGITTAL = (0.0, 1.0, 0.0, 0.0, 0.0, -1.0)
CORONAL = (1.0, 0.0, 0.0, 0.0, 0.0, -1.0)
# Image Orientation (Patient) of the sagittal MPRAGE series in the shared data.
OBLIQUE_SAGITTAL = (
    0.05378466379901,
    0.96501313248301,
    0.256625922454,
    0.01811332435568,
    0.25601276514781,
    -0.9665036841948,
)


@pytest.mark.parametrize(
    ("vector", "expected"),
    [
        ((1.0, 0.0, 0.0), "L"),
        ((-1.0, 0.0, 0.0), "R"),
        ((0.0, 1.0, 0.0), "P"),
        ((0.0, -1.0, 0.0), "A"),
        ((0.0, 0.0, 1.0), "H"),
        ((0.0, 0.0, -1.0), "F"),
        ((0.8, 0.6, 0.0), "LP"),
        ((-0.6, 0.8, 0.0), "PR"),
        ((0.2, -0.5, -0.84), "FAL"),
        ((1.0, 1e-6, -1e-6), "L"),
        ((0.0, 0.0, 0.0), ""),
    ],
)
def test_direction_label(vector: tuple[float, float, float], expected: str) -> None:
    assert direction_label(vector) == expected


def test_direction_label_max_letters() -> None:
    assert direction_label((0.2, -0.5, -0.84), max_letters=2) == "FA"


def test_opposite_label() -> None:
    assert opposite_label("LPH") == "RAF"


@pytest.mark.parametrize(
    ("orientation", "expected"),
    [
        (AXIAL, EdgeLabels(left="R", right="L", top="A", bottom="P")),
        (SAGITTAL, EdgeLabels(left="A", right="P", top="H", bottom="F")),
        (CORONAL, EdgeLabels(left="R", right="L", top="H", bottom="F")),
        (
            OBLIQUE_SAGITTAL,
            EdgeLabels(left="AFR", right="PHL", top="HAR", bottom="FPL"),
        ),
    ],
)
def test_edge_labels_unturned(
    orientation: tuple[float, ...], expected: EdgeLabels
) -> None:
    labels = base_labels(orientation, None)
    assert labels is not None

    assert edge_labels(*labels) == expected


def test_horizontal_flip_swaps_left_and_right() -> None:
    labels = edge_labels("L", "P", mirrored=True)

    assert labels == EdgeLabels(left="L", right="R", top="A", bottom="P")


def test_quarter_turn_moves_markers_clockwise() -> None:
    # The top edge (A) comes to the right, the left edge (R) to the top.
    labels = edge_labels("L", "P", turns=1)

    assert labels == EdgeLabels(left="P", right="A", top="R", bottom="L")


def test_half_turn_swaps_both_pairs() -> None:
    labels = edge_labels("L", "P", turns=2)

    assert labels == EdgeLabels(left="L", right="R", top="P", bottom="A")


def test_vertical_flip_as_half_turn_of_mirror() -> None:
    # A top-bottom flip is a left-right mirror followed by a half turn.
    labels = edge_labels("L", "P", turns=2, mirrored=True)

    assert labels == EdgeLabels(left="R", right="L", top="P", bottom="A")


def test_four_turns_restore_markers() -> None:
    assert edge_labels("L", "P", turns=4) == edge_labels("L", "P")


def test_patient_orientation_used_without_orientation() -> None:
    assert base_labels(None, ("A", "F")) == ("A", "F")


def test_orientation_wins_over_patient_orientation() -> None:
    assert base_labels(AXIAL, ("A", "F")) == ("L", "P")


def test_no_labels_without_either() -> None:
    assert base_labels(None, None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["A", "F"], ("A", "F")),
        (["l", "fp"], ("L", "FP")),
        (["A"], None),
        (["A", ""], None),
        (["A", "X"], None),
        ("AF", None),
        (None, None),
    ],
)
def test_parse_patient_orientation(
    value: object, expected: tuple[str, str] | None
) -> None:
    assert parse_patient_orientation(value) == expected


def test_slice_header_reads_patient_orientation() -> None:
    ds = Dataset()
    ds.PatientOrientation = ["P", "F"]

    assert slice_header(ds, Path("x.dcm")).patient_orientation == ("P", "F")


def test_slice_header_without_patient_orientation() -> None:
    assert slice_header(Dataset(), Path("x.dcm")).patient_orientation is None
