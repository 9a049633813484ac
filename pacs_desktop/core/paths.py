"""Location of the workstation's data directory."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import platformdirs

logger = logging.getLogger(__name__)

APP_NAME = "pacs-desktop"
HOME_ENV = "PACS_DESKTOP_HOME"
# The folder holds patient images, the audit trail and password hashes: only
# the account that runs the workstation may open it.
DATA_DIR_MODE = 0o700

_warned: set[Path] = set()


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data directory, creating it when missing.

    The order is: an explicit path (``--data-dir``), then the ``PACS_DESKTOP_HOME``
    environment variable, then the platform's user data directory. A folder
    created here gets mode 0700. An existing folder keeps its mode, since its
    owner chose it, but a folder other accounts can open is logged once as a
    warning.

    Raises
    ------
    OSError
        If the folder does not exist and cannot be created (permissions, a
        read-only disk).
    """
    if explicit:
        path = Path(explicit)
    elif os.environ.get(HOME_ENV):
        path = Path(os.environ[HOME_ENV])
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser().resolve()
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=DATA_DIR_MODE, exist_ok=True)
    _warn_if_shared(path)
    return path


def _warn_if_shared(path: Path) -> None:
    if os.name != "posix" or path in _warned:
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        _warned.add(path)
        logger.warning(
            "data directory %s has mode %04o: other accounts may read patient "
            "data and password hashes in it; run chmod 700 on it",
            path,
            mode,
        )
