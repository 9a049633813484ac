"""`pacs-desktop archive rebuild`: maintenance of the local archive."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pacs_desktop.core.archive.records import ImportProgress


def register(subparsers: Any) -> None:
    """Add the ``archive`` command group."""
    parser = subparsers.add_parser("archive", help="maintain the local archive")
    actions = parser.add_subparsers(dest="archive_action", metavar="ACTION")
    actions.required = True
    rebuild = actions.add_parser(
        "rebuild",
        help="rebuild the index from the stored files alone",
        description="Read every stored file again and replace the archive index "
        "with what the files hold. Exit status 1 when some files were rejected.",
    )
    rebuild.set_defaults(handler=run_rebuild)


def run_rebuild(args: argparse.Namespace, context: Any) -> int:
    """Rebuild the index and print how many files were indexed and rejected."""
    archive = context.workstation.archive
    progress = _show_progress if sys.stderr.isatty() else None
    summary = archive.rebuild(progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    print(
        f"indexed:  {len(summary.imported)} instances in {len(summary.studies)} studies"
    )
    print(f"rejected: {len(summary.rejected)}")
    for rejection in summary.rejected:
        print(f"  {rejection.path}: {rejection.reason}")
    return 1 if summary.rejected else 0


def _show_progress(progress: ImportProgress) -> None:
    total = progress.total if progress.total is not None else "?"
    print(f"\rreading {progress.done}/{total}", end="", file=sys.stderr, flush=True)
