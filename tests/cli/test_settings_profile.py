"""`pacs-desktop settings` reads and respects the site profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacs_desktop.cli.main import run

PROFILE = """\
[display]
modalities = { value = ["CT", "MR"], locked = true }

[security]
idle_lock_minutes = 10
"""


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def _settings(data_dir: Path, profile: Path, *action: str) -> int:
    arguments = ["--data-dir", str(data_dir), "--site-profile", str(profile)]
    return run([*arguments, "settings", *action])


def _listed(output: str) -> dict[str, str]:
    lines = (line.split(" = ", 1) for line in output.splitlines())
    return {key: rest for key, rest in lines}


def test_list_shows_site_values(
    tmp_path: Path, profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _settings(tmp_path, profile, "list")

    listed = _listed(capsys.readouterr().out)
    assert status == 0
    assert listed["display.modalities"] == "CT,MR  (site, locked)"
    assert listed["security.idle_lock_minutes"] == "10  (site)"
    assert listed["ui.theme"] == "dark  (default)"


def test_list_shows_user_value(
    tmp_path: Path, profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _settings(tmp_path, profile, "set", "security.idle_lock_minutes", "3")
    capsys.readouterr()

    _settings(tmp_path, profile, "list")

    listed = _listed(capsys.readouterr().out)
    assert listed["security.idle_lock_minutes"] == "3  (user)"


def test_get_returns_site_value(
    tmp_path: Path, profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _settings(tmp_path, profile, "get", "display.modalities")

    assert status == 0
    assert capsys.readouterr().out == "CT,MR\n"


@pytest.mark.parametrize(
    "action", [("set", "display.modalities", "CT"), ("reset", "display.modalities")]
)
def test_locked_key_rejected(
    tmp_path: Path,
    profile: Path,
    capsys: pytest.CaptureFixture[str],
    action: tuple[str, ...],
) -> None:
    status = _settings(tmp_path, profile, *action)

    error = capsys.readouterr().err
    assert status == 1
    assert f"locked by {profile}" in error
    assert not (tmp_path / "settings.json").exists()


def test_reset_falls_back_to_site(
    tmp_path: Path, profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _settings(tmp_path, profile, "set", "security.idle_lock_minutes", "3")
    capsys.readouterr()

    status = _settings(tmp_path, profile, "reset", "security.idle_lock_minutes")

    assert status == 0
    assert capsys.readouterr().out == "security.idle_lock_minutes = 10  (site)\n"


BROKEN_PROFILES = [
    pytest.param(None, "not found (given by --site-profile)", id="missing"),
    pytest.param(
        "[display]\nzoom = 2\n", "unknown setting display.zoom", id="unknown key"
    ),
    pytest.param("[display\n", "is not valid TOML", id="not TOML"),
]


@pytest.mark.parametrize(
    "action",
    [
        ["list"],
        ["get", "ui.theme"],
        ["reset", "ui.theme"],
        ["set", "ui.theme", "light"],
    ],
)
@pytest.mark.parametrize(("text", "reason"), BROKEN_PROFILES)
def test_broken_profile_fails(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    action: list[str],
    text: str | None,
    reason: str,
) -> None:
    path = tmp_path / "site.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")

    status = _settings(tmp_path, path, *action)

    error = capsys.readouterr().err
    assert status == 1
    assert f"site profile {path}: {reason}" in error
