"""`pacs-desktop settings get|set|list|reset`: the workstation's settings."""

from __future__ import annotations

import argparse
from typing import Any

from pacs_desktop.core.archive.location import LOCATION_KEY, check_location_change
from pacs_desktop.core.security.audit import SETTINGS_CHANGED
from pacs_desktop.core.settings import SETTINGS, Settings, SettingValue


def register(subparsers: Any) -> None:
    """Add the ``settings`` command group."""
    parser = subparsers.add_parser(
        "settings",
        help="show or change settings",
        description="Show or change the workstation's settings. Keys: "
        + ", ".join(sorted(SETTINGS)),
    )
    commands = parser.add_subparsers(dest="settings_command", metavar="ACTION")
    commands.required = True

    get = commands.add_parser("get", help="print the value of one setting")
    get.add_argument("key", metavar="KEY")
    get.set_defaults(handler=run_get)

    change = commands.add_parser("set", help="change one setting")
    change.add_argument("key", metavar="KEY")
    change.add_argument(
        "value", metavar="VALUE", help="the new value; a list as comma-separated items"
    )
    change.set_defaults(handler=run_set)

    listing = commands.add_parser("list", help="print every setting with its value")
    listing.set_defaults(handler=run_list)

    reset = commands.add_parser("reset", help="restore a setting's default")
    reset.add_argument("key", metavar="KEY")
    reset.set_defaults(handler=run_reset)


def format_value(value: SettingValue) -> str:
    """Return ``value`` as the command line takes it."""
    if isinstance(value, list):
        return ",".join(value)
    return str(value)


def run_get(args: argparse.Namespace, context: Any) -> int:
    """Print one setting."""
    print(format_value(Settings(context.data_dir).get(args.key)))
    return 0


def run_set(args: argparse.Namespace, context: Any) -> int:
    """Change one setting and print the stored value."""
    if args.key == LOCATION_KEY:
        check_location_change(context.data_dir, args.value)
    stored = Settings(context.data_dir).set(args.key, args.value)
    _record_change(context, f"{args.key} set to {format_value(stored)}")
    print(f"{args.key} = {format_value(stored)}")
    return 0


def run_list(args: argparse.Namespace, context: Any) -> int:
    """Print every setting, marking defaults."""
    for key, value, is_default in Settings(context.data_dir).items():
        suffix = "  (default)" if is_default else ""
        print(f"{key} = {format_value(value)}{suffix}")
    return 0


def run_reset(args: argparse.Namespace, context: Any) -> int:
    """Restore one setting's default."""
    settings = Settings(context.data_dir)
    if args.key == LOCATION_KEY:
        check_location_change(context.data_dir, "")
    settings.reset(args.key)
    _record_change(context, f"{args.key} reset to its default")
    print(f"{args.key} = {format_value(settings.get(args.key))}  (default)")
    return 0


def _record_change(context: Any, detail: str) -> None:
    # Settings hold no patient data, so the key and value go into the detail.
    context.workstation.audit.record(
        SETTINGS_CHANGED,
        user=context.operating_system_user,
        os_account=True,
        detail=f"command-line settings: {detail}",
    )
