"""Sync job attempts in the audit trail: INSTANCES_SENT and INSTANCES_RETRIEVED.

The peers are a real Orthanc and a closed loopback port, so these tests run
only inside a loopback-only network namespace (see conftest.py).
"""

from __future__ import annotations

import getpass
import xml.etree.ElementTree as ET
from pathlib import Path

import pydicom
import pytest
from lxml import etree
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

from pacs_desktop.cli import main
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import (
    JobAudit,
    JobCreator,
    JobServices,
    JobState,
    SyncQueue,
    run_due_jobs,
)
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditRecord, AuditTrail
from pacs_desktop.core.workstation import Workstation
from tests.net.conftest import (
    _WORKSTATION_SCP_PORT,
    WORKSTATION_AET,
    OrthancServer,
    free_port,
    wait_until,
)

SCHEMA_PATH = (
    Path(__file__).parents[1] / "core" / "security" / "data" / "audit-message.rng"
)
CT_SMALL = Path(get_testdata_file("CT_small.dcm"))
CT_PATIENT_ID = str(pydicom.dcmread(CT_SMALL, stop_before_pixels=True).PatientID)
OPERATOR = "ops"
# Active participant role IDs of PS3.16 CID 402.
DESTINATION_ROLE = "110152"
SOURCE_ROLE = "110153"


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))


def schema_errors(schema: etree.RelaxNG, xml_text: str) -> str:
    """Return the schema's error log, empty when ``xml_text`` is valid."""
    if schema.validate(etree.fromstring(xml_text.encode("utf-8"))):
        return ""
    return str(schema.error_log)


def remote_participants(record: AuditRecord) -> list[ET.Element]:
    """Return the active participants that are not the requestor or this program."""
    message = ET.fromstring(record.message_xml)
    return [
        participant
        for participant in message.findall("ActiveParticipant")
        if participant.get("UserIsRequestor") == "false"
        and participant.get("UserID") != "pacs-desktop"
    ]


def assert_peer(record: AuditRecord, node: Node, role: str) -> None:
    (peer,) = remote_participants(record)
    assert peer.get("UserID") == node.ae_title
    assert peer.get("NetworkAccessPointID") == node.host
    assert peer.get("NetworkAccessPointTypeCode") == "2"
    roles = [code.get("csd-code") for code in peer.findall("RoleIDCode")]
    assert roles == [role]


class Station:
    """An archive, its audit trail and a sync queue in one database."""

    def __init__(
        self, folder: Path, local: LocalEntity, *, max_attempts: int = 6
    ) -> None:
        folder.mkdir(parents=True)
        self.database = Database(folder / "db.sqlite")
        self.trail = AuditTrail(self.database)
        self.archive = Archive(self.database, folder / "store")
        self.queue = SyncQueue(self.database, max_attempts=max_attempts)
        self.services = JobServices(
            NodeStore(self.database),
            local,
            self.archive,
            audit=JobAudit(self.trail, OPERATOR, os_account=True),
        )

    def records(self, event: str) -> list[AuditRecord]:
        return [record for record in self.trail.records() if record.event == event]


@pytest.fixture
def station(tmp_path: Path, local_entity: LocalEntity) -> Station:
    return Station(tmp_path / "source", local_entity)


def copy_as_patient(folder: Path, patient_id: str) -> tuple[Path, str]:
    """Write CT_small as a new study of ``patient_id``; return path and UID."""
    ds = pydicom.dcmread(CT_SMALL)
    ds.PatientID = patient_id
    ds.PatientName = f"Other^{patient_id}"
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{patient_id}.dcm"
    ds.save_as(path)
    return path, str(ds.StudyInstanceUID)


def test_send_records_instances_sent(
    station: Station, orthanc: OrthancServer, schema: etree.RelaxNG
) -> None:
    (study_uid,) = station.archive.import_paths([CT_SMALL]).studies
    station.services.nodes.add(orthanc.node)
    station.queue.enqueue_send(orthanc.node.name, [study_uid])

    (job,) = run_due_jobs(station.queue, station.services)

    assert job.state == JobState.DONE
    (record,) = station.records(events.INSTANCES_SENT)
    assert record.outcome == "success"
    assert record.user == OPERATOR
    assert record.os_account
    assert record.patient_id == CT_PATIENT_ID
    assert record.study_uids == (study_uid,)
    assert orthanc.node.label in record.detail
    assert "1 of 1 instances" in record.detail
    assert_peer(record, orthanc.node, DESTINATION_ROLE)
    assert schema_errors(schema, record.message_xml) == ""


