"""Site profile: parsing, locking, precedence over user settings, start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dicom.presets import CT_PRESETS
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.site_profile import (
    SITE_PROFILE_ENV,
    EffectiveSettings,
    SiteLockedError,
    SiteProfileError,
    apply_site_nodes,
    find_site_profile,
    load_site_profile,
    parse_site_profile,
)

CT_MR_PROFILE = """
[site]
name = "Neuroradiology"

[display]
modalities = { value = ["CT", "MR"], locked = true }
default_layout = "1x2"

[display.presets]
locked = true
CT = [
    { name = "Brain", center = 40, width = 80 },
    { name = "Bone", center = 500, width = 2000 },
]
MR = [{ name = "T1", center = 500, width = 1000 }]

[security]
idle_lock_minutes = { value = 5, locked = true }
lockout_attempts = 3

[[nodes]]
name = "main-pacs"
ae_title = "MAINPACS"
host = "pacs.example.org"
port = 104
retrieve = "get"
locked = true

[[nodes]]
name = "teaching"
ae_title = "TEACH"
host = "teach.example.org"
port = 11112
"""


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(CT_MR_PROFILE, encoding="utf-8")
    return path


@pytest.fixture
def effective(tmp_path: Path, profile_file: Path) -> EffectiveSettings:
    return EffectiveSettings(
        Settings(tmp_path / "data"), load_site_profile(profile_file)
    )


def test_startup_profile_limits_modalities(
    tmp_path: Path, profile_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SITE_PROFILE_ENV, str(profile_file))
    opened = EffectiveSettings.open(tmp_path / "data")
    assert opened.modality_choices() == ["CT", "MR"]


def test_startup_profile_sets_presets(
    tmp_path: Path, profile_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SITE_PROFILE_ENV, str(profile_file))
    presets = EffectiveSettings.open(tmp_path / "data").presets()
    names = {modality: [p.name for p in group] for modality, group in presets.items()}
    assert names == {"CT": ["Brain", "Bone"], "MR": ["T1"]}


def test_preset_windows_and_keys(effective: EffectiveSettings) -> None:
    bone = effective.presets_for("ct")[1]
    assert (bone.key, bone.window.center, bone.window.width) == ("2", 500.0, 2000.0)


def test_modality_outside_site_has_no_presets(effective: EffectiveSettings) -> None:
    assert effective.presets_for("US") == ()


def test_without_profile_all_modalities_and_ct_presets(tmp_path: Path) -> None:
    plain = EffectiveSettings(Settings(tmp_path))
    assert "US" in plain.modality_choices()
    assert plain.presets_for("CT") == CT_PRESETS


def test_locked_value_wins_over_user_file(tmp_path: Path, profile_file: Path) -> None:
    settings = Settings(tmp_path / "data")
    settings.set("security.idle_lock_minutes", 30)
    effective = EffectiveSettings(settings, load_site_profile(profile_file))
    assert effective.get("security.idle_lock_minutes") == 5
    assert effective.source("security.idle_lock_minutes") == "site-locked"


def test_locked_value_rejects_change(effective: EffectiveSettings) -> None:
    with pytest.raises(SiteLockedError, match="ask the site administrator"):
        effective.set("display.modalities", ["CT", "MR", "US"])
    assert effective.modality_choices() == ["CT", "MR"]


def test_overridable_value_is_default(effective: EffectiveSettings) -> None:
    assert effective.get("security.lockout_attempts") == 3
    assert effective.source("security.lockout_attempts") == "site"


def test_user_overrides_overridable_value(effective: EffectiveSettings) -> None:
    effective.set("security.lockout_attempts", 7)
    assert effective.get("security.lockout_attempts") == 7
    assert effective.source("security.lockout_attempts") == "user"
    effective.reset("security.lockout_attempts")
    assert effective.get("security.lockout_attempts") == 3


def test_security_policy_from_profile(effective: EffectiveSettings) -> None:
    policy = effective.security_policy()
    assert policy.max_failed_logins == 3
    assert policy.min_password_length == 10


def test_default_locked_locks_plain_values() -> None:
    profile = parse_site_profile(
        '[site]\ndefault_locked = true\n[ui]\ntheme = "light"\n'
    )
    assert profile.is_locked("ui.theme")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[display\n", "not valid TOML"),
        ("[display]\ncolour = 1\n", "unknown setting display.colour"),
        ("[security]\nidle_lock_minutes = 0\n", "outside 1-240"),
        ("[security]\nidle_lock_minutes = true\n", "must be a whole number"),
        ('[ui]\ntheme = { value = "dark", locked = "yes" }\n', "true or false"),
        ('[display]\nmodalities = ["CT", "C T"]\n', "not a modality code"),
        (
            '[display.presets]\nCT = [{ name = "Lung", center = -600 }]\n',
            "each preset is",
        ),
        (
            '[display.presets]\nCT = [{ name = "L", center = 1, width = -5 }]\n',
            "width must be positive",
        ),
        (
            '[[nodes]]\nname = "p"\nae_title = "P"\nhost = "h"\nport = 104\n'
            'password = "x"\n',
            "secrets do not belong",
        ),
        (
            '[[nodes]]\nname = "p"\nae_title = "P"\nhost = "h"\nport = 0\n',
            "outside 1-65535",
        ),
        ('[site]\nowner = "x"\n', r"unknown key\(s\) in \[site\]"),
    ],
)
def test_invalid_profile_rejected(text: str, fragment: str) -> None:
    with pytest.raises(SiteProfileError, match=fragment):
        parse_site_profile(text, Path("site.toml"))


def test_find_prefers_explicit_path(
    tmp_path: Path, profile_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.toml"
    other.write_text("", encoding="utf-8")
    monkeypatch.setenv(SITE_PROFILE_ENV, str(other))
    assert find_site_profile(profile_file) == profile_file


def test_find_missing_named_profile_fails(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(SiteProfileError, match="SITE_PROFILE"):
        find_site_profile(environ={SITE_PROFILE_ENV: str(missing)})


def test_site_nodes_added_and_locked_restored(
    tmp_path: Path, profile_file: Path
) -> None:
    profile = load_site_profile(profile_file)
    store = NodeStore(Database(tmp_path / "db.sqlite"))
    assert apply_site_nodes(store, profile) == ["main-pacs", "teaching"]

    store.remove("main-pacs")
    store.add(Node("main-pacs", "CHANGED", "pacs.example.org", 104))
    store.remove("teaching")
    store.add(Node("teaching", "MINE", "teach.example.org", 11112))
    assert apply_site_nodes(store, profile) == ["main-pacs"]
    assert store.get("main-pacs").ae_title == "MAINPACS"
    assert store.get("teaching").ae_title == "MINE"
