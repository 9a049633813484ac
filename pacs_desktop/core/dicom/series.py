"""A series as a stack of frames in display order, for the viewer."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydicom.dataset import Dataset
from pydicom.uid import UID

from pacs_desktop.core.dicom.decoders import expected_native_length
from pacs_desktop.core.dicom.geometry import (
    SliceHeader,
    frame_headers,
    number_of_frames,
    sort_slices,
)
from pacs_desktop.core.dicom.pipeline import FrameImage, decode_stored_frame
from pacs_desktop.core.dicom.reading import read_dataset
from pacs_desktop.core.dicom.sop_classes import ObjectKind, object_kind
from pacs_desktop.core.errors import DicomReadError

logger = logging.getLogger(__name__)

# Multi-frame files stay parsed between frames, so scrolling through one does
# not re-read the whole file per frame. Two entries bound the memory held.
_MULTI_FRAME_CACHE_SIZE = 2


@dataclass(frozen=True)
class FrameRef:
    """One frame of a series: its file, its stored frame index and its header."""

    path: Path
    frame_index: int
    header: SliceHeader


@dataclass
class SeriesFrames:
    """The frames of a series in display order, with spacing and skipped files.

    ``gaps`` lists the display indices ``i`` where the spacing from frame ``i``
    to ``i + 1`` differs from the median ``spacing`` (mm). ``errors`` lists the
    files that could not be read, with the reason. ``non_image`` lists the
    files whose SOP class contains no image (audio, reports, documents).
    """

    frames: list[FrameRef]
    spacing: float | None = None
    gaps: list[int] = field(default_factory=list)
    uneven: bool = False
    errors: list[tuple[Path, str]] = field(default_factory=list)
    non_image: list[Path] = field(default_factory=list)


def load_series(paths: Sequence[Path]) -> SeriesFrames:
    """Read the headers of ``paths`` (no pixel data) and order their frames.

    Files that cannot be read, or that are not images, are skipped and listed
    in ``errors``; the rest still load. Files of a SOP class without images
    (a waveform, a report, a document) are listed in ``non_image`` instead.
    """
    headers: list[SliceHeader] = []
    errors: list[tuple[Path, str]] = []
    non_image: list[Path] = []
    for path in paths:
        try:
            ds = read_dataset(path, stop_before_pixels=True)
        except DicomReadError as exc:
            errors.append((path, exc.reason))
            continue
        sop_class_uid = str(ds.get("SOPClassUID", "") or "")
        if object_kind(sop_class_uid) is not ObjectKind.IMAGE:
            non_image.append(path)
            continue
        if ds.get("Rows") in (None, "") or ds.get("Columns") in (None, ""):
            errors.append((path, "not an image: Rows and Columns are missing"))
            continue
        problem = _frame_count_problem(ds, path)
        if problem:
            errors.append((path, problem))
            continue
        headers.extend(frame_headers(ds, path))
    if errors:
        logger.warning("%d of %d files of a series skipped", len(errors), len(paths))

    order = sort_slices(headers)
    frames = [
        FrameRef(header.path, header.frame_index, header) for header in order.headers
    ]
    return SeriesFrames(
        frames, order.spacing, order.gaps, order.uneven, errors, non_image
    )


def _frame_count_problem(ds: Dataset, path: Path) -> str:
    """Return why the declared frame count is impossible for the file, or ''."""
    # One header is built per frame, so a hostile Number of Frames would cost
    # that many objects before any pixel data is checked. A native frame takes
    # its full size in the file, an encapsulated one at least its 8-byte item
    # header (PS3.5 section A.4).
    frames = number_of_frames(ds)
    if frames == 1:
        return ""
    try:
        size = path.stat().st_size
        syntax = UID(str(ds.file_meta.get("TransferSyntaxUID", "")))
        if syntax.is_transfer_syntax and not syntax.is_compressed:
            needed = expected_native_length(ds)
        else:
            needed = frames * 8
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    except (AttributeError, TypeError, ValueError):
        needed = frames * 8
    if needed <= size:
        return ""
    return (
        f"Number of Frames (0028,0008) declares {frames} frames, which need at "
        f"least {needed} bytes, but the file has {size}: the file is corrupt"
    )


def decode_frame_ref(ref: FrameRef) -> FrameImage:
    """Read the file of ``ref`` and decode that frame.

    Raises
    ------
    DicomReadError
        The file cannot be read or lacks the frame.
    PixelDataError
        The pixel data are missing, truncated or cannot be decoded.
    UnsupportedTransferSyntaxError
        No installed decoder handles the file's transfer syntax.
    """
    if ref.header.number_of_frames > 1:
        ds = _cached_dataset(ref.path)
    else:
        ds = read_dataset(ref.path)
    return decode_stored_frame(ds, ref.frame_index, ref.path)


_cache: OrderedDict[Path, Dataset] = OrderedDict()
_cache_lock = threading.Lock()


def _cached_dataset(path: Path) -> Dataset:
    with _cache_lock:
        if path in _cache:
            _cache.move_to_end(path)
            return _cache[path]
    ds = read_dataset(path)
    with _cache_lock:
        _cache[path] = ds
        while len(_cache) > _MULTI_FRAME_CACHE_SIZE:
            _cache.popitem(last=False)
    return ds
