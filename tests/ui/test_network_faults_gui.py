"""Network faults through the GUI's sync queue, with the GUI thread measured.

Each test queues a send or a retrieve through `NetworkService`, the service the
main window uses with its `QueueRunner` thread, and makes the peer fail. The job
must then wait for a retry, or fail with a clear error. After a healthy peer
returns, the queue must drain with every instance received once. A 20 ms
`QTimer` on the GUI thread records the maximum gap between its ticks while the
event loop waits for the jobs.

The peers are DCMTK's storescp with its fault options, an Orthanc killed
mid-transfer and restarted, and pynetdicom's test peer (parrot) sending a
malformed or a stalled PDU. They bind every interface, so these tests run only
inside a loopback-only network namespace (PACS_TEST_NETNS=1); see
tests/net/conftest.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pydicom
import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.queue import BACKOFF_SECONDS, JobState, SyncJob
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.network.queue_runner import JobProgressReport
from pacs_desktop.ui.network.service import NetworkService
from tests.net.conftest import (
    _WORKSTATION_SCP_PORT,
    WORKSTATION_AET,
    OrthancServer,
    StoreScp,
    free_port,
    require_isolated_network,
    start_orthanc,
    stop_process,
    storescp_factory,  # noqa: F401 (a fixture)
)
from tests.net.test_stalled_peers import (
    FAULT_SCRIPTS,
    parrot_factory,  # noqa: F401 (a fixture)
)
from tests.ui.test_network_gui import upload_folder, write_large_series, write_study
from tests.ui.test_network_stall import MAX_GAP_SECONDS

# Seconds of every ACSE, DIMSE and network timeout, so that a stalled peer
# costs a few seconds.
FAULT_TIMEOUT = 2.0
# Instances (512 KiB each) of the series that Orthanc receives or serves. With
# this many, a kill at the first progress report lands mid-transfer.
KILLED_SERIES_SIZE = 60
# Milliseconds to wait for one attempt of a job. The runner polls every 2 s,
# and a fault ends within the timeouts plus the watchdog's grace.
ATTEMPT_TIMEOUT_MS = 30_000


class Heartbeat:
    """A 20 ms timer on the GUI thread that records the maximum tick gap.

    Gaps count from `start` to `stop`, the time from the last tick to
    `stop` included. The test's own blocking steps (starting a server)
    between a `stop` and the next `start` are not counted.
    """

    def __init__(self) -> None:
        self.max_gap = 0.0
        self.ticks = 0
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._record_gap()

    def _tick(self) -> None:
        self.ticks += 1
        self._record_gap()

    def _record_gap(self) -> None:
        now = time.monotonic()
        self.max_gap = max(self.max_gap, now - self._last)
        self._last = now


class OffsetClock:
    """The wall clock plus an offset in seconds, so a test can skip a backoff."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class GuiQueue:
    """The GUI's network service and a heartbeat on the GUI thread.

    The service has 2 s timeouts and a clock the test moves past a backoff.
    """

    def __init__(self, qtbot: QtBot, workstation: Workstation) -> None:
        self.qtbot = qtbot
        self.workstation = workstation
        self.heartbeat = Heartbeat()
        settings = Settings(workstation.data_dir)
        settings.set("network.ae_title", WORKSTATION_AET)
        settings.set("network.scp_port", _WORKSTATION_SCP_PORT)
        settings.set("network.acse_timeout", FAULT_TIMEOUT)
        settings.set("network.dimse_timeout", FAULT_TIMEOUT)
        settings.set("network.network_timeout", FAULT_TIMEOUT)
        self.clock = OffsetClock()
        self.service = NetworkService(workstation, settings)
        self.service.queue.clock = self.clock

    def start(self, node: Node) -> None:
        """Add the PACS node, then start the service as the main window does."""
        self.service.node_store.add(node)
        self.service.start()

    def run_first_attempt(self, enqueue: Callable[[], None]) -> SyncJob:
        """Queue a job through ``enqueue`` and wait for its first attempt to end."""
        self.heartbeat.start()
        enqueue()
        job = self.wait_for_attempt()
        self.heartbeat.stop()
        return job

    def drain_after_return(self, job: SyncJob) -> SyncJob:
        """Let the job's next attempt run against the returned peer; return it.

        A job waiting for a retry becomes due by moving the queue's clock past
        its backoff, and the runner's poll starts it. A failed job is retried
        by hand, as with the sync panel's Retry.
        """
        self.heartbeat.start()
        if job.state == JobState.PENDING:
            self.clock.offset += BACKOFF_SECONDS[0]
        else:
            self.service.retry_job(job.id)
        drained = self.wait_for_attempt(job.id)
        self.heartbeat.stop()
        return drained

    def wait_for_attempt(self, job_id: int | None = None) -> SyncJob:
        """Wait until a job (``job_id``, or any) ends an attempt; return it."""

        def ended(job: SyncJob) -> bool:
            return job.state != JobState.RUNNING and job_id in (None, job.id)

        with self.qtbot.waitSignal(
            self.service.sig_job_finished,
            timeout=ATTEMPT_TIMEOUT_MS,
            check_params_cb=ended,
        ) as blocker:
            pass
        job: SyncJob = blocker.args[0]
        return job

    def assert_waits_for_retry(self, job: SyncJob) -> None:
        assert job.state == JobState.PENDING, job.last_error
        assert job.attempts == 1
        assert job.next_attempt > self.clock()

    def assert_gui_thread_free(self) -> None:
        assert self.heartbeat.ticks > 0
        assert self.heartbeat.max_gap < MAX_GAP_SECONDS, (
            f"GUI thread blocked for {self.heartbeat.max_gap:.3f} s"
        )


