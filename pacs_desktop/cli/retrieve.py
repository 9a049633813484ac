"""`pacs-desktop retrieve NODE STUDY_UID`: retrieve a study into the archive."""

from __future__ import annotations

import argparse
from typing import Any

from pacs_desktop.cli.queue import open_queue, run_in_foreground
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.retrieve import check_move_destination
from pacs_desktop.core.settings import Settings


def register(subparsers: Any) -> None:
    """Add the ``retrieve`` command."""
    parser = subparsers.add_parser(
        "retrieve",
        help="retrieve a study from a PACS",
        description="Retrieve a study (or some of its series) from a PACS node "
        "into the local archive, in the foreground. The job stays in the sync "
        "queue and is retried later when the PACS fails; the exit status is 0 "
        "only when every instance is in the archive.",
    )
    parser.add_argument("node", metavar="NODE", help="node name (see `node list`)")
    parser.add_argument("study_uid", metavar="STUDY_UID")
    parser.add_argument(
        "--series",
        action="append",
        default=[],
        metavar="UID",
        help="retrieve only this series (repeatable)",
    )
    parser.add_argument(
        "--method",
        choices=("auto", "get", "move"),
        default="auto",
        help="C-GET, C-MOVE, or the node's setting (default: auto)",
    )
    parser.set_defaults(handler=run_retrieve)


def run_retrieve(args: argparse.Namespace, context: Any) -> int:
    """Queue the retrieve and run it now; `run_job` audits each attempt.

    A C-MOVE retrieve whose storage SCP port is in use (the GUI's SCP listens
    there) stops before it is queued, so it leaves no failed job behind.
    """
    node = NodeStore(context.workstation.database).get(args.node)
    local = LocalEntity.from_settings(Settings(context.data_dir))
    check_move_destination(node, local, args.method)
    queue = open_queue(context)
    job = queue.enqueue_retrieve(
        args.node, args.study_uid, series_uids=args.series, method=args.method
    )
    return run_in_foreground(context, queue, job)
