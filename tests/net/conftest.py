"""Real DICOM peers on loopback: Orthanc and DCMTK's storescp.

Orthanc 1.10 and storescp listen on every interface, so they run only where
``PACS_TEST_NETNS=1`` indicates that the test run is inside a private network
namespace with nothing but loopback (the Makefile's pytest target makes one
when it runs as root). Elsewhere those tests skip, except in CI where they fail.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pacs_desktop.core.net.association import LocalEntity, Timeouts
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.errors import NetworkError
from pacs_desktop.core.net.nodes import Node

WORKSTATION_AET = "PACSTEST"
ORTHANC_AET = "ORTHANC"
ORTHANC_USER = "tester"
ORTHANC_PASSWORD = "orthanc-test-password"
START_DEADLINE = 20.0


def require_isolated_network() -> None:
    """Skip (fail in CI) unless the run is in a loopback-only namespace."""
    if os.environ.get("PACS_TEST_NETNS") == "1":
        return
    message = (
        "DICOM servers bind every interface: run inside a loopback-only network "
        "namespace (PACS_TEST_NETNS=1, see the Makefile's pytest target)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    """Return a TCP port on loopback that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_until(
    condition: Callable[[], bool], *, deadline: float, what: str, interval: float = 0.05
) -> None:
    """Poll ``condition`` until it is true; fail after ``deadline`` seconds."""
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"timed out after {deadline} s waiting for {what}")
        time.sleep(interval)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Send SIGTERM and wait for the pid; SIGKILL after 15 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def local_entity() -> LocalEntity:
    """The workstation with short timeouts, so fault tests end quickly."""
    return LocalEntity(
        ae_title=WORKSTATION_AET,
        timeouts=Timeouts(acse=5.0, dimse=10.0, network=10.0, connect=5.0),
        scp_port=_WORKSTATION_SCP_PORT,
    )


# pytest loads this file as the module ``conftest`` while test modules import
# it as ``tests.net.conftest``, which runs it a second time. The environment
# keeps one port for both copies, so the Orthanc configuration and the
# workstation's settings agree on where Storage Commitment reports go.
_WORKSTATION_SCP_PORT = int(
    os.environ.setdefault("PACS_TEST_WORKSTATION_SCP_PORT", str(free_port()))
)


