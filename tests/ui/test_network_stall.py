"""The GUI thread stays responsive while a retrieve waits on a stalled PACS.

The PACS is a loopback socket that completes the TCP handshake (the kernel's
listen backlog) and never responds to the A-ASSOCIATE-RQ, so the job ends on the
ACSE timeout and the watchdog.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import JobState, SyncJob
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.network.service import NetworkService

# The maximum gap between two 20 ms timer ticks that counts as responsive.
MAX_GAP_SECONDS = 0.2


@pytest.fixture
def silent_peer() -> Iterator[int]:
    """Listen on loopback and never accept, so nothing is ever sent back."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


@pytest.fixture
def service(workstation: Workstation, silent_peer: int) -> Iterator[NetworkService]:
    settings = Settings(workstation.data_dir)
    settings.set("network.acse_timeout", 2.0)
    NodeStore(workstation.database).add(
        Node("stalled", "STALLED", "127.0.0.1", silent_peer)
    )
    network = NetworkService(workstation, settings)
    yield network
    network.shutdown()


def test_stalled_retrieve_keeps_gui_free(qtbot: QtBot, service: NetworkService) -> None:
    gaps: list[float] = []
    last: list[float] = []

    def tick() -> None:
        # Gaps are measured between ticks only; the first tick starts the
        # clock, so the test's own set-up before it is not counted.
        now = time.monotonic()
        if last:
            gaps.append(now - last[0])
        last[:] = [now]

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    started = time.monotonic()
    with qtbot.waitSignal(service.sig_job_finished, timeout=20_000) as blocker:
        # Queued from the event loop while the heartbeat runs, so the time
        # the call takes on the GUI thread falls between two ticks.
        QTimer.singleShot(100, lambda: service.enqueue_retrieve("stalled", "1.2.3"))
    timer.stop()
    job: SyncJob = blocker.args[0]

    assert time.monotonic() - started >= 2.0
    assert job.state == JobState.PENDING
    assert "timed out" in job.last_error, job.last_error
    assert len(gaps) > 50
    assert max(gaps) < MAX_GAP_SECONDS, f"GUI thread blocked for {max(gaps):.3f} s"
