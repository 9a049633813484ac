"""Size helpers for dialogs whose wrapped text changes after they are shown."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

# Wide enough for a typical error sentence to wrap onto two or three lines, in
# average character widths of the dialog's font.
MESSAGE_WIDTH_CHARS = 48


def set_message_width(window: QWidget) -> None:
    """Give ``window`` a minimum width that keeps wrapped messages readable."""
    window.setMinimumWidth(
        window.fontMetrics().averageCharWidth() * MESSAGE_WIDTH_CHARS
    )


def grow_to_fit(window: QWidget) -> None:
    """Make ``window`` tall enough for its layout at the current width.

    A word-wrapped label needs more height when its text grows, but a shown
    top-level window keeps its size, so the layout squeezes every row instead.
    """
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    layout.activate()
    if layout.hasHeightForWidth():
        height = layout.totalHeightForWidth(window.width())
    else:
        height = layout.totalSizeHint().height()
    if height > window.height():
        window.resize(window.width(), height)
