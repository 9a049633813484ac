"""User accounts, login, lockout and sessions.

Accounts live in the workstation database (schema component ``"security"``).
Passwords are stored only as argon2id hashes. There is no default account: the
first administrator is created by the person who starts the workstation first.

Every change to an account, every login and every failed login is recorded in
the audit trail, in the same transaction as the change itself.

A login for a name that has no account is counted and locked exactly like one
with a wrong password, in the table ``login_failures``, and gets the same
messages and the same argon2 verification time, so that failed logins do not
reveal which names exist. Only the audit trail records which case it was.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.errors import (
    AccessDeniedError,
    ArchiveError,
    AuthenticationError,
    PacsDesktopError,
)
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.passwords import (
    MIN_PASSWORD_LENGTH,
    PasswordPolicyError,
    check_password_policy,
    check_user_name,
    hash_password,
    new_hasher,
    password_matches,
    spend_verification_time,
)
from pacs_desktop.core.security.roles import Permission, Role, role_permissions

__all__ = [
    "AccountDisabledError",
    "AccountLockedError",
    "Actor",
    "PasswordPolicyError",
    "SecurityPolicy",
    "Session",
    "UnknownUserError",
    "User",
    "UserExistsError",
    "UserManagementError",
    "UserStore",
]

logger = logging.getLogger(__name__)

STEPS: list[str] = [
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_at TEXT,
        created TEXT NOT NULL,
        password_changed TEXT NOT NULL,
        last_login TEXT
    );
    """,
    # Failures of names without an account, and the time of each name's last
    # failure, so that a run of failures ends the same way for both.
    """
    ALTER TABLE users ADD COLUMN last_failed_login TEXT;
    CREATE TABLE login_failures (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        failed_logins INTEGER NOT NULL,
        locked_at TEXT,
        last_failed_login TEXT NOT NULL
    );
    CREATE INDEX login_failures_last ON login_failures (last_failed_login);
    """,
]

# Rows of login_failures are deleted once their run of failures has ended (see
# SecurityPolicy.lockout_duration). This bound also holds when locks never end
# or many names fail at once, by evicting the rows with the oldest failures.
MAX_UNKNOWN_NAME_ROWS = 10_000

_USERS_TABLE = "users"
_UNKNOWN_NAMES_TABLE = "login_failures"

_WRONG_CREDENTIALS = (
    "the user name or the password is wrong. Check both (and Caps Lock) and try "
    "again; after {limit} failed attempts in a row the account is locked"
)


class UserManagementError(PacsDesktopError, ValueError):
    """An account operation is not possible; the message gives the reason."""


class UserExistsError(UserManagementError):
    """A user with that name (case ignored) already exists."""


class UnknownUserError(UserManagementError, LookupError):
    """No user has that name."""


class AccountLockedError(AuthenticationError):
    """Too many failed logins locked the account.

    ``locked_until`` is the UTC time the lock ends, or None when only an
    administrator can unlock it.
    """

    def __init__(self, name: str, locked_until: datetime | None) -> None:
        self.name = name
        self.locked_until = locked_until
        if locked_until is None:
            wait = "ask an administrator to unlock it"
        else:
            when = locked_until.strftime("%Y-%m-%d %H:%M UTC")
            wait = f"try again after {when}, or ask an administrator to unlock it"
        super().__init__(
            f"the account {name!r} is locked after too many failed logins; {wait}"
        )


class AccountDisabledError(AuthenticationError):
    """The account is disabled; raised only after the right password."""


@dataclass(frozen=True)
class SecurityPolicy:
    """Site settings for passwords and lockout."""

    max_failed_logins: int = 5
    """Consecutive failed logins that lock an account."""
    lockout_duration: timedelta | None = timedelta(minutes=15)
    """How long a lock lasts; None locks until an administrator unlocks.

    A run of failed logins also ends this long after its last failure, so the
    next failure counts as the first again."""
    min_password_length: int = MIN_PASSWORD_LENGTH


@dataclass(frozen=True)
class User:
    """An account as stored, with its lock state at the time it was read."""

    name: str
    role: Role
    disabled: bool
    locked: bool = False
    locked_until: datetime | None = None
    """End of the lock (UTC); None when unlocked or locked until unlocked."""
    failed_logins: int = 0
    created: datetime | None = None
    last_login: datetime | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        """The permissions of the user's role."""
        return role_permissions(self.role)


