"""Size-limit eviction: order, what is protected, and the full-copy check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pydicom
import pytest

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.eviction import EvictionReport, OpenedStudies, evict
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.restrictions import StudyRestrictions
from pacs_desktop.core.dictation.store import (
    DictationState,
    DictationStore,
    RecordingBinding,
)
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail

# Two hours after the fixture's studies arrived, so none counts as new.
NOW = datetime.now(timezone.utc) + timedelta(hours=2)


@dataclass
class FakePacs:
    """The SOP Instance UIDs that a PACS holds, per study."""

    held: dict[str, set[str]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def __call__(
        self, study_uid: str, sop_instance_uids: set[str], source_nodes: set[str]
    ) -> tuple[str | None, str]:
        self.asked.append(study_uid)
        remote = self.held.get(study_uid, set())
        if sop_instance_uids <= remote:
            return "pacs", ""
        return None, "the PACS lacks instances"


@dataclass
class Station:
    database: Database
    audit: AuditTrail
    archive: Archive
    pacs: FakePacs
    studies: dict[str, str]
    """Study Instance UID by StudyDate."""


@pytest.fixture
def station(tmp_path: Path, write_copies) -> Iterator[Station]:
    """Three studies of two instances each, dated 2001, 2005 and 2010."""
    database = Database(tmp_path / "archive.sqlite")
    audit = AuditTrail(database)
    archive = Archive(database, tmp_path / "store", audit=audit)
    pacs = FakePacs()
    studies = {}
    for date in ("20050101", "20010101", "20100101"):
        paths = write_copies(tmp_path / date, 2, StudyDate=date, PatientID="P-1")
        (uid,) = archive.import_paths(paths).studies
        studies[date] = uid
        pacs.held[uid] = {_sop_uid(p) for p in paths}
    yield Station(database, audit, archive, pacs, studies)
    archive.close()
    database.close()


def _sop_uid(path: Path) -> str:
    return str(pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID)


def _limit_for_one_eviction(station: Station) -> int:
    # The studies are equal in size: one eviction brings the total under.
    return station.archive.stored_bytes() - 1


def _evict(
    station: Station,
    order: str = "oldest-study",
    *,
    limit: int | None = None,
    **options: Any,
) -> EvictionReport:
    if limit is None:
        limit = _limit_for_one_eviction(station)
    options.setdefault("now", lambda: NOW)
    return evict(
        station.archive, limit=limit, order=order, check=station.pacs, **options
    )


def _remaining(station: Station) -> set[str]:
    return {uid for uid in station.studies.values() if station.archive.study(uid)}


def test_no_limit_evicts_nothing(station: Station) -> None:
    report = _evict(station, limit=0)

    assert report.decisions == []
    assert _remaining(station) == set(station.studies.values())


def test_under_limit_evicts_nothing(station: Station) -> None:
    report = _evict(station, limit=station.archive.stored_bytes())

    assert report.decisions == []


def test_oldest_study_goes_first(station: Station) -> None:
    report = _evict(station)

    assert [d.study_uid for d in report.evicted] == [station.studies["20010101"]]
    assert station.archive.study(station.studies["20010101"]) is None
    assert not report.over_limit


def test_largest_study_goes_first(
    station: Station, tmp_path: Path, write_copies
) -> None:
    paths = write_copies(tmp_path / "big", 4, StudyDate="20200101", PatientID="P-2")
    (big,) = station.archive.import_paths(paths).studies
    station.pacs.held[big] = {_sop_uid(p) for p in paths}

    report = _evict(station, "largest-study")

    assert [d.study_uid for d in report.evicted] == [big]


def test_least_recently_opened_first(station: Station) -> None:
    opened = OpenedStudies(station.database)
    for days, date in ((3, "20050101"), (2, "20010101"), (5, "20100101")):
        opened.note(station.studies[date], NOW - timedelta(days=days))

    report = _evict(station, "least-recently-opened")

    assert [d.study_uid for d in report.evicted] == [station.studies["20100101"]]


def test_study_not_held_is_kept(station: Station) -> None:
    oldest = station.studies["20010101"]
    station.pacs.held[oldest].pop()

    report = _evict(station)

    assert station.archive.study(oldest) is not None
    assert report.kept[0].study_uid == oldest
    assert report.kept[0].reason == "the PACS lacks instances"
    assert [d.study_uid for d in report.evicted] == [station.studies["20050101"]]


def test_restricted_study_is_kept(station: Station) -> None:
    oldest = station.studies["20010101"]
    StudyRestrictions(station.database, station.audit).restrict(
        oldest, "staff member", actor="root"
    )

    report = _evict(station)

    assert report.kept[0].reason == "restricted study"
    assert oldest not in station.pacs.asked


def test_open_study_is_kept(station: Station) -> None:
    oldest = station.studies["20010101"]

    report = _evict(station, in_use=[oldest])

    assert report.kept[0].reason == "open in the viewer"
    assert station.archive.study(oldest) is not None


def test_recently_opened_study_is_kept(station: Station) -> None:
    oldest = station.studies["20010101"]
    OpenedStudies(station.database).note(oldest, NOW - timedelta(minutes=20))

    report = _evict(station)

    assert report.kept[0].reason == "opened in the last hour"


@pytest.mark.parametrize(("source_node", "kept"), [("pacs", True), ("", False)])
def test_study_that_just_arrived_from_a_pacs_is_kept(
    station: Station, write_copies, tmp_path: Path, source_node: str, kept: bool
) -> None:
    (path,) = write_copies(tmp_path / "prior", 1, StudyDate="19990101")
    station.archive.import_dataset_bytes(
        path.read_bytes(), "prior", source_node=source_node
    )
    prior = str(pydicom.dcmread(path, stop_before_pixels=True).StudyInstanceUID)
    station.pacs.held[prior] = {_sop_uid(path)}

    _evict(station, now=lambda: datetime.now(timezone.utc))

    assert (station.archive.study(prior) is not None) == kept


@pytest.mark.parametrize(
    ("state", "kept"),
    [
        (DictationState.RECORDED, True),
        (DictationState.IN_TRANSCRIPTION, True),
        (DictationState.SIGNED, False),
        (DictationState.DISCARDED, False),
    ],
)
def test_study_with_dictation(
    station: Station, state: DictationState, kept: bool
) -> None:
    oldest = station.studies["20010101"]
    binding = RecordingBinding(oldest, "", "P-1", "dana", NOW)
    DictationStore(station.database).create(binding, sample_rate=8000, state=state)

    _evict(station)

    assert (station.archive.study(oldest) is not None) == kept


def test_dry_run_deletes_nothing(station: Station) -> None:
    report = _evict(station, dry_run=True)

    assert [d.study_uid for d in report.evicted] == [station.studies["20010101"]]
    assert _remaining(station) == set(station.studies.values())
    assert not report.over_limit


def test_eviction_is_audited(station: Station) -> None:
    _evict(station, actor="pacs-service")

    record = station.audit.records()[-1]
    assert record.event == events.INSTANCES_DELETED
    assert record.detail.startswith("evicted:")
    assert record.user == "pacs-service"
    assert record.study_uids == (station.studies["20010101"],)


def test_over_limit_when_nothing_may_go(station: Station) -> None:
    station.pacs.held.clear()

    report = _evict(station)

    assert report.over_limit
    assert len(report.kept) == 3


def test_unknown_order_rejected(station: Station) -> None:
    with pytest.raises(ValueError, match="unknown eviction order"):
        _evict(station, "random")
