"""Object kinds (image, audio, report, document) by SOP Class UID.

Waveforms, structured reports, key object selections, encapsulated documents
and presentation states are stored in series of their own, next to the image
series of a study, but they contain no image to decode. The Modality of such a
series ("AU", "SR", "DOC", "PR", "KO") is free text written by the sender, so
the SOP Class UID (0008,0016) decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


class ObjectKind(Enum):
    """The content of the objects of a SOP class."""

    IMAGE = "image"
    AUDIO = "audio"
    WAVEFORM = "waveform"
    REPORT = "report"
    KEY_OBJECTS = "key-objects"
    DOCUMENT = "document"
    PRESENTATION_STATE = "presentation-state"


# SOP Class UID roots of the storage SOP classes that contain no image, from
# the registry of UIDs in PS3.6 Annex A. A root matches itself and every UID
# below it. The first match wins, so the specific roots come first.
_NON_IMAGE_ROOTS: tuple[tuple[str, ObjectKind], ...] = (
    # Basic Voice Audio and General Audio Waveform Storage.
    ("1.2.840.10008.5.1.4.1.1.9.4", ObjectKind.AUDIO),
    # ECG, hemodynamic, respiratory, EEG and the other waveforms.
    ("1.2.840.10008.5.1.4.1.1.9", ObjectKind.WAVEFORM),
    # Key Object Selection Document Storage.
    ("1.2.840.10008.5.1.4.1.1.88.59", ObjectKind.KEY_OBJECTS),
    # Basic Text, Enhanced, Comprehensive and the other SR Storage classes.
    ("1.2.840.10008.5.1.4.1.1.88", ObjectKind.REPORT),
    # Encapsulated PDF, CDA, STL, OBJ and MTL Storage.
    ("1.2.840.10008.5.1.4.1.1.104", ObjectKind.DOCUMENT),
    # Softcopy and volumetric presentation states.
    ("1.2.840.10008.5.1.4.1.1.11", ObjectKind.PRESENTATION_STATE),
)


def object_kind(sop_class_uid: str) -> ObjectKind:
    """Return what objects of ``sop_class_uid`` contain.

    Any SOP class not known to contain something else counts as an image, so
    an image class newer than this table is still offered for display.
    """
    uid = sop_class_uid.strip().rstrip("\x00")
    for root, kind in _NON_IMAGE_ROOTS:
        if uid == root or uid.startswith(root + "."):
            return kind
    return ObjectKind.IMAGE


def series_kind(sop_class_uids: Iterable[str]) -> ObjectKind:
    """Return what a series whose instances have ``sop_class_uids`` contains.

    A series with at least one image, or with no instance at all, is an image
    series. Otherwise the series has the kind of its first instance.
    """
    kinds = [object_kind(uid) for uid in sop_class_uids]
    if not kinds or ObjectKind.IMAGE in kinds:
        return ObjectKind.IMAGE
    return kinds[0]
