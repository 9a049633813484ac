"""Idle lock time from the settings: the user's value, a site profile's lock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.site_profile import SITE_PROFILE_ENV, EffectiveSettings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.security.controls import site_idle_timeout
from pacs_desktop.ui.settings_dialog import SettingsDialog

SETTING = "security.idle_lock_minutes"

LOCKED_FIVE = """\
[security]
idle_lock_minutes = { value = 5, locked = true }
"""

DEFAULT_FIVE = """\
[security]
idle_lock_minutes = 5
"""


class FakeClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta.total_seconds()


def use_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(SITE_PROFILE_ENV, str(path))
    return path


@pytest.fixture
def locked_five(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site profile locking 5 minutes, in force before the workstation opens."""
    return use_profile(tmp_path, monkeypatch, LOCKED_FIVE)


def test_default_is_fifteen_minutes(workstation: Workstation) -> None:
    assert site_idle_timeout(workstation) == timedelta(minutes=15)


def test_user_setting_applies(workstation: Workstation) -> None:
    workstation.settings.set(SETTING, 7)
    assert site_idle_timeout(workstation) == timedelta(minutes=7)


def test_site_default_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workstation: Workstation
) -> None:
    use_profile(tmp_path, monkeypatch, DEFAULT_FIVE)
    assert site_idle_timeout(workstation) == timedelta(minutes=5)


def test_locked_site_value_beats_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workstation: Workstation
) -> None:
    # The user's 30 minutes were stored before the site locked the value.
    Settings(workstation.data_dir).set(SETTING, 30)
    use_profile(tmp_path, monkeypatch, LOCKED_FIVE)
    assert site_idle_timeout(workstation) == timedelta(minutes=5)


def test_invalid_profile_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workstation: Workstation
) -> None:
    use_profile(tmp_path, monkeypatch, "[security]\nidle_lock_minutes = 0\n")
    assert site_idle_timeout(workstation) == timedelta(minutes=15)


def test_window_locks_at_site_time(
    qtbot: QtBot,
    locked_five: Path,
    workstation: Workstation,
    admin_session: Session,
) -> None:
    main = MainWindow(workstation, admin_session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    lock = main.security.idle_lock
    assert lock.monitor.timeout == timedelta(minutes=5)

    clock = FakeClock()
    lock.monitor.clock = clock
    lock.monitor.reset()
    clock.advance(timedelta(minutes=5) - timedelta(seconds=1))
    lock.monitor.check()
    assert not lock.locked
    clock.advance(timedelta(seconds=1))
    with qtbot.waitSignal(lock.sig_locked, timeout=1000):
        lock.monitor.check()
    assert main.centralWidget() is lock.screen
    main.close()


def test_changed_idle_time_applies_to_the_running_session(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    main = MainWindow(workstation, admin_session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    lock = main.security.idle_lock
    clock = FakeClock()
    lock.monitor.clock = clock
    dialog = SettingsDialog(
        EffectiveSettings.open(workstation.data_dir), may_manage=True, parent=main
    )
    spin = dialog.bindings[SETTING].widget
    assert isinstance(spin, QSpinBox)
    spin.setValue(3)

    assert dialog.apply()
    assert lock.monitor.timeout == timedelta(minutes=3)
    lock.monitor.reset()
    clock.advance(timedelta(minutes=3))
    with qtbot.waitSignal(lock.sig_locked, timeout=1000):
        lock.monitor.check()
    main.close()
