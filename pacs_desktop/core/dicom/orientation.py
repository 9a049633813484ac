"""Patient-orientation markers for the edges of a displayed image.

The patient coordinate system of DICOM (PS3.3 C.7.6.2.1.1) has +x towards the
patient's left, +y towards posterior and +z towards the head. A direction is
named by the letters of those axes: L or R, P or A, H or F, the strongest
component first, as Patient Orientation (0020,0020) names it (PS3.3
C.7.6.1.1.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A direction cosine below this takes no letter, so round-off in stored cosines
# adds none. A cosine of 0.01 is a tilt of about 0.6 degrees towards that axis.
MIN_LABELLED_COSINE = 0.01

# Letters for the negative and the positive direction of x, y and z.
_AXIS_LETTERS = (("R", "L"), ("A", "P"), ("F", "H"))
_OPPOSITE = {"L": "R", "R": "L", "A": "P", "P": "A", "H": "F", "F": "H"}


@dataclass(frozen=True)
class EdgeLabels:
    """The direction each edge of the shown image points to in the patient."""

    left: str
    right: str
    top: str
    bottom: str


def direction_label(vector: Sequence[float], max_letters: int = 3) -> str:
    """Return the letters naming the patient direction ``vector`` points to.

    Letters come in order of decreasing magnitude of the component, at most
    ``max_letters`` of them, so an oblique direction reads "LP" or "PHL".
    Components below `MIN_LABELLED_COSINE` take no letter. A zero vector
    returns "".
    """
    components = sorted(
        (
            (abs(float(value)), axis, float(value))
            for axis, value in enumerate(vector[:3])
        ),
        key=lambda item: -item[0],
    )
    letters = [
        _AXIS_LETTERS[axis][1 if value > 0.0 else 0]
        for magnitude, axis, value in components
        if magnitude >= MIN_LABELLED_COSINE
    ]
    return "".join(letters[:max_letters])


def opposite_label(label: str) -> str:
    """Return the label of the opposite direction: "LP" becomes "RA"."""
    return "".join(_OPPOSITE.get(letter, letter) for letter in label)


def parse_patient_orientation(value: object) -> tuple[str, str] | None:
    """Return the row and column labels of Patient Orientation (0020,0020).

    ``value`` is the element's value, two code strings such as ["A", "FR"].
    Returns None unless both are non-empty and use only L, R, A, P, H and F.
    """
    if value is None or isinstance(value, str | bytes):
        return None
    try:
        parts = [str(part).strip().upper() for part in value]  # type: ignore[attr-defined]
    except TypeError:
        return None
    if len(parts) != 2 or not all(parts):
        return None
    if any(letter not in _OPPOSITE for part in parts for letter in part):
        return None
    return parts[0], parts[1]


def base_labels(
    orientation: Sequence[float] | None, patient_orientation: tuple[str, str] | None
) -> tuple[str, str] | None:
    """Return the labels of the row and the column direction of a frame.

    ``orientation`` is Image Orientation (Patient) (0020,0037): the row
    direction cosines (the direction of increasing column index), then the
    column direction cosines. It wins over ``patient_orientation``, the
    parsed Patient Orientation (0020,0020). Returns None when neither is
    present or the orientation names no direction.
    """
    if orientation is not None and len(orientation) >= 6:
        row = direction_label(orientation[0:3])
        column = direction_label(orientation[3:6])
        if row and column:
            return row, column
    return patient_orientation


def edge_labels(
    row_label: str, column_label: str, *, turns: int = 0, mirrored: bool = False
) -> EdgeLabels:
    """Return the labels of the four edges of the displayed image.

    ``row_label`` names the direction of increasing column index in the stored
    image and ``column_label`` that of increasing row index. The displayed
    image is the stored one mirrored left-right when ``mirrored``, then turned
    ``turns`` quarter turns clockwise.
    """
    # Directions of the screen's right and down, as labels.
    right, down = row_label, column_label
    if mirrored:
        right = opposite_label(right)
    for _ in range(turns % 4):
        # A clockwise quarter turn brings the old top edge to the right and the
        # old right edge to the bottom.
        right, down = opposite_label(down), right
    return EdgeLabels(
        left=opposite_label(right),
        right=right,
        top=opposite_label(down),
        bottom=down,
    )
