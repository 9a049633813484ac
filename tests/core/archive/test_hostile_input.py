"""Hostile files: executable preambles, deflate bombs, deep nesting, huge lengths."""

from __future__ import annotations

import struct
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import FileMetaDataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_file_meta_info
from pydicom.uid import (
    DeflatedExplicitVRLittleEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    SecondaryCaptureImageStorage,
    generate_uid,
)

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.errors import DicomReadError


def pydicom_file(name: str) -> Path:
    found = get_testdata_file(name)
    assert found is not None, f"pydicom test file {name} is missing"
    return Path(str(found))


# Memory one hostile file may cost an import, measured with tracemalloc.
MEMORY_BOUND = 20 << 20


def _meta(transfer_syntax: str, sop_uid: str) -> bytes:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = transfer_syntax
    meta.FileMetaInformationVersion = b"\x00\x01"
    buffer = DicomBytesIO()
    buffer.is_little_endian = True
    buffer.is_implicit_VR = False
    write_file_meta_info(buffer, meta, enforce_standard=True)
    return bytes(128) + b"DICM" + buffer.getvalue()


def _explicit(group: int, element: int, vr: bytes, value: bytes) -> bytes:
    if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT"):
        return struct.pack("<HH2s2xI", group, element, vr, len(value)) + value
    return struct.pack("<HH2sH", group, element, vr, len(value)) + value


def _uid_value(uid: str) -> bytes:
    data = uid.encode()
    return data + b"\x00" * (len(data) % 2)


def _identifying_elements(sop_uid: str) -> bytes:
    return b"".join(
        [
            _explicit(0x0008, 0x0016, b"UI", _uid_value(SecondaryCaptureImageStorage)),
            _explicit(0x0008, 0x0018, b"UI", _uid_value(sop_uid)),
            _explicit(0x0020, 0x000D, b"UI", _uid_value(generate_uid())),
            _explicit(0x0020, 0x000E, b"UI", _uid_value(generate_uid())),
        ]
    )


def _write(path: Path, *parts: bytes) -> Path:
    path.write_bytes(b"".join(parts))
    return path


@pytest.fixture
def memory() -> Iterator[None]:
    tracemalloc.start()
    yield
    tracemalloc.stop()


def _peak() -> int:
    return tracemalloc.get_traced_memory()[1]


@pytest.mark.parametrize(
    "preamble",
    [b"MZ" + b"\x90" * 126, b"\x7fELF\x02\x01\x01" + b"\xcc" * 121],
    ids=["windows-pe", "elf"],
)
def test_executable_preamble_zeroed(
    archive: Archive, tmp_path: Path, preamble: bytes
) -> None:
    data = bytearray(pydicom_file("CT_small.dcm").read_bytes())
    data[:128] = preamble
    source = _write(tmp_path / "hostile.dcm", bytes(data))

    summary = archive.import_paths([source])

    stored = archive.instance_path(pydicom.dcmread(source).SOPInstanceUID)
    assert summary.imported == [source]
    assert stored is not None
    assert stored.read_bytes()[:128] == bytes(128)


def _deflate_bomb(path: Path, inflated: int) -> Path:
    """Write a deflated file whose data set inflates to ``inflated`` zero bytes.

    The zeros are compressed in chunks, so the inflated form never exists in
    memory or on disk.
    """
    sop_uid = generate_uid()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    header = _identifying_elements(sop_uid) + struct.pack(
        "<HH2s2xI", 0x0009, 0x0010, b"OB", inflated
    )
    with path.open("wb") as out:
        out.write(_meta(DeflatedExplicitVRLittleEndian, sop_uid))
        out.write(compressor.compress(header))
        chunk = bytes(1 << 20)
        for _ in range(inflated >> 20):
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
    return path


@pytest.mark.parametrize("inflated", [10 << 20, 1 << 30], ids=["10MB", "1GB"])
def test_deflate_bomb_rejected(
    archive: Archive, tmp_path: Path, memory: None, inflated: int
) -> None:
    bomb = _deflate_bomb(tmp_path / "bomb.dcm", inflated)
    tracemalloc.reset_peak()
    started = time.monotonic()

    summary = archive.import_paths([bomb])

    assert time.monotonic() - started < 2.0
    assert _peak() < MEMORY_BOUND
    assert summary.imported == []
    assert "deflate bomb" in summary.rejected[0].reason


def test_deflate_bomb_unreadable(tmp_path: Path, memory: None) -> None:
    bomb = _deflate_bomb(tmp_path / "bomb.dcm", 1 << 30)
    tracemalloc.reset_peak()

    with pytest.raises(DicomReadError, match="deflate bomb"):
        read_dataset(bomb)

    assert _peak() < MEMORY_BOUND


def test_deflated_file_imported(archive: Archive) -> None:
    source = pydicom_file("image_dfl.dcm")

    summary = archive.import_paths([source])

    assert summary.imported == [source]


def _nested_undefined(depth: int) -> bytes:
    opening = struct.pack("<HH2s2xI", 0x0008, 0x1115, b"SQ", 0xFFFFFFFF)
    opening += struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF)
    closing = struct.pack("<HHI", 0xFFFE, 0xE00D, 0)
    closing += struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
    return opening * depth + closing * depth


