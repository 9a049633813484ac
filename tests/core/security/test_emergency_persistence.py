"""Emergency access in the database: stored grants, and their end after a crash.

The crash tests run a real child process that grants an override on a database
file and is then killed with SIGKILL, so nothing in it can write an end record.
"""

from __future__ import annotations

import gc
import os
import select
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree
from security_fixtures import Clock

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditRecord, AuditTrail
from pacs_desktop.core.security.emergency import (
    UNCLEAN_SHUTDOWN_NOTE,
    EmergencyAccess,
)
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session, User

STUDY = "1.2.826.0.1.3680043.8.498.301"
USER = "drgrey"
PATIENT_ID = "PAT-0301"
PATIENT_NAME = "Doe^Jane"
REASON = "trauma call, the on-call radiologist is unreachable"
SCHEMA_PATH = Path(__file__).parent / "data" / "audit-message.rng"
CHILD_TIMEOUT = 60.0

# Grants one override with a 30-minute duration, starting at argv[2], on the
# database argv[1], reports it on stdout and then waits to be killed.
CHILD_SCRIPT = f"""
import sys
from datetime import datetime, timedelta
from pathlib import Path

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.security.emergency import EmergencyAccess
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session, User

started = datetime.fromisoformat(sys.argv[2])
database = Database(Path(sys.argv[1]))
audit = AuditTrail(database, clock=lambda: started)
emergency = EmergencyAccess(
    database, audit, lambda: started, duration=timedelta(minutes=30)
)
session = Session(User({USER!r}, Role.RADIOLOGIST, disabled=False), started, audit)
emergency.grant(
    session,
    {STUDY!r},
    {REASON!r},
    patient_id={PATIENT_ID!r},
    patient_name={PATIENT_NAME!r},
)
print("granted", flush=True)
sys.stdin.read()
"""

ChildStarter = Callable[[datetime], "subprocess.Popen[str]"]

posix_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="the crash tests use SIGKILL and Linux's /proc",
)


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))


@pytest.fixture
def start_child(database_path: Path) -> Iterator[ChildStarter]:
    """Return a function that starts a granting child process and waits for it."""
    children: list[subprocess.Popen[str]] = []

    def start(started: datetime) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD_SCRIPT,
                str(database_path),
                started.isoformat(),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], CHILD_TIMEOUT)
        line = child.stdout.readline() if ready else ""
        if line.strip() != "granted":
            child.kill()
            _, errors = child.communicate(timeout=CHILD_TIMEOUT)
            pytest.fail(f"the granting child process failed: {errors}")
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=CHILD_TIMEOUT)


@pytest.fixture
def reopened(database_path: Path) -> Iterator[Callable[[], Database]]:
    """Return a function that opens the database file anew, as a restart does."""
    opened: list[Database] = []

    def reopen() -> Database:
        database = Database(database_path)
        opened.append(database)
        return database

    yield reopen
    for database in opened:
        database.close()


def kill(child: subprocess.Popen[str]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=CHILD_TIMEOUT)


def radiologist(audit: AuditTrail, started: datetime) -> Session:
    return Session(User(USER, Role.RADIOLOGIST, disabled=False), started, audit)


def stops(audit: AuditTrail) -> list[AuditRecord]:
    return audit.records(event=events.EMERGENCY_ACCESS_STOPPED)


def grant_rows(database: Database) -> list[sqlite3.Row]:
    return (
        database.connection()
        .execute("SELECT * FROM emergency_grants ORDER BY id")
        .fetchall()
    )


def schema_errors(schema: etree.RelaxNG, record: AuditRecord) -> str:
    if schema.validate(etree.fromstring(record.message_xml.encode("utf-8"))):
        return ""
    return str(schema.error_log)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


# -- the stored rows -----------------------------------------------------------


@pytest.fixture
def emergency(database: Database, audit: AuditTrail, clock: Clock) -> EmergencyAccess:
    return EmergencyAccess(database, audit, clock, duration=timedelta(minutes=30))


def test_grant_stored_open(
    emergency: EmergencyAccess, database: Database, audit: AuditTrail, clock: Clock
) -> None:
    emergency.grant(radiologist(audit, clock.now), STUDY, REASON, patient_id="P1")
    (row,) = grant_rows(database)
    assert row["study_uid"] == STUDY
    assert row["reason"] == REASON
    assert row["patient_id"] == "P1"
    assert row["owner_pid"] == os.getpid()
    assert row["ended"] is None


def test_end_marks_row_ended(
    emergency: EmergencyAccess, database: Database, audit: AuditTrail, clock: Clock
) -> None:
    session = radiologist(audit, clock.now)
    emergency.grant(session, STUDY, REASON)
    clock.advance(timedelta(minutes=3))
    emergency.end(session, STUDY)
    (row,) = grant_rows(database)
    assert row["end_note"] == "ended by the user"
    assert datetime.fromisoformat(row["ended"]) == clock.now
    assert len(stops(audit)) == 1


def test_expiry_ends_row_at_expiry(
    emergency: EmergencyAccess, database: Database, audit: AuditTrail, clock: Clock
) -> None:
    grant = emergency.grant(radiologist(audit, clock.now), STUDY, REASON)
    clock.advance(timedelta(hours=3))
    emergency.expire_due()
    (row,) = grant_rows(database)
    assert datetime.fromisoformat(row["ended"]) == grant.expires
    assert row["end_note"].startswith("expired at")


