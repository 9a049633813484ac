"""Keeping the local archive under its size limit by evicting whole studies.

When ``archive.size_limit_gb`` is above 0 and the stored files take more
bytes than the limit (1 GB = 10^9 bytes), studies leave the archive in the
order ``archive.eviction`` names until the total is under the limit. A study
leaves only when a configured PACS node holds every one of its instances: a
C-FIND at IMAGE level (PS3.4 C.4.1) right before the eviction must return
each local SOP Instance UID. A node that cannot be reached confirms nothing,
so the study stays. These studies always stay:

- a restricted study (its protection is a local decision);
- a study open in a viewer, or opened in the last hour (a viewer in another
  process on this data directory may show it);
- a study with a dictation that is not signed or discarded yet;
- a study queued for sending (see `removal`).

Each eviction is deleted through `removal.remove_study` and audited as
INSTANCES_DELETED with a detail that starts with "evicted".
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Protocol

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.integrity import os_account
from pacs_desktop.core.archive.removal import (
    RemovalBlockedError,
    StudyNotFoundError,
    remove_study,
)
from pacs_desktop.core.errors import ArchiveError
from pacs_desktop.core.settings import ARCHIVE_EVICTION_ORDERS

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.net.association import LocalEntity, SettingsReader
    from pacs_desktop.core.net.nodes import Node

__all__ = [
    "BYTES_PER_GB",
    "EvictionReport",
    "HoldingCheck",
    "OpenedStudies",
    "PacsHoldingCheck",
    "StudyDecision",
    "evict",
    "size_limit",
]

logger = logging.getLogger(__name__)

BYTES_PER_GB = 1_000_000_000

# A study opened this recently may still be on a screen.
RECENTLY_OPENED = timedelta(hours=1)
# A study that arrived from a peer this recently was retrieved or sent here to
# be read, for example a prior fetched for comparison.
RECENTLY_ARRIVED = timedelta(hours=1)

# Dictation states after which the study's images are no longer needed here.
_DICTATION_DONE = ("signed", "discarded", "received")

COMPONENT = "archive_access"

_STEPS = (
    """
    CREATE TABLE study_opened (
        study_uid TEXT PRIMARY KEY,
        opened_at TEXT NOT NULL
    );
    """,
)


class OpenedStudies:
    """When each study was last opened in a viewer on this workstation.

    Raises
    ------
    ArchiveError
        If the table cannot be created.
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        database.migrate(COMPONENT, _STEPS)

    def note(self, study_uid: str, when: datetime | None = None) -> None:
        """Record that a study was opened now (or at ``when``).

        Raises
        ------
        ArchiveError
            If the table cannot be written.
        """
        moment = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
        try:
            with self._database.connection() as conn:
                conn.execute(
                    "INSERT INTO study_opened (study_uid, opened_at) VALUES (?, ?) "
                    "ON CONFLICT(study_uid) DO UPDATE SET opened_at = "
                    "excluded.opened_at",
                    (study_uid, moment.isoformat(timespec="seconds")),
                )
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot record the opening of a study: {exc}") from exc

    def last_opened(self) -> dict[str, datetime]:
        """Return the last opening time (UTC) of every study ever opened."""
        rows = self._database.connection().execute(
            "SELECT study_uid, opened_at FROM study_opened"
        )
        return {str(r[0]): datetime.fromisoformat(str(r[1])) for r in rows}


class HoldingCheck(Protocol):
    """Find a PACS node that stores every listed instance of a study."""

    def __call__(
        self, study_uid: str, sop_instance_uids: set[str], source_nodes: set[str]
    ) -> tuple[str | None, str]:
        """Return (the node's name, '') or (None, why no node confirmed it)."""
        ...


class PacsHoldingCheck:
    """A `HoldingCheck` that asks configured nodes with an IMAGE-level C-FIND.

    The nodes whose AE titles sent the study are asked first. A node that
    fails to answer is not asked again during this object's life, so one
    unreachable node costs one timeout per eviction run, not one per study.
    """

    def __init__(self, nodes: Sequence[Node], local: LocalEntity) -> None:
        self.nodes = list(nodes)
        self.local = local
        self.unreachable: dict[str, str] = {}

    def __call__(
        self, study_uid: str, sop_instance_uids: set[str], source_nodes: set[str]
    ) -> tuple[str | None, str]:
        from pacs_desktop.core.net.errors import NetworkError
        from pacs_desktop.core.net.find import find_instances

        if not self.nodes:
            return None, "no PACS node is configured"
        ordered = sorted(self.nodes, key=lambda n: n.ae_title not in source_nodes)
        reasons = []
        for node in ordered:
            if node.name in self.unreachable:
                reasons.append(f"{node.name}: {self.unreachable[node.name]}")
                continue
            try:
                remote = find_instances(node, self.local, study_uid)
            except NetworkError as exc:
                self.unreachable[node.name] = str(exc)
                reasons.append(f"{node.name}: {exc}")
                continue
            found = {instance.SOPInstanceUID for instance in remote}
            missing = len(sop_instance_uids - found)
            if not missing:
                return node.name, ""
            reasons.append(f"{node.name} lacks {missing} of its instances")
        return None, "no PACS node confirmed a full copy (" + "; ".join(reasons) + ")"


