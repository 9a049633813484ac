"""Send a real CT series to Orthanc, retrieve it by C-GET and C-MOVE, compare."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pydicom
import pytest
from pydicom import Dataset
from pynetdicom import AE, evt

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.errors import OperationFailedError
from pacs_desktop.core.net.find import STUDY_ROOT_FIND
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.retrieve import (
    STUDY_ROOT_MOVE,
    RetrieveProgress,
    retrieve,
)
from pacs_desktop.core.net.scp import StorageSCP
from pacs_desktop.core.net.send import outgoing_for_uids, send_instances
from tests.net.conftest import WORKSTATION_AET, OrthancServer

CT_FOLDER = "ct_series_pancreas_134"


def _archive(folder: Path) -> Archive:
    folder.mkdir(parents=True, exist_ok=True)
    return Archive(Database(folder / "archive.sqlite"), folder / "store")


@dataclass
class SentStudy:
    """The CT series as sent to Orthanc, with its original files by UID."""

    study_uid: str
    originals: dict[str, Path]
    server: OrthancServer


@pytest.fixture(scope="module")
def sent_study(
    orthanc_session: OrthancServer,
    shared_data: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> SentStudy:
    """Import the CT series into an archive and C-STORE it to Orthanc."""
    orthanc_session.clear()
    source = _archive(tmp_path_factory.mktemp("source"))
    summary = source.import_paths([shared_data / CT_FOLDER])
    (study_uid,) = summary.studies
    originals = {}
    for path in sorted((shared_data / CT_FOLDER).glob("*.dcm")):
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        originals[str(ds.SOPInstanceUID)] = path
    local = LocalEntity(WORKSTATION_AET)
    result = send_instances(
        orthanc_session.node, local, outgoing_for_uids(source, [study_uid])
    )
    assert result.ok, result.failed
    return SentStudy(study_uid, originals, orthanc_session)


def test_send_stores_every_instance(sent_study: SentStudy) -> None:
    assert sent_study.server.instance_count() == len(sent_study.originals)


def _assert_same_instances(archive: Archive, originals: dict[str, Path]) -> None:
    for sop_uid, original_path in originals.items():
        stored_path = archive.instance_path(sop_uid)
        assert stored_path is not None, sop_uid
        original = pydicom.dcmread(original_path)
        stored = pydicom.dcmread(stored_path)
        assert stored.PixelData == original.PixelData, sop_uid
        assert Dataset(stored) == Dataset(original), sop_uid


def test_get_round_trip(
    sent_study: SentStudy, local_entity: LocalEntity, tmp_path: Path
) -> None:
    target = _archive(tmp_path / "get")
    seen: list[RetrieveProgress] = []
    result = retrieve(
        sent_study.server.node,
        local_entity,
        target,
        sent_study.study_uid,
        method="get",
        progress=seen.append,
    )
    assert result.method == "get"
    assert result.complete
    assert result.received == len(sent_study.originals)
    assert seen[-1].received == len(sent_study.originals)
    assert seen[-1].megabytes_per_second > 0
    _assert_same_instances(target, sent_study.originals)


@pytest.fixture
def workstation_scp(local_entity: LocalEntity, tmp_path: Path) -> Iterator[StorageSCP]:
    """The workstation's storage SCP on loopback, accepting Orthanc."""
    scp = StorageSCP(
        _archive(tmp_path / "move"),
        ae_title=local_entity.ae_title,
        port=local_entity.scp_port,
        allowed_aets=lambda: ["ORTHANC"],
        timeouts=local_entity.timeouts,
        bind_address="127.0.0.1",
    )
    scp.start()
    yield scp
    scp.stop()


def test_move_round_trip(
    sent_study: SentStudy, local_entity: LocalEntity, workstation_scp: StorageSCP
) -> None:
    target = workstation_scp.receiver.archive
    result = retrieve(
        sent_study.server.node,
        local_entity,
        target,
        sent_study.study_uid,
        method="move",
        scp=workstation_scp,
    )
    assert result.method == "move"
    assert result.complete
    _assert_same_instances(target, sent_study.originals)


def test_get_series_only(
    sent_study: SentStudy, local_entity: LocalEntity, tmp_path: Path
) -> None:
    target = _archive(tmp_path / "series")
    first = next(iter(sent_study.originals.values()))
    series_uid = str(pydicom.dcmread(first, stop_before_pixels=True).SeriesInstanceUID)
    result = retrieve(
        sent_study.server.node,
        local_entity,
        target,
        sent_study.study_uid,
        series_uids=[series_uid],
    )
    assert result.complete
    assert target.count_instances() == len(sent_study.originals)


@pytest.fixture
def unknown_destination_peer() -> Iterator[Node]:
    """A C-MOVE SCP on loopback that answers 0xA801 to every request."""

    def on_move(event: evt.Event) -> Iterator[object]:
        yield None, None  # No destination address: the AE title is unknown.

    def on_find(event: evt.Event) -> Iterator[tuple[int, None]]:
        yield 0x0000, None

    ae = AE("MOVEPEER")
    ae.add_supported_context(STUDY_ROOT_MOVE)
    ae.add_supported_context(STUDY_ROOT_FIND)
    handlers = [(evt.EVT_C_MOVE, on_move), (evt.EVT_C_FIND, on_find)]
    server = ae.start_server(("127.0.0.1", 0), block=False, evt_handlers=handlers)
    yield Node("movepeer", "MOVEPEER", "127.0.0.1", server.server_address[1])
    server.shutdown()


def test_move_destination_unknown_message(
    unknown_destination_peer: Node,
    local_entity: LocalEntity,
    tmp_path: Path,
    workstation_scp: StorageSCP,
) -> None:
    with pytest.raises(OperationFailedError) as caught:
        retrieve(
            unknown_destination_peer,
            local_entity,
            _archive(tmp_path / "a801"),
            "1.2.3.4",
            method="move",
            scp=workstation_scp,
        )
    assert caught.value.status == 0xA801
    assert not caught.value.retryable
    assert f"register AE title {local_entity.ae_title}" in str(caught.value)
