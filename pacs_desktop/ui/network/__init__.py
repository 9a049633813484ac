"""DICOM networking in the GUI: PACS search, retrieve, send, sync queue, SCP."""

from pacs_desktop.ui.network.integration import NetworkUi
from pacs_desktop.ui.network.service import NetworkService, RemoteStudy

__all__ = ["NetworkService", "NetworkUi", "RemoteStudy"]
