"""`pacs-desktop dictation`: list, import, export and release dictations."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pacs_desktop.core.dictation.export import export_dictation
from pacs_desktop.core.dictation.importing import import_audio_file
from pacs_desktop.core.dictation.received import register_received_objects
from pacs_desktop.core.dictation.recorder import default_recordings_dir
from pacs_desktop.core.dictation.report import ReportStore
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationAudit,
    DictationError,
    DictationStore,
)
from pacs_desktop.core.security.audit import (
    DICTATION_RECORDED,
    INSTANCES_EXPORTED,
    QUERY,
)


def register(subparsers: Any) -> None:
    """Add the ``dictation`` command group."""
    parser = subparsers.add_parser(
        "dictation",
        help="list, import, export and release dictations",
        description="Dictations attached to archived studies.",
    )
    commands = parser.add_subparsers(dest="dictation_command", metavar="ACTION")
    commands.required = True

    listing = commands.add_parser("list", help="list dictations")
    listing.add_argument("--study", metavar="UID", help="only this StudyInstanceUID")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=run_list)

    importing = commands.add_parser(
        "import",
        help="attach a WAV or FLAC file to a study",
        description="Attach audio recorded elsewhere to an archived study. The "
        "PatientID must equal the study's, as a second identifier.",
    )
    importing.add_argument("study_uid", metavar="STUDY_UID")
    importing.add_argument("audio_file", metavar="AUDIO_FILE", type=Path)
    importing.add_argument(
        "--patient-id", required=True, metavar="ID", help="the study's PatientID"
    )
    importing.set_defaults(handler=run_import)

    exporting = commands.add_parser(
        "export",
        help="write a dictation as a DICOM Basic Voice Audio object",
        description="Write the Basic Voice Audio Waveform object (8 kHz) of a "
        "dictation, in the dictation's study and its own series. Every export "
        "and send of one recording uses the same SOP Instance and Series "
        "Instance UIDs; the 8-bit encodings get their own SOP Instance UID.",
    )
    exporting.add_argument("dictation_id", metavar="ID", type=int)
    exporting.add_argument(
        "--output", required=True, type=Path, metavar="FILE.dcm", help="output file"
    )
    exporting.add_argument(
        "--encoding",
        choices=("SS", "MB", "AB"),
        default="SS",
        help="Waveform Sample Interpretation: SS 16-bit signed (default), MB 8-bit "
        "mu-law, AB 8-bit A-law",
    )
    exporting.set_defaults(handler=run_export)

    releasing = commands.add_parser(
        "release",
        help="release a transcription claim, also another user's",
        description="Give a dictation in transcription back to the worklist, "
        "for example when its transcriptionist left or crashed. Text typed so "
        "far stays in the report. The release is audited under the "
        "operating-system account.",
    )
    releasing.add_argument("dictation_id", metavar="ID", type=int)
    releasing.set_defaults(handler=run_release)


def _store(context: Any) -> DictationStore:
    return DictationStore(context.workstation.database)


def run_list(args: argparse.Namespace, context: Any) -> int:
    """Print the dictations, as a table or as JSON.

    With ``--study``, audio and report objects retrieved with the study from a
    PACS are registered first, so they are listed like local dictations.
    """
    store = _store(context)
    if args.study:
        workstation = context.workstation
        register_received_objects(
            store,
            ReportStore(
                workstation.database, workstation.users, workstation.audit, store
            ),
            workstation.archive,
            default_recordings_dir(workstation.data_dir),
            args.study,
        )
    dictations = store.find(study_uid=args.study)
    if args.json:
        print(
            json.dumps([d.to_json() for d in dictations], ensure_ascii=False, indent=2)
        )
    else:
        _print_table(dictations)
    context.workstation.audit.record(
        QUERY,
        user=context.operating_system_user,
        os_account=True,
        study_uids=sorted({d.StudyInstanceUID for d in dictations}),
        detail=f"command-line dictation list: {len(dictations)} dictations",
    )
    return 0


def _print_table(dictations: list[Dictation]) -> None:
    header = ("ID", "StudyInstanceUID", "PatientID", "Author", "Seconds", "State")
    rows = [
        (
            str(d.id),
            d.StudyInstanceUID,
            d.PatientID,
            d.author,
            f"{d.duration_seconds:.1f}",
            d.state.value,
        )
        for d in dictations
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(
                value.ljust(width) for value, width in zip(row, widths, strict=True)
            ).rstrip()
        )
    print(f"{len(dictations)} dictations")


def run_import(args: argparse.Namespace, context: Any) -> int:
    """Attach an audio file to a study after checking the PatientID."""
    workstation = context.workstation
    dictation = import_audio_file(
        _store(context),
        workstation.archive,
        default_recordings_dir(workstation.data_dir),
        study_uid=args.study_uid,
        audio_file=args.audio_file,
        patient_id=args.patient_id,
        user=context.operating_system_user,
        os_account=True,
    )
    study = workstation.archive.study(dictation.StudyInstanceUID)
    patient_name = str(study.PatientName or "") if study is not None else ""
    workstation.audit.record(
        DICTATION_RECORDED,
        user=context.operating_system_user,
        os_account=True,
        patient_id=dictation.PatientID,
        patient_name=patient_name or None,
        study_uids=[dictation.StudyInstanceUID],
        detail=f"dictation {dictation.id} imported from a file",
    )
    print(f"dictation {dictation.id}: {dictation.duration_seconds:.1f} s attached")
    return 0


def run_export(args: argparse.Namespace, context: Any) -> int:
    """Write the dictation's Basic Voice Audio Waveform object."""
    workstation = context.workstation
    store = _store(context)
    store.get(args.dictation_id)
    # The export is always a DICOM file. A .wav or .flac name would suggest
    # plain audio to the person who opens it.
    if args.output.suffix.lower() != ".dcm":
        raise DictationError(
            f"output {args.output} does not end in .dcm; the export is a DICOM "
            "Basic Voice Audio object, so name the file FILE.dcm"
        )
    ds = export_dictation(
        store,
        workstation.archive,
        args.dictation_id,
        args.output,
        sample_interpretation=args.encoding,
    )
    workstation.audit.record(
        INSTANCES_EXPORTED,
        user=context.operating_system_user,
        os_account=True,
        patient_id=str(ds.PatientID),
        study_uids=[str(ds.StudyInstanceUID)],
        detail=f"dictation {args.dictation_id} exported as Basic Voice Audio",
    )
    print(f"dictation {args.dictation_id}: written to {args.output}")
    return 0


def run_release(args: argparse.Namespace, context: Any) -> int:
    """Release the transcription claim of a dictation, held by any user.

    The command line runs under the operating-system account that owns the
    workstation database, so it may override any claim, as an administrator
    may in the GUI.
    """
    workstation = context.workstation
    store = _store(context)
    dictation = store.get(args.dictation_id)
    study = workstation.archive.study(dictation.StudyInstanceUID)
    audit = DictationAudit(
        workstation.audit,
        PatientName=str(study.PatientName or "") if study else "",
        os_account=True,
    )
    holder = dictation.locked_by
    store.release(
        args.dictation_id, context.operating_system_user, override=True, audit=audit
    )
    print(f"dictation {args.dictation_id}: claim of {holder} released")
    return 0
