"""Counts in command output, with the noun in agreement: 1 study, 2 studies."""

from __future__ import annotations


def count(number: int, singular: str, plural: str) -> str:
    """Return ``number`` followed by ``singular`` when it is 1, else ``plural``."""
    return f"{number} {singular if number == 1 else plural}"
