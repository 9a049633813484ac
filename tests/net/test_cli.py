"""Command line: settings, node, query, send, retrieve and queue."""

from __future__ import annotations

import base64
import json
import socket
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path

import pytest
from pydicom import Dataset
from pydicom.data import get_testdata_file
from pydicom.filereader import read_dataset

from pacs_desktop.cli import main
from pacs_desktop.core.archive.records import JSON_KEYS
from pacs_desktop.core.security.audit import QUERY, AuditRecord
from pacs_desktop.core.workstation import Workstation
from tests.net.conftest import (
    _WORKSTATION_SCP_PORT,
    WORKSTATION_AET,
    OrthancServer,
    free_port,
)


def _run(data_dir: Path, *argv: str) -> int:
    return main.run(["--data-dir", str(data_dir), *argv])


def _recorded_query(record: AuditRecord) -> Dataset:
    """Decode the C-FIND identifier of a QUERY record's query object."""
    message = ET.fromstring(record.message_xml)
    (text,) = [
        participant_object.findtext("ParticipantObjectQuery") or ""
        for participant_object in message.findall("ParticipantObjectIdentification")
        if participant_object.get("ParticipantObjectID")
        == "1.2.840.10008.5.1.4.1.2.2.1"
    ]
    return read_dataset(
        BytesIO(base64.b64decode(text)), is_implicit_VR=False, is_little_endian=True
    )


def _recorded_peers(record: AuditRecord) -> list[tuple[str, str]]:
    """Return (AE title, host) of the remote active participants of a record."""
    message = ET.fromstring(record.message_xml)
    return [
        (participant.get("UserID") or "", participant.get("NetworkAccessPointID") or "")
        for participant in message.findall("ActiveParticipant")
        if participant.get("UserIsRequestor") == "false"
        and participant.get("UserID") != "pacs-desktop"
    ]


def test_settings_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, "settings", "set", "network.ae_title", "READER1") == 0
    assert _run(tmp_path, "settings", "get", "network.ae_title") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "READER1"
    assert _run(tmp_path, "settings", "list") == 0
    listed = capsys.readouterr().out
    assert "network.scp_port = 11112  (default)" in listed
    assert _run(tmp_path, "settings", "set", "network.scp_port", "99999") == 1
    assert "outside 1-65535" in capsys.readouterr().err


def test_node_echo_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = str(free_port())
    assert (
        _run(
            tmp_path,
            "node",
            "add",
            "gone",
            "--aet",
            "GONE",
            "--host",
            "127.0.0.1",
            "--port",
            port,
        )
        == 0
    )
    assert _run(tmp_path, "node", "echo", "gone") == 1
    assert "connection refused" in capsys.readouterr().err


