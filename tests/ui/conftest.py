"""Fixtures for the widget tests: a real workstation on disk and real DICOM files.

Qt runs offscreen; the platform must be chosen before the first Qt import.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRLittleEndian,
    MRImageStorage,
    generate_uid,
)
from PySide6.QtWidgets import QApplication

from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation

ADMIN_NAME = "admin"
ADMIN_PASSWORD = "Correct-Horse-Battery-9"


@dataclass(frozen=True)
class SampleStudy:
    """The patient and study attributes of one generated study."""

    PatientName: str
    PatientID: str
    PatientBirthDate: str
    PatientSex: str
    StudyDate: str
    Modality: str
    AccessionNumber: str
    StudyDescription: str
    series_count: int = 1
    images_per_series: int = 2


SAMPLE_STUDIES = (
    SampleStudy(
        "Doe^Jane", "PID-1001", "19700315", "F", "20240110", "CT", "ACC-1",
        "CT abdomen", series_count=2,
    ),
    SampleStudy(
        "Doe^John", "PID-1002", "19650722", "M", "20240305", "MR", "ACC-2",
        "MR knee",
    ),
    SampleStudy(
        "Smith^Anna", "PID-2001", "19881130", "F", "20231201", "CT", "ACC-3",
        "CT chest",
    ),
    SampleStudy(
        "Smith^Bob", "PID-2002", "", "M", "20240620", "CT", "ACC-4", "CT head",
    ),
)  # fmt: skip


def write_image(
    path: Path,
    study: SampleStudy,
    *,
    study_uid: str,
    series_uid: str,
    series_number: int,
    instance_number: int,
) -> None:
    """Write one 32x32 16-bit CT or MR image of ``study`` to ``path``."""
    sop_class = MRImageStorage if study.Modality == "MR" else CTImageStorage
    sop_uid = generate_uid()
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = sop_uid
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_uid

    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.PatientName = study.PatientName
    ds.PatientID = study.PatientID
    ds.PatientBirthDate = study.PatientBirthDate
    ds.PatientSex = study.PatientSex

    ds.StudyInstanceUID = study_uid
    ds.StudyDate = study.StudyDate
    ds.StudyTime = "093000"
    ds.StudyID = "1"
    ds.AccessionNumber = study.AccessionNumber
    ds.StudyDescription = study.StudyDescription
    ds.ReferringPhysicianName = ""

    ds.Modality = study.Modality
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = series_number
    ds.SeriesDescription = f"series {series_number}"

    ds.InstanceNumber = instance_number
    ds.ImagePositionPatient = [0.0, 0.0, float(instance_number)]
    ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    ds.PixelSpacing = [1.0, 1.0]
    ds.SliceThickness = 1.0

    ds.Rows = 32
    ds.Columns = 32
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.RescaleIntercept = -1024
    ds.RescaleSlope = 1
    ds.WindowCenter = 40
    ds.WindowWidth = 400
    # A ramp, so a rendered thumbnail has many grey levels.
    ramp = np.add.outer(np.arange(32), np.arange(32)) * 30 + 600
    ds.PixelData = ramp.astype("<u2").tobytes()
    ds.save_as(path, enforce_file_format=True)


def write_sample_files(folder: Path) -> Path:
    """Write every study of `SAMPLE_STUDIES` below ``folder``; return ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for study_index, study in enumerate(SAMPLE_STUDIES):
        study_uid = generate_uid()
        for series_number in range(1, study.series_count + 1):
            series_uid = generate_uid()
            for instance_number in range(1, study.images_per_series + 1):
                name = f"s{study_index}_{series_number}_{instance_number}.dcm"
                write_image(
                    folder / name,
                    study,
                    study_uid=study_uid,
                    series_uid=series_uid,
                    series_number=series_number,
                    instance_number=instance_number,
                )
    return folder


@pytest.fixture
def workstation(tmp_path: Path) -> Iterator[Workstation]:
    """A workstation on a fresh data directory."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    station = Workstation(data_dir)
    yield station
    station.close()


@pytest.fixture
def sample_folder(tmp_path: Path) -> Path:
    """A folder of generated DICOM files: four patients, five series."""
    return write_sample_files(tmp_path / "incoming")


@pytest.fixture
def filled_workstation(workstation: Workstation, sample_folder: Path) -> Workstation:
    """The workstation with the sample files imported through the archive."""
    summary = workstation.archive.import_paths([sample_folder])
    assert not summary.rejected, summary.rejected
    return workstation


@pytest.fixture
def admin_session(workstation: Workstation) -> Session:
    """A logged-in session of the first administrator."""
    workstation.users.create_first_administrator(ADMIN_NAME, ADMIN_PASSWORD)
    return workstation.users.authenticate(ADMIN_NAME, ADMIN_PASSWORD)


@pytest.fixture(autouse=True)
def no_leaked_windows(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves a visible top-level window behind.

    It is set up before ``qtbot``, so its check runs after qtbot closed the
    widgets registered with ``qtbot.addWidget``.
    """
    yield
    qapp.processEvents()
    leaked = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
    for widget in leaked:
        widget.close()
    assert not leaked, f"windows left open: {[w.windowTitle() for w in leaked]}"
