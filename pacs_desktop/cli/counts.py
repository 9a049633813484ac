"""Counts and table cells in command output: 1 study, 2 studies, cut values."""

from __future__ import annotations


def count(number: int, singular: str, plural: str) -> str:
    """Return ``number`` followed by ``singular`` when it is 1, else ``plural``."""
    return f"{number} {singular if number == 1 else plural}"


def shorten(value: str, width: int) -> str:
    """Cut ``value`` to ``width`` characters, ending a cut value with an ellipsis.

    A width of 0 means no limit, for the last column of a table (a UID that
    must stay whole to be copied into another command).
    """
    if width == 0 or len(value) <= width:
        return value
    return value[: width - 1] + "…"
