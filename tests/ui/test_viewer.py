"""The viewer on real files: stack order, scrolling, windowing, presets, closing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import concurrent.futures
import multiprocessing
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (
    BasicTextSRStorage,
    CTImageStorage,
    EnhancedCTImageStorage,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    MRImageStorage,
    generate_uid,
)
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.dicom.pipeline import Window
from pacs_desktop.core.dicom.presets import CT_PRESETS, Preset
from pacs_desktop.core.dictation.waveform import build_voice_audio
from pacs_desktop.core.site_profile import SITE_PROFILE_ENV
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.viewer import ViewerWidget, viewer_widget
from pacs_desktop.ui.viewer.decoding import ProcessDecoding
from pacs_desktop.ui.viewer.loader import first_frame_of
from pacs_desktop.ui.viewer.overlays import Corner, Edge
from tests.ui.conftest import ADMIN_NAME, ADMIN_PASSWORD

SLICES = 10
SIZE = 64
SLICE_SPACING = 2.5
FILE_WINDOW = (40.0, 400.0)
PATIENT_NAME = "Roe^Richard"
PATIENT_ID = "VIEW-0042"


def write_ct_slice(
    path: Path, *, z: float, instance_number: int, series_uid: str, study_uid: str
) -> None:
    """Write one 64x64 signed 16-bit CT slice whose values rise with ``z``.

    Each pixel is ``10 * z - 60 + 2 * column`` HU, inside the file's window
    (centre 40, width 400), so every slice and every column looks different.
    """
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    sop_uid = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = sop_uid
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = sop_uid
    ds.PatientName = PATIENT_NAME
    ds.PatientID = PATIENT_ID
    ds.PatientBirthDate = "19591224"
    ds.PatientSex = "M"
    ds.StudyInstanceUID = study_uid
    ds.StudyDate = "20240402"
    ds.StudyTime = "101500"
    ds.StudyDescription = "CT abdomen"
    ds.AccessionNumber = "ACC-77"
    ds.Modality = "CT"
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = 3
    ds.SeriesDescription = "Axial 2.5"
    ds.InstanceNumber = instance_number
    ds.ImagePositionPatient = [-160.0, -160.0, z]
    ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    ds.PixelSpacing = [0.8, 0.8]
    ds.SliceThickness = SLICE_SPACING
    ds.Rows = SIZE
    ds.Columns = SIZE
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1
    ds.RescaleIntercept = -1024
    ds.RescaleSlope = 1
    ds.WindowCenter = FILE_WINDOW[0]
    ds.WindowWidth = FILE_WINDOW[1]
    hounsfield = 10.0 * z - 60.0 + 2.0 * np.arange(SIZE)[np.newaxis, :]
    stored = np.broadcast_to(hounsfield + 1024.0, (SIZE, SIZE)).astype("<i2")
    ds.PixelData = stored.tobytes()
    ds.save_as(path, enforce_file_format=True)


def write_ct_series(
    folder: Path, z_values: list[float], *, seed: int = 7
) -> list[Path]:
    """Write one slice per ``z_values`` and return the paths in shuffled order.

    Instance numbers run against the positions, so only sorting by position
    along the normal gives ascending z.
    """
    folder.mkdir(parents=True, exist_ok=True)
    study_uid = generate_uid()
    series_uid = generate_uid()
    paths = []
    for number, z in enumerate(z_values):
        path = folder / f"slice_{number:02d}.dcm"
        write_ct_slice(
            path,
            z=z,
            instance_number=len(z_values) - number,
            series_uid=series_uid,
            study_uid=study_uid,
        )
        paths.append(path)
    random.Random(seed).shuffle(paths)
    return paths


@pytest.fixture
def ct_paths(tmp_path: Path) -> list[Path]:
    """Ten generated CT slices 2.5 mm apart, in shuffled order."""
    return write_ct_series(
        tmp_path / "ct", [index * SLICE_SPACING for index in range(SLICES)]
    )


@pytest.fixture
def viewer(qtbot: QtBot, workstation: Workstation) -> Iterator[ViewerWidget]:
    """A shown viewer on an empty archive, closed after the test."""
    widget = ViewerWidget(workstation.archive)
    qtbot.addWidget(widget)
    widget.resize(640, 520)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close_study()
    widget.close()


def open_paths(qtbot: QtBot, viewer: ViewerWidget, paths: list[Path]) -> None:
    """Open ``paths`` and wait until the first image is on screen."""
    with qtbot.waitSignal(viewer.sig_frame_changed, timeout=10_000):
        viewer.open_series_paths(paths)
    qtbot.waitUntil(lambda: viewer.current_index == 0)


def wait_for_index(qtbot: QtBot, viewer: ViewerWidget, index: int) -> None:
    """Wait until the image at display ``index`` is on screen."""
    qtbot.waitUntil(lambda: viewer.current_index == index, timeout=10_000)


def viewport_center(viewer: ViewerWidget) -> QPoint:
    return viewer.image_view.viewport().rect().center()


def send_wheel(
    viewer: ViewerWidget, notches: int, modifiers: Qt.KeyboardModifier
) -> None:
    """Turn the wheel by ``notches`` (positive away from the user) over the image."""
    viewport = viewer.image_view.viewport()
    local = QPointF(viewport_center(viewer))
    event = QWheelEvent(
        local,
        QPointF(viewport.mapToGlobal(local.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def send_mouse(
    widget: QWidget,
    kind: QEvent.Type,
    local: QPoint,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
) -> None:
    position = QPointF(local)
    event = QMouseEvent(
        kind,
        position,
        QPointF(widget.mapToGlobal(local)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def right_drag(viewer: ViewerWidget, dx: int, dy: int) -> None:
    """Drag with the right button from the image centre by ``dx``, ``dy`` pixels."""
    viewport = viewer.image_view.viewport()
    start = viewport_center(viewer)
    right = Qt.MouseButton.RightButton
    send_mouse(viewport, QEvent.Type.MouseButtonPress, start, right, right)
    for step in range(1, 5):
        point = start + QPoint(dx * step // 4, dy * step // 4)
        send_mouse(
            viewport, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, right
        )
    end = start + QPoint(dx, dy)
    send_mouse(
        viewport, QEvent.Type.MouseButtonRelease, end, right, Qt.MouseButton.NoButton
    )


def window_values(viewer: ViewerWidget) -> tuple[float, float]:
    window = viewer.current_window()
    assert window is not None
    return (window.center, window.width)


def test_first_image_shown_with_file_window(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)

    assert viewer.frame_count == SLICES
    assert viewer.current_display().shape == (SIZE, SIZE)
    assert viewer.current_display().dtype == np.uint8
    assert window_values(viewer) == FILE_WINDOW


def test_slices_in_position_order(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)

    means = []
    for index in range(SLICES):
        viewer.go_to(index)
        wait_for_index(qtbot, viewer, index)
        means.append(float(viewer.current_display().mean()))

    assert means == sorted(means)
    assert len(set(means)) == SLICES


def test_overlays_show_slice_and_window(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)

    bottom_left = viewer.overlays.corner_text(Corner.BOTTOM_LEFT)
    assert "1 / 10" in bottom_left
    assert "Position 0.0 mm" in bottom_left
    assert "Thickness 2.5 mm" in bottom_left
    assert "C 40 W 400" in viewer.overlays.corner_text(Corner.BOTTOM_RIGHT)
    assert PATIENT_ID in viewer.overlays.corner_text(Corner.TOP_LEFT)
    assert "Roe, Richard" in viewer.overlays.corner_text(Corner.TOP_LEFT)
    assert "CT abdomen" in viewer.overlays.corner_text(Corner.TOP_RIGHT)
    assert viewer.overlays.warning_text() == ""


def test_wheel_scrolls_stack(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    first = viewer.current_display().copy()

    with qtbot.waitSignal(viewer.sig_frame_changed, timeout=10_000) as blocker:
        send_wheel(viewer, -1, Qt.KeyboardModifier.NoModifier)

    assert blocker.args == [1]
    assert not np.array_equal(viewer.current_display(), first)


def test_ctrl_wheel_zooms_instead(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    zoom = viewer.image_view.zoom_factor()

    send_wheel(viewer, 2, Qt.KeyboardModifier.ControlModifier)

    assert viewer.current_index == 0
    assert viewer.image_view.zoom_factor() > zoom


@pytest.mark.parametrize(
    ("keys", "expected_index"),
    [
        ([Qt.Key.Key_Down], 1),
        ([Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up], 1),
        ([Qt.Key.Key_PageDown], 9),
        ([Qt.Key.Key_End], 9),
        ([Qt.Key.Key_End, Qt.Key.Key_Home], 0),
        ([Qt.Key.Key_End, Qt.Key.Key_PageUp], 0),
    ],
)
def test_keys_scroll_stack(
    qtbot: QtBot,
    viewer: ViewerWidget,
    ct_paths: list[Path],
    keys: list[Qt.Key],
    expected_index: int,
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    first = viewer.current_display().copy()

    for key in keys:
        qtbot.keyClick(viewer.image_view, key)
    wait_for_index(qtbot, viewer, expected_index)

    assert np.array_equal(viewer.current_display(), first) == (expected_index == 0)


def test_fast_scrolling_ends_on_last_request(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)

    for _ in range(SLICES):
        qtbot.keyClick(viewer.image_view, Qt.Key.Key_Down)
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_Up)
    wait_for_index(qtbot, viewer, SLICES - 2)
    # Late decodes of the frames passed on the way must not replace it.
    qtbot.waitUntil(lambda: viewer.loader.pending_decodes == 0, timeout=10_000)

    assert viewer.current_index == SLICES - 2


def test_right_drag_changes_window(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    before = viewer.current_display().copy()

    with qtbot.waitSignal(viewer.sig_window_changed, timeout=5_000):
        right_drag(viewer, dx=120, dy=60)
    center, width = window_values(viewer)

    assert width > FILE_WINDOW[1]
    assert center > FILE_WINDOW[0]
    assert not np.array_equal(viewer.current_display(), before)


def test_window_kept_while_scrolling(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    right_drag(viewer, dx=-80, dy=0)
    dragged = window_values(viewer)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_Down)
    wait_for_index(qtbot, viewer, 1)

    assert window_values(viewer) == dragged


@pytest.mark.parametrize(
    ("key", "preset_index"),
    [(Qt.Key.Key_1, 0), (Qt.Key.Key_4, 3), (Qt.Key.Key_8, 7)],
)
def test_preset_key_applies_preset(
    qtbot: QtBot,
    viewer: ViewerWidget,
    ct_paths: list[Path],
    key: Qt.Key,
    preset_index: int,
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    preset = CT_PRESETS[preset_index].window

    with qtbot.waitSignal(viewer.sig_window_changed, timeout=5_000) as blocker:
        qtbot.keyClick(viewer.image_view, key)

    assert window_values(viewer) == (preset.center, preset.width)
    assert blocker.args == [preset.center, preset.width]


SITE_PRESETS = {
    "CT": (
        Preset("Lung", Window(-500.0, 1400.0, "LINEAR", "Lung"), "1"),
        Preset("Soft tissue", Window(60.0, 360.0, "LINEAR", "Soft tissue"), "2"),
    ),
    "MR": (Preset("T1", Window(500.0, 1000.0, "LINEAR", "T1"), "1"),),
}


def test_site_presets_replace_built_in(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    viewer.set_presets(SITE_PRESETS)
    open_paths(qtbot, viewer, ct_paths)

    with qtbot.waitSignal(viewer.sig_window_changed, timeout=5_000):
        qtbot.keyClick(viewer.image_view, Qt.Key.Key_2)

    assert window_values(viewer) == (60.0, 360.0)
    assert viewer.current_presets() == SITE_PRESETS["CT"]
    assert "Soft tissue" in viewer.overlays.corner_text(Corner.BOTTOM_RIGHT)


def test_key_without_preset_keeps_window(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    viewer.set_presets(SITE_PRESETS)
    open_paths(qtbot, viewer, ct_paths)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_3)

    assert window_values(viewer) == FILE_WINDOW
    assert viewer.current_preset() is None


def test_presets_of_other_modality_unused(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    viewer.set_presets({"MR": SITE_PRESETS["MR"]})
    open_paths(qtbot, viewer, ct_paths)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_1)

    assert viewer.current_modality() == "CT"
    assert viewer.current_presets() == ()
    assert window_values(viewer) == FILE_WINDOW


def write_mr_slice(path: Path) -> None:
    """Write one generated slice as an MR image."""
    (ct_path,) = write_ct_series(path.parent / "ct_source", [0.0])
    ds = pydicom.dcmread(ct_path)
    ds.SOPClassUID = MRImageStorage
    ds.file_meta.MediaStorageSOPClassUID = MRImageStorage
    ds.Modality = "MR"
    del ds.RescaleIntercept
    del ds.RescaleSlope
    ds.save_as(path, enforce_file_format=True)


def test_preset_key_on_mr_says_why(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path
) -> None:
    path = tmp_path / "mr.dcm"
    write_mr_slice(path)
    open_paths(qtbot, viewer, [path])
    before = window_values(viewer)

    with qtbot.waitSignal(viewer.sig_message, timeout=1_000) as blocker:
        qtbot.keyClick(viewer.image_view, Qt.Key.Key_1)

    expected = "No window presets for MR; Tools > Settings > Display defines them."
    assert viewer.current_modality() == "MR"
    assert viewer.overlays.message_text() == expected
    assert blocker.args == [expected]
    assert window_values(viewer) == before


def test_unused_preset_key_says_why(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    viewer.set_presets(SITE_PRESETS)
    open_paths(qtbot, viewer, ct_paths)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_3)

    assert viewer.overlays.message_text() == "No window preset on key 3 for CT."


def test_preset_message_goes_away(
    qtbot: QtBot,
    workstation: Workstation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(viewer_widget, "MESSAGE_MILLISECONDS", 50)
    widget = ViewerWidget(workstation.archive)
    qtbot.addWidget(widget)
    widget.show()
    path = tmp_path / "mr.dcm"
    write_mr_slice(path)
    open_paths(qtbot, widget, [path])

    qtbot.keyClick(widget.image_view, Qt.Key.Key_2)
    shown = widget.overlays.message_text()
    qtbot.waitUntil(lambda: widget.overlays.message_text() == "", timeout=2_000)

    assert shown.startswith("No window presets for MR")
    widget.close_study()
    widget.close()


def test_applied_preset_shows_no_message(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_1)

    assert viewer.overlays.message_text() == ""


def test_dragging_ends_preset(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_4)
    assert viewer.current_preset() == CT_PRESETS[3]

    right_drag(viewer, dx=40, dy=0)

    assert viewer.current_preset() is None
    assert "Lung" not in viewer.overlays.corner_text(Corner.BOTTOM_RIGHT)


@pytest.mark.parametrize("reset_key", [Qt.Key.Key_0, Qt.Key.Key_9])
def test_reset_key_restores_file_window(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path], reset_key: Qt.Key
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    original = viewer.current_display().copy()
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_4)
    right_drag(viewer, dx=50, dy=-30)

    qtbot.keyClick(viewer.image_view, reset_key)

    assert window_values(viewer) == FILE_WINDOW
    assert np.array_equal(viewer.current_display(), original)


def test_invert_key_inverts_grey_scale(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    original = viewer.current_display().astype(np.int16)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_I)
    inverted = viewer.current_display().astype(np.int16)

    assert viewer.inverted
    assert np.abs(inverted - (255 - original)).max() <= 1
    assert "Inverted" in viewer.overlays.corner_text(Corner.BOTTOM_RIGHT)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([Qt.Key.Key_R], lambda image: np.rot90(image, k=-1)),
        ([Qt.Key.Key_R, Qt.Key.Key_R], lambda image: np.rot90(image, k=2)),
        ([Qt.Key.Key_H], np.fliplr),
        ([Qt.Key.Key_V], np.flipud),
        ([Qt.Key.Key_R, Qt.Key.Key_H], lambda image: np.fliplr(np.rot90(image, k=-1))),
        ([Qt.Key.Key_H, Qt.Key.Key_H], lambda image: image),
    ],
)
def test_rotate_and_flip_keys(
    qtbot: QtBot,
    viewer: ViewerWidget,
    ct_paths: list[Path],
    keys: list[Qt.Key],
    expected: object,
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    original = viewer.current_display().copy()

    for key in keys:
        qtbot.keyClick(viewer.image_view, key)

    assert callable(expected)
    assert np.array_equal(viewer.current_display(), expected(original))


def edge_texts(viewer: ViewerWidget) -> tuple[str, str, str, str]:
    """Return the markers at the left, right, top and bottom edge."""
    overlays = viewer.overlays
    return (
        overlays.edge_text(Edge.LEFT),
        overlays.edge_text(Edge.RIGHT),
        overlays.edge_text(Edge.TOP),
        overlays.edge_text(Edge.BOTTOM),
    )


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([], ("R", "L", "A", "P")),
        ([Qt.Key.Key_H], ("L", "R", "A", "P")),
        ([Qt.Key.Key_V], ("R", "L", "P", "A")),
        ([Qt.Key.Key_R], ("P", "A", "R", "L")),
        ([Qt.Key.Key_R, Qt.Key.Key_R], ("L", "R", "P", "A")),
        ([Qt.Key.Key_R, Qt.Key.Key_H], ("A", "P", "R", "L")),
    ],
)
def test_orientation_markers_follow_view(
    qtbot: QtBot,
    viewer: ViewerWidget,
    ct_paths: list[Path],
    keys: list[Qt.Key],
    expected: tuple[str, str, str, str],
) -> None:
    open_paths(qtbot, viewer, ct_paths)

    for key in keys:
        qtbot.keyClick(viewer.image_view, key)

    assert edge_texts(viewer) == expected


def rewrite_orientation(path: Path, patient_orientation: list[str] | None) -> None:
    """Remove Image Orientation (Patient) and set Patient Orientation, if given."""
    ds = pydicom.dcmread(path)
    del ds.ImageOrientationPatient
    del ds.ImagePositionPatient
    if patient_orientation is not None:
        ds.PatientOrientation = patient_orientation
    ds.save_as(path, enforce_file_format=True)


def test_markers_from_patient_orientation(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path
) -> None:
    (path,) = write_ct_series(tmp_path / "po", [0.0])
    rewrite_orientation(path, ["P", "F"])
    open_paths(qtbot, viewer, [path])

    assert edge_texts(viewer) == ("A", "P", "H", "F")


def test_no_markers_without_orientation(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path
) -> None:
    (path,) = write_ct_series(tmp_path / "none", [0.0])
    rewrite_orientation(path, None)
    open_paths(qtbot, viewer, [path])

    assert edge_texts(viewer) == ("", "", "", "")


def test_markers_of_enhanced_frame(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path
) -> None:
    path = tmp_path / "enhanced.dcm"
    write_enhanced_ct(path, [0.0, 5.0])
    ds = pydicom.dcmread(path)
    # The first frame is coronal by its own Plane Orientation Sequence, which
    # takes precedence over the shared axial one.
    coronal = Dataset()
    coronal.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 0.0, -1.0]
    ds.PerFrameFunctionalGroupsSequence[0].PlaneOrientationSequence = [coronal]
    ds.save_as(path, enforce_file_format=True)
    open_paths(qtbot, viewer, [path])
    first = edge_texts(viewer)

    viewer.go_to(1)
    wait_for_index(qtbot, viewer, 1)

    assert first == ("R", "L", "H", "F")
    assert edge_texts(viewer) == ("R", "L", "A", "P")


def test_escape_resets_view(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    original = viewer.current_display().copy()
    fitted = viewer.image_view.zoom_factor()
    for key in (Qt.Key.Key_R, Qt.Key.Key_H, Qt.Key.Key_I, Qt.Key.Key_4):
        qtbot.keyClick(viewer.image_view, key)
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_Plus)
    right_drag(viewer, dx=50, dy=-30)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_Escape)

    assert np.array_equal(viewer.current_display(), original)
    assert not viewer.inverted
    assert viewer.current_preset() is None
    assert window_values(viewer) == FILE_WINDOW
    assert viewer.image_view.zoom_factor() == pytest.approx(fitted, rel=0.01)
    assert edge_texts(viewer) == ("R", "L", "A", "P")


def test_zoom_keys_and_fit(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    fitted = viewer.image_view.zoom_factor()

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_Plus)
    zoomed = viewer.image_view.zoom_factor()
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_A)
    actual = viewer.image_view.zoom_factor()
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_F)

    assert zoomed == pytest.approx(fitted * 1.25, rel=0.01)
    assert actual == pytest.approx(1.0, rel=0.01)
    assert viewer.image_view.zoom_factor() == pytest.approx(fitted, rel=0.01)


def test_image_fits_view_on_load(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    view_box = viewer.image_view.view_box
    zoom = viewer.image_view.zoom_factor()

    assert zoom * SIZE == pytest.approx(
        min(view_box.width(), view_box.height()), rel=0.02
    )


def test_gap_in_series_shows_warning(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path
) -> None:
    z_values = [0.0, 2.5, 5.0, 7.5, 15.0, 17.5]
    paths = write_ct_series(tmp_path / "gap", z_values)

    open_paths(qtbot, viewer, paths)

    assert "4" in viewer.overlays.warning_text()


def test_unreadable_file_is_skipped(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.dcm"
    broken.write_bytes(b"not a DICOM file")

    open_paths(qtbot, viewer, [broken, *ct_paths])

    assert viewer.frame_count == SLICES
    assert "1 file" in viewer.overlays.warning_text()


def test_banner_shows_patient_of_files(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)

    assert viewer.banner.isVisible()
    assert "Roe, Richard" in viewer.banner.text()
    assert PATIENT_ID in viewer.banner.text()
    assert "1959-12-24" in viewer.banner.text()


def test_close_study_clears_screen(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)

    viewer.close_study()

    assert viewer.banner.text() == ""
    assert not viewer.banner.isVisible()
    assert viewer.current_display().size == 0
    assert viewer.image_view.image_item.image is None
    for corner in Corner:
        assert viewer.overlays.corner_text(corner) == ""


def test_close_study_drops_late_frames(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_End)

    viewer.close_study()
    viewer.shutdown()
    QApplication.processEvents()

    assert viewer.current_index is None
    assert viewer.current_display().size == 0


def test_open_study_from_archive(
    qtbot: QtBot, workstation: Workstation, ct_paths: list[Path]
) -> None:
    summary = workstation.archive.import_paths(ct_paths)
    assert not summary.rejected
    (study,) = workstation.archive.find_studies(StudyQuery())
    widget = ViewerWidget(workstation.archive)
    qtbot.addWidget(widget)
    widget.show()

    with qtbot.waitSignal(widget.sig_frame_changed, timeout=10_000):
        widget.open_study(study)

    assert widget.series_list.count() == 1
    assert "Axial 2.5" in widget.series_list.item(0).text()
    assert PATIENT_ID in widget.banner.text()
    assert widget.frame_count == SLICES
    widget.close_study()
    widget.close()


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("folder_name", "first_slice"),
    [
        ("ct_series_pancreas_134", 0),
        # Sagittal slices near the midline, where the head fills the image.
        ("mr_series_sag_mprage_192", 90),
    ],
)
def test_real_series_scrolls_and_windows(
    qtbot: QtBot,
    viewer: ViewerWidget,
    shared_data: Path,
    folder_name: str,
    first_slice: int,
) -> None:
    folder = shared_data / folder_name
    paths = sorted(folder.glob("*.dcm"))[first_slice : first_slice + 10]
    header = pydicom.dcmread(paths[0], stop_before_pixels=True)
    random.Random(3).shuffle(paths)
    open_paths(qtbot, viewer, paths)
    first = viewer.current_display().copy()

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_PageDown)
    wait_for_index(qtbot, viewer, 9)
    last = viewer.current_display().copy()
    right_drag(viewer, dx=100, dy=0)

    assert viewer.frame_count == 10
    assert first.shape == (header.Rows, header.Columns)
    assert np.unique(first).size > 40
    assert not np.array_equal(first, last)
    assert not np.array_equal(viewer.current_display(), last)


@pytest.mark.shared_data
def test_real_ct_series_in_position_order(
    qtbot: QtBot, viewer: ViewerWidget, shared_data: Path
) -> None:
    folder = shared_data / "ct_series_pancreas_134"
    paths = sorted(folder.glob("*.dcm"))[:10]
    random.Random(5).shuffle(paths)
    open_paths(qtbot, viewer, paths)

    positions = []
    for index in range(10):
        viewer.go_to(index)
        wait_for_index(qtbot, viewer, index)
        text = viewer.overlays.corner_text(Corner.BOTTOM_LEFT)
        line = next(line for line in text.splitlines() if line.startswith("Position"))
        positions.append(float(line.split()[1]))

    assert positions == sorted(positions)
    assert len(set(positions)) == 10


def write_monochrome1(path: Path) -> None:
    """Write a 2x2 MONOCHROME1 image, 12 of 16 bits stored, window 2048/4096."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = PATIENT_NAME
    ds.PatientID = PATIENT_ID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = "CR"
    ds.Rows = 2
    ds.Columns = 2
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME1"
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.WindowCenter = 2048
    ds.WindowWidth = 4096
    ds.PixelData = np.array([[0, 100], [2048, 4095]], dtype="<u2").tobytes()
    ds.save_as(path, enforce_file_format=True)


