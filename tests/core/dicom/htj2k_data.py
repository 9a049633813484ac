"""HTJ2K test images made with OpenJPH's ojph_compress from real pixel data.

No installed Python package encodes High-Throughput JPEG 2000 (ISO/IEC
15444-15). So these builders write a source image's stored values to a file
and run ojph_compress on it. The codestream then goes into a copy of the
source data set with an HTJ2K transfer syntax (PS3.5 A.4.11).
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset
from pydicom.encaps import encapsulate
from pydicom.uid import (
    HTJ2K,
    UID,
    ExplicitVRLittleEndian,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    generate_uid,
)

OJPH_COMPRESS = "ojph_compress"
HTJ2K_SYNTAXES = (HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K)

# Byte offset of the first component's Ssiz in a codestream that starts with
# SOC and SIZ (ISO/IEC 15444-1 A.5.1): SOC 2, SIZ marker 2, Lsiz 2, Rsiz 2,
# eight 4-byte sizes 32, Csiz 2. Bit 7 of Ssiz marks signed samples.
_FIRST_SSIZ = 42
_SIGNED_FLAG = 0x80


def require_ojph_compress() -> str:
    """Return the path of ojph_compress; skip without it, or fail in CI."""
    found = shutil.which(OJPH_COMPRESS)
    if found is None:
        message = f"{OJPH_COMPRESS} is not installed (Debian package openjph-tools)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def stored_array(ds: Dataset) -> np.ndarray:
    """Return the stored values of a native single-frame image, masked to Bits Stored.

    Bits above Bits Stored are cleared (unsigned) or copies of the sign bit
    (signed), which is what an encoder of that bit depth can represent.
    """
    pixels = np.asarray(ds.pixel_array)
    bits = int(ds.BitsStored)
    if pixels.dtype.itemsize * 8 == bits:
        return pixels
    values = pixels.astype(np.int64) & ((1 << bits) - 1)
    if int(ds.PixelRepresentation) == 1:
        values = np.where(values >= 1 << (bits - 1), values - (1 << bits), values)
    return values.astype(pixels.dtype)


def derived_image(
    source: Dataset, pixels: np.ndarray, *, bits_stored: int, signed: bool
) -> Dataset:
    """Return an Explicit VR Little Endian copy of ``source`` with other stored values.

    Used to get bit depths and signedness that no sample file has from real
    images. The caller adjusts Rescale Slope and Intercept when the modality
    values should stay those of the source.
    """
    result = copy.deepcopy(source)
    result.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    result.BitsAllocated = pixels.dtype.itemsize * 8
    result.BitsStored = bits_stored
    result.HighBit = bits_stored - 1
    result.PixelRepresentation = int(signed)
    result.PixelData = pixels.astype(pixels.dtype.newbyteorder("<")).tobytes()
    result["PixelData"].VR = "OB" if pixels.dtype.itemsize == 1 else "OW"
    _new_instance(result)
    return result


def encode_htj2k(
    pixels: np.ndarray,
    folder: Path,
    *,
    bits_stored: int,
    signed: bool,
    qstep: float | None = None,
    colour_transform: bool = True,
) -> bytes:
    """Encode ``pixels`` (rows x columns, or rows x columns x 3 RGB) as HTJ2K.

    ``qstep`` None means reversible (5/3 wavelet, lossless). Otherwise the
    irreversible 9/7 wavelet is used with that base quantisation step, a
    fraction of the sample range. The result is a bare codestream, as PS3.5 A.4.11
    requires, with OpenJPH's default RPCL progression order.
    """
    executable = require_ojph_compress()
    rows, columns = pixels.shape[:2]
    output = Path(tempfile.mkdtemp(prefix="htj2k-", dir=folder)) / "image.j2c"
    # OpenJPH's defaults otherwise: 5 decomposition levels, 64x64 code
    # blocks, RPCL progression order.
    options = ["-reversible", "true"] if qstep is None else ["-qstep", f"{qstep:g}"]

    if pixels.ndim == 3:
        source = _write_ppm(pixels, output.with_suffix(".ppm"))
        options += ["-colour_trans", "true" if colour_transform else "false"]
    else:
        source = _write_raw(pixels, output.with_suffix(".yuv"), bits_stored, signed)
        options += [
            "-dims", f"{{{columns},{rows}}}", "-num_comps", "1",
            "-signed", "false", "-bit_depth", str(bits_stored),
            "-downsamp", "{1,1}",
        ]  # fmt: skip
    completed = subprocess.run(
        [executable, "-i", str(source), "-o", str(output), *options],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{OJPH_COMPRESS} failed on {source}: {completed.stdout}{completed.stderr}"
    )

    codestream = bytearray(output.read_bytes())
    if signed:
        _mark_signed(codestream, bits_stored)
    return bytes(codestream)


def htj2k_image(
    source: Dataset,
    folder: Path,
    transfer_syntax: UID = HTJ2KLossless,
    *,
    qstep: float = 0.001,
    colour_transform: bool = True,
) -> Dataset:
    """Return a copy of the native single-frame ``source`` encoded as HTJ2K.

    The lossless transfer syntaxes are encoded reversibly. `HTJ2K` is encoded
    irreversibly with ``qstep``, and the copy then carries Lossy Image
    Compression "01" with its ratio and method (PS3.3 C.7.6.1.1.5). A colour
    image encoded with the colour transform gets Photometric Interpretation
    YBR_RCT (reversible) or YBR_ICT (irreversible), as PS3.5 8.2.4 requires.
    """
    lossless = transfer_syntax != HTJ2K
    pixels = stored_array(source)
    bits_stored = int(source.BitsStored)
    codestream = encode_htj2k(
        pixels,
        folder,
        bits_stored=bits_stored,
        signed=int(source.PixelRepresentation) == 1,
        qstep=None if lossless else qstep,
        colour_transform=colour_transform,
    )

    result = copy.deepcopy(source)
    result.file_meta.TransferSyntaxUID = transfer_syntax
    if pixels.ndim == 3:
        result.PlanarConfiguration = 0
        if colour_transform:
            result.PhotometricInterpretation = "YBR_RCT" if lossless else "YBR_ICT"
    if not lossless:
        native = pixels.size * int(source.BitsAllocated) // 8
        result.LossyImageCompression = "01"
        result.LossyImageCompressionRatio = f"{native / len(codestream):.4g}"
        result.LossyImageCompressionMethod = "ISO_15444_15"
    result.PixelData = encapsulate([codestream])
    result["PixelData"].VR = "OB"
    result["PixelData"].is_undefined_length = True
    _new_instance(result)
    return result


def _write_raw(pixels: np.ndarray, path: Path, bits: int, signed: bool) -> Path:
    # OpenJPH 0.9.0's raw reader garbles negative samples (-1 came back as
    # 32767 at 16 bits). So signed values are offset by 2**(bits - 1) and
    # written unsigned, and _mark_signed then labels the codestream signed.
    values = pixels.astype(np.int64)
    if signed:
        values = values + (1 << (bits - 1))
    dtype = "<u1" if bits <= 8 else "<u2"
    values.astype(dtype).tofile(path)
    return path


def _mark_signed(codestream: bytearray, bits: int) -> None:
    # An unsigned component is DC level shifted by -2**(bits - 1) before the
    # wavelet transform and a signed one is not (ISO/IEC 15444-1 G.1), so
    # the codestream of the offset values, relabelled signed, decodes to the
    # original signed values exactly.
    assert codestream[:4] == b"\xff\x4f\xff\x51", "codestream does not start SOC SIZ"
    assert codestream[_FIRST_SSIZ] == bits - 1, "unexpected Ssiz in SIZ"
    codestream[_FIRST_SSIZ] |= _SIGNED_FLAG


def _write_ppm(pixels: np.ndarray, path: Path) -> Path:
    rows, columns = pixels.shape[:2]
    header = f"P6\n{columns} {rows}\n255\n".encode("ascii")
    path.write_bytes(header + np.ascontiguousarray(pixels, dtype=np.uint8).tobytes())
    return path


def _new_instance(ds: Dataset) -> None:
    # A UID of its own lets the archive store the copy beside its source.
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
