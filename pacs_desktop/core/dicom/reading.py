"""Reading DICOM files, with or without the 128-byte preamble and file meta."""

from __future__ import annotations

import io
import logging
import struct
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.uid import (
    UID,
    ExplicitVRBigEndian,
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
)

from pacs_desktop.core.dicom.structure import (
    StructureError,
    check_file,
    structure_reason,
)
from pacs_desktop.core.errors import DicomReadError, PixelDataError

logger = logging.getLogger(__name__)

PREAMBLE_LENGTH = 128
DICM_PREFIX = b"DICM"

# Groups that open a data set written without preamble and file meta: the file
# meta group 0002, the DICOMDIR group 0004 or the identifying group 0008.
_FIRST_GROUPS = frozenset({0x0002, 0x0004, 0x0008})

# The explicit VRs of PS3.5 Table 6.2-1.
_VALID_VRS = frozenset(
    b"AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV "
    b"TM UC UI UL UN UR US UT UV".split()
)

PIXEL_DATA_KEYWORDS = ("PixelData", "FloatPixelData", "DoubleFloatPixelData")

# What pydicom 3.0 raises while parsing a corrupt file, besides
# InvalidDicomError: a damaged value that the reader interprets as it goes
# (Specific Character Set, a VR code, a length) surfaces as a TypeError,
# LookupError or ValueError from deep inside the reader.
PARSE_ERRORS: tuple[type[Exception], ...] = (
    EOFError,
    OSError,
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    ArithmeticError,
    struct.error,
    RecursionError,
    MemoryError,
)

IDENTIFYING_UIDS = (
    ("SOPClassUID", "(0008,0016)"),
    ("SOPInstanceUID", "(0008,0018)"),
    ("StudyInstanceUID", "(0020,000D)"),
    ("SeriesInstanceUID", "(0020,000E)"),
)


def read_dataset(path: Path, *, stop_before_pixels: bool = False) -> Dataset:
    """Read a DICOM file, with or without preamble and file meta information.

    A file without the ``DICM`` prefix is read only when it starts with a
    plausible data element, so arbitrary files are not parsed as DICOM. Before
    pydicom parses it, the file's structure is walked (see `structure`): a
    length past the end of the file, sequences nested too deep or a deflated
    data set that inflates too far are rejected without being read. When the
    file meta information lacks a Transfer Syntax UID, the one the reader
    detected is filled in so that the pixel data can be decoded.

    Parameters
    ----------
    path
        The file to read.
    stop_before_pixels
        Stop before the pixel data, for reading headers quickly.

    Returns
    -------
    Dataset
        The data set, with ``file_meta.TransferSyntaxUID`` always set.

    Raises
    ------
    DicomReadError
        The file is missing or unreadable, is not DICOM, is truncated or
        corrupt, exceeds a structural limit, or contains no data elements.
    """
    head = _read_head(path)
    has_prefix = _check_head(head, path)
    _check_structure(path)
    return _parse(path, path, has_prefix, stop_before_pixels)


def read_dataset_bytes(
    data: bytes, path: Path, *, stop_before_pixels: bool = False
) -> Dataset:
    """Read a DICOM file already held in memory, with the checks of `read_dataset`.

    For readers that need the file's bytes anyway (to hash them, for example):
    the bytes checked are the bytes parsed, and the file is read once.
    ``path`` names the file in error messages.

    Raises
    ------
    DicomReadError
        The bytes are not DICOM, are truncated or corrupt, exceed a
        structural limit, or contain no data elements.
    """
    has_prefix = _check_head(data[: PREAMBLE_LENGTH + 4], path)
    try:
        check_file(io.BytesIO(data))
    except StructureError as exc:
        raise DicomReadError(path, structure_reason(exc)) from exc
    return _parse(io.BytesIO(data), path, has_prefix, stop_before_pixels)


def looks_like_dicom(head: bytes) -> bool:
    """Tell whether the first 132 bytes of a file may start a DICOM file.

    True for the ``DICM`` prefix at byte 128 and for a file without preamble
    that opens with a plausible data element; `read_dataset` reads no other.
    """
    has_prefix = head[PREAMBLE_LENGTH : PREAMBLE_LENGTH + 4] == DICM_PREFIX
    return has_prefix or _starts_with_data_element(head)


def _check_head(head: bytes, path: Path) -> bool:
    """Return whether the file has the DICM prefix; reject what is not DICOM."""
    has_prefix = head[PREAMBLE_LENGTH : PREAMBLE_LENGTH + 4] == DICM_PREFIX
    if not has_prefix and not _starts_with_data_element(head):
        raise DicomReadError(
            path,
            "not a DICOM file: no 'DICM' prefix at byte 128 and no DICOM data "
            "element at the start of the file",
        )
    return has_prefix


