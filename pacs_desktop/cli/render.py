"""`pacs-desktop render`: one frame to PNG (display values) or NPY (modality values)."""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pacs_desktop.cli.queue import open_queue
from pacs_desktop.core.archive.integrity import IntegrityError
from pacs_desktop.core.dicom.isolation import DEFAULT_DECODE_TIMEOUT, DecodeWorker
from pacs_desktop.core.dicom.pipeline import (
    VoiChoice,
    Window,
    select_voi,
    to_display,
)
from pacs_desktop.core.dicom.png import write_png
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.dicom.text import full_person_name
from pacs_desktop.core.errors import DicomReadError, PacsDesktopError
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.refetch import RefetchOutcome, queue_refetch_of_instance
from pacs_desktop.core.security.audit import STUDY_OPENED

if TYPE_CHECKING:
    from pacs_desktop.cli.main import CommandContext

OUTPUT_SUFFIXES = (".png", ".npy")
# PS3.5 9.1: a UID is dot-separated digit groups, at most 64 characters.
UID_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)*")
UID_MAX_LENGTH = 64
# A negative number, or a CENTER,WIDTH pair with a negative centre.
NEGATIVE_VALUE_PATTERN = re.compile(r"^-(\d+\.?\d*|\.\d+)(,[-+]?(\d+\.?\d*|\.\d+))?$")


class OutputError(PacsDesktopError):
    """The output file cannot be written."""


class RenderError(PacsDesktopError):
    """Rendering an archived instance failed; the message names its UID."""