def write_enhanced_ct(path: Path, z_values: list[float]) -> None:
    """Write an enhanced multi-frame CT whose frame pixels equal their z, in mm.

    Positions come from the Per-Frame Functional Groups, stored out of order.
    """
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = EnhancedCTImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = EnhancedCTImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = PATIENT_NAME
    ds.PatientID = PATIENT_ID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = "CT"
    ds.Rows = 4
    ds.Columns = 4
    ds.NumberOfFrames = len(z_values)
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1
    orientation = Dataset()
    orientation.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    voi = Dataset()
    voi.WindowCenter = 5
    voi.WindowWidth = 20
    shared = Dataset()
    shared.PlaneOrientationSequence = [orientation]
    shared.FrameVOILUTSequence = [voi]
    ds.SharedFunctionalGroupsSequence = [shared]
    per_frame = []
    for z in z_values:
        position = Dataset()
        position.ImagePositionPatient = [0.0, 0.0, z]
        item = Dataset()
        item.PlanePositionSequence = [position]
        per_frame.append(item)
    ds.PerFrameFunctionalGroupsSequence = per_frame
    frames = np.stack([np.full((4, 4), z, dtype="<i2") for z in z_values])
    ds.PixelData = frames.tobytes()
    ds.save_as(path, enforce_file_format=True)


