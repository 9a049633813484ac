"""The viewer's parts without a window: cache, orientation, drags, keys, icons."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pydicom.data import get_testdata_file
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pacs_desktop.core import site_profile
from pacs_desktop.core.dicom.geometry import SliceHeader
from pacs_desktop.core.dicom.pipeline import FrameImage, VoiLut, Window
from pacs_desktop.core.dicom.presets import CT_PRESETS, Preset
from pacs_desktop.core.site_profile import SITE_PROFILE_ENV
from pacs_desktop.ui.preferences import install_translations, window_presets
from pacs_desktop.ui.viewer.banner import PatientBanner
from pacs_desktop.ui.viewer.display_state import (
    Orientation,
    drag_sensitivity,
    dragged_window,
    window_from_voi,
)
from pacs_desktop.ui.viewer.loader import FrameCache
from pacs_desktop.ui.viewer.overlays import Corner, OverlayLayer, OverlayTexts
from pacs_desktop.ui.viewer.presets import BUILT_IN_NAMES, preset_on_key
from pacs_desktop.ui.viewer.series_info import (
    SeriesInfo,
    format_dicom_date,
    slice_location,
)
from pacs_desktop.ui.viewer.shortcuts import Action, KeyCommand, command_for_key
from pacs_desktop.ui.viewer.thumbnails import thumbnail_display


def grey_frame(rows: int, columns: int) -> FrameImage:
    return FrameImage(
        modality=np.zeros((rows, columns), dtype=np.float32),
        is_color=False,
        monochrome1=False,
        voi_choices=[],
    )


def header(
    *,
    position: tuple[float, float, float] | None = (0.0, 0.0, 0.0),
    orientation: tuple[float, ...] | None = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0),
    pixel_spacing: tuple[float, float] | None = None,
) -> SliceHeader:
    return SliceHeader(
        path=Path("slice.dcm"),
        sop_instance_uid="1.2.3",
        instance_number=1,
        position=position,
        orientation=orientation,
        number_of_frames=1,
        slice_thickness=None,
        pixel_spacing=pixel_spacing,
    )


def test_cache_evicts_least_recently_used() -> None:
    cache = FrameCache(max_bytes=3 * 400)
    for index in range(3):
        cache.put(index, grey_frame(10, 10))
    cache.get(0)

    cache.put(3, grey_frame(10, 10))

    assert 0 in cache
    assert 1 not in cache
    assert 2 in cache
    assert 3 in cache
    assert cache.size_bytes == 3 * 400


def test_cache_keeps_one_oversized_frame() -> None:
    cache = FrameCache(max_bytes=100)

    cache.put(0, grey_frame(10, 10))
    cache.put(1, grey_frame(20, 20))

    assert len(cache) == 1
    assert 1 in cache


def test_cache_replacing_frame_counts_bytes_once() -> None:
    cache = FrameCache(max_bytes=10_000)

    cache.put(0, grey_frame(10, 10))
    cache.put(0, grey_frame(10, 10))

    assert cache.size_bytes == 400


IMAGE = np.arange(12, dtype=np.uint8).reshape(3, 4)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ("", IMAGE),
        ("R", np.rot90(IMAGE, k=-1)),
        ("RRRR", IMAGE),
        ("H", np.fliplr(IMAGE)),
        ("V", np.flipud(IMAGE)),
        ("RH", np.fliplr(np.rot90(IMAGE, k=-1))),
        ("HR", np.rot90(np.fliplr(IMAGE), k=-1)),
        ("RV", np.flipud(np.rot90(IMAGE, k=-1))),
        ("HV", np.rot90(IMAGE, k=2)),
        ("VRH", np.fliplr(np.rot90(np.flipud(IMAGE), k=-1))),
    ],
)
def test_orientation_matches_screen_steps(steps: str, expected: np.ndarray) -> None:
    orientation = Orientation()
    for step in steps:
        if step == "R":
            orientation = orientation.rotated()
        elif step == "H":
            orientation = orientation.flipped_horizontally()
        else:
            orientation = orientation.flipped_vertically()

    assert np.array_equal(orientation.apply(IMAGE), expected)


def test_orientation_keeps_colour_last() -> None:
    rgb = np.zeros((3, 4, 3), dtype=np.uint8)

    assert Orientation(turns=1).apply(rgb).shape == (4, 3, 3)


@pytest.mark.parametrize(
    ("turns", "expected"), [(0, 0.5), (1, 2.0), (2, 0.5), (3, 2.0)]
)
def test_pixel_aspect_follows_quarter_turns(turns: int, expected: float) -> None:
    # Rows 1.0 mm apart, columns 0.5 mm apart: pixels half as wide as tall.
    spaced = header(pixel_spacing=(1.0, 0.5))

    assert Orientation(turns=turns).pixel_aspect(spaced) == expected


def test_pixel_aspect_square_without_spacing() -> None:
    assert Orientation().pixel_aspect(header()) == 1.0


def test_dragged_window_widens_and_raises_centre() -> None:
    start = Window(center=40.0, width=400.0)

    window = dragged_window(start, dx=10.0, dy=-5.0, sensitivity=4.0)

    assert window.width == 440.0
    assert window.center == 20.0


def test_dragged_window_width_stays_positive() -> None:
    start = Window(center=40.0, width=400.0, function="SIGMOID")

    window = dragged_window(start, dx=-1000.0, dy=0.0, sensitivity=4.0)

    assert window.width == 4.0
    assert window.function == "SIGMOID"


@pytest.mark.parametrize(
    ("value_range", "expected"),
    [((-1024.0, 3071.0), 4095.0 / 1024.0), ((5.0, 5.0), 1.0), ((0.0, 1024.0), 1.0)],
)
def test_drag_sensitivity_scales_with_range(
    value_range: tuple[float, float], expected: float
) -> None:
    assert drag_sensitivity(value_range) == pytest.approx(expected)


def test_window_from_voi_lut_covers_table() -> None:
    lut = VoiLut(first_mapped=100, bits=16, data=np.zeros(50, dtype=np.uint16))

    window = window_from_voi(lut)

    assert window.center == 125.0
    assert window.width == 50.0


NO_MODIFIER = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.mark.parametrize(
    ("key", "modifiers", "expected"),
    [
        (Qt.Key.Key_1, NO_MODIFIER, KeyCommand(preset_index=0)),
        (Qt.Key.Key_8, Qt.KeyboardModifier.KeypadModifier, KeyCommand(preset_index=7)),
        (Qt.Key.Key_9, NO_MODIFIER, KeyCommand(Action.RESET_WINDOW)),
        (Qt.Key.Key_0, NO_MODIFIER, KeyCommand(Action.RESET_WINDOW)),
        (Qt.Key.Key_1, CTRL, KeyCommand(Action.ACTUAL_SIZE)),
        (Qt.Key.Key_Plus, SHIFT, KeyCommand(Action.ZOOM_IN)),
        (Qt.Key.Key_PageDown, NO_MODIFIER, KeyCommand(Action.PAGE_FORWARD)),
        (Qt.Key.Key_Escape, NO_MODIFIER, KeyCommand(Action.RESET_VIEW)),
        (Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier, None),
        (Qt.Key.Key_Q, NO_MODIFIER, None),
    ],
)  # fmt: skip
def test_command_for_key(
    key: Qt.Key, modifiers: Qt.KeyboardModifier, expected: KeyCommand | None
) -> None:
    assert command_for_key(key.value, modifiers) == expected


def test_slice_location_along_normal() -> None:
    # Rows run along +y and columns along -z, so row x column is -x.
    sagittal = header(
        position=(12.5, -3.0, 40.0), orientation=(0.0, 1.0, 0.0, 0.0, 0.0, -1.0)
    )

    assert slice_location(sagittal) == pytest.approx(-12.5)


def test_slice_location_without_position() -> None:
    assert slice_location(header(position=None)) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("19591224", "1959-12-24"), ("", ""), ("1959", "1959")],
)
def test_format_dicom_date(value: str, expected: str) -> None:
    assert format_dicom_date(value) == expected


def test_thumbnail_is_small_display_image() -> None:
    path = Path(get_testdata_file("CT_small.dcm"))

    icon = thumbnail_display(path, max_size=32)

    assert icon.dtype == np.uint8
    assert max(icon.shape) <= 32
    assert icon.std() > 0


class _Emitter(QObject):
    sig_ping = Signal(int)


def test_signal_emission_keeps_bool_refcount(qapp: QApplication) -> None:
    # PySide6 6.12.0 on CPython < 3.12 dropped one reference to True per emit()
    # until the interpreter aborted; pyproject.toml keeps that release out.
    emitter = _Emitter()
    emitter.sig_ping.connect(lambda value: None)
    before = sys.getrefcount(True)

    for value in range(500):
        emitter.sig_ping.emit(value)

    assert sys.getrefcount(True) >= before - 50


SITE_PROFILE = """
[display]
modalities = ["CT", "MR"]

