"""Long fuzz run of import and render: ``python -m tests.fuzz.long_run --minutes N``.

Mutates the seed files from the shared data folder with a seeded random
generator for the given time and prints the files tried, imported,
duplicates, rejected, render errors, timeouts and contract breaches. Each
breaching file is kept under ``--keep`` with its mutations, for replay.
Exit status 1 when any file breached the contract.
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
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from tests.fuzz import harness as fuzz
from tests.fuzz.mutations import (
    Mutation,
    apply,
    load_seed,
    random_mutation,
    seed_paths,
)

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


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
            seed = rng.choice(seeds)
            mutations = [random_mutation(rng) for _ in range(rng.randint(1, 4))]
            data = apply(seed, mutations)
            result = harness.run(data)
            _count(counts, result)
            if result.problems:
                _keep(
                    args.keep,
                    number=counts["tried"],
                    seed=seed.path,
                    mutations=mutations,
                    data=data,
                    result=result,
                )
            if time.monotonic() >= next_report:
                _print_counts(counts, file=sys.stderr)
                next_report += 60
    _print_counts(counts, file=sys.stdout)
    return 1 if counts["problems"] else 0


def _count(counts: collections.Counter[str], result: fuzz.FileResult) -> None:
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


def _print_counts(counts: collections.Counter[str], *, file: TextIO) -> None:
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
    line = ", ".join(f"{label} {counts[key]}" for label, key in names)
    print(line, file=file, flush=True)


def _keep(
    folder: Path,
    *,
    number: int,
    seed: Path,
    mutations: list[Mutation],
    data: bytes,
    result: fuzz.FileResult,
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"case-{number}.dcm").write_bytes(data)
    record = {
        "seed": str(seed),
        "mutations": [asdict(m) for m in mutations],
        "problems": result.problems,
    }
    (folder / f"case-{number}.json").write_text(json.dumps(record, indent=2))
    print(f"case {number}: {'; '.join(result.problems)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
