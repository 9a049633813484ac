"""A one-minute fuzz pass of import and render, timed beside the unmutated seeds.

Each pair imports and renders one mutated seed file (ours) and then the same
seed file unmutated (the peer), each into a fresh archive. Both go through the
fuzz harness of ``tests.fuzz``, and the mutated files are the cases of
``python -m tests.fuzz.long_run``, seeded so that every run tries the same
files in the same order.

The target is the fuzz contract's time limit: a hostile file costs at most
2 s at the 95th percentile. A pass in which any file breaches the contract
(an exception, a hang, a rejection without a reason) gives no figure: its row
names the number of breaches and the folder that keeps those files. A quick
run skips the pass; ``make fuzz MINUTES=N`` runs the same loop for longer.
"""

from __future__ import annotations

import collections
import logging
import math
import os
import random
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.harness import (
    MILLISECONDS,
    Context,
    Goal,
    Paired,
    Row,
    Stats,
    Target,
    not_measured,
)
from tests.fuzz.harness import TIME_LIMIT, FileResult, Harness
from tests.fuzz.long_run import count, format_counts, keep, mutate
from tests.fuzz.mutations import load_seed, seed_paths

WORKLOAD = "fuzzed import and render"
CASE = "one mutated seed file, 1-minute pass"
PEER = "the same seed file unmutated"
TARGET = Target(Goal.P95_AT_MOST, TIME_LIMIT)
PASS_SECONDS = 60.0
RANDOM_SEED = 0
FAILURES = Path("bench-results") / "fuzz-failures"


@contextmanager
def _quiet_warnings() -> Iterator[None]:
    # Corrupt files make pydicom warn and log on nearly every read; the
    # counts are the output. The decoding child process reads the variable
    # when the harness starts it.
    previous = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = "ignore"
    pydicom_logger = logging.getLogger("pydicom")
    previous_level = pydicom_logger.level
    pydicom_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        pydicom_logger.setLevel(previous_level)
        if previous is None:
            os.environ.pop("PYTHONWARNINGS", None)
        else:
            os.environ["PYTHONWARNINGS"] = previous


def _timed(harness: Harness, data: bytes) -> tuple[float, FileResult]:
    start = time.perf_counter()
    result = harness.run(data)
    return time.perf_counter() - start, result


def run(ctx: Context) -> list[Row]:
    """Run the fuzz pass for one minute and return its row."""
    if ctx.quick:
        return [
            not_measured(
                WORKLOAD,
                CASE,
                PEER,
                TARGET,
                "skipped in a quick run; run `make fuzz` or the full `make bench`",
            )
        ]
    seeds = [load_seed(path) for path in seed_paths(ctx.data_dir)]
    if not seeds:
        missing = f"no fuzz seed files found under {ctx.data_dir}"
        return [not_measured(WORKLOAD, CASE, PEER, TARGET, missing)]

    rng = random.Random(RANDOM_SEED)
    counts: collections.Counter[str] = collections.Counter()
    ours: list[float] = []
    peer: list[float] = []
    ratios: list[float] = []
    failures = ctx.repo_root / FAILURES
    with _quiet_warnings(), Harness(ctx.folder("fuzz")) as harness:
        harness.start(seeds[0].path)
        deadline = time.monotonic() + PASS_SECONDS
        while time.monotonic() < deadline:
            case = mutate(rng, seeds)
            mutated_seconds, result = _timed(harness, case.data)
            count(counts, result)
            if result.problems:
                keep(failures, counts["tried"], case, result)
            seed_seconds, _ = _timed(harness, case.seed.data)
            ours.append(mutated_seconds)
            peer.append(seed_seconds)
            if seed_seconds > 0:
                ratios.append(mutated_seconds / seed_seconds)

    summary = format_counts(counts)
    print(f"bench: fuzz pass: {summary}", flush=True)
    if counts["problems"]:
        breaches = (
            f"{counts['problems']} of {counts['tried']} files breached the import "
            f"and render contract; they are kept in {failures}"
        )
        return [not_measured(WORKLOAD, CASE, PEER, TARGET, breaches)]
    if not ours:
        return [not_measured(WORKLOAD, CASE, PEER, TARGET, "no file was tried")]
    # As in run_pairs, a pair whose seed took no measurable time gives no ratio.
    paired = Paired(Stats.of(ours), Stats.of(peer), Stats.of(ratios or [math.inf]))
    return [_row(paired, summary)]


def _row(result: Paired, summary: str) -> Row:
    row = Row(WORKLOAD, CASE, PEER, TARGET, MILLISECONDS, result=result)
    row.notes.append(summary)
    if row.met is False:
        row.cause = (
            f"the slowest 5 % of mutated files took {result.ours.p95:.2f} s or "
            f"more against {result.peer.p95:.2f} s for the unmutated seeds."
        )
        row.next_step = (
            "run `make fuzz MINUTES=10` and profile the import and decode of the "
            "slowest outcomes it reports."
        )
    return row
