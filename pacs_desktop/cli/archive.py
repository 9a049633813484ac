"""`pacs-desktop archive rebuild|verify|stats|evict|move|delete|restrict|...`.

Maintenance of the local archive, and the marks that close a study to normal
access. Deletions and restriction changes are audited under the
operating-system account that ran the command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pacs_desktop.cli.counts import count
from pacs_desktop.cli.queue import open_queue
from pacs_desktop.cli.size_limit import gigabytes, run_eviction
from pacs_desktop.core.archive.eviction import (
    size_limit,
)
from pacs_desktop.core.archive.location import move_archive
from pacs_desktop.core.archive.records import ImportProgress
from pacs_desktop.core.archive.removal import StudyNotFoundError
from pacs_desktop.core.archive.restrictions import StudyRestrictions
from pacs_desktop.core.errors import ArchiveError
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.refetch import RefetchOutcome, RefetchPlan
from pacs_desktop.core.net.refetch import queue_refetches as core_queue_refetches
from pacs_desktop.core.security.audit import SETTINGS_CHANGED


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
    verify = actions.add_parser(
        "verify",
        help="check every stored file's SHA-256 and the database's integrity",
        description="Hash every stored file and compare it with the SHA-256 "
        "recorded when it was stored, and run SQLite's integrity check. Damaged "
        "instances are marked for re-fetch. Exit status 1 on any problem.",
    )
    verify.add_argument(
        "--refetch",
        action="store_true",
        help="queue a retrieve of each study with instances marked for re-fetch "
        "from the PACS node that sent them (run the queue to retrieve them)",
    )
    verify.set_defaults(handler=run_verify)
    delete = actions.add_parser(
        "delete",
        help="delete a study's images from the local archive",
        description="Delete a study's instances and files from the local "
        "archive. Dictations and reports of the study are kept, and the PACS "
        "is not touched. Refused while a dictation of the study is being "
        "recorded or a send of it is queued. Audited under the "
        "operating-system account that runs the command.",
    )
    delete.add_argument(
        "study_uid", metavar="STUDY_UID", help="Study Instance UID of the study"
    )
    delete.add_argument(
        "--yes",
        action="store_true",
        help="delete without asking; required when standard input is not a terminal",
    )
    delete.set_defaults(handler=run_delete)
    _register_size(actions)
    _register_restrictions(actions)


def _register_size(actions: Any) -> None:
    stats = actions.add_parser(
        "stats",
        help="print the archive's size, its limit and its location",
        description="Print the number of studies and instances, the bytes "
        "stored against archive.size_limit_gb, and the store folder.",
    )
    stats.set_defaults(handler=run_stats)
    evict = actions.add_parser(
        "evict",
        help="evict studies a PACS holds until the archive is under its limit",
        description="When the stored files exceed archive.size_limit_gb, delete "
        "whole studies in the archive.eviction order, but only studies that a "
        "configured PACS node returns every instance of in a C-FIND right "
        "before. Restricted studies, studies opened or received in the last hour "
        "and studies with unsigned dictations stay. Exit status 1 when the archive "
        "stays over its limit.",
    )
    evict.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be evicted and why studies stay; delete nothing",
    )
    evict.set_defaults(handler=run_evict)
    move = actions.add_parser(
        "move",
        help="move the archive's files to another folder and use it",
        description="Copy every stored file to DEST, check each copy's SHA-256, "
        "switch archive.location to DEST, then remove the old files. An "
        "interrupted move leaves a working archive; run it again to finish. "
        "Close the GUI on this data directory first.",
    )
    move.add_argument("destination", metavar="DEST", help="the new, empty folder")
    move.set_defaults(handler=run_move)


def _register_restrictions(actions: Any) -> None:
    restrict = actions.add_parser(
        "restrict",
        help="mark a study restricted (confidential, VIP)",
        description="Close a study of the local archive to normal access: only "
        "a radiologist who states a reason for emergency access opens it. "
        "Audited under the operating-system account that runs the command.",
    )
    restrict.add_argument(
        "study_uid", metavar="STUDY_UID", help="Study Instance UID of the study"
    )
    restrict.add_argument(
        "--reason",
        required=True,
        metavar="TEXT",
        help="why the study is restricted, for example 'staff member'",
    )
    restrict.set_defaults(handler=run_restrict)
    unrestrict = actions.add_parser(
        "unrestrict",
        help="lift a study's restriction",
        description="Open a restricted study to normal access again. Audited "
        "under the operating-system account that runs the command.",
    )
    unrestrict.add_argument(
        "study_uid", metavar="STUDY_UID", help="Study Instance UID of the study"
    )
    unrestrict.set_defaults(handler=run_unrestrict)
    listing = actions.add_parser("restrictions", help="list the restricted studies")
    listing.set_defaults(handler=run_list_restrictions)


def run_rebuild(args: argparse.Namespace, context: Any) -> int:
    """Rebuild the index and print how many files were indexed and rejected."""
    archive = context.workstation.archive
    progress = _show_progress if sys.stderr.isatty() else None
    summary = archive.rebuild(progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    print(
        f"indexed:  {count(len(summary.imported), 'instance', 'instances')} in "
        f"{count(len(summary.studies), 'study', 'studies')}"
    )
    print(f"rejected: {len(summary.rejected)}")
    for rejection in summary.rejected:
        print(f"  {rejection.path}: {rejection.reason}")
    return 1 if summary.rejected else 0


def run_verify(args: argparse.Namespace, context: Any) -> int:
    """Verify the archive and print a summary; 1 when anything is wrong."""
    archive = context.workstation.archive
    progress = _show_count if sys.stderr.isatty() else None
    report = archive.verify(progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    database = "ok" if not report.database_problems else "DAMAGED"
    print(f"checked:  {count(report.checked, 'stored file', 'stored files')}")
    print(f"damaged:  {len(report.failures)}")
    for failure in report.failures:
        print(f"  {failure.path}: {failure.reason}")
    print(f"database: {database}")
    for problem in report.database_problems:
        print(f"  {problem}")
    status = 0 if report.ok else 1
    if args.refetch and not queue_refetches(context):
        status = 1
    return status


def run_delete(args: argparse.Namespace, context: Any) -> int:
    """Delete one study after a confirmation (or ``--yes``); 1 when declined."""
    archive = context.workstation.archive
    study = archive.study(args.study_uid)
    if study is None:
        raise StudyNotFoundError(
            f"no study with Study Instance UID {args.study_uid} in the local "
            "archive; `pacs-desktop studies --json` lists the archived studies"
        )
    instances = count(study.NumberOfStudyRelatedInstances, "instance", "instances")
    if not args.yes and not _confirm_delete(
        study.display_name, study.PatientID, instances
    ):
        return 1
    removed = archive.delete_study(
        study.StudyInstanceUID, actor=context.operating_system_user
    )
    print(
        f"deleted study {removed.study_uid}: "
        f"{count(removed.instances, 'instance', 'instances')}, "
        f"{removed.size / 1e6:.1f} MB; dictations and reports were kept"
    )
    if removed.files_left:
        print(
            f"pacs-desktop archive: {removed.files_left} files could not be "
            "removed yet; the next start removes them",
            file=sys.stderr,
        )
    return 0


def _confirm_delete(name: str, patient_id: str, instances: str) -> bool:
    if not sys.stdin.isatty():
        print(
            "pacs-desktop archive: deleting needs a confirmation; run it in a "
            "terminal, or add --yes",
            file=sys.stderr,
        )
        return False
    print(f"patient: {name}  (ID {patient_id})")
    print(f"delete {instances} from the local archive? Dictations and reports are")
    answer = input("kept, and the PACS is not touched. Type 'yes' to delete: ")
    if answer.strip().lower() != "yes":
        print("nothing deleted", file=sys.stderr)
        return False
    return True


def run_stats(args: argparse.Namespace, context: Any) -> int:
    """Print counts, stored size against the limit, and the store folder."""
    station = context.workstation
    archive = station.archive
    limit, order = size_limit(station.settings)
    print(f"studies:   {archive.count_studies()}")
    print(f"instances: {archive.count_instances()}")
    print(f"stored:    {gigabytes(archive.stored_bytes())}")
    if limit:
        print(f"limit:     {gigabytes(limit)} (eviction order: {order})")
    else:
        print("limit:     none")
    print(f"location:  {archive.store_dir}")
    return 0


def run_evict(args: argparse.Namespace, context: Any) -> int:
    """Run the size-limit eviction and print each decision."""
    report = run_eviction(context, dry_run=args.dry_run)
    limit, order = report.limit, report.order
    if not limit:
        print("no size limit set (archive.size_limit_gb is 0); nothing to evict")
        return 0
    verb = "would evict" if args.dry_run else "evicted"
    print(f"stored: {gigabytes(report.before)} of {gigabytes(limit)} ({order})")
    for decision in report.decisions:
        label = verb if decision.evicted else "kept"
        print(
            f"{label}  {decision.study_uid}  "
            f"{count(decision.instances, 'instance', 'instances')}, "
            f"{gigabytes(decision.size)}: {decision.reason}"
        )
    after = "would be" if args.dry_run else "now"
    print(f"stored {after}: {gigabytes(report.after)}")
    if report.over_limit:
        print(
            "pacs-desktop archive: the archive stays over its size limit; send "
            "the kept studies to a PACS, delete some, or raise archive.size_limit_gb",
            file=sys.stderr,
        )
        return 1
    return 0


def run_move(args: argparse.Namespace, context: Any) -> int:
    """Move the store folder; print what was copied and what stayed behind."""
    station = context.workstation
    progress = _show_moving if sys.stderr.isatty() else None
    report = move_archive(
        station.archive, station.settings, Path(args.destination), progress
    )
    if progress is not None:
        print(file=sys.stderr)
    station.audit.record(
        SETTINGS_CHANGED,
        user=context.operating_system_user,
        os_account=True,
        detail=f"command-line settings: archive.location set to "
        f"{report.destination} by moving the archive from {report.source}",
    )
    print(
        f"moved {count(report.copied, 'file', 'files')} "
        f"({gigabytes(report.size)}) from {report.source} to {report.destination}"
    )
    for relative in report.missing:
        print(f"  missing before the move: {relative}")
    if report.left_behind:
        print(
            f"pacs-desktop archive: {report.left_behind} old files could not be "
            f"removed from {report.source}; nothing reads them, delete them by hand",
            file=sys.stderr,
        )
    return 0


def _show_moving(done: int, total: int) -> None:
    print(f"\rcopying {done}/{total}", end="", file=sys.stderr, flush=True)


def queue_refetches(context: Any) -> bool:
    """Queue one retrieve per study marked for re-fetch; False when some cannot be."""
    archive = context.workstation.archive
    nodes = NodeStore(context.workstation.database).list()
    plans = core_queue_refetches(archive, open_queue(context), nodes)
    print(f"re-fetch: {count(len(plans), 'study', 'studies')}")
    for plan in plans:
        print(f"  {plan.study_uid}: {describe_refetch(plan)}")
    return all(plan.queued for plan in plans)


def describe_refetch(plan: RefetchPlan) -> str:
    """Describe what was done to re-fetch one study, after its UID."""
    instances = count(plan.instances, "instance", "instances")
    verb = "was" if plan.instances == 1 else "were"
    if plan.outcome == RefetchOutcome.IMPORTED_FROM_FILES:
        return (
            f"{instances} {verb} imported from files; import them again from "
            "their source"
        )
    if plan.outcome == RefetchOutcome.NO_NODE:
        return (
            f"{instances} came from AE title {plan.source_node}, but no PACS node "
            "with that AE title is configured; add it with `pacs-desktop node add` "
            "and run `pacs-desktop archive verify --refetch` again"
        )
    if plan.outcome == RefetchOutcome.ALREADY_QUEUED:
        return (
            f"{instances}, retrieve job {plan.job_id} already queued on node "
            f"{plan.node_name}"
        )
    return f"{instances}, retrieve job {plan.job_id} queued on node {plan.node_name}"


def run_restrict(args: argparse.Namespace, context: Any) -> int:
    """Mark an archived study restricted; fail on a study not in the archive."""
    station = context.workstation
    study = station.archive.study(args.study_uid)
    if study is None:
        raise ArchiveError(
            f"no study with Study Instance UID {args.study_uid} in the local "
            "archive; `pacs-desktop studies --json` lists the archived studies"
        )
    restriction = StudyRestrictions(station.database, station.audit).restrict(
        study.StudyInstanceUID,
        args.reason,
        actor=context.operating_system_user,
        patient_id=study.PatientID,
        patient_name=study.PatientName,
    )
    print(f"restricted study {restriction.study_uid}: {restriction.reason}")
    return 0


def run_unrestrict(args: argparse.Namespace, context: Any) -> int:
    """Lift a study's restriction; exit status 1 when it had none."""
    station = context.workstation
    study = station.archive.study(args.study_uid)
    lifted = StudyRestrictions(station.database, station.audit).unrestrict(
        args.study_uid,
        actor=context.operating_system_user,
        patient_id=study.PatientID if study else None,
        patient_name=study.PatientName if study else None,
    )
    if not lifted:
        print(
            f"pacs-desktop archive: study {args.study_uid} is not restricted; "
            "`pacs-desktop archive restrictions` lists the restricted studies",
            file=sys.stderr,
        )
        return 1
    print(f"lifted the restriction of study {args.study_uid}")
    return 0


def run_list_restrictions(args: argparse.Namespace, context: Any) -> int:
    """Print one line per restricted study: UID, since, by whom and why."""
    station = context.workstation
    restrictions = StudyRestrictions(station.database, station.audit)
    for restriction in restrictions.list_restrictions():
        since = restriction.restricted_at.isoformat(timespec="seconds")
        print(
            f"{restriction.study_uid}  {since}  {restriction.restricted_by}  "
            f"{restriction.reason}"
        )
    return 0


def _show_count(done: int, total: int) -> None:
    print(f"\rchecking {done}/{total}", end="", file=sys.stderr, flush=True)


def _show_progress(progress: ImportProgress) -> None:
    total = progress.total if progress.total is not None else "?"
    print(f"\rreading {progress.done}/{total}", end="", file=sys.stderr, flush=True)
