"""Location of the workstation's data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "pacs-desktop"
HOME_ENV = "PACS_DESKTOP_HOME"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory, creating it when missing.

    The order is: an explicit path (``--data-dir``), then the ``PACS_DESKTOP_HOME``
    environment variable, then the platform's user data directory.
    """
    if explicit:
        path = Path(explicit)
    elif os.environ.get(HOME_ENV):
        path = Path(os.environ[HOME_ENV])
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
