"""Sample data for the workloads: the real images and datasets made from them.

Everything generated here goes to the run's scratch folder and is deleted
with it.
"""

from __future__ import annotations

import copy
import importlib
import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
from openjpeg import utils as openjpeg_utils
from pydicom.dataset import Dataset
from pydicom.encaps import encapsulate
from pydicom.uid import (
    UID,
    HTJ2KLossless,
    JPEG2000Lossless,
    generate_uid,
)

CT_FOLDER = "ct_series_pancreas_134"
MR_TRANSFER_SYNTAX_FOLDER = "mr_transfer_syntaxes"
# OpenJPH's HTJ2K encoder (Debian package openjph-tools).
OJPH_COMPRESS = "ojph_compress"


class MissingInputError(Exception):
    """A workload's input is not available; the message says which."""


def find_product(module: str, name: str) -> Any:
    """Return ``module.name`` from the product, or raise MissingInputError naming it."""
    try:
        loaded = importlib.import_module(module)
    except ImportError as exc:
        raise MissingInputError(f"{module} does not exist yet ({exc})") from exc
    try:
        return getattr(loaded, name)
    except AttributeError as exc:
        raise MissingInputError(f"{module}.{name} does not exist yet") from exc


def require_folder(data_dir: Path, name: str) -> Path:
    """Return ``data_dir / name``, or raise MissingInputError when it is absent."""
    folder = data_dir / name
    if not folder.is_dir():
        raise MissingInputError(f"sample folder {folder} is missing")
    return folder


def ct_paths(data_dir: Path) -> list[Path]:
    """Return the real CT series' files, sorted by name."""
    return sorted(require_folder(data_dir, CT_FOLDER).glob("*.dcm"))


def read_bytes_dataset(data: bytes) -> Dataset:
    """Parse a DICOM file held in memory."""
    return pydicom.dcmread(BytesIO(data))


def to_file_bytes(ds: Dataset) -> bytes:
    """Serialise ``ds`` as a DICOM file with preamble and file meta."""
    buffer = BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def encode_j2k(ds: Dataset) -> Dataset:
    """Return a copy of an uncompressed single-frame dataset, JPEG 2000 lossless.

    The copy gets a fresh SOP Instance UID, since it is a different instance.
    """
    pixels = ds.pixel_array
    encoded = openjpeg_utils.encode_array(pixels, bits_stored=int(ds.BitsStored))
    result = _copy_with_syntax(ds, JPEG2000Lossless)
    result.PixelData = encapsulate([encoded])
    result["PixelData"].VR = "OB"
    result["PixelData"].is_undefined_length = True
    result.SOPInstanceUID = generate_uid()
    result.file_meta.MediaStorageSOPInstanceUID = result.SOPInstanceUID
    return result


def tiled_dataset(ds: Dataset, size: int) -> Dataset:
    """Return an uncompressed copy of ``ds`` tiled up to ``size`` x ``size``.

    A real slice repeated keeps real value statistics at a matrix no sample
    file has.
    """
    pixels = ds.pixel_array
    reps = (-(-size // pixels.shape[0]), -(-size // pixels.shape[1]))
    tiled = np.ascontiguousarray(np.tile(pixels, reps)[:size, :size])
    result = _copy_with_syntax(ds, pydicom.uid.ExplicitVRLittleEndian)
    result.Rows = size
    result.Columns = size
    result.PixelData = tiled.astype(pixels.dtype).tobytes()
    result["PixelData"].VR = "OW"
    result.SOPInstanceUID = generate_uid()
    result.file_meta.MediaStorageSOPInstanceUID = result.SOPInstanceUID
    return result


def encode_htj2k(ds: Dataset) -> Dataset:
    """Return a copy of an unsigned single-frame greyscale dataset, HTJ2K lossless.

    Raises MissingInputError when ojph_compress is missing or fails. The
    codestream comes from OpenJPH's ojph_compress with its defaults (5
    decomposition levels, 64x64 code blocks, RPCL progression) and the
    reversible 5/3 wavelet. The copy gets a fresh SOP Instance UID.
    """
    executable = shutil.which(OJPH_COMPRESS)
    if executable is None:
        raise MissingInputError(
            f"{OJPH_COMPRESS} is not installed (Debian package openjph-tools)"
        )
    bits = int(ds.BitsStored)
    if int(ds.get("SamplesPerPixel", 1)) != 1 or int(ds.PixelRepresentation) != 0:
        raise ValueError("only unsigned greyscale images are encoded as HTJ2K here")
    pixels = ds.pixel_array & ((1 << bits) - 1)

    with tempfile.TemporaryDirectory(prefix="htj2k-") as folder:
        source = Path(folder) / "image.yuv"
        output = Path(folder) / "image.j2c"
        pixels.astype("<u1" if bits <= 8 else "<u2").tofile(source)
        command = [
            executable, "-i", str(source), "-o", str(output), "-reversible", "true",
            "-dims", f"{{{ds.Columns},{ds.Rows}}}", "-num_comps", "1",
            "-signed", "false", "-bit_depth", str(bits), "-downsamp", "{1,1}",
        ]  # fmt: skip
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise MissingInputError(
                f"{OJPH_COMPRESS} failed with status {completed.returncode}: "
                f"{(completed.stdout + completed.stderr).strip()}"
            )
        encoded = output.read_bytes()

    result = _copy_with_syntax(ds, HTJ2KLossless)
    result.PixelData = encapsulate([encoded])
    result["PixelData"].VR = "OB"
    result["PixelData"].is_undefined_length = True
    result.SOPInstanceUID = generate_uid()
    result.file_meta.MediaStorageSOPInstanceUID = result.SOPInstanceUID
    return result


def _copy_with_syntax(ds: Dataset, transfer_syntax: UID) -> Dataset:
    # deepcopy copies the file meta information too. FileMetaDataset(
    # ds.file_meta) would share its elements with ``ds`` in pydicom 3.0, so
    # setting the transfer syntax on it would change the source's as well.
    result = copy.deepcopy(ds)
    result.file_meta.TransferSyntaxUID = transfer_syntax
    return result
