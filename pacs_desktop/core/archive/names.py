"""Patient names and wildcard patterns as the archive index stores and matches them.

A Person Name (PS3.5 section 6.2) has up to three component groups separated by
``=``: alphabetic, ideographic and phonetic. The index keeps one upper-cased key
per non-empty group, so a search matches a name written in any of them.
"""

from __future__ import annotations

import re

from pacs_desktop.core.dicom.text import display_person_name, full_person_name

__all__ = [
    "display_person_name",
    "full_person_name",
    "has_wildcard",
    "name_keys",
    "to_glob",
    "typed_name_pattern",
]


def name_keys(name: str) -> list[str]:
    """Return the search keys of a name: each non-empty group, upper-cased.

    Trailing component separators are dropped, so ``DOE^JOHN^^`` and
    ``DOE^JOHN`` have the same key.
    """
    keys: list[str] = []
    for group in name.split("="):
        key = group.strip().rstrip("^ ").upper()
        if key and key not in keys:
            keys.append(key)
    return keys


def has_wildcard(pattern: str) -> bool:
    """Return whether ``pattern`` holds a DICOM wildcard (``*`` or ``?``)."""
    return "*" in pattern or "?" in pattern


def to_glob(pattern: str) -> str:
    """Translate DICOM wildcards (PS3.4 section C.2.2.2.4) into an SQLite GLOB.

    ``*`` and ``?`` mean the same in both; ``[`` and ``]`` are bracketed so
    that GLOB reads them as plain characters.
    """
    out = []
    for char in pattern:
        if char in "[]":
            out.append(f"[{char}]")
        else:
            out.append(char)
    return "".join(out)


def typed_name_pattern(text: str) -> str:
    """Return the search pattern for a name typed into a search field.

    Study lists show a name as "Family, Given", so a comma typed between parts
    becomes the DICOM component separator ``^``. Text without a wildcard
    matches the names that start with it, because the list filters as the
    user types.
    """
    pattern = re.sub(r"\s*,\s*", "^", text.strip())
    if pattern and not has_wildcard(pattern):
        pattern += "*"
    return pattern
