"""Window presets of the viewer: which presets a series gets, and their names.

The presets per modality come from the effective settings (the site profile's
``display.presets`` over the user's), read by whoever builds the viewer. The
viewer itself opens no settings file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from pacs_desktop.core.dicom.presets import CT_PRESETS, Preset

TRANSLATION_CONTEXT = "WindowPresets"

# The names of `CT_PRESETS`, marked for lupdate. A site preset with one of
# these names is translated too; any other site name is shown as written.
BUILT_IN_NAMES: tuple[object, ...] = (
    QT_TRANSLATE_NOOP("WindowPresets", "Brain"),
    QT_TRANSLATE_NOOP("WindowPresets", "Subdural"),
    QT_TRANSLATE_NOOP("WindowPresets", "Stroke"),
    QT_TRANSLATE_NOOP("WindowPresets", "Lung"),
    QT_TRANSLATE_NOOP("WindowPresets", "Mediastinum"),
    QT_TRANSLATE_NOOP("WindowPresets", "Abdomen"),
    QT_TRANSLATE_NOOP("WindowPresets", "Liver"),
    QT_TRANSLATE_NOOP("WindowPresets", "Bone"),
)

PresetsByModality = Mapping[str, Sequence[Preset]]


def built_in_presets() -> dict[str, tuple[Preset, ...]]:
    """Return the presets a workstation without settings uses: CT only."""
    return {"CT": CT_PRESETS}


def preset_title(preset: Preset) -> str:
    """Return the name of ``preset`` in the user's language."""
    return QCoreApplication.translate(TRANSLATION_CONTEXT, preset.name)


def presets_for_modality(
    presets: PresetsByModality, modality: str
) -> tuple[Preset, ...]:
    """Return the presets of ``modality``, a Modality (0008,0060) code.

    An unknown or empty modality has none.
    """
    return tuple(presets.get(modality.strip().upper(), ()))


def preset_on_key(
    presets: PresetsByModality, modality: str, key_number: int
) -> Preset | None:
    """Return the preset of ``modality`` on the key ``key_number`` (1 to 8), or None."""
    key = str(key_number)
    for preset in presets_for_modality(presets, modality):
        if preset.key == key:
            return preset
    return None
