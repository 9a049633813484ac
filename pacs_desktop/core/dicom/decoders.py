"""Decoding one stored frame to a native-endian numpy array with pydicom's pixel API."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import numpy as np
from pydicom import pixels
from pydicom.dataset import Dataset
from pydicom.uid import UID

from pacs_desktop.core.dicom.direct import greyscale_frame
from pacs_desktop.core.dicom.geometry import number_of_frames
from pacs_desktop.core.dicom.reading import require_pixel_data
from pacs_desktop.core.errors import (
    DicomReadError,
    PixelDataError,
    UnsupportedTransferSyntaxError,
)

logger = logging.getLogger(__name__)

REQUIRED_IMAGE_PIXEL = (
    ("Rows", "(0028,0010)"),
    ("Columns", "(0028,0011)"),
    ("BitsAllocated", "(0028,0100)"),
    ("PhotometricInterpretation", "(0028,0004)"),
)

# One decoded frame may need at most this many bytes. The largest frames in
# clinical use (full-field mammography, 4096 x 5000 x 16 bits) need about
# 40 MB; a header declaring more is rejected before a decoder allocates it.
MAX_FRAME_BYTES = 1 << 30

_CONVERT_HINT = (
    "Convert the file to Explicit VR Little Endian (for example with DCMTK's "
    "'dcmconv +te' or 'gdcmconv --raw') and open the copy"
)


def transfer_syntax(ds: Dataset, path: Path | None) -> UID:
    """Return the Transfer Syntax UID (0002,0010) of ``ds``.

    Raises
    ------
    PixelDataError
        The file meta information has no Transfer Syntax UID.
    """
    meta = getattr(ds, "file_meta", None)
    uid = meta.get("TransferSyntaxUID") if meta is not None else None
    if not uid:
        raise PixelDataError(
            path,
            "has no Transfer Syntax UID (0002,0010): the pixel data cannot be read",
        )
    return uid if isinstance(uid, UID) else UID(str(uid))


def check_decoder(uid: UID, path: Path | None) -> None:
    """Check that an installed decoder handles the transfer syntax ``uid``.

    Raises
    ------
    UnsupportedTransferSyntaxError
        The UID is not a transfer syntax in pydicom's dictionary, no decoder exists for
        it, or the packages its decoders need are not installed.
    """
    label = uid.name if uid.name == str(uid) else f"{uid.name} ({uid})"
    if not uid.is_transfer_syntax:
        raise UnsupportedTransferSyntaxError(
            path,
            f"transfer syntax {label} is not supported: it is unknown. "
            + _CONVERT_HINT,
        )
    if not uid.is_compressed:
        return
    found, missing = _decoder_state(uid)
    if not found:
        raise UnsupportedTransferSyntaxError(
            path,
            f"transfer syntax {label} is not supported: no pixel data decoder "
            "exists for it. " + _CONVERT_HINT,
        )
    if missing is not None:
        raise UnsupportedTransferSyntaxError(
            path,
            f"transfer syntax {label} is not supported: no decoder for it is "
            f"installed. Install one of: {missing}",
        )


@functools.lru_cache(maxsize=64)
def _decoder_state(uid: UID) -> tuple[bool, str | None]:
    """Return whether pydicom has a decoder for ``uid`` and what it misses.

    The installed packages do not change while the program runs, so the
    result is cached (the look-up costs about 20 us per frame otherwise).
    """
    try:
        decoder = pixels.get_decoder(uid)
    except NotImplementedError:
        return False, None
    if decoder.is_available:
        return True, None
    return True, "; ".join(decoder.missing_dependencies)


def expected_native_length(ds: Dataset) -> int:
    """Return the bytes that Rows x Columns x Samples x Frames x Bits Allocated need."""
    bits_allocated = int(ds.BitsAllocated)
    if "FloatPixelData" in ds:
        bits_allocated = 32
    elif "DoubleFloatPixelData" in ds:
        bits_allocated = 64
    samples = int(ds.get("SamplesPerPixel", 1) or 1)
    if str(ds.PhotometricInterpretation).strip() == "YBR_FULL_422" and samples == 3:
        # PS3.3 C.7.6.3.1.2: two chroma samples are shared by each pixel pair.
        samples = 2
    bits = int(ds.Rows) * int(ds.Columns) * samples * number_of_frames(ds)
    return (bits * bits_allocated + 7) // 8


def check_pixel_description(ds: Dataset, path: Path | None) -> None:
    """Check the Image Pixel attributes against the pixel data, allocating nothing.

    Native pixel data must hold Rows x Columns x Samples per Pixel x Number of
    Frames x Bits Allocated; encapsulated pixel data must have room for one
    item (8 bytes at least) per frame; one frame may need at most
    `MAX_FRAME_BYTES`. Python integers do not overflow, so a declaration like
    65535 x 65535 x 1000 frames is rejected, never wrapped.

    Raises
    ------
    PixelDataError
        Pixel data or a required Image Pixel attribute is missing or zero, the
        pixel data are shorter than declared, or one frame is too large.
    """
    require_pixel_data(ds, path)
    _require_image_pixel_attributes(ds, path)
    try:
        rows, columns = int(ds.Rows), int(ds.Columns)
        bits_allocated = int(ds.BitsAllocated)
        samples = int(ds.get("SamplesPerPixel", 1) or 1)
    except (TypeError, ValueError) as exc:
        raise PixelDataError(path, f"invalid Image Pixel attribute: {exc}") from exc
    if min(rows, columns, bits_allocated, samples) < 1:
        raise PixelDataError(
            path,
            f"declares an empty image: Rows {rows}, Columns {columns}, Samples "
            f"per Pixel {samples}, Bits Allocated {bits_allocated}",
        )
    frame_bytes = (rows * columns * samples * max(bits_allocated, 8) + 7) // 8
    if frame_bytes > MAX_FRAME_BYTES:
        raise PixelDataError(
            path,
            f"one frame of {rows} x {columns} x {samples} samples at "
            f"{bits_allocated} bits needs {frame_bytes} bytes, more than the "
            f"{MAX_FRAME_BYTES} allowed: the Image Pixel attributes are wrong",
        )
    uid = transfer_syntax(ds, path)
    if not uid.is_transfer_syntax:
        # check_decoder rejects an unknown transfer syntax with its own reason.
        return
    if not uid.is_compressed:
        _check_native_length(ds, path)
        return
    check_decoder(uid, path)
    frames = number_of_frames(ds)
    encoded = len(ds.get("PixelData", b"") or b"")
    if frames > encoded // 8:
        raise PixelDataError(
            path,
            f"declares {frames} frames but its encapsulated Pixel Data "
            f"(7FE0,0010) of {encoded} bytes cannot hold that many: the file is "
            "truncated or Number of Frames (0028,0008) is wrong",
        )


def decode_stored_array(
    ds: Dataset, stored_index: int, path: Path | None, *, checked: bool = False
) -> np.ndarray:
    """Decode the frame at ``stored_index`` (0-based, stored order).

    Colour is returned as RGB (YBR_FULL and YBR_FULL_422 converted, JPEG 2000
    ICT/RCT already inverted by the codec); palette colour as its indices.
    ``checked`` true means the caller has just run `check_pixel_description`
    on ``ds``, which is then not repeated.

    Raises
    ------
    DicomReadError
        The frame index is out of range.
    PixelDataError
        Pixel data or a required Image Pixel attribute is missing, the pixel
        data are shorter than the header declares (see
        `check_pixel_description`), or decoding failed.
    UnsupportedTransferSyntaxError
        No installed decoder handles the transfer syntax.
    """
    if not checked:
        check_pixel_description(ds, path)
    frames = number_of_frames(ds)
    if not 0 <= stored_index < frames:
        raise DicomReadError(
            path, f"has no frame {stored_index + 1}: it contains {frames} frame(s)"
        )

    uid = transfer_syntax(ds, path)
    # check_pixel_description has checked the decoder of a compressed syntax.
    if not (checked and uid.is_transfer_syntax and uid.is_compressed):
        check_decoder(uid, path)

    try:
        array = greyscale_frame(ds, stored_index, frames, uid)
    except BaseException as exc:
        _reraise_interrupt(exc)
        # pydicom's path decodes again and raises its own, checked error.
        array = None
    if array is None:
        array = _pydicom_frame(ds, stored_index, frames, uid, path)
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    return array


def _pydicom_frame(
    ds: Dataset, stored_index: int, frames: int, uid: UID, path: Path | None
) -> np.ndarray:
    try:
        array = pixels.pixel_array(ds, index=stored_index)
    except BaseException as exc:
        _reraise_interrupt(exc)
        # Decoder plugins raise assorted types (RuntimeError, ValueError, OSError
        # and more) on corrupt data; one error type keeps a bad file contained.
        raise PixelDataError(
            path,
            f"decoding frame {stored_index + 1} of {frames} ({uid.name}) failed: {exc}",
        ) from exc
    return array


def _reraise_interrupt(exc: BaseException) -> None:
    """Re-raise ``exc`` unless it is a decoder's failure on corrupt data.

    pylibjpeg-rle 2.x is written in Rust and raises pyo3's PanicException, a
    BaseException, on some corrupt RLE segments (an index out of bounds), so
    catching Exception alone lets one bad file end the thread or process.
    """
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc


def _require_image_pixel_attributes(ds: Dataset, path: Path | None) -> None:
    missing = [
        f"{keyword} {tag}"
        for keyword, tag in REQUIRED_IMAGE_PIXEL
        if ds.get(keyword) in (None, "")
    ]
    if missing:
        raise PixelDataError(
            path, f"cannot decode the pixel data: missing {', '.join(missing)}"
        )


def _check_native_length(ds: Dataset, path: Path | None) -> None:
    keyword = next(
        name
        for name in ("PixelData", "FloatPixelData", "DoubleFloatPixelData")
        if name in ds
    )
    actual = len(ds[keyword].value or b"")
    expected = expected_native_length(ds)
    if actual < expected:
        raise PixelDataError(
            path,
            f"{keyword} contains {actual} bytes but Rows x Columns x Samples per Pixel "
            f"x Number of Frames x Bits Allocated need {expected}: the file is "
            "truncated or its Image Pixel attributes are wrong",
        )
