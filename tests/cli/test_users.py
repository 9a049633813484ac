"""`pacs-desktop users`, run as the real installed command."""

from __future__ import annotations

import getpass
import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from pacs_desktop.core.archive.database import DATABASE_NAME, Database
from pacs_desktop.core.paths import resolve_data_dir
from pacs_desktop.core.security import audit as events
from pacs_desktop.core.security.audit import AuditTrail
from pacs_desktop.core.workstation import Workstation

PASSWORD = "amber-lantern-river-42"
ENTRY_POINT = Path(sys.executable).with_name("pacs-desktop")


def run(
    data_dir: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    command = (
        [str(ENTRY_POINT)]
        if ENTRY_POINT.exists()
        else [sys.executable, "-m", "pacs_desktop"]
    )
    return subprocess.run(
        [*command, "--data-dir", str(data_dir), "users", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def run_on_terminal(
    data_dir: Path, *args: str, answers: list[tuple[str, str]]
) -> subprocess.CompletedProcess[str]:
    """Run the command with a pseudo-terminal as standard input.

    ``answers`` pairs each prompt the command writes to stderr with the line
    to type once it appears. getpass flushes pending terminal input before
    each prompt, so a line typed earlier would be lost.
    """
    command = [sys.executable, "-m", "pacs_desktop", "--data-dir", str(data_dir)]
    controller, terminal = os.openpty()
    try:
        process = subprocess.Popen(
            [*command, "users", *args],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # A new session has no controlling terminal, so getpass reads the
            # pseudo-terminal on stdin instead of the terminal running pytest.
            start_new_session=True,
        )
        assert process.stderr is not None
        seen = b""
        for prompt, line in answers:
            while prompt.encode() not in seen:
                ready, _, _ = select.select([process.stderr], [], [], 30)
                chunk = os.read(process.stderr.fileno(), 4096) if ready else b""
                assert chunk, f"no prompt {prompt!r}; stderr so far: {seen!r}"
                seen += chunk
            seen = seen.split(prompt.encode(), 1)[1]
            os.write(controller, f"{line}\n".encode())
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(terminal)
        os.close(controller)
    return subprocess.CompletedProcess(
        process.args, process.returncode, stdout.decode(), (seen + stderr).decode()
    )


def audit_records(data_dir: Path) -> list[events.AuditRecord]:
    database = Database(data_dir / DATABASE_NAME)
    try:
        return AuditTrail(database).records()
    finally:
        database.close()


def list_json(data_dir: Path) -> list[dict[str, object]]:
    result = run(data_dir, "list", "--json")
    assert result.returncode == 0, result.stderr
    users: list[dict[str, object]] = json.loads(result.stdout)
    return users


ADMINISTRATOR = "zed-admin"


@pytest.fixture
def empty_data_dir(tmp_path: Path) -> Path:
    return tmp_path / "empty"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory whose first administrator exists (named to sort last)."""
    folder = resolve_data_dir(tmp_path / "data")
    workstation = Workstation(folder)
    try:
        workstation.users.create_first_administrator(ADMINISTRATOR, PASSWORD)
    finally:
        workstation.close()
    return folder


def test_add_reads_password_from_stdin(data_dir: Path) -> None:
    result = run(
        data_dir, "add", "alice", "--role", "radiologist", stdin=PASSWORD + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert "alice" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr


def test_add_prompts_twice_on_terminal(data_dir: Path) -> None:
    answers = [("New password", PASSWORD), ("Repeat", PASSWORD)]
    result = run_on_terminal(
        data_dir, "add", "alice", "--role", "radiologist", answers=answers
    )
    assert result.returncode == 0, result.stderr
    assert list_json(data_dir)[0]["name"] == "alice"


def test_terminal_entries_must_match(data_dir: Path) -> None:
    answers = [("New password", PASSWORD), ("Repeat", "other-long-words-1")]
    result = run_on_terminal(
        data_dir, "add", "alice", "--role", "radiologist", answers=answers
    )
    assert result.returncode == 1
    assert "the two passwords differ" in result.stderr
    assert [user["name"] for user in list_json(data_dir)] == [ADMINISTRATOR]


def test_list_table(data_dir: Path) -> None:
    run(data_dir, "add", "alice", "--role", "radiologist", stdin=PASSWORD + "\n")
    result = run(data_dir, "list")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "ROLE", "DISABLED", "LOCKED"]
    assert lines[1].split() == ["alice", "radiologist", "no", "no"]


def test_list_without_users_names_both_ways(empty_data_dir: Path) -> None:
    result = run(empty_data_dir, "list")

    assert result.returncode == 0
    assert "starting pacs-desktop" in result.stdout
    assert "`pacs-desktop users add NAME --role administrator`" in result.stdout


def test_added_user_can_log_in(data_dir: Path) -> None:
    run(data_dir, "add", "alice", "--role", "technician", stdin=PASSWORD + "\n")
    workstation = Workstation(data_dir)
    try:
        session = workstation.users.authenticate("alice", PASSWORD)
    finally:
        workstation.close()
    assert session.user.role.value == "technician"


def test_add_audited_as_os_account(data_dir: Path) -> None:
    run(data_dir, "add", "alice", "--role", "radiologist", stdin=PASSWORD + "\n")
    record = audit_records(data_dir)[-1]
    assert record.event == events.USER_CREATED
    assert record.user == getpass.getuser()
    assert record.os_account
    assert record.target_user == "alice"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least 10"),
        ("Password2024!", "too common"),
        ("xx-alice-xx-99", "user name"),
    ],
)
def test_add_policy_error(data_dir: Path, password: str, reason: str) -> None:
    result = run(
        data_dir, "add", "alice", "--role", "radiologist", stdin=password + "\n"
    )
    assert result.returncode == 1
    assert reason in result.stderr
    assert "Traceback" not in result.stderr


def test_add_duplicate_fails(data_dir: Path) -> None:
    run(data_dir, "add", "alice", "--role", "radiologist", stdin=PASSWORD + "\n")
    result = run(
        data_dir, "add", "Alice", "--role", "technician", stdin=PASSWORD + "\n"
    )
    assert result.returncode == 1
    assert "exists already" in result.stderr


def test_add_without_password_fails(data_dir: Path) -> None:
    result = run(data_dir, "add", "alice", "--role", "radiologist", stdin="")
    assert result.returncode == 1
    assert "no password on standard input" in result.stderr


def test_add_unknown_role_is_usage_error(data_dir: Path) -> None:
    result = run(data_dir, "add", "alice", "--role", "janitor", stdin=PASSWORD + "\n")
    assert result.returncode == 2


def test_password_argument_not_accepted(data_dir: Path) -> None:
    result = run(
        data_dir, "add", "alice", "--role", "radiologist", "--password", PASSWORD
    )
    assert result.returncode == 2


def test_disable_and_enable(data_dir: Path) -> None:
    run(data_dir, "add", "alice", "--role", "radiologist", stdin=PASSWORD + "\n")
    assert run(data_dir, "disable", "alice").returncode == 0
    assert list_json(data_dir)[0]["disabled"] is True
    assert run(data_dir, "enable", "alice").returncode == 0
    assert list_json(data_dir)[0]["disabled"] is False


def test_set_role(data_dir: Path) -> None:
    run(data_dir, "add", "alice", "--role", "radiologist", stdin=PASSWORD + "\n")
    result = run(data_dir, "set-role", "alice", "transcriptionist")
    assert result.returncode == 0, result.stderr
    assert list_json(data_dir)[0]["role"] == "transcriptionist"
    assert audit_records(data_dir)[-1].event == events.ROLE_CHANGED


def test_reset_password(data_dir: Path) -> None:
    run(data_dir, "add", "alice", "--role", "radiologist", stdin=PASSWORD + "\n")
    result = run(data_dir, "reset-password", "alice", stdin="new-quiet-meadow-8\n")
    assert result.returncode == 0, result.stderr
    workstation = Workstation(data_dir)
    try:
        assert workstation.users.verify_password("alice", "new-quiet-meadow-8")
    finally:
        workstation.close()


def test_unknown_user_fails(data_dir: Path) -> None:
    result = run(data_dir, "disable", "ghost")
    assert result.returncode == 1
    assert "no user is named 'ghost'" in result.stderr


def test_last_administrator_kept(empty_data_dir: Path) -> None:
    data_dir = empty_data_dir
    run(data_dir, "add", "root", "--role", "administrator", stdin=PASSWORD + "\n")
    result = run(data_dir, "disable", "root")
    assert result.returncode == 1
    assert "only enabled administrator" in result.stderr


def test_first_account_must_be_administrator(empty_data_dir: Path) -> None:
    result = run(
        empty_data_dir, "add", "alice", "--role", "radiologist", stdin=PASSWORD + "\n"
    )
    assert result.returncode == 1
    assert "create it first with `pacs-desktop users add NAME --role " in result.stderr
    assert list_json(empty_data_dir) == []


def test_first_account_administrator_created(empty_data_dir: Path) -> None:
    result = run(
        empty_data_dir, "add", "root", "--role", "administrator", stdin=PASSWORD + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert [u["role"] for u in list_json(empty_data_dir)] == ["administrator"]
