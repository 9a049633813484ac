"""Mutations of real DICOM files for the import and render fuzz runs.

A mutation is a plain value (kind and numbers), so the same list can be drawn
by hypothesis in the test suite and by a seeded `random.Random` in the long
run, and a failing case can be written down and replayed.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from pacs_desktop.core.dicom.structure import (
    EXPLICIT_VR_BIG_ENDIAN,
    IMPLICIT_VR_LITTLE_ENDIAN,
    LONG_VRS,
    PIXEL_DATA,
    UNDEFINED_LENGTH,
    locate_body,
)

# Seed files (glob patterns) under the shared data folder, one per encoding
# that a different decoder or code path handles.
SEED_FILES = (
    "ct_series_pancreas_134/1-001.dcm",  # CT, Implicit VR Little Endian
    "mr_series_sag_mprage_192/0001-*.dcm",  # MR, Explicit VR Little Endian
    "mr_transfer_syntaxes/3.dcm",  # MR, Explicit VR Big Endian
    "mr_transfer_syntaxes/7.dcm",  # MR, JPEG-LS Lossless
    "mr_transfer_syntaxes/5.dcm",  # MR, JPEG Lossless SV1
    "pydicom-data/emri_small_jpeg_2k_lossless.dcm",  # MR, JPEG 2000, 10 frames
    "pydicom-data/US1_J2KI.dcm",  # US, JPEG 2000 lossy, YBR_ICT colour
    "pydicom-data/emri_small_RLE.dcm",  # MR, RLE Lossless, 10 frames
    "pydicom-data/OBXXXX1A_rle.dcm",  # US, RLE Lossless, PALETTE COLOR
)

KINDS = ("flip", "pixel_flip", "truncate", "length", "swap_tags", "nest")

# Lengths written over a length field: zero, odd, the largest values of the
# 2- and 4-byte fields, undefined length, and values near 2**31.
HOSTILE_LENGTHS = (
    0,
    1,
    3,
    0xFFFE,
    0xFFFF,
    0x7FFFFFFE,
    0x80000000,
    0xFFFFFFF0,
    0xFFFFFFFE,
    UNDEFINED_LENGTH,
)


@dataclass(frozen=True)
class ElementSite:
    """Where one element, item or fragment header sits in the encoded file."""

    header: int
    length_offset: int
    length_size: int
    depth: int


@dataclass(frozen=True)
class SeedFile:
    """A seed file's bytes and the places the mutations aim at."""

    path: Path
    data: bytes
    little_endian: bool
    implicit: bool
    body_offset: int
    sites: tuple[ElementSite, ...]
    pixel_range: tuple[int, int]


@dataclass(frozen=True)
class Mutation:
    """One change to a file: ``kind`` with positions as fractions or numbers.

    ``where`` and ``other`` select a byte position or an element site as a
    fraction of the available range; ``value`` is a byte, a length or a depth.
    """

    kind: str
    where: float
    other: float = 0.0
    value: int = 0
    flag: bool = False


def seed_paths(shared_data: Path) -> list[Path]:
    """Return the seed files found under ``shared_data``, in `SEED_FILES` order."""
    found = []
    for pattern in SEED_FILES:
        found.extend(sorted(shared_data.glob(pattern))[:1])
    return found


def load_seed(path: Path) -> SeedFile:
    """Read ``path`` and find its element headers and pixel data."""
    data = path.read_bytes()
    with path.open("rb") as stream:
        layout = locate_body(stream)
    little = layout.transfer_syntax != EXPLICIT_VR_BIG_ENDIAN
    implicit = layout.transfer_syntax == IMPLICIT_VR_LITTLE_ENDIAN
    walker = _Walker(data, little, implicit)
    walker.walk(layout.body_offset, len(data), depth=0)
    return SeedFile(
        path=path,
        data=data,
        little_endian=little,
        implicit=implicit,
        body_offset=layout.body_offset,
        sites=tuple(walker.sites),
        pixel_range=walker.pixel_range or (layout.body_offset, len(data)),
    )


