"""Error and success texts are legible on both themes."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.login import LoginDialog
from pacs_desktop.ui.resources import THEMES, theme_style_sheet
from pacs_desktop.ui.status_text import mark_status


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        scaled = value / 255
        if scaled <= 0.04045:
            return scaled / 12.92
        return ((scaled + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in (color.red(), color.green(), color.blue()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first: QColor, second: QColor) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rule_colour(sheet: str, selector: str, prop: str) -> QColor:
    match = re.search(
        re.escape(selector) + r"\s*\{[^}]*?" + prop + r":\s*(#[0-9a-fA-F]{6})", sheet
    )
    assert match, f"{selector} has no {prop} in the style sheet"
    return QColor(match.group(1))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("status", ["error", "ok"])
def test_status_colour_contrast(theme: str, status: str) -> None:
    sheet = theme_style_sheet(theme)
    background = _rule_colour(sheet, "QWidget", "background-color")
    text = _rule_colour(sheet, f'QLabel[status="{status}"]', "color")

    # WCAG 2 level AA requires 4.5:1 for normal text.
    assert _contrast(text, background) >= 4.5


def test_marked_label_colour(qtbot: QtBot) -> None:
    sheet = theme_style_sheet("dark")
    expected = _rule_colour(sheet, 'QLabel[status="error"]', "color")
    label = QLabel("████")
    label.setStyleSheet(sheet)
    qtbot.addWidget(label)
    mark_status(label, "error")
    label.show()
    qtbot.waitExposed(label)

    image = label.grab().toImage()
    colours = {
        image.pixelColor(x, y).rgb()
        for x in range(image.width())
        for y in range(image.height())
    }
    assert expected.rgb() in colours


def test_login_error_marked(qtbot: QtBot, workstation: Workstation) -> None:
    dialog = LoginDialog(workstation.users)
    qtbot.addWidget(dialog)

    assert dialog.error_label.property("status") == "error"


@pytest.mark.parametrize("theme", THEMES)
def test_disabled_field_looks_different(qtbot: QtBot, theme: str) -> None:
    sheet = theme_style_sheet(theme)
    fields = []
    for enabled in (True, False):
        field = QLineEdit()
        field.setStyleSheet(sheet)
        field.setEnabled(enabled)
        field.resize(120, 30)
        qtbot.addWidget(field)
        field.show()
        qtbot.waitExposed(field)
        fields.append(field.grab().toImage())

    enabled_fill, disabled_fill = (
        image.pixelColor(image.width() // 2, image.height() // 2) for image in fields
    )
    assert enabled_fill != disabled_fill
