"""How a large C-GET is split over parallel associations."""

from __future__ import annotations

import pytest
from pydicom import Dataset

from pacs_desktop.core.net import retrieve
from pacs_desktop.core.net.find import RemoteInstance

CT = "1.2.840.10008.5.1.4.1.1.2"


def _instances(series: dict[str, int]) -> list[RemoteInstance]:
    return [
        RemoteInstance(f"{uid}.{number}", CT, uid)
        for uid, count in series.items()
        for number in range(count)
    ]


def _whole() -> Dataset:
    ds = Dataset()
    ds.QueryRetrieveLevel = "STUDY"
    ds.StudyInstanceUID = "1.2.3"
    return ds


def _requested(shares: list[list[Dataset]]) -> list[str]:
    found = []
    for share in shares:
        for ds in share:
            if ds.QueryRetrieveLevel == "SERIES":
                found.append(f"series {ds.SeriesInstanceUID}")
            else:
                uids = ds.SOPInstanceUID
                found.extend([uids] if isinstance(uids, str) else list(uids))
    return found


@pytest.mark.parametrize(
    ("series", "count"),
    [
        ({"1.9": 10}, 1),
        ({"1.9": 40}, 2),
        ({"1.9": 134}, retrieve.PARALLEL_GETS),
        ({"1.8": 30, "1.9": 30}, retrieve.PARALLEL_GETS),
    ],
)
def test_share_count(series: dict[str, int], count: int) -> None:
    shares = retrieve._shares(_instances(series), _whole())

    assert len(shares) == count


def test_small_retrieve_stays_one_study_level_get() -> None:
    shares = retrieve._shares(_instances({"1.9": 10}), _whole())

    assert shares[0][0].QueryRetrieveLevel == "STUDY"


def test_shares_request_each_instance_once() -> None:
    expected = _instances({"1.9": 134})

    shares = retrieve._shares(expected, _whole())

    assert sorted(_requested(shares)) == sorted(i.SOPInstanceUID for i in expected)


def test_whole_series_requested_at_series_level() -> None:
    shares = retrieve._shares(_instances({"1.7": 48, "1.8": 2}), _whole())

    assert "series 1.8" in _requested(shares)


def test_list_without_series_uids_stays_whole() -> None:
    expected = [RemoteInstance(f"1.9.{n}", CT, "") for n in range(64)]

    shares = retrieve._shares(expected, _whole())

    assert len(shares) == 1
