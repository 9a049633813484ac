"""Fixtures shared by every test: an isolated data directory and the real images."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the data directory and the XDG folders at a fresh temporary folder.

    No test ever reads or writes the user's real data directory or settings.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PACS_DESKTOP_HOME", str(home / "pacs-data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    return home / "pacs-data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real sample images beside the checkout.

    Outside CI a missing folder skips the test; in CI (``CI`` set) it fails it,
    because CI always has the folder.
    """
    if not SHARED_DATA.is_dir():
        message = f"real sample images not found: {SHARED_DATA} is missing"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DATA
