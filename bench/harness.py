"""Paired measurements, their statistics, and the rows of the results table.

Every comparison runs our code and its peer alternately (A, B, A, B ...) in one
process, so a slow phase of a shared machine slows both sides of a pair alike,
and each ratio is computed pair by pair before taking its median.
"""

from __future__ import annotations

import enum
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# A measurement: runs the work once and returns the measured value (seconds,
# unless the row's unit says otherwise). Set-up that must not be timed happens
# inside the callable, before it starts its clock.
Measurement = Callable[[], float]


def stopwatch(work: Callable[[], object]) -> Measurement:
    """Wrap ``work`` in a measurement that returns its wall-clock duration."""

    def measure() -> float:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start

    return measure


def repeated(work: Callable[[], object], calls: int) -> Measurement:
    """Wrap ``work`` in a measurement of its mean duration over ``calls`` calls.

    Sub-millisecond work is timed in batches because one call is close to the
    resolution and the jitter of the clock.
    """

    def measure() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            work()
        return (time.perf_counter() - start) / calls

    return measure


@dataclass(frozen=True)
class Stats:
    """Median, minimum, maximum and 95th percentile of a list of samples."""

    median: float
    minimum: float
    maximum: float
    p95: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        """Summarise ``samples`` (at least one)."""
        ordered = sorted(samples)
        # Nearest-rank percentile: the smallest sample with 95 % at or below it.
        rank = max(1, math.ceil(0.95 * len(ordered)))
        return cls(
            median=statistics.median(ordered),
            minimum=ordered[0],
            maximum=ordered[-1],
            p95=ordered[rank - 1],
            count=len(ordered),
        )


@dataclass(frozen=True)
class Paired:
    """Our samples, the peer's samples and the per-pair ratio ours / peer."""

    ours: Stats
    peer: Stats
    ratio: Stats


@dataclass(frozen=True)
class Solo:
    """Our samples alone, for a workload that no peer performs."""

    ours: Stats


def run_pairs(
    ours: Measurement, peer: Measurement, pairs: int, *, warmup: int = 1
) -> Paired:
    """Run ``ours`` and ``peer`` alternately and summarise them.

    ``warmup`` pairs run first and are discarded (imports, caches, JIT-free
    first calls). A peer sample of zero would make its pair's ratio infinite,
    so such pairs keep their samples but give no ratio.
    """
    for _ in range(warmup):
        ours()
        peer()
    ours_samples: list[float] = []
    peer_samples: list[float] = []
    ratios: list[float] = []
    for _ in range(pairs):
        a = ours()
        b = peer()
        ours_samples.append(a)
        peer_samples.append(b)
        if b > 0:
            ratios.append(a / b)
    return Paired(
        ours=Stats.of(ours_samples),
        peer=Stats.of(peer_samples),
        ratio=Stats.of(ratios or [math.inf]),
    )


class Goal(enum.Enum):
    """The rule that judges whether a row meets its target."""

    # ours / peer of a duration or a size, per pair, median: lower is better.
    RATIO_AT_MOST = "ratio_at_most"
    # peer / ours of a duration, per pair, median: our throughput relative to
    # the peer's; higher is better.
    THROUGHPUT_AT_LEAST = "throughput_at_least"
    # our median duration, in seconds: lower is better.
    MEDIAN_AT_MOST = "median_at_most"
    # our 95th percentile duration, in seconds: lower is better.
    P95_AT_MOST = "p95_at_most"
    # our largest sample: every sample must be at or below the limit.
    MAX_AT_MOST = "max_at_most"


