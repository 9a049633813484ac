"""Stopping the storage SCP leaves open associations running to their end.

The GUI restarts the SCP when its settings change; a modality that is
sending at that moment must not lose its association.
"""

from __future__ import annotations

from pathlib import Path

import pydicom
from pydicom.data import get_testdata_file
from pynetdicom import AE

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.net.association import Timeouts
from pacs_desktop.core.net.scp import StorageSCP

QUICK = Timeouts(acse=5.0, dimse=10.0, network=10.0, connect=5.0)


def _scp(archive: Archive, ae_title: str, port: int) -> StorageSCP:
    return StorageSCP(
        archive,
        ae_title=ae_title,
        port=port,
        allowed_aets=lambda: ["MODALITY"],
        timeouts=QUICK,
        bind_address="127.0.0.1",
    )


def test_open_association_survives_restart(tmp_path: Path) -> None:
    archive = Archive(Database(tmp_path / "archive.sqlite"), tmp_path / "store")
    old = _scp(archive, "OLDTITLE", 0)
    old.start()
    port = old.port
    dataset = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    modality = AE("MODALITY")
    modality.add_requested_context(
        dataset.SOPClassUID, dataset.file_meta.TransferSyntaxUID
    )
    assoc = modality.associate("127.0.0.1", port, ae_title="OLDTITLE")
    assert assoc.is_established
    new = _scp(archive, "NEWTITLE", port)
    try:
        old.stop()
        new.start()

        status = assoc.send_c_store(dataset)
        assoc.release()
    finally:
        assoc.abort()
        new.stop()

    assert status.Status == 0x0000
    assert archive.count_instances() == 1
    assert new.port == port
