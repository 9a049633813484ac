"""An image that cannot be shown: its overlays, its message and keyboard focus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery, StudyRecord
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.viewer import ViewerWidget
from pacs_desktop.ui.viewer.overlays import Corner

SLICES = 3
SIZE = 32
# Slice positions along the normal, in mm, so each one is easy to tell apart.
SPACING = 2.5
CHANGED = "changed since it was archived"


def _write_slice(path: Path, study_uid: str, series_uid: str, number: int) -> None:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = "Slot^Sam"
    ds.PatientID = "PID-SLOT-3"
    ds.PatientBirthDate = "19800101"
    ds.StudyInstanceUID = study_uid
    ds.StudyDate = "20240402"
    ds.Modality = "CT"
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = 1
    ds.InstanceNumber = number + 1
    ds.ImagePositionPatient = [0.0, 0.0, SPACING * number]
    ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    ds.PixelSpacing = [1.0, 1.0]
    ds.SliceThickness = SPACING
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


def _archive_series(workstation: Workstation, folder: Path) -> StudyRecord:
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    for number in range(SLICES):
        _write_slice(folder / f"{number}.dcm", study_uid, series_uid, number)
    summary = workstation.archive.import_paths([folder])
    assert len(summary.imported) == SLICES
    (study,) = workstation.archive.find_studies(StudyQuery())
    return study


def _alter_stored(workstation: Workstation, study: StudyRecord, number: int) -> Path:
    """Flip one pixel byte of stored slice ``number`` so its SHA-256 check fails."""
    (series,) = workstation.archive.series_for_study(study.StudyInstanceUID)
    path = workstation.archive.instances_for_series(series.SeriesInstanceUID)[
        number
    ].path
    data = bytearray(path.read_bytes())
    data[len(data) - SIZE * SIZE] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


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


def _fail_after_last(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> Path:
    """Show the last slice, then move to the middle one, whose file changed."""
    study = _archive_series(workstation, tmp_path / "raw")
    changed = _alter_stored(workstation, study, 1)
    viewer.open_study(study)
    qtbot.waitUntil(lambda: viewer.frame_count == SLICES, timeout=10_000)
    viewer.go_to(SLICES - 1)
    qtbot.waitUntil(lambda: viewer.current_index == SLICES - 1, timeout=10_000)
    viewer.go_to(1)
    qtbot.waitUntil(lambda: CHANGED in viewer.overlays.warning_text(), timeout=10_000)
    return changed


def test_failed_slot_names_its_own_image(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    _fail_after_last(qtbot, viewer, workstation, tmp_path)

    text = viewer.overlays.corner_text(Corner.BOTTOM_LEFT)
    assert f"Image 2 / {SLICES}" in text
    assert f"Image {SLICES} / {SLICES}" not in text


def test_failed_slot_shows_no_position(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    _fail_after_last(qtbot, viewer, workstation, tmp_path)

    text = viewer.overlays.corner_text(Corner.BOTTOM_LEFT)
    assert "Position" not in text
    assert "Thickness" not in text


def test_failed_slot_shows_no_window(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    _fail_after_last(qtbot, viewer, workstation, tmp_path)

    assert viewer.overlays.corner_text(Corner.BOTTOM_RIGHT) == ""
    assert viewer.current_window() is None


def test_failed_slot_window_stays_empty_on_zoom(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    _fail_after_last(qtbot, viewer, workstation, tmp_path)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_I)
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_1)
    viewer.resize(700, 560)

    assert viewer.overlays.corner_text(Corner.BOTTOM_RIGHT) == ""


def test_slot_after_failure_restores_overlays(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    _fail_after_last(qtbot, viewer, workstation, tmp_path)

    viewer.go_to(0)
    qtbot.waitUntil(lambda: viewer.current_index == 0, timeout=10_000)

    assert f"Image 1 / {SLICES}" in viewer.overlays.corner_text(Corner.BOTTOM_LEFT)
    assert "C 500 W 1000" in viewer.overlays.corner_text(Corner.BOTTOM_RIGHT)


def _inside(inner: QRect, outer: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


def test_failure_message_wraps_inside_view(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    changed = _fail_after_last(qtbot, viewer, workstation, tmp_path)
    label = viewer.overlays.warning_label
    qtbot.waitUntil(label.isVisible)

    area = viewer.overlays.rect()
    assert area == viewer.image_view.rect()
    assert _inside(label.geometry(), area)
    assert label.minimumSizeHint().width() <= area.width()
    assert label.height() >= label.heightForWidth(label.width())
    assert label.line_count() > 1
    assert str(changed) in label.text()


def test_long_path_message_wraps(qtbot: QtBot, viewer: ViewerWidget) -> None:
    # One word far wider than the view: a stored path with no space in it.
    path = "/archive/" + "0123456789abcdef" * 12 + ".dcm"
    viewer.overlays.set_warning(f"Image 85 cannot be shown: {path} changed.")
    label = viewer.overlays.warning_label
    qtbot.waitUntil(label.isVisible)

    assert _inside(label.geometry(), viewer.overlays.rect())
    assert label.minimumSizeHint().width() <= viewer.overlays.width()
    assert label.line_count() >= 3
    assert label.text().endswith(f"{path} changed.")


def test_empty_message_hides_line(qtbot: QtBot, viewer: ViewerWidget) -> None:
    viewer.overlays.set_warning("Uneven slice spacing in this series.")
    viewer.overlays.set_warning("")

    assert not viewer.overlays.warning_label.isVisible()


def test_open_study_focuses_image(
    qtbot: QtBot, viewer: ViewerWidget, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    viewer.activateWindow()
    qtbot.waitActive(viewer)

    viewer.open_study(study)

    qtbot.waitUntil(lambda: QApplication.focusWidget() is viewer.image_view)


@pytest.fixture
def window(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> Iterator[MainWindow]:
    main = MainWindow(workstation, admin_session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def _open_through_confirmation(
    qtbot: QtBot, window: MainWindow, study: StudyRecord
) -> ViewerWidget:
    window.activateWindow()
    qtbot.waitActive(window)
    window.request_open(study)
    dialog = window.confirm_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.answer_edit, "1980-01-01")
    with qtbot.waitSignal(window.sig_study_opened, timeout=10_000):
        qtbot.keyClick(dialog.answer_edit, Qt.Key.Key_Return)
    viewer = window.viewer
    assert viewer is not None
    qtbot.waitUntil(lambda: viewer.current_index == 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.confirm_dialog is None, timeout=3000)
    return viewer


def test_confirmed_study_has_focus(
    qtbot: QtBot, window: MainWindow, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")

    viewer = _open_through_confirmation(qtbot, window, study)

    assert QApplication.focusWidget() is viewer.image_view


def test_keys_work_after_confirmation(
    qtbot: QtBot, window: MainWindow, workstation: Workstation, tmp_path: Path
) -> None:
    study = _archive_series(workstation, tmp_path / "raw")
    viewer = _open_through_confirmation(qtbot, window, study)

    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_End)

    qtbot.waitUntil(lambda: viewer.current_index == SLICES - 1, timeout=10_000)
