"""DICOM networking in the GUI: PACS search, retrieve, send, sync queue, SCP.

The package's names load on first use. The settings dialog imports
`connection_test` from here while `integration` imports modules that import
the settings dialog, so an eager import of `integration` made a cycle.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pacs_desktop.ui.network.integration import NetworkUi
    from pacs_desktop.ui.network.service import NetworkService, RemoteStudy

__all__ = ["NetworkService", "NetworkUi", "RemoteStudy"]

_MODULES = {
    "NetworkUi": "pacs_desktop.ui.network.integration",
    "NetworkService": "pacs_desktop.ui.network.service",
    "RemoteStudy": "pacs_desktop.ui.network.service",
}


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
