"""`pacs-desktop studies`: list archived studies, series or instances.

Each listing is a table or JSON. The series and instance listings give the
UIDs that `pacs-desktop render` (SOP Instance UID) and `pacs-desktop archive
delete` (Study Instance UID) take.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pacs_desktop.cli.counts import count, table_cell
from pacs_desktop.cli.filters import add_study_filters, study_query
from pacs_desktop.core.archive.records import InstanceRecord, SeriesRecord, StudyRecord
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.errors import ArchiveError, DicomReadError
from pacs_desktop.core.net.find import (
    encoded_identifier,
    series_identifier,
    study_identifier,
)
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
    ("Study Instance UID", 0),
)
_SERIES_COLUMNS = (
    ("Number", 6),
    ("Modality", 8),
    ("Instances", 9),
    ("Description", 30),
    ("Series Instance UID", 0),
)
_INSTANCE_COLUMNS = (
    ("Number", 6),
    ("SOP Instance UID", 64),
    ("Frames", 6),
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
    level = parser.add_mutually_exclusive_group()
    level.add_argument(
        "--series",
        metavar="STUDY_UID",
        help="list the series of the study with this Study Instance UID instead",
    )
    level.add_argument(
        "--instances",
        metavar="SERIES_UID",
        help="list the instances of the series with this Series Instance UID "
        "instead (their SOP Instance UIDs are what render takes)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print a JSON list keyed by DICOM keywords"
    )
    parser.set_defaults(handler=run_studies)


def run_studies(args: argparse.Namespace, context: Any) -> int:
    """Print the matching studies, series or instances; audit the query."""
    if args.series:
        return run_series(args.series, args.json, context)
    if args.instances:
        return run_instances(args.instances, args.json, context)
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


def run_series(study_uid: str, as_json: bool, context: Any) -> int:
    """Print the series of one archived study and audit the query.

    Raises
    ------
    ArchiveError
        If the archive contains no study with ``study_uid``.
    """
    archive = context.workstation.archive
    study = archive.study(study_uid)
    if study is None:
        raise ArchiveError(
            f"study {study_uid} not found in the local archive; "
            "list the archived studies with 'pacs-desktop studies'"
        )
    series = archive.series_for_study(study_uid)
    context.workstation.audit.record(
        QUERY,
        user=context.operating_system_user,
        os_account=True,
        patient_id=study.PatientID or None,
        study_uids=[study_uid],
        detail=f"command-line series list: {count(len(series), 'series', 'series')}",
        query=encoded_identifier(series_identifier(study_uid)),
    )
    if as_json:
        print(json.dumps([_series_json(item) for item in series], indent=2))
    else:
        print_series_table(series)
    return 0


def run_instances(series_uid: str, as_json: bool, context: Any) -> int:
    """Print the instances of one archived series and audit the query.

    Raises
    ------
    ArchiveError
        If the archive contains no instance of ``series_uid``.
    """
    archive = context.workstation.archive
    instances = archive.instances_for_series(series_uid)
    if not instances:
        raise ArchiveError(
            f"series {series_uid} not found in the local archive; list the series "
            "of a study with 'pacs-desktop studies --series STUDY_UID'"
        )
    study = _study_of(archive, instances[0])
    context.workstation.audit.record(
        QUERY,
        user=context.operating_system_user,
        os_account=True,
        patient_id=(study.PatientID or None) if study is not None else None,
        study_uids=[study.StudyInstanceUID] if study is not None else [],
        detail=f"command-line instance list of series {series_uid}: "
        f"{count(len(instances), 'instance', 'instances')}",
        # NOTE: core.net.find has no builder for an IMAGE-level identifier.
        query=None,
    )
    if as_json:
        print(json.dumps([_instance_json(item) for item in instances], indent=2))
    else:
        print_instance_table(instances)
    return 0


def _study_of(archive: Any, instance: InstanceRecord) -> StudyRecord | None:
    # The index returns no study for a series, so the stored file gives it;
    # a damaged file leaves the audit record without a study.
    try:
        header = read_dataset(instance.path, stop_before_pixels=True)
    except DicomReadError:
        return None
    return archive.study(str(header.get("StudyInstanceUID", "")))


def _series_json(item: SeriesRecord) -> dict[str, Any]:
    return {
        "SeriesInstanceUID": item.SeriesInstanceUID,
        "Modality": item.Modality,
        "SeriesNumber": item.SeriesNumber,
        "SeriesDescription": item.SeriesDescription,
        "NumberOfSeriesRelatedInstances": item.NumberOfSeriesRelatedInstances,
        "StudyInstanceUID": item.StudyInstanceUID,
    }


def _instance_json(item: InstanceRecord) -> dict[str, Any]:
    return {
        "SOPInstanceUID": item.SOPInstanceUID,
        "SOPClassUID": item.SOPClassUID,
        "InstanceNumber": item.InstanceNumber,
        "NumberOfFrames": item.NumberOfFrames,
    }


def print_series_table(series: list[SeriesRecord]) -> None:
    """Print one line per series under a header."""
    print(_row([title for title, _width in _SERIES_COLUMNS], _SERIES_COLUMNS))
    for item in series:
        number = item.SeriesNumber
        values = [
            str(number) if number is not None else "-",
            item.Modality,
            str(item.NumberOfSeriesRelatedInstances),
            item.SeriesDescription,
            item.SeriesInstanceUID,
        ]
        print(_row(values, _SERIES_COLUMNS))
    print(count(len(series), "series", "series"))


def print_instance_table(instances: list[InstanceRecord]) -> None:
    """Print one line per instance under a header."""
    print(_row([title for title, _width in _INSTANCE_COLUMNS], _INSTANCE_COLUMNS))
    for item in instances:
        number = item.InstanceNumber
        values = [
            str(number) if number is not None else "-",
            item.SOPInstanceUID,
            str(item.NumberOfFrames),
        ]
        print(_row(values, _INSTANCE_COLUMNS))
    print(count(len(instances), "instance", "instances"))


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
                    study.StudyInstanceUID,
                ]
            )
        )
    print(count(len(studies), "study", "studies"))


def _row(values: list[str], columns: tuple[tuple[str, int], ...] = _COLUMNS) -> str:
    cells = []
    for value, (_title, width) in zip(values, columns, strict=True):
        cells.append(table_cell(value, width))
    return "  ".join(cells).rstrip()
