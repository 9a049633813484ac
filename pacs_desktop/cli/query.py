"""`pacs-desktop query NODE`: search a PACS with C-FIND."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from pacs_desktop.cli.counts import table_cell
from pacs_desktop.cli.filters import add_study_filters, study_query
from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.find import (
    encoded_identifier,
    find_series,
    find_studies,
    series_identifier,
    study_identifier,
)
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.security.audit import QUERY, AuditPeer
from pacs_desktop.core.settings import Settings

_COLUMNS = (
    ("Patient name", 28),
    ("Patient ID", 16),
    ("Birth date", 10),
    ("Study date", 10),
    ("Modalities", 10),
    ("Description", 24),
    ("Accession", 12),
    ("Instances", 9),
    ("Local", 9),
    ("Study Instance UID", 0),
)


def register(subparsers: Any) -> None:
    """Add the ``query`` command."""
    parser = subparsers.add_parser(
        "query",
        help="search a PACS for studies",
        description="Search a PACS node with a STUDY-level C-FIND, with the "
        "filters of `studies`. Patterns take the DICOM wildcards * and ?; "
        "how the PACS matches case is up to the PACS.",
    )
    parser.add_argument("node", metavar="NODE", help="node name (see `node list`)")
    add_study_filters(parser)
    parser.add_argument(
        "--series",
        metavar="STUDY_UID",
        help="list the series of this study instead (SERIES-level C-FIND)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list with the keys of `studies --json`",
    )
    parser.set_defaults(handler=run_query)


def run_query(args: argparse.Namespace, context: Any) -> int:
    """Run the C-FIND and print the studies (or series)."""
    workstation = context.workstation
    node = NodeStore(workstation.database).get(args.node)
    local = LocalEntity.from_settings(Settings(context.data_dir))
    peer = AuditPeer(node.ae_title, node.host)
    if args.series:
        series = find_series(node, local, args.series)
        _print_series(series, args)
        workstation.audit.record(
            QUERY,
            user=context.operating_system_user,
            os_account=True,
            study_uids=[args.series],
            detail=f"command-line series C-FIND on {args.node}: {len(series)} series",
            query=encoded_identifier(series_identifier(args.series)),
            peer=peer,
        )
        return 0

    query = study_query(args)
    studies = find_studies(node, local, query)
    if args.json:
        print(json.dumps([s.to_json() for s in studies], ensure_ascii=False, indent=2))
    else:
        _print_table(studies, workstation.archive)
    workstation.audit.record(
        QUERY,
        user=context.operating_system_user,
        os_account=True,
        patient_id=args.patient_id or None,
        study_uids=[s.StudyInstanceUID for s in studies],
        detail=f"command-line C-FIND on {args.node}: {len(studies)} studies",
        query=encoded_identifier(study_identifier(query)),
        peer=peer,
    )
    return 0


def _print_series(series: Sequence[Any], args: argparse.Namespace) -> None:
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "SeriesInstanceUID": item.SeriesInstanceUID,
                        "Modality": item.Modality,
                        "SeriesNumber": item.SeriesNumber,
                        "SeriesDescription": item.SeriesDescription,
                        "NumberOfSeriesRelatedInstances": (
                            item.NumberOfSeriesRelatedInstances
                        ),
                        "StudyInstanceUID": item.StudyInstanceUID,
                    }
                    for item in series
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for item in series:
        print(
            f"{item.SeriesNumber if item.SeriesNumber is not None else '-':>4}  "
            f"{item.Modality:<4} {item.NumberOfSeriesRelatedInstances:>6}  "
            f"{table_cell(item.SeriesDescription, 30)}  {item.SeriesInstanceUID}"
        )
    print(f"{len(series)} series")


def _print_table(studies: list[StudyRecord], archive: Any) -> None:
    print(_row([title for title, _width in _COLUMNS]))
    for study in studies:
        local = archive.study(study.StudyInstanceUID)
        local_count = local.NumberOfStudyRelatedInstances if local is not None else 0
        print(
            _row(
                [
                    study.display_name,
                    study.PatientID,
                    study.PatientBirthDate,
                    study.StudyDate,
                    "\\".join(study.ModalitiesInStudy),
                    study.StudyDescription,
                    study.AccessionNumber,
                    str(study.NumberOfStudyRelatedInstances),
                    (
                        f"{local_count}/{study.NumberOfStudyRelatedInstances}"
                        if local_count
                        else ""
                    ),
                    study.StudyInstanceUID,
                ]
            )
        )
    print(f"{len(studies)} {'study' if len(studies) == 1 else 'studies'}")


def _row(values: list[str]) -> str:
    cells = []
    for (_title, width), value in zip(_COLUMNS, values, strict=True):
        cells.append(table_cell(value, width))
    return "  ".join(cells).rstrip()
