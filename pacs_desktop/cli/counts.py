"""Counts and table cells in command output: 1 study, 2 studies, cut values."""

from __future__ import annotations

import unicodedata


def count(number: int, singular: str, plural: str) -> str:
    """Return ``number`` followed by ``singular`` when it is 1, else ``plural``."""
    return f"{number} {singular if number == 1 else plural}"


def char_columns(char: str) -> int:
    """Return the number of terminal columns that ``char`` takes.

    Wide and fullwidth characters (Unicode East Asian Width W and F, such as
    the ideographs and kana of Chinese and Japanese patient names) take two
    columns, combining marks none, and every other character one.
    """
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_columns(value: str) -> int:
    """Return the terminal columns that ``value`` takes."""
    return sum(char_columns(char) for char in value)


def shorten(value: str, width: int) -> str:
    """Cut ``value`` to ``width`` terminal columns, ending a cut value with "…".

    A width of 0 means no limit, for the last column of a table (a UID that
    must stay whole to be copied into another command).
    """
    if width == 0 or text_columns(value) <= width:
        return value
    prefix = []
    used = 0
    for char in value:
        columns = char_columns(char)
        if used + columns > width - 1:
            break
        prefix.append(char)
        used += columns
    return "".join(prefix) + "…"


def table_cell(value: str, width: int) -> str:
    """Return ``value`` cut and padded with spaces to ``width`` terminal columns."""
    text = shorten(value, width)
    return text + " " * max(width - text_columns(text), 0)
