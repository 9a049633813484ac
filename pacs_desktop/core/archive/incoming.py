"""Read an incoming DICOM file: its encoding, identifying attributes and body.

The archive stores the data set's encoded bytes unchanged. Only the 128-byte
preamble (zeroed, because a preamble can hold an executable) and the File Meta
Information (rewritten with the data set's own UIDs and a correct group length,
PS3.10 section 7.1) are replaced.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_file_meta_info
from pydicom.uid import (
    UID,
)

from pacs_desktop.core.archive.names import full_person_name
from pacs_desktop.core.dicom.reading import PARSE_ERRORS
from pacs_desktop.core.dicom.structure import (
    StructureError,
    check_file,
    structure_reason,
)
from pacs_desktop.core.errors import DicomReadError

PREAMBLE_LENGTH = 128
PREFIX = b"DICM"
CHUNK_SIZE = 1 << 20
MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"
# PS3.5 section 9.1: digits and dots, no empty component, at most 64 characters.
_UID_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)*")
# Data elements the index keeps; the other attributes stay in the file only.
REQUIRED_UIDS = (
    "SOPClassUID",
    "SOPInstanceUID",
    "StudyInstanceUID",
    "SeriesInstanceUID",
)


@dataclass(frozen=True)
class InstanceAttributes:
    """The attributes of one instance that the index stores."""

    SOPClassUID: str
    SOPInstanceUID: str
    StudyInstanceUID: str
    SeriesInstanceUID: str
    PatientName: str
    PatientID: str
    PatientBirthDate: str
    PatientSex: str
    StudyDate: str
    StudyTime: str
    AccessionNumber: str
    StudyDescription: str
    Modality: str
    SeriesNumber: int | None
    SeriesDescription: str
    InstanceNumber: int | None
    NumberOfFrames: int


@dataclass(frozen=True)
class IncomingFile:
    """A checked incoming file, ready to be stored.

    ``body_offset`` and ``body_length`` locate the encoded data set (everything
    after the File Meta Information) in the source; ``meta`` is the encoded
    File Meta Information to store in front of it.
    """

    attributes: InstanceAttributes
    transfer_syntax: str
    meta: bytes
    body_offset: int
    body_length: int
    dataset_sha256: str

    def stored_prefix(self) -> bytes:
        """Return what precedes the data set in the stored file."""
        return bytes(PREAMBLE_LENGTH) + PREFIX + self.meta


def read_incoming(fp: BinaryIO, path: Path) -> IncomingFile:
    """Check the DICOM file open in ``fp`` and collect what storing it needs.

    ``path`` names the file in messages only.

    Raises
    ------
    DicomReadError
        If the file is not DICOM, is truncated, exceeds a structural limit
        (see `pacs_desktop.core.dicom.structure`), lacks a required UID, holds
        an invalid UID or is a DICOMDIR.
    """
    # The structure is walked before pydicom parses anything, so no declared
    # length, nesting depth or deflated size reaches the parser unchecked.
    try:
        layout = check_file(fp)
    except StructureError as exc:
        raise DicomReadError(path, structure_reason(exc)) from exc
    size = layout.size
    body_offset = layout.body_offset
    transfer_syntax = layout.transfer_syntax
    dataset = _read_dataset(fp, path)

    attributes = _attributes(dataset, path)
    return IncomingFile(
        attributes=attributes,
        transfer_syntax=transfer_syntax,
        meta=_encode_meta(dataset, attributes, transfer_syntax),
        body_offset=body_offset,
        body_length=size - body_offset,
        dataset_sha256=_hash_range(fp, body_offset, size),
    )


def iter_body(fp: BinaryIO, incoming: IncomingFile) -> Iterator[bytes]:
    """Yield the encoded data set of ``incoming`` from ``fp`` in chunks."""
    fp.seek(incoming.body_offset)
    remaining = incoming.body_length
    while remaining > 0:
        chunk = fp.read(min(CHUNK_SIZE, remaining))
        if not chunk:
            raise DicomReadError(None, "the file became shorter while it was read")
        remaining -= len(chunk)
        yield chunk


_READ_ERRORS: tuple[type[Exception], ...] = (InvalidDicomError, *PARSE_ERRORS)


def _read_dataset(fp: BinaryIO, path: Path) -> Dataset:
    fp.seek(0)
    try:
        return pydicom.dcmread(fp, force=True, stop_before_pixels=True)
    except _READ_ERRORS as exc:
        # The structure check bounds what pydicom sees; these remain as a
        # backstop, so one file never stops an import.
        raise DicomReadError(path, f"not readable as DICOM: {exc}") from exc


def _attributes(dataset: Dataset, path: Path) -> InstanceAttributes:
    _check_uids_present(dataset, path)
    uids: dict[str, str] = {}
    for keyword in REQUIRED_UIDS:
        uids[keyword] = _required_uid(dataset, keyword, path)
    if uids["SOPClassUID"] == MEDIA_STORAGE_DIRECTORY:
        raise DicomReadError(
            path, "a DICOMDIR is an index of media files, not an instance"
        )
    try:
        name = full_person_name(dataset.get("PatientName"))
    except (LookupError, ValueError) as exc:
        raise DicomReadError(path, f"invalid PatientName (0010,0010): {exc}") from exc
    return InstanceAttributes(
        PatientName=name,
        PatientID=_text(dataset.get("PatientID")),
        PatientBirthDate=_text(dataset.get("PatientBirthDate")),
        PatientSex=_text(dataset.get("PatientSex")),
        StudyDate=_text(dataset.get("StudyDate")),
        StudyTime=_text(dataset.get("StudyTime")),
        AccessionNumber=_text(dataset.get("AccessionNumber")),
        StudyDescription=_text(dataset.get("StudyDescription")),
        Modality=_text(dataset.get("Modality")),
        SeriesNumber=_integer(dataset, "SeriesNumber"),
        SeriesDescription=_text(dataset.get("SeriesDescription")),
        InstanceNumber=_integer(dataset, "InstanceNumber"),
        NumberOfFrames=_integer(dataset, "NumberOfFrames") or 1,
        **uids,
    )


def _check_uids_present(dataset: Dataset, path: Path) -> None:
    # One reason names every absent UID, so a file is fixed in one pass.
    missing = [_where(k) for k in REQUIRED_UIDS if k not in dataset]
    empty = [
        _where(k) for k in REQUIRED_UIDS if k in dataset and not _text(dataset.get(k))
    ]
    problems = []
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        problems.append(f"{', '.join(missing)} {verb} missing")
    if empty:
        verb = "is" if len(empty) == 1 else "are"
        problems.append(f"{', '.join(empty)} {verb} empty")
    if problems:
        raise DicomReadError(
            path, f"{'; '.join(problems)}; the file cannot be archived"
        )


def _where(keyword: str) -> str:
    tag = pydicom.datadict.tag_for_keyword(keyword)
    return f"{keyword} ({tag >> 16:04X},{tag & 0xFFFF:04X})" if tag else keyword


def _required_uid(dataset: Dataset, keyword: str, path: Path) -> str:
    where = _where(keyword)
    if keyword not in dataset:
        raise DicomReadError(path, f"{where} is missing; the file cannot be archived")
    value = _text(dataset.get(keyword))
    if not value:
        raise DicomReadError(path, f"{where} is empty; the file cannot be archived")
    if len(value) > 64 or not _UID_PATTERN.fullmatch(value):
        raise DicomReadError(
            path, f"{where} {value!r} is not a valid UID (digits and dots, at most 64)"
        )
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str) and hasattr(value, "__iter__"):
        value = "\\".join(str(item) for item in value)
    return str(value).strip(" \x00")


def _integer(dataset: Dataset, keyword: str) -> int | None:
    # A malformed IS value makes an unknown number, not a rejected file.
    try:
        value = dataset.get(keyword)
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        return None


def _encode_meta(
    dataset: Dataset, attributes: InstanceAttributes, transfer_syntax: str
) -> bytes:
    meta = FileMetaDataset()
    original = getattr(dataset, "file_meta", None)
    if original is not None:
        for element in original:
            if element.tag != 0x00020000:
                meta.add(element)
    meta.MediaStorageSOPClassUID = UID(attributes.SOPClassUID)
    meta.MediaStorageSOPInstanceUID = UID(attributes.SOPInstanceUID)
    meta.TransferSyntaxUID = UID(transfer_syntax)
    meta.FileMetaInformationVersion = b"\x00\x01"
    buffer = DicomBytesIO()
    buffer.is_little_endian = True
    buffer.is_implicit_VR = False
    write_file_meta_info(buffer, meta, enforce_standard=True)
    return buffer.getvalue()


def _hash_range(fp: BinaryIO, start: int, end: int) -> str:
    digest = hashlib.sha256()
    fp.seek(start)
    remaining = end - start
    while remaining > 0:
        chunk = fp.read(min(CHUNK_SIZE, remaining))
        if not chunk:
            break
        digest.update(chunk)
        remaining -= len(chunk)
    return digest.hexdigest()
