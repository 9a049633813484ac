"""Failed logins for names without an account look like those for an account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from security_fixtures import ADMIN, ADMIN_PASSWORD, Clock

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import AuthenticationError
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security import users as users_module
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import (
    AccountLockedError,
    SecurityPolicy,
    UserStore,
)

UNKNOWN = "nosuchuser"
WRONG = "not-the-password-1"
NEW_PASSWORD = "copper-meadow-signal-58"


def _outcome(users: UserStore, name: str, password: str = WRONG) -> str:
    try:
        users.authenticate(name, password)
    except AuthenticationError as exc:
        return type(exc).__name__
    return "logged in"


def _fail(users: UserStore, name: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationError):
            users.authenticate(name, WRONG)


def _locked_error(users: UserStore, name: str) -> AccountLockedError:
    with pytest.raises(AccountLockedError) as locked:
        users.authenticate(name, WRONG)
    return locked.value


def _unknown_rows(database: Database) -> list[str]:
    rows = database.connection().execute(
        "SELECT name FROM login_failures ORDER BY name"
    )
    return [str(row[0]) for row in rows]


@pytest.mark.parametrize("name", [ADMIN, UNKNOWN])
def test_seven_failures_same_outcomes(admin_users: UserStore, name: str) -> None:
    outcomes = [_outcome(admin_users, name) for _ in range(7)]
    assert outcomes == ["AuthenticationError"] * 4 + ["AccountLockedError"] * 3


def test_lock_messages_match(admin_users: UserStore) -> None:
    _fail(admin_users, ADMIN, 5)
    _fail(admin_users, UNKNOWN, 5)

    account = _locked_error(admin_users, ADMIN)
    unknown = _locked_error(admin_users, UNKNOWN)
    account_text = str(account).replace(repr(ADMIN), "'NAME'")
    assert account_text == str(unknown).replace(repr(UNKNOWN), "'NAME'")
    assert account.locked_until == unknown.locked_until


def test_lock_message_uses_typed_name(admin_users: UserStore) -> None:
    _fail(admin_users, ADMIN, 5)
    assert repr(ADMIN.upper()) in str(_locked_error(admin_users, ADMIN.upper()))


def test_unknown_lock_survives_restart(
    admin_users: UserStore, reopen: Callable[[], UserStore]
) -> None:
    _fail(admin_users, UNKNOWN, 5)
    reopened = reopen()
    assert _outcome(reopened, UNKNOWN) == "AccountLockedError"


def test_unknown_count_survives_restart(
    admin_users: UserStore, reopen: Callable[[], UserStore]
) -> None:
    _fail(admin_users, UNKNOWN, 4)
    reopened = reopen()
    assert _outcome(reopened, UNKNOWN) == "AccountLockedError"


def test_unknown_lock_ignores_case(admin_users: UserStore) -> None:
    _fail(admin_users, UNKNOWN, 5)
    assert _outcome(admin_users, UNKNOWN.upper()) == "AccountLockedError"


@pytest.mark.parametrize("name", [ADMIN, UNKNOWN])
def test_lock_ends_after_duration(
    admin_users: UserStore, clock: Clock, name: str
) -> None:
    _fail(admin_users, name, 5)
    clock.advance(timedelta(minutes=15))
    assert _outcome(admin_users, name) == "AuthenticationError"


@pytest.mark.parametrize("name", [ADMIN, UNKNOWN])
def test_run_ends_after_duration(
    admin_users: UserStore, clock: Clock, name: str
) -> None:
    _fail(admin_users, name, 4)
    clock.advance(timedelta(minutes=15))
    assert _outcome(admin_users, name) == "AuthenticationError"


@pytest.mark.parametrize("name", [ADMIN, UNKNOWN])
def test_run_continues_within_duration(
    admin_users: UserStore, clock: Clock, name: str
) -> None:
    _fail(admin_users, name, 4)
    clock.advance(timedelta(minutes=14, seconds=59))
    assert _outcome(admin_users, name) == "AccountLockedError"


@pytest.mark.parametrize("policy", [SecurityPolicy(lockout_duration=None)])
@pytest.mark.parametrize("name", [ADMIN, UNKNOWN])
def test_lock_without_end(admin_users: UserStore, clock: Clock, name: str) -> None:
    _fail(admin_users, name, 5)
    clock.advance(timedelta(days=30))
    assert "administrator" in str(_locked_error(admin_users, name))


@pytest.mark.parametrize("name", [ADMIN, UNKNOWN])
def test_locked_name_costs_no_verification(
    admin_users: UserStore, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    _fail(admin_users, name, 5)
    verifications: list[str] = []
    monkeypatch.setattr(
        users_module,
        "spend_verification_time",
        lambda hasher, password: verifications.append(password),
    )
    monkeypatch.setattr(
        users_module,
        "password_matches",
        lambda hasher, encoded, password: verifications.append(password),
    )
    assert _outcome(admin_users, name) == "AccountLockedError"
    assert verifications == []


def test_unknown_name_verified_once(
    admin_users: UserStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifications: list[str] = []
    monkeypatch.setattr(
        users_module,
        "spend_verification_time",
        lambda hasher, password: verifications.append(password),
    )
    _fail(admin_users, UNKNOWN, 1)
    assert verifications == [WRONG]


def test_audit_names_unknown_name(admin_users: UserStore, audit: AuditTrail) -> None:
    _fail(admin_users, UNKNOWN, 5)
    failed, locked = audit.records()[-2:]
    assert (failed.event, failed.user) == (events.LOGIN_FAILED, UNKNOWN)
    assert "unknown user name" in failed.detail
    assert (locked.event, locked.target_user) == (events.ACCOUNT_LOCKED, UNKNOWN)


def test_audit_locked_unknown_attempt(
    admin_users: UserStore, audit: AuditTrail
) -> None:
    _fail(admin_users, UNKNOWN, 6)
    last = audit.records()[-1]
    assert (last.event, last.user) == (events.LOGIN_FAILED, UNKNOWN)


def test_ended_runs_deleted(
    admin_users: UserStore, clock: Clock, database: Database
) -> None:
    _fail(admin_users, "first-name", 5)
    clock.advance(timedelta(minutes=15))
    _fail(admin_users, "second-name", 1)
    assert _unknown_rows(database) == ["second-name"]


def test_table_bounded(
    admin_users: UserStore,
    clock: Clock,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(users_module, "MAX_UNKNOWN_NAME_ROWS", 3)
    for name in ("name-a", "name-b", "name-c", "name-d"):
        _fail(admin_users, name, 1)
        clock.advance(timedelta(seconds=1))
    assert _unknown_rows(database) == ["name-b", "name-c", "name-d"]


def test_new_account_starts_clean(admin_users: UserStore) -> None:
    _fail(admin_users, "newuser", 4)
    admin_users.create_user("newuser", NEW_PASSWORD, Role.RADIOLOGIST, actor="ops")
    _fail(admin_users, "newuser", 1)
    assert _outcome(admin_users, "newuser", NEW_PASSWORD) == "logged in"


def test_account_unlock_still_works(admin_users: UserStore) -> None:
    _fail(admin_users, ADMIN, 5)
    admin_users.unlock(ADMIN, actor="ops")
    assert _outcome(admin_users, ADMIN, ADMIN_PASSWORD) == "logged in"
