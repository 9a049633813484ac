"""Patient confirmation: what must be typed, and what matches."""

from __future__ import annotations

import pytest

from pacs_desktop.core.security.identity import challenge_for


@pytest.mark.parametrize(
    ("birth_date", "patient_id", "kind", "expected"),
    [
        ("19700131", "PID-1", "birth_date", "1970-01-31"),
        (" 19700131 ", "PID-1", "birth_date", "1970-01-31"),
        ("1970.01.31", "PID-1", "birth_date", "1970-01-31"),  # ACR-NEMA 2.0 form
        ("", "PID-1", "patient_id", "PID-1"),
        ("   ", " PID-1 ", "patient_id", "PID-1"),
        ("19700231", "PID-1", "patient_id", "PID-1"),  # not a calendar date
        ("1970", "PID-1", "patient_id", "PID-1"),  # partial date
        ("", "", "patient_id", ""),
    ],
)
def test_challenge_kind(
    birth_date: str, patient_id: str, kind: str, expected: str
) -> None:
    challenge = challenge_for(birth_date, patient_id)
    assert challenge.kind == kind
    assert challenge.expected == expected


def test_birth_date_hint_is_iso() -> None:
    assert challenge_for("19700131", "X").format_hint == "YYYY-MM-DD"


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("1970-01-31", True),
        ("19700131", True),
        ("  1970-01-31\t", True),
        ("", False),
        ("   ", False),
        ("1970-01-30", False),
        ("31.01.1970", False),
        ("01/31/1970", False),
        ("1970-1-31", False),
        ("1970-0131", False),
        ("PID-1", False),
        ("１９７０-０１-３１", False),  # full-width digits are not the format shown
    ],
)
def test_birth_date_matches(typed: str, matches: bool) -> None:
    assert challenge_for("19700131", "PID-1").matches(typed) is matches


@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("AB-123", True),
        (" AB-123 ", True),
        ("ab-123", False),
        ("AB-12", False),
        ("AB-1234", False),
        ("", False),
        ("19700131", False),
    ],
)
def test_patient_id_matches(typed: str, matches: bool) -> None:
    assert challenge_for("", "AB-123").matches(typed) is matches


def test_no_identifiers_never_matches() -> None:
    challenge = challenge_for("", "")
    assert not challenge.answerable
    assert not challenge.matches("")
    assert not challenge.matches("anything")