@dataclass
class OrthancServer:
    """A running Orthanc with its DICOM node and REST access."""

    process: subprocess.Popen[bytes]
    node: Node
    http_port: int
    workdir: Path
    log_path: Path

    def rest(self, method: str, path: str, body: bytes | None = None) -> object:
        """Call Orthanc's REST API and return the decoded JSON response."""
        payload = self.rest_bytes(method, path, body)
        return json.loads(payload) if payload else None

    def rest_bytes(self, method: str, path: str, body: bytes | None = None) -> bytes:
        """Call Orthanc's REST API and return the response body."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http_port}{path}", data=body, method=method
        )
        token = base64.b64encode(f"{ORTHANC_USER}:{ORTHANC_PASSWORD}".encode())
        request.add_header("Authorization", f"Basic {token.decode()}")
        with urllib.request.urlopen(request, timeout=30) as response:
            payload: bytes = response.read()
        return payload

    def instance_file(self, sop_instance_uid: str) -> bytes:
        """Return the DICOM file Orthanc stores for one SOP Instance UID."""
        found = self.rest("POST", "/tools/lookup", sop_instance_uid.encode())
        assert isinstance(found, list)
        (instance,) = [item for item in found if item["Type"] == "Instance"]
        return self.rest_bytes("GET", f"/instances/{instance['ID']}/file")

    def upload(self, path: Path) -> None:
        """Store one DICOM file through the REST API."""
        self.rest("POST", "/instances", path.read_bytes())

    def upload_bytes(self, data: bytes) -> None:
        """Store one encoded DICOM file through the REST API."""
        self.rest("POST", "/instances", data)

    def clear(self) -> None:
        """Delete every patient Orthanc holds."""
        patients = self.rest("GET", "/patients")
        assert isinstance(patients, list)
        for patient in patients:
            self.rest("DELETE", f"/patients/{patient}")

    def instance_count(self) -> int:
        """The number of instances Orthanc holds."""
        statistics = self.rest("GET", "/statistics")
        assert isinstance(statistics, dict)
        return int(statistics["CountInstances"])


def _orthanc_config(
    workdir: Path, dicom_port: int, http_port: int
) -> dict[str, object]:
    return {
        "Name": "pacs-desktop-test",
        "DicomAet": ORTHANC_AET,
        "DicomPort": dicom_port,
        "HttpPort": http_port,
        "RemoteAccessAllowed": False,
        "AuthenticationEnabled": True,
        "RegisteredUsers": {ORTHANC_USER: ORTHANC_PASSWORD},
        "DicomCheckCalledAet": True,
        "DicomModalities": {
            "workstation": [WORKSTATION_AET, "127.0.0.1", _WORKSTATION_SCP_PORT]
        },
        "DefaultEncoding": "Utf8",
        "StorageDirectory": str(workdir / "storage"),
        "IndexDirectory": str(workdir / "index"),
        "SaveJobs": False,
        "Plugins": [],
        "HttpServerEnabled": True,
        "DicomScpTimeout": 30,
    }


def start_orthanc(workdir: Path, dicom_port: int, http_port: int) -> OrthancServer:
    workdir.mkdir(parents=True, exist_ok=True)
    config_path = workdir / "orthanc.json"
    config = _orthanc_config(workdir, dicom_port, http_port)
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    log_path = workdir / "orthanc.log"
    process = subprocess.Popen(
        ["Orthanc", f"--logfile={log_path}", str(config_path)],
        env={**os.environ, "TCP_NODELAY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    node = Node(name="orthanc", ae_title=ORTHANC_AET, host="127.0.0.1", port=dicom_port)
    server = OrthancServer(process, node, http_port, workdir, log_path)
    probe = LocalEntity(
        WORKSTATION_AET, Timeouts(acse=2.0, dimse=2.0, network=2.0, connect=2.0)
    )

    def answers() -> bool:
        if process.poll() is not None:
            pytest.fail(f"Orthanc exited at start-up; see {log_path}")
        try:
            echo(node, probe)
        except NetworkError:
            return False
        return True

    wait_until(answers, deadline=START_DEADLINE, what="Orthanc to answer C-ECHO")
    return server


@pytest.fixture(scope="session")
def orthanc_session(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[OrthancServer]:
    """One Orthanc for the whole run (start-up and stop cost about 4 s)."""
    require_isolated_network()
    if shutil.which("Orthanc") is None:
        pytest.fail("Orthanc is not installed (Debian package orthanc)")
    workdir = tmp_path_factory.mktemp("orthanc")
    server = start_orthanc(workdir, free_port(), free_port())
    yield server
    stop_process(server.process)


@pytest.fixture
def orthanc(orthanc_session: OrthancServer) -> Iterator[OrthancServer]:
    """The session's Orthanc, emptied before each test."""
    if orthanc_session.process.poll() is not None:
        pytest.fail(f"Orthanc died; see {orthanc_session.log_path}")
    orthanc_session.clear()
    yield orthanc_session


@dataclass
class StoreScp:
    """A running DCMTK storescp and the node that reaches it."""

    process: subprocess.Popen[bytes]
    node: Node
    output_dir: Path


def start_storescp(
    workdir: Path, port: int, *options: str, node: Node | None = None
) -> StoreScp:
    """Start ``storescp`` with fault or TLS ``options`` and wait until it listens.

    Readiness is a TCP connect that succeeds; no DICOM is sent by the check.
    """
    require_isolated_network()
    if shutil.which("storescp") is None:
        pytest.fail("storescp is not installed (Debian package dcmtk)")
    output_dir = workdir / f"storescp-{port}"
    output_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        ["storescp", "-aet", "STORESCP", "-od", str(output_dir), *options, str(port)],
        env={**os.environ, "TCP_NODELAY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def listening() -> bool:
        if process.poll() is not None:
            pytest.fail(f"storescp exited at start-up with {process.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_until(listening, deadline=START_DEADLINE, what="storescp to listen")
    target = node or Node("storescp", "STORESCP", "127.0.0.1", port)
    return StoreScp(process, target, output_dir)


@pytest.fixture
def storescp_factory(tmp_path: Path) -> Iterator[Callable[..., StoreScp]]:
    """Start storescp instances with given options; all stop after the test."""
    started: list[StoreScp] = []

    def start(port: int, *options: str, node: Node | None = None) -> StoreScp:
        server = start_storescp(tmp_path, port, *options, node=node)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_process(server.process)
