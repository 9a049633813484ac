"""The storage SCP records what each association delivered or had rejected."""

from __future__ import annotations

import getpass
import logging
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pydicom
import pytest
from lxml import etree
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity, Timeouts
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.scp import StorageSCP
from pacs_desktop.core.net.send import outgoing_from_file, send_instances
from pacs_desktop.core.security.audit import (
    INSTANCES_RETRIEVED,
    AuditRecord,
    AuditTrail,
)

QUICK = Timeouts(acse=5.0, dimse=10.0, network=10.0, connect=5.0)
CT_SMALL = Path(get_testdata_file("CT_small.dcm"))
CALLING_AET = "MODALITY"
SCHEMA_PATH = (
    Path(__file__).parents[1] / "core" / "security" / "data" / "audit-message.rng"
)
# Active participant role IDs of PS3.16 CID 402.
DESTINATION_ROLE = "110152"
SOURCE_ROLE = "110153"
# EventOutcomeIndicator of a minor failure (PS3.15 A.5.1).
MINOR_FAILURE = "4"
RECORD_TIMEOUT = 10.0


@dataclass
class Station:
    """A storage SCP whose archive keeps an audit trail, and that trail."""

    scp: StorageSCP
    trail: AuditTrail
    arrived: threading.Condition

    def wait_for_records(self, count: int) -> list[AuditRecord]:
        """Wait until ``count`` INSTANCES_RETRIEVED records exist; return them."""
        with self.arrived:
            self.arrived.wait_for(
                lambda: len(self.records()) >= count, timeout=RECORD_TIMEOUT
            )
        return self.records()

    def records(self) -> list[AuditRecord]:
        return self.trail.records(event=INSTANCES_RETRIEVED)

    def node(self) -> Node:
        return Node("workstation", "WORKSTATION", "127.0.0.1", self.scp.port)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    database = Database(tmp_path / "archive.sqlite")
    trail = AuditTrail(database)
    archive = Archive(database, tmp_path / "store", audit=trail)
    arrived = threading.Condition()

    def notify(_record: AuditRecord) -> None:
        with arrived:
            arrived.notify_all()

    trail.add_listener(notify)
    server = StorageSCP(
        archive,
        ae_title="WORKSTATION",
        port=0,
        allowed_aets=lambda: [CALLING_AET],
        timeouts=QUICK,
        bind_address="127.0.0.1",
    )
    server.start()
    yield Station(server, trail, arrived)
    server.stop()


def write_copy(
    folder: Path, name: str, *, patient_id: str, study_uid: str | None = None
) -> Path:
    """Write CT_small as a new instance of ``patient_id``; return its path."""
    ds = pydicom.dcmread(CT_SMALL)
    ds.PatientID = patient_id
    ds.PatientName = f"Test^{patient_id}"
    ds.StudyInstanceUID = study_uid or generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.dcm"
    ds.save_as(path)
    return path


def push(station: Station, paths: list[Path]) -> list[str]:
    """Send ``paths`` on one association; return the SOP Instance UIDs stored."""
    outgoing = [outgoing_from_file(path) for path in paths]
    result = send_instances(station.node(), LocalEntity(CALLING_AET, QUICK), outgoing)
    return result.stored


def participants(record: AuditRecord) -> dict[str, ET.Element]:
    """Return the active participants of ``record`` by UserID."""
    message = ET.fromstring(record.message_xml)
    return {p.get("UserID", ""): p for p in message.findall("ActiveParticipant")}


def roles(participant: ET.Element) -> list[str | None]:
    return [code.get("csd-code") for code in participant.findall("RoleIDCode")]


def test_push_recorded_once(station: Station) -> None:
    study_uid = str(pydicom.dcmread(CT_SMALL, stop_before_pixels=True).StudyInstanceUID)
    patient = pydicom.dcmread(CT_SMALL, stop_before_pixels=True)

    stored = push(station, [CT_SMALL])

    (record,) = station.wait_for_records(1)
    assert len(stored) == 1
    assert record.outcome == "success"
    assert record.user == getpass.getuser()
    assert record.os_account is True
    assert record.patient_id == str(patient.PatientID)
    assert record.patient_name == str(patient.PatientName)
    assert record.study_uids == (study_uid,)
    assert "1 instances received" in record.detail
    assert CALLING_AET in record.detail


def test_push_names_calling_peer(station: Station) -> None:
    push(station, [CT_SMALL])

    (record,) = station.wait_for_records(1)
    found = participants(record)
    peer = found[CALLING_AET]
    assert peer.get("NetworkAccessPointID") == "127.0.0.1"
    assert peer.get("NetworkAccessPointTypeCode") == "2"
    assert peer.get("UserIsRequestor") == "false"
    assert roles(peer) == [SOURCE_ROLE]
    assert DESTINATION_ROLE in roles(found["pacs-desktop"])


def test_push_record_matches_schema(station: Station) -> None:
    push(station, [CT_SMALL])

    (record,) = station.wait_for_records(1)
    schema = etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))
    message = etree.fromstring(record.message_xml.encode("utf-8"))
    assert schema.validate(message), str(schema.error_log)


def test_two_studies_give_two_records(station: Station, tmp_path: Path) -> None:
    first = write_copy(tmp_path / "in", "a1", patient_id="PID-A")
    second = write_copy(tmp_path / "in", "b1", patient_id="PID-B")
    third = write_copy(
        tmp_path / "in",
        "a2",
        patient_id="PID-A",
        study_uid=str(pydicom.dcmread(first).StudyInstanceUID),
    )

    push(station, [first, second, third])

    records = station.wait_for_records(2)
    by_patient = {record.patient_id: record for record in records}
    assert len(records) == 2
    assert "2 instances received" in by_patient["PID-A"].detail
    assert "1 instances received" in by_patient["PID-B"].detail


def test_each_association_recorded(station: Station) -> None:
    push(station, [CT_SMALL])
    station.wait_for_records(1)

    push(station, [CT_SMALL])

    records = station.wait_for_records(2)
    assert len(records) == 2
    assert "1 instances received" in records[1].detail


def test_rejected_instance_recorded_as_failure(
    station: Station, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    archived = write_copy(tmp_path / "in", "first", patient_id="PID-FIRST")
    study_uid = str(pydicom.dcmread(archived).StudyInstanceUID)
    push(station, [archived])
    station.wait_for_records(1)
    conflicting = write_copy(
        tmp_path / "in", "other", patient_id="PID-OTHER", study_uid=study_uid
    )

    stored = push(station, [conflicting])

    records = station.wait_for_records(2)
    rejection = records[1]
    indicator = ET.fromstring(rejection.message_xml).find("EventIdentification")
    assert stored == []
    assert len(records) == 2
    assert rejection.outcome == "failure"
    assert indicator is not None
    assert indicator.get("EventOutcomeIndicator") == MINOR_FAILURE
    assert rejection.os_account is True
    assert rejection.patient_id == "PID-OTHER"
    assert rejection.study_uids == (study_uid,)
    assert "1 instances rejected" in rejection.detail
    assert "another Patient ID" in rejection.detail
    assert "PID-OTHER" not in caplog.text
    assert "Test^PID-OTHER" not in caplog.text


def test_instance_without_study_recorded(station: Station, tmp_path: Path) -> None:
    path = write_copy(tmp_path / "in", "no-study", patient_id="PID-NOSTUDY")
    ds = pydicom.dcmread(path)
    del ds.StudyInstanceUID
    ds.save_as(path)

    stored = push(station, [path])

    (record,) = station.wait_for_records(1)
    assert stored == []
    assert record.outcome == "failure"
    assert record.patient_id == "PID-NOSTUDY"
    assert record.study_uids == ()
    assert "StudyInstanceUID (0020,000D) is missing" in record.detail
