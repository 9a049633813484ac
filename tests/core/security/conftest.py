"""Fixtures of the security tests: a database file, a settable clock, fast hashes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from security_fixtures import ADMIN, ADMIN_PASSWORD, Clock

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.passwords import new_hasher
from pacs_desktop.core.security.users import SecurityPolicy, UserStore


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hasher() -> PasswordHasher:
    # argon2id with small costs: the type is what the tests check, not the cost.
    return new_hasher(time_cost=1, memory_cost_kib=1024, parallelism=1)


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.sqlite"


@pytest.fixture
def database(database_path: Path) -> Iterator[Database]:
    database = Database(database_path)
    yield database
    database.close()


@pytest.fixture
def audit(database: Database, clock: Clock) -> AuditTrail:
    return AuditTrail(database, clock=clock)


@pytest.fixture
def policy() -> SecurityPolicy:
    return SecurityPolicy()


@pytest.fixture
def users(
    database: Database,
    audit: AuditTrail,
    hasher: PasswordHasher,
    clock: Clock,
    policy: SecurityPolicy,
) -> UserStore:
    return UserStore(database, audit, policy=policy, hasher=hasher, clock=clock)


@pytest.fixture
def admin_users(users: UserStore) -> UserStore:
    """A store whose first administrator exists."""
    users.create_first_administrator(ADMIN, ADMIN_PASSWORD)
    return users


@pytest.fixture
def reopen(
    database: Database,
    database_path: Path,
    hasher: PasswordHasher,
    clock: Clock,
    policy: SecurityPolicy,
) -> Iterator[Callable[[], UserStore]]:
    """Return a function that closes the database and opens it anew (a restart)."""
    opened: list[Database] = []

    def restart() -> UserStore:
        database.close()
        fresh = Database(database_path)
        opened.append(fresh)
        audit = AuditTrail(fresh, clock=clock)
        return UserStore(fresh, audit, policy=policy, hasher=hasher, clock=clock)

    yield restart
    for fresh in opened:
        fresh.close()
