"""Reading archived files for display: the SHA-256 check on the bytes read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import generate_uid

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.integrity import (
    IntegrityError,
    StoredInstance,
    check_bytes,
    check_stored,
    stored_instances_of_series,
)
from pacs_desktop.core.dicom.parallel import (
    SeriesDecoder,
    decode_frame_at,
    read_for_display,
)
from pacs_desktop.core.dicom.reading import read_dataset

SLICES = 3


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    database = Database(tmp_path / "archive.sqlite")
    archive = Archive(database, tmp_path / "store")
    yield archive
    archive.close()
    database.close()


@pytest.fixture
def stored(archive: Archive, tmp_path: Path) -> list[StoredInstance]:
    """Archive three slices of CT_small.dcm; return their index rows in order."""
    source_path = get_testdata_file("CT_small.dcm")
    assert source_path is not None
    folder = tmp_path / "incoming"
    folder.mkdir()
    ds = pydicom.dcmread(source_path)
    ds.SeriesInstanceUID = series_uid = generate_uid()
    for number in range(SLICES):
        ds.SOPInstanceUID = generate_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.InstanceNumber = number + 1
        ds.ImagePositionPatient = [0.0, 0.0, float(number)]
        ds.save_as(folder / f"{number}.dcm", enforce_file_format=True)
    summary = archive.import_paths(sorted(folder.iterdir()))
    assert len(summary.imported) == SLICES
    rows = stored_instances_of_series(archive, series_uid)
    records = archive.instances_for_series(series_uid)
    return [rows[record.path] for record in records]


def _alter_pixels(path: Path) -> None:
    """Change one byte of the first pixel; the file stays valid DICOM."""
    data = bytearray(path.read_bytes())
    # Pixel Data (7FE0,0010) in Explicit VR Little Endian: tag, VR "OW", two
    # reserved bytes and a 4-byte length come before the value.
    start = data.rfind(b"\xe0\x7f\x10\x00OW") + 12
    data[start] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def decoder() -> Iterator[SeriesDecoder]:
    with SeriesDecoder(workers=1) as pool:
        yield pool


def test_rows_of_series_name_stored_files(stored: list[StoredInstance]) -> None:
    assert all(row.path.is_file() for row in stored)
    assert len({row.file_sha256 for row in stored}) == SLICES


def test_unchanged_file_reads(stored: list[StoredInstance]) -> None:
    row = stored[0]

    ds = read_for_display(row.path, row)

    assert ds.SOPInstanceUID == row.sop_instance_uid


def test_check_bytes_matches_check_stored(stored: list[StoredInstance]) -> None:
    row = stored[1]
    _alter_pixels(row.path)

    from_bytes = check_bytes(row, row.path.read_bytes())
    from_file = check_stored(row)

    assert from_bytes is not None
    assert from_file is not None
    assert from_bytes.reason.startswith(from_file.reason.rsplit(";", 1)[0])


def test_changed_file_is_rejected(stored: list[StoredInstance]) -> None:
    row = stored[1]
    _alter_pixels(row.path)

    with pytest.raises(IntegrityError) as caught:
        read_for_display(row.path, row)

    assert caught.value.path == row.path
    assert caught.value.sop_instance_uid == row.sop_instance_uid
    assert "changed since it was archived" in str(caught.value)
    assert "pacs-desktop archive verify" in str(caught.value)


def test_altered_pixels_would_decode_unchecked(stored: list[StoredInstance]) -> None:
    # Without the check the altered file decodes: the check is what stops it.
    row = stored[1]
    before = decode_frame_at(row.path, 0, row).modality.copy()
    _alter_pixels(row.path)

    after = decode_frame_at(row.path, 0).modality

    assert not np.array_equal(before, after)


def test_decode_frame_at_checks(stored: list[StoredInstance]) -> None:
    row = stored[2]
    _alter_pixels(row.path)

    with pytest.raises(IntegrityError, match="changed since it was archived"):
        decode_frame_at(row.path, 0, row)


def test_parse_from_bytes_matches_reader(stored: list[StoredInstance]) -> None:
    row = stored[0]

    checked = read_for_display(row.path, row)

    assert checked == read_dataset(row.path)


def test_worker_rejects_changed_file(
    decoder: SeriesDecoder, stored: list[StoredInstance]
) -> None:
    row = stored[1]
    _alter_pixels(row.path)

    with pytest.raises(IntegrityError) as caught:
        decoder.decode(row.path, 0, row).result()

    assert caught.value.path == row.path
    assert "changed since it was archived" in caught.value.reason


def test_worker_decodes_unchanged_file(
    decoder: SeriesDecoder, stored: list[StoredInstance]
) -> None:
    row = stored[0]

    frame = decoder.decode(row.path, 0, row).result()

    assert frame.modality.shape == (128, 128)


def test_load_skips_changed_file(
    decoder: SeriesDecoder, stored: list[StoredInstance]
) -> None:
    _alter_pixels(stored[1].path)
    rows = {row.path: row for row in stored}

    loaded = decoder.load([row.path for row in stored], stored=rows)

    assert [ref.path for ref in loaded.series.frames] == [
        stored[0].path,
        stored[2].path,
    ]
    assert [path for path, _ in loaded.series.errors] == [stored[1].path]
    assert "changed since it was archived" in loaded.series.errors[0][1]
    assert all(image is not None for image in loaded.images)
