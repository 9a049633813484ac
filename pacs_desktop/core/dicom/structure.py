"""Structural checks of an encoded DICOM file before any parser reads it.

pydicom trusts the lengths and the nesting a file declares: it reads a value
of the declared length (allocating that much first), recurses once per nested
sequence and inflates a deflated data set without a size limit. These checks
walk the element headers with bounded work and memory and reject a file whose
elements run past its end, whose sequences nest deeper than `MAX_DEPTH`, or
whose deflated data set inflates beyond `inflate_limit`, so that the
parser only ever sees a file whose structure is sound. Values are skipped,
never decoded.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from pydicom.datadict import dictionary_VR

# VRs with a 2-byte reserved field and a 4-byte length in explicit VR
# (PS3.5 section 7.1.2, table 7.1-1).
LONG_VRS = frozenset(b"OB OD OF OL OV OW SQ SV UC UN UR UT UV".split())
UNDEFINED_LENGTH = 0xFFFFFFFF
ITEM = (0xFFFE, 0xE000)
ITEM_DELIMITER = (0xFFFE, 0xE00D)
SEQUENCE_DELIMITER = (0xFFFE, 0xE0DD)
PIXEL_DATA = (0x7FE0, 0x0010)

PREAMBLE_LENGTH = 128
PREFIX = b"DICM"

# Sequences nested deeper than this are rejected. Real objects nest a few
# levels (enhanced multi-frame functional groups reach 3 or 4); pydicom
# recurses once per level and would hit Python's recursion limit near 1,000.
MAX_DEPTH = 16
# A deflated data set that inflates to more than this is rejected. A deflate
# stream expands at most about 1,032 times, so the cap, not the compressed
# size, bounds the memory an import or a read spends on one file.
MAX_INFLATED_BYTES = 64 << 20
# Beyond MIN_INFLATE_LIMIT, a data set may inflate to at most MAX_INFLATE_RATIO
# times its compressed size. Deflate reaches ratios near 1,000 only on long
# runs of one byte value, which is what a deflate bomb is made of.
# NOTE: the ratio is an estimate of what real deflated objects reach; a mostly
# empty image stored deflated could exceed it and be rejected.
MAX_INFLATE_RATIO = 200
MIN_INFLATE_LIMIT = 1 << 20

IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2"
EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"
DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99"
EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2"
_TRANSFER_SYNTAX_TAG = (0x0002, 0x0010)
_INFLATE_CHUNK = 1 << 16
# Zero bytes parse as (0000,0000) elements of length 0, so pydicom builds
# one element per 8 bytes of a zero run. Runs longer than this are rejected.
# A shorter run at the end of the data set is accepted as padding.
MAX_ZERO_PADDING = 64 << 10
_ZERO_CHUNK = 1 << 20


class StructureError(ValueError):
    """The encoded file is truncated, malformed or exceeds a limit; the message
    says where."""


class NotDicomError(StructureError):
    """The file starts with nothing DICOM (no prefix, meta or data element)."""


def structure_reason(exc: StructureError) -> str:
    """Return the rejection reason for ``exc`` as import and reading word it."""
    if isinstance(exc, NotDicomError):
        return str(exc)
    return f"truncated or malformed: {exc}"


@dataclass(frozen=True)
class FileLayout:
    """Where the parts of a DICOM file start, and how its data set is encoded.

    ``meta_start`` is None for a bare data set without File Meta Information;
    ``transfer_syntax`` is the one declared in the File Meta Information, or
    the one the first data element implies when none is declared.
    """

    meta_start: int | None
    body_offset: int
    size: int
    transfer_syntax: str
    declared: bool


def check_file(fp: BinaryIO, *, max_depth: int = MAX_DEPTH) -> FileLayout:
    """Locate the parts of the file in ``fp`` and check its whole structure.

    Parameters
    ----------
    fp
        The open file, positioned anywhere; it is left at an undefined position.
    max_depth
        The deepest nesting of sequences accepted.

    Returns
    -------
    FileLayout
        Where the File Meta Information and the data set start, and the
        transfer syntax the data set was walked with.

    Raises
    ------
    StructureError
        If the file is not DICOM, is truncated, declares a length past its
        end, nests sequences deeper than ``max_depth``, or holds a deflated
        data set that is corrupt or inflates beyond `inflate_limit`.
    """
    layout = locate_body(fp)
    syntax = layout.transfer_syntax
    if syntax == DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN:
        inflated = inflate(
            fp,
            layout.body_offset,
            layout.size,
            limit=inflate_limit(layout.size - layout.body_offset),
        )
        check_structure(
            io.BytesIO(inflated),
            0,
            len(inflated),
            implicit=False,
            little_endian=True,
            max_depth=max_depth,
        )
    else:
        check_structure(
            fp,
            layout.body_offset,
            layout.size,
            implicit=syntax == IMPLICIT_VR_LITTLE_ENDIAN,
            little_endian=syntax != EXPLICIT_VR_BIG_ENDIAN,
            max_depth=max_depth,
        )
    return layout


def locate_body(fp: BinaryIO) -> FileLayout:
    """Find the File Meta Information and the data set, and their encoding.

    Raises
    ------
    StructureError
        If the file starts with neither the ``DICM`` prefix at byte 128, nor
        File Meta Information, nor a group 0008 element; or ends inside its
        File Meta Information.
    """
    size = fp.seek(0, io.SEEK_END)
    fp.seek(0)
    head = fp.read(PREAMBLE_LENGTH + len(PREFIX))
    if head[PREAMBLE_LENGTH:] == PREFIX:
        meta_start: int | None = PREAMBLE_LENGTH + len(PREFIX)
    elif head[:2] == b"\x02\x00":
        # File Meta Information without preamble and prefix.
        meta_start = 0
    elif head[:2] in (b"\x08\x00", b"\x00\x08", b"\x04\x00", b"\x00\x04"):
        # A bare data set (no preamble, no meta) starting with group 0008, or
        # 0004 for a DICOMDIR, little or big endian, as older systems wrote them.
        meta_start = None
    else:
        raise NotDicomError(
            "not a DICOM file: no 'DICM' prefix at byte 128 and no data set at "
            "the start"
        )

    declared = ""
    body_offset = 0
    if meta_start is not None:
        body_offset, declared = _skip_meta(fp, meta_start, size)
    if declared or body_offset >= size:
        syntax = declared or EXPLICIT_VR_LITTLE_ENDIAN
    else:
        syntax = _sniff_encoding(fp, body_offset)
    return FileLayout(meta_start, body_offset, size, syntax, bool(declared))


def _skip_meta(fp: BinaryIO, start: int, size: int) -> tuple[int, str]:
    """Return the end of the File Meta Information and its transfer syntax."""
    # File Meta Information is always explicit VR little endian (PS3.10 7.1).
    position = start
    syntax = ""
    while position + 8 <= size:
        fp.seek(position)
        header = fp.read(8)
        group, element = struct.unpack("<HH", header[:4])
        if group != 0x0002:
            return position, syntax
        vr = header[4:6]
        if vr in LONG_VRS:
            extra = fp.read(4)
            if len(extra) < 4:
                raise StructureError("the file ends in its File Meta Information")
            (length,) = struct.unpack("<I", extra)
            value_start = position + 12
        else:
            (length,) = struct.unpack("<H", header[6:8])
            value_start = position + 8
        if length == UNDEFINED_LENGTH or value_start + length > size:
            raise StructureError(
                f"File Meta element (0002,{element:04X}) declares {length} bytes, "
                "past the end of the file"
            )
        if (group, element) == _TRANSFER_SYNTAX_TAG and length <= 64:
            fp.seek(value_start)
            syntax = fp.read(length).decode("ascii", "replace").strip(" \x00")
        position = value_start + length
    if position != size:
        raise StructureError("the file ends in its File Meta Information")
    return position, syntax


def _sniff_encoding(fp: BinaryIO, body_offset: int) -> str:
    # Without a declared transfer syntax, the first element header tells the
    # byte order (group 0008 or 0002) and whether a VR follows it.
    fp.seek(body_offset)
    header = fp.read(6)
    little = header[1:2] == b"\x00"
    explicit = header[4:6].isalpha() and header[4:6].isupper()
    if explicit:
        return EXPLICIT_VR_LITTLE_ENDIAN if little else EXPLICIT_VR_BIG_ENDIAN
    if little:
        return IMPLICIT_VR_LITTLE_ENDIAN
    raise StructureError(
        "implicit VR big endian is not a DICOM transfer syntax (PS3.5 section 10)"
    )


def inflate_limit(compressed: int) -> int:
    """Return the inflated size allowed for ``compressed`` bytes of deflate data."""
    by_ratio = max(MIN_INFLATE_LIMIT, compressed * MAX_INFLATE_RATIO)
    return min(MAX_INFLATED_BYTES, by_ratio)


def inflate(
    fp: BinaryIO, start: int, end: int, *, limit: int = MAX_INFLATED_BYTES
) -> bytes:
    """Inflate the deflated data set between ``start`` and ``end`` of ``fp``.

    A first pass counts the inflated bytes and keeps none of them, so a
    deflate bomb is rejected with memory bounded by one chunk; only a data set
    within ``limit`` is inflated again and returned.

    Raises
    ------
    StructureError
        If the deflate stream is corrupt or inflates beyond ``limit`` bytes.
    """
    count, _ = _inflate(fp, start, end, limit, keep=False)
    _, pieces = _inflate(fp, start, end, count, keep=True)
    return b"".join(pieces)


def _inflate(
    fp: BinaryIO, start: int, end: int, limit: int, *, keep: bool
) -> tuple[int, list[bytes]]:
    """Inflate in chunks; return the byte count and, with ``keep``, the pieces."""
    # Raw deflate without a zlib header (PS3.5 section A.5, RFC 1951).
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pieces: list[bytes] = []
    count = 0
    fp.seek(start)
    remaining = end - start
    data = b""
    try:
        while not inflater.eof:
            if not data and remaining > 0:
                data = fp.read(min(_INFLATE_CHUNK, remaining))
                remaining = remaining - len(data) if data else 0
            piece = inflater.decompress(data, _INFLATE_CHUNK)
            data = inflater.unconsumed_tail
            if not piece and not data and remaining <= 0:
                break
            count += len(piece)
            if count > limit:
                raise StructureError(
                    f"the deflated data set inflates to more than {limit} bytes "
                    f"(from {end - start} compressed bytes): rejected as a possible "
                    "deflate bomb"
                )
            if keep:
                pieces.append(piece)
    except zlib.error as exc:
        raise StructureError(f"the deflated data set is corrupt: {exc}") from exc
    if not inflater.eof:
        raise StructureError("the deflated data set is truncated")
    return count, pieces


def check_structure(
    fp: BinaryIO,
    start: int,
    end: int,
    *,
    implicit: bool,
    little_endian: bool,
    max_depth: int = MAX_DEPTH,
) -> None:
    """Walk every element of the data set between ``start`` and ``end``.

    Sequences of defined and undefined length are entered, so their items are
    checked as well; other values are skipped.

    Raises
    ------
    StructureError
        If an element, item or sequence runs past ``end`` or is malformed,
        sequences nest deeper than ``max_depth``, or more than
        `MAX_ZERO_PADDING` zero bytes follow one another at the top level.
    """
    reader = _Reader(fp, end, little_endian, max_depth)
    fp.seek(start)
    while reader.tell() < end:
        position = reader.tell()
        run = _zero_run(fp, end)
        if run > MAX_ZERO_PADDING:
            raise StructureError(
                f"{run} zero bytes from byte {position} are not data elements: "
                "the file is padded or damaged"
            )
        if position + run >= end:
            break  # short zero padding at the end
        fp.seek(position)
        reader.element(implicit, depth=0, end=end, in_item=False)


def _zero_run(fp: BinaryIO, end: int) -> int:
    """Return how many zero bytes follow the position, up to ``end``.

    The position is left after the bytes read. A run counts only when it
    starts with a whole zero element header (8 bytes). Otherwise 0 is returned.
    """
    if fp.read(min(8, end - fp.tell())) != bytes(8):
        return 0
    run = 8
    while fp.tell() < end:
        chunk = fp.read(min(_ZERO_CHUNK, end - fp.tell()))
        if not chunk:
            break
        stripped = chunk.lstrip(b"\0")
        run += len(chunk) - len(stripped)
        if stripped:
            break
    return run


class _Reader:
    def __init__(
        self, fp: BinaryIO, end: int, little_endian: bool, max_depth: int
    ) -> None:
        self.fp = fp
        self.end = end
        self.order = "<" if little_endian else ">"
        self.max_depth = max_depth

    def tell(self) -> int:
        return self.fp.tell()

    def read(self, count: int, end: int) -> bytes:
        if self.fp.tell() + count > end:
            raise StructureError(
                f"the data ends inside an element header at byte {self.fp.tell()}"
            )
        return self.fp.read(count)

    def skip(self, count: int, tag: tuple[int, int], end: int) -> None:
        # Seek, never read: a declared length is not trusted for an allocation.
        target = self.fp.tell() + count
        if target > end:
            raise StructureError(
                f"value of ({tag[0]:04X},{tag[1]:04X}) declares {count} bytes but "
                f"only {end - self.fp.tell()} remain: truncated, or a corrupt length"
            )
        self.fp.seek(target)

    def element(self, implicit: bool, depth: int, end: int, in_item: bool) -> bool:
        """Walk one element; return False when it was the item delimiter."""
        group, element = struct.unpack(self.order + "HH", self.read(4, end))
        tag = (group, element)
        if group == 0xFFFE:
            (length,) = struct.unpack(self.order + "I", self.read(4, end))
            if tag == ITEM_DELIMITER and in_item:
                return False
            raise StructureError(
                f"unexpected ({group:04X},{element:04X}) among data elements "
                f"at byte {self.tell() - 8}"
            )
        vr = b""
        if implicit:
            (length,) = struct.unpack(self.order + "I", self.read(4, end))
        else:
            vr = self.read(2, end)
            if vr in LONG_VRS:
                (length,) = struct.unpack(self.order + "2xI", self.read(6, end))
            else:
                (length,) = struct.unpack(self.order + "H", self.read(2, end))

        if length == UNDEFINED_LENGTH:
            self._undefined_length(tag, vr, implicit, depth, end)
        elif _is_sequence(tag, vr, implicit):
            # A sequence of defined length: its items end where its value ends.
            value_end = self.tell() + length
            if value_end > end:
                self.skip(length, tag, end)
            self.items(implicit or vr == b"UN", depth + 1, value_end, fragments=False)
            self.fp.seek(value_end)
        else:
            self.skip(length, tag, end)
        return True

    def _undefined_length(
        self, tag: tuple[int, int], vr: bytes, implicit: bool, depth: int, end: int
    ) -> None:
        # Undefined length: a sequence, encapsulated pixel data, or UN holding an
        # implicit VR little endian sequence (PS3.5 section 6.2.2).
        if tag == PIXEL_DATA:
            self.items(implicit, depth + 1, end, fragments=True, delimited=True)
        elif implicit or vr == b"SQ":
            self.items(implicit, depth + 1, end, fragments=False, delimited=True)
        elif vr == b"UN":
            self.items(True, depth + 1, end, fragments=False, delimited=True)
        else:
            raise StructureError(
                f"({tag[0]:04X},{tag[1]:04X}) with VR "
                f"{vr.decode('ascii', 'replace')} has an undefined length"
            )

    def items(
        self,
        implicit: bool,
        depth: int,
        end: int,
        *,
        fragments: bool,
        delimited: bool = False,
    ) -> None:
        if depth > self.max_depth:
            raise StructureError(
                f"sequences nested deeper than {self.max_depth} levels"
            )
        while delimited or self.tell() < end:
            group, element, length = struct.unpack(
                self.order + "HHI", self.read(8, end)
            )
            tag = (group, element)
            if tag == SEQUENCE_DELIMITER and delimited:
                return
            if tag != ITEM:
                raise StructureError(
                    f"expected an item, found ({group:04X},{element:04X}) "
                    f"at byte {self.tell() - 8}"
                )
            if fragments:
                if length == UNDEFINED_LENGTH:
                    raise StructureError("pixel data fragment with undefined length")
                self.skip(length, tag, end)
            elif length == UNDEFINED_LENGTH:
                while self.element(implicit, depth, end, in_item=True):
                    pass
            else:
                item_end = self.tell() + length
                if item_end > end:
                    self.skip(length, tag, end)
                while self.tell() < item_end:
                    self.element(implicit, depth, item_end, in_item=False)


def _is_sequence(tag: tuple[int, int], vr: bytes, implicit: bool) -> bool:
    """Tell whether a value of defined length holds a sequence pydicom parses."""
    if vr == b"SQ":
        return True
    if not implicit and vr != b"UN":
        return False
    # Implicit VR, or UN that pydicom replaces by the dictionary's VR.
    try:
        return bool(dictionary_VR((tag[0] << 16) | tag[1]) == "SQ")
    except KeyError:
        return False
