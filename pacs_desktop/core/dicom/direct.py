"""Direct codec calls for the common greyscale frame, bypassing pydicom's pixel API.

pydicom's generic pixel path builds and validates an options dictionary and a
decode runner for every frame. For a 384x384 RLE frame that costs more than
the codec itself (0.4 ms against 0.3 ms, measured with cProfile on the
sample MR). Here the frame's bytes go straight to the codec for one sample
per pixel and 8 or 16 bits allocated. Every other case, and any result whose
size does not match Rows x Columns, returns None so the caller uses pydicom.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np
from pydicom.dataset import Dataset
from pydicom.encaps import get_frame
from pydicom.uid import (
    HTJ2K,
    JPEG2000,
    UID,
    ExplicitVRBigEndian,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    JPEG2000Lossless,
    JPEGLossless,
    JPEGLosslessSV1,
    JPEGLSLossless,
    RLELossless,
)


def _optional_module(name: str) -> Any:
    # A missing codec package only disables its direct path; pydicom's path
    # then reports the missing decoder.
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_openjpeg = _optional_module("openjpeg.utils")
_rle = _optional_module("rle.utils")
_gdcm = _optional_module("gdcm")

# Lossless only: pydicom rejects some signed near-lossless JPEG-LS data that
# GDCM would decode wrongly, so those keep pydicom's checks.
_GDCM_SYNTAXES = frozenset({JPEGLossless, JPEGLosslessSV1, JPEGLSLossless})
# OpenJPEG reads both classic and High-Throughput JPEG 2000 codestreams.
_J2K_SYNTAXES = frozenset(
    {JPEG2000Lossless, JPEG2000, HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K}
)


def greyscale_frame(
    ds: Dataset, stored_index: int, frames: int, uid: UID
) -> np.ndarray | None:
    """Decode one greyscale frame with a direct codec call, or return None.

    The array is Rows x Columns with the stored sample type (unsigned or
    signed per Pixel Representation, before masking to Bits Stored). None
    means the frame needs pydicom's generic path: colour, other bit depths,
    a transfer syntax without a direct decoder, or an unexpected codec result.
    """
    if int(ds.get("SamplesPerPixel", 1) or 1) != 1:
        return None
    bits_allocated = int(ds.BitsAllocated)
    if bits_allocated not in (8, 16) or "PixelData" not in ds:
        return None
    rows, columns = int(ds.Rows), int(ds.Columns)
    signed = int(ds.get("PixelRepresentation", 0) or 0) == 1
    dtype = np.dtype(f"{'i' if signed else 'u'}{bits_allocated // 8}")

    if not uid.is_compressed:
        return _native_frame(ds, stored_index, dtype, uid)
    decode = _encapsulated_decoder(uid)
    if decode is None:
        return None
    frame = get_frame(ds.PixelData, stored_index, number_of_frames=frames)
    array = decode(ds, frame, rows, columns, dtype)
    if array is None or array.shape != (rows, columns):
        return None
    return array


def _native_frame(
    ds: Dataset, stored_index: int, dtype: np.dtype[np.generic], uid: UID
) -> np.ndarray | None:
    rows, columns = int(ds.Rows), int(ds.Columns)
    if uid == ExplicitVRBigEndian:
        dtype = dtype.newbyteorder(">")
    elif not uid.is_little_endian:
        return None
    size = rows * columns * dtype.itemsize
    data = ds.PixelData
    if len(data) < (stored_index + 1) * size:
        return None
    array = np.frombuffer(
        data, dtype=dtype, count=rows * columns, offset=stored_index * size
    )
    return array.reshape(rows, columns)


_Decoder = Callable[[Dataset, bytes, int, int, np.dtype[np.generic]], np.ndarray | None]


def _encapsulated_decoder(uid: UID) -> _Decoder | None:
    if uid in _J2K_SYNTAXES and _openjpeg is not None:
        return _decode_j2k
    if uid == RLELossless and _rle is not None:
        return _decode_rle
    if uid in _GDCM_SYNTAXES and _gdcm is not None:
        return _decode_gdcm
    return None


def _decode_j2k(
    ds: Dataset, frame: bytes, rows: int, columns: int, dtype: np.dtype[np.generic]
) -> np.ndarray | None:
    array: np.ndarray = _openjpeg.decode(frame)
    if array.ndim != 2 or array.dtype.itemsize != dtype.itemsize:
        return None
    return array


def _decode_rle(
    ds: Dataset, frame: bytes, rows: int, columns: int, dtype: np.dtype[np.generic]
) -> np.ndarray | None:
    # The decoder returns the frame's little-endian bytes as uint8.
    decoded = np.asarray(_rle.decode_pixel_data(frame, ds))
    if decoded.size != rows * columns * dtype.itemsize:
        return None
    return decoded.view(dtype.newbyteorder("<")).reshape(rows, columns)


def _decode_gdcm(
    ds: Dataset, frame: bytes, rows: int, columns: int, dtype: np.dtype[np.generic]
) -> np.ndarray | None:
    fragment = _gdcm.Fragment()
    fragment.SetByteStringValue(frame)
    fragments = _gdcm.SequenceOfFragments.New()
    fragments.AddFragment(fragment)
    element = _gdcm.DataElement(_gdcm.Tag(0x7FE0, 0x0010))
    element.SetValue(fragments.__ref__())

    image = _gdcm.Image()
    image.SetNumberOfDimensions(2)
    image.SetDimensions((columns, rows, 1))
    image.SetDataElement(element)
    photometric = str(ds.PhotometricInterpretation).strip()
    image.SetPhotometricInterpretation(
        _gdcm.PhotometricInterpretation(
            _gdcm.PhotometricInterpretation.GetPIType(photometric)
        )
    )
    syntax = str(ds.file_meta.TransferSyntaxUID)
    image.SetTransferSyntax(
        _gdcm.TransferSyntax(_gdcm.TransferSyntax.GetTSType(syntax))
    )
    bits_stored = int(ds.get("BitsStored", 0) or 0)
    if not 8 <= bits_stored <= dtype.itemsize * 8:
        return None
    image.SetPixelFormat(
        _gdcm.PixelFormat(
            1, dtype.itemsize * 8, bits_stored, bits_stored - 1, dtype.kind == "i"
        )
    )
    # GDCM's SWIG wrapper returns the buffer as text with surrogate escapes.
    buffer = image.GetBuffer().encode("utf-8", "surrogateescape")
    if len(buffer) != rows * columns * dtype.itemsize:
        return None
    return np.frombuffer(buffer, dtype=dtype).reshape(rows, columns)
