"""The anchor of the audit trail's head: a keyed HMAC kept apart from the chain."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import KEYRING_SERVICE, AnchorKey, AuditTrail

RECORDS = 5


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps its secrets in a dictionary."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.secrets[(service, username)]


def _fill(trail: AuditTrail, count: int = RECORDS) -> None:
    for number in range(count):
        trail.record(events.LOGIN, user=f"reader{number}")


def _key_file(database: Database) -> Path:
    return AnchorKey.for_database(database).key_file


def _cut_end(database: Database, keep: int) -> None:
    conn = database.connection()
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (keep,))
    conn.execute(
        "UPDATE audit_head SET last_seq = ?, record_count = ?, "
        "last_hash = (SELECT hash FROM audit_log WHERE seq = ?)",
        (keep, keep, keep),
    )


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_intact_trail_anchored(database: Database) -> None:
    trail = AuditTrail(database)
    _fill(trail)
    result = trail.verify()
    assert result.ok, result.message
    assert result.anchored_since == 1


def test_key_file_private(database: Database) -> None:
    AuditTrail(database)
    assert stat.S_IMODE(_key_file(database).stat().st_mode) == 0o600


def test_key_not_in_database(database: Database) -> None:
    AuditTrail(database)
    key = _key_file(database).read_text(encoding="ascii").strip()
    assert key.encode("ascii") not in database.path.read_bytes()


def test_cut_end_found(database: Database) -> None:
    trail = AuditTrail(database)
    _fill(trail)
    _cut_end(database, RECORDS - 2)
    result = trail.verify()
    assert result.problem == "cut"
    assert "the end of the trail was cut: the head was rewritten" in result.message


def test_cut_end_found_after_restart(database_path: Path) -> None:
    first = Database(database_path)
    _fill(AuditTrail(first))
    _cut_end(first, RECORDS - 2)
    first.close()

    second = Database(database_path)
    try:
        assert AuditTrail(second).verify().problem == "cut"
    finally:
        second.close()


def test_append_does_not_hide_cut(database: Database) -> None:
    trail = AuditTrail(database)
    _fill(trail)
    _cut_end(database, RECORDS - 2)
    _fill(trail, 3)
    assert trail.verify().problem == "cut"


def test_forged_anchor_found(database: Database) -> None:
    trail = AuditTrail(database)
    _fill(trail)
    _cut_end(database, RECORDS - 2)
    database.connection().execute(
        "UPDATE audit_anchor SET anchored_seq = ?, anchored_hash = "
        "(SELECT hash FROM audit_log WHERE seq = ?)",
        (RECORDS - 2, RECORDS - 2),
    )
    assert trail.verify().problem == "cut"


def test_existing_trail_gets_anchor(database: Database) -> None:
    _fill(AuditTrail(database))
    database.connection().execute("DELETE FROM audit_anchor")
    _key_file(database).unlink()

    trail = AuditTrail(database)
    result = trail.verify()
    assert result.ok, result.message
    assert result.anchored_since == RECORDS + 1
    assert trail.records()[-1].event == events.SETTINGS_CHANGED


def test_new_trail_anchor_not_audited(database: Database) -> None:
    assert AuditTrail(database).records() == []


def test_deleted_anchor_reported(database: Database) -> None:
    _fill(AuditTrail(database))
    database.connection().execute("DELETE FROM audit_anchor")

    result = AuditTrail(database).verify()
    assert result.problem == "anchor-replaced"
    assert f"before record {RECORDS + 1}" in result.message


def test_missing_key_reported(database: Database) -> None:
    trail = AuditTrail(database)
    _fill(trail)
    _key_file(database).unlink()
    assert AuditTrail(database).verify().problem == "anchor-key-missing"


def test_appends_without_key_noted(database: Database, tmp_path: Path) -> None:
    trail = AuditTrail(database)
    _fill(trail, 2)
    keyless = AuditTrail(
        database, anchor_key=AnchorKey(tmp_path / "absent.key", keyring_user=None)
    )
    _fill(keyless, 2)

    result = trail.verify()
    assert result.ok, result.message
    assert "records 3 to 4 were written without the anchor key" in result.message


def _keyring_anchor(database: Database) -> AnchorKey:
    return AnchorKey(_key_file(database), keyring_user=str(database.path.resolve()))


def test_key_kept_in_keyring(database: Database, memory_keyring: MemoryKeyring) -> None:
    trail = AuditTrail(database, anchor_key=_keyring_anchor(database))
    _fill(trail)
    assert not _key_file(database).exists()
    assert (KEYRING_SERVICE, str(database.path.resolve())) in memory_keyring.secrets
    assert trail.verify().ok


def test_keyring_key_checks_cut(
    database: Database, memory_keyring: MemoryKeyring
) -> None:
    trail = AuditTrail(database, anchor_key=_keyring_anchor(database))
    _fill(trail)
    _cut_end(database, 1)
    assert trail.verify().problem == "cut"


def test_default_key_is_a_file_beside_the_database(
    database: Database, memory_keyring: MemoryKeyring
) -> None:
    trail = AuditTrail(database)
    _fill(trail)
    assert _key_file(database).exists()
    assert memory_keyring.secrets == {}
