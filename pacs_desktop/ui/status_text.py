"""Colour of status and error texts, taken from the theme's style sheet.

A label marked here gets the dynamic property ``status``. Each theme's style
sheet gives ``QLabel[status="error"]`` and ``QLabel[status="ok"]`` a colour
with enough contrast to that theme's background.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QWidget

Status = Literal["error", "ok", ""]


def mark_status(widget: QWidget, status: Status) -> None:
    """Give ``widget`` the theme's colour for ``status`` ("" for plain text)."""
    if widget.property("status") == status:
        return
    widget.setProperty("status", status)
    # Dynamic properties take effect in a style sheet only after a re-polish.
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