@dataclass(frozen=True)
class StudyDecision:
    """The eviction decision on one study, with its reason."""

    study_uid: str
    instances: int
    size: int
    evicted: bool
    reason: str


@dataclass
class EvictionReport:
    """The outcome of one eviction run (or dry run)."""

    limit: int
    order: str
    before: int
    after: int
    dry_run: bool = False
    decisions: list[StudyDecision] = field(default_factory=list)

    @property
    def evicted(self) -> list[StudyDecision]:
        """The studies removed (or that a dry run would remove)."""
        return [d for d in self.decisions if d.evicted]

    @property
    def kept(self) -> list[StudyDecision]:
        """The studies examined and kept, each with the reason."""
        return [d for d in self.decisions if not d.evicted]

    @property
    def over_limit(self) -> bool:
        """Whether the archive is (or would stay) over its limit."""
        return self.limit > 0 and self.after > self.limit


def size_limit(settings: SettingsReader) -> tuple[int, str]:
    """Return the size limit in bytes (0: none) and the eviction order.

    Raises
    ------
    SettingsError
        If a stored value is invalid.
    """
    limit = settings.get_int("archive.size_limit_gb") * BYTES_PER_GB
    return limit, settings.get_str("archive.eviction")


@dataclass(frozen=True)
class _Candidate:
    study_uid: str
    study_date: str
    instances: int
    size: int
    opened_at: datetime | None


def evict(
    archive: Archive,
    *,
    limit: int,
    order: str,
    check: HoldingCheck,
    in_use: Collection[str] = (),
    dry_run: bool = False,
    actor: str | None = None,
    now: Callable[[], datetime] | None = None,
) -> EvictionReport:
    """Evict studies until the archive's stored bytes are at most ``limit``.

    Parameters
    ----------
    limit
        Bytes; 0 means no limit, and nothing is evicted.
    order
        One of `ARCHIVE_EVICTION_ORDERS`.
    check
        Confirms that a PACS stores a study in full (`PacsHoldingCheck`).
    in_use
        Study Instance UIDs open in a viewer of this process.
    dry_run
        Decide and report without deleting anything.
    actor
        The account named in the audit records; default: the
        operating-system account that runs this process.

    Raises
    ------
    ValueError
        If ``order`` is unknown.
    ArchiveError
        If the index cannot be read or changed.
    AuditError
        If an eviction cannot be recorded (that study is then kept).
    """
    if order not in ARCHIVE_EVICTION_ORDERS:
        choices = ", ".join(ARCHIVE_EVICTION_ORDERS)
        raise ValueError(f"unknown eviction order {order!r}; use one of: {choices}")
    total = archive.stored_bytes()
    report = EvictionReport(limit, order, total, total, dry_run)
    if limit <= 0 or total <= limit:
        return report
    clock = now or (lambda: datetime.now(timezone.utc))
    opened = OpenedStudies(archive.database).last_opened()
    protected = _protected(archive, set(in_use), opened, clock())
    for candidate in _ordered(_candidates(archive, opened), order):
        if report.after <= limit:
            break
        decision = _decide(
            archive, candidate, protected, check=check, dry_run=dry_run, actor=actor
        )
        report.decisions.append(decision)
        if decision.evicted:
            report.after -= decision.size
    if not dry_run:
        report.after = archive.stored_bytes()
    logger.info(
        "eviction%s: %d studies evicted, %d kept, %d of %d bytes stored",
        " (dry run)" if dry_run else "",
        len(report.evicted),
        len(report.kept),
        report.after,
        limit,
    )
    return report


