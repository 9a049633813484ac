"""`pacs-desktop settings get|set|list|reset`: the workstation's settings."""

from __future__ import annotations

import argparse
from typing import Any

from pacs_desktop.core.archive.location import LOCATION_KEY, check_location_change
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.security.audit import SETTINGS_CHANGED
from pacs_desktop.core.settings import SETTINGS, SettingValue
from pacs_desktop.core.site_profile import EffectiveSettings

#: Settings whose value, when not empty, names a PACS node that must exist.
NODE_KEYS = frozenset({"dictation.send_node"})


def register(subparsers: Any) -> None:
    """Add the ``settings`` command group."""
    parser = subparsers.add_parser(
        "settings",
        help="show or change settings",
        description="Show or change the workstation's settings. Values come from "
        "the user's settings over the site profile (--site-profile): a value the "
        "profile locks cannot be set or reset here. Keys: "
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

    listing = commands.add_parser(
        "list",
        help="print every setting with its value, its source (user, site, "
        "default) and whether the site profile locks it",
    )
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
    """Print the effective value of one setting."""
    print(format_value(_effective(args, context).get(args.key)))
    return 0


def run_set(args: argparse.Namespace, context: Any) -> int:
    """Change one setting and print the stored value."""
    effective = _effective(args, context)
    if effective.is_locked(args.key):
        # Raises SiteLockedError naming the profile, before the archive
        # location check reads the database.
        effective.set(args.key, args.value)
    if args.key == LOCATION_KEY:
        check_location_change(context.data_dir, args.value)
    if args.key in NODE_KEYS and args.value.strip():
        # Raises NodeError naming the node and how to list the defined ones.
        NodeStore(context.workstation.database).get(args.value.strip())
    stored = effective.set(args.key, args.value)
    _record_change(context, f"{args.key} set to {format_value(stored)}")
    print(f"{args.key} = {format_value(stored)}")
    return 0


def run_list(args: argparse.Namespace, context: Any) -> int:
    """Print every setting with the source of its value."""
    effective = _effective(args, context)
    for key in sorted(SETTINGS):
        value = effective.get(key)
        print(f"{key} = {format_value(value)}  ({_source_label(effective, key)})")
    return 0


def run_reset(args: argparse.Namespace, context: Any) -> int:
    """Forget the user's value of one setting, so the site or built-in one applies."""
    effective = _effective(args, context)
    if effective.is_locked(args.key):
        effective.reset(args.key)  # raises SiteLockedError naming the profile
    if args.key == LOCATION_KEY:
        check_location_change(
            context.data_dir, format_value(effective.default(args.key))
        )
    effective.reset(args.key)
    _record_change(context, f"{args.key} reset to its default")
    value = format_value(effective.get(args.key))
    print(f"{args.key} = {value}  ({_source_label(effective, args.key)})")
    return 0


def _effective(args: argparse.Namespace, context: Any) -> EffectiveSettings:
    # The same layering as the GUI: an explicit --site-profile, else
    # $PACS_DESKTOP_SITE_PROFILE, else the system-wide profile. A missing or
    # invalid profile raises SiteProfileError, so every action fails on it.
    return EffectiveSettings.open(context.data_dir, getattr(args, "site_profile", None))


def _source_label(effective: EffectiveSettings, key: str) -> str:
    source = effective.source(key)
    if source == EffectiveSettings.SITE_LOCKED:
        return "site, locked"
    return source


def _record_change(context: Any, detail: str) -> None:
    # Settings hold no patient data, so the key and value go into the detail.
    context.workstation.audit.record(
        SETTINGS_CHANGED,
        user=context.operating_system_user,
        os_account=True,
        detail=f"command-line settings: {detail}",
    )
