"""Icons and themes from the package's resources folder.

Files are found through the package (importlib.resources), never through the
working directory, so the program finds them when started from any folder and
from the PyInstaller bundle.

The action icons are drawn in one colour for dark backgrounds (ICON_COLOR) with
a blue accent. The light theme recolours that one colour when it renders an
icon, so both themes share one set of SVG files.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from importlib.resources.abc import Traversable

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from pacs_desktop.core.errors import PacsDesktopError

logger = logging.getLogger(__name__)

THEMES = ("dark", "light")
DEFAULT_THEME = "dark"
APP_ICON_NAME = "pacs-desktop"

# The colour every action icon is drawn in, and what each theme turns it into.
ICON_COLOR = "#c9d1d9"
_THEME_ICON_COLORS = {"dark": ICON_COLOR, "light": "#3b4450"}

# Window, base (input fields), text, highlight: the palette behind the style
# sheet, so that widgets the sheet does not style match it.
_THEME_PALETTES = {
    "dark": ("#25282c", "#1b1d20", "#c8ccd0", "#3d6a99"),
    "light": ("#eef0f2", "#ffffff", "#1f2328", "#3d7cc9"),
}

# Rendered once per size; QIcon scales to the others.
_ICON_SIZES = (16, 20, 24, 32, 48, 64)

_current_theme = DEFAULT_THEME
_ICON_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ResourceNotFoundError(PacsDesktopError, LookupError):
    """A named icon or theme is not among the package's resources."""


def resources_dir() -> Traversable:
    """Return the package's resources folder."""
    return resources.files("pacs_desktop").joinpath("resources")


def icon_names() -> list[str]:
    """Return the names of the action icons, sorted."""
    folder = resources_dir().joinpath("icons")
    return sorted(
        entry.name.removesuffix(".svg")
        for entry in folder.iterdir()
        if entry.name.endswith(".svg")
    )


def icon_svg(name: str) -> bytes:
    """Return the SVG source of the action icon ``name`` (e.g. "zoom-in").

    Raises
    ------
    ResourceNotFoundError
        If no icon has that name.
    """
    entry = resources_dir().joinpath("icons").joinpath(f"{name}.svg")
    if not _ICON_NAME.fullmatch(name) or not entry.is_file():
        raise ResourceNotFoundError(
            f"no icon named {name!r} in {resources_dir()}/icons; "
            f"available: {', '.join(icon_names())}"
        )
    return entry.read_bytes()


def icon(name: str) -> QIcon:
    """Return the action icon ``name`` in the colours of the current theme.

    A QGuiApplication must exist. Icons made before apply_theme() keep the
    colours of the theme that was current when they were made.

    Raises
    ------
    ResourceNotFoundError
        If no icon has that name.
    """
    source = icon_svg(name)
    color = _THEME_ICON_COLORS[_current_theme]
    if color != ICON_COLOR:
        source = source.replace(ICON_COLOR.encode(), color.encode())
    return _render_icon(source, name)


def app_icon() -> QIcon:
    """Return the application icon (window title bars, task bars)."""
    entry = resources_dir().joinpath(f"{APP_ICON_NAME}.svg")
    return _render_icon(entry.read_bytes(), APP_ICON_NAME)


def _render_icon(source: bytes, name: str) -> QIcon:
    renderer = QSvgRenderer(QByteArray(source))
    if not renderer.isValid():
        # A broken file costs an icon, not the window that shows it.
        logger.error("icon %s is not valid SVG; showing no icon", name)
        return QIcon()
    result = QIcon()
    for size in _ICON_SIZES:
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def theme_style_sheet(name: str) -> str:
    """Return the Qt style sheet of theme ``name`` ("dark" or "light").

    Raises
    ------
    ResourceNotFoundError
        If ``name`` is not one of THEMES.
    """
    if name not in THEMES:
        raise ResourceNotFoundError(
            f"no theme named {name!r}; choose one of: {', '.join(THEMES)}"
        )
    return resources_dir().joinpath(f"{name}.qss").read_text(encoding="utf-8")


def apply_theme(app: QApplication, name: str = DEFAULT_THEME) -> None:
    """Give ``app`` the Fusion style, the palette and the style sheet of ``name``.

    Icons requested afterwards with icon() use the theme's colours.

    Raises
    ------
    ResourceNotFoundError
        If ``name`` is not one of THEMES.
    """
    global _current_theme  # noqa: PLW0603 (one theme per process)

    style_sheet = theme_style_sheet(name)
    app.setStyle("Fusion")
    app.setPalette(_palette(name))
    app.setStyleSheet(style_sheet)
    _current_theme = name


def current_theme() -> str:
    """Return the name of the theme applied last (DEFAULT_THEME before any)."""
    return _current_theme


def _palette(name: str) -> QPalette:
    window, base, text, highlight = (QColor(c) for c in _THEME_PALETTES[name])
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.Button: window,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: window,
        QPalette.ColorRole.ToolTipBase: base,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.Highlight: highlight,
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    disabled = QColor(text)
    disabled.setAlpha(110)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette
