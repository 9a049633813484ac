"""Network rows: retrieve, receive, send and C-FIND against DCMTK and Orthanc.

Orthanc binds every interface and has no listen-address option, so these rows
run only inside a loopback-only network namespace (``PACS_TEST_NETNS=1``, set
by ``make bench`` when run as root). Orthanc, storescp, storescu, getscu and
findscu run with ``TCP_NODELAY=1``; our associations set it themselves.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pydicom
from pydicom.uid import generate_uid

from bench.harness import (
    SECONDS,
    Context,
    Goal,
    Row,
    Target,
    not_measured,
    run_pairs,
)
from bench.network_explain import (
    explain_find,
    explain_receive,
    explain_retrieve,
    explain_send,
)
from bench.peers import (
    DCMTK_MAX_PDU,
    ORTHANC_AET,
    SENDER_AET,
    STORESCP_AET,
    WORKSTATION_AET,
    Orthanc,
    free_port,
    require_tools,
    run_tool,
    running_orthanc,
    running_storescp,
)
from bench.samples import MissingInputError, ct_paths

WORKLOAD = "network"
RETRIEVE_PEER = "DCMTK getscu writing files"
RETRIEVE_TARGET = Target(Goal.THROUGHPUT_AT_LEAST, 1.0)
RECEIVE_CASE = "receive C-STORE into the archive, indexed"
RECEIVE_PEER = "DCMTK storescp -od (not indexing), same storescu sender"
RECEIVE_TARGET = Target(Goal.THROUGHPUT_AT_LEAST, 0.8)
SEND_CASE = "send C-STORE"
SEND_PEER = "DCMTK storescu to the same storescp"
SEND_TARGET = Target(Goal.THROUGHPUT_AT_LEAST, 1.0)
FIND_CASE = "C-FIND study level on an open association"
FIND_PEER = "findscu (one process per query)"
FIND_TARGET = Target(Goal.P95_AT_MOST, 10e-3)
GENERATED_COUNT = 400
QUICK_COUNT = 10
# Queries findscu sends on one association to estimate its per-query time.
FINDSCU_REPEAT = 50


@dataclass
class Study:
    """A study stored in a folder: its UID and its files."""

    label: str
    study_uid: str
    paths: list[Path]


def run(ctx: Context) -> list[Row]:
    """Measure every network row beside its DCMTK peer."""
    cases = _case_names(ctx)
    if os.environ.get("PACS_TEST_NETNS") != "1":
        reason = "needs a loopback-only namespace (run make bench as root)"
        return _all_missing(cases, reason)
    try:
        require_tools("Orthanc", "getscu", "findscu", "storescu", "storescp")
        real = _real_study(ctx)
    except MissingInputError as exc:
        return _all_missing(cases, str(exc))
    generated = _generated_study(ctx, real.paths[0])

    rows: list[Row] = []
    with running_orthanc(ctx.folder("orthanc")) as orthanc:
        orthanc.upload([*real.paths, *generated.paths])
        for study in (real, generated):
            rows.append(
                _guarded(
                    functools.partial(_retrieve_row, ctx, orthanc, study),
                    _retrieve_case(study),
                    RETRIEVE_PEER,
                    RETRIEVE_TARGET,
                )
            )
        find_row = _guarded(
            lambda: _find_row(ctx, orthanc), FIND_CASE, FIND_PEER, FIND_TARGET
        )
    rows.append(
        _guarded(
            lambda: _receive_row(ctx, real),
            RECEIVE_CASE,
            RECEIVE_PEER,
            RECEIVE_TARGET,
        )
    )
    rows.append(
        _guarded(lambda: _send_row(ctx, real), SEND_CASE, SEND_PEER, SEND_TARGET)
    )
    rows.append(find_row)
    return rows


def _case_names(ctx: Context) -> list[tuple[str, str, Target]]:
    real = "134-slice real CT" if not ctx.quick else f"{QUICK_COUNT} real CT slices"
    count = QUICK_COUNT if ctx.quick else GENERATED_COUNT
    return [
        (f"retrieve a study from Orthanc ({real})", RETRIEVE_PEER, RETRIEVE_TARGET),
        (
            f"retrieve a study from Orthanc ({count} generated CT instances)",
            RETRIEVE_PEER,
            RETRIEVE_TARGET,
        ),
        (RECEIVE_CASE, RECEIVE_PEER, RECEIVE_TARGET),
        (SEND_CASE, SEND_PEER, SEND_TARGET),
        (FIND_CASE, FIND_PEER, FIND_TARGET),
    ]


def _all_missing(cases: list[tuple[str, str, Target]], reason: str) -> list[Row]:
    return [
        not_measured(WORKLOAD, case, peer, target, reason)
        for case, peer, target in cases
    ]


def _guarded(measure: Callable[[], Row], case: str, peer: str, target: Target) -> Row:
    # A failing peer or operation costs its own row, not the other rows.
    try:
        return measure()
    except Exception as exc:
        reason = f"the measurement failed: {type(exc).__name__}: {exc}"
        return not_measured(WORKLOAD, case, peer, target, reason.replace("|", "/"))


def _retrieve_case(study: Study) -> str:
    return f"retrieve a study from Orthanc ({study.label})"


def _real_study(ctx: Context) -> Study:
    paths = ct_paths(ctx.data_dir)
    if not paths:
        raise MissingInputError(f"no .dcm files in {ctx.data_dir}")
    label = "134-slice real CT"
    if ctx.quick:
        paths = paths[:QUICK_COUNT]
        label = f"{QUICK_COUNT} real CT slices"
    # A folder of the study's files alone, for storescu's directory scan.
    folder = ctx.folder("real")
    copies = []
    for path in paths:
        copy = folder / path.name
        shutil.copyfile(path, copy)
        copies.append(copy)
    study_uid = str(pydicom.dcmread(paths[0], stop_before_pixels=True).StudyInstanceUID)
    return Study(label, study_uid, copies)


def _generated_study(ctx: Context, source: Path) -> Study:
    """Write a study of CT instances with fresh UIDs, made from one real slice."""
    count = QUICK_COUNT if ctx.quick else GENERATED_COUNT
    folder = ctx.folder("generated")
    ds = pydicom.dcmread(source)
    study_uid = generate_uid()
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = generate_uid()
    ds.SeriesNumber = 900
    x, y, z = (float(value) for value in ds.ImagePositionPatient)
    thickness = float(ds.get("SliceThickness", 1.0) or 1.0)
    paths = []
    for number in range(count):
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = number + 1
        ds.ImagePositionPatient = [x, y, z - number * thickness]
        path = folder / f"{number:04d}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return Study(f"{count} generated CT instances", study_uid, paths)


def _retrieve_row(ctx: Context, orthanc: Orthanc, study: Study) -> Row:
    from pacs_desktop.core.archive.database import DATABASE_NAME, Database
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.net.association import LocalEntity
    from pacs_desktop.core.net.nodes import Node
    from pacs_desktop.core.net.retrieve import retrieve

    node = Node("orthanc", ORTHANC_AET, "127.0.0.1", orthanc.dicom_port, "get")
    local = LocalEntity(WORKSTATION_AET, scp_port=free_port())
    expected = len(study.paths)
    counter = iter(range(1_000_000))

    def ours() -> float:
        folder = ctx.folder(f"retrieved-{next(counter)}")
        database = Database(folder / DATABASE_NAME)
        archive = Archive(database, folder / "store")
        start = time.perf_counter()
        result = retrieve(node, local, archive, study.study_uid, method="get")
        elapsed = time.perf_counter() - start
        database.close()
        shutil.rmtree(folder)
        if result.received != expected or not result.complete:
            raise RuntimeError(
                f"retrieve stored {result.received} of {expected} instances"
            )
        return elapsed

    def peer() -> float:
        folder = ctx.folder(f"getscu-{next(counter)}")
        elapsed = run_tool(
            [
                "getscu",
                "-S",
                "-aet",
                WORKSTATION_AET,
                "-aec",
                ORTHANC_AET,
                "-pdu",
                DCMTK_MAX_PDU,
                "-od",
                str(folder),
                "-k",
                "QueryRetrieveLevel=STUDY",
                "-k",
                f"StudyInstanceUID={study.study_uid}",
                "127.0.0.1",
                str(orthanc.dicom_port),
            ]
        )
        written = len(list(folder.iterdir()))
        shutil.rmtree(folder)
        if written != expected:
            raise RuntimeError(f"getscu wrote {written} of {expected} instances")
        return elapsed

    result = run_pairs(ours, peer, ctx.pairs(5, 2))
    row = Row(WORKLOAD, _retrieve_case(study), RETRIEVE_PEER, RETRIEVE_TARGET, SECONDS)
    row.result = result
    row.notes.append(
        f"C-GET of {expected} instances "
        f"({sum(path.stat().st_size for path in study.paths) / 1e6:.0f} MB); "
        "ours includes the IMAGE-level C-FIND that lists the expected "
        "instances, and an fsync and an index row per instance."
    )
    if row.met is False:
        explain_retrieve(row, orthanc.dicom_port, study.study_uid, ctx.scratch)
    return row


def _storescu(port: int, called: str, folder: Path) -> list[str]:
    return [
        "storescu",
        "-aet",
        SENDER_AET,
        "-aec",
        called,
        "+sd",
        "127.0.0.1",
        str(port),
        str(folder),
    ]


def _receive_row(ctx: Context, study: Study) -> Row:
    from pacs_desktop.core.archive.database import DATABASE_NAME, Database
    from pacs_desktop.core.archive.index import IMPORTED, Archive
    from pacs_desktop.core.net.scp import ReceivedInstance, StorageSCP

    folder = study.paths[0].parent
    expected = len(study.paths)
    counter = iter(range(1_000_000))

    def ours() -> float:
        target = ctx.folder(f"received-{next(counter)}")
        database = Database(target / DATABASE_NAME)
        archive = Archive(database, target / "store")
        imported: list[str] = []

        def count(received: ReceivedInstance) -> None:
            if received.status == IMPORTED:
                imported.append(received.sop_instance_uid)

        scp = StorageSCP(
            archive,
            ae_title=WORKSTATION_AET,
            port=0,
            allowed_aets=lambda: [SENDER_AET],
            bind_address="127.0.0.1",
        )
        scp.receiver.add_listener(count)
        scp.start()
        try:
            elapsed = run_tool(_storescu(scp.port, WORKSTATION_AET, folder))
        finally:
            scp.stop()
            database.close()
        shutil.rmtree(target)
        if len(imported) != expected:
            raise RuntimeError(f"the SCP indexed {len(imported)} of {expected}")
        return elapsed

    with running_storescp(ctx.folder("storescp-receive")) as storescp:

        def peer() -> float:
            storescp.clear()
            elapsed = run_tool(_storescu(storescp.port, STORESCP_AET, folder))
            written = len(list(storescp.output_dir.iterdir()))
            if written != expected:
                raise RuntimeError(f"storescp wrote {written} of {expected}")
            return elapsed

        result = run_pairs(ours, peer, ctx.pairs(5, 2))
    row = Row(WORKLOAD, RECEIVE_CASE, RECEIVE_PEER, RECEIVE_TARGET, SECONDS)
    row.result = result
    row.notes.append(
        f"{study.label}, {expected} instances sent by storescu; ours stores each "
        "with an fsync and indexes it before the response."
    )
    if row.met is False:
        explain_receive(row, study.paths, ctx.scratch)
    return row


def _send_row(ctx: Context, study: Study) -> Row:
    from pacs_desktop.core.archive.database import DATABASE_NAME, Database
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.net.association import LocalEntity
    from pacs_desktop.core.net.nodes import Node
    from pacs_desktop.core.net.send import outgoing_for_uids, send_instances

    source = ctx.folder("send-archive")
    database = Database(source / DATABASE_NAME)
    archive = Archive(database, source / "store")
    archive.import_paths(study.paths)
    local = LocalEntity(WORKSTATION_AET, scp_port=free_port())
    expected = len(study.paths)
    folder = study.paths[0].parent

    with running_storescp(ctx.folder("storescp-send")) as storescp:
        node = Node("storescp", STORESCP_AET, "127.0.0.1", storescp.port)

        def ours() -> float:
            storescp.clear()
            start = time.perf_counter()
            outgoing = outgoing_for_uids(archive, [study.study_uid])
            result = send_instances(node, local, outgoing)
            elapsed = time.perf_counter() - start
            if len(result.stored) != expected:
                raise RuntimeError(f"storescp stored {len(result.stored)}/{expected}")
            return elapsed

        def peer() -> float:
            storescp.clear()
            return run_tool(_storescu(storescp.port, STORESCP_AET, folder))

        row = Row(WORKLOAD, SEND_CASE, SEND_PEER, SEND_TARGET, SECONDS)
        row.result = run_pairs(ours, peer, ctx.pairs(5, 2))
        if row.met is False:
            explain_send(row, node, local, archive, study.study_uid)
        database.close()
    row.notes.append(
        f"{study.label}, {expected} instances; ours sends from the archive "
        "(index look-up included), storescu from a folder of the same files."
    )
    return row


def _find_row(ctx: Context, orthanc: Orthanc) -> Row:
    from pacs_desktop.core.archive.records import StudyQuery
    from pacs_desktop.core.net.association import LocalEntity
    from pacs_desktop.core.net.find import find_association, find_studies_on
    from pacs_desktop.core.net.nodes import Node

    node = Node("orthanc", ORTHANC_AET, "127.0.0.1", orthanc.dicom_port)
    local = LocalEntity(WORKSTATION_AET, scp_port=free_port())
    findscu = [
        "findscu",
        "-S",
        "-aet",
        WORKSTATION_AET,
        "-aec",
        ORTHANC_AET,
        "-k",
        "QueryRetrieveLevel=STUDY",
        *[argument for key in _FIND_RETURN_KEYS for argument in ("-k", key)],
        "127.0.0.1",
        str(orthanc.dicom_port),
    ]
    matches: list[int] = []

    with find_association(node, local) as opened:

        def ours() -> float:
            start = time.perf_counter()
            found = find_studies_on(opened, StudyQuery())
            elapsed = time.perf_counter() - start
            matches.append(len(found))
            return elapsed

        def peer() -> float:
            return run_tool(findscu)

        result = run_pairs(ours, peer, ctx.pairs(60, 10), warmup=3)
    repeat = 5 if ctx.quick else FINDSCU_REPEAT
    repeated = run_tool([*findscu[:-2], "--repeat", str(repeat), *findscu[-2:]])
    row = Row(WORKLOAD, FIND_CASE, FIND_PEER, FIND_TARGET)
    row.result = result
    if row.met is False:
        explain_find(row)
    row.notes.append(
        f"each query returns {min(matches)} studies (all Orthanc holds); "
        f"findscu with --repeat {repeat} on one association took "
        f"{repeated / repeat * 1e3:.2f} ms per query, process start included."
    )
    return row


# The return keys of our STUDY-level identifier, for findscu.
_FIND_RETURN_KEYS = (
    "SpecificCharacterSet=ISO_IR 100",
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "PatientSex",
    "StudyInstanceUID",
    "StudyDate",
    "StudyTime",
    "AccessionNumber",
    "ModalitiesInStudy",
    "StudyDescription",
    "NumberOfStudyRelatedSeries",
    "NumberOfStudyRelatedInstances",
)
