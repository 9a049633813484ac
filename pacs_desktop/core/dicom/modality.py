"""Stored values to modality values: bit masking, sign extension, Modality LUT."""

from __future__ import annotations

import logging

import numpy as np
from pydicom.dataset import Dataset

from pacs_desktop.core.dicom.functional_groups import frame_group_item
from pacs_desktop.core.dicom.lut import lut_data, lut_descriptor

logger = logging.getLogger(__name__)


def stored_values(array: np.ndarray, bits_stored: int, *, signed: bool) -> np.ndarray:
    """Keep the low ``bits_stored`` bits of each sample and sign-extend them.

    The header's Pixel Representation decides the sign, even where a codec
    returned the other one (a JPEG 2000 codestream may say unsigned while the
    header says signed). Bits above Bits Stored are discarded (PS3.5 8.1.1).
    Returns a new signed array wide enough for every value: int16 for up to
    15 bits unsigned or 16 bits signed (most CT and MR), int32 for other
    samples of up to 16 bits, int64 for 32-bit samples.
    """
    if array.dtype.kind == "f":
        return array
    width = array.dtype.itemsize * 8
    if not 0 < bits_stored < width:
        bits_stored = width
    narrow = width <= 16 and (bits_stored <= 15 or signed)
    if narrow:
        # Working in 16 bits halves the memory traffic of the int32 path.
        unsigned = array.view(f"u{array.dtype.itemsize}").astype(np.uint16)
    else:
        wide = np.int64 if width > 16 else np.int32
        unsigned = array.view(f"u{array.dtype.itemsize}").astype(wide)
    if bits_stored < width:
        np.bitwise_and(unsigned, (1 << bits_stored) - 1, out=unsigned)
    if not signed:
        return unsigned.view(np.int16) if narrow else unsigned
    sign_bit = 1 << (bits_stored - 1)
    np.bitwise_xor(unsigned, sign_bit, out=unsigned)
    if narrow:
        # (u ^ s) - s, with the subtraction wrapping in 16 bits exactly as the
        # sign extension needs.
        result = unsigned.view(np.int16)
        np.subtract(unsigned, sign_bit, out=unsigned)
        return result
    np.subtract(unsigned, sign_bit, out=unsigned)
    return unsigned


def modality_values(ds: Dataset, stored: np.ndarray, stored_index: int) -> np.ndarray:
    """Apply the Modality LUT of one frame and return its modality values.

    The Modality LUT Sequence (PS3.3 C.11.1) wins over Rescale Slope and
    Intercept; for enhanced objects the Pixel Value Transformation functional
    group of the frame gives slope and intercept. Integer slope and intercept
    keep integer values, in int16 when they fit (a CT slice then holds as many
    bytes as its stored pixels) and int32 otherwise; every other case returns
    float32. ``stored`` must be the array from `stored_values` and may be
    changed in place.
    """
    sequence = ds.get("ModalityLUTSequence")
    if sequence:
        try:
            return _apply_modality_lut(ds, sequence[0], stored)
        except ValueError as exc:
            logger.warning("Modality LUT Sequence ignored: %s", exc)

    slope, intercept = rescale(ds, stored_index)
    if stored.dtype.kind in "iu":
        exact = _integer_rescale(stored, slope, intercept)
        if exact is not None:
            return exact
    values = stored.astype(np.float64 if stored.dtype == np.int64 else np.float32)
    if slope != 1.0:
        np.multiply(values, slope, out=values, casting="unsafe")
    if intercept != 0.0:
        np.add(values, intercept, out=values, casting="unsafe")
    return values.astype(np.float32, copy=False)


def _integer_rescale(
    stored: np.ndarray, slope: float, intercept: float
) -> np.ndarray | None:
    """Rescale with integer arithmetic, or return None when it cannot be exact."""
    if not (slope.is_integer() and intercept.is_integer()) or stored.size == 0:
        return None
    low, high = int(stored.min()), int(stored.max())
    factor, offset = int(slope), int(intercept)
    scaled = (low * factor, high * factor)
    bounds = [value + offset for value in scaled]
    for target in (np.int16, np.int32):
        limits = np.iinfo(target)
        if all(limits.min <= value <= limits.max for value in (*scaled, *bounds)):
            break
    else:
        return None

    # Every intermediate value fits ``target``, so no step below can wrap.
    values = stored.astype(target, copy=stored.dtype != target)
    if factor != 1:
        np.multiply(values, factor, out=values)
    if offset != 0:
        np.add(values, offset, out=values)
    return values


def rescale(ds: Dataset, stored_index: int) -> tuple[float, float]:
    """Return Rescale Slope and Intercept of one frame, ``(1.0, 0.0)`` if absent."""
    source = frame_group_item(ds, stored_index, "PixelValueTransformationSequence")
    if source is None or "RescaleSlope" not in source:
        source = ds
    try:
        slope = float(source.get("RescaleSlope", 1.0) or 1.0)
        intercept = float(source.get("RescaleIntercept", 0.0) or 0.0)
    except (TypeError, ValueError) as exc:
        logger.warning("invalid Rescale Slope or Intercept ignored: %s", exc)
        return 1.0, 0.0
    return slope, intercept


def _apply_modality_lut(ds: Dataset, item: Dataset, stored: np.ndarray) -> np.ndarray:
    signed = int(ds.get("PixelRepresentation", 0) or 0) == 1
    entries, first, _bits = lut_descriptor(item, "LUTDescriptor", signed=signed)
    table = lut_data(item, "LUTData", ds, entries).astype(np.float32)
    index = stored.astype(np.int64) - first
    np.clip(index, 0, entries - 1, out=index)
    return np.take(table, index)
