"""A minimal PNG encoder for 8-bit greyscale and RGB display images."""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG specification 11.2.2, IHDR colour types.
COLOR_TYPE_GREY = 0
COLOR_TYPE_RGB = 2


def encode_png(image: np.ndarray) -> bytes:
    """Encode a uint8 image (rows x columns, or rows x columns x 3) as PNG.

    Raises
    ------
    ValueError
        The image is not uint8, or its shape is neither greyscale nor RGB.
    """
    if image.dtype != np.uint8:
        raise ValueError(f"PNG encoding needs uint8 samples, got {image.dtype}")
    if image.ndim == 2:
        color_type = COLOR_TYPE_GREY
    elif image.ndim == 3 and image.shape[2] == 3:
        color_type = COLOR_TYPE_RGB
    else:
        raise ValueError(f"PNG encoding needs rows x columns (x 3), got {image.shape}")
    rows, columns = image.shape[:2]
    if rows == 0 or columns == 0:
        raise ValueError("PNG encoding needs at least one pixel")

    header = struct.pack(">IIBBBBB", columns, rows, 8, color_type, 0, 0, 0)
    # Each scanline starts with its filter type byte; 0 is "None".
    scanlines = np.ascontiguousarray(image).reshape(rows, -1)
    filtered = np.concatenate([np.zeros((rows, 1), dtype=np.uint8), scanlines], axis=1)
    return b"".join(
        (
            PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(filtered.tobytes(), 6)),
            _chunk(b"IEND", b""),
        )
    )


def write_png(path: Path, image: np.ndarray) -> None:
    """Write ``image`` to ``path`` as PNG through a temporary file and a rename.

    Raises
    ------
    ValueError
        The image is not uint8 greyscale or RGB.
    OSError
        The file cannot be written.
    """
    data = encode_png(image)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)