[display.presets]
CT = [{ name = "Lung", center = -500, width = 1400 }]
MR = [
  { name = "T1", center = 500, width = 1000 },
  { name = "T2", center = 700, width = 1400 },
]
"""


@pytest.fixture
def site_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory whose site profile sets presets for CT and MR."""
    profile = tmp_path / "site.toml"
    profile.write_text(SITE_PROFILE, encoding="utf-8")
    monkeypatch.setenv(SITE_PROFILE_ENV, str(profile))
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    return data_dir


def test_window_presets_follow_site_profile(site_data_dir: Path) -> None:
    presets = window_presets(site_data_dir)
    assert sorted(presets) == ["CT", "MR"]
    assert [preset.name for preset in presets["MR"]] == ["T1", "T2"]
    assert presets["CT"][0].window.center == -500


def test_window_presets_without_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SITE_PROFILE_ENV, "")
    monkeypatch.setattr(site_profile, "system_profile_path", lambda: tmp_path / "no")
    presets = window_presets(tmp_path)
    assert presets["CT"] == CT_PRESETS


def test_window_presets_of_invalid_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = tmp_path / "site.toml"
    profile.write_text("[display\n", encoding="utf-8")
    monkeypatch.setenv(SITE_PROFILE_ENV, str(profile))
    assert window_presets(tmp_path) == {"CT": CT_PRESETS}


MR_PRESETS = {
    "MR": (
        Preset("T1", Window(500, 1000, "LINEAR", "T1"), "1"),
        Preset("T2", Window(700, 1400, "LINEAR", "T2"), "2"),
    )
}


@pytest.mark.parametrize(
    ("modality", "key_number", "expected"),
    [
        ("MR", 1, "T1"),
        ("MR", 2, "T2"),
        ("mr ", 2, "T2"),
        ("MR", 3, None),
        ("CT", 1, None),
        ("", 1, None),
    ],
)
def test_preset_on_key(modality: str, key_number: int, expected: str | None) -> None:
    preset = preset_on_key(MR_PRESETS, modality, key_number)
    assert (preset.name if preset is not None else None) == expected


def test_built_in_names_match_core_presets() -> None:
    assert [str(name) for name in BUILT_IN_NAMES] == [
        preset.name for preset in CT_PRESETS
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Muller^Hans", "Muller, Hans"),
        ("Doe^Jane^Q^Dr", "Doe, Dr Jane Q"),
        ("Muller", "Muller"),
        ("赵^桂香", "赵^桂香"),
        ("やまだ^たろう", "やまだ^たろう"),
    ],
)
def test_banner_formats_name_as_list(qtbot: QtBot, name: str, expected: str) -> None:
    banner = PatientBanner()
    qtbot.addWidget(banner)
    banner.set_patient(name, "P1", "1970-03-15")
    assert banner.name_label.text() == expected


def test_banner_without_name(qtbot: QtBot) -> None:
    banner = PatientBanner()
    qtbot.addWidget(banner)
    banner.set_patient("", "P1", "")
    assert banner.name_label.text() == "(no name)"


def test_overlay_formats_patient_name(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    overlays = OverlayLayer(parent)
    overlays.set_patient("Muller^Hans", "P1")
    assert overlays.corner_text(Corner.TOP_LEFT) == "Muller, Hans\nP1"


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    install_translations(qapp, "de")
    yield
    install_translations(qapp, "")


def test_slice_lines_use_german_decimal_comma(german: None) -> None:
    thick = dataclasses.replace(
        header(position=(0.0, 0.0, -1234.46)), slice_thickness=2.5
    )

    lines = OverlayTexts().slice_lines(SeriesInfo(), thick, 0, 1)

    assert lines[-2].endswith(" -1234,5 mm"), lines
    assert lines[-1].endswith(" 2,5 mm"), lines
