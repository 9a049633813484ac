"""Display changes made by the user: orientation and window drags.

Plain Python, so the arithmetic is testable without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pacs_desktop.core.dicom.geometry import SliceHeader
from pacs_desktop.core.dicom.pipeline import VoiChoice, VoiLut, Window

# Screen pixels of a right-button drag that sweep the full range of modality
# values, so a drag across a typical screen covers CT's -1024..3071 HU about once.
DRAG_PIXELS_PER_RANGE = 1024.0


@dataclass(frozen=True)
class Orientation:
    """Quarter turns clockwise applied after an optional left-right mirror.

    The shown image is ``rot90_cw(turns, fliplr(image) if mirrored else image)``.
    Every sequence of screen rotations and flips reduces to this form.
    """

    turns: int = 0
    mirrored: bool = False

    def rotated(self) -> Orientation:
        """Return the orientation after one more quarter turn clockwise on screen."""
        return replace(self, turns=(self.turns + 1) % 4)

    def flipped_horizontally(self) -> Orientation:
        """Return the orientation after a left-right flip on screen."""
        # fliplr(rot^k(x)) == rot^-k(fliplr(x))
        return Orientation(turns=(-self.turns) % 4, mirrored=not self.mirrored)

    def flipped_vertically(self) -> Orientation:
        """Return the orientation after a top-bottom flip on screen."""
        # flipud == rot^2 after fliplr
        return Orientation(turns=(2 - self.turns) % 4, mirrored=not self.mirrored)

    def pixel_aspect(self, header: SliceHeader) -> float:
        """Return a shown pixel's width over its height, from Pixel Spacing.

        Pixel Spacing (0028,0030) is the row spacing (vertical) first, then the
        column spacing (PS3.3 10.7.1.3); a quarter turn swaps the two.
        """
        spacing = header.pixel_spacing
        if spacing is None or spacing[0] <= 0.0 or spacing[1] <= 0.0:
            return 1.0
        row_spacing, column_spacing = float(spacing[0]), float(spacing[1])
        if self.turns % 2:
            return row_spacing / column_spacing
        return column_spacing / row_spacing

    def apply(self, image: np.ndarray) -> np.ndarray:
        """Return ``image`` (rows first, colour last if any) in this orientation."""
        oriented = np.fliplr(image) if self.mirrored else image
        if self.turns:
            oriented = np.rot90(oriented, k=-self.turns, axes=(0, 1))
        return np.ascontiguousarray(oriented)


def window_from_voi(voi: VoiChoice) -> Window:
    """Return a linear window that covers what ``voi`` maps to display values.

    A VOI LUT maps the input range starting at its first mapped value, one entry
    per value (PS3.3 C.11.2.1.1), so the window spans that range.
    """
    if isinstance(voi, Window):
        return voi
    assert isinstance(voi, VoiLut)
    entries = len(voi.data)
    return Window(
        center=voi.first_mapped + entries / 2.0,
        width=float(max(entries, 1)),
        explanation=voi.explanation,
    )


def drag_sensitivity(value_range: tuple[float, float]) -> float:
    """Return modality units per screen pixel of a window drag.

    ``value_range`` is the minimum and maximum modality value of the frame.
    """
    span = float(value_range[1]) - float(value_range[0])
    if not np.isfinite(span) or span <= 0.0:
        return 1.0
    return span / DRAG_PIXELS_PER_RANGE


def dragged_window(start: Window, dx: float, dy: float, sensitivity: float) -> Window:
    """Return the window after a drag of ``dx``, ``dy`` screen pixels from ``start``.

    Dragging right widens the window and dragging down raises its centre, so
    the image gets darker. The width never drops below one drag step.
    """
    width = max(start.width + dx * sensitivity, sensitivity)
    center = start.center + dy * sensitivity
    return Window(center=center, width=width, function=start.function)