def _nested_defined(depth: int) -> bytes:
    value = b""
    for _ in range(depth):
        item = struct.pack("<HHI", 0xFFFE, 0xE000, len(value)) + value
        value = struct.pack("<HH2s2xI", 0x0008, 0x1115, b"SQ", len(item)) + item
    return value


@pytest.mark.parametrize("build", [_nested_undefined, _nested_defined])
def test_deep_nesting_rejected(archive: Archive, tmp_path: Path, build: object) -> None:
    assert callable(build)
    sop_uid = generate_uid()
    path = _write(
        tmp_path / "deep.dcm",
        _meta(ExplicitVRLittleEndian, sop_uid),
        _identifying_elements(sop_uid),
        build(10_000),
    )

    summary = archive.import_paths([path])

    assert summary.imported == []
    assert "nested deeper than 16 levels" in summary.rejected[0].reason


def test_deep_nesting_unreadable(tmp_path: Path) -> None:
    sop_uid = generate_uid()
    path = _write(
        tmp_path / "deep.dcm",
        _meta(ExplicitVRLittleEndian, sop_uid),
        _identifying_elements(sop_uid),
        _nested_undefined(10_000),
    )

    with pytest.raises(DicomReadError, match="nested deeper"):
        read_dataset(path)


def test_nesting_at_limit_accepted(archive: Archive, tmp_path: Path) -> None:
    sop_uid = generate_uid()
    path = _write(
        tmp_path / "nested.dcm",
        _meta(ExplicitVRLittleEndian, sop_uid),
        _identifying_elements(sop_uid),
        _nested_defined(16),
    )

    summary = archive.import_paths([path])

    assert summary.imported == [path]


@pytest.mark.parametrize(
    ("element", "syntax"),
    [
        (struct.pack("<HH2s2xI", 0x0009, 0x1000, b"OB", 0xFFFFFFF0), "explicit"),
        (struct.pack("<HH2sH", 0x0010, 0x0010, b"PN", 0xFFFF), "explicit"),
        (struct.pack("<HHI", 0x0010, 0x0010, 0xFFFFFFF0), "implicit"),
        (struct.pack("<HH2s2xI", 0x7FE0, 0x0010, b"OW", 0x7FFFFFFE), "explicit"),
    ],
    ids=["OB-0xFFFFFFF0", "PN-past-end", "implicit-0xFFFFFFF0", "pixel-2GB"],
)
def test_huge_length_rejected(
    archive: Archive, tmp_path: Path, memory: None, element: bytes, syntax: str
) -> None:
    sop_uid = generate_uid()
    if syntax == "implicit":
        source = pydicom.dcmread(pydicom_file("CT_small.dcm"))
        source.SOPInstanceUID = sop_uid
        del source.PixelData
        source.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian
        buffer = DicomBytesIO()
        source.save_as(buffer, implicit_vr=True, little_endian=True)
        meta = _meta(ImplicitVRLittleEndian, sop_uid)
        encoded = buffer.getvalue()
        body = encoded[encoded.index(b"\x08\x00\x05\x00") :]
    else:
        meta = _meta(ExplicitVRLittleEndian, sop_uid)
        body = _identifying_elements(sop_uid)
    path = _write(tmp_path / "long.dcm", meta, body, element, b"\x00" * 64)
    tracemalloc.reset_peak()
    started = time.monotonic()

    summary = archive.import_paths([path])

    assert time.monotonic() - started < 1.0
    assert _peak() < MEMORY_BOUND
    assert summary.imported == []
    assert "declares" in summary.rejected[0].reason


def test_huge_length_unreadable(tmp_path: Path, memory: None) -> None:
    sop_uid = generate_uid()
    path = _write(
        tmp_path / "long.dcm",
        _meta(ExplicitVRLittleEndian, sop_uid),
        _identifying_elements(sop_uid),
        struct.pack("<HH2s2xI", 0x0009, 0x1000, b"OB", 0xFFFFFFF0),
    )
    tracemalloc.reset_peak()

    with pytest.raises(DicomReadError, match="declares 4294967280 bytes"):
        read_dataset(path)

    assert _peak() < MEMORY_BOUND


def _padded_ct(tmp_path: Path, zeros: int) -> Path:
    source = pydicom.dcmread(pydicom_file("CT_small.dcm"))
    source.SOPInstanceUID = generate_uid()
    source.file_meta.MediaStorageSOPInstanceUID = source.SOPInstanceUID
    path = tmp_path / f"padded-{zeros}.dcm"
    source.save_as(path)
    with path.open("ab") as stream:
        stream.truncate(path.stat().st_size + zeros)  # sparse zero bytes
    return path


def test_long_zero_padding_rejected(archive: Archive, tmp_path: Path) -> None:
    path = _padded_ct(tmp_path, 1 << 20)

    summary = archive.import_paths([path])

    assert summary.imported == []
    assert "1048576 zero bytes" in summary.rejected[0].reason
    assert "padded or damaged" in summary.rejected[0].reason


def test_short_zero_padding_accepted(archive: Archive, tmp_path: Path) -> None:
    path = _padded_ct(tmp_path, 4096)

    summary = archive.import_paths([path])

    assert len(summary.imported) == 1