def _parse(
    source: Path | io.BytesIO, path: Path, has_prefix: bool, stop_before_pixels: bool
) -> Dataset:
    try:
        ds = pydicom.dcmread(
            source, force=not has_prefix, stop_before_pixels=stop_before_pixels
        )
    except InvalidDicomError as exc:
        raise DicomReadError(path, f"not a DICOM file: {exc}") from exc
    except PARSE_ERRORS as exc:
        raise DicomReadError(path, f"truncated or corrupt DICOM file: {exc}") from exc

    if len(ds) == 0:
        raise DicomReadError(
            path,
            "contains no DICOM data elements after the file meta information: "
            "the file is empty or truncated",
        )
    _fill_transfer_syntax(ds)
    return ds


def require_pixel_data(ds: Dataset, path: Path | None) -> None:
    """Check that ``ds`` is an image with pixel data.

    Raises
    ------
    PixelDataError
        No Pixel Data (7FE0,0010), Float Pixel Data or Double Float Pixel Data
        element is present.
    """
    if any(keyword in ds for keyword in PIXEL_DATA_KEYWORDS):
        return
    sop_class = UID(str(ds.get("SOPClassUID", "") or ""))
    if "Image Storage" in sop_class.name:
        # The Image Pixel Module (PS3.3 C.7.6.3) leaves the pixels out only
        # when a JPIP Pixel Data Provider URL refers to them.
        raise PixelDataError(
            path,
            f"contains no Pixel Data (7FE0,0010), although {sop_class.name} is "
            "an image SOP Class: the file is incomplete, or refers to its pixels "
            "by a JPIP URL, and cannot be displayed",
        )
    kind = f" ({sop_class.name})" if sop_class else ""
    raise PixelDataError(
        path,
        f"contains no Pixel Data (7FE0,0010): the object{kind} is not an image "
        "and cannot be displayed",
    )


def require_identifiers(ds: Dataset, path: Path | None) -> None:
    """Check that the UIDs identifying the instance, series and study are set.

    Raises
    ------
    DicomReadError
        One or more of SOP Class UID, SOP Instance UID, Study Instance UID and
        Series Instance UID is missing or empty; the message names them all.
    """
    empty = [
        f"{keyword} {tag}"
        for keyword, tag in IDENTIFYING_UIDS
        if not str(ds.get(keyword, "") or "").strip()
    ]
    if empty:
        raise DicomReadError(
            path,
            f"required UIDs are missing or empty: {', '.join(empty)}; the "
            "instance cannot be identified. Ask the sender for a corrected file",
        )


def _check_structure(path: Path) -> None:
    """Walk the file's element headers; map a structural problem to a reason."""
    try:
        with path.open("rb") as stream:
            check_file(stream)
    except StructureError as exc:
        raise DicomReadError(path, structure_reason(exc)) from exc
    except OSError as exc:
        raise DicomReadError(path, f"cannot be read: {exc.strerror}") from exc


def _read_head(path: Path) -> bytes:
    """Return the first 132 bytes of ``path``, mapping OS errors to reasons."""
    try:
        with path.open("rb") as stream:
            return stream.read(PREAMBLE_LENGTH + 4)
    except FileNotFoundError as exc:
        raise DicomReadError(path, "file not found") from exc
    except IsADirectoryError as exc:
        raise DicomReadError(path, "is a folder, not a file") from exc
    except PermissionError as exc:
        raise DicomReadError(
            path, "permission denied: check the file's access rights"
        ) from exc
    except OSError as exc:
        raise DicomReadError(path, f"cannot be read: {exc.strerror}") from exc


def _starts_with_data_element(head: bytes) -> bool:
    """Tell whether ``head`` opens with a plausible data element of any encoding."""
    if len(head) < 8:
        return False
    for order in ("<", ">"):
        group, element = struct.unpack(f"{order}HH", head[:4])
        if group not in _FIRST_GROUPS or element > 0x0FFF:
            continue
        if head[4:6] in _VALID_VRS:
            return True
        # Implicit VR: a 32-bit length that fits in what a header could be.
        (length,) = struct.unpack(f"{order}I", head[4:8])
        if order == "<" and length < 0x10000:
            return True
    return False


def _fill_transfer_syntax(ds: Dataset) -> None:
    """Record the transfer syntax the reader used when the file meta lacks it."""
    meta = getattr(ds, "file_meta", None)
    if meta is None:
        meta = FileMetaDataset()
        ds.file_meta = meta
    if "TransferSyntaxUID" in meta:
        return
    implicit, little = ds.original_encoding
    if implicit:
        meta.TransferSyntaxUID = ImplicitVRLittleEndian
    elif little is False:
        meta.TransferSyntaxUID = ExplicitVRBigEndian
    else:
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
    logger.debug(
        "no Transfer Syntax UID in file meta, using %s", meta.TransferSyntaxUID
    )