def test_send_of_series_names_its_study(
    station: Station, orthanc: OrthancServer
) -> None:
    (study_uid,) = station.archive.import_paths([CT_SMALL]).studies
    (series,) = station.archive.series_for_study(study_uid)
    station.services.nodes.add(orthanc.node)
    station.queue.enqueue_send(orthanc.node.name, [series.SeriesInstanceUID])

    run_due_jobs(station.queue, station.services)

    (record,) = station.records(events.INSTANCES_SENT)
    assert record.patient_id == CT_PATIENT_ID
    assert record.study_uids == (study_uid,)


def test_send_of_two_patients_gives_two_records(
    station: Station, orthanc: OrthancServer, tmp_path: Path
) -> None:
    (first_uid,) = station.archive.import_paths([CT_SMALL]).studies
    path, second_uid = copy_as_patient(tmp_path / "other", "PID-OTHER")
    station.archive.import_paths([path])
    station.services.nodes.add(orthanc.node)
    station.queue.enqueue_send(orthanc.node.name, [first_uid, second_uid])

    run_due_jobs(station.queue, station.services)

    by_patient = {r.patient_id: r for r in station.records(events.INSTANCES_SENT)}
    assert set(by_patient) == {CT_PATIENT_ID, "PID-OTHER"}
    assert by_patient["PID-OTHER"].study_uids == (second_uid,)
    assert "1 of 2 instances" in by_patient["PID-OTHER"].detail


def test_refused_send_records_minor_failure(
    station: Station, schema: etree.RelaxNG
) -> None:
    (study_uid,) = station.archive.import_paths([CT_SMALL]).studies
    closed = Node("closed", "NOBODY", "127.0.0.1", free_port())
    station.services.nodes.add(closed)
    station.queue.enqueue_send(closed.name, [study_uid])

    (job,) = run_due_jobs(station.queue, station.services)

    assert job.state == JobState.PENDING
    (record,) = station.records(events.INSTANCES_SENT)
    assert record.outcome == "minor-failure"
    assert record.patient_id == CT_PATIENT_ID
    assert "connection refused" in record.detail
    assert_peer(record, closed, DESTINATION_ROLE)
    assert schema_errors(schema, record.message_xml) == ""


def test_attempt_recorded_under_creator(station: Station) -> None:
    # The runner's account (OPERATOR) is not the one that queued the send.
    (study_uid,) = station.archive.import_paths([CT_SMALL]).studies
    closed = Node("closed", "NOBODY", "127.0.0.1", free_port())
    station.services.nodes.add(closed)
    station.queue.enqueue_send(closed.name, [study_uid], creator=JobCreator("reader"))
    station.queue.enqueue_send(closed.name, [study_uid])

    first, second = run_due_jobs(station.queue, station.services)

    by_job = {
        record.detail.split("sync job ")[1].split()[0]: record
        for record in station.records(events.INSTANCES_SENT)
    }
    assert by_job[str(first.id)].user == "reader"
    assert not by_job[str(first.id)].os_account
    assert by_job[str(second.id)].user == OPERATOR
    assert by_job[str(second.id)].os_account


def test_last_failed_attempt_is_serious(
    tmp_path: Path, local_entity: LocalEntity
) -> None:
    single = Station(tmp_path / "single", local_entity, max_attempts=1)
    closed = Node("closed", "NOBODY", "127.0.0.1", free_port())
    single.services.nodes.add(closed)
    study_uid = generate_uid()
    single.queue.enqueue_retrieve(closed.name, study_uid)

    (job,) = run_due_jobs(single.queue, single.services)

    assert job.state == JobState.FAILED
    (record,) = single.records(events.INSTANCES_RETRIEVED)
    assert record.outcome == "serious-failure"
    assert record.study_uids == (study_uid,)
    assert record.patient_id is None
    assert_peer(record, closed, SOURCE_ROLE)


def test_unknown_node_recorded_without_peer(
    station: Station, schema: etree.RelaxNG
) -> None:
    (study_uid,) = station.archive.import_paths([CT_SMALL]).studies
    station.queue.enqueue_send("removed", [study_uid])

    (job,) = run_due_jobs(station.queue, station.services)

    assert job.state == JobState.FAILED
    (record,) = station.records(events.INSTANCES_SENT)
    assert "removed" in record.detail
    assert remote_participants(record) == []
    assert schema_errors(schema, record.message_xml) == ""