class DamagedInstanceError(RenderError):
    """The archived instance failed its SHA-256 check.

    The message also states whether a retrieve of its study is queued, or why not.
    """


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``render`` command to ``subparsers``."""
    parser = subparsers.add_parser(
        "render",
        help="render one frame of a DICOM file to PNG or NPY",
        description="Render one frame of a DICOM file or archived instance. A .png "
        "output contains the 8-bit display values (grey or RGB) at the image's own "
        "size; a .npy output contains the modality values (after the Modality LUT, "
        "before VOI) for greyscale, or the RGB values for colour.",
    )
    parser.add_argument(
        "input",
        metavar="INPUT",
        help="a DICOM file, or the SOP Instance UID of an archived instance",
    )
    parser.add_argument(
        "--frame",
        metavar="N",
        type=_positive_int,
        default=1,
        help="frame number, from 1 in display order (default: 1)",
    )
    # argparse reads "-600,1500" as an option, because it treats only plain
    # negative numbers as values. Its private matcher (CPython 3.11) is
    # replaced so that a CENTER,WIDTH pair with a negative centre is a value.
    parser._negative_number_matcher = NEGATIVE_VALUE_PATTERN
    voi = parser.add_mutually_exclusive_group()
    voi.add_argument(
        "--window",
        metavar="CENTER,WIDTH",
        type=_window,
        help="window centre and width in modality units, for example 40,400 "
        "or -600,1500",
    )
    voi.add_argument(
        "--voi",
        metavar="INDEX",
        type=_positive_int,
        help="VOI choice of the file, from 1: its windows first, then its VOI LUT "
        "Sequence items (default: the first window, else the first VOI LUT, else "
        "the full range of the modality values)",
    )
    parser.add_argument(
        "--decode-timeout",
        metavar="SECONDS",
        type=_positive_seconds,
        default=DEFAULT_DECODE_TIMEOUT,
        help="time limit in seconds for reading and decoding the frame; a file "
        "that takes longer is reported as corrupt "
        f"(default: {DEFAULT_DECODE_TIMEOUT:g})",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        type=_output_path,
        required=True,
        help="output file ending in .png or .npy",
    )
    parser.set_defaults(handler=run_render)


def run_render(args: argparse.Namespace, context: CommandContext) -> int:
    """Render the requested frame and write it; return the exit status.

    The file is read and decoded in a child process that is killed after
    ``--decode-timeout`` seconds, so a hostile file cannot hang the command.

    Raises
    ------
    DicomReadError
        The input is neither a readable DICOM file nor an archived instance,
        or lacks the frame or VOI choice.
    DamagedInstanceError
        The archived instance's stored file is missing or fails its SHA-256
        check; the re-fetch of its study is queued when a configured PACS
        node sent it, and the message states so or why not.
    PixelDataError
        The pixel data are missing, truncated or cannot be decoded.
    DecodeTimeoutError
        Reading and decoding took longer than ``--decode-timeout``.
    OutputError
        The output file cannot be written.
    """
    archived = False
    try:
        try:
            path = _resolve_input(args.input, context)
        except IntegrityError as exc:
            raise DamagedInstanceError(
                f"{exc}; {_queue_refetch(context, exc)}"
            ) from exc
        archived = str(path) != args.input
        _render(args, path)
    except PacsDesktopError as exc:
        if not archived:
            raise
        _audit(context, None, "minor-failure", f"command-line render failed: {exc}")
        raise RenderError(f"SOP Instance UID {args.input}: {exc}") from exc
    _audit(context, path, "success", f"command-line render to {args.output}")
    return 0


def _render(args: argparse.Namespace, path: Path) -> None:
    with DecodeWorker(timeout=args.decode_timeout) as worker:
        # DecodeWorker.decode counts frames from 0 in display order, as
        # --frame does from 1.
        frame = worker.decode(path, args.frame - 1)
    voi: VoiChoice | None = args.window
    if args.voi is not None:
        voi = select_voi(frame, args.voi, path)

    output: Path = args.output
    try:
        if output.suffix.lower() == ".npy":
            _write_npy(output, frame.modality)
        else:
            write_png(output, to_display(frame, voi))
    except OSError as exc:
        raise OutputError(f"{output}: cannot be written: {exc.strerror}") from exc


def _audit(
    context: CommandContext, path: Path | None, outcome: str, detail: str
) -> None:
    # Rendering shows patient data, from the archive or from a loose file, so
    # it is an access to DICOM instances (PS3.15 A.5.3.3) under the account
    # that ran the command.
    patient_id, patient_name, study_uids = (
        _identifiers(path) if path is not None else (None, None, [])
    )
    context.workstation.audit.record(
        STUDY_OPENED,
        user=context.operating_system_user,
        outcome=outcome,
        os_account=True,
        patient_id=patient_id,
        patient_name=patient_name,
        study_uids=study_uids,
        detail=detail,
    )


def _identifiers(path: Path) -> tuple[str | None, str | None, list[str]]:
    # Called only after the decode child read the whole file within its time
    # limit, so a hostile header cannot hang this process.
    try:
        ds = read_dataset(path, stop_before_pixels=True)
    except PacsDesktopError:
        return None, None, []
    study_uid = str(ds.get("StudyInstanceUID", "") or "")
    return (
        str(ds.get("PatientID", "") or "") or None,
        full_person_name(ds.get("PatientName")) or None,
        [study_uid] if study_uid else [],
    )


def _resolve_input(text: str, context: CommandContext) -> Path:
    path = Path(text)
    if path.exists() or not _looks_like_uid(text):
        return path
    # The stored file's SHA-256 is checked before it is read; a mismatch
    # raises IntegrityError, which names the file and is audited.
    stored = context.workstation.archive.verify_instance(text)
    if stored is None:
        raise DicomReadError(
            path,
            "not found: no such file, and no archived instance has this SOP "
            "Instance UID",
        )
    return Path(stored)


def _queue_refetch(context: CommandContext, failure: IntegrityError) -> str:
    """Queue the re-fetch of the damaged instance's study; describe the outcome."""
    station = context.workstation
    try:
        plan = queue_refetch_of_instance(
            station.archive,
            open_queue(context),
            NodeStore(station.database).list(),
            failure.sop_instance_uid,
        )
    except PacsDesktopError as exc:
        return (
            f"its re-fetch could not be queued: {exc}; run "
            "`pacs-desktop archive verify --refetch`"
        )
    if plan is None:
        return "run `pacs-desktop archive verify --refetch` to re-fetch it"
    if plan.outcome == RefetchOutcome.QUEUED:
        return (
            f"retrieve job {plan.job_id} is queued to fetch a new copy of study "
            f"{plan.study_uid} from node {plan.node_name}; `pacs-desktop queue "
            "run` runs it now"
        )
    if plan.outcome == RefetchOutcome.ALREADY_QUEUED:
        return (
            f"retrieve job {plan.job_id}, already queued, fetches a new copy of "
            f"study {plan.study_uid} from node {plan.node_name}; `pacs-desktop "
            "queue run` runs it now"
        )
    return f"it cannot be re-fetched: {plan.reason}"


def _looks_like_uid(text: str) -> bool:
    return len(text) <= UID_MAX_LENGTH and UID_PATTERN.fullmatch(text) is not None


def _write_npy(path: Path, values: np.ndarray) -> None:
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            np.save(stream, values)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1, got {text!r}"
        )
    return number


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(
            f"expected a positive number of seconds, got {text!r}"
        )
    return seconds


def _window(text: str) -> Window:
    parts = text.split(",")
    try:
        center, width = (float(part) for part in parts)
        return Window(center, width)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected CENTER,WIDTH with a positive width (for example 40,400), "
            f"got {text!r}"
        ) from exc


def _output_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise argparse.ArgumentTypeError(
            f"output file must end in .png or .npy, got {text!r}"
        )
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"output folder {path.parent} does not exist")
    return path
