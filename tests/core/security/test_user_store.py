"""Accounts, login, lockout, and account changes on a real database file."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from security_fixtures import ADMIN, ADMIN_PASSWORD, Clock

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import AccessDeniedError, AuthenticationError
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security import users as users_module
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.passwords import PasswordPolicyError, new_hasher
from pacs_desktop.core.security.roles import Permission, Role
from pacs_desktop.core.security.users import (
    AccountDisabledError,
    AccountLockedError,
    SecurityPolicy,
    UnknownUserError,
    UserExistsError,
    UserManagementError,
    UserStore,
)

PASSWORD = "amber-lantern-river-42"
OS_USER = "ops-account"


def _event_names(audit: AuditTrail) -> list[str]:
    return [record.event for record in audit.records()]


def _fail(users: UserStore, name: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationError):
            users.authenticate(name, "not-the-password-1")


# -- first start ---------------------------------------------------------------


def test_no_users_at_first_start(users: UserStore) -> None:
    assert not users.has_users()


def test_first_administrator_created(users: UserStore) -> None:
    user = users.create_first_administrator(ADMIN, ADMIN_PASSWORD)
    assert user.role is Role.ADMINISTRATOR
    assert users.has_users()


def test_first_administrator_only_once(admin_users: UserStore) -> None:
    with pytest.raises(AccessDeniedError, match="exists already"):
        admin_users.create_first_administrator("second", "another-long-secret-9")


def test_first_administrator_obeys_policy(users: UserStore) -> None:
    with pytest.raises(PasswordPolicyError):
        users.create_first_administrator(ADMIN, "admin")
    assert not users.has_users()


def test_stored_hash_is_argon2id(admin_users: UserStore, database: Database) -> None:
    (stored,) = database.connection().execute("SELECT password_hash FROM users")
    assert stored[0].startswith("$argon2id$v=19$")


def test_password_not_stored_or_audited(
    admin_users: UserStore, database_path: Path, database: Database
) -> None:
    admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    database.close()
    raw = b"".join(
        path.read_bytes() for path in database_path.parent.glob("archive.sqlite*")
    )
    assert ADMIN_PASSWORD.encode() not in raw


# -- login ---------------------------------------------------------------------


def test_login_returns_session(admin_users: UserStore, clock: Clock) -> None:
    session = admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    assert session.user.name == ADMIN
    assert session.started == clock.now
    assert session.may(Permission.MANAGE_USERS)


def test_login_ignores_name_case(admin_users: UserStore) -> None:
    assert admin_users.authenticate("ADMIN", ADMIN_PASSWORD).user.name == ADMIN


def test_login_audited(admin_users: UserStore, audit: AuditTrail) -> None:
    admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    assert _event_names(audit)[-1] == events.LOGIN


def test_unknown_user_and_wrong_password_look_alike(admin_users: UserStore) -> None:
    with pytest.raises(AuthenticationError) as unknown:
        admin_users.authenticate("nobody", ADMIN_PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:
        admin_users.authenticate(ADMIN, "not-the-password-1")
    assert str(unknown.value) == str(wrong.value)
    assert type(unknown.value) is type(wrong.value)


def test_unknown_user_spends_hash_time(
    admin_users: UserStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(
        users_module,
        "spend_verification_time",
        lambda hasher, password: calls.append(password),
    )
    with pytest.raises(AuthenticationError):
        admin_users.authenticate("nobody", "typed-password-1")
    assert calls == ["typed-password-1"]


def test_failed_login_audited(admin_users: UserStore, audit: AuditTrail) -> None:
    _fail(admin_users, ADMIN, 1)
    last = audit.records()[-1]
    assert last.event == events.LOGIN_FAILED
    assert last.outcome == "minor-failure"


def test_rehash_with_new_parameters(
    database: Database, audit: AuditTrail, hasher: PasswordHasher, clock: Clock
) -> None:
    old = UserStore(database, audit, hasher=hasher, clock=clock)
    old.create_first_administrator(ADMIN, ADMIN_PASSWORD)
    stronger = new_hasher(time_cost=2, memory_cost_kib=2048, parallelism=1)
    UserStore(database, audit, hasher=stronger, clock=clock).authenticate(
        ADMIN, ADMIN_PASSWORD
    )
    (stored,) = database.connection().execute("SELECT password_hash FROM users")
    assert "$m=2048,t=2,p=1$" in stored[0]


# -- lockout -------------------------------------------------------------------


def test_no_lock_before_limit(admin_users: UserStore) -> None:
    _fail(admin_users, ADMIN, 4)
    assert admin_users.authenticate(ADMIN, ADMIN_PASSWORD).user.name == ADMIN


def test_lock_at_exactly_limit(admin_users: UserStore) -> None:
    _fail(admin_users, ADMIN, 4)
    with pytest.raises(AccountLockedError):
        admin_users.authenticate(ADMIN, "not-the-password-1")
    with pytest.raises(AccountLockedError, match="locked"):
        admin_users.authenticate(ADMIN, ADMIN_PASSWORD)


def test_success_resets_failure_count(admin_users: UserStore) -> None:
    _fail(admin_users, ADMIN, 4)
    admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    _fail(admin_users, ADMIN, 4)
    assert admin_users.authenticate(ADMIN, ADMIN_PASSWORD).user.name == ADMIN


@pytest.mark.parametrize("policy", [SecurityPolicy(max_failed_logins=3)])
def test_lock_limit_configurable(admin_users: UserStore) -> None:
    _fail(admin_users, ADMIN, 2)
    with pytest.raises(AccountLockedError):
        admin_users.authenticate(ADMIN, "not-the-password-1")


def test_lock_survives_restart(
    admin_users: UserStore, reopen: Callable[[], UserStore]
) -> None:
    _fail(admin_users, ADMIN, 5)
    reopened = reopen()
    with pytest.raises(AccountLockedError):
        reopened.authenticate(ADMIN, ADMIN_PASSWORD)


def test_failure_count_survives_restart(
    admin_users: UserStore, reopen: Callable[[], UserStore]
) -> None:
    _fail(admin_users, ADMIN, 3)
    reopened = reopen()
    _fail(reopened, ADMIN, 1)
    with pytest.raises(AccountLockedError):
        reopened.authenticate(ADMIN, "not-the-password-1")


def test_concurrent_failures_counted_once(
    admin_users: UserStore, database: Database
) -> None:
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            admin_users.authenticate(ADMIN, "not-the-password-1")
        except AuthenticationError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    (count,) = database.connection().execute("SELECT failed_logins FROM users")
    assert count[0] == 5
    assert len(outcomes) == 8
    assert outcomes.count("AccountLockedError") >= 4


def test_lock_expires(admin_users: UserStore, clock: Clock) -> None:
    _fail(admin_users, ADMIN, 5)
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(AccountLockedError):
        admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    clock.advance(timedelta(seconds=1))
    assert admin_users.authenticate(ADMIN, ADMIN_PASSWORD).user.name == ADMIN


def test_expired_lock_starts_new_count(admin_users: UserStore, clock: Clock) -> None:
    _fail(admin_users, ADMIN, 5)
    clock.advance(timedelta(minutes=15))
    _fail(admin_users, ADMIN, 4)
    assert admin_users.authenticate(ADMIN, ADMIN_PASSWORD).user.name == ADMIN


def test_lock_reports_end_time(admin_users: UserStore, clock: Clock) -> None:
    _fail(admin_users, ADMIN, 5)
    with pytest.raises(AccountLockedError) as locked:
        admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    assert locked.value.locked_until == clock.now + timedelta(minutes=15)


@pytest.mark.parametrize("policy", [SecurityPolicy(lockout_duration=None)])
def test_lock_until_unlocked(admin_users: UserStore, clock: Clock) -> None:
    _fail(admin_users, ADMIN, 5)
    clock.advance(timedelta(days=30))
    with pytest.raises(AccountLockedError, match="administrator"):
        admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    admin_users.unlock(ADMIN, actor=OS_USER)
    assert admin_users.authenticate(ADMIN, ADMIN_PASSWORD).user.name == ADMIN


def test_lock_audited(admin_users: UserStore, audit: AuditTrail) -> None:
    _fail(admin_users, ADMIN, 5)
    assert _event_names(audit)[-2:] == [events.LOGIN_FAILED, events.ACCOUNT_LOCKED]


def test_list_shows_lock(admin_users: UserStore) -> None:
    _fail(admin_users, ADMIN, 5)
    (user,) = admin_users.list_users()
    assert user.locked


def test_verify_password_counts_failures(admin_users: UserStore) -> None:
    for _ in range(5):
        assert not admin_users.verify_password(ADMIN, "not-the-password-1")
    assert not admin_users.verify_password(ADMIN, ADMIN_PASSWORD)


def test_verify_password_right(admin_users: UserStore) -> None:
    assert admin_users.verify_password(ADMIN, ADMIN_PASSWORD)


# -- disabled accounts -----------------------------------------------------------


def test_disabled_user_cannot_log_in(admin_users: UserStore) -> None:
    admin_users.create_user("tech", PASSWORD, Role.TECHNICIAN, actor=OS_USER)
    admin_users.set_disabled("tech", True, actor=OS_USER)
    with pytest.raises(AccountDisabledError, match="disabled"):
        admin_users.authenticate("tech", PASSWORD)


def test_disabled_user_wrong_password_generic(admin_users: UserStore) -> None:
    admin_users.create_user("tech", PASSWORD, Role.TECHNICIAN, actor=OS_USER)
    admin_users.set_disabled("tech", True, actor=OS_USER)
    with pytest.raises(AuthenticationError) as failed:
        admin_users.authenticate("tech", "not-the-password-1")
    assert not isinstance(failed.value, AccountDisabledError)


def test_enabled_again_can_log_in(admin_users: UserStore) -> None:
    admin_users.create_user("tech", PASSWORD, Role.TECHNICIAN, actor=OS_USER)
    admin_users.set_disabled("tech", True, actor=OS_USER)
    admin_users.set_disabled("tech", False, actor=OS_USER)
    assert admin_users.authenticate("tech", PASSWORD).user.role is Role.TECHNICIAN


def test_last_administrator_not_disabled(admin_users: UserStore) -> None:
    with pytest.raises(UserManagementError, match="only enabled administrator"):
        admin_users.set_disabled(ADMIN, True, actor=OS_USER)


def test_last_administrator_not_demoted(admin_users: UserStore) -> None:
    with pytest.raises(UserManagementError, match="only enabled administrator"):
        admin_users.set_role(ADMIN, Role.RADIOLOGIST, actor=OS_USER)


def test_administrator_demoted_when_another_exists(admin_users: UserStore) -> None:
    admin_users.create_user("root2", PASSWORD, Role.ADMINISTRATOR, actor=OS_USER)
    user = admin_users.set_role(ADMIN, Role.RADIOLOGIST, actor=OS_USER)
    assert user.role is Role.RADIOLOGIST


# -- account management ------------------------------------------------------------


def test_create_user_by_session(admin_users: UserStore) -> None:
    session = admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    user = admin_users.create_user("drwho", PASSWORD, Role.RADIOLOGIST, actor=session)
    assert user.role is Role.RADIOLOGIST


def test_create_user_audited_as_os_account(
    admin_users: UserStore, audit: AuditTrail
) -> None:
    admin_users.create_user("drwho", PASSWORD, Role.RADIOLOGIST, actor=OS_USER)
    last = audit.records()[-1]
    assert (last.event, last.user, last.os_account, last.target_user) == (
        events.USER_CREATED,
        OS_USER,
        True,
        "drwho",
    )


def test_create_user_by_session_audited_as_app_user(
    admin_users: UserStore, audit: AuditTrail
) -> None:
    session = admin_users.authenticate(ADMIN, ADMIN_PASSWORD)
    admin_users.create_user("drwho", PASSWORD, Role.RADIOLOGIST, actor=session)
    last = audit.records()[-1]
    assert (last.user, last.os_account) == (ADMIN, False)


def test_duplicate_user_rejected(admin_users: UserStore) -> None:
    admin_users.create_user("drwho", PASSWORD, Role.RADIOLOGIST, actor=OS_USER)
    with pytest.raises(UserExistsError, match="exists already"):
        admin_users.create_user("DrWho", PASSWORD, Role.TECHNICIAN, actor=OS_USER)


def test_core_refuses_user_management(
    admin_users: UserStore, audit: AuditTrail
) -> None:
    admin_users.create_user("drwho", PASSWORD, Role.RADIOLOGIST, actor=OS_USER)
    session = admin_users.authenticate("drwho", PASSWORD)
    with pytest.raises(AccessDeniedError):
        admin_users.create_user("evil", PASSWORD, Role.ADMINISTRATOR, actor=session)
    assert admin_users.get_user("evil") is None
    assert _event_names(audit)[-1] == events.ACCESS_DENIED


def test_demoted_session_loses_management(admin_users: UserStore) -> None:
    admin_users.create_user("root2", PASSWORD, Role.ADMINISTRATOR, actor=OS_USER)
    session = admin_users.authenticate("root2", PASSWORD)
    admin_users.set_role("root2", Role.TECHNICIAN, actor=OS_USER)
    with pytest.raises(AccessDeniedError):
        admin_users.create_user("evil", PASSWORD, Role.ADMINISTRATOR, actor=session)


def test_reset_password(admin_users: UserStore) -> None:
    admin_users.create_user("drwho", PASSWORD, Role.RADIOLOGIST, actor=OS_USER)
    admin_users.reset_password("drwho", "new-quiet-meadow-8", actor=OS_USER)
    with pytest.raises(AuthenticationError):
        admin_users.authenticate("drwho", PASSWORD)
    assert admin_users.authenticate("drwho", "new-quiet-meadow-8").user.name == "drwho"


def test_reset_password_clears_lock(admin_users: UserStore) -> None:
    admin_users.create_user("drwho", PASSWORD, Role.RADIOLOGIST, actor=OS_USER)
    _fail(admin_users, "drwho", 5)
    admin_users.reset_password("drwho", "new-quiet-meadow-8", actor=OS_USER)
    assert admin_users.authenticate("drwho", "new-quiet-meadow-8").user.name == "drwho"


def test_change_password_needs_old(admin_users: UserStore) -> None:
    with pytest.raises(AuthenticationError):
        admin_users.change_password(ADMIN, "wrong-old-password", "new-quiet-meadow-8")
    admin_users.change_password(ADMIN, ADMIN_PASSWORD, "new-quiet-meadow-8")
    assert admin_users.verify_password(ADMIN, "new-quiet-meadow-8")


def test_unknown_user_management(admin_users: UserStore) -> None:
    with pytest.raises(UnknownUserError, match="users list"):
        admin_users.set_role("ghost", Role.TECHNICIAN, actor=OS_USER)


def test_role_change_audited(admin_users: UserStore, audit: AuditTrail) -> None:
    admin_users.create_user("drwho", PASSWORD, Role.RADIOLOGIST, actor=OS_USER)
    admin_users.set_role("drwho", Role.TECHNICIAN, actor=OS_USER)
    last = audit.records()[-1]
    assert (last.event, last.detail) == (
        events.ROLE_CHANGED,
        "role changed from radiologist to technician",
    )


def test_list_users_sorted(admin_users: UserStore) -> None:
    admin_users.create_user("zed", PASSWORD, Role.TECHNICIAN, actor=OS_USER)
    admin_users.create_user("Bea", PASSWORD, Role.TRANSCRIPTIONIST, actor=OS_USER)
    assert [user.name for user in admin_users.list_users()] == ["admin", "Bea", "zed"]


def test_session_require_audits_denial(
    admin_users: UserStore, audit: AuditTrail
) -> None:
    admin_users.create_user("ref", PASSWORD, Role.REFERRING_PHYSICIAN, actor=OS_USER)
    session = admin_users.authenticate("ref", PASSWORD)
    with pytest.raises(AccessDeniedError):
        session.require(Permission.IMPORT)
    last = audit.records()[-1]
    assert (last.event, last.user) == (events.ACCESS_DENIED, "ref")
