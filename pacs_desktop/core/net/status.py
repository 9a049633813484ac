"""Interpretation of DIMSE status codes (PS3.7 Annex C)."""

from __future__ import annotations

from pydicom import Dataset

from pacs_desktop.core.net.errors import AssociationAbortedError
from pacs_desktop.core.net.nodes import Node

SUCCESS = 0x0000
CANCEL = 0xFE00
PENDING = (0xFF00, 0xFF01)
MOVE_DESTINATION_UNKNOWN = 0xA801


def is_warning(code: int) -> bool:
    """Whether ``code`` is a warning (0x0001, 0x0107, 0x0116 or 0xB000-0xBFFF)."""
    return code in (0x0001, 0x0107, 0x0116) or 0xB000 <= code <= 0xBFFF


def is_out_of_resources(code: int) -> bool:
    """Whether ``code`` means the peer is out of resources (0xA700-0xA7FF)."""
    return 0xA700 <= code <= 0xA7FF


def require_status(node: Node, status: Dataset | None, operation: str) -> int:
    """Return the Status of a DIMSE response.

    Raises
    ------
    AssociationAbortedError
        If there is no status: pynetdicom returns an empty dataset when the
        association was aborted or timed out before the response. Retryable.
    """
    code = getattr(status, "Status", None) if status is not None else None
    if code is None:
        raise AssociationAbortedError(
            node.label,
            f"no {operation} response (the association was aborted, timed out "
            "or the connection was lost)",
        )
    return int(code)
