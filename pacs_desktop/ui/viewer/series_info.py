"""Header texts the viewer shows beside the images, read from one file of a series.

These are plain strings, so the GUI thread never touches a pydicom dataset.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydicom import Dataset

from pacs_desktop.core.dicom.geometry import SliceHeader, slice_normal
from pacs_desktop.core.dicom.text import display_person_name


@dataclass(frozen=True)
class SeriesInfo:
    """Patient, study and series attributes of one series, as display strings."""

    PatientName: str = ""
    PatientID: str = ""
    PatientBirthDate: str = ""
    StudyDate: str = ""
    StudyDescription: str = ""
    SeriesNumber: str = ""
    SeriesDescription: str = ""
    Modality: str = ""


def _text(ds: Dataset, keyword: str) -> str:
    value = ds.get(keyword)
    if value is None:
        return ""
    return str(value).strip()


def series_info_from_dataset(ds: Dataset) -> SeriesInfo:
    """Collect the display strings of ``ds`` (names as `display_person_name` gives)."""
    return SeriesInfo(
        PatientName=display_person_name(ds.get("PatientName")),
        PatientID=_text(ds, "PatientID"),
        PatientBirthDate=format_dicom_date(_text(ds, "PatientBirthDate")),
        StudyDate=format_dicom_date(_text(ds, "StudyDate")),
        StudyDescription=_text(ds, "StudyDescription"),
        SeriesNumber=_text(ds, "SeriesNumber"),
        SeriesDescription=_text(ds, "SeriesDescription"),
        Modality=_text(ds, "Modality"),
    )


def format_dicom_date(value: str) -> str:
    """Format a DICOM DA value ``YYYYMMDD`` as ``YYYY-MM-DD``; other text unchanged."""
    value = value.strip()
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def slice_location(header: SliceHeader) -> float | None:
    """Return the position of a slice along its image normal, in mm.

    The normal is the cross product of the row and column direction cosines of
    Image Orientation (Patient) (PS3.3 C.7.6.2.1.1). Without an orientation the
    z coordinate of Image Position (Patient) is used.
    """
    position = header.position
    if position is None:
        return None
    orientation = header.orientation
    if orientation is None or len(orientation) != 6:
        return float(position[2])
    normal = slice_normal(orientation)
    length = math.sqrt(sum(component * component for component in normal))
    if length == 0.0:
        return float(position[2])
    return sum(p * n for p, n in zip(position, normal, strict=True)) / length
