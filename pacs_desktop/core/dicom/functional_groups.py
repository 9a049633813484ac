"""Look-ups in functional groups of enhanced multi-frame objects (PS3.3 C.7.6.16)."""

from __future__ import annotations

from pydicom.dataset import Dataset


def frame_group_item(ds: Dataset, stored_index: int, keyword: str) -> Dataset | None:
    """Return the first item of the functional group ``keyword`` for one frame.

    The Per-Frame Functional Groups Sequence wins over the Shared Functional
    Groups Sequence, as PS3.3 C.7.6.16 requires. Returns ``None`` when neither
    contains the group, for example in a single-frame object.
    """
    per_frame = ds.get("PerFrameFunctionalGroupsSequence")
    if per_frame is not None and 0 <= stored_index < len(per_frame):
        item = _first_item(per_frame[stored_index], keyword)
        if item is not None:
            return item
    shared = ds.get("SharedFunctionalGroupsSequence")
    if shared:
        return _first_item(shared[0], keyword)
    return None


def _first_item(container: Dataset, keyword: str) -> Dataset | None:
    sequence = container.get(keyword)
    if not sequence:
        return None
    item: Dataset = sequence[0]
    return item
