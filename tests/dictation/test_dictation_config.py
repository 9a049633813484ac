"""The dictation settings read together for the desk."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacs_desktop.core.dictation.config import DictationConfig, load_dictation_config
from pacs_desktop.core.settings import Settings, SettingsError


def test_defaults_match_settings(tmp_path: Path) -> None:
    config = load_dictation_config(Settings(tmp_path))
    assert config == DictationConfig()
    assert config.send_node == ""
    assert config.max_seconds == 1800.0
    assert dict(config.shortcuts) == {
        "play_pause": "F10",
        "skip_back": "F7",
        "skip_forward": "F8",
        "record": "F9",
        "stop": "F11",
    }


def test_stored_values_are_read(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set("dictation.send_node", "ORTHANC")
    settings.set("dictation.max_seconds", "600")
    settings.set("dictation.shortcut_play", "Ctrl+Space")
    config = load_dictation_config(settings)
    assert config.send_node == "ORTHANC"
    assert config.max_seconds == 600.0
    assert config.shortcuts["play_pause"] == "Ctrl+Space"


@pytest.mark.parametrize("value", ["5", "20000", "ten"])
def test_max_seconds_out_of_range_rejected(tmp_path: Path, value: str) -> None:
    with pytest.raises(SettingsError):
        Settings(tmp_path).set("dictation.max_seconds", value)
