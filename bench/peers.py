"""Orthanc and DCMTK processes on loopback for the network workloads.

Orthanc 1.10 and storescp bind every interface (Orthanc has no listen-address
option), so callers start them only inside a loopback-only network namespace
(``PACS_TEST_NETNS=1``). Every peer runs with ``TCP_NODELAY=1`` in its
environment: DCMTK 3.6.7 and Orthanc leave Nagle's algorithm on otherwise,
which costs about 40 ms per instance on loopback.
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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.samples import MissingInputError

WORKSTATION_AET = "PACSBENCH"
SENDER_AET = "BENCHSCU"
ORTHANC_AET = "ORTHANC"
STORESCP_AET = "STORESCP"
ORTHANC_USER = "bench"
ORTHANC_PASSWORD = "bench-orthanc-password"
START_DEADLINE = 20.0

# DCMTK 3.6.7 accepts PDUs of 4096-131072 bytes; the largest is its fastest.
DCMTK_MAX_PDU = "131072"


def peer_environment() -> dict[str, str]:
    """Return the environment of a peer process: ours, with TCP_NODELAY=1."""
    return {**os.environ, "TCP_NODELAY": "1"}


def require_tools(*names: str) -> None:
    """Raise MissingInputError naming the first program not on PATH."""
    for name in names:
        if shutil.which(name) is None:
            raise MissingInputError(f"{name} is not installed (Debian: orthanc, dcmtk)")


def free_port() -> int:
    """Return a TCP port on loopback that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_until(condition: Callable[[], bool], *, what: str) -> None:
    """Poll ``condition`` every 20 ms; raise RuntimeError after START_DEADLINE."""
    end = time.monotonic() + START_DEADLINE
    while not condition():
        if time.monotonic() > end:
            raise RuntimeError(f"timed out after {START_DEADLINE} s waiting for {what}")
        time.sleep(0.02)


def listening(port: int) -> bool:
    """Return whether something accepts TCP connections on loopback ``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def kill(process: subprocess.Popen[bytes]) -> None:
    """Stop a peer with SIGKILL and reap it.

    Orthanc needs 3-4 s to stop after SIGTERM; the benchmark's peers keep
    nothing worth a clean shutdown, because their folders are deleted after.
    """
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()


@dataclass
class Orthanc:
    """A running Orthanc: its DICOM port and REST access."""

    process: subprocess.Popen[bytes]
    dicom_port: int
    http_port: int
    log_path: Path

    def rest(self, method: str, path: str, body: bytes | None = None) -> object:
        """Call the REST API and return the decoded JSON response."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http_port}{path}", data=body, method=method
        )
        token = base64.b64encode(f"{ORTHANC_USER}:{ORTHANC_PASSWORD}".encode())
        request.add_header("Authorization", f"Basic {token.decode()}")
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def upload(self, paths: Sequence[Path]) -> None:
        """Store files through the REST API."""
        for path in paths:
            self.rest("POST", "/instances", path.read_bytes())

    def instance_count(self) -> int:
        """Return the number of instances Orthanc holds."""
        statistics = self.rest("GET", "/statistics")
        assert isinstance(statistics, dict)
        return int(statistics["CountInstances"])


def _orthanc_config(workdir: Path, dicom_port: int, http_port: int) -> str:
    config = {
        "Name": "pacs-desktop-bench",
        "DicomAet": ORTHANC_AET,
        "DicomPort": dicom_port,
        "HttpPort": http_port,
        "RemoteAccessAllowed": False,
        "AuthenticationEnabled": True,
        "RegisteredUsers": {ORTHANC_USER: ORTHANC_PASSWORD},
        "DicomCheckCalledAet": True,
        # C-GET and C-FIND callers; no C-MOVE destination is needed.
        "DicomModalities": {"workstation": [WORKSTATION_AET, "127.0.0.1", 104]},
        "DefaultEncoding": "Utf8",
        "StorageDirectory": str(workdir / "storage"),
        "IndexDirectory": str(workdir / "index"),
        "SaveJobs": False,
        "Plugins": [],
        "HttpServerEnabled": True,
        "DicomScpTimeout": 30,
    }
    return json.dumps(config, indent=2)


@contextmanager
def running_orthanc(workdir: Path) -> Iterator[Orthanc]:
    """Start Orthanc in ``workdir``, wait until it listens, kill it after."""
    require_tools("Orthanc")
    workdir.mkdir(parents=True, exist_ok=True)
    dicom_port, http_port = free_port(), free_port()
    config_path = workdir / "orthanc.json"
    config_path.write_text(_orthanc_config(workdir, dicom_port, http_port))
    log_path = workdir / "orthanc.log"
    process = subprocess.Popen(
        ["Orthanc", f"--logfile={log_path}", str(config_path)],
        env=peer_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        server = Orthanc(process, dicom_port, http_port, log_path)

        def ready() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"Orthanc exited at start-up; see {log_path}")
            return listening(dicom_port) and listening(http_port)

        wait_until(ready, what="Orthanc to listen")
        yield server
    finally:
        kill(process)


@dataclass
class StoreScp:
    """A running DCMTK storescp writing every received instance to a folder."""

    process: subprocess.Popen[bytes]
    port: int
    output_dir: Path

    def clear(self) -> None:
        """Delete the files received so far."""
        for path in self.output_dir.iterdir():
            path.unlink()


@contextmanager
def running_storescp(output_dir: Path) -> Iterator[StoreScp]:
    """Start ``storescp -od output_dir`` on a free port; kill it after."""
    require_tools("storescp")
    output_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [
        "storescp",
        "-aet",
        STORESCP_AET,
        "-pdu",
        DCMTK_MAX_PDU,
        "-od",
        str(output_dir),
        str(port),
    ]
    process = subprocess.Popen(
        command,
        env=peer_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def ready() -> bool:
            if process.poll() is not None:
                raise RuntimeError(
                    f"storescp exited at start-up ({process.returncode})"
                )
            return listening(port)

        wait_until(ready, what="storescp to listen")
        yield StoreScp(process, port, output_dir)
    finally:
        kill(process)


def run_tool(command: Sequence[str]) -> float:
    """Run a DCMTK tool with TCP_NODELAY=1 and return its wall-clock seconds.

    Raises
    ------
    RuntimeError
        If the tool exits with a non-zero status.
    """
    start = time.perf_counter()
    completed = subprocess.run(
        list(command), env=peer_environment(), capture_output=True, check=False
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        output = completed.stderr.decode(errors="replace")[-500:]
        raise RuntimeError(
            f"{command[0]} exited with {completed.returncode}: {output.strip()}"
        )
    return elapsed
