"""The dictation settings, read together for the recorder, the players and sends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from pacs_desktop.core.settings import SETTINGS, SettingValue


class SettingsSource(Protocol):
    """Read access to settings: `Settings`, or the site profile over them."""

    def get(self, key: str) -> SettingValue: ...

    def get_str(self, key: str) -> str: ...


# Shortcut names of the players and the recorder, and the setting behind each.
SHORTCUT_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "play_pause": "dictation.shortcut_play",
        "skip_back": "dictation.shortcut_rewind",
        "skip_forward": "dictation.shortcut_forward",
        "record": "dictation.shortcut_record",
        "stop": "dictation.shortcut_stop",
    }
)


def _default_shortcuts() -> dict[str, str]:
    return {name: str(SETTINGS[key].default) for name, key in SHORTCUT_KEYS.items()}


@dataclass(frozen=True)
class DictationConfig:
    """Dictation settings of one data directory.

    ``device`` is the input device's name (empty for the system default),
    ``max_seconds`` the length at which recording stops by itself, ``send_node``
    the PACS node that receives audio and reports (empty: none), and
    ``shortcuts`` the key sequence text of each name in `SHORTCUT_KEYS`.
    """

    device: str = str(SETTINGS["dictation.device"].default)
    max_seconds: float = float(str(SETTINGS["dictation.max_seconds"].default))
    send_node: str = str(SETTINGS["dictation.send_node"].default)
    shortcuts: Mapping[str, str] = field(default_factory=_default_shortcuts)


def load_dictation_config(settings: SettingsSource) -> DictationConfig:
    """Read the dictation settings.

    Raises
    ------
    SettingsError
        If the settings file cannot be read or a dictation value in it is invalid.
    """
    return DictationConfig(
        device=settings.get_str("dictation.device"),
        max_seconds=float(str(settings.get("dictation.max_seconds"))),
        send_node=settings.get_str("dictation.send_node"),
        shortcuts={name: settings.get_str(key) for name, key in SHORTCUT_KEYS.items()},
    )
