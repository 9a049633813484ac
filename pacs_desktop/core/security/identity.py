"""Patient identity confirmation before a study opens.

The user confirms actively by typing the patient's birth date in the format
shown beside the field, or the patient ID when the birth date is empty. A
confirmation that only needs a click is easily given without reading; typing
a value forces a look at the patient data shown in the dialog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

BIRTH_DATE = "birth_date"
PATIENT_ID = "patient_id"

BIRTH_DATE_FORMAT = "YYYY-MM-DD"

# DICOM DA is YYYYMMDD (PS3.5 6.2); ACR-NEMA 2.0 files may hold YYYY.MM.DD.
_STORED_DATE = re.compile(r"([0-9]{4})[.-]?([0-9]{2})[.-]?([0-9]{2})")
# Accepted typed forms: the hinted format and DICOM's own.
_TYPED_DATE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{4})([0-9]{2})([0-9]{2})"
)


@dataclass(frozen=True)
class Challenge:
    """What the user must type to confirm the patient.

    ``kind`` is ``"birth_date"`` or ``"patient_id"``; ``label`` names the
    field, ``format_hint`` is shown beside it, and ``expected`` is the value
    that confirms (a birth date in ``YYYY-MM-DD``).
    """

    kind: str
    label: str
    format_hint: str
    expected: str

    @property
    def answerable(self) -> bool:
        """Whether any input can match (False when the study has no ID either)."""
        return bool(self.expected)

    def matches(self, typed: str) -> bool:
        """Return whether ``typed`` confirms the patient.

        Surrounding spaces are ignored. A birth date matches when typed as
        ``YYYY-MM-DD`` or as DICOM's ``YYYYMMDD``; a patient ID must be typed
        exactly (case included). Empty input never matches.
        """
        text = typed.strip()
        if not text or not self.expected:
            return False
        if self.kind == BIRTH_DATE:
            return _typed_date(text) == self.expected
        return text == self.expected


def challenge_for(patient_birth_date: str, patient_id: str) -> Challenge:
    """Return the confirmation challenge for a patient.

    The birth date (DICOM DA, ``YYYYMMDD``) is asked when it is a valid date;
    otherwise the patient ID is asked.

    NOTE: when a study has neither a valid birth date nor a patient ID, the
    challenge cannot be answered (``answerable`` is False) and the study
    cannot be opened until its patient data are corrected.
    """
    birth_date = _stored_date(patient_birth_date or "")
    if birth_date:
        return Challenge(
            kind=BIRTH_DATE,
            label="Birth date",
            format_hint=BIRTH_DATE_FORMAT,
            expected=birth_date,
        )
    return Challenge(
        kind=PATIENT_ID,
        label="Patient ID",
        format_hint="as shown above",
        expected=(patient_id or "").strip(),
    )


def _stored_date(value: str) -> str:
    match = _STORED_DATE.fullmatch(value.strip())
    if match is None:
        return ""
    return _iso_date(*match.groups())


def _typed_date(text: str) -> str:
    match = _TYPED_DATE.fullmatch(text)
    if match is None:
        return ""
    groups = [group for group in match.groups() if group is not None]
    return _iso_date(*groups)


def _iso_date(year: str, month: str, day: str) -> str:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""
