"""Send a real CT series to Orthanc, delete it locally, find it, retrieve it by
C-GET and C-MOVE, and compare every file's encoded dataset byte for byte."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pydicom
import pytest
from pydicom.dataelem import RawDataElement
from pydicom.filereader import data_element_generator
from pydicom.uid import UID
from pydicom.valuerep import VR
from pynetdicom import AE, evt

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.errors import OperationFailedError
from pacs_desktop.core.net.find import STUDY_ROOT_FIND, find_studies
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.retrieve import (
    STUDY_ROOT_MOVE,
    RetrieveProgress,
    retrieve,
)
from pacs_desktop.core.net.scp import StorageSCP
from pacs_desktop.core.net.send import outgoing_for_uids, send_instances
from pacs_desktop.core.security.audit import AuditTrail
from tests.net.conftest import WORKSTATION_AET, OrthancServer

CT_FOLDER = "ct_series_pancreas_134"


def _archive(folder: Path) -> Archive:
    folder.mkdir(parents=True, exist_ok=True)
    database = Database(folder / "archive.sqlite")
    return Archive(database, folder / "store", audit=AuditTrail(database))


@dataclass
class SentStudy:
    """The CT series as sent to Orthanc, with its original files by UID."""

    study_uid: str
    patient_id: str
    originals: dict[str, Path]
    server: OrthancServer
    # The archive the study was imported into, sent from and deleted from.
    source: Archive


@pytest.fixture(scope="module")
def sent_study(
    orthanc_session: OrthancServer,
    shared_data: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> SentStudy:
    """Import the CT series, C-STORE it to Orthanc, then delete it locally."""
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
    patient_id = source.study(study_uid).PatientID  # type: ignore[union-attr]
    source.delete_study(study_uid, actor="root")
    assert source.count_instances() == 0
    return SentStudy(study_uid, patient_id, originals, orthanc_session, source)


def test_send_stores_every_instance(sent_study: SentStudy) -> None:
    assert sent_study.server.instance_count() == len(sent_study.originals)


def test_query_finds_sent_study(
    sent_study: SentStudy, local_entity: LocalEntity
) -> None:
    found = find_studies(
        sent_study.server.node,
        local_entity,
        StudyQuery(patient_id=sent_study.patient_id),
    )
    assert [study.StudyInstanceUID for study in found] == [sent_study.study_uid]
    assert found[0].NumberOfStudyRelatedInstances == len(sent_study.originals)


def _encoded_dataset(path: Path) -> tuple[UID, bytes]:
    """Return a file's transfer syntax and the bytes after its File Meta group.

    The File Meta group differs by design (the receiver writes its own
    Implementation Class UID and Source AE title).
    """
    data = path.read_bytes()
    meta = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True).file_meta
    # 128-byte preamble, "DICM", then (0002,0000) UL: 12 bytes in Explicit VR.
    start = 128 + 4 + 12 + int(meta.FileMetaInformationGroupLength)
    return UID(meta.TransferSyntaxUID), data[start:]


def _top_level_elements(path: Path) -> dict[int, object]:
    """Map each top-level tag to its encoded bytes, or to its decoded sequence.

    Outside sequences this is the element's VR, length and value as encoded,
    pixel data included. Orthanc 1.10 stores a received dataset with each
    sequence and item re-encoded with explicit lengths, so sequences (and the
    elements in them) are compared by decoded value.
    """
    syntax, data = _encoded_dataset(path)
    decoded = pydicom.dcmread(path)
    elements: dict[int, object] = {}
    generator = data_element_generator(
        io.BytesIO(data), syntax.is_implicit_VR, syntax.is_little_endian
    )
    for element in generator:
        tag = int(element.tag)
        if isinstance(element, RawDataElement) and decoded[tag].VR != VR.SQ:
            elements[tag] = (element.VR, element.length, element.value)
        else:
            elements[tag] = decoded[tag].value
    return elements


def _assert_same_instances(
    archive: Archive, originals: dict[str, Path], server: OrthancServer
) -> None:
    for sop_uid, original_path in originals.items():
        stored_path = archive.instance_path(sop_uid)
        assert stored_path is not None, sop_uid
        stored_syntax, stored_bytes = _encoded_dataset(stored_path)
        original_syntax, _original_bytes = _encoded_dataset(original_path)
        assert stored_syntax == original_syntax, sop_uid
        # The workstation stores the dataset exactly as the PACS serves it.
        served = server.instance_file(sop_uid)
        served_path = stored_path.with_name("served.dcm")
        served_path.write_bytes(served)
        _served_syntax, served_bytes = _encoded_dataset(served_path)
        served_path.unlink()
        assert stored_bytes == served_bytes, sop_uid
        stored = _top_level_elements(stored_path)
        original = _top_level_elements(original_path)
        assert sorted(stored) == sorted(original), sop_uid
        for tag, value in original.items():
            assert stored[tag] == value, f"{sop_uid} ({tag:08X})"


def test_get_round_trip(sent_study: SentStudy, local_entity: LocalEntity) -> None:
    target = sent_study.source
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
    _assert_same_instances(target, sent_study.originals, sent_study.server)


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
    _assert_same_instances(target, sent_study.originals, sent_study.server)


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