def _decide(
    archive: Archive,
    candidate: _Candidate,
    protected: dict[str, str],
    *,
    check: HoldingCheck,
    dry_run: bool,
    actor: str | None,
) -> StudyDecision:
    def decision(evicted: bool, reason: str) -> StudyDecision:
        return StudyDecision(
            candidate.study_uid, candidate.instances, candidate.size, evicted, reason
        )

    reason = protected.get(candidate.study_uid)
    if reason is not None:
        return decision(False, reason)
    uids = set(_instance_uids(archive, candidate.study_uid))
    sources = set(_source_nodes(archive, candidate.study_uid))
    node, why_not = check(candidate.study_uid, uids, sources)
    if node is None:
        return decision(False, why_not)
    confirmed = f"PACS node {node} stores all {len(uids)} instances"
    if dry_run:
        return decision(True, confirmed)
    detail = (
        f"evicted: the local archive is over its size limit ({candidate.size} "
        f"bytes freed); {confirmed}"
    )
    try:
        remove_study(
            archive,
            candidate.study_uid,
            actor=actor or os_account(),
            detail=detail,
            check_permission=False,
        )
    except (RemovalBlockedError, StudyNotFoundError) as exc:
        return decision(False, str(exc))
    return decision(True, confirmed)


def _protected(
    archive: Archive, in_use: set[str], opened: dict[str, datetime], now: datetime
) -> dict[str, str]:
    """Return the studies that stay whatever their size, with the reason."""
    conn = archive.database.connection()
    reasons: dict[str, str] = {}
    for uid, moment in opened.items():
        if now - moment < RECENTLY_OPENED:
            reasons[uid] = "opened in the last hour"
    cutoff = (now - RECENTLY_ARRIVED).astimezone(timezone.utc)
    arrived = conn.execute(
        "SELECT DISTINCT st.study_uid FROM instances i "
        "JOIN series se ON se.pk = i.series_pk "
        "JOIN studies st ON st.pk = se.study_pk "
        "WHERE i.source_node != '' AND i.stored_at >= ?",
        (cutoff.isoformat(timespec="seconds"),),
    )
    for row in arrived:
        reasons[str(row[0])] = "arrived from a PACS in the last hour"
    for uid in in_use:
        reasons[uid] = "open in the viewer"
    if _table_exists(conn, "dictations"):
        marks = ", ".join("?" for _ in _DICTATION_DONE)
        rows = conn.execute(
            "SELECT DISTINCT study_instance_uid FROM dictations "
            f"WHERE state NOT IN ({marks})",
            _DICTATION_DONE,
        )
        for row in rows:
            reasons[str(row[0])] = "a dictation of the study is not signed yet"
    if _table_exists(conn, "study_restrictions"):
        for row in conn.execute("SELECT study_uid FROM study_restrictions"):
            reasons[str(row[0])] = "restricted study"
    return reasons


def _candidates(archive: Archive, opened: dict[str, datetime]) -> list[_Candidate]:
    rows = archive.database.connection().execute(
        "SELECT st.study_uid, st.study_date, st.instance_count, total(i.size) "
        "FROM studies st JOIN series se ON se.study_pk = st.pk "
        "JOIN instances i ON i.series_pk = se.pk GROUP BY st.pk"
    )
    return [
        _Candidate(str(r[0]), str(r[1]), int(r[2]), int(r[3]), opened.get(str(r[0])))
        for r in rows
    ]


def _ordered(candidates: list[_Candidate], order: str) -> list[_Candidate]:
    if order == "largest-study":
        return sorted(candidates, key=lambda c: (-c.size, c.study_uid))
    if order == "least-recently-opened":
        never = datetime.min.replace(tzinfo=timezone.utc)
        return sorted(
            candidates,
            key=lambda c: (c.opened_at or never, c.study_date, c.study_uid),
        )
    # oldest-study: a study without a StudyDate goes after the dated ones,
    # because its age is unknown.
    return sorted(candidates, key=lambda c: (not c.study_date, c.study_date))


def _instance_uids(archive: Archive, study_uid: str) -> list[str]:
    rows = archive.database.connection().execute(
        "SELECT i.sop_uid FROM instances i JOIN series se ON se.pk = i.series_pk "
        "JOIN studies st ON st.pk = se.study_pk WHERE st.study_uid = ?",
        (study_uid,),
    )
    return [str(r[0]) for r in rows]


def _source_nodes(archive: Archive, study_uid: str) -> list[str]:
    rows = archive.database.connection().execute(
        "SELECT DISTINCT i.source_node FROM instances i JOIN series se ON se.pk = "
        "i.series_pk JOIN studies st ON st.pk = se.study_pk WHERE st.study_uid = ? "
        "AND i.source_node != ''",
        (study_uid,),
    )
    return [str(r[0]) for r in rows]


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None
