"""`pacs-desktop studies`: list archived studies, as a table or as JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pacs_desktop.cli.counts import count
from pacs_desktop.cli.filters import add_study_filters, study_query
from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.net.find import encoded_identifier, study_identifier
from pacs_desktop.core.security.audit import QUERY

_COLUMNS = (
    ("Patient name", 28),
    ("Patient ID", 16),
    ("Birth date", 10),
    ("Sex", 3),
    ("Study date", 10),
    ("Modalities", 10),
    ("Description", 24),
    ("Accession", 12),
    ("Series", 6),
    ("Instances", 9),
)


def register(subparsers: Any) -> None:
    """Add the ``studies`` command."""
    parser = subparsers.add_parser(
        "studies",
        help="list archived studies",
        description="List the studies of the local archive, newest first. "
        "Patterns take the DICOM wildcards * and ?.",
    )
    add_study_filters(parser)
    parser.add_argument(
        "--json", action="store_true", help="print a JSON list keyed by DICOM keywords"
    )
    parser.set_defaults(handler=run_studies)


def run_studies(args: argparse.Namespace, context: Any) -> int:
    """Print the matching studies and record the query in the audit trail."""
    query = study_query(args)
    studies = context.workstation.archive.find_studies(query)
    # Recorded before printing: a reader that stops early (`| head`) has
    # still seen patient data. The recorded query is the C-FIND identifier
    # that would request the same studies from a PACS.
    context.workstation.audit.record(
        QUERY,
        user=context.operating_system_user,
        os_account=True,
        patient_id=args.patient_id or None,
        study_uids=[s.StudyInstanceUID for s in studies],
        detail=f"command-line study list: {count(len(studies), 'study', 'studies')}",
        query=encoded_identifier(study_identifier(query)),
    )
    if args.json:
        print(json.dumps([s.to_json() for s in studies], ensure_ascii=False, indent=2))
    else:
        print_table(studies)
    return 0


def print_table(studies: list[StudyRecord]) -> None:
    """Print one line per study under a header, cutting long values."""
    print(_row([title for title, _width in _COLUMNS]))
    for study in studies:
        print(
            _row(
                [
                    study.display_name,
                    study.PatientID,
                    study.PatientBirthDate,
                    study.PatientSex,
                    study.StudyDate,
                    "\\".join(study.ModalitiesInStudy),
                    study.StudyDescription,
                    study.AccessionNumber,
                    str(study.NumberOfStudyRelatedSeries),
                    str(study.NumberOfStudyRelatedInstances),
                ]
            )
        )
    print(count(len(studies), "study", "studies"))


def _row(values: list[str]) -> str:
    cells = []
    for value, (_title, width) in zip(values, _COLUMNS, strict=True):
        text = value if len(value) <= width else value[: width - 1] + "…"
        cells.append(text.ljust(width))
    return "  ".join(cells).rstrip()