@pytest.fixture
def gui(qtbot: QtBot, workstation: Workstation) -> Iterator[GuiQueue]:
    require_isolated_network()
    queue = GuiQueue(qtbot, workstation)
    yield queue
    queue.service.shutdown()


def sop_instance_uids(paths: Sequence[Path]) -> list[str]:
    """Return the SOP Instance UID of each file, sorted, duplicates kept."""
    return sorted(
        str(pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID)
        for path in paths
    )


def archived_uids(archive: Archive, study_uid: str) -> list[str]:
    """Return the archive's SOP Instance UIDs of a study, sorted, duplicates kept."""
    return sorted(
        instance.SOPInstanceUID
        for series in archive.series_for_study(study_uid)
        for instance in archive.instances_for_series(series.SeriesInstanceUID)
    )


def write_sent_study(workstation: Workstation, folder: Path) -> tuple[str, list[str]]:
    """Import a generated study; return its UID and its SOP Instance UIDs."""
    study_uid = write_study(folder, 0)
    workstation.archive.import_paths([folder])
    return study_uid, sop_instance_uids(sorted(folder.glob("*.dcm")))


def return_healthy_storescp(
    faulty: StoreScp, factory: Callable[..., StoreScp], tmp_path: Path
) -> StoreScp:
    """Replace a faulty storescp with a healthy one on the same port.

    The files the faulty peer wrote are moved aside, so the output folder
    contains the healthy peer's files alone. Unique file names keep an instance that
    arrives twice as two files.
    """
    stop_process(faulty.process)
    faulty.output_dir.rename(tmp_path / "faulty-output")
    port = faulty.node.port
    return factory(port, "--unique-filenames", node=faulty.node)


# storescp option and a fragment of the job's error after the fault.
STORESCP_FAULTS = [
    ("--abort-during", "no C-STORE response"),
    ("--abort-after", "no C-STORE response"),
    ("--sleep-during", f"no response within {FAULT_TIMEOUT:.0f} s"),
]