class _Walker:
    """Collect element headers of a well-formed seed file (no limits needed)."""

    def __init__(self, data: bytes, little: bool, implicit: bool) -> None:
        self.data = data
        self.order = "<" if little else ">"
        self.implicit = implicit
        self.sites: list[ElementSite] = []
        self.pixel_range: tuple[int, int] | None = None

    def walk(self, position: int, end: int, depth: int) -> int:
        """Walk elements from ``position`` to ``end`` or an item delimiter."""
        while position < end:
            group, element = struct.unpack_from(self.order + "HH", self.data, position)
            if (group, element) == (0xFFFE, 0xE00D):
                return position + 8
            header = position
            if self.implicit:
                vr = b""
                length_offset, length_size, value = position + 4, 4, position + 8
            else:
                vr = self.data[position + 4 : position + 6]
                if vr in LONG_VRS:
                    length_offset, length_size, value = position + 8, 4, position + 12
                else:
                    length_offset, length_size, value = position + 6, 2, position + 8
            length = self._length(length_offset, length_size)
            self.sites.append(ElementSite(header, length_offset, length_size, depth))
            if (group, element) == PIXEL_DATA:
                self.pixel_range = (value, len(self.data))
            if length == UNDEFINED_LENGTH:
                position = self.items(value, len(self.data), depth + 1)
            elif vr == b"SQ":
                self.items(value, value + length, depth + 1)
                position = value + length
            else:
                position = value + length
        return position

    def items(self, position: int, end: int, depth: int) -> int:
        """Walk items from ``position``; return where the sequence ends."""
        while position < end:
            group, element = struct.unpack_from(self.order + "HH", self.data, position)
            length = self._length(position + 4, 4)
            self.sites.append(ElementSite(position, position + 4, 4, depth))
            if (group, element) == (0xFFFE, 0xE0DD):
                return position + 8
            value = position + 8
            if length == UNDEFINED_LENGTH:
                position = self.walk(value, len(self.data), depth)
            elif self._in_pixel_data(value):
                position = value + length
            else:
                self.walk(value, value + length, depth)
                position = value + length
        return position

    def _in_pixel_data(self, value: int) -> bool:
        # Items of encapsulated pixel data hold codestream bytes, not elements.
        return self.pixel_range is not None and value >= self.pixel_range[0]

    def _length(self, offset: int, size: int) -> int:
        code = "H" if size == 2 else "I"
        return int(struct.unpack_from(self.order + code, self.data, offset)[0])


def apply(seed: SeedFile, mutations: Sequence[Mutation]) -> bytes:
    """Return the seed's bytes with ``mutations`` applied in order.

    Positions come from the unmutated seed, so a later mutation may land in
    bytes an earlier one shifted: that is more damage, not an error.
    """
    data = bytearray(seed.data)
    for mutation in mutations:
        data = _apply_one(seed, data, mutation)
    return bytes(data)


def _apply_one(seed: SeedFile, data: bytearray, mutation: Mutation) -> bytearray:
    kind = mutation.kind
    if not data:
        return data
    if kind == "flip":
        position = _index(mutation.where, len(data))
        data[position] ^= mutation.value or 0xFF
    elif kind == "pixel_flip":
        start, end = seed.pixel_range
        position = min(start + _index(mutation.where, end - start), len(data) - 1)
        data[position] ^= mutation.value or 0xFF
    elif kind == "truncate":
        del data[_index(mutation.where, len(data)) :]
    elif kind == "length":
        site = _site(seed, mutation.where)
        _write_length(seed, data, site, mutation.value)
    elif kind == "swap_tags":
        first, second = _site(seed, mutation.where), _site(seed, mutation.other)
        if first.header + 4 <= len(data) and second.header + 4 <= len(data):
            a = bytes(data[first.header : first.header + 4])
            b = bytes(data[second.header : second.header + 4])
            data[first.header : first.header + 4] = b
            data[second.header : second.header + 4] = a
    elif kind == "nest":
        site = _site(seed, mutation.where)
        nested = nested_sequence(seed, mutation.value, undefined=mutation.flag)
        data[site.header : site.header] = nested
    else:
        raise ValueError(f"unknown mutation kind {kind!r}")
    return data


