"""Measured causes of missed network targets, taken in the same run.

Each function splits our side of a row into the network part (pynetdicom with
a handler that does no storage) and the archive part (the same bytes stored
through ``Archive.import_dataset_bytes``), so the page says which one to work
on.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from pydicom import Dataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
from pynetdicom import build_context, build_role, evt

from bench.harness import Row
from bench.peers import ORTHANC_AET, SENDER_AET, WORKSTATION_AET, run_tool

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
STUDY_ROOT_GET = "1.2.840.10008.5.1.4.1.2.2.3"


def _store_seconds(folder: Path, encoded: list[bytes]) -> float:
    """Time storing ``encoded`` one by one in a fresh archive, as a receiver does."""
    from pacs_desktop.core.archive.database import DATABASE_NAME, Database
    from pacs_desktop.core.archive.index import Archive

    folder.mkdir()
    database = Database(folder / DATABASE_NAME)
    archive = Archive(database, folder / "store")
    start = time.perf_counter()
    for data in encoded:
        archive.import_dataset_bytes(data, WORKSTATION_AET, source_node=ORTHANC_AET)
    elapsed = time.perf_counter() - start
    database.close()
    shutil.rmtree(folder)
    return elapsed


def _ms_each(seconds: float, count: int) -> str:
    return f"{seconds / count * 1e3:.1f} ms per instance"


def _get_without_storage(port: int, study_uid: str) -> tuple[float, list[bytes]]:
    from pacs_desktop.core.net.association import LocalEntity, associate
    from pacs_desktop.core.net.nodes import Node

    node = Node("orthanc", ORTHANC_AET, "127.0.0.1", port)
    contexts = [
        build_context(STUDY_ROOT_GET),
        build_context(CT_IMAGE_STORAGE, [ExplicitVRLittleEndian]),
        build_context(CT_IMAGE_STORAGE, [ImplicitVRLittleEndian]),
    ]
    roles = [build_role(CT_IMAGE_STORAGE, scp_role=True)]
    received: list[bytes] = []

    def keep(event: evt.Event) -> int:
        received.append(event.encoded_dataset(include_meta=True))
        return 0x0000

    identifier = Dataset()
    identifier.QueryRetrieveLevel = "STUDY"
    identifier.StudyInstanceUID = study_uid
    handlers = [(evt.EVT_C_STORE, keep)]
    start = time.perf_counter()
    with associate(
        node,
        LocalEntity(WORKSTATION_AET),
        contexts,
        ext_neg=roles,
        evt_handlers=handlers,
    ) as opened:
        for _status, _identifier in opened.assoc.send_c_get(identifier, STUDY_ROOT_GET):
            pass
    return time.perf_counter() - start, received


def explain_retrieve(row: Row, port: int, study_uid: str, scratch: Path) -> None:
    """Split a missed retrieve into the C-GET itself and the archive's storage."""
    assert row.result is not None
    network, received = _get_without_storage(port, study_uid)
    count = len(received)
    storage = _store_seconds(scratch / "explain-retrieve", received)
    row.cause = (
        f"{row.result.ours.median:.3f} s against {row.result.peer.median:.3f} s "
        f"for getscu. Measured in this run for the {count} instances: the C-GET "
        f"through pynetdicom with a handler that only keeps the bytes "
        f"{network:.3f} s ({_ms_each(network, count)}; Orthanc sends 16 KB "
        "PDUs by default and each crosses pynetdicom's reader thread, event "
        "queue and state machine); storing the same bytes one by one through "
        f"Archive.import_dataset_bytes {storage:.3f} s "
        f"({_ms_each(storage, count)}: a pending-row commit, the file's write "
        "and fsync, the folder's fsync and the index commit; the retrieve "
        "itself runs three C-GET associations whose instances share these "
        "commits on one writer thread)."
    )
    row.next_step = (
        "cut the CPU per instance, which now bounds the retrieve on 2 cores: "
        "the check of each received file (structure walk, header parse, File "
        "Meta re-encoding, two SHA-256 passes) and pynetdicom's decoding of "
        "the 35 PDUs of 16 KB that Orthanc sends per CT slice."
    )