def test_monochrome1_displays_and_inverts(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path
) -> None:
    path = tmp_path / "mono1.dcm"
    write_monochrome1(path)
    open_paths(qtbot, viewer, [path])
    shown = viewer.current_display().astype(np.int16)

    qtbot.keyClick(viewer.image_view, Qt.Key.Key_I)
    inverted = viewer.current_display().astype(np.int16)

    assert np.abs(shown - np.array([[255, 249], [127, 0]])).max() <= 1
    assert np.abs(inverted - np.array([[0, 6], [128, 255]])).max() <= 1


@pytest.mark.parametrize("reset_key", [Qt.Key.Key_0, Qt.Key.Key_9])
def test_monochrome1_window_change_and_reset(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path, reset_key: Qt.Key
) -> None:
    path = tmp_path / "mono1.dcm"
    write_monochrome1(path)
    open_paths(qtbot, viewer, [path])
    expected = np.array([[255, 249], [127, 0]])

    with qtbot.waitSignal(viewer.sig_window_changed, timeout=5_000):
        right_drag(viewer, dx=-100, dy=40)
    changed = viewer.current_display().astype(np.int16)
    qtbot.keyClick(viewer.image_view, reset_key)
    restored = viewer.current_display().astype(np.int16)

    assert np.abs(changed - expected).max() > 1
    # A narrower window still shows the lowest value white and the highest black.
    assert changed[0, 0] > changed[1, 1]
    assert window_values(viewer) == (2048.0, 4096.0)
    assert np.abs(restored - expected).max() <= 1


def test_enhanced_frames_in_position_order(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path
) -> None:
    path = tmp_path / "enhanced.dcm"
    write_enhanced_ct(path, [10.0, 0.0, 5.0])
    open_paths(qtbot, viewer, [path])

    values = []
    for index in range(3):
        viewer.go_to(index)
        wait_for_index(qtbot, viewer, index)
        values.append(int(viewer.current_display()[0, 0]))

    assert viewer.frame_count == 3
    assert values == sorted(values)
    assert len(set(values)) == 3


def test_colour_image_ignores_window_drag(qtbot: QtBot, viewer: ViewerWidget) -> None:
    path = Path(get_testdata_file("SC_rgb_small_odd.dcm"))
    open_paths(qtbot, viewer, [path])
    shown = viewer.current_display().copy()

    right_drag(viewer, dx=100, dy=100)

    assert shown.ndim == 3
    assert viewer.current_window() is None
    assert np.array_equal(viewer.current_display(), shown)


def test_prefetch_decodes_neighbours(
    qtbot: QtBot, viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, viewer, ct_paths)
    qtbot.keyClick(viewer.image_view, Qt.Key.Key_End)
    wait_for_index(qtbot, viewer, SLICES - 1)

    qtbot.waitUntil(lambda: viewer.loader.pending_decodes == 0, timeout=10_000)

    for index in range(SLICES - 6, SLICES):
        assert index in viewer.loader.cache


