"""Roles and the permission table that decides what each role may do.

The table follows the minimum-necessary rule of the HIPAA Privacy Rule: each role
gets the permissions its daily work needs and nothing more. The fronts hide what
a role may not do, and the core checks the same table again through
`Session.require`, so a front that forgets a check still cannot act.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType


class Role(str, Enum):
    """A user's role; the value is the name used on the command line and stored."""

    ADMINISTRATOR = "administrator"
    RADIOLOGIST = "radiologist"
    REFERRING_PHYSICIAN = "referring-physician"
    TECHNICIAN = "technician"
    TRANSCRIPTIONIST = "transcriptionist"

    @property
    def label(self) -> str:
        """English name for display, such as "Referring physician"."""
        return self.value.replace("-", " ").capitalize()

    @classmethod
    def parse(cls, text: str) -> Role:
        """Return the role named by ``text`` (case and ``_``/``-``/space ignored).

        Raises
        ------
        ValueError
            If ``text`` names no role; the message lists the valid names.
        """
        key = text.strip().lower().replace("_", "-").replace(" ", "-")
        for role in cls:
            if role.value == key:
                return role
        names = ", ".join(role.value for role in cls)
        raise ValueError(f"unknown role {text!r}; use one of: {names}")


class Permission(str, Enum):
    """An action that the permission table grants to some roles."""

    OPEN_STUDY = "open-study"
    """View a study's images and its patient data."""
    QUERY = "query"
    """Search the local archive or a PACS (C-FIND) and retrieve studies."""
    IMPORT = "import"
    EXPORT = "export"
    SEND = "send"
    DELETE = "delete"
    DICTATE = "dictate"
    """Record dictations for a study."""
    PLAY_DICTATION = "play-dictation"
    """Listen to dictations recorded for a study."""
    TRANSCRIBE = "transcribe"
    """Type the report text of a dictation on the transcription worklist."""
    SIGN = "sign"
    """Sign a report, which makes it final."""
    EMERGENCY_ACCESS = "emergency-access"
    """Open a study the role would not allow, after stating a reason."""
    MANAGE_USERS = "manage-users"
    MANAGE_NODES = "manage-nodes"
    """Configure PACS nodes (AE titles, hosts, ports, TLS)."""
    MANAGE_SETTINGS = "manage-settings"
    READ_AUDIT = "read-audit"


_P = Permission

# The transcriptionist sees the dictation worklist and the identifiers shown with
# each dictation, but not the images: typing a report needs the voice and the
# patient and study identity, not the pixels (minimum necessary).
_TABLE: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            _P.MANAGE_USERS,
            _P.MANAGE_NODES,
            _P.MANAGE_SETTINGS,
            _P.READ_AUDIT,
            _P.IMPORT,
            _P.EXPORT,
            _P.SEND,
            _P.DELETE,
            _P.OPEN_STUDY,
            _P.QUERY,
        }
    ),
    Role.RADIOLOGIST: frozenset(
        {
            _P.OPEN_STUDY,
            _P.QUERY,
            _P.DICTATE,
            _P.PLAY_DICTATION,
            _P.SIGN,
            _P.IMPORT,
            _P.EXPORT,
            _P.SEND,
            _P.EMERGENCY_ACCESS,
        }
    ),
    Role.REFERRING_PHYSICIAN: frozenset({_P.OPEN_STUDY, _P.QUERY}),
    Role.TECHNICIAN: frozenset(
        {_P.OPEN_STUDY, _P.QUERY, _P.IMPORT, _P.SEND, _P.EXPORT}
    ),
    Role.TRANSCRIPTIONIST: frozenset({_P.TRANSCRIBE, _P.PLAY_DICTATION}),
}

PERMISSION_TABLE: Mapping[Role, frozenset[Permission]] = MappingProxyType(_TABLE)
"""The permissions of each role (read-only)."""


def role_permissions(role: Role) -> frozenset[Permission]:
    """Return the permissions that ``role`` grants.

    Raises
    ------
    ValueError
        If ``role`` is not a `Role` member.
    """
    try:
        return PERMISSION_TABLE[Role(role)]
    except (KeyError, ValueError) as exc:
        raise ValueError(f"unknown role {role!r}") from exc


def roles_with(permission: Permission) -> list[Role]:
    """Return the roles that grant ``permission``, in `Role` order."""
    return [role for role in Role if permission in PERMISSION_TABLE[role]]
