"""Long fuzz run of import and render: ``python -m tests.fuzz.long_run --minutes N``.

Mutates the seed files from the shared data folder with a seeded random
generator for the given time and prints the files tried, imported,
duplicates, rejected, render errors, timeouts and contract breaches. Each
breaching file is kept under ``--keep`` with its mutations, for replay.
Exit status 1 when any file breached the contract. ``make fuzz MINUTES=N``
runs it, and ``make bench`` runs a one-minute pass (``bench.fuzz_run``) with
the same cases.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.fuzz import harness as fuzz
from tests.fuzz.mutations import (
    Mutation,
    SeedFile,
    apply,
    load_seed,
    random_mutation,
    seed_paths,
)

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@dataclass(frozen=True)
class FuzzCase:
    """One mutated file: its seed, the mutations applied and the bytes."""

    seed: SeedFile
    mutations: list[Mutation]
    data: bytes


def mutate(rng: random.Random, seeds: list[SeedFile]) -> FuzzCase:
    """Pick a seed file and apply one to four random mutations to it."""
    seed = rng.choice(seeds)
    mutations = [random_mutation(rng) for _ in range(rng.randint(1, 4))]
    return FuzzCase(seed, mutations, apply(seed, mutations))


def main(argv: list[str] | None = None) -> int:
    """Run the fuzz loop; return 1 when any file breached the contract."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.long_run")
    parser.add_argument(
        "--minutes", type=float, default=10.0, help="run time in minutes"
    )
    parser.add_argument("--seed", type=int, default=0, help="random generator seed")
    parser.add_argument(
        "--data", type=Path, default=SHARED_DATA, help="the shared data folder"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=Path("fuzz-failures"),
        help="folder for files that breached the contract",
    )
    args = parser.parse_args(argv)
    # Corrupt files make pydicom warn on nearly every read; the counts are
    # the output. Spawned decoding processes inherit the setting.
    os.environ["PYTHONWARNINGS"] = "ignore"
    warnings.simplefilter("ignore")

    seeds = [load_seed(path) for path in seed_paths(args.data)]
    if not seeds:
        print(f"no seed files found under {args.data}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    counts: collections.Counter[str] = collections.Counter()
    deadline = time.monotonic() + args.minutes * 60
    next_report = time.monotonic() + 60
    with (
        tempfile.TemporaryDirectory(prefix="pacs-fuzz-") as workdir,
        fuzz.Harness(Path(workdir)) as harness,
    ):
        harness.start(seeds[0].path)
        while time.monotonic() < deadline:
            case = mutate(rng, seeds)
            result = harness.run(case.data)
            count(counts, result)
            if result.problems:
                keep(args.keep, counts["tried"], case, result)
            if time.monotonic() >= next_report:
                print(format_counts(counts), file=sys.stderr, flush=True)
                next_report += 60
    print(format_counts(counts), flush=True)
    return 1 if counts["problems"] else 0


def count(counts: collections.Counter[str], result: fuzz.FileResult) -> None:
    """Add one file's outcome, render result and breaches to ``counts``."""
    counts["tried"] += 1
    counts[result.outcome or "unfinished"] += 1
    if result.render == fuzz.RENDERED:
        counts["rendered"] += 1
    elif result.render == fuzz.RENDER_ERROR:
        counts["render errors"] += 1
    elif result.render == fuzz.RENDER_TIMEOUT:
        counts["timeouts"] += 1
    if result.problems:
        counts["problems"] += 1


def format_counts(counts: collections.Counter[str]) -> str:
    """Return the counts as one line: files tried, outcomes and breaches."""
    names = (
        ("files tried", "tried"),
        ("imported", fuzz.IMPORTED),
        ("duplicates", fuzz.DUPLICATE),
        ("rejected", fuzz.REJECTED),
        ("rendered", "rendered"),
        ("render errors", "render errors"),
        ("timeouts", "timeouts"),
        ("contract breaches", "problems"),
    )
    return ", ".join(f"{label} {counts[key]}" for label, key in names)


def keep(folder: Path, number: int, case: FuzzCase, result: fuzz.FileResult) -> None:
    """Write a breaching file and its seed, mutations and breaches to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"case-{number}.dcm").write_bytes(case.data)
    record = {
        "seed": str(case.seed.path),
        "mutations": [asdict(m) for m in case.mutations],
        "problems": result.problems,
    }
    (folder / f"case-{number}.json").write_text(json.dumps(record, indent=2))
    print(f"case {number}: {'; '.join(result.problems)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
