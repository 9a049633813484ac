"""The GUI in the audit trail: study filters, C-FIND and the queue runner.

The C-FIND tests against Orthanc run only inside a loopback-only network
namespace (see tests/net/conftest.py); the refused C-FIND needs no server.
"""

from __future__ import annotations

import base64
import getpass
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree
from pydicom import Dataset
from pydicom.filereader import read_dataset
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import JobState, SyncJob
from pacs_desktop.core.security.audit import INSTANCES_RETRIEVED, QUERY, AuditRecord
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.browser import StudyBrowser
from pacs_desktop.ui.network.remote_browser import RemoteBrowser
from pacs_desktop.ui.network.service import NetworkService
from pacs_desktop.ui.workers import TaskRunner
from tests.net.conftest import (
    _WORKSTATION_SCP_PORT,
    WORKSTATION_AET,
    OrthancServer,
    free_port,
    require_isolated_network,
    start_orthanc,
    stop_process,
)
from tests.ui.conftest import write_sample_files

SCHEMA_PATH = (
    Path(__file__).parents[1] / "core" / "security" / "data" / "audit-message.rng"
)
READER = "drwho"
STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1"


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))


def schema_errors(schema: etree.RelaxNG, xml_text: str) -> str:
    """Return the schema's error log, empty when ``xml_text`` is valid."""
    if schema.validate(etree.fromstring(xml_text.encode("utf-8"))):
        return ""
    return str(schema.error_log)


def queries(workstation: Workstation) -> list[AuditRecord]:
    return [r for r in workstation.audit.records() if r.event == QUERY]


def recorded_query(record: AuditRecord) -> Dataset:
    """Decode the C-FIND identifier of a QUERY record's query object."""
    message = ET.fromstring(record.message_xml)
    (text,) = [
        participant_object.findtext("ParticipantObjectQuery") or ""
        for participant_object in message.findall("ParticipantObjectIdentification")
        if participant_object.get("ParticipantObjectID") == STUDY_ROOT_FIND
    ]
    return read_dataset(
        BytesIO(base64.b64decode(text)), is_implicit_VR=False, is_little_endian=True
    )


def recorded_peers(record: AuditRecord) -> list[tuple[str, str]]:
    """Return (AE title, host) of the remote active participants of a record."""
    message = ET.fromstring(record.message_xml)
    return [
        (participant.get("UserID") or "", participant.get("NetworkAccessPointID") or "")
        for participant in message.findall("ActiveParticipant")
        if participant.get("UserIsRequestor") == "false"
        and participant.get("UserID") != "pacs-desktop"
    ]


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def browser(
    qtbot: QtBot, filled_workstation: Workstation, runner: TaskRunner
) -> StudyBrowser:
    widget = StudyBrowser(
        filled_workstation.archive,
        runner,
        audit=filled_workstation.audit,
        user=READER,
    )
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    return widget


def type_filter(qtbot: QtBot, browser: StudyBrowser, field: str, text: str) -> None:
    edit = getattr(browser.filter_bar, field)
    edit.setFocus()
    with qtbot.waitSignal(browser.sig_studies_shown, timeout=3000):
        qtbot.keyClicks(edit, text)


def test_opening_list_records_query(
    browser: StudyBrowser, filled_workstation: Workstation, schema: etree.RelaxNG
) -> None:
    (record,) = queries(filled_workstation)
    assert record.user == READER
    assert not record.os_account
    assert len(record.study_uids) == 4
    assert "every study" in record.detail
    assert recorded_query(record).QueryRetrieveLevel == "STUDY"
    assert recorded_query(record).PatientName == ""
    assert recorded_peers(record) == []
    assert schema_errors(schema, record.message_xml) == ""


def test_typed_filter_records_one_query(
    qtbot: QtBot,
    browser: StudyBrowser,
    filled_workstation: Workstation,
    schema: etree.RelaxNG,
) -> None:
    type_filter(qtbot, browser, "name_edit", "Doe*")

    records = queries(filled_workstation)
    assert len(records) == 2
    typed = records[-1]
    assert "PatientName=Doe*" in typed.detail
    assert "2 studies" in typed.detail
    assert len(typed.study_uids) == 2
    assert recorded_query(typed).PatientName == "Doe*"
    assert schema_errors(schema, typed.message_xml) == ""


def test_patient_id_filter_names_patient(
    qtbot: QtBot, browser: StudyBrowser, filled_workstation: Workstation
) -> None:
    type_filter(qtbot, browser, "id_edit", "PID-2001")

    record = queries(filled_workstation)[-1]
    assert record.patient_id == "PID-2001"
    assert recorded_query(record).PatientID == "PID-2001"


def test_repeated_query_not_recorded_again(
    browser: StudyBrowser, filled_workstation: Workstation
) -> None:
    browser.refresh()
    browser.refresh()

    assert len(queries(filled_workstation)) == 1


