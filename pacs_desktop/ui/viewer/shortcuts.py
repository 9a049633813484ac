"""Keyboard and mouse controls of the viewer.

Controls (``SHORTCUTS`` contains the same list for a help screen):

==========================  =================================================
Mouse wheel                 next / previous image of the stack
Up / Down                   previous / next image
Page Up / Page Down         10 images back / forward
Home / End                  first / last image
Right-button drag           window: horizontal is width, vertical is centre
1 - 8                       window presets of the series' modality (built in
                            for CT: brain, subdural, stroke, lung,
                            mediastinum, abdomen, liver, bone)
9 or 0                      the file's own window again
Ctrl+wheel, + / -           zoom in / out
Left- or middle-button drag pan
F                           fit the image to the window
Ctrl+1 or A                 actual size (one image pixel per screen pixel)
I                           invert the grey scale
R                           rotate 90 degrees clockwise
H / V                       flip horizontally / vertically
Esc                         reset the view: fit, no rotation, flip or
                            inversion, the file's own window
==========================  =================================================

1:1 sits on Ctrl+1 and A because the plain digits belong to the presets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

PAGE_STEP = 10


class Action(Enum):
    """A command the viewer runs on a key press."""

    PREVIOUS = "previous"
    NEXT = "next"
    PAGE_BACK = "page-back"
    PAGE_FORWARD = "page-forward"
    FIRST = "first"
    LAST = "last"
    RESET_WINDOW = "reset-window"
    ZOOM_IN = "zoom-in"
    ZOOM_OUT = "zoom-out"
    FIT = "fit"
    ACTUAL_SIZE = "actual-size"
    INVERT = "invert"
    ROTATE = "rotate"
    FLIP_HORIZONTAL = "flip-horizontal"
    FLIP_VERTICAL = "flip-vertical"
    RESET_VIEW = "reset-view"


@dataclass(frozen=True)
class KeyCommand:
    """An action, or a window preset by its key's position (0 for key 1)."""

    action: Action | None = None
    preset_index: int | None = None


_PLAIN_KEYS: dict[Qt.Key, Action] = {
    Qt.Key.Key_Up: Action.PREVIOUS,
    Qt.Key.Key_Down: Action.NEXT,
    Qt.Key.Key_PageUp: Action.PAGE_BACK,
    Qt.Key.Key_PageDown: Action.PAGE_FORWARD,
    Qt.Key.Key_Home: Action.FIRST,
    Qt.Key.Key_End: Action.LAST,
    Qt.Key.Key_9: Action.RESET_WINDOW,
    Qt.Key.Key_0: Action.RESET_WINDOW,
    Qt.Key.Key_Plus: Action.ZOOM_IN,
    Qt.Key.Key_Equal: Action.ZOOM_IN,
    Qt.Key.Key_Minus: Action.ZOOM_OUT,
    Qt.Key.Key_F: Action.FIT,
    Qt.Key.Key_A: Action.ACTUAL_SIZE,
    Qt.Key.Key_I: Action.INVERT,
    Qt.Key.Key_R: Action.ROTATE,
    Qt.Key.Key_H: Action.FLIP_HORIZONTAL,
    Qt.Key.Key_V: Action.FLIP_VERTICAL,
    Qt.Key.Key_Escape: Action.RESET_VIEW,
}

_CTRL_KEYS: dict[Qt.Key, Action] = {
    Qt.Key.Key_1: Action.ACTUAL_SIZE,
    Qt.Key.Key_Plus: Action.ZOOM_IN,
    Qt.Key.Key_Equal: Action.ZOOM_IN,
    Qt.Key.Key_Minus: Action.ZOOM_OUT,
}

_PRESET_KEYS = (
    Qt.Key.Key_1,
    Qt.Key.Key_2,
    Qt.Key.Key_3,
    Qt.Key.Key_4,
    Qt.Key.Key_5,
    Qt.Key.Key_6,
    Qt.Key.Key_7,
    Qt.Key.Key_8,
)

# Shift is part of typing + on many layouts; the keypad flag only marks where
# the key sits. Neither changes the command.
_IGNORED_MODIFIERS = (
    Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
)


def command_for_key(key: int, modifiers: Qt.KeyboardModifier) -> KeyCommand | None:
    """Return the command of ``key`` pressed with ``modifiers``, or None."""
    try:
        qt_key = Qt.Key(key)
    except ValueError:
        return None
    relevant = modifiers & ~_IGNORED_MODIFIERS
    if relevant == Qt.KeyboardModifier.ControlModifier:
        action = _CTRL_KEYS.get(qt_key)
        return KeyCommand(action=action) if action is not None else None
    if relevant != Qt.KeyboardModifier.NoModifier:
        return None
    if qt_key in _PRESET_KEYS:
        return KeyCommand(preset_index=_PRESET_KEYS.index(qt_key))
    action = _PLAIN_KEYS.get(qt_key)
    return KeyCommand(action=action) if action is not None else None


# (keys, what they do) for a help screen. QT_TRANSLATE_NOOP marks each text
# for lupdate and returns it unchanged; `shortcut_help` translates it.
SHORTCUTS: tuple[tuple[str, object], ...] = (
    ("Wheel", QT_TRANSLATE_NOOP("ViewerShortcuts", "Next / previous image")),
    ("Up / Down", QT_TRANSLATE_NOOP("ViewerShortcuts", "Previous / next image")),
    (
        "Page Up / Page Down",
        QT_TRANSLATE_NOOP("ViewerShortcuts", "10 images back / forward"),
    ),
    ("Home / End", QT_TRANSLATE_NOOP("ViewerShortcuts", "First / last image")),
    (
        "Right drag",
        QT_TRANSLATE_NOOP(
            "ViewerShortcuts", "Window: horizontal is width, vertical is centre"
        ),
    ),
    (
        "1 - 8",
        QT_TRANSLATE_NOOP("ViewerShortcuts", "Window presets of the series' modality"),
    ),
    ("9, 0", QT_TRANSLATE_NOOP("ViewerShortcuts", "The file's own window")),
    ("Ctrl+Wheel, + / -", QT_TRANSLATE_NOOP("ViewerShortcuts", "Zoom in / out")),
    ("Left or middle drag", QT_TRANSLATE_NOOP("ViewerShortcuts", "Pan")),
    ("F", QT_TRANSLATE_NOOP("ViewerShortcuts", "Fit to the window")),
    ("Ctrl+1, A", QT_TRANSLATE_NOOP("ViewerShortcuts", "Actual size (1:1)")),
    ("I", QT_TRANSLATE_NOOP("ViewerShortcuts", "Invert")),
    ("R", QT_TRANSLATE_NOOP("ViewerShortcuts", "Rotate 90 degrees clockwise")),
    ("H / V", QT_TRANSLATE_NOOP("ViewerShortcuts", "Flip horizontally / vertically")),
    (
        "Esc",
        QT_TRANSLATE_NOOP(
            "ViewerShortcuts",
            "Reset view: fit, no rotation, flip or inversion, the file's window",
        ),
    ),
)


def shortcut_help() -> list[tuple[str, str]]:
    """Return `SHORTCUTS` with the descriptions in the user's language."""
    return [
        (keys, QCoreApplication.translate("ViewerShortcuts", str(text)))
        for keys, text in SHORTCUTS
    ]
