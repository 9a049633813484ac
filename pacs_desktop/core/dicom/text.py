"""Text values for display: person names with their component groups."""

from __future__ import annotations

from collections.abc import Sequence

from pydicom.valuerep import PersonName

# PS3.5 6.2: a PN value has up to three component groups (alphabetic,
# ideographic, phonetic) separated by '='.
COMPONENT_GROUP_SEPARATOR = "="


def full_person_name(value: object) -> str:
    """Return a decoded Person Name as one string with its '=' component groups.

    ``value`` may be a pydicom ``PersonName``, a ``str``, ``bytes`` (read as
    ISO 8859-1, which decodes any byte), a multi-valued element (the first value
    is used) or ``None``. Trailing spaces and NUL padding are removed.
    """
    if value is None:
        return ""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return full_person_name(value[0]) if len(value) else ""
    if isinstance(value, bytes):
        text = value.decode("latin-1")
    elif isinstance(value, PersonName):
        text = str(value)
    else:
        text = str(value)
    return text.rstrip(" \x00")


def display_person_name(value: object) -> str:
    """Return the first non-empty component group of a Person Name.

    A name sent only in its ideographic group (``'=赵^桂香'``) displays as
    ``'赵^桂香'``, never as an empty name. Returns ``''`` when every group is
    empty.
    """
    for group in full_person_name(value).split(COMPONENT_GROUP_SEPARATOR):
        if group.strip(" ^"):
            return group.strip()
    return ""