def test_renewal_ends_previous_row(
    emergency: EmergencyAccess, database: Database, audit: AuditTrail, clock: Clock
) -> None:
    session = radiologist(audit, clock.now)
    emergency.grant(session, STUDY, REASON)
    emergency.grant(session, STUDY, "still needed")
    first, second = grant_rows(database)
    assert first["end_note"] == "ended by a new emergency access to the study"
    assert second["ended"] is None


def test_live_object_keeps_grant(
    emergency: EmergencyAccess, database: Database, audit: AuditTrail, clock: Clock
) -> None:
    session = radiologist(audit, clock.now)
    emergency.grant(session, STUDY, REASON)
    other = EmergencyAccess(database, audit, clock)
    assert emergency.allows(session, STUDY)
    assert not other.allows(session, STUDY)
    assert stops(audit) == []


def test_dropped_object_grant_ended(
    database: Database, audit: AuditTrail, clock: Clock
) -> None:
    # An object that disappears without ending its overrides (an exception
    # past its owner) is treated like a crashed process.
    dropped = EmergencyAccess(database, audit, clock)
    dropped.grant(radiologist(audit, clock.now), STUDY, REASON)
    del dropped
    gc.collect()
    EmergencyAccess(database, audit, clock)
    (stop,) = stops(audit)
    assert UNCLEAN_SHUTDOWN_NOTE in stop.detail


# -- a real crash ------------------------------------------------------------


@posix_only
def test_crash_expired_grant_ended(
    start_child: ChildStarter,
    reopened: Callable[[], Database],
    schema: etree.RelaxNG,
) -> None:
    started = utc_now() - timedelta(hours=2)
    kill(start_child(started))
    database = reopened()
    audit = AuditTrail(database)
    EmergencyAccess(database, audit)
    (stop,) = stops(audit)
    expires = started + timedelta(minutes=30)
    assert stop.detail.startswith("expired at")
    assert UNCLEAN_SHUTDOWN_NOTE in stop.detail
    assert stop.user == USER
    assert stop.study_uids == (STUDY,)
    assert stop.patient_id == PATIENT_ID
    assert schema_errors(schema, stop) == ""
    (row,) = grant_rows(database)
    assert datetime.fromisoformat(row["ended"]) == expires


@posix_only
def test_crash_valid_grant_not_revived(
    start_child: ChildStarter,
    reopened: Callable[[], Database],
    schema: etree.RelaxNG,
) -> None:
    kill(start_child(utc_now()))
    database = reopened()
    audit = AuditTrail(database)
    emergency = EmergencyAccess(database, audit, restricted=lambda uid: True)
    same_user = radiologist(audit, utc_now())
    assert not emergency.allows(same_user, STUDY)
    assert emergency.can_break_glass(same_user, STUDY)
    (stop,) = stops(audit)
    assert stop.detail.startswith(UNCLEAN_SHUTDOWN_NOTE)
    assert "in force until" in stop.detail
    assert "110138" in stop.message_xml
    assert schema_errors(schema, stop) == ""
    (row,) = grant_rows(database)
    assert row["ended"] is not None


@posix_only
def test_crash_end_recorded_once(
    start_child: ChildStarter, reopened: Callable[[], Database]
) -> None:
    kill(start_child(utc_now()))
    database = reopened()
    audit = AuditTrail(database)
    EmergencyAccess(database, audit)
    second = reopened()
    EmergencyAccess(second, AuditTrail(second))
    assert len(stops(audit)) == 1
    assert audit.verify().ok


@posix_only
def test_running_process_grant_kept(
    start_child: ChildStarter, reopened: Callable[[], Database]
) -> None:
    child = start_child(utc_now())
    database = reopened()
    audit = AuditTrail(database)
    EmergencyAccess(database, audit)
    assert stops(audit) == []
    kill(child)
    EmergencyAccess(database, audit)
    assert len(stops(audit)) == 1


@posix_only
def test_reused_process_number_ended(
    start_child: ChildStarter, reopened: Callable[[], Database]
) -> None:
    # A process that now runs under the crashed process's number started at
    # another time, so the override is still closed.
    kill(start_child(utc_now()))
    database = reopened()
    database.connection().execute(
        "UPDATE emergency_grants SET owner_pid = ?", (os.getppid(),)
    )
    audit = AuditTrail(database)
    EmergencyAccess(database, audit)
    assert len(stops(audit)) == 1


@posix_only
def test_uncollected_process_ended(
    start_child: ChildStarter, reopened: Callable[[], Database]
) -> None:
    # A killed process that its parent has not yet waited for (a zombie)
    # still has a process number but runs no code.
    child = start_child(utc_now())
    os.kill(child.pid, signal.SIGKILL)
    # WNOWAIT waits for the exit but leaves the child uncollected.
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    database = reopened()
    audit = AuditTrail(database)
    EmergencyAccess(database, audit)
    assert len(stops(audit)) == 1
    child.wait(timeout=CHILD_TIMEOUT)