@dataclass(frozen=True)
class Target:
    """The target of one row: a goal and its limit."""

    goal: Goal
    limit: float

    def describe(self, unit: Unit) -> str:
        """Return the target as the results table shows it."""
        if self.goal is Goal.RATIO_AT_MOST:
            return f"<= {self.limit:g}x"
        if self.goal is Goal.THROUGHPUT_AT_LEAST:
            return f">= {self.limit:g}x throughput"
        if self.goal is Goal.MAX_AT_MOST:
            return f"max <= {unit.format(self.limit)}"
        statistic = "median" if self.goal is Goal.MEDIAN_AT_MOST else "p95"
        return f"{statistic} <= {unit.format(self.limit)}"

    def is_met(self, result: Paired | Solo) -> bool:
        """Return whether ``result`` meets the target.

        A ratio goal is never met by a `Solo` result, because it has no peer.
        """
        if self.goal in (Goal.RATIO_AT_MOST, Goal.THROUGHPUT_AT_LEAST):
            if not isinstance(result, Paired):
                return False
            if self.goal is Goal.RATIO_AT_MOST:
                return result.ratio.median <= self.limit
            return throughput(result.ratio.median) >= self.limit
        if self.goal is Goal.MEDIAN_AT_MOST:
            return result.ours.median <= self.limit
        if self.goal is Goal.MAX_AT_MOST:
            return result.ours.maximum <= self.limit
        return result.ours.p95 <= self.limit


def throughput(time_ratio: float) -> float:
    """Convert a duration ratio ours / peer into a throughput ratio."""
    if time_ratio == 0:
        return math.inf
    return 1.0 / time_ratio


@dataclass(frozen=True)
class Unit:
    """How the samples of a row are scaled and printed (they are stored in SI)."""

    symbol: str
    scale: float
    digits: int

    def format(self, value: float) -> str:
        """Format a value given in the base unit (seconds or bytes)."""
        if math.isinf(value):
            return "inf"
        return f"{value * self.scale:.{self.digits}f} {self.symbol}"


MILLISECONDS = Unit("ms", 1e3, 2)
SECONDS = Unit("s", 1.0, 3)
MEGABYTES = Unit("MB", 1e-6, 1)


@dataclass
class Row:
    """One line of the results table.

    ``result`` is None when the workload was not measured; ``missing`` then
    says what is missing. ``cause`` and ``next_step`` explain a miss from
    measurements taken in the same run. ``failures`` lists broken guarantees
    (not slowness): any failure misses the target and makes the run exit
    non-zero.
    """

    workload: str
    case: str
    peer: str
    target: Target
    unit: Unit = MILLISECONDS
    result: Paired | Solo | None = None
    missing: str = ""
    cause: str = ""
    next_step: str = ""
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when not measured."""
        if self.result is None:
            return None
        return not self.failures and self.target.is_met(self.result)

    def ratio_text(self) -> str:
        """Return the median ratio and its range as the table shows it."""
        if not isinstance(self.result, Paired):
            return ""
        ratio = self.result.ratio
        if self.target.goal is Goal.THROUGHPUT_AT_LEAST:
            # The throughput ratio inverts the duration ratio, so min and max swap.
            median = throughput(ratio.median)
            low = throughput(ratio.maximum)
            high = throughput(ratio.minimum)
            return f"{median:.2f}x thr. ({low:.2f}-{high:.2f})"
        return f"{ratio.median:.2f}x ({ratio.minimum:.2f}-{ratio.maximum:.2f})"


def not_measured(
    workload: str, case: str, peer: str, target: Target, missing: str
) -> Row:
    """Build the row of a workload that could not be measured, and why."""
    return Row(workload, case, peer, target, missing=missing)


@dataclass
class Context:
    """The inputs of every workload: the run's size, its scratch folder, the data."""

    quick: bool
    scratch: Path
    data_dir: Path
    repo_root: Path

    def pairs(self, full: int, quick: int = 3) -> int:
        """Return the number of pairs to run: ``full``, or ``quick`` in a quick run."""
        return quick if self.quick else full

    def folder(self, name: str) -> Path:
        """Return a fresh sub-folder of the scratch folder."""
        path = self.scratch / name
        path.mkdir(parents=True, exist_ok=False)
        return path
