"""A display window: centre, width and VOI LUT Function.

Kept apart from the VOI arithmetic so that settings and presets can describe
windows without importing numpy and pydicom (the login window starts sooner).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

VOI_LUT_FUNCTIONS = ("LINEAR", "LINEAR_EXACT", "SIGMOID")


@dataclass(frozen=True)
class Window:
    """A window (PS3.3 C.11.2.1.2): centre and width in modality units.

    ``function`` is the VOI LUT Function (0028,1056): LINEAR, LINEAR_EXACT or
    SIGMOID. A LINEAR width below 1 is displayed as a threshold at the centre.

    Raises
    ------
    ValueError
        The centre or width is not finite, the width is not positive, or the
        function is unknown.
    """

    center: float
    width: float
    function: str = "LINEAR"
    explanation: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.center) and math.isfinite(self.width)):
            raise ValueError(
                f"window centre {self.center} and width {self.width} must be finite"
            )
        if self.width <= 0:
            raise ValueError(f"window width must be positive, got {self.width}")
        if self.function not in VOI_LUT_FUNCTIONS:
            raise ValueError(
                f"VOI LUT Function {self.function!r} is not one of "
                f"{', '.join(VOI_LUT_FUNCTIONS)}"
            )
