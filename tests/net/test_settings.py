"""Settings store: defaults, validation and persistence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pacs_desktop.core.settings import Settings, SettingsError


def test_defaults_before_any_set(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    assert settings.get("network.ae_title") == "PACSDESKTOP"
    assert settings.get("network.scp_port") == 11112
    assert settings.get("network.scp_allowed_aets") == []


def test_set_persists_across_instances(tmp_path: Path) -> None:
    Settings(tmp_path).set("network.scp_port", "4242")
    reopened = Settings(tmp_path)
    assert reopened.get("network.scp_port") == 4242
    assert (
        json.loads((tmp_path / "settings.json").read_text())["network.scp_port"] == 4242
    )


def test_allowed_aets_parsed_from_commas(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set("network.scp_allowed_aets", "CT1, MR_2,,")
    assert settings.get_list("network.scp_allowed_aets") == ["CT1", "MR_2"]


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("network.ae_title", "", "must not be empty"),
        ("network.ae_title", "A" * 17, "longer than 16"),
        ("network.ae_title", "BAD\\AE", "without a backslash"),
        ("network.ae_title", "Müller", "printable ASCII"),
        ("network.scp_port", "0", "outside 1-65535"),
        ("network.scp_port", "70000", "outside 1-65535"),
        ("network.scp_port", "port", "not a port number"),
        ("network.dimse_timeout", "0", "outside 0.1-3600"),
        ("network.scp_allowed_aets", "OK,WAY_TOO_LONG_AE_TITLE", "longer than 16"),
        ("sync.max_attempts", "0", "outside 1-100"),
    ],
)
def test_invalid_values_rejected(
    tmp_path: Path, key: str, value: str, fragment: str
) -> None:
    settings = Settings(tmp_path)
    with pytest.raises(SettingsError, match=fragment) as caught:
        settings.set(key, value)
    assert caught.value.key == key
    assert settings.get(key) == Settings(tmp_path).get(key)


def test_unknown_key_lists_known_keys(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"known settings: .*network\.ae_title"):
        Settings(tmp_path).get("network.colour")


def test_invalid_file_value_reported(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('{"network.scp_port": 123456}')
    with pytest.raises(SettingsError, match=r"invalid value in .*settings\.json"):
        Settings(tmp_path).get("network.scp_port")


def test_corrupt_file_reported(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json")
    with pytest.raises(SettingsError, match="not valid JSON"):
        Settings(tmp_path).get("network.ae_title")


def test_list_marks_defaults(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set("network.ae_title", "READER1")
    listed = {key: (value, default) for key, value, default in settings.items()}
    assert listed["network.ae_title"] == ("READER1", False)
    assert listed["network.scp_port"] == (11112, True)


def test_reset_restores_default(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set("network.ae_title", "READER1")
    settings.reset("network.ae_title")
    assert settings.get("network.ae_title") == "PACSDESKTOP"
