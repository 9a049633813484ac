"""Transport controls for a dictation: play, pause, stop, skip, position, speed.

The widget is a view of a core `Player`. The player reports position and state
from PortAudio's thread; a signal carries each report to the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.dictation.playback import (
    MAX_SPEED,
    MIN_SPEED,
    PlaybackState,
    Player,
    PlayerEvent,
)
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.ui.workers import TaskRunner

logger = logging.getLogger(__name__)

# Keys transcriptionists know from foot-pedal software; callers may pass others.
DEFAULT_SHORTCUTS: Mapping[str, str] = {
    "play_pause": "F9",
    "skip_back": "F7",
    "skip_forward": "F8",
}
SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def format_seconds(seconds: float) -> str:
    """Return ``m:ss`` for a duration in seconds."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _speed_text(speed: float) -> str:
    """Format a playback speed (0.75, 1) with the default locale's decimal mark."""
    shortest = QLocale.FloatingPointPrecisionOption.FloatingPointShortest
    return QLocale().toString(speed, "g", shortest)


class PlayerWidget(QWidget):
    """Play one dictation's audio with the usual transport controls."""

    #: sig_loaded(object): the Player created for a file loaded by `load_file`.
    sig_loaded = Signal(object)
    #: sig_error(str): a message about audio that failed to load or play.
    sig_error = Signal(str)
    # Carries PlayerEvent values from PortAudio's thread to the GUI thread.
    _sig_event = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        shortcuts: Mapping[str, str] = DEFAULT_SHORTCUTS,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.player: Player | None = None
        self.runner = runner or TaskRunner(parent=self)
        self._slider_held = False

        self.play_button = QPushButton(self.tr("Play"), self)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.back_button = QPushButton(self.tr("Back 3 s"), self)
        self.forward_button = QPushButton(self.tr("Forward 3 s"), self)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.time_label = QLabel("0:00 / 0:00", self)
        self.speed_combo = QComboBox(self)
        for speed in SPEEDS:
            if MIN_SPEED <= speed <= MAX_SPEED:
                self.speed_combo.addItem(f"{_speed_text(speed)}x", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("error")
        self.message_label.setWordWrap(True)

        self._build_layout()
        self._create_shortcuts(shortcuts)
        self.play_button.clicked.connect(self.toggle)
        self.stop_button.clicked.connect(self.stop)
        self.back_button.clicked.connect(self.skip_back)
        self.forward_button.clicked.connect(self.skip_forward)
        self.slider.sliderPressed.connect(self._on_slider_pressed)
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.speed_combo.currentIndexChanged.connect(self._on_speed_changed)
        self._sig_event.connect(self._on_event)
        self._update_controls()

    def _build_layout(self) -> None:
        transport = QHBoxLayout()
        for button in (
            self.back_button,
            self.play_button,
            self.stop_button,
            self.forward_button,
        ):
            transport.addWidget(button)
        transport.addWidget(QLabel(self.tr("Speed"), self))
        transport.addWidget(self.speed_combo)
        position = QHBoxLayout()
        position.addWidget(self.slider, 1)
        position.addWidget(self.time_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(transport)
        layout.addLayout(position)
        layout.addWidget(self.note_label)
        layout.addWidget(self.message_label)

    def _create_shortcuts(self, shortcuts: Mapping[str, str]) -> None:
        self.shortcut_actions: dict[str, QAction] = {}
        handlers = {
            "play_pause": self.toggle,
            "skip_back": self.skip_back,
            "skip_forward": self.skip_forward,
        }
        for name, handler in handlers.items():
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcuts.get(name, "")))
            # The keys work anywhere in the window, also while typing a report.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, h=handler: h())
            self.addAction(action)
            self.shortcut_actions[name] = action

    # -- loading ------------------------------------------------------------

    def load_file(self, path: Path) -> None:
        """Read an audio file in a worker thread, then show it (`sig_loaded`)."""
        self.set_player(None)
        self.message_label.setText(self.tr("Loading the dictation..."))

        def job(_progress: object, _cancel: object) -> Player:
            return Player.from_file(path)

        self.runner.start(job, on_finished=self._on_loaded, on_failed=self._on_failed)

    def _on_loaded(self, player: Player) -> None:
        self.message_label.clear()
        self.set_player(player)
        self.sig_loaded.emit(player)

    def _on_failed(self, error: Exception) -> None:
        self.message_label.setText(str(error))
        self.sig_error.emit(str(error))

    def set_player(self, player: Player | None) -> None:
        """Show ``player`` (None clears the widget); a previous one stops."""
        if self.player is not None:
            self.player.stop()
        self.player = player
        if player is not None:
            player.add_listener(self._sig_event.emit)
            player.set_speed(float(self.speed_combo.currentData()))
            self.slider.setRange(0, int(player.duration_seconds * 1000))
        else:
            self.slider.setRange(0, 0)
        self._show_position(0.0)
        self._show_speed_note()
        self._update_controls()

    def _show_speed_note(self) -> None:
        # The pitch changes only at a speed other than 1x.
        player = self.player
        if player is None or not player.speed_note or player.speed == 1.0:
            self.note_label.clear()
            return
        self.note_label.setText(
            self.tr(
                "Speed changes the pitch: no pitch-preserving "
                "time-stretching library is installed."
            )
        )

    # -- transport ----------------------------------------------------------

    def toggle(self) -> None:
        """Play when paused or stopped, pause when playing."""
        if self.player is None:
            return
        try:
            self.player.toggle()
        except PacsDesktopError as exc:
            self.message_label.setText(str(exc))
            self.sig_error.emit(str(exc))
        self._update_controls()

    def stop(self) -> None:
        """Stop and go back to the start."""
        if self.player is not None:
            self.player.stop()
        self._update_controls()

    def skip_back(self) -> None:
        """Move back by the player's skip distance."""
        if self.player is not None:
            self.player.skip_back()

    def skip_forward(self) -> None:
        """Move forward by the player's skip distance."""
        if self.player is not None:
            self.player.skip_forward()

    def _on_speed_changed(self, _index: int) -> None:
        if self.player is not None:
            self.player.set_speed(float(self.speed_combo.currentData()))
        self._show_speed_note()

    def _on_slider_pressed(self) -> None:
        self._slider_held = True

    def _on_slider_released(self) -> None:
        self._slider_held = False
        if self.player is not None:
            self.player.seek(self.slider.value() / 1000.0)

    def _on_event(self, event: PlayerEvent) -> None:
        self._show_position(event.position_seconds)
        self._update_controls()

    def _show_position(self, seconds: float) -> None:
        duration = self.player.duration_seconds if self.player else 0.0
        if not self._slider_held:
            self.slider.setValue(int(seconds * 1000))
        self.time_label.setText(
            f"{format_seconds(seconds)} / {format_seconds(duration)}"
        )

    def _update_controls(self) -> None:
        loaded = self.player is not None
        for widget in (
            self.play_button,
            self.stop_button,
            self.back_button,
            self.forward_button,
            self.slider,
            self.speed_combo,
        ):
            widget.setEnabled(loaded)
        playing = (
            loaded
            and self.player is not None
            and (self.player.state is PlaybackState.PLAYING)
        )
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))

    def shutdown(self) -> None:
        """Stop playback and wait for a running load."""
        self.set_player(None)
        self.runner.shutdown()
