"""`pacs-desktop users`: create, list and change user accounts.

Passwords are read from a prompt (twice) when standard input is a terminal,
else as one line from standard input. They are never taken from an argument,
because arguments are visible to every user of the machine in the process list
and end up in shell history. Every change is audited under the operating-system account
that ran the command.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import User

if TYPE_CHECKING:
    from pacs_desktop.cli.main import CommandContext

EXIT_OK = 0
EXIT_FAILURE = 1

_ROLE_NAMES = [role.value for role in Role]


class PasswordInputError(PacsDesktopError):
    """The password could not be read, or its two entries differ."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``users`` command group and its actions to ``subparsers``."""
    parser = subparsers.add_parser(
        "users",
        help="create, list and change user accounts",
        description="Manage user accounts. Changes are audited under the "
        "operating-system account that runs the command.",
    )
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION")
    actions.required = True

    add = actions.add_parser(
        "add",
        help="create an account; the password is read from a prompt or stdin",
    )
    add.add_argument("name", metavar="NAME", help="user name")
    add.add_argument(
        "--role", required=True, choices=_ROLE_NAMES, help="role of the new user"
    )
    add.set_defaults(handler=_add)

    listing = actions.add_parser("list", help="list accounts")
    listing.add_argument(
        "--json", action="store_true", help="print a JSON list instead of a table"
    )
    listing.set_defaults(handler=_list)

    for action, handler, text in (
        ("disable", _disable, "disable an account (it can no longer log in)"),
        ("enable", _enable, "enable a disabled account"),
        ("unlock", _unlock, "unlock an account locked by failed logins"),
        ("reset-password", _reset_password, "set a new password for an account"),
    ):
        sub = actions.add_parser(action, help=text)
        sub.add_argument("name", metavar="NAME", help="user name")
        sub.set_defaults(handler=handler)

    set_role = actions.add_parser("set-role", help="give an account another role")
    set_role.add_argument("name", metavar="NAME", help="user name")
    set_role.add_argument("role", metavar="ROLE", choices=_ROLE_NAMES, help="new role")
    set_role.set_defaults(handler=_set_role)


def read_new_password(name: str) -> str:
    """Read a new password for ``name`` from the terminal or standard input.

    On a terminal the password is asked twice without echo; otherwise the
    first line of standard input is the password (its line ending removed).

    Raises
    ------
    PasswordInputError
        If the two entries differ or standard input is empty.
    """
    if sys.stdin.isatty():
        first = getpass.getpass(f"New password for {name}: ")
        second = getpass.getpass("Repeat the password: ")
        if first != second:
            raise PasswordInputError("the two passwords differ; run the command again")
        return first
    line = sys.stdin.readline()
    if not line:
        raise PasswordInputError(
            "no password on standard input; type it at the prompt, or pipe one "
            "line holding the password"
        )
    return line.rstrip("\r\n")


def _add(args: argparse.Namespace, context: CommandContext) -> int:
    role = Role(args.role)
    # As at the GUI's first start, the first account is the administrator:
    # otherwise no one could ever manage users, and the GUI would not ask.
    if role is not Role.ADMINISTRATOR and not context.workstation.users.has_users():
        print(
            "pacs-desktop users: no account exists yet, and the first one must be "
            f"the administrator; create it first with `pacs-desktop users add NAME "
            f"--role administrator`, then add {args.name} as {role.value}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    password = read_new_password(args.name)
    user = context.workstation.users.create_user(
        args.name,
        password,
        role,
        actor=context.operating_system_user,
    )
    print(f"created user {user.name} with role {user.role.value}")
    return EXIT_OK


def _list(args: argparse.Namespace, context: CommandContext) -> int:
    users = context.workstation.users.list_users()
    if args.json:
        print(json.dumps([_user_json(user) for user in users], indent=2))
        return EXIT_OK
    if not users:
        print(
            "no users; create the first administrator by starting pacs-desktop, "
            "or with `pacs-desktop users add NAME --role administrator`"
        )
        return EXIT_OK

    rows = [("NAME", "ROLE", "DISABLED", "LOCKED")]
    rows += [(u.name, u.role.value, _yes(u.disabled), _yes(u.locked)) for u in users]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[3]]))
    return EXIT_OK


def _disable(args: argparse.Namespace, context: CommandContext) -> int:
    users = context.workstation.users
    user = users.set_disabled(args.name, True, actor=context.operating_system_user)
    print(f"disabled user {user.name}")
    return EXIT_OK


def _enable(args: argparse.Namespace, context: CommandContext) -> int:
    users = context.workstation.users
    user = users.set_disabled(args.name, False, actor=context.operating_system_user)
    print(f"enabled user {user.name}")
    return EXIT_OK


def _unlock(args: argparse.Namespace, context: CommandContext) -> int:
    user = context.workstation.users.unlock(
        args.name, actor=context.operating_system_user
    )
    print(f"unlocked user {user.name}")
    return EXIT_OK


def _reset_password(args: argparse.Namespace, context: CommandContext) -> int:
    users = context.workstation.users
    # Fail on an unknown name before asking for a password.
    if users.get_user(args.name) is None:
        print(
            f"pacs-desktop users: no user is named {args.name!r}; "
            "`pacs-desktop users list` shows the accounts",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    password = read_new_password(args.name)
    user = users.reset_password(
        args.name, password, actor=context.operating_system_user
    )
    print(f"set a new password for user {user.name}")
    return EXIT_OK


def _set_role(args: argparse.Namespace, context: CommandContext) -> int:
    user = context.workstation.users.set_role(
        args.name, Role(args.role), actor=context.operating_system_user
    )
    print(f"user {user.name} now has role {user.role.value}")
    return EXIT_OK


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _user_json(user: User) -> dict[str, object]:
    return {
        "name": user.name,
        "role": user.role.value,
        "disabled": user.disabled,
        "locked": user.locked,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }
