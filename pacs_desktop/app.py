"""Composition root: configures logging, then starts the GUI or a CLI command."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import re
import sys
from collections.abc import Sequence
from io import TextIOWrapper
from pathlib import Path
from typing import cast

from pacs_desktop.core.paths import HOME_ENV, resolve_data_dir

LOG_FILE_NAME = "pacs-desktop.log"

# The DICOM libraries quote an element's value when it is invalid ("Invalid
# value for VR DA: '...'"); the value may be a patient's name, ID or birth date.
_LIBRARY_LOGGERS = ("pydicom", "pynetdicom")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


class LibraryValueFilter(logging.Filter):
    """Replace the quoted values in the DICOM libraries' log messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.partition(".")[0] in _LIBRARY_LOGGERS:
            record.msg = _QUOTED.sub("'(value hidden)'", record.getMessage())
            record.args = None
        return True


class DropLoggerFilter(logging.Filter):
    """Drop the records of one logger and of its children."""

    def __init__(self, logger_name: str) -> None:
        super().__init__()
        self._logger_name = logger_name

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        return not (
            name == self._logger_name or name.startswith(self._logger_name + ".")
        )


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that only its owner can read, also after rotation."""

    def _open(self) -> TextIOWrapper:
        # Rotation renames the files and opens the base name anew through
        # _open, so every file of the set is created here with mode 0600;
        # fchmod also narrows a file that an older version left at 0644.
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)
        stream = open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        return cast(TextIOWrapper, stream)


def configure_logging(data_dir: Path, *, console: bool) -> Path:
    """Send log records to a rotating file in the data directory.

    Patient data never reaches these records: the core logs counts, UIDs of no
    patient meaning and error reasons only. The audit trail is the record of
    who accessed which patient.
    """
    log_dir = data_dir / "logs"
    # The log names peers, paths and errors: only the owner reads it, like the
    # data directory itself.
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(log_dir, 0o700)
    log_path = log_dir / LOG_FILE_NAME
    handler = PrivateRotatingFileHandler(
        log_path, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(LibraryValueFilter())
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setLevel(logging.WARNING)
        stream.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        stream.addFilter(LibraryValueFilter())
        # pynetdicom prints its own "Association Rejected" lines before the
        # product's message about the same failure; the file keeps them.
        stream.addFilter(DropLoggerFilter("pynetdicom"))
        root.addHandler(stream)
    # pynetdicom logs identifiers at INFO; keep it to warnings.
    logging.getLogger("pynetdicom").setLevel(logging.WARNING)
    return log_path


def main(argv: Sequence[str]) -> int:
    """Run the command in ``argv``, or the GUI when ``argv`` names none."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir")
    pre.add_argument("--site-profile")
    known, rest = pre.parse_known_args(argv)
    if known.site_profile:
        from pacs_desktop.core.site_profile import SITE_PROFILE_ENV

        # Every service finds the site profile through this variable.
        os.environ[SITE_PROFILE_ENV] = known.site_profile
    wants_gui = not rest
    # Version and help need no data directory; they work even on a broken one.
    if wants_gui or not {"--version", "-h", "--help"} & set(rest):
        try:
            data_dir = resolve_data_dir(known.data_dir)
            configure_logging(data_dir, console=not wants_gui)
        except OSError as exc:
            _report_unusable_data_dir(exc, known.data_dir)
            return 1
        if wants_gui:
            from pacs_desktop.ui.application import run_gui

            return run_gui(data_dir, list(argv))

    from pacs_desktop.cli.main import run

    return run(argv)


def _report_unusable_data_dir(exc: OSError, explicit: str | None) -> None:
    # Logging is not set up yet (its folder is the one that failed), so the
    # message goes to standard error, where both the GUI and a shell show it.
    folder = exc.filename or explicit or "the data directory"
    reason = exc.strerror or str(exc)
    print(
        f"pacs-desktop: cannot use the data directory: {folder}: {reason}. "
        "Give your account write access to it, or choose another folder with "
        f"--data-dir DIR or the {HOME_ENV} environment variable.",
        file=sys.stderr,
    )
