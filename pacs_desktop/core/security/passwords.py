"""Password policy and argon2id password hashes.

Hashes use argon2-cffi's `PasswordHasher` with type ID (argon2id, RFC 9106). The
encoded hash string carries its own parameters and salt, so a hash made with
older parameters still verifies and is replaced at the next successful login.
"""

from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from pacs_desktop.core.errors import PacsDesktopError

MIN_PASSWORD_LENGTH = 10
# Long inputs are allowed (pass phrases), but a megabyte of text is not a password.
MAX_PASSWORD_LENGTH = 1024
MAX_USER_NAME_LENGTH = 64

# Names appear in audit records and on screen, so they stay printable and short.
_USER_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")

# Passwords near the top of published most-used-password lists, and words of
# this field that a user of a radiology workstation is likely to try. A candidate
# matches when, lower-cased and stripped of trailing digits and symbols, it
# equals one of these ("Password2024!" matches "password").
_COMMON_PASSWORD_TEXT = """
    123456 123456789 12345678 1234567890 1234567 12345 qwerty qwertyuiop
    qwerty123 password password1 passw0rd p@ssw0rd p@ssword letmein welcome
    welcome1 admin administrator admin123 root toor changeme default secret
    iloveyou monkey dragon master sunshine princess football baseball soccer
    hockey shadow superman batman trustno1 whatever freedom starwars michael
    jennifer jordan hunter ranger harley charlie thomas daniel pepper killer
    abc123 abcdef abcdefg abcdefgh abcdefghij 111111 000000 123123 654321
    1q2w3e4r 1q2w3e4r5t zaq12wsx asdfghjkl asdfgh zxcvbnm qazwsx 1qaz2wsx
    mustang access flower lovely loveme login guest test test123 testing
    summer winter spring autumn hospital doctor nurse radiology radiologist
    pacs dicom orthanc clinic patient medical health
"""
COMMON_PASSWORDS = frozenset(_COMMON_PASSWORD_TEXT.split())

_TRAILING_DIGITS_AND_SYMBOLS = re.compile(r"[\d\W_]+$")


class PasswordPolicyError(PacsDesktopError, ValueError):
    """A password or user name breaks the policy; the message gives the reason."""


def check_user_name(name: str) -> None:
    """Check that ``name`` is usable as a user name.

    Raises
    ------
    PasswordPolicyError
        If the name is empty, longer than 64 characters, or contains anything
        but ASCII letters, digits, ``.``, ``_``, ``@`` and ``-``.
    """
    if not name:
        raise PasswordPolicyError("the user name is empty; enter a user name")
    if len(name) > MAX_USER_NAME_LENGTH:
        raise PasswordPolicyError(
            f"the user name has {len(name)} characters; use at most "
            f"{MAX_USER_NAME_LENGTH}"
        )
    if not _USER_NAME_PATTERN.fullmatch(name):
        raise PasswordPolicyError(
            f"the user name {name!r} is invalid; use letters, digits, '.', '_', "
            "'@' and '-', starting with a letter or digit"
        )


def check_password_policy(
    name: str, password: str, *, min_length: int = MIN_PASSWORD_LENGTH
) -> None:
    """Check ``password`` against the policy for the user ``name``.

    The rules: at least ``min_length`` characters, at most 1024; not the user
    name and not containing it (names of three or more characters, case
    ignored); not a common password, also with digits or symbols appended.

    Raises
    ------
    PasswordPolicyError
        If a rule is broken; the message names the rule and what to do.
    """
    if len(password) < min_length:
        raise PasswordPolicyError(
            f"the password has {len(password)} characters; use at least "
            f"{min_length}, for example a phrase of several words"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordPolicyError(
            f"the password has {len(password)} characters; use at most "
            f"{MAX_PASSWORD_LENGTH}"
        )

    lowered = password.casefold()
    folded_name = name.casefold()
    if folded_name and (
        lowered == folded_name or (len(folded_name) >= 3 and folded_name in lowered)
    ):
        raise PasswordPolicyError(
            "the password contains the user name; choose one that does not"
        )

    if _is_common(lowered):
        raise PasswordPolicyError(
            "the password is too common and is among the first that attackers "
            "try; choose a less predictable one"
        )


def _is_common(lowered: str) -> bool:
    if lowered in COMMON_PASSWORDS:
        return True
    stem = _TRAILING_DIGITS_AND_SYMBOLS.sub("", lowered)
    return stem in COMMON_PASSWORDS or (not stem and len(set(lowered)) <= 2)


def new_hasher(
    *, time_cost: int = 3, memory_cost_kib: int = 65536, parallelism: int = 4
) -> PasswordHasher:
    """Return an argon2id hasher.

    The defaults are argon2-cffi 25.1's own, which are RFC 9106's second
    recommended option (t=3, p=4, 64 MiB of memory). One hash took 0.12 s on a
    2-core x86-64 test machine. Tests pass smaller costs to stay fast.
    """
    return PasswordHasher(
        time_cost=time_cost,
        memory_cost=memory_cost_kib,
        parallelism=parallelism,
        type=Type.ID,
    )


def hash_password(hasher: PasswordHasher, password: str) -> str:
    """Return the encoded argon2id hash (``$argon2id$v=19$...``) of ``password``."""
    return hasher.hash(password)


def password_matches(hasher: PasswordHasher, encoded: str, password: str) -> bool:
    """Return whether ``password`` matches the encoded hash.

    A hash that is not a valid argon2 hash string never matches.
    """
    try:
        return hasher.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        # VerifyMismatchError, the usual wrong-password case, is a VerificationError.
        return False


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    hasher = PasswordHasher(
        time_cost=time_cost,
        memory_cost=memory_cost,
        parallelism=parallelism,
        type=Type.ID,
    )
    return hasher.hash("no user has this password; it only costs time")


def spend_verification_time(hasher: PasswordHasher, password: str) -> None:
    """Verify ``password`` against a dummy hash made with ``hasher``'s parameters.

    A login for an unknown user name then costs about as long as one with a
    wrong password, so the response time reveals little about which names exist.
    """
    dummy = _dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    password_matches(hasher, dummy, password)