@dataclass(frozen=True)
class Session:
    """A logged-in user and the time of login.

    When the session carries an audit trail, a refused `require` is recorded
    as an access-denied event.
    """

    user: User
    started: datetime
    audit: AuditTrail | None = field(default=None, compare=False, repr=False)

    def may(self, permission: Permission) -> bool:
        """Return whether the user's role grants ``permission``."""
        return permission in self.user.permissions

    def require(self, permission: Permission) -> None:
        """Return when the role grants ``permission``, else raise.

        Raises
        ------
        AccessDeniedError
            If the user's role does not grant ``permission``.
        """
        if self.may(permission):
            return
        if self.audit is not None:
            self.audit.record(
                events.ACCESS_DENIED,
                user=self.user.name,
                detail=f"{permission.value} refused to role {self.user.role.value}",
            )
        raise AccessDeniedError(
            f"user {self.user.name!r} ({self.user.role.label.lower()}) may not "
            f"{permission.value.replace('-', ' ')}; ask an administrator for a "
            "role that allows it"
        )


Actor = Session | str
"""The performer of an account change: a logged-in session, which must have the
manage-users permission, or the name of the operating-system account that ran
a command-line tool (audited as such)."""


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _to_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _from_text(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class UserStore:
    """The user accounts in the workstation database.

    Parameters
    ----------
    database
        The workstation database.
    audit
        The audit trail that records logins and account changes.
    policy
        Password and lockout settings.
    hasher
        The argon2id hasher; default `passwords.new_hasher()`.
    clock
        Returns the current time (timezone-aware); tests pass their own.
    """

    def __init__(
        self,
        database: Database,
        audit: AuditTrail,
        *,
        policy: SecurityPolicy | None = None,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._database = database
        self._audit = audit
        self.policy = policy or SecurityPolicy()
        self._hasher = hasher or new_hasher()
        self._clock = clock
        database.migrate("security", STEPS)

    # -- reading ---------------------------------------------------------------

    def has_users(self) -> bool:
        """Return whether any account exists (False on first start)."""
        row = self._conn().execute("SELECT 1 FROM users LIMIT 1").fetchone()
        return row is not None

    def get_user(self, name: str) -> User | None:
        """Return the account ``name`` (case ignored), or None."""
        row = self._row(self._conn(), name)
        return None if row is None else self._user_from_row(row, self._clock())

    def list_users(self) -> list[User]:
        """Return every account, sorted by name (case ignored)."""
        now = self._clock()
        rows = self._conn().execute("SELECT * FROM users ORDER BY name").fetchall()
        return [self._user_from_row(row, now) for row in rows]

    # -- creating --------------------------------------------------------------

    def create_first_administrator(self, name: str, password: str) -> User:
        """Create the first account, an administrator, on a workstation with none.

        Raises
        ------
        PasswordPolicyError
            If the name or the password breaks the policy.
        AccessDeniedError
            If any account exists already.
        """
        encoded = self._new_hash(name, password)
        with self._transaction() as conn:
            if conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None:
                raise AccessDeniedError(
                    "an account exists already, so the first administrator cannot "
                    "be created again; log in as an administrator to add users"
                )
            self._insert(conn, name, Role.ADMINISTRATOR, encoded)
            self._audit.record(
                events.USER_CREATED,
                user=name,
                target_user=name,
                detail="first administrator created at first start",
            )
        logger.info("first administrator account created")
        return self._require_user(name)

    def create_user(
        self, name: str, password: str, role: Role, *, actor: Actor
    ) -> User:
        """Create an account with ``role``.

        Raises
        ------
        PasswordPolicyError
            If the name or the password breaks the policy.
        UserExistsError
            If an account of that name exists (case ignored).
        AccessDeniedError
            If ``actor`` is a session without the manage-users permission.
        """
        role = Role(role)
        encoded = self._new_hash(name, password)
        actor_name, os_account = self._authorise(actor)
        with self._transaction() as conn:
            if self._row(conn, name) is not None:
                raise UserExistsError(
                    f"a user named {name!r} exists already (names ignore case); "
                    "choose another name"
                )
            self._insert(conn, name, role, encoded)
            self._audit.record(
                events.USER_CREATED,
                user=actor_name,
                os_account=os_account,
                target_user=name,
                detail=f"created with role {role.value}",
            )
        return self._require_user(name)

    # -- login -----------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> Session:
        """Log ``name`` in and return the session.

        Raises
        ------
        AuthenticationError
            If the name is unknown or the password wrong (one message for
            both, so the error does not tell which names exist).
        AccountLockedError
            If the account is locked, including by this very attempt. A name
            without an account is locked the same way after as many failures.
        AccountDisabledError
            If the password is right but the account is disabled.
        """
        user = self._check_password(name, password)
        now = self._clock()
        with self._transaction() as conn:
            row = self._existing_row(conn, name)
            new_hash = None
            if self._hasher.check_needs_rehash(row["password_hash"]):
                new_hash = hash_password(self._hasher, password)
            conn.execute(
                "UPDATE users SET failed_logins = 0, locked_at = NULL, "
                "last_failed_login = NULL, last_login = ?, "
                "password_hash = COALESCE(?, password_hash) "
                "WHERE name = ?",
                (_to_text(now), new_hash, name),
            )
            self._audit.record(events.LOGIN, user=user.name)
        return Session(user=self._require_user(name), started=now, audit=self._audit)

    def verify_password(self, name: str, password: str) -> bool:
        """Return whether ``password`` is right for ``name`` and the account usable.

        Used to unlock an idle-locked screen: a wrong password counts towards
        the lockout and is audited like a failed login, a right one is not
        recorded (the caller records the unlock).
        """
        try:
            self._check_password(name, password)
        except AuthenticationError:
            return False
        return True

    def logout(self, session: Session) -> None:
        """Record the end of ``session`` in the audit trail.

        Raises
        ------
        AuditError
            If the record cannot be written.
        """
        self._audit.record(events.LOGOUT, user=session.user.name)

    def _check_password(self, name: str, password: str) -> User:
        conn = self._conn()
        now = self._clock()
        row = self._row(conn, name)
        if row is None:
            raise self._reject_unknown_name(conn, name, password, now)

        # The name as typed goes into the messages, never the stored spelling:
        # a different case would show that the account exists.
        if self._lock_active(row, now):
            self._audit.record(
                events.LOGIN_FAILED, user=row["name"], detail="account locked"
            )
            raise AccountLockedError(name, self._locked_until(row))

        if not password_matches(self._hasher, row["password_hash"], password):
            raise self._count_failure(_USERS_TABLE, name, now)

        user = self._user_from_row(row, now)
        if user.disabled:
            self._audit.record(
                events.LOGIN_FAILED, user=user.name, detail="account disabled"
            )
            raise AccountDisabledError(
                f"the account {user.name!r} is disabled; ask an administrator to "
                "enable it"
            )
        return user

    def _reject_unknown_name(
        self, conn: sqlite3.Connection, name: str, password: str, now: datetime
    ) -> AuthenticationError:
        """Count a login for a name without an account; return the error to raise.

        The steps mirror those for an account: a locked name costs no hash
        verification, any other costs one (against a dummy hash) and one
        counted failure.
        """
        row = self._unknown_row(conn, name)
        if row is not None and self._lock_active(row, now):
            self._audit.record(
                events.LOGIN_FAILED,
                user=name,
                detail="unknown user name, locked after failed logins",
            )
            return AccountLockedError(name, self._locked_until(row))
        spend_verification_time(self._hasher, password)
        return self._count_failure(_UNKNOWN_NAMES_TABLE, name, now)

    def _count_failure(
        self, table: str, name: str, now: datetime
    ) -> AuthenticationError:
        """Count one failed login of ``name`` in ``table``; return the error to raise.

        ``table`` is ``users`` for an account, ``login_failures`` for a name
        without one.
        """
        unknown = table == _UNKNOWN_NAMES_TABLE
        with self._transaction() as conn:
            if unknown:
                self._forget_ended_runs(conn, now)
            row = conn.execute(
                f"SELECT * FROM {table} WHERE name = ?", (name,)
            ).fetchone()
            if row is not None and self._lock_active(row, now):
                # Another login attempt locked it meanwhile; keep that lock's time.
                return AccountLockedError(name, self._locked_until(row))
            if row is None or self._run_ended(row, now):
                failures = 1
            else:
                failures = int(row["failed_logins"]) + 1
            lock_now = failures >= self.policy.max_failed_logins
            self._store_failure(
                conn, table, row, name=name, failures=failures, at=now, lock=lock_now
            )
            self._audit_failure(row, name, failures, lock_now, unknown)
        if not lock_now:
            return AuthenticationError(
                _WRONG_CREDENTIALS.format(limit=self.policy.max_failed_logins)
            )
        logger.warning("account locked after %d failed logins", failures)
        duration = self.policy.lockout_duration
        return AccountLockedError(name, None if duration is None else now + duration)

    def _store_failure(
        self,
        conn: sqlite3.Connection,
        table: str,
        row: sqlite3.Row | None,
        *,
        name: str,
        failures: int,
        at: datetime,
        lock: bool,
    ) -> None:
        now = _to_text(at)
        locked_at = now if lock else None
        if row is None:
            conn.execute(
                f"INSERT INTO {table} (name, failed_logins, locked_at, "
                "last_failed_login) VALUES (?, ?, ?, ?)",
                (name, failures, locked_at, now),
            )
            if table == _UNKNOWN_NAMES_TABLE:
                self._evict_oldest_unknown(conn)
            return
        conn.execute(
            f"UPDATE {table} SET failed_logins = ?, locked_at = ?, "
            "last_failed_login = ? WHERE name = ?",
            (failures, locked_at, now, name),
        )

    def _audit_failure(
        self,
        row: sqlite3.Row | None,
        name: str,
        failures: int,
        lock_now: bool,
        unknown: bool,
    ) -> None:
        # The audit trail, unlike the messages, distinguishes an account from a name
        # without one, and names the account in its stored spelling.
        audit_name = name if row is None else str(row["name"])
        reason = "unknown user name" if unknown else "wrong password"
        self._audit.record(
            events.LOGIN_FAILED,
            user=audit_name,
            detail=f"{reason}, failure {failures} in a row",
        )
        if lock_now:
            locked_kind = "unknown user name" if unknown else "account"
            self._audit.record(
                events.ACCOUNT_LOCKED,
                user=audit_name,
                target_user=audit_name,
                detail=f"{locked_kind} locked after {failures} failed logins",
            )

    def _run_ended(self, row: sqlite3.Row, now: datetime) -> bool:
        """Return whether the run of failures in ``row`` is over.

        A run ends when its lock has expired, or when the lockout duration has
        passed since its last failure.
        """
        if row["locked_at"] is not None and not self._lock_active(row, now):
            return True
        last = _from_text(row["last_failed_login"])
        duration = self.policy.lockout_duration
        return last is not None and duration is not None and now >= last + duration

    def _forget_ended_runs(self, conn: sqlite3.Connection, now: datetime) -> None:
        duration = self.policy.lockout_duration
        if duration is None:
            return
        # A lock starts at a run's last failure, so a run whose last failure
        # is a lockout duration old has no active lock either.
        conn.execute(
            f"DELETE FROM {_UNKNOWN_NAMES_TABLE} WHERE last_failed_login <= ?",
            (_to_text(now - duration),),
        )

    @staticmethod
    def _evict_oldest_unknown(conn: sqlite3.Connection) -> None:
        # NOTE: a flood of failures for many names evicts the oldest rows, so
        # a locked name without an account can lose its lock early, while an
        # account keeps its lock.
        conn.execute(
            f"DELETE FROM {_UNKNOWN_NAMES_TABLE} WHERE name IN ("
            f"SELECT name FROM {_UNKNOWN_NAMES_TABLE} "
            "ORDER BY last_failed_login DESC LIMIT -1 OFFSET ?)",
            (MAX_UNKNOWN_NAME_ROWS,),
        )

    @staticmethod
    def _unknown_row(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = conn.execute(
            f"SELECT * FROM {_UNKNOWN_NAMES_TABLE} WHERE name = ?", (name,)
        ).fetchone()
        return row

    # -- administration --------------------------------------------------------

    def set_disabled(self, name: str, disabled: bool, *, actor: Actor) -> User:
        """Disable or enable the account ``name``.

        Raises
        ------
        UnknownUserError
            If no account has that name.
        UserManagementError
            If this would disable the last enabled administrator.
        AccessDeniedError
            If ``actor`` is a session without the manage-users permission.
        """
        actor_name, os_account = self._authorise(actor)
        with self._transaction() as conn:
            row = self._existing_row(conn, name)
            if disabled:
                self._keep_an_administrator(conn, row)
            conn.execute(
                "UPDATE users SET disabled = ? WHERE name = ?", (int(disabled), name)
            )
            self._audit.record(
                events.USER_DISABLED if disabled else events.USER_ENABLED,
                user=actor_name,
                os_account=os_account,
                target_user=row["name"],
            )
        return self._require_user(name)

    def set_role(self, name: str, role: Role, *, actor: Actor) -> User:
        """Give the account ``name`` another role.

        Raises
        ------
        UnknownUserError
            If no account has that name.
        UserManagementError
            If this would leave no enabled administrator.
        AccessDeniedError
            If ``actor`` is a session without the manage-users permission.
        """
        role = Role(role)
        actor_name, os_account = self._authorise(actor)
        with self._transaction() as conn:
            row = self._existing_row(conn, name)
            if role is not Role.ADMINISTRATOR:
                self._keep_an_administrator(conn, row)
            conn.execute("UPDATE users SET role = ? WHERE name = ?", (role.value, name))
            self._audit.record(
                events.ROLE_CHANGED,
                user=actor_name,
                os_account=os_account,
                target_user=row["name"],
                detail=f"role changed from {row['role']} to {role.value}",
            )
        return self._require_user(name)

    def reset_password(self, name: str, new_password: str, *, actor: Actor) -> User:
        """Set a new password for ``name`` and clear its failures and lock.

        Raises
        ------
        UnknownUserError
            If no account has that name.
        PasswordPolicyError
            If the password breaks the policy.
        AccessDeniedError
            If ``actor`` is a session without the manage-users permission.
        """
        encoded = self._new_hash(name, new_password)
        actor_name, os_account = self._authorise(actor)
        with self._transaction() as conn:
            row = self._existing_row(conn, name)
            self._store_password(conn, name, encoded)
            self._audit.record(
                events.PASSWORD_RESET,
                user=actor_name,
                os_account=os_account,
                target_user=row["name"],
            )
        return self._require_user(name)

    def change_password(self, name: str, old_password: str, new_password: str) -> None:
        """Change one's own password after proving the old one.

        Raises
        ------
        AuthenticationError
            If the old password is wrong (counts towards the lockout), or the
            account is locked or disabled.
        PasswordPolicyError
            If the new password breaks the policy.
        """
        user = self._check_password(name, old_password)
        encoded = self._new_hash(user.name, new_password)
        with self._transaction() as conn:
            self._store_password(conn, user.name, encoded)
            self._audit.record(
                events.PASSWORD_CHANGED, user=user.name, target_user=user.name
            )

    def unlock(self, name: str, *, actor: Actor) -> User:
        """Clear the lock and the failure count of ``name``.

        Raises
        ------
        UnknownUserError
            If no account has that name.
        AccessDeniedError
            If ``actor`` is a session without the manage-users permission.
        """
        actor_name, os_account = self._authorise(actor)
        with self._transaction() as conn:
            row = self._existing_row(conn, name)
            conn.execute(
                "UPDATE users SET failed_logins = 0, locked_at = NULL, "
                "last_failed_login = NULL WHERE name = ?",
                (name,),
            )
            self._audit.record(
                events.ACCOUNT_UNLOCKED,
                user=actor_name,
                os_account=os_account,
                target_user=row["name"],
            )
        return self._require_user(name)

    # -- helpers ---------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        return self._database.connection()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock at once, so a read-then-write
        # (the failure counter, the last-administrator check) cannot interleave
        # with another process doing the same.
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise ArchiveError(
                f"cannot write user accounts in {self._database.path}: {exc}; "
                "check that the disk is not full and retry"
            ) from exc
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise ArchiveError(
                f"cannot write user accounts in {self._database.path}: {exc}; "
                "check that the disk is not full and retry"
            ) from exc

    def _new_hash(self, name: str, password: str) -> str:
        check_user_name(name)
        check_password_policy(
            name, password, min_length=self.policy.min_password_length
        )
        return hash_password(self._hasher, password)

    def _insert(
        self, conn: sqlite3.Connection, name: str, role: Role, encoded: str
    ) -> None:
        now = _to_text(self._clock())
        conn.execute(
            "INSERT INTO users (name, role, password_hash, created, password_changed) "
            "VALUES (?, ?, ?, ?, ?)",
            (name, role.value, encoded, now, now),
        )
        # Failures counted while the name had no account do not carry over.
        conn.execute(f"DELETE FROM {_UNKNOWN_NAMES_TABLE} WHERE name = ?", (name,))

    def _store_password(
        self, conn: sqlite3.Connection, name: str, encoded: str
    ) -> None:
        conn.execute(
            "UPDATE users SET password_hash = ?, password_changed = ?, "
            "failed_logins = 0, locked_at = NULL, last_failed_login = NULL "
            "WHERE name = ?",
            (encoded, _to_text(self._clock()), name),
        )

    @staticmethod
    def _row(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM users WHERE name = ?", (name,)
        ).fetchone()
        return row

    def _existing_row(self, conn: sqlite3.Connection, name: str) -> sqlite3.Row:
        row = self._row(conn, name)
        if row is None:
            raise UnknownUserError(
                f"no user is named {name!r}; `pacs-desktop users list` shows the "
                "accounts"
            )
        return row

    def _require_user(self, name: str) -> User:
        user = self.get_user(name)
        if user is None:
            raise UnknownUserError(f"no user is named {name!r}")
        return user

    def _authorise(self, actor: Actor) -> tuple[str, bool]:
        """Return the audit name of ``actor`` and whether it is an OS account."""
        if isinstance(actor, str):
            return actor, True
        # The session may be older than a change to its own account, so the
        # stored role and state decide, not the copy in the session. This runs
        # before the change's transaction so that a refusal stays audited.
        row = self._row(self._conn(), actor.user.name)
        current = None if row is None else self._user_from_row(row, self._clock())
        if current is None or current.disabled:
            raise AccessDeniedError(
                f"the account {actor.user.name!r} no longer exists or is disabled; "
                "log in again"
            )
        Session(current, actor.started, self._audit).require(Permission.MANAGE_USERS)
        return current.name, False

    def _keep_an_administrator(
        self, conn: sqlite3.Connection, row: sqlite3.Row
    ) -> None:
        if row["role"] != Role.ADMINISTRATOR.value or row["disabled"]:
            return
        others = conn.execute(
            "SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0 AND name != ?",
            (Role.ADMINISTRATOR.value, row["name"]),
        ).fetchone()[0]
        if others == 0:
            raise UserManagementError(
                f"{row['name']!r} is the only enabled administrator, and without "
                "one nobody can manage users; create or enable another "
                "administrator first"
            )

    def _lock_active(self, row: sqlite3.Row, now: datetime) -> bool:
        locked_at = _from_text(row["locked_at"])
        if locked_at is None:
            return False
        duration = self.policy.lockout_duration
        return duration is None or now < locked_at + duration

    def _locked_until(self, row: sqlite3.Row) -> datetime | None:
        """Return the end of the lock in ``row``; None when it never ends."""
        locked_at = _from_text(row["locked_at"])
        duration = self.policy.lockout_duration
        if locked_at is None or duration is None:
            return None
        return locked_at + duration

    def _user_from_row(self, row: sqlite3.Row, now: datetime) -> User:
        locked = self._lock_active(row, now)
        locked_until = self._locked_until(row) if locked else None
        return User(
            name=str(row["name"]),
            role=Role(row["role"]),
            disabled=bool(row["disabled"]),
            locked=locked,
            locked_until=locked_until,
            failed_logins=int(row["failed_logins"]),
            created=_from_text(row["created"]),
            last_login=_from_text(row["last_login"]),
        )
