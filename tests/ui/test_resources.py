"""Icons and themes load by package path, from any working directory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from pacs_desktop.ui import resources
from pacs_desktop.ui.resources import ResourceNotFoundError

PACKAGE_RESOURCES = Path(resources.__file__).resolve().parent.parent / "resources"
ICON_FILES = sorted((PACKAGE_RESOURCES / "icons").glob("*.svg"))

# Every toolbar action of the workstation, the dictation controls included.
REQUIRED_ICONS = (
    "import-files", "import-folder", "open-study", "close-study", "find",
    "zoom-in", "zoom-out", "zoom-fit", "zoom-original", "invert",
    "rotate-left", "rotate-right", "flip-horizontal", "flip-vertical",
    "windowing", "presets", "reset", "record", "pause", "stop", "play",
    "settings", "users", "audit", "logout", "quit",
)  # fmt: skip


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from a folder that holds none of the program's files."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def restore_theme(qapp: QApplication) -> Iterator[None]:
    """Put the application's style sheet, palette and theme back after the test."""
    style_sheet = qapp.styleSheet()
    palette = qapp.palette()
    theme = resources.current_theme()
    yield
    qapp.setStyleSheet(style_sheet)
    qapp.setPalette(palette)
    resources._current_theme = theme


def test_icon_set_complete() -> None:
    assert set(REQUIRED_ICONS) <= set(resources.icon_names())


@pytest.mark.parametrize("path", ICON_FILES, ids=lambda path: path.stem)
def test_icon_file_valid_svg(path: Path) -> None:
    assert QSvgRenderer(QByteArray(path.read_bytes())).isValid()


@pytest.mark.parametrize("path", ICON_FILES, ids=lambda path: path.stem)
def test_icon_file_shares_style(path: Path) -> None:
    root = ElementTree.fromstring(path.read_bytes())
    assert (root.get("viewBox"), root.get("width")) == ("0 0 24 24", "24")


@pytest.mark.parametrize("name", REQUIRED_ICONS)
def test_icon_loads_elsewhere(qapp: QApplication, elsewhere: Path, name: str) -> None:
    loaded = resources.icon(name)
    assert not loaded.pixmap(24, 24).toImage().isNull()


def test_icon_draws_pixels(qapp: QApplication, elsewhere: Path) -> None:
    image = resources.icon("stop").pixmap(24, 24).toImage()
    assert image.pixelColor(12, 12).alpha() == 255


def test_app_icon_loads_elsewhere(qapp: QApplication, elsewhere: Path) -> None:
    assert not resources.app_icon().isNull()


def test_unknown_icon_raises(qapp: QApplication) -> None:
    with pytest.raises(ResourceNotFoundError, match="no icon named 'nope'"):
        resources.icon("nope")


def test_icon_name_outside_folder_raises(qapp: QApplication) -> None:
    with pytest.raises(ResourceNotFoundError):
        resources.icon("../dark")


@pytest.mark.parametrize("theme", resources.THEMES)
def test_theme_applies_elsewhere(
    qapp: QApplication, elsewhere: Path, restore_theme: None, theme: str
) -> None:
    resources.apply_theme(qapp, theme)
    assert qapp.styleSheet() == (PACKAGE_RESOURCES / f"{theme}.qss").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(("theme", "dark"), [("dark", True), ("light", False)])
def test_theme_sets_palette(
    qapp: QApplication, restore_theme: None, theme: str, dark: bool
) -> None:
    resources.apply_theme(qapp, theme)
    window = qapp.palette().color(QPalette.ColorRole.Window)
    assert (window.lightness() < 128) is dark


def test_dark_theme_is_default() -> None:
    assert resources.DEFAULT_THEME == "dark"


def test_dark_theme_avoids_pure_white() -> None:
    # Pure white text glares in a dark reading room; only selected text uses it.
    sheet = resources.theme_style_sheet("dark")
    white = [
        line for line in sheet.splitlines()
        if re.search(r"#fff(fff)?\b", line, re.IGNORECASE)
        and "selection-color" not in line
    ]  # fmt: skip
    assert white == []


def test_unknown_theme_raises(qapp: QApplication) -> None:
    with pytest.raises(ResourceNotFoundError, match="choose one of: dark, light"):
        resources.apply_theme(qapp, "sepia")


def test_light_theme_recolours_icons(qapp: QApplication, restore_theme: None) -> None:
    resources.apply_theme(qapp, "dark")
    dark_pixel = resources.icon("stop").pixmap(24, 24).toImage().pixelColor(12, 12)
    resources.apply_theme(qapp, "light")
    light_pixel = resources.icon("stop").pixmap(24, 24).toImage().pixelColor(12, 12)
    assert light_pixel.lightness() < dark_pixel.lightness()
