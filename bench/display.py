"""Window/level to 8-bit per frame, and the paint step, against a copy floor.

The floor is a numpy copy of the same float32 modality buffer that
``to_display`` reads: no per-frame display step can beat reading the frame
once and writing a frame once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from bench.harness import (
    MILLISECONDS,
    Context,
    Goal,
    Row,
    Target,
    not_measured,
    repeated,
    run_pairs,
)
from bench.samples import (
    MissingInputError,
    ct_paths,
    find_product,
    read_bytes_dataset,
    tiled_dataset,
)

WORKLOAD = "window/level + paint per frame"
FLOOR = "numpy copy of the same buffer"
LIMITS = {512: 1e-3, 2048: 5e-3}
# The one QApplication of the process, kept alive while items exist.
_qt_objects: list[object] = []

CASES = ("window/level to uint8", "window/level + paint (pyqtgraph ImageItem)")


def _target(size: int) -> Target:
    return Target(Goal.MEDIAN_AT_MOST, LIMITS[size])


def _painter() -> Callable[[np.ndarray], object]:
    """Return a function that hands a uint8 frame to an ImageItem and renders it."""
    import pyqtgraph
    from PySide6.QtWidgets import QApplication

    _qt_objects.append(QApplication.instance() or QApplication([]))
    item = pyqtgraph.ImageItem(axisOrder="row-major")

    def paint(pixels: np.ndarray) -> object:
        # 8-bit data with no levels and no LUT takes pyqtgraph's direct
        # Grayscale8 QImage path; render() is the work paint() would trigger.
        item.setImage(pixels, autoLevels=False, levels=None)
        item.render()
        return item.qimage

    return paint


def _measure_size(
    ctx: Context,
    size: int,
    frame: Any,
    to_display: Callable[..., np.ndarray],
    paint: Callable[[np.ndarray], object] | None,
) -> list[Row]:
    calls = 20 if size == 512 else 5
    buffer = frame.modality

    def floor() -> object:
        return buffer.copy()

    def window_level() -> object:
        return to_display(frame)

    peer = repeated(floor, calls)
    rows = [
        Row(
            WORKLOAD,
            f"{CASES[0]}, {size}x{size}",
            FLOOR,
            _target(size),
            MILLISECONDS,
            result=run_pairs(repeated(window_level, calls), peer, ctx.pairs(30)),
        )
    ]
    if paint is None:
        rows.append(
            not_measured(
                WORKLOAD,
                f"{CASES[1]}, {size}x{size}",
                FLOOR,
                _target(size),
                "pyqtgraph or Qt could not be loaded offscreen",
            )
        )
        return rows

    def window_level_paint() -> object:
        return paint(to_display(frame))

    rows.append(
        Row(
            WORKLOAD,
            f"{CASES[1]}, {size}x{size}",
            FLOOR,
            _target(size),
            MILLISECONDS,
            result=run_pairs(repeated(window_level_paint, calls), peer, ctx.pairs(30)),
        )
    )
    return rows


def run(ctx: Context) -> list[Row]:
    """Measure to_display, then to_display plus paint, at 512 and 2048 pixels."""
    try:
        decode_frame = find_product("pacs_desktop.core.dicom.pipeline", "decode_frame")
        to_display = find_product("pacs_desktop.core.dicom.pipeline", "to_display")
        slice_bytes = ct_paths(ctx.data_dir)[0].read_bytes()
    except MissingInputError as exc:
        return [
            not_measured(
                WORKLOAD, f"{case}, {size}x{size}", FLOOR, _target(size), str(exc)
            )
            for size in LIMITS
            for case in CASES
        ]
    assert callable(decode_frame)
    assert callable(to_display)

    try:
        paint: Callable[[np.ndarray], object] | None = _painter()
    except ImportError:
        paint = None

    rows: list[Row] = []
    ct = read_bytes_dataset(slice_bytes)
    for size in LIMITS:
        ds = ct if size == int(ct.Rows) else tiled_dataset(ct, size)
        frame = decode_frame(ds, 0, None)
        rows.extend(_measure_size(ctx, size, frame, to_display, paint))
    for row in rows:
        if row.met is False:
            _explain(row)
    return rows


def _explain(row: Row) -> None:
    assert row.result is not None
    floor = row.result.peer.median
    row.cause = (
        f"{row.unit.format(row.result.ours.median)} per frame against a copy floor "
        f"of {row.unit.format(floor)}: the step costs "
        f"{row.result.ratio.median:.1f} copies of the frame."
    )
    row.next_step = (
        "fuse the VOI and the 8-bit conversion into one pass with a lookup table "
        "over the stored values, and hand the 8-bit frame to Qt without a copy."
    )
