"""Which SOP classes contain images, and which series the viewer offers."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (
    BasicTextSRStorage,
    BasicVoiceAudioWaveformStorage,
    ComprehensiveSRStorage,
    CTImageStorage,
    EncapsulatedPDFStorage,
    EnhancedMRImageStorage,
    ExplicitVRLittleEndian,
    GeneralAudioWaveformStorage,
    GrayscaleSoftcopyPresentationStateStorage,
    KeyObjectSelectionDocumentStorage,
    MRImageStorage,
    SecondaryCaptureImageStorage,
    TwelveLeadECGWaveformStorage,
    generate_uid,
)

from pacs_desktop.core.dicom.series import load_series
from pacs_desktop.core.dicom.sop_classes import ObjectKind, object_kind, series_kind


@pytest.mark.parametrize(
    ("uid", "expected"),
    [
        (CTImageStorage, ObjectKind.IMAGE),
        (MRImageStorage, ObjectKind.IMAGE),
        (EnhancedMRImageStorage, ObjectKind.IMAGE),
        (SecondaryCaptureImageStorage, ObjectKind.IMAGE),
        (BasicVoiceAudioWaveformStorage, ObjectKind.AUDIO),
        (GeneralAudioWaveformStorage, ObjectKind.AUDIO),
        (TwelveLeadECGWaveformStorage, ObjectKind.WAVEFORM),
        (BasicTextSRStorage, ObjectKind.REPORT),
        (ComprehensiveSRStorage, ObjectKind.REPORT),
        (KeyObjectSelectionDocumentStorage, ObjectKind.KEY_OBJECTS),
        (EncapsulatedPDFStorage, ObjectKind.DOCUMENT),
        (GrayscaleSoftcopyPresentationStateStorage, ObjectKind.PRESENTATION_STATE),
        # Waveform Storage - Trial, the root itself.
        ("1.2.840.10008.5.1.4.1.1.9", ObjectKind.WAVEFORM),
        # Same leading digits as the waveform root, but another class.
        ("1.2.840.10008.5.1.4.1.1.90", ObjectKind.IMAGE),
        (BasicTextSRStorage + "\x00", ObjectKind.REPORT),
        ("", ObjectKind.IMAGE),
    ],
)
def test_object_kind(uid: str, expected: ObjectKind) -> None:
    assert object_kind(uid) is expected


def test_series_of_audio_is_audio() -> None:
    uids = [BasicVoiceAudioWaveformStorage, BasicVoiceAudioWaveformStorage]

    assert series_kind(uids) is ObjectKind.AUDIO


def test_series_with_one_image_is_image() -> None:
    uids = [BasicTextSRStorage, CTImageStorage]

    assert series_kind(uids) is ObjectKind.IMAGE


def test_empty_series_is_image() -> None:
    assert series_kind([]) is ObjectKind.IMAGE


def test_load_series_sets_reports_apart(tmp_path: Path) -> None:
    path = tmp_path / "report.dcm"
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = BasicTextSRStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = BasicTextSRStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality = "SR"
    ds.save_as(path, enforce_file_format=True)

    series = load_series([path])

    assert series.frames == []
    assert series.errors == []
    assert series.non_image == [path]
