"""`pacs-desktop render` queues the re-fetch of a damaged archived instance."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.filebase import DicomBytesIO
from pydicom.uid import generate_uid

from pacs_desktop.cli.main import run
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.net.queue import SyncJob, SyncQueue
from pacs_desktop.core.paths import resolve_data_dir
from pacs_desktop.core.workstation import Workstation

PACS_AE_TITLE = "MAIN_PACS"
NODE_NAME = "main-pacs"


def _store_damaged(source_node: str, *, configure_node: bool) -> tuple[str, str]:
    """Archive one CT slice as sent by ``source_node``, then change its file.

    Returns the SOP Instance UID and the Study Instance UID.
    """
    ds = pydicom.dcmread(str(get_testdata_file("CT_small.dcm")))
    ds.StudyInstanceUID = generate_uid()
    ds.SOPInstanceUID = generate_uid()
    buffer = DicomBytesIO()
    ds.save_as(buffer)
    workstation = Workstation(resolve_data_dir())
    try:
        if configure_node:
            NodeStore(workstation.database).add(
                Node(NODE_NAME, PACS_AE_TITLE, "127.0.0.1", 11112)
            )
        archive = workstation.archive
        archive.import_dataset_bytes(
            buffer.getvalue(), source_node or "file", source_node=source_node
        )
        stored = archive.instance_path(str(ds.SOPInstanceUID))
    finally:
        workstation.close()
    assert stored is not None
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0xFF
    stored.write_bytes(bytes(data))
    return str(ds.SOPInstanceUID), str(ds.StudyInstanceUID)


def _jobs() -> list[SyncJob]:
    workstation = Workstation(resolve_data_dir())
    try:
        return SyncQueue(workstation.database).list_jobs()
    finally:
        workstation.close()


def _render(uid: str, output: Path, capsys: pytest.CaptureFixture[str]) -> str:
    status = run(["render", uid, "--output", str(output)])
    assert status == 1
    return capsys.readouterr().err


def test_render_queues_retrieve_from_source_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uid, study = _store_damaged(PACS_AE_TITLE, configure_node=True)

    message = _render(uid, tmp_path / "x.png", capsys)

    assert "SHA-256" in message
    assert f"retrieve job 1 is queued to fetch a new copy of study {study}" in message
    assert f"from node {NODE_NAME}" in message
    assert "`pacs-desktop queue run` runs it now" in message
    assert [(job.kind, job.node, job.uids) for job in _jobs()] == [
        ("retrieve", NODE_NAME, [study])
    ]


def test_second_render_names_queued_job(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uid, _ = _store_damaged(PACS_AE_TITLE, configure_node=True)
    _render(uid, tmp_path / "x.png", capsys)

    message = _render(uid, tmp_path / "x.png", capsys)

    assert "retrieve job 1, already queued" in message
    assert len(_jobs()) == 1


@pytest.mark.parametrize(
    ("source_node", "configure_node", "reason"),
    [
        ("", False, "the instances were imported from files"),
        ("OTHER_PACS", True, "the instances came from AE title OTHER_PACS, but no"),
    ],
)
def test_render_says_why_not_refetched(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    source_node: str,
    configure_node: bool,
    reason: str,
) -> None:
    uid, _ = _store_damaged(source_node, configure_node=configure_node)

    message = _render(uid, tmp_path / "x.png", capsys)

    assert f"it cannot be re-fetched: {reason}" in message
    assert _jobs() == []
