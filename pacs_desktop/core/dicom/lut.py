"""LUT Descriptor and LUT Data parsing shared by the Modality, VOI and palette LUTs."""

from __future__ import annotations

import numpy as np
from pydicom.dataset import Dataset

# PS3.3 C.11.1.1.1: a first value of 0 in a LUT Descriptor means 2**16 entries.
ZERO_ENTRIES_MEANS = 65536


def lut_descriptor(
    item: Dataset, keyword: str, *, signed: bool
) -> tuple[int, int, int]:
    """Return ``(entries, first_mapped, bits)`` of a LUT Descriptor.

    Raises
    ------
    ValueError
        The descriptor is missing or does not have three values.
    """
    value = item.get(keyword)
    if value is None or isinstance(value, bytes | str) or len(value) != 3:
        raise ValueError(f"{keyword} must have 3 values, got {value!r}")
    entries, first, bits = (int(number) for number in value)
    if entries == 0:
        entries = ZERO_ENTRIES_MEANS
    if signed and first >= 0x8000:
        first -= 0x10000
    return entries, first, bits


def lut_data(item: Dataset, keyword: str, ds: Dataset, entries: int) -> np.ndarray:
    """Return LUT Data as a uint16 array of ``entries`` values.

    LUT Data is US (a list of numbers) or OW (raw 16-bit words in the byte order
    of the file's transfer syntax).

    Raises
    ------
    ValueError
        The data are missing or hold fewer values than the descriptor declares.
    """
    value = item.get(keyword)
    if value is None:
        raise ValueError(f"{keyword} is missing")
    if isinstance(value, bytes):
        dtype = "<u2" if is_little_endian(ds) else ">u2"
        data = np.frombuffer(value[: len(value) // 2 * 2], dtype=dtype)
    elif isinstance(value, int):
        data = np.array([value])
    else:
        data = np.asarray(list(value))
    if data.size < entries:
        raise ValueError(
            f"{keyword} contains {data.size} values, but its descriptor "
            f"declares {entries}"
        )
    return data[:entries].astype(np.uint16)


def is_little_endian(ds: Dataset) -> bool:
    """Tell whether ``ds`` was read from (or will decode as) little endian."""
    _, little = ds.original_encoding
    if little is not None:
        return bool(little)
    meta = getattr(ds, "file_meta", None)
    uid = meta.get("TransferSyntaxUID") if meta is not None else None
    if uid is not None and uid.is_transfer_syntax:
        return bool(uid.is_little_endian)
    return True
