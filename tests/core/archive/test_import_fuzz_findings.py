"""Import failures the import and render fuzz run found, distilled to one file each."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from pydicom.dataset import FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_file_meta_info
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.errors import DicomReadError

SOP_UID = "1.2.826.0.1.3680043.8.498.1"


def _explicit(tag: tuple[int, int], vr: bytes, value: bytes) -> bytes:
    if len(value) % 2:
        value += b" " if vr not in (b"UI", b"OB") else b"\x00"
    if vr in (b"OB", b"SQ", b"UN"):
        return struct.pack("<HH2s2xI", *tag, vr, len(value)) + value
    return struct.pack("<HH2sH", *tag, vr, len(value)) + value


def _file(tmp_path: Path, *elements: bytes) -> Path:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = SOP_UID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.FileMetaInformationVersion = b"\x00\x01"
    buffer = DicomBytesIO()
    buffer.is_little_endian, buffer.is_implicit_VR = True, False
    write_file_meta_info(buffer, meta, enforce_standard=True)
    identifying = [
        _explicit((0x0008, 0x0016), b"UI", SecondaryCaptureImageStorage.encode()),
        _explicit((0x0008, 0x0018), b"UI", SOP_UID.encode()),
        _explicit((0x0020, 0x000D), b"UI", b"1.2.826.0.1.3680043.8.498.2"),
        _explicit((0x0020, 0x000E), b"UI", b"1.2.826.0.1.3680043.8.498.3"),
    ]
    body = sorted([*elements, *identifying], key=lambda e: struct.unpack("<HH", e[:4]))
    path = tmp_path / "charset.dcm"
    path.write_bytes(bytes(128) + b"DICM" + buffer.getvalue() + b"".join(body))
    return path


# A swapped tag leaves Specific Character Set (0008,0005) with the VR of the
# element it swapped with; pydicom 3.0.2 then raises TypeError while reading.
CHARSET_CASES = [
    pytest.param(_explicit((0x0008, 0x0005), b"DS", b"1.5"), id="DS"),
    pytest.param(_explicit((0x0008, 0x0005), b"IS", b"10"), id="IS"),
    pytest.param(_explicit((0x0008, 0x0005), b"US", struct.pack("<H", 7)), id="US"),
]


@pytest.mark.parametrize("element", CHARSET_CASES)
def test_bad_charset_vr_rejected(
    archive: Archive, tmp_path: Path, element: bytes
) -> None:
    path = _file(tmp_path, element)

    summary = archive.import_paths([path])

    assert summary.imported == []
    assert "not readable as DICOM" in summary.rejected[0].reason


@pytest.mark.parametrize("element", CHARSET_CASES)
def test_bad_charset_vr_unreadable(tmp_path: Path, element: bytes) -> None:
    path = _file(tmp_path, element)

    with pytest.raises(DicomReadError, match="corrupt DICOM file"):
        read_dataset(path)
