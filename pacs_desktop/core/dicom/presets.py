"""Named CT window presets, in Hounsfield units, on the keys 1 to 8."""

from __future__ import annotations

from dataclasses import dataclass

from pacs_desktop.core.dicom.window import Window


@dataclass(frozen=True)
class Preset:
    """A named window and the key that applies it in the viewer."""

    name: str
    window: Window
    key: str


def _preset(key: str, name: str, center: float, width: float) -> Preset:
    return Preset(name, Window(center, width, "LINEAR", name), key)


# Centre and width in HU as commonly used in CT reading; centre first.
CT_PRESETS: tuple[Preset, ...] = (
    _preset("1", "Brain", 40, 80),
    _preset("2", "Subdural", 75, 215),
    _preset("3", "Stroke", 40, 40),
    _preset("4", "Lung", -600, 1500),
    _preset("5", "Mediastinum", 50, 350),
    _preset("6", "Abdomen", 50, 400),
    _preset("7", "Liver", 30, 150),
    _preset("8", "Bone", 400, 1800),
)


def preset_for_key(key: str) -> Preset | None:
    """Return the CT preset on ``key`` ('1' to '8'), or ``None``."""
    return next((preset for preset in CT_PRESETS if preset.key == key), None)