@pytest.mark.parametrize(
    ("option", "error_fragment"),
    STORESCP_FAULTS,
    ids=[fault[0].removeprefix("--") for fault in STORESCP_FAULTS],
)
def test_storescp_fault_then_send_drains(
    gui: GuiQueue,
    storescp_factory: Callable[..., StoreScp],  # noqa: F811
    tmp_path: Path,
    option: str,
    error_fragment: str,
) -> None:
    study_uid, expected = write_sent_study(gui.workstation, tmp_path / "study")
    fault_options = [option, "30"] if option == "--sleep-during" else [option]
    faulty = storescp_factory(free_port(), *fault_options)
    gui.start(faulty.node)

    first = gui.run_first_attempt(
        lambda: gui.service.enqueue_send(faulty.node.name, [study_uid])
    )
    gui.assert_waits_for_retry(first)
    assert error_fragment in first.last_error

    healthy = return_healthy_storescp(faulty, storescp_factory, tmp_path)
    drained = gui.drain_after_return(first)

    assert drained.state == JobState.DONE, drained.last_error
    assert sop_instance_uids(sorted(healthy.output_dir.iterdir())) == expected
    gui.assert_gui_thread_free()


def test_storescp_refuse_then_send_drains(
    gui: GuiQueue,
    storescp_factory: Callable[..., StoreScp],  # noqa: F811
    tmp_path: Path,
) -> None:
    study_uid, expected = write_sent_study(gui.workstation, tmp_path / "study")
    faulty = storescp_factory(free_port(), "--refuse")
    gui.start(faulty.node)

    first = gui.run_first_attempt(
        lambda: gui.service.enqueue_send(faulty.node.name, [study_uid])
    )
    # storescp --refuse sends a permanent A-ASSOCIATE-RJ and closes at once.
    # NOTE: pynetdicom 3.0.4 sometimes handles the close before the RJ and
    # reports an abort (2 of 30 plain AE.associate calls to DCMTK 3.6.7's
    # storescp on loopback), so the job then waits for a retry.
    if first.state == JobState.FAILED:
        assert "association rejected, permanent" in first.last_error
    else:
        gui.assert_waits_for_retry(first)
        assert "aborted the association request" in first.last_error
    assert not list(faulty.output_dir.iterdir())

    healthy = return_healthy_storescp(faulty, storescp_factory, tmp_path)
    drained = gui.drain_after_return(first)

    assert drained.state == JobState.DONE, drained.last_error
    assert sop_instance_uids(sorted(healthy.output_dir.iterdir())) == expected
    gui.assert_gui_thread_free()


@pytest.fixture(scope="module")
def killable_orthanc(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[OrthancServer]]:
    """One Orthanc for this file, in a list whose last item is the running process.

    A test kills it and starts it again on the same ports and storage.
    """
    require_isolated_network()
    workdir = tmp_path_factory.mktemp("orthanc")
    servers = [start_orthanc(workdir, free_port(), free_port())]
    yield servers
    stop_process(servers[-1].process)


@pytest.fixture
def orthanc(killable_orthanc: list[OrthancServer]) -> OrthancServer:
    """The file's Orthanc, running and empty."""
    server = killable_orthanc[-1]
    if server.process.poll() is not None:
        pytest.fail(f"Orthanc died; see {server.log_path}")
    server.clear()
    return server


