"""Argument parsing and dispatch of `pacs-desktop SUBCOMMAND`."""

from __future__ import annotations

import argparse
import getpass
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pacs_desktop import __version__
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.paths import resolve_data_dir
from pacs_desktop.core.workstation import Workstation

logger = logging.getLogger(__name__)

# Each module defines register(subparsers) and sets a `handler` default on its parsers.
COMMAND_MODULES = (
    "import_files",
    "studies",
    "render",
    "users",
    "archive",
    "dictation",
    "audit",
    "settings",
    "node",
    "query",
    "retrieve",
    "send",
    "queue",
)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
# 128 + SIGPIPE (13), what a shell reports for a filter killed by SIGPIPE.
EXIT_BROKEN_PIPE = 141


@dataclass
class CommandContext:
    """What a command handler needs: the data directory and the services on it."""

    data_dir: Path
    operating_system_user: str = field(default_factory=getpass.getuser)

    @cached_property
    def workstation(self) -> Workstation:
        """The workstation services, opened on first use."""
        return Workstation(self.data_dir)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every command group registered."""
    parser = argparse.ArgumentParser(
        prog="pacs-desktop",
        description="Radiology workstation. Without a subcommand, starts the GUI.",
    )
    add_global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"pacs_desktop.cli.{name}")
        module.register(subparsers)
    return parser


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """Add the options shared by the GUI and every subcommand."""
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data directory (default: $PACS_DESKTOP_HOME, else the platform's "
        "user data directory)",
    )
    parser.add_argument(
        "--site-profile",
        metavar="FILE",
        help="site profile (TOML) with the site's defaults and locked values "
        "(default: $PACS_DESKTOP_SITE_PROFILE, else the system-wide profile)",
    )
    parser.add_argument(
        "--version", action="version", version=f"pacs-desktop {__version__}"
    )


def run(argv: Sequence[str]) -> int:
    """Parse ``argv``, run the chosen command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    context = CommandContext(resolve_data_dir(args.data_dir))
    try:
        status: int = args.handler(args, context)
        # Output still buffered would fail at exit, outside this handler.
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of standard output went away (`| head`): like any
        # filter, stop quietly with the status of a death by SIGPIPE.
        _discard_stdout()
        status = EXIT_BROKEN_PIPE
    except PacsDesktopError as exc:
        print(f"pacs-desktop {args.command}: {exc}", file=sys.stderr)
        status = EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"pacs-desktop {args.command}: interrupted", file=sys.stderr)
        status = 130
    finally:
        if "workstation" in context.__dict__:
            context.workstation.close()
    return status


def _discard_stdout() -> None:
    # Python flushes sys.stdout again at exit; pointing the descriptor at the
    # null device makes that flush succeed instead of printing a traceback.
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(null)