def test_open_study_shows_thumbnail(
    qtbot: QtBot, workstation: Workstation, ct_paths: list[Path]
) -> None:
    workstation.archive.import_paths(ct_paths)
    (study,) = workstation.archive.find_studies(StudyQuery())
    widget = ViewerWidget(workstation.archive)
    qtbot.addWidget(widget)
    widget.show()

    widget.open_study(study)

    qtbot.waitUntil(lambda: not widget.series_list.item(0).icon().isNull())
    widget.close_study()
    widget.close()


def write_text_report(path: Path, study: Dataset) -> None:
    """Write a Basic Text SR object of the study of ``study`` in series 9002."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = BasicTextSRStorage
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = BasicTextSRStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    for keyword in ("PatientName", "PatientID", "PatientBirthDate", "PatientSex"):
        setattr(ds, keyword, study.get(keyword))
    ds.StudyInstanceUID = study.StudyInstanceUID
    ds.StudyDate = study.StudyDate
    ds.Modality = "SR"
    ds.SeriesInstanceUID = generate_uid()
    ds.SeriesNumber = 9002
    ds.SeriesDescription = "Report"
    ds.InstanceNumber = 1
    ds.ValueType = "CONTAINER"
    ds.ContinuityOfContent = "SEPARATE"
    ds.save_as(path, enforce_file_format=True)


@pytest.fixture
def study_with_dictation(
    workstation: Workstation, ct_paths: list[Path], tmp_path: Path
) -> Iterator[ViewerWidget]:
    """An archive with the CT study, a dictation (AU) and a report (SR)."""
    ct = pydicom.dcmread(ct_paths[0], stop_before_pixels=True)
    samples = (np.sin(np.arange(8000) / 5.0) * 8000).astype(np.int16)
    audio = build_voice_audio(samples, 8000, ct, acquired=datetime.now(UTC))
    report_path = tmp_path / "report.dcm"
    write_text_report(report_path, ct)
    summary = workstation.archive.import_paths([*ct_paths, report_path])
    assert not summary.rejected
    workstation.archive.store_received(audio, "dictation")
    widget = ViewerWidget(workstation.archive)
    yield widget
    widget.close_study()
    widget.close()


def test_dictation_and_report_not_image_series(
    qtbot: QtBot, workstation: Workstation, study_with_dictation: ViewerWidget
) -> None:
    widget = study_with_dictation
    qtbot.addWidget(widget)
    widget.show()
    requested: list[str] = []
    request = widget.thumbnails.request

    def record_request(key: str, path: Path, stored: object = None) -> None:
        requested.append(key)
        request(key, path, stored)  # type: ignore[arg-type]

    widget.thumbnails.request = record_request  # type: ignore[method-assign]
    (study,) = workstation.archive.find_studies(StudyQuery())

    with qtbot.waitSignal(widget.sig_frame_changed, timeout=10_000):
        widget.open_study(study)
    rows = [widget.series_list.item(row) for row in range(3)]

    assert widget.frame_count == SLICES
    assert "Axial 2.5" in rows[0].text()
    assert "Audio" in rows[1].text()
    assert "Report" in rows[2].text()
    assert "image" not in rows[1].text()
    assert rows[0].flags() & Qt.ItemFlag.ItemIsEnabled
    assert not rows[1].flags() & Qt.ItemFlag.ItemIsEnabled
    assert not rows[2].flags() & Qt.ItemFlag.ItemIsEnabled
    assert requested == [widget.series_list.keys()[0]]
    assert widget.overlays.warning_text() == ""


def test_choosing_dictation_series_decodes_nothing(
    qtbot: QtBot, workstation: Workstation, study_with_dictation: ViewerWidget
) -> None:
    widget = study_with_dictation
    qtbot.addWidget(widget)
    widget.show()
    (study,) = workstation.archive.find_studies(StudyQuery())
    with qtbot.waitSignal(widget.sig_frame_changed, timeout=10_000):
        widget.open_study(study)
    shown = widget.current_display().copy()

    widget.series_list.sig_series_selected.emit(widget.series_list.keys()[1])

    assert widget.frame_count == SLICES
    assert np.array_equal(widget.current_display(), shown)
    assert widget.overlays.warning_text() == ""


@pytest.fixture(autouse=True)
def no_leaked_processes() -> Iterator[None]:
    """Fail a test that leaves a worker process running."""
    yield
    leaked = multiprocessing.active_children()
    for process in leaked:
        process.terminate()
        process.join(timeout=10)
    assert not leaked, f"processes left running: {leaked}"


@pytest.fixture
def process_decoding() -> Iterator[ProcessDecoding]:
    """Two started decoding processes, stopped after the test."""
    decoding = ProcessDecoding(workers=2)
    decoding.start()
    assert decoding.wait_ready(timeout=60)
    yield decoding
    decoding.close()


@pytest.fixture
def process_viewer(
    qtbot: QtBot, workstation: Workstation, process_decoding: ProcessDecoding
) -> Iterator[ViewerWidget]:
    """A shown viewer that decodes compressed frames in worker processes."""
    widget = ViewerWidget(workstation.archive, decoding=process_decoding)
    qtbot.addWidget(widget)
    widget.resize(640, 520)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close_study()
    widget.close()


def compress_j2k(paths: list[Path]) -> list[Path]:
    """Rewrite each file of ``paths`` as JPEG 2000 lossless; return the paths."""
    for path in paths:
        ds = pydicom.dcmread(path)
        ds.compress(JPEG2000Lossless, encoding_plugin="pylibjpeg")
        ds.save_as(path, enforce_file_format=True)
    return paths


@pytest.fixture
def j2k_paths(tmp_path: Path) -> list[Path]:
    """Ten generated CT slices 2.5 mm apart, JPEG 2000 lossless, shuffled."""
    paths = write_ct_series(
        tmp_path / "j2k", [index * SLICE_SPACING for index in range(SLICES)]
    )
    return compress_j2k(paths)


def test_jpeg2000_frames_decode_in_processes(
    qtbot: QtBot, process_viewer: ViewerWidget, j2k_paths: list[Path]
) -> None:
    open_paths(qtbot, process_viewer, j2k_paths)
    qtbot.keyClick(process_viewer.image_view, Qt.Key.Key_End)
    wait_for_index(qtbot, process_viewer, SLICES - 1)
    qtbot.waitUntil(lambda: process_viewer.loader.pending_decodes == 0)

    # The first image, and the last one when End comes before the series is
    # listed, may be decoded ahead on a thread; the rest go to the processes.
    assert process_viewer.loader.process_decodes >= SLICES // 2
    assert process_viewer.frame_count == SLICES


def test_process_frames_match_thread_frames(
    qtbot: QtBot,
    viewer: ViewerWidget,
    process_viewer: ViewerWidget,
    j2k_paths: list[Path],
) -> None:
    open_paths(qtbot, viewer, j2k_paths)
    open_paths(qtbot, process_viewer, j2k_paths)
    for widget in (viewer, process_viewer):
        widget.go_to(4)
        wait_for_index(qtbot, widget, 4)

    assert np.array_equal(viewer.current_display(), process_viewer.current_display())


def test_raw_frames_stay_on_threads(
    qtbot: QtBot, process_viewer: ViewerWidget, ct_paths: list[Path]
) -> None:
    open_paths(qtbot, process_viewer, ct_paths)
    qtbot.waitUntil(lambda: process_viewer.loader.pending_decodes == 0)

    assert process_viewer.loader.process_decodes == 0


def test_close_study_drops_process_frames(
    qtbot: QtBot, process_viewer: ViewerWidget, j2k_paths: list[Path]
) -> None:
    open_paths(qtbot, process_viewer, j2k_paths)
    qtbot.keyClick(process_viewer.image_view, Qt.Key.Key_End)
    running = process_viewer.loader.process_futures()
    assert running
    process_viewer.close_study()
    concurrent.futures.wait(running, timeout=30)
    QApplication.processEvents()

    assert len(process_viewer.loader.cache) == 0
    assert process_viewer.current_display().size == 0


def test_process_decoding_close_ends_workers() -> None:
    decoding = ProcessDecoding(workers=1)
    decoding.start()
    assert decoding.wait_ready(timeout=60)
    assert len(multiprocessing.active_children()) == 1

    decoding.close()

    assert multiprocessing.active_children() == []
    assert decoding.decoder() is None


def test_first_frame_of_reads_candidates_only(ct_paths: list[Path]) -> None:
    by_number = sorted(
        ct_paths, key=lambda path: int(pydicom.dcmread(path).InstanceNumber)
    )
    ref, compressed = first_frame_of([by_number[0], by_number[-1]])

    # Instance numbers run against the positions, so the highest comes first.
    assert ref.path == by_number[-1]
    assert ref.header.position is not None
    assert ref.header.position[2] == 0.0
    assert not compressed


def test_open_study_previews_first_image(
    qtbot: QtBot,
    process_viewer: ViewerWidget,
    workstation: Workstation,
    j2k_paths: list[Path],
) -> None:
    workstation.archive.import_paths(j2k_paths)
    (study,) = workstation.archive.find_studies(StudyQuery())

    with qtbot.waitSignal(process_viewer.loader.sig_preview_ready, timeout=10_000):
        process_viewer.open_study(study)
    preview = process_viewer.current_display().copy()
    wait_for_index(qtbot, process_viewer, 0)

    assert preview.shape == (SIZE, SIZE)
    assert np.array_equal(preview, process_viewer.current_display())


def test_main_window_passes_site_presets(
    qtbot: QtBot,
    filled_workstation: Workstation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = tmp_path / "site.toml"
    profile.write_text(
        '[display.presets]\nCT = [{ name = "Lung", center = -500, width = 1400 }]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(SITE_PROFILE_ENV, str(profile))
    users = filled_workstation.users
    users.create_first_administrator(ADMIN_NAME, ADMIN_PASSWORD)
    window = MainWindow(
        filled_workstation, users.authenticate(ADMIN_NAME, ADMIN_PASSWORD)
    )
    qtbot.addWidget(window)
    window.show()
    (study,) = filled_workstation.archive.find_studies(
        StudyQuery(patient_id="PID-1001")
    )

    window.request_open(study)
    dialog = window.confirm_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.answer_edit, "1970-03-15")
    qtbot.keyClick(dialog.answer_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.viewer is not None, timeout=5_000)
    viewer = window.viewer
    assert viewer is not None
    presets = viewer.current_presets()
    window.close()

    assert [(preset.name, preset.window.center) for preset in presets] == [
        ("Lung", -500.0)
    ]