@pytest.fixture(scope="module")
def killed_series(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder with a generated CT series, and its Study Instance UID."""
    folder = tmp_path_factory.mktemp("killed-series")
    return folder, write_large_series(folder, KILLED_SERIES_SIZE)


def kill_at_first_progress(
    service: NetworkService, orthanc: OrthancServer
) -> list[JobProgressReport]:
    """Kill Orthanc when the first progress report reaches the GUI thread.

    Returns the reports seen, the one that triggered the kill first.
    """
    reports: list[JobProgressReport] = []

    def on_progress(report: JobProgressReport) -> None:
        reports.append(report)
        if orthanc.process.poll() is None:
            orthanc.process.kill()

    service.sig_job_progress.connect(on_progress)
    return reports


def restart_orthanc(servers: list[OrthancServer]) -> OrthancServer:
    """Start Orthanc again on the killed one's ports and storage."""
    old = servers[-1]
    old.process.wait()
    server = start_orthanc(old.workdir, old.node.port, old.http_port)
    servers.append(server)
    return server


def orthanc_instance_uids(orthanc: OrthancServer) -> list[str]:
    """Return the SOP Instance UIDs Orthanc stores, sorted, duplicates kept."""
    instances = orthanc.rest("GET", "/instances?expand")
    assert isinstance(instances, list)
    return sorted(item["MainDicomTags"]["SOPInstanceUID"] for item in instances)


def test_orthanc_killed_mid_send_then_drains(
    gui: GuiQueue,
    killable_orthanc: list[OrthancServer],
    orthanc: OrthancServer,
    killed_series: tuple[Path, str],
) -> None:
    folder, study_uid = killed_series
    expected = sop_instance_uids(sorted(folder.glob("*.dcm")))
    gui.workstation.archive.import_paths([folder])
    gui.start(orthanc.node)
    reports = kill_at_first_progress(gui.service, orthanc)

    first = gui.run_first_attempt(
        lambda: gui.service.enqueue_send(orthanc.node.name, [study_uid])
    )
    assert reports
    assert first.done_count < KILLED_SERIES_SIZE
    gui.assert_waits_for_retry(first)
    assert "connection was lost" in first.last_error

    restarted = restart_orthanc(killable_orthanc)
    assert restarted.instance_count() < KILLED_SERIES_SIZE
    drained = gui.drain_after_return(first)

    assert drained.state == JobState.DONE, drained.last_error
    assert orthanc_instance_uids(restarted) == expected
    gui.assert_gui_thread_free()


def test_orthanc_killed_mid_retrieve_then_drains(
    gui: GuiQueue,
    killable_orthanc: list[OrthancServer],
    orthanc: OrthancServer,
    killed_series: tuple[Path, str],
) -> None:
    folder, study_uid = killed_series
    expected = sop_instance_uids(sorted(folder.glob("*.dcm")))
    upload_folder(orthanc, folder)
    gui.start(replace(orthanc.node, retrieve="get"))
    reports = kill_at_first_progress(gui.service, orthanc)

    first = gui.run_first_attempt(
        lambda: gui.service.enqueue_retrieve(orthanc.node.name, study_uid)
    )
    assert reports
    assert first.done_count < KILLED_SERIES_SIZE
    gui.assert_waits_for_retry(first)
    assert "connection was lost" in first.last_error
    archive = gui.workstation.archive
    assert len(archived_uids(archive, study_uid)) < KILLED_SERIES_SIZE

    restart_orthanc(killable_orthanc)
    drained = gui.drain_after_return(first)

    assert drained.state == JobState.DONE, drained.last_error
    assert archived_uids(archive, study_uid) == expected
    assert archive.count_instances() == KILLED_SERIES_SIZE
    gui.assert_gui_thread_free()


# Scripts of pynetdicom's test peer, with a fragment of the job's error.
PARROT_FAULTS = {
    "malformed": (
        "malformed A-ASSOCIATE-AC",
        "aborted the association request or responded with an invalid PDU",
    ),
    "stalled": ("P-DATA-TF cut short", "sent 100 of 60000 bytes of a PDU"),
}


@pytest.mark.parametrize("fault", sorted(PARROT_FAULTS))
def test_parrot_fault_then_send_drains(
    gui: GuiQueue,
    parrot_factory: Callable[[Sequence[tuple[str, object]]], Node],  # noqa: F811
    storescp_factory: Callable[..., StoreScp],  # noqa: F811
    tmp_path: Path,
    fault: str,
) -> None:
    script, error_fragment = PARROT_FAULTS[fault]
    study_uid, expected = write_sent_study(gui.workstation, tmp_path / "study")
    faulty = parrot_factory(FAULT_SCRIPTS[script])
    gui.start(faulty)

    first = gui.run_first_attempt(
        lambda: gui.service.enqueue_send(faulty.name, [study_uid])
    )
    gui.assert_waits_for_retry(first)
    assert error_fragment in first.last_error

    # The test peer keeps its port until the test ends, so the healthy peer
    # listens on a new one and the node is changed to reach it.
    healthy = storescp_factory(free_port(), "--unique-filenames")
    gui.service.node_store.update(
        faulty.name,
        replace(faulty, ae_title=healthy.node.ae_title, port=healthy.node.port),
    )
    drained = gui.drain_after_return(first)

    assert drained.state == JobState.DONE, drained.last_error
    assert sop_instance_uids(sorted(healthy.output_dir.iterdir())) == expected
    gui.assert_gui_thread_free()
