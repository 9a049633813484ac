"""Password policy, user name rules and argon2id hashes."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.passwords import (
    PasswordPolicyError,
    check_password_policy,
    check_user_name,
    hash_password,
    new_hasher,
    password_matches,
)


@pytest.mark.parametrize(
    ("name", "password", "reason"),
    [
        ("alice", "correct horse battery", None),
        ("alice", "Tr0ub4dor&3xyz", None),
        ("alice", "short", "at least 10"),
        ("alice", "nine-char", "at least 10"),
        ("alice", "ten-chars!", None),
        ("jmartinez01", "jmartinez01", "user name"),
        ("jmartinez", "xJMartinez-2024", "user name"),
        ("al", "al-likes-long-walks", None),  # names under 3 letters may appear
        ("bob", "password", "at least 10"),
        ("bob", "Password2024!", "common"),
        ("bob", "qwertyuiop", "common"),
        ("bob", "radiology123", "common"),
        ("bob", "1234567890", "common"),
        ("bob", "1111111111", "common"),
        ("bob", "x" * 1025, "at most 1024"),
    ],
)
def test_password_policy(name: str, password: str, reason: str | None) -> None:
    if reason is None:
        check_password_policy(name, password)
    else:
        with pytest.raises(PasswordPolicyError, match=reason):
            check_password_policy(name, password)


def test_policy_min_length_configurable() -> None:
    with pytest.raises(PasswordPolicyError, match="at least 16"):
        check_password_policy("bob", "fifteen-chars-x", min_length=16)


def test_policy_error_is_value_error() -> None:
    assert issubclass(PasswordPolicyError, ValueError)
    assert issubclass(PasswordPolicyError, PacsDesktopError)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("admin", True),
        ("dr.smith@site-2", True),
        ("j_doe", True),
        ("", False),
        ("a b", False),
        ("-leading", False),
        ("tab\tname", False),
        ("x" * 65, False),
        ("ünïcode", False),
    ],
)
def test_user_name_rules(name: str, valid: bool) -> None:
    if valid:
        check_user_name(name)
    else:
        with pytest.raises(PasswordPolicyError):
            check_user_name(name)


def test_hash_is_argon2id(hasher: PasswordHasher) -> None:
    assert hash_password(hasher, "a long pass phrase").startswith("$argon2id$v=19$")


def test_default_hasher_is_argon2id_with_64_mib() -> None:
    encoded = hash_password(new_hasher(), "a long pass phrase")
    assert encoded.startswith("$argon2id$v=19$m=65536,")


def test_hash_is_salted(hasher: PasswordHasher) -> None:
    assert hash_password(hasher, "same words") != hash_password(hasher, "same words")


def test_password_matches(hasher: PasswordHasher) -> None:
    encoded = hash_password(hasher, "a long pass phrase")
    assert password_matches(hasher, encoded, "a long pass phrase")
    assert not password_matches(hasher, encoded, "a long pass phrasE")


def test_invalid_hash_never_matches(hasher: PasswordHasher) -> None:
    assert not password_matches(hasher, "not a hash", "anything")