def explain_receive(row: Row, paths: list[Path], scratch: Path) -> None:
    """Split a missed receive into pynetdicom's acceptor and the archive."""
    from pacs_desktop.core.archive.database import DATABASE_NAME, Database
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.net.scp import StorageSCP

    assert row.result is not None
    count = len(paths)
    folder = scratch / "explain-receive"
    folder.mkdir()
    database = Database(folder / DATABASE_NAME)
    scp = StorageSCP(
        Archive(database, folder / "store"),
        ae_title=WORKSTATION_AET,
        port=0,
        allowed_aets=lambda: [SENDER_AET],
        bind_address="127.0.0.1",
    )
    # The handler is looked up when the SCP starts: this one stores nothing.
    setattr(scp.receiver, "handle_store", lambda event: 0x0000)  # noqa: B010
    scp.start()
    try:
        network = run_tool(
            [
                "storescu",
                "-aet",
                SENDER_AET,
                "-aec",
                WORKSTATION_AET,
                "+sd",
                "127.0.0.1",
                str(scp.port),
                str(paths[0].parent),
            ]
        )
    finally:
        scp.stop()
        database.close()
        shutil.rmtree(folder)
    storage = _store_seconds(
        scratch / "explain-receive-store", [path.read_bytes() for path in paths]
    )
    row.cause = (
        f"{row.result.ours.median:.3f} s against {row.result.peer.median:.3f} s "
        f"for storescp, which neither indexes nor fsyncs. Measured in this run "
        f"for the {count} instances: the same storescu into our SCP with a "
        f"handler that stores nothing {network:.3f} s "
        f"({_ms_each(network, count)}; pynetdicom 3.0's acceptor loop sleeps "
        "1 ms before it looks for each request, and decodes each PDU in "
        "Python), storing the bytes one by one through "
        f"Archive.import_dataset_bytes {storage:.3f} s "
        f"({_ms_each(storage, count)}, four synchronous commits or fsyncs "
        "each). A C-STORE response promises the instance is stored, so the "
        "fsync stays before it."
    )
    row.next_step = (
        "cut the archive's per-instance cost (one transaction for the pending "
        "row and the index row) and replace pynetdicom's polling acceptor "
        "loop; several associations in parallel already overlap, but "
        "storescu sends on one."
    )


def explain_send(row: Row, node: Any, local: Any, archive: Any, study_uid: str) -> None:
    """Split a missed send into the index look-up and the C-STOREs."""
    from pacs_desktop.core.net.send import outgoing_for_uids, send_instances

    assert row.result is not None
    start = time.perf_counter()
    outgoing = outgoing_for_uids(archive, [study_uid])
    lookup = time.perf_counter() - start
    start = time.perf_counter()
    send_instances(node, local, outgoing)
    sending = time.perf_counter() - start
    count = len(outgoing)
    row.cause = (
        f"{row.result.ours.median:.3f} s against {row.result.peer.median:.3f} s "
        f"for storescu. Measured in this run for the {count} instances: the "
        f"index look-up {lookup:.3f} s, the C-STOREs {sending:.3f} s "
        f"({_ms_each(sending, count)}: each file is read and its SHA-256 "
        "checked against the index before it goes out; pynetdicom splits it "
        "into PDUs in Python and hands each request and response between its "
        "reactor thread and ours through queues)."
    )
    row.next_step = (
        "send over two associations in parallel (storescp serves them at "
        "once), so one association's wait for a response overlaps the "
        "other's transfer."
    )


def explain_find(row: Row) -> None:
    """Say how far the slow tail of a missed C-FIND target is from its median."""
    assert row.result is not None
    ours = row.result.ours
    load = os.getloadavg()[0]
    cores = len(os.sched_getaffinity(0))
    row.cause = (
        f"the median query took {ours.median * 1e3:.2f} ms, but the slowest "
        f"5 % up to {ours.p95 * 1e3:.2f} ms (max {ours.maximum * 1e3:.2f} ms) "
        f"with the load average at {load:.1f} on {cores} cores when the row "
        "finished: the tail is other processes taking the CPU from our "
        "reactor thread or from Orthanc between a request and its responses."
    )
    row.next_step = (
        "run the row again on an idle machine; if the tail stays, decode the "
        "responses without pydicom's element-by-element conversion."
    )
