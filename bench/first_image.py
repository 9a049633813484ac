"""Time to first image: study opened to pixels painted, absolute."""

from __future__ import annotations

from bench.harness import Context, Goal, Row, Target, not_measured

WORKLOAD = "time to first image"
CASES = (
    ("JPEG 2000 CT, study opened to pixels painted", Target(Goal.MEDIAN_AT_MOST, 0.05)),
    (
        "uncompressed CT, study opened to pixels painted",
        Target(Goal.MEDIAN_AT_MOST, 0.02),
    ),
)


def run(ctx: Context) -> list[Row]:
    """Report the rows; the viewer measurement is not written yet."""
    # TODO: time ViewerWidget.open_series_paths until current_display() contains
    # the first frame, offscreen, once the viewer widget is committed.
    reason = "the viewer measurement is not written yet"
    return [
        not_measured(WORKLOAD, case, "none (absolute)", target, reason)
        for case, target in CASES
    ]
