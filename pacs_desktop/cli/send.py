"""`pacs-desktop send NODE UID...`: send studies or series to a PACS."""

from __future__ import annotations

import argparse
from typing import Any

from pacs_desktop.cli.queue import open_queue, run_in_foreground
from pacs_desktop.core.net.nodes import NodeStore


def register(subparsers: Any) -> None:
    """Add the ``send`` command."""
    parser = subparsers.add_parser(
        "send",
        help="send studies or series to a PACS",
        description="Send archived studies or series (by Study or Series "
        "Instance UID) to a PACS node with C-STORE, in the foreground. The job "
        "stays in the sync queue and is retried later when the PACS fails; the "
        "exit status is 0 only when the PACS accepted every instance.",
    )
    parser.add_argument("node", metavar="NODE", help="node name (see `node list`)")
    parser.add_argument("uids", nargs="+", metavar="UID")
    parser.set_defaults(handler=run_send)


def run_send(args: argparse.Namespace, context: Any) -> int:
    """Queue the send and run it now; `run_job` audits each attempt."""
    NodeStore(context.workstation.database).get(args.node)
    queue = open_queue(context)
    job = queue.enqueue_send(args.node, args.uids)
    return run_in_foreground(context, queue, job)
