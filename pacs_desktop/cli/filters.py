"""The study filters shared by `studies` (local archive) and `query` (a PACS)."""

from __future__ import annotations

import argparse
import re

from pacs_desktop.core.archive.query import (
    QueryError,
    parse_date_range,
    parse_modalities,
)
from pacs_desktop.core.archive.records import StudyQuery

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def add_study_filters(parser: argparse.ArgumentParser) -> None:
    """Add the study filters (name, ID, birth date, dates, ...) to ``parser``."""
    parser.add_argument(
        "--patient-name",
        default="",
        metavar="PATTERN",
        help="patient name pattern with the DICOM wildcards * and ?; matches any "
        "component group (alphabetic, ideographic, phonetic)",
    )
    parser.add_argument("--patient-id", default="", metavar="ID", help="patient ID")
    parser.add_argument(
        "--birth-date",
        default=None,
        type=date_range,
        metavar="DATE",
        help="patient birth date as YYYYMMDD (or YYYY-MM-DD), or a range as --date",
    )
    parser.add_argument(
        "--date",
        default=None,
        type=date_range,
        metavar="FROM-TO",
        help="study date range as YYYYMMDD-YYYYMMDD, YYYYMMDD-, -YYYYMMDD or "
        "YYYYMMDD; a date may also be written YYYY-MM-DD",
    )
    parser.add_argument(
        "--modality",
        default="",
        type=modalities,
        metavar="M",
        help="modality, e.g. CT; several separated by commas (CT,MR) match a "
        "study with any of them",
    )
    parser.add_argument("--accession", default="", help="accession number")
    parser.add_argument(
        "--description", default="", metavar="PATTERN", help="study description"
    )
    parser.add_argument(
        "--limit", type=limit, default=None, metavar="N", help="list at most N studies"
    )


def study_query(args: argparse.Namespace) -> StudyQuery:
    """Return the StudyQuery of the filters that `add_study_filters` added."""
    return StudyQuery(
        patient_name=args.patient_name,
        patient_id=args.patient_id,
        date_range=args.date or "",
        modality=args.modality,
        accession=args.accession,
        description=args.description,
        limit=args.limit,
        patient_birth_date=args.birth_date or "",
    )


def date_range(value: str) -> str:
    """Return ``value`` as a DICOM date range; the GUI's YYYY-MM-DD is accepted.

    Raises
    ------
    argparse.ArgumentTypeError
        If a date is not a calendar day or the range is malformed.
    """
    dicom = _ISO_DATE.sub(r"\1\2\3", value.strip())
    try:
        parse_date_range(dicom)
    except QueryError as exc:
        raise argparse.ArgumentTypeError(
            f"{exc} (accepted forms: YYYYMMDD-YYYYMMDD, YYYYMMDD-, -YYYYMMDD, "
            "YYYYMMDD, with YYYY-MM-DD allowed for any date)"
        ) from exc
    return dicom


def modalities(value: str) -> str:
    """Return the modality codes of ``value`` in upper case, joined by backslashes.

    Raises
    ------
    argparse.ArgumentTypeError
        If a code is not 1 to 16 letters, digits or underscores.
    """
    try:
        return "\\".join(parse_modalities(value))
    except QueryError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def limit(value: str) -> int:
    """Return ``value`` as a positive count.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``value`` is not a whole number of at least 1.
    """
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1, got {value!r}"
        )
    return number
