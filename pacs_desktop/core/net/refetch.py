"""Re-fetch of stored instances that failed their SHA-256 check.

The archive marks an instance for re-fetch when its stored file no longer
matches the SHA-256 recorded at import (`Archive.verify_instance`,
`Archive.verify`). Here each study with marked instances becomes one
study-level retrieve in the sync queue, from the configured PACS node whose
AE title sent the instances. The retrieved copy replaces the damaged one when
it is stored. The command line, `pacs-desktop render` and the viewer all
queue through `queue_refetches`, so each reports the same outcome for a study.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.queue import RETRIEVE, JobState, SyncJob, SyncQueue

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive

logger = logging.getLogger(__name__)

# Serialises the look-up of pending retrieves and the enqueue that follows, so
# the viewer's decode threads, which may each find a damaged file of the same
# study at once, queue one retrieve between them.
# NOTE: two processes (the GUI and a command) can still both queue a
# retrieve of one study; the second retrieve then finds nothing to replace.
_QUEUEING = threading.Lock()

_ACTIVE = (JobState.PENDING, JobState.RUNNING)


class RefetchError(PacsDesktopError):
    """The index or the sync queue could not be read or written for a re-fetch."""


class RefetchOutcome(str, Enum):
    """The outcome of `queue_refetches` for one study."""

    QUEUED = "queued"
    ALREADY_QUEUED = "already-queued"
    IMPORTED_FROM_FILES = "imported-from-files"
    NO_NODE = "no-node"


@dataclass(frozen=True)
class RefetchPlan:
    """The re-fetch of the marked instances of one study from one peer.

    ``source_node`` is the AE title of the peer that sent the instances, ''
    when they were imported from files. ``job_id`` and ``node_name`` name the
    retrieve job and the configured node when ``outcome`` is QUEUED or
    ALREADY_QUEUED; otherwise they are None and ''.
    """

    study_uid: str
    instances: int
    source_node: str
    outcome: RefetchOutcome
    job_id: int | None = None
    node_name: str = ""

    @property
    def queued(self) -> bool:
        """Whether a retrieve job will bring the instances back."""
        return self.job_id is not None

    @property
    def reason(self) -> str:
        """Why no retrieve can be queued, in English; '' when one is queued."""
        if self.outcome == RefetchOutcome.IMPORTED_FROM_FILES:
            return (
                "the instances were imported from files, so there is no PACS to "
                "retrieve them from; import them again from their source"
            )
        if self.outcome == RefetchOutcome.NO_NODE:
            return (
                f"the instances came from AE title {self.source_node}, but no "
                "PACS node with that AE title is configured; add it with "
                "`pacs-desktop node add` and run `pacs-desktop archive verify "
                "--refetch`"
            )
        return ""


def queue_refetches(
    archive: Archive,
    queue: SyncQueue,
    nodes: Sequence[Node],
    *,
    study_uids: Collection[str] | None = None,
) -> list[RefetchPlan]:
    """Queue one study-level retrieve per study with instances marked for re-fetch.

    Each study's instances are retrieved from the configured node whose AE
    title sent them; when several nodes share that AE title, the first by
    name is used. A study that already has a pending or running study-level
    retrieve (from any node) is not queued again: its plan names that job.
    ``study_uids`` limits the work to those studies. Plans are sorted by
    source AE title, then Study Instance UID.

    Raises
    ------
    ArchiveError
        If the archive index cannot be read.
    RefetchError
        If the index or the sync queue cannot be read or written.
    """
    try:
        return _queue_refetches(archive, queue, nodes, study_uids)
    except sqlite3.Error as exc:
        raise _refetch_error(queue, exc) from exc


def _queue_refetches(
    archive: Archive,
    queue: SyncQueue,
    nodes: Sequence[Node],
    study_uids: Collection[str] | None,
) -> list[RefetchPlan]:
    groups = archive.refetch_groups()
    if study_uids is not None:
        selected = set(study_uids)
        groups = [group for group in groups if group.study_uid in selected]
    ordered = sorted(nodes, key=lambda node: node.name, reverse=True)
    by_ae_title = {node.ae_title: node for node in ordered}

    plans = []
    with _QUEUEING:
        active = _active_study_retrieves(queue) if groups else {}
        for group in groups:
            instances = len(group.sop_instance_uids)
            plan = RefetchPlan(
                group.study_uid, instances, group.source_node, RefetchOutcome.NO_NODE
            )
            node = by_ae_title.get(group.source_node)
            if not group.source_node:
                plan = _with(plan, RefetchOutcome.IMPORTED_FROM_FILES)
            elif group.study_uid in active:
                job = active[group.study_uid]
                plan = _with(plan, RefetchOutcome.ALREADY_QUEUED, job.id, job.node)
            elif node is not None:
                job = queue.enqueue_retrieve(node.name, group.study_uid)
                active[group.study_uid] = job
                plan = _with(plan, RefetchOutcome.QUEUED, job.id, node.name)
            plans.append(plan)
    queued = sum(plan.outcome == RefetchOutcome.QUEUED for plan in plans)
    if plans:
        logger.info("re-fetch of %d studies: %d retrieves queued", len(plans), queued)
    return plans


def queue_refetch_of_instance(
    archive: Archive,
    queue: SyncQueue,
    nodes: Sequence[Node],
    sop_instance_uid: str,
) -> RefetchPlan | None:
    """Queue the re-fetch of the study of one instance marked for re-fetch.

    Returns the plan of the study the instance belongs to, or None when the
    instance is not marked (its file passed the check, or it is not archived).

    Raises
    ------
    ArchiveError
        If the archive index cannot be read.
    RefetchError
        If the index or the sync queue cannot be read or written.
    """
    try:
        groups = archive.refetch_groups()
    except sqlite3.Error as exc:
        raise _refetch_error(queue, exc) from exc
    group = next(
        (group for group in groups if sop_instance_uid in group.sop_instance_uids),
        None,
    )
    if group is None:
        return None
    plans = queue_refetches(archive, queue, nodes, study_uids=[group.study_uid])
    return next((plan for plan in plans if plan.source_node == group.source_node), None)


def _refetch_error(queue: SyncQueue, exc: sqlite3.Error) -> RefetchError:
    return RefetchError(
        f"cannot queue the re-fetch of damaged instances, the database "
        f"{queue.database.path} failed: {exc}; run `pacs-desktop archive "
        "verify --refetch` once it works again"
    )


def _active_study_retrieves(queue: SyncQueue) -> dict[str, SyncJob]:
    # A series-level retrieve may miss the damaged instance's series, so only
    # study-level retrieves count as bringing it back.
    active: dict[str, SyncJob] = {}
    for job in queue.list_jobs(_ACTIVE):
        if job.kind == RETRIEVE and not job.series_uids:
            for study_uid in job.uids:
                active.setdefault(study_uid, job)
    return active


def _with(
    plan: RefetchPlan,
    outcome: RefetchOutcome,
    job_id: int | None = None,
    node_name: str = "",
) -> RefetchPlan:
    return RefetchPlan(
        plan.study_uid, plan.instances, plan.source_node, outcome, job_id, node_name
    )
