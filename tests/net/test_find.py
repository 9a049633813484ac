"""C-FIND at STUDY and SERIES level: filters, character sets, decoding."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from pydicom import Dataset
from pydicom.data import get_charset_files, get_testdata_file
from pydicom.uid import generate_uid
from pynetdicom import AE, evt

from pacs_desktop.core.archive.query import QueryError
from pacs_desktop.core.archive.records import JSON_KEYS, StudyQuery
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.find import (
    STUDY_ROOT_FIND,
    find_series,
    find_studies,
    study_identifier,
)
from pacs_desktop.core.net.nodes import Node
from tests.net.conftest import OrthancServer


def _variant(
    name: str,
    patient_id: str,
    *,
    charset: str = "ISO_IR 100",
    study_date: str = "20210115",
    accession: str = "",
    series_count: int = 1,
) -> list[bytes]:
    """Encode copies of CT_small as a new study with the given patient."""
    study_uid = generate_uid()
    encoded = []
    for series_number in range(1, series_count + 1):
        ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
        ds.SpecificCharacterSet = charset
        ds.PatientName = name
        ds.PatientID = patient_id
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = generate_uid()
        ds.SeriesNumber = series_number
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.StudyDate = study_date
        ds.AccessionNumber = accession
        ds.StudyDescription = f"Study of {patient_id}"
        buffer = io.BytesIO()
        ds.save_as(buffer, enforce_file_format=True)
        encoded.append(buffer.getvalue())
    return encoded


@pytest.fixture
def populated(orthanc: OrthancServer) -> OrthancServer:
    """Orthanc holding four studies with Latin-1, Cyrillic and Chinese names."""
    for data in _variant("Müller^Hans", "P-MUE", accession="ACC1", series_count=2):
        orthanc.upload_bytes(data)
    for data in _variant("Mueller^Anna", "P-MUA", study_date="20190301"):
        orthanc.upload_bytes(data)
    orthanc.upload(Path(get_charset_files("chrRuss.dcm")[0]))
    orthanc.upload(Path(get_charset_files("chrX1.dcm")[0]))
    return orthanc


def _ids(server: OrthancServer, local: LocalEntity, query: StudyQuery) -> list[str]:
    return sorted(
        record.PatientID for record in find_studies(server.node, local, query)
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (StudyQuery(patient_name="Müller*"), ["P-MUE"]),
        (StudyQuery(patient_name="Mue*"), ["P-MUA"]),
        (StudyQuery(patient_id="P-MUA"), ["P-MUA"]),
        (StudyQuery(accession="ACC1"), ["P-MUE"]),
        (StudyQuery(date_range="-20200101", patient_id="P-*"), ["P-MUA"]),
        (StudyQuery(date_range="20210115-", patient_id="P-*"), ["P-MUE"]),
        (StudyQuery(date_range="20190101-20191231"), ["P-MUA"]),
        (StudyQuery(modality="CT", patient_id="P-MU?"), ["P-MUA", "P-MUE"]),
        (StudyQuery(modality="ct, mr", patient_id="P-MU?"), ["P-MUA", "P-MUE"]),
        (StudyQuery(modality="MR"), []),
        (StudyQuery(modality="MR OT"), ["SCSRUSS", "X1EXAMPLE"]),
        (StudyQuery(modality="CT\\OT"), ["P-MUA", "P-MUE", "SCSRUSS", "X1EXAMPLE"]),
        (StudyQuery(description="Study of P-MUE"), ["P-MUE"]),
    ],
)
def test_study_filters(
    populated: OrthancServer,
    local_entity: LocalEntity,
    query: StudyQuery,
    expected: list[str],
) -> None:
    assert _ids(populated, local_entity, query) == expected


@pytest.mark.parametrize(
    ("modality", "expected"),
    [
        ("", ""),
        ("ct", "CT"),
        ("CT, mr", ["CT", "MR"]),
        ("CT MR\\US", ["CT", "MR", "US"]),
    ],
)
def test_identifier_modalities(modality: str, expected: object) -> None:
    identifier = study_identifier(StudyQuery(modality=modality))
    assert identifier.ModalitiesInStudy == expected


def test_identifier_encodes_value_list() -> None:
    identifier = study_identifier(StudyQuery(modality="CT, MR"))
    buffer = io.BytesIO()
    pydicom.dcmwrite(buffer, identifier, implicit_vr=True, little_endian=True)
    assert b"CT\\MR" in buffer.getvalue()


@pytest.mark.parametrize("bad", ["C-T", "CT;MR", "ABCDEFGHIJKLMNOPQ"])
def test_identifier_rejects_bad_modality(bad: str) -> None:
    with pytest.raises(QueryError, match="invalid modality"):
        study_identifier(StudyQuery(modality=bad))


def test_study_record_fields(
    populated: OrthancServer, local_entity: LocalEntity
) -> None:
    (record,) = find_studies(
        populated.node, local_entity, StudyQuery(patient_id="P-MUE")
    )
    assert record.PatientName == "Müller^Hans"
    assert record.ModalitiesInStudy == ["CT"]
    assert record.NumberOfStudyRelatedSeries == 2
    assert record.NumberOfStudyRelatedInstances == 2
    assert record.StudyDate == "20210115"
    assert list(record.to_json()) == list(JSON_KEYS)


@pytest.mark.parametrize(
    ("file_name", "pattern"),
    [("chrRuss.dcm", "Люк*"), ("chrX1.dcm", "*王*")],
)
def test_non_latin_names_round_trip(
    populated: OrthancServer, local_entity: LocalEntity, file_name: str, pattern: str
) -> None:
    original = pydicom.dcmread(get_charset_files(file_name)[0])
    found = find_studies(populated.node, local_entity, StudyQuery(patient_name=pattern))
    assert [record.PatientName for record in found] == [str(original.PatientName)]


def test_series_level(populated: OrthancServer, local_entity: LocalEntity) -> None:
    (study,) = find_studies(
        populated.node, local_entity, StudyQuery(patient_id="P-MUE")
    )
    series = find_series(populated.node, local_entity, study.StudyInstanceUID)
    assert [item.SeriesNumber for item in series] == [1, 2]
    assert all(item.Modality == "CT" for item in series)
    assert all(item.NumberOfSeriesRelatedInstances == 1 for item in series)


@pytest.fixture
def recording_scp() -> Iterator[tuple[Node, list[bytes]]]:
    """A C-FIND SCP on loopback that records each identifier as received."""
    received: list[bytes] = []

    def on_find(event: evt.Event) -> Iterator[tuple[int, Dataset | None]]:
        received.append(event.request.Identifier.getvalue())
        yield 0x0000, None

    ae = AE("RECORDER")
    ae.add_supported_context(STUDY_ROOT_FIND)
    server = ae.start_server(
        ("127.0.0.1", 0), block=False, evt_handlers=[(evt.EVT_C_FIND, on_find)]
    )
    port = server.server_address[1]
    yield (
        Node(name="recorder", ae_title="RECORDER", host="127.0.0.1", port=port),
        (received),
    )
    server.shutdown()


def test_latin1_query_bytes_on_wire(
    recording_scp: tuple[Node, list[bytes]], local_entity: LocalEntity
) -> None:
    node, received = recording_scp
    find_studies(node, local_entity, StudyQuery(patient_name="Müller*"))
    (identifier,) = received
    ds = pydicom.dcmread(io.BytesIO(identifier), force=True)
    raw_name = ds.get_item("PatientName").value
    assert raw_name.rstrip(b" ") == bytes.fromhex("4D FC 6C 6C 65 72 2A")
    assert ds.SpecificCharacterSet == "ISO_IR 100"


def test_non_latin_query_declares_utf8(
    recording_scp: tuple[Node, list[bytes]], local_entity: LocalEntity
) -> None:
    node, received = recording_scp
    find_studies(node, local_entity, StudyQuery(patient_name="王*"))
    (identifier,) = received
    ds = pydicom.dcmread(io.BytesIO(identifier), force=True)
    assert ds.SpecificCharacterSet == "ISO_IR 192"
    assert ds.get_item("PatientName").value.rstrip(b" ") == "王*".encode()