def _index(fraction: float, size: int) -> int:
    return min(int(fraction * size), max(size - 1, 0))


def _site(seed: SeedFile, fraction: float) -> ElementSite:
    return seed.sites[_index(fraction, len(seed.sites))]


def _write_length(
    seed: SeedFile, data: bytearray, site: ElementSite, length: int
) -> None:
    order = "<" if seed.little_endian else ">"
    if site.length_size == 2:
        encoded = struct.pack(order + "H", length & 0xFFFF)
    else:
        encoded = struct.pack(order + "I", length & 0xFFFFFFFF)
    end = site.length_offset + site.length_size
    if end <= len(data):
        data[site.length_offset : end] = encoded


def nested_sequence(seed: SeedFile, depth: int, *, undefined: bool) -> bytes:
    """Encode ``depth`` nested Referenced Study Sequences in the seed's syntax."""
    order = "<" if seed.little_endian else ">"

    def sequence_header(length: int) -> bytes:
        if seed.implicit:
            return struct.pack(order + "HHI", 0x0008, 0x1110, length)
        return struct.pack(order + "HH2s2xI", 0x0008, 0x1110, b"SQ", length)

    def item_header(length: int) -> bytes:
        return struct.pack(order + "HHI", 0xFFFE, 0xE000, length)

    if undefined:
        opening = sequence_header(UNDEFINED_LENGTH) + item_header(UNDEFINED_LENGTH)
        closing = struct.pack(order + "HHI", 0xFFFE, 0xE00D, 0) + struct.pack(
            order + "HHI", 0xFFFE, 0xE0DD, 0
        )
        return opening * depth + closing * depth
    value = b""
    for _ in range(depth):
        item = item_header(len(value)) + value
        value = sequence_header(len(item)) + item
    return value


def mutation_strategy() -> st.SearchStrategy[Mutation]:
    """Draw one mutation of any kind (hypothesis)."""
    fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
    return st.one_of(
        st.builds(
            Mutation,
            kind=st.sampled_from(("flip", "pixel_flip")),
            where=fraction,
            value=st.integers(1, 255),
        ),
        st.builds(Mutation, kind=st.just("truncate"), where=fraction),
        st.builds(
            Mutation,
            kind=st.just("length"),
            where=fraction,
            value=st.one_of(
                st.sampled_from(HOSTILE_LENGTHS), st.integers(0, 0xFFFFFFFF)
            ),
        ),
        st.builds(Mutation, kind=st.just("swap_tags"), where=fraction, other=fraction),
        st.builds(
            Mutation,
            kind=st.just("nest"),
            where=fraction,
            value=st.integers(1, 40),
            flag=st.booleans(),
        ),
    )


def random_mutation(rng: random.Random) -> Mutation:
    """Draw one mutation of any kind from ``rng`` (the long run)."""
    kind = rng.choice(KINDS)
    where, other = rng.random(), rng.random()
    if kind in ("flip", "pixel_flip"):
        return Mutation(kind, where, value=rng.randint(1, 255))
    if kind == "length":
        if rng.random() < 0.5:
            return Mutation(kind, where, value=rng.choice(HOSTILE_LENGTHS))
        return Mutation(kind, where, value=rng.randint(0, 0xFFFFFFFF))
    if kind == "nest":
        return Mutation(kind, where, value=rng.randint(1, 40), flag=rng.random() < 0.5)
    return Mutation(kind, where, other)
