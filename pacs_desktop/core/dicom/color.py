"""Colour images to 8-bit RGB: palette colour and RGB with more than 8 bits."""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset
from pydicom.pixels import apply_color_lut

from pacs_desktop.core.dicom.lut import ZERO_ENTRIES_MEANS, is_little_endian

CHANNELS = ("Red", "Green", "Blue")


def rgb_to_8bit(rgb: np.ndarray, bits_stored: int) -> np.ndarray:
    """Scale RGB samples of ``bits_stored`` bits to uint8 by dropping low bits."""
    if rgb.dtype == np.uint8 or bits_stored <= 8:
        return np.ascontiguousarray(rgb, dtype=np.uint8)
    mask = (1 << bits_stored) - 1
    samples = rgb.astype(np.uint32) & mask
    return (samples >> (bits_stored - 8)).astype(np.uint8)


def apply_palette(indices: np.ndarray, ds: Dataset) -> np.ndarray:
    """Map palette indices to uint8 RGB (PS3.3 C.7.6.3.1.5 and C.7.6.3.1.6).

    Indices below the first mapped value take the first entry and those past
    the end the last. A descriptor of 0 entries means 65536. Segmented palettes
    (C.7.9.2) are expanded by pydicom.

    Raises
    ------
    ValueError
        The palette descriptors or data are missing or inconsistent.
    """
    if "SegmentedRedPaletteColorLookupTableData" in ds:
        return _to_8bit(apply_color_lut(indices, ds)[..., :3])

    tables = []
    for channel in CHANNELS:
        entries, first, bits = _descriptor(ds, channel)
        tables.append(_palette_data(ds, channel, entries, bits))
    index = indices.astype(np.int64) - first
    np.clip(index, 0, tables[0].size - 1, out=index)
    rgb = np.stack([np.take(table, index) for table in tables], axis=-1)
    return rgb


def _descriptor(ds: Dataset, channel: str) -> tuple[int, int, int]:
    keyword = f"{channel}PaletteColorLookupTableDescriptor"
    value = ds.get(keyword)
    if value is None or isinstance(value, bytes | str) or len(value) != 3:
        raise ValueError(f"{keyword} must have 3 values, got {value!r}")
    entries, first, bits = (int(number) for number in value)
    signed = int(ds.get("PixelRepresentation", 0) or 0) == 1
    if signed and first >= 0x8000:
        first -= 0x10000
    return entries or ZERO_ENTRIES_MEANS, first, bits


def _palette_data(ds: Dataset, channel: str, entries: int, bits: int) -> np.ndarray:
    """Return one channel's palette as a uint8 table of ``entries`` values."""
    keyword = f"{channel}PaletteColorLookupTableData"
    value = ds.get(keyword)
    if value is None:
        raise ValueError(f"{keyword} is missing")
    if isinstance(value, bytes):
        if bits == 8 and len(value) < 2 * entries:
            # 8-bit entries packed two to a 16-bit word.
            data = np.frombuffer(value, dtype=np.uint8)
        else:
            dtype = "<u2" if is_little_endian(ds) else ">u2"
            data = np.frombuffer(value[: len(value) // 2 * 2], dtype=dtype)
    else:
        data = np.asarray(list(value) if not isinstance(value, int) else [value])
    if data.size < entries:
        raise ValueError(
            f"{keyword} contains {data.size} entries, but its descriptor "
            f"declares {entries}"
        )
    data = data[:entries].astype(np.uint32)
    # Some writers declare 8 bits and store 16-bit values; the data decide.
    if bits > 8 or int(data.max()) > 255:
        return ((data * 255 + 32767) // 65535).astype(np.uint8)
    return data.astype(np.uint8)


def _to_8bit(rgb: np.ndarray) -> np.ndarray:
    if rgb.dtype == np.uint8:
        return rgb
    return ((rgb.astype(np.uint32) * 255 + 32767) // 65535).astype(np.uint8)
