"""The permission table and role names."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pacs_desktop.core.errors import AccessDeniedError
from pacs_desktop.core.security.roles import (
    PERMISSION_TABLE,
    Permission,
    Role,
    role_permissions,
    roles_with,
)
from pacs_desktop.core.security.users import Session, User

P = Permission

EXPECTED = {
    Role.ADMINISTRATOR: {
        P.MANAGE_USERS,
        P.MANAGE_NODES,
        P.MANAGE_SETTINGS,
        P.READ_AUDIT,
        P.IMPORT,
        P.EXPORT,
        P.SEND,
        P.DELETE,
        P.OPEN_STUDY,
        P.QUERY,
    },
    Role.RADIOLOGIST: {
        P.OPEN_STUDY,
        P.QUERY,
        P.DICTATE,
        P.PLAY_DICTATION,
        P.SIGN,
        P.IMPORT,
        P.EXPORT,
        P.SEND,
        P.EMERGENCY_ACCESS,
    },
    Role.REFERRING_PHYSICIAN: {P.OPEN_STUDY, P.QUERY},
    Role.TECHNICIAN: {P.OPEN_STUDY, P.QUERY, P.IMPORT, P.SEND, P.EXPORT},
    Role.TRANSCRIPTIONIST: {P.TRANSCRIBE, P.PLAY_DICTATION},
}


@pytest.mark.parametrize("role", list(Role))
def test_role_permissions_table(role: Role) -> None:
    assert role_permissions(role) == EXPECTED[role]


def test_every_role_in_table() -> None:
    assert set(PERMISSION_TABLE) == set(Role)


@pytest.mark.parametrize(
    ("permission", "roles"),
    [
        (P.SIGN, [Role.RADIOLOGIST]),
        (P.DELETE, [Role.ADMINISTRATOR]),
        (P.TRANSCRIBE, [Role.TRANSCRIPTIONIST]),
        (P.READ_AUDIT, [Role.ADMINISTRATOR]),
        (P.MANAGE_USERS, [Role.ADMINISTRATOR]),
    ],
)
def test_roles_with_permission(permission: Permission, roles: list[Role]) -> None:
    assert roles_with(permission) == roles


def test_transcriptionist_cannot_open_images() -> None:
    assert P.OPEN_STUDY not in role_permissions(Role.TRANSCRIPTIONIST)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("administrator", Role.ADMINISTRATOR),
        ("Radiologist", Role.RADIOLOGIST),
        ("referring_physician", Role.REFERRING_PHYSICIAN),
        ("referring physician", Role.REFERRING_PHYSICIAN),
        (" technician ", Role.TECHNICIAN),
    ],
)
def test_role_parse(text: str, role: Role) -> None:
    assert Role.parse(text) is role


def test_role_parse_unknown_lists_names() -> None:
    with pytest.raises(ValueError, match="referring-physician"):
        Role.parse("janitor")


def _session(role: Role) -> Session:
    user = User(name="someone", role=role, disabled=False)
    return Session(user=user, started=datetime.now(timezone.utc))


@pytest.mark.parametrize(
    ("role", "permission"),
    [(role, permission) for role in Role for permission in Permission],
)
def test_session_require_follows_table(role: Role, permission: Permission) -> None:
    session = _session(role)
    if permission in EXPECTED[role]:
        session.require(permission)
        assert session.may(permission)
    else:
        with pytest.raises(AccessDeniedError, match="ask an administrator"):
            session.require(permission)
