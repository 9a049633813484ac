"""C-ECHO against Orthanc: success and failures in plain words."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time

import pytest

from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.echo import echo
from pacs_desktop.core.net.errors import (
    AssociationAbortedError,
    AssociationRejectedError,
    ConnectionFailedError,
    NetworkTimeoutError,
)
from pacs_desktop.core.net.nodes import Node
from tests.net.conftest import OrthancServer, free_port


def test_echo_succeeds(orthanc: OrthancServer, local_entity: LocalEntity) -> None:
    assert echo(orthanc.node, local_entity) < 5.0


def test_echo_closed_port_refused(local_entity: LocalEntity) -> None:
    node = Node(name="nobody", ae_title="NOBODY", host="127.0.0.1", port=free_port())
    with pytest.raises(ConnectionFailedError, match="connection refused") as caught:
        echo(node, local_entity)
    assert caught.value.retryable


def test_echo_wrong_called_ae_rejected(
    orthanc: OrthancServer, local_entity: LocalEntity
) -> None:
    node = dataclasses.replace(orthanc.node, ae_title="NOT_ORTHANC")
    with pytest.raises(AssociationRejectedError) as caught:
        echo(node, local_entity)
    assert "association rejected, permanent, called AE title not recognised" in str(
        caught.value
    )
    assert not caught.value.retryable


def test_echo_silent_peer_times_out(local_entity: LocalEntity) -> None:
    # A listener that accepts the connection and never sends a byte.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        node = Node(name="silent", ae_title="SILENT", host="127.0.0.1", port=port)
        quick = dataclasses.replace(
            local_entity,
            timeouts=dataclasses.replace(local_entity.timeouts, acse=1.0, connect=1.0),
        )
        with pytest.raises(NetworkTimeoutError) as caught:
            echo(node, quick)
    assert caught.value.retryable


def _trickle(listener: socket.socket, stop: threading.Event, length: int) -> None:
    """Accept one connection, send an A-ASSOCIATE-AC header, then trickle."""
    connection, _ = listener.accept()
    with connection:
        connection.recv(65536)
        # PDU type 0x02 (A-ASSOCIATE-AC), then the declared length.
        connection.sendall(bytes([0x02, 0x00]) + length.to_bytes(4, "big"))
        while not stop.wait(0.1):
            try:
                connection.sendall(b"\x00")
            except OSError:
                return


@pytest.mark.parametrize(
    ("length", "expected_error", "message"),
    [
        # Within the PDU limit: the watchdog ends the stalled negotiation.
        (60_000, NetworkTimeoutError, "stalled"),
        # 2 GiB - 1: rejected from the header, before any body is read.
        (0x7FFF_FFFF, AssociationAbortedError, "more than the 1048576 accepted"),
    ],
)
def test_trickling_peer_aborted(
    local_entity: LocalEntity,
    length: int,
    expected_error: type[Exception],
    message: str,
) -> None:
    quick = dataclasses.replace(
        local_entity,
        timeouts=dataclasses.replace(local_entity.timeouts, acse=1.0, connect=1.0),
    )
    stop = threading.Event()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        peer = threading.Thread(
            target=_trickle, args=(listener, stop, length), daemon=True
        )
        peer.start()
        node = Node(name="trickle", ae_title="TRICKLE", host="127.0.0.1", port=port)
        started = time.monotonic()
        try:
            with pytest.raises(expected_error, match=message):
                echo(node, quick)
        finally:
            stop.set()
            peer.join()
    # connect + ACSE timeouts + the watchdog's 2 s of grace, plus slack.
    assert time.monotonic() - started < 8.0