def test_retrieve_records_instances_retrieved(
    station: Station,
    orthanc: OrthancServer,
    tmp_path: Path,
    local_entity: LocalEntity,
    schema: etree.RelaxNG,
) -> None:
    orthanc.upload(CT_SMALL)
    study_uid = str(pydicom.dcmread(CT_SMALL, stop_before_pixels=True).StudyInstanceUID)
    station.services.nodes.add(orthanc.node)
    station.queue.enqueue_retrieve(orthanc.node.name, study_uid, method="get")

    (job,) = run_due_jobs(station.queue, station.services)

    assert job.state == JobState.DONE
    (record,) = station.records(events.INSTANCES_RETRIEVED)
    assert record.outcome == "success"
    assert record.patient_id == CT_PATIENT_ID
    assert record.study_uids == (study_uid,)
    assert "1 of 1 instances" in record.detail
    assert orthanc.node.label in record.detail
    assert_peer(record, orthanc.node, SOURCE_ROLE)
    assert schema_errors(schema, record.message_xml) == ""


def run_cli(data_dir: Path, *argv: str) -> int:
    return main.run(["--data-dir", str(data_dir), *argv])


def configure_cli(data_dir: Path, orthanc: OrthancServer) -> None:
    """Use the AE title and port in Orthanc's DicomModalities; add node ``pacs``."""
    node = orthanc.node
    settings = (
        ("network.ae_title", WORKSTATION_AET),
        ("network.scp_port", str(_WORKSTATION_SCP_PORT)),
    )
    for key, value in settings:
        assert run_cli(data_dir, "settings", "set", key, value) == 0
    added = run_cli(
        data_dir,
        *("node", "add", "pacs", "--aet", node.ae_title, "--host", node.host),
        *("--port", str(node.port), "--retrieve", "get"),
    )
    assert added == 0


def transfer_records(data_dir: Path) -> list[AuditRecord]:
    station = Workstation(data_dir)
    try:
        records = station.audit.records()
    finally:
        station.close()
    return [record for record in records if record.event.startswith("instances-")]


def test_cli_send_and_retrieve_audited_once(
    orthanc: OrthancServer, tmp_path: Path
) -> None:
    study_uid = str(pydicom.dcmread(CT_SMALL, stop_before_pixels=True).StudyInstanceUID)
    source, target = tmp_path / "source", tmp_path / "target"
    configure_cli(source, orthanc)
    configure_cli(target, orthanc)
    assert run_cli(source, "import", str(CT_SMALL)) == 0
    assert run_cli(source, "send", "pacs", study_uid) == 0
    assert run_cli(target, "retrieve", "pacs", study_uid) == 0

    sent = transfer_records(source)
    retrieved = transfer_records(target)
    assert [r.event for r in sent] == [
        events.INSTANCES_IMPORTED,
        events.INSTANCES_SENT,
    ]
    assert sent[-1].os_account
    assert sent[-1].patient_id == CT_PATIENT_ID
    assert [r.event for r in retrieved] == [events.INSTANCES_RETRIEVED]
    assert retrieved[0].os_account
    assert retrieved[0].study_uids == (study_uid,)
    assert_peer(sent[-1], orthanc.node, DESTINATION_ROLE)
    assert_peer(retrieved[0], orthanc.node, SOURCE_ROLE)


def test_move_instances_recorded_by_scp(
    tmp_path: Path, orthanc: OrthancServer, local_entity: LocalEntity
) -> None:
    # The C-MOVE sub-operations arrive on the storage SCP, which records
    # them under the operating-system account with the sending AE as source.
    station = Station(tmp_path / "mover", local_entity)
    station.archive.audit = station.trail
    orthanc.upload(CT_SMALL)
    study_uid = str(pydicom.dcmread(CT_SMALL, stop_before_pixels=True).StudyInstanceUID)
    station.services.nodes.add(orthanc.node)
    station.queue.enqueue_retrieve(orthanc.node.name, study_uid, method="move")

    (job,) = run_due_jobs(station.queue, station.services)

    # The SCP records when Orthanc closes its association, which can be
    # after the final C-MOVE response.
    wait_until(
        lambda: len(station.records(events.INSTANCES_RETRIEVED)) == 2,
        deadline=10.0,
        what="the storage SCP's audit record",
    )
    records = station.records(events.INSTANCES_RETRIEVED)
    received = [record for record in records if "storage SCP" in record.detail]
    assert job.state == JobState.DONE
    assert len(records) == 2
    (record,) = received
    assert record.outcome == "success"
    assert record.user == getpass.getuser()
    assert record.os_account
    assert record.patient_id == CT_PATIENT_ID
    assert record.study_uids == (study_uid,)
    assert "1 instances received" in record.detail
    assert_peer(record, orthanc.node, SOURCE_ROLE)
