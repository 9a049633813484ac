"""Removing a node touches the keyring only for a secret it may hold."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as NoBackend

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.net.nodes import Node, NodeStore


@pytest.fixture
def no_keyring_backend() -> Iterator[None]:
    """The keyring as it is on a system with no backend installed."""
    previous: KeyringBackend = keyring.get_keyring()
    keyring.set_keyring(NoBackend())
    yield
    keyring.set_keyring(previous)


def test_remove_without_secret_is_quiet(
    tmp_path: Path, no_keyring_backend: None, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(tmp_path / "archive.sqlite")
    nodes = NodeStore(database)
    nodes.add(Node("bad", "BAD_PACS", "127.0.0.1", 11112))
    caplog.set_level(logging.WARNING)

    nodes.remove("bad")

    database.close()
    assert caplog.records == []
