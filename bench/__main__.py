"""Run the side-by-side benchmarks and write the results page.

Usage: ``python -m bench [--quick] [--output DIR] [--data-dir DIR]``, from the
repository root.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from bench.harness import Context, Goal, Row, Target, not_measured
from bench.report import describe_load, load_average, results_table, write_report

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
FULL_OUTPUT = REPO_ROOT / "docs"
QUICK_OUTPUT = REPO_ROOT / "bench-results"
REPORT_NAME = "benchmarks.md"

# In the order of the results table.
WORKLOAD_MODULES = (
    "bench.decode",
    "bench.display",
    "bench.first_image",
    "bench.import_folder",
    "bench.study_list",
    "bench.startup",
    "bench.series_load",
    "bench.network",
    "bench.dictation_crash",
    "bench.fuzz_run",
)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure PACS Desktop beside its peers and write the results page.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short smoke run: few pairs and small generated data (under a minute)",
    )
    parser.add_argument(
        "--output",
        metavar="DIR",
        type=Path,
        help=f"folder to write {REPORT_NAME} into (default: docs/ for the full run, "
        "bench-results/ for a quick run)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="folder of the real sample images (default: ../shared/data beside "
        "the repository)",
    )
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        help="run only this workload module (for example decode); repeatable",
    )
    return parser.parse_args(argv)


def _failed_rows(module_name: str, exc: BaseException) -> list[Row]:
    # A crash in one workload must not hide the others' figures.
    reason = f"the workload failed: {type(exc).__name__}: {exc}".replace("|", "/")
    return [
        not_measured(
            module_name.removeprefix("bench."),
            "all cases",
            "",
            Target(Goal.RATIO_AT_MOST, 1.0),
            reason,
        )
    ]


def run_workloads(
    modules: Sequence[str], make_context: Callable[[Path], Context]
) -> list[Row]:
    """Run each workload module in a scratch folder of its own and collect rows."""
    rows: list[Row] = []
    for module_name in modules:
        started = time.perf_counter()
        print(f"bench: {module_name.removeprefix('bench.')} ...", flush=True)
        with tempfile.TemporaryDirectory(prefix="pacs-bench-") as scratch:
            try:
                module = importlib.import_module(module_name)
                rows.extend(module.run(make_context(Path(scratch))))
            except Exception as exc:
                traceback.print_exc()
                rows.extend(_failed_rows(module_name, exc))
        elapsed = time.perf_counter() - started
        print(f"bench: {module_name.removeprefix('bench.')} took {elapsed:.1f} s")
    return rows


def main(argv: Sequence[str]) -> int:
    """Run the benchmarks and write the page; return the exit status.

    The status is 1 when a row reports failures, such as a recording lost to a
    crash, and 0 otherwise. A missed speed target alone does not change it.
    """
    args = parse_args(argv)
    # Qt without a screen: the paint and start-up workloads run offscreen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.WARNING)

    output_dir: Path = args.output or (QUICK_OUTPUT if args.quick else FULL_OUTPUT)
    modules: tuple[str, ...] = WORKLOAD_MODULES
    if args.only:
        modules = tuple(f"bench.{name}" for name in args.only)

    def make_context(scratch: Path) -> Context:
        return Context(
            quick=args.quick,
            scratch=scratch,
            data_dir=args.data_dir,
            repo_root=REPO_ROOT,
        )

    load_before = load_average()
    started = time.perf_counter()
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rows = run_workloads(modules, make_context)
    duration = time.perf_counter() - started
    load = describe_load(load_before, load_average())

    command = "python -m bench" + (" --quick" if args.quick else "")
    if os.environ.get("PACS_TEST_NETNS") == "1":
        command = f"make bench{' QUICK=1' if args.quick else ''} " + (
            "(in a loopback-only network namespace)"
        )
    if args.only:
        command += " " + " ".join(f"--only {shlex.quote(name)}" for name in args.only)
    report = output_dir / REPORT_NAME
    write_report(
        report,
        rows,
        command=command,
        date=date,
        duration=f"{duration:.0f} s",
        load=load,
        partial=bool(args.only),
    )
    print(results_table(rows))
    print(f"bench: wrote {report}")
    return exit_status(rows)


def exit_status(rows: Sequence[Row]) -> int:
    """Print every row's failures; return 1 if there is any, else 0."""
    failures = [f"{row.workload}: {text}" for row in rows for text in row.failures]
    for failure in failures:
        print(f"bench: failure: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
