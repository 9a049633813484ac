"""C-GET keeps each instance's own transfer syntax (one syntax per context)."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.retrieve import retrieve
from tests.net.conftest import OrthancServer


@pytest.mark.parametrize(
    "name",
    [
        "4.dcm",  # RLE Lossless
        "5.dcm",  # JPEG Lossless SV1
        "7.dcm",  # JPEG-LS Lossless
        "9.dcm",  # JPEG 2000 Lossless
    ],
)
def test_get_keeps_transfer_syntax(
    orthanc: OrthancServer,
    shared_data: Path,
    local_entity: LocalEntity,
    tmp_path: Path,
    name: str,
) -> None:
    path = shared_data / "mr_transfer_syntaxes" / name
    original = pydicom.dcmread(path)
    orthanc.upload(path)
    archive = Archive(Database(tmp_path / "archive.sqlite"), tmp_path / "store")

    result = retrieve(
        orthanc.node,
        local_entity,
        archive,
        str(original.StudyInstanceUID),
        method="get",
    )
    assert result.complete
    stored_path = archive.instance_path(str(original.SOPInstanceUID))
    assert stored_path is not None
    stored = pydicom.dcmread(stored_path)
    assert stored.file_meta.TransferSyntaxUID == original.file_meta.TransferSyntaxUID
    assert stored.PixelData == original.PixelData