def test_node_tls_needs_ca(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = _run(
        tmp_path,
        "node",
        "add",
        "x",
        "--aet",
        "X",
        "--host",
        "h",
        "--port",
        "104",
        "--tls",
    )
    assert status == 1
    assert "needs the CA certificate" in capsys.readouterr().err


def test_node_tls_missing_ca_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing-ca.pem"
    status = _run(
        tmp_path,
        "node",
        "add",
        "x",
        "--aet",
        "X",
        "--host",
        "h",
        "--port",
        "104",
        "--tls",
        "--ca",
        str(missing),
    )
    assert status == 1
    error = capsys.readouterr().err
    assert f"--ca {missing}: cannot read the file" in error
    assert "No such file or directory" in error
    assert _run(tmp_path, "node", "list") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 nodes"


def _configure(data_dir: Path, orthanc: OrthancServer) -> None:
    assert _run(data_dir, "settings", "set", "network.ae_title", WORKSTATION_AET) == 0
    # The port Orthanc's DicomModalities gives for this workstation: its
    # Storage Commitment reports go there.
    scp_port = str(_WORKSTATION_SCP_PORT)
    assert _run(data_dir, "settings", "set", "network.scp_port", scp_port) == 0
    assert (
        _run(
            data_dir,
            "node",
            "add",
            "pacs",
            "--aet",
            orthanc.node.ae_title,
            "--host",
            "127.0.0.1",
            "--port",
            str(orthanc.node.port),
            "--retrieve",
            "get",
        )
        == 0
    )


def test_send_query_retrieve(
    orthanc: OrthancServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    _configure(source, orthanc)
    assert _run(source, "node", "echo", "pacs") == 0
    assert _run(source, "import", get_testdata_file("CT_small.dcm")) == 0
    capsys.readouterr()

    assert _run(source, "studies", "--json") == 0
    (study,) = json.loads(capsys.readouterr().out)
    study_uid = study["StudyInstanceUID"]
    assert _run(source, "send", "pacs", study_uid) == 0
    assert orthanc.instance_count() == 1
    capsys.readouterr()

    assert (
        _run(source, "query", "pacs", "--patient-id", study["PatientID"], "--json") == 0
    )
    (remote,) = json.loads(capsys.readouterr().out)
    assert list(remote) == list(JSON_KEYS)
    assert remote["PatientName"] == study["PatientName"]

    assert _run(source, "query", "pacs", "--series", study_uid, "--json") == 0
    (series,) = json.loads(capsys.readouterr().out)
    assert series["StudyInstanceUID"] == study_uid
    queries = Workstation(source).audit.records(event=QUERY)
    assert queries[-1].study_uids == (study_uid,)
    assert "series C-FIND on pacs: 1 series" in queries[-1].detail
    _check_query_records(queries[-3:], study, orthanc)

    target = tmp_path / "target"
    _configure(target, orthanc)
    assert _run(target, "retrieve", "pacs", study_uid) == 0
    assert "done" in capsys.readouterr().out
    assert _run(target, "studies", "--json") == 0
    (retrieved,) = json.loads(capsys.readouterr().out)
    assert retrieved["StudyInstanceUID"] == study_uid
    assert _run(target, "queue", "list", "--json") == 0
    (job,) = json.loads(capsys.readouterr().out)
    assert job["state"] == "done"


def _check_query_records(
    records: list[AuditRecord], study: dict[str, object], orthanc: OrthancServer
) -> None:
    """Check the `studies`, `query` and `query --series` records, in that order."""
    local, study_level, series_level = records
    pacs = (orthanc.node.ae_title, "127.0.0.1")
    assert "command-line study list" in local.detail
    assert _recorded_query(local).QueryRetrieveLevel == "STUDY"
    assert _recorded_peers(local) == []

    assert _recorded_query(study_level).QueryRetrieveLevel == "STUDY"
    assert _recorded_query(study_level).PatientID == study["PatientID"]
    assert _recorded_peers(study_level) == [pacs]

    series_query = _recorded_query(series_level)
    assert series_query.QueryRetrieveLevel == "SERIES"
    assert series_query.StudyInstanceUID == study["StudyInstanceUID"]
    assert _recorded_peers(series_level) == [pacs]


def test_retrieve_failure_stays_queued(
    orthanc: OrthancServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _configure(tmp_path, orthanc)
    assert (
        _run(
            tmp_path,
            "node",
            "add",
            "gone",
            "--aet",
            "GONE",
            "--host",
            "127.0.0.1",
            "--port",
            str(free_port()),
        )
        == 0
    )
    assert _run(tmp_path, "retrieve", "gone", "1.2.3.4") == 1
    assert "connection refused" in capsys.readouterr().out
    assert _run(tmp_path, "queue", "list", "--json") == 0
    (job,) = json.loads(capsys.readouterr().out)
    assert job["state"] == "pending"
    assert job["attempts"] == 1
    assert _run(tmp_path, "queue", "cancel", str(job["id"])) == 0
    assert "cancelled" in capsys.readouterr().out


def test_move_retrieve_with_held_port_not_queued(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = str(holder.getsockname()[1])
        assert _run(tmp_path, "settings", "set", "network.scp_port", port) == 0
        node_port = str(free_port())
        node = ["--aet", "PACS", "--host", "127.0.0.1", "--port", node_port]
        assert _run(tmp_path, "node", "add", "pacs", *node) == 0
        capsys.readouterr()

        status = _run(tmp_path, "retrieve", "pacs", "1.2.3.4", "--method", "move")

    error = capsys.readouterr().err
    assert status == 1
    assert f"port {port} is in use, probably by a running PACS Desktop" in error
    assert "--method get" in error
    assert "network.scp_port" not in error
    assert _run(tmp_path, "queue", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_node_add_lists_every_invalid_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _run(
        tmp_path,
        "node",
        "add",
        "bad",
        "--aet",
        "A" * 17,
        "--host",
        "bad host",
        "--port",
        "70000",
    )

    error = capsys.readouterr().err
    assert status == 1
    assert "node bad has 3 invalid fields" in error
    assert "longer than 16 characters" in error
    assert "host 'bad host' is invalid" in error
    assert "port 70000 is outside 1-65535" in error
