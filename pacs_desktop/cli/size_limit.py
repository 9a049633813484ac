"""The archive size limit, applied by the commands that add instances."""

from __future__ import annotations

import sys
from typing import Any

from pacs_desktop.cli.counts import count
from pacs_desktop.core.archive.eviction import (
    BYTES_PER_GB,
    EvictionReport,
    PacsHoldingCheck,
    evict,
    size_limit,
)
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import NodeStore


def gigabytes(size: int) -> str:
    """Format a byte count in the unit of archive.size_limit_gb."""
    return f"{size / BYTES_PER_GB:.3f} GB"


def holding_check(context: Any) -> PacsHoldingCheck:
    """The check that a configured PACS stores a study in full."""
    station = context.workstation
    return PacsHoldingCheck(
        NodeStore(station.database).list(), LocalEntity.from_settings(station.settings)
    )


def run_eviction(context: Any, *, dry_run: bool = False) -> EvictionReport:
    """Evict under the archive's size limit as the command's account.

    With no limit set the report is empty and nothing is asked of a PACS.
    """
    station = context.workstation
    limit, order = size_limit(station.settings)
    return evict(
        station.archive,
        limit=limit,
        order=order,
        check=holding_check(context),
        dry_run=dry_run,
        actor=context.operating_system_user,
    )


def keep_under_size_limit(context: Any) -> None:
    """Evict studies a PACS stores when the archive is over its size limit.

    Commands that add instances call this when they finish, as the GUI does.
    """
    report = run_eviction(context)
    if not report.limit:
        return
    limit = report.limit
    if report.evicted:
        print(
            f"evicted {count(len(report.evicted), 'study', 'studies')} that a PACS "
            f"holds in full, to keep the archive under {gigabytes(limit)}"
        )
    if report.over_limit:
        print(
            f"pacs-desktop: the archive holds {gigabytes(report.after)}, over its "
            f"limit of {gigabytes(limit)}; see `pacs-desktop archive evict "
            "--dry-run` for why studies stay",
            file=sys.stderr,
        )