def test_browser_without_audit_records_nothing(
    qtbot: QtBot, filled_workstation: Workstation, runner: TaskRunner
) -> None:
    widget = StudyBrowser(filled_workstation.archive, runner)
    qtbot.addWidget(widget)
    widget.refresh()

    assert queries(filled_workstation) == []


@pytest.fixture
def closed_service(workstation: Workstation) -> Iterator[NetworkService]:
    NodeStore(workstation.database).add(
        Node("closed", "NOBODY", "127.0.0.1", free_port())
    )
    network = NetworkService(workstation, Settings(workstation.data_dir))
    yield network
    network.shutdown()


def test_refused_search_recorded_under_os_account(
    qtbot: QtBot,
    closed_service: NetworkService,
    workstation: Workstation,
    schema: etree.RelaxNG,
) -> None:
    node = NodeStore(workstation.database).get("closed")
    with qtbot.waitSignal(closed_service.sig_search_failed, timeout=20_000):
        closed_service.search(node, StudyQuery(patient_id="PID-1001"))

    (record,) = queries(workstation)
    assert record.outcome == "minor-failure"
    assert record.user == getpass.getuser()
    assert record.os_account
    assert record.patient_id == "PID-1001"
    assert node.label in record.detail
    assert recorded_query(record).PatientID == "PID-1001"
    assert recorded_peers(record) == [("NOBODY", "127.0.0.1")]
    assert schema_errors(schema, record.message_xml) == ""


def test_gui_runner_records_retrieve_attempt(
    qtbot: QtBot, closed_service: NetworkService, workstation: Workstation
) -> None:
    with qtbot.waitSignal(closed_service.sig_job_finished, timeout=20_000) as done:
        closed_service.enqueue_retrieve("closed", "1.2.3.4")
    job: SyncJob = done.args[0]
    assert job.state == JobState.PENDING

    records = workstation.audit.records(event=INSTANCES_RETRIEVED)
    (record,) = records
    assert record.outcome == "minor-failure"
    assert record.os_account
    assert record.study_uids == ("1.2.3.4",)


@pytest.fixture(scope="module")
def orthanc_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[OrthancServer]:
    """One Orthanc for this file, holding the sample studies."""
    require_isolated_network()
    workdir = tmp_path_factory.mktemp("orthanc")
    server = start_orthanc(workdir, free_port(), free_port())
    for path in sorted(write_sample_files(workdir / "samples").glob("*.dcm")):
        server.upload(path)
    yield server
    stop_process(server.process)


@pytest.fixture
def remote(
    qtbot: QtBot, workstation: Workstation, orthanc_server: OrthancServer
) -> Iterator[RemoteBrowser]:
    settings = Settings(workstation.data_dir)
    settings.set("network.ae_title", WORKSTATION_AET)
    settings.set("network.scp_port", _WORKSTATION_SCP_PORT)
    service = NetworkService(workstation, settings, user=READER)
    widget = RemoteBrowser(service)
    qtbot.addWidget(widget)
    widget.set_node(orthanc_server.node)
    yield widget
    service.shutdown()


def test_pacs_search_records_query_with_node(
    qtbot: QtBot,
    remote: RemoteBrowser,
    workstation: Workstation,
    orthanc_server: OrthancServer,
    schema: etree.RelaxNG,
) -> None:
    remote.filter_bar.name_edit.setText("Smith*")
    with qtbot.waitSignal(remote.sig_studies_shown, timeout=20_000) as shown:
        remote.search()
    assert shown.args == [2]

    study_level = [r for r in queries(workstation) if "SERIES" not in r.detail]
    (record,) = study_level
    assert record.user == READER
    assert not record.os_account
    assert orthanc_server.node.label in record.detail
    assert "PatientName=Smith*" in record.detail
    assert len(record.study_uids) == 2
    assert recorded_query(record).PatientName == "Smith*"
    node = orthanc_server.node
    assert recorded_peers(record) == [(node.ae_title, node.host)]
    assert schema_errors(schema, record.message_xml) == ""


def test_series_expansion_records_query(
    qtbot: QtBot,
    remote: RemoteBrowser,
    workstation: Workstation,
    orthanc_server: OrthancServer,
) -> None:
    remote.filter_bar.id_edit.setText("PID-1001")
    with qtbot.waitSignal(remote.sig_series_shown, timeout=20_000):
        remote.search()

    study = remote.selected_study()
    assert study is not None
    series_level = [r for r in queries(workstation) if "SERIES" in r.detail]
    (record,) = series_level
    assert record.patient_id == "PID-1001"
    assert record.study_uids == (study.StudyInstanceUID,)
    assert orthanc_server.node.label in record.detail
    series_query = recorded_query(record)
    assert series_query.QueryRetrieveLevel == "SERIES"
    assert series_query.StudyInstanceUID == study.StudyInstanceUID
    node = orthanc_server.node
    assert recorded_peers(record) == [(node.ae_title, node.host)]
