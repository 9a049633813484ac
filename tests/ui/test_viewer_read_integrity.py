"""The viewer and the thumbnails check archived files against their SHA-256."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    generate_uid,
)
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.integrity import (
    IntegrityError,
    os_account,
    stored_instances_of_series,
)
from pacs_desktop.core.archive.records import StudyQuery, StudyRecord
from pacs_desktop.core.security.auditmessage import INTEGRITY_FAILURE
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.browser.thumbnails import render_series_thumbnail
from pacs_desktop.ui.viewer import ViewerWidget
from pacs_desktop.ui.viewer.decoding import ProcessDecoding
from pacs_desktop.ui.viewer.thumbnails import thumbnail_display

PATIENT_NAME = "Integrity^Iris"
PATIENT_ID = "PID-INTEGRITY-9"
SLICES = 3
SIZE = 32
CHANGED = "changed since it was archived"
READER = "dr.reader"


def _write_slice(path: Path, study_uid: str, series_uid: str, number: int) -> None:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = PATIENT_NAME
    ds.PatientID = PATIENT_ID
    ds.StudyInstanceUID = study_uid
    ds.StudyDate = "20240402"
    ds.Modality = "CT"
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = 1
    ds.InstanceNumber = number + 1
    ds.ImagePositionPatient = [0.0, 0.0, float(number)]
    ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    ds.PixelSpacing = [1.0, 1.0]
    ds.Rows = ds.Columns = SIZE
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 0
    ds.WindowCenter = 500
    ds.WindowWidth = 1000
    ramp = np.add.outer(np.arange(SIZE), np.arange(SIZE)) * 10 + 100 * number
    ds.PixelData = ramp.astype("<u2").tobytes()
    ds.save_as(path, enforce_file_format=True)


def _archive_series(
    workstation: Workstation, folder: Path, *, j2k: bool = False
) -> StudyRecord:
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for number in range(SLICES):
        path = folder / f"{number}.dcm"
        _write_slice(path, study_uid, series_uid, number)
        if j2k:
            ds = pydicom.dcmread(path)
            ds.compress(JPEG2000Lossless, encoding_plugin="pylibjpeg")
            ds.save_as(path, enforce_file_format=True)
    summary = workstation.archive.import_paths([folder])
    assert len(summary.imported) == SLICES
    (study,) = workstation.archive.find_studies(StudyQuery())
    return study


def _stored_path(workstation: Workstation, study: StudyRecord, number: int) -> Path:
    (series,) = workstation.archive.series_for_study(study.StudyInstanceUID)
    instances = workstation.archive.instances_for_series(series.SeriesInstanceUID)
    return instances[number].path


def _alter(path: Path) -> None:
    """Change the byte 1 KiB before the end, inside the pixel data."""
    data = bytearray(path.read_bytes())
    data[len(data) - SIZE * SIZE] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def viewer(qtbot: QtBot, workstation: Workstation) -> Iterator[ViewerWidget]:
    widget = ViewerWidget(workstation.archive)
    qtbot.addWidget(widget)
    widget.resize(640, 520)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close_study()
    widget.close()


@pytest.fixture
def process_viewer(qtbot: QtBot, workstation: Workstation) -> Iterator[ViewerWidget]:
    decoding = ProcessDecoding(workers=2)
    decoding.start()
    assert decoding.wait_ready(timeout=60)
    widget = ViewerWidget(workstation.archive, decoding=decoding)
    qtbot.addWidget(widget)
    widget.resize(640, 520)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close_study()
    widget.shutdown()
    widget.close()
    decoding.close()
    assert multiprocessing.active_children() == []


def _open_and_fail(
    qtbot: QtBot, widget: ViewerWidget, study: StudyRecord, index: int
) -> None:
    widget.open_study(study)
    qtbot.waitUntil(lambda: widget.frame_count == SLICES, timeout=10_000)
    widget.go_to(index)
    qtbot.waitUntil(lambda: CHANGED in widget.overlays.warning_text(), timeout=10_000)


def test_changed_slice_shows_error(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    changed = _stored_path(workstation, study, 1)
    _alter(changed)

    _open_and_fail(qtbot, viewer, study, 1)

    warning = viewer.overlays.warning_text()
    assert warning.startswith("Image 2 cannot be shown")
    assert str(changed) in warning
    assert "pacs-desktop archive verify" in warning
    assert viewer.current_display().size == 0
    assert viewer.current_index is None


def test_changed_slice_log_has_no_patient_data(
    qtbot: QtBot,
    viewer: ViewerWidget,
    workstation: Workstation,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    changed = _stored_path(workstation, study, 1)
    _alter(changed)

    with caplog.at_level(logging.INFO):
        _open_and_fail(qtbot, viewer, study, 1)

    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(str(changed) in message for message in errors)
    assert not any(PATIENT_NAME in r.getMessage() for r in caplog.records)
    assert not any(PATIENT_ID in r.getMessage() for r in caplog.records)


def test_changed_slice_audited_for_refetch(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    (series,) = workstation.archive.series_for_study(study.StudyInstanceUID)
    changed = workstation.archive.instances_for_series(series.SeriesInstanceUID)[1]
    _alter(changed.path)

    _open_and_fail(qtbot, viewer, study, 1)

    refetch = workstation.archive.instances_to_refetch()
    assert [uid for _, uid, _ in refetch] == [changed.SOPInstanceUID]
    events = [record.event for record in workstation.audit.records()]
    assert INTEGRITY_FAILURE in events


def test_changed_slice_audited_under_reader(
    qtbot: QtBot, workstation: Workstation, tmp_path: Path
) -> None:
    reader = ViewerWidget(workstation.archive, user=READER)
    qtbot.addWidget(reader)
    reader.resize(640, 520)
    reader.show()
    qtbot.waitExposed(reader)
    study = _archive_series(workstation, tmp_path / "raw")
    _alter(_stored_path(workstation, study, 1))

    _open_and_fail(qtbot, reader, study, 1)
    reader.close_study()

    (record,) = workstation.audit.records(event=INTEGRITY_FAILURE)
    assert record.user == READER
    assert record.os_account is False
    assert record.study_uids == (study.StudyInstanceUID,)
    assert CHANGED in record.detail


def test_changed_slice_without_reader_audited_as_os(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    _alter(_stored_path(workstation, study, 1))

    _open_and_fail(qtbot, viewer, study, 1)

    (record,) = workstation.audit.records(event=INTEGRITY_FAILURE)
    assert record.user == os_account()
    assert record.os_account is True


def test_next_slice_shows_after_error(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    _alter(_stored_path(workstation, study, 1))
    _open_and_fail(qtbot, viewer, study, 1)

    viewer.go_to(2)
    qtbot.waitUntil(lambda: viewer.current_index == 2, timeout=10_000)

    assert viewer.current_display().shape == (SIZE, SIZE)
    assert CHANGED not in viewer.overlays.warning_text()


def test_changed_first_slice_never_shown(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    _alter(_stored_path(workstation, study, 0))

    _open_and_fail(qtbot, viewer, study, 0)

    assert viewer.current_display().size == 0
    assert viewer.overlays.warning_text().startswith("Image 1 cannot be shown")


def test_changed_j2k_slice_fails_in_process(
    qtbot: QtBot,
    process_viewer: ViewerWidget,
    workstation: Workstation,
    tmp_path: Path,
) -> None:
    study = _archive_series(workstation, tmp_path / "j2k", j2k=True)
    changed = _stored_path(workstation, study, 2)
    _alter(changed)

    _open_and_fail(qtbot, process_viewer, study, 2)

    assert str(changed) in process_viewer.overlays.warning_text()
    assert process_viewer.current_display().size == 0
    assert len(workstation.archive.instances_to_refetch()) == 1
    # Its unchanged neighbour went through the worker processes too.
    qtbot.waitUntil(lambda: process_viewer.loader.pending_decodes == 0)
    assert process_viewer.loader.process_decodes >= 1


def test_unchanged_j2k_series_shows(
    qtbot: QtBot,
    process_viewer: ViewerWidget,
    workstation: Workstation,
    tmp_path: Path,
) -> None:
    study = _archive_series(workstation, tmp_path / "j2k", j2k=True)

    process_viewer.open_study(study)
    qtbot.waitUntil(lambda: process_viewer.frame_count == SLICES, timeout=10_000)
    process_viewer.go_to(2)
    qtbot.waitUntil(lambda: process_viewer.current_index == 2, timeout=10_000)

    assert process_viewer.current_display().shape == (SIZE, SIZE)
    assert process_viewer.overlays.warning_text() == ""


def test_viewer_thumbnail_checks_file(workstation: Workstation, tmp_path: Path) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    (series,) = workstation.archive.series_for_study(study.StudyInstanceUID)
    rows = stored_instances_of_series(workstation.archive, series.SeriesInstanceUID)
    changed = _stored_path(workstation, study, 1)
    _alter(changed)

    with pytest.raises(IntegrityError, match=CHANGED):
        thumbnail_display(changed, stored=rows[changed])


def test_browser_thumbnail_checks_file(
    qtbot: QtBot, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    (series,) = workstation.archive.series_for_study(study.StudyInstanceUID)
    # The browser's thumbnail is the middle instance.
    _alter(_stored_path(workstation, study, SLICES // 2))

    with pytest.raises(IntegrityError, match=CHANGED):
        render_series_thumbnail(workstation.archive, series.SeriesInstanceUID)


def test_browser_thumbnail_of_unchanged_file(
    qtbot: QtBot, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    (series,) = workstation.archive.series_for_study(study.StudyInstanceUID)

    image = render_series_thumbnail(workstation.archive, series.SeriesInstanceUID)

    assert image is not None
    assert not image.isNull()
