"""Structural check of an encoded data set: every element ends inside the file.

pydicom reads a file cut short without complaint (the last value comes back
shorter than its length says), so the importer walks the element headers itself
and rejects a data set whose last element, item or sequence does not end
exactly where the data ends. Values are skipped, never decoded.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

# VRs with a 2-byte reserved field and a 4-byte length in explicit VR
# (PS3.5 section 7.1.2, table 7.1-1).
LONG_VRS = frozenset(b"OB OD OF OL OV OW SQ SV UC UN UR UT UV".split())
UNDEFINED_LENGTH = 0xFFFFFFFF
ITEM = (0xFFFE, 0xE000)
ITEM_DELIMITER = (0xFFFE, 0xE00D)
SEQUENCE_DELIMITER = (0xFFFE, 0xE0DD)
PIXEL_DATA = (0x7FE0, 0x0010)
MAX_DEPTH = 64


class StructureError(ValueError):
    """The encoded data set is truncated or malformed; the message says where."""


class _Reader:
    def __init__(self, fp: BinaryIO, end: int, little_endian: bool) -> None:
        self.fp = fp
        self.end = end
        self.order = "<" if little_endian else ">"

    def tell(self) -> int:
        return self.fp.tell()

    def read(self, count: int) -> bytes:
        data = self.fp.read(count)
        if len(data) < count:
            raise StructureError(
                f"file ends inside an element header at byte {self.fp.tell()}"
            )
        return data

    def skip(self, count: int, tag: tuple[int, int]) -> None:
        target = self.fp.tell() + count
        if target > self.end:
            raise StructureError(
                f"value of ({tag[0]:04X},{tag[1]:04X}) needs {count} bytes but the "
                f"file ends {self.end - self.fp.tell()} bytes after its header"
            )
        self.fp.seek(target)

    def tag_and_length(self) -> tuple[tuple[int, int], int]:
        group, element, length = struct.unpack(self.order + "HHI", self.read(8))
        return (group, element), length


def check_structure(
    fp: BinaryIO, start: int, end: int, *, implicit: bool, little_endian: bool
) -> None:
    """Walk the top-level elements of the data set between ``start`` and ``end``.

    Raises
    ------
    StructureError
        If an element, item or sequence runs past ``end`` or is malformed.
    """
    fp.seek(start)
    reader = _Reader(fp, end, little_endian)
    while reader.tell() < end:
        _element(reader, implicit, depth=0, in_item=False)


def _element(reader: _Reader, implicit: bool, depth: int, in_item: bool) -> bool:
    """Skip one element; return False when it was the item delimiter."""
    order = reader.order
    group, element = struct.unpack(order + "HH", reader.read(4))
    tag = (group, element)
    if group == 0xFFFE:
        (length,) = struct.unpack(order + "I", reader.read(4))
        if tag == ITEM_DELIMITER and in_item:
            return False
        raise StructureError(
            f"unexpected ({group:04X},{element:04X}) among data elements "
            f"at byte {reader.tell() - 8}"
        )
    vr = b""
    if implicit:
        (length,) = struct.unpack(order + "I", reader.read(4))
    else:
        vr = reader.read(2)
        if vr in LONG_VRS:
            (length,) = struct.unpack(order + "2xI", reader.read(6))
        else:
            (length,) = struct.unpack(order + "H", reader.read(2))
    if length != UNDEFINED_LENGTH:
        reader.skip(length, tag)
        return True

    # Undefined length: a sequence, encapsulated pixel data, or UN holding an
    # implicit VR little endian sequence (PS3.5 section 6.2.2).
    if tag == PIXEL_DATA:
        _items(reader, implicit, depth + 1, fragments=True)
    elif implicit or vr == b"SQ":
        _items(reader, implicit, depth + 1, fragments=False)
    elif vr == b"UN":
        _items(reader, True, depth + 1, fragments=False)
    else:
        raise StructureError(
            f"({group:04X},{element:04X}) with VR {vr.decode('ascii', 'replace')} "
            "has an undefined length"
        )
    return True


def _items(reader: _Reader, implicit: bool, depth: int, fragments: bool) -> None:
    if depth > MAX_DEPTH:
        raise StructureError(f"sequences nested deeper than {MAX_DEPTH} levels")
    while True:
        tag, length = reader.tag_and_length()
        if tag == SEQUENCE_DELIMITER:
            return
        if tag != ITEM:
            raise StructureError(
                f"expected an item, found ({tag[0]:04X},{tag[1]:04X}) "
                f"at byte {reader.tell() - 8}"
            )
        if length != UNDEFINED_LENGTH:
            reader.skip(length, tag)
        elif fragments:
            raise StructureError("pixel data fragment with undefined length")
        else:
            while _element(reader, implicit, depth, in_item=True):
                pass
