"""`pacs-desktop import PATH...`: import files, folders and DICOMDIR media."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pacs_desktop.cli.counts import count
from pacs_desktop.cli.size_limit import keep_under_size_limit
from pacs_desktop.core.archive.records import ImportProgress, ImportSummary
from pacs_desktop.core.security.audit import INSTANCES_IMPORTED

EXIT_OK = 0
EXIT_REJECTED = 1


def register(subparsers: Any) -> None:
    """Add the ``import`` command."""
    parser = subparsers.add_parser(
        "import",
        help="import DICOM files, folders (recursively) and DICOMDIR media",
        description="Import DICOM files, folders (recursively) and DICOMDIR media "
        "into the local archive, then print what became of every file. Exit "
        "status: 0 when no file was rejected, 1 when some were, 2 on a usage error. "
        "Files in a folder that are not DICOM at all (a LICENSE beside the images) "
        "are skipped and listed, and do not change the exit status.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=_path,
        metavar="PATH",
        help="file, folder or DICOMDIR",
    )
    parser.set_defaults(handler=run_import)


def _path(text: str) -> Path:
    # Path("") is the current folder: an empty argument (an unset shell
    # variable) would otherwise import everything under it.
    if not text.strip():
        raise argparse.ArgumentTypeError(
            "empty path; give a file, folder or DICOMDIR (use . for the current folder)"
        )
    return Path(text)


def run_import(args: argparse.Namespace, context: Any) -> int:
    """Import ``args.paths``, print the summary and record it in the audit trail."""
    archive = context.workstation.archive
    progress = _show_progress if sys.stderr.isatty() else None
    summary = archive.import_paths(args.paths, progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    print_summary(summary)
    _audit(context, summary)
    keep_under_size_limit(context)
    return EXIT_REJECTED if summary.rejected else EXIT_OK


def print_summary(summary: ImportSummary) -> None:
    """Print counts, then every duplicate that differed, rejected and skipped file."""
    print(f"imported:   {len(summary.imported)}")
    print(f"duplicates: {len(summary.duplicates)}")
    for conflict in summary.conflicts:
        print(f"  {conflict.path}: {conflict.reason}")
    print(f"rejected:   {len(summary.rejected)}")
    for rejection in summary.rejected:
        print(f"  {rejection.path}: {rejection.reason}")
    print(f"skipped (not DICOM): {len(summary.skipped)}")
    for skip in summary.skipped:
        print(f"  {skip.path}")
    if summary.cancelled:
        print("the import was cancelled before every file was handled")


def _show_progress(progress: ImportProgress) -> None:
    total = progress.total if progress.total is not None else "?"
    print(f"\rimporting {progress.done}/{total}", end="", file=sys.stderr, flush=True)


def _audit(context: Any, summary: ImportSummary) -> None:
    # One record per study that received instances, naming its patient, so the
    # trail shows whose images entered the archive and through which account.
    archive = context.workstation.archive
    audit = context.workstation.audit
    counts = (
        f"{len(summary.imported)} imported, "
        f"{count(len(summary.duplicates), 'duplicate', 'duplicates')}, "
        f"{len(summary.rejected)} rejected, "
        f"{len(summary.skipped)} skipped (not DICOM)"
    )
    outcome = "minor-failure" if summary.rejected else "success"
    if not summary.studies:
        audit.record(
            INSTANCES_IMPORTED,
            user=context.operating_system_user,
            outcome=outcome,
            os_account=True,
            detail=f"command-line import: {counts}",
        )
        return
    for study_uid in sorted(summary.studies):
        study = archive.study(study_uid)
        audit.record(
            INSTANCES_IMPORTED,
            user=context.operating_system_user,
            outcome=outcome,
            os_account=True,
            patient_id=study.PatientID if study is not None else None,
            patient_name=study.PatientName if study is not None else None,
            study_uids=[study_uid],
            detail=f"command-line import: {counts}",
        )
