"""A retrieve is complete only when the archive contains the PACS's instance count.

The peer is a pynetdicom Query/Retrieve SCP on loopback whose IMAGE-level
C-FIND lists two instances, as a PACS that truncates C-FIND responses does,
while its STUDY-level C-FIND reports the study's real count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pydicom
import pytest
from pydicom import Dataset
from pydicom.data import get_testdata_file
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid
from pynetdicom import AE, evt

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.find import STUDY_ROOT_FIND
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.retrieve import STUDY_ROOT_GET, retrieve
from tests.net.conftest import require_isolated_network

STUDY = "1.2.826.0.1.3680043.8.498.10"
SERIES = "1.2.826.0.1.3680043.8.498.11"


def _instances(count: int) -> list[Dataset]:
    instances = []
    for _ in range(count):
        ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
        ds.StudyInstanceUID = STUDY
        ds.SeriesInstanceUID = SERIES
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        instances.append(ds)
    return instances


def _start_peer(study_count: int) -> tuple[Node, Callable[[], None]]:
    """Serve two instances by C-GET while the STUDY level reports ``study_count``."""
    served = _instances(2)

    def on_find(event: evt.Event) -> Iterator[tuple[int, Dataset | None]]:
        level = event.identifier.QueryRetrieveLevel
        if level == "STUDY":
            answer = Dataset()
            answer.QueryRetrieveLevel = "STUDY"
            answer.StudyInstanceUID = STUDY
            answer.NumberOfStudyRelatedInstances = study_count
            yield 0xFF00, answer
        elif level == "IMAGE":
            for ds in served:
                answer = Dataset()
                answer.QueryRetrieveLevel = "IMAGE"
                answer.StudyInstanceUID = STUDY
                answer.SeriesInstanceUID = SERIES
                answer.SOPInstanceUID = ds.SOPInstanceUID
                answer.SOPClassUID = ds.SOPClassUID
                yield 0xFF00, answer
        yield 0x0000, None

    def on_get(event: evt.Event) -> Iterator[object]:
        yield len(served)
        for ds in served:
            yield 0xFF00, ds

    ae = AE("COUNTPEER")
    ae.add_supported_context(STUDY_ROOT_FIND)
    ae.add_supported_context(STUDY_ROOT_GET)
    ae.add_supported_context(
        CTImageStorage, ExplicitVRLittleEndian, scu_role=True, scp_role=True
    )
    handlers = [(evt.EVT_C_FIND, on_find), (evt.EVT_C_GET, on_get)]
    server = ae.start_server(("127.0.0.1", 0), block=False, evt_handlers=handlers)
    node = Node("countpeer", "COUNTPEER", "127.0.0.1", server.server_address[1])
    return node, server.shutdown


@pytest.fixture
def peer_factory() -> Iterator[Callable[[int], Node]]:
    require_isolated_network()
    stops: list[Callable[[], None]] = []

    def start(study_count: int) -> Node:
        node, stop = _start_peer(study_count)
        stops.append(stop)
        return node

    yield start
    for stop in stops:
        stop()


def _archive(folder: Path) -> Archive:
    return Archive(Database(folder / "archive.sqlite"), folder / "store")


def test_retrieve_short_of_study_count_incomplete(
    peer_factory: Callable[[int], Node], local_entity: LocalEntity, tmp_path: Path
) -> None:
    node = peer_factory(3)
    result = retrieve(node, local_entity, _archive(tmp_path), STUDY, method="get")
    assert result.received == 2
    assert result.missing == []
    assert result.pacs_count == 3
    assert result.local_count == 2
    assert result.missing_count == 1
    assert not result.complete


def test_retrieve_matching_study_count_complete(
    peer_factory: Callable[[int], Node], local_entity: LocalEntity, tmp_path: Path
) -> None:
    node = peer_factory(2)
    result = retrieve(node, local_entity, _archive(tmp_path), STUDY, method="get")
    assert result.pacs_count == 2
    assert result.local_count == 2
    assert result.complete
