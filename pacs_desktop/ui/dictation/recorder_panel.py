"""The dictation recorder: Record, Pause, Stop, insert or overwrite, level meter.

Record binds the new dictation to the study open at that moment (study, patient,
accession, user, time); the binding never changes afterwards. When another study
opens or the study closes while recording, recording pauses and a dialog offers
to continue on the original study or to stop. It never continues into the other
study, and while the study on screen is not the recording's, a warning names the
recording's patient and study.

The core `Recorder` writes on its own threads. The GUI thread only starts and
pauses the stream; Stop waits for the writer in a worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.dictation.recorder import (
    DEFAULT_MAX_SECONDS,
    Recorder,
    RecorderState,
    input_devices,
)
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationStore,
    Priority,
    RecordingBinding,
)
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.ui.preferences import format_dicom_date, format_person_name
from pacs_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import StudyRecord

logger = logging.getLogger(__name__)

LEVEL_INTERVAL_MS = 100
LEVEL_FLOOR_DBFS = -60.0  # the empty end of the meter

# Builds a Recorder for a device (None: the system default) and a stop callback.
RecorderFactory = Callable[
    [int | None, Callable[[PacsDesktopError | None], None]], Recorder
]

APPEND, INSERT, OVERWRITE = "append", "insert", "overwrite"


def _seconds_text(seconds: float) -> str:
    """Format a duration to 0.1 s with the default locale's decimal mark."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return f"{locale.toString(seconds, 'f', 1)} s"


class RecorderPanel(QWidget):
    """Record dictations for the open study.

    Parameters
    ----------
    store
        The dictation rows.
    recordings_dir
        Where the recording files go.
    user
        The author bound to each new dictation.
    recorder_factory
        Builds the recorder; by default a `Recorder` on ``store`` and
        ``recordings_dir``.
    max_seconds
        Length at which a recording stops by itself.
    device_name
        Name of the input device chosen in the settings; empty or not found
        means the system default.
    shortcuts
        Key sequence text for ``record`` (record, pause or resume) and ``stop``.
    """

    #: sig_recording_started(object): the Dictation just bound and recording.
    sig_recording_started = Signal(object)
    #: sig_recording_finished(object): the Dictation after recording ended.
    sig_recording_finished = Signal(object)
    #: sig_error(str): a message the user must see (no device, full disk ...).
    sig_error = Signal(str)
    #: sig_switch_asked(object): the dialog asking what to do after a study switch.
    sig_switch_asked = Signal(object)
    # Carries the recorder's stop callback from its writer thread.
    _sig_stopped_by_itself = Signal(object)

    def __init__(
        self,
        store: DictationStore,
        recordings_dir: Path,
        user: str,
        parent: QWidget | None = None,
        *,
        recorder_factory: RecorderFactory | None = None,
        max_seconds: float = DEFAULT_MAX_SECONDS,
        device_name: str = "",
        shortcuts: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.recordings_dir = recordings_dir
        self.user = user
        self.max_seconds = max_seconds
        self.device_name = device_name
        self.recorder_factory = recorder_factory or self._default_recorder
        self.recorder: Recorder | None = None
        self.binding: RecordingBinding | None = None
        self.study: StudyRecord | None = None
        #: The study the running or paused recording is bound to.
        self.recording_study: StudyRecord | None = None
        self.switch_dialog: QMessageBox | None = None
        self.runner = TaskRunner(parent=self)
        self._stopping = False
        # True while message_label shows a state (paused by the lock) rather
        # than an error; the end of that state clears it.
        self._status_shown = False

        self.study_label = QLabel(self.tr("No study open"), self)
        self.study_label.setWordWrap(True)
        self.device_combo = QComboBox(self)
        self.priority_combo = QComboBox(self)
        for priority, text in (
            (Priority.ROUTINE, self.tr("Routine")),
            (Priority.URGENT, self.tr("Urgent")),
            (Priority.STAT, self.tr("STAT")),
        ):
            self.priority_combo.addItem(text, priority)
        self.record_button = QPushButton(self.tr("Record"), self)
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self._build_position_controls(max_seconds)
        self.level_bar = QProgressBar(self)
        self.level_bar.setRange(0, 100)
        self.level_bar.setTextVisible(False)
        self.time_label = QLabel(_seconds_text(0.0), self)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("error")
        self.other_study_warning = self._warning_label()
        self.message_label.setWordWrap(True)
        self._build_layout()

        self.level_timer = QTimer(self)
        self.level_timer.setInterval(LEVEL_INTERVAL_MS)
        self.level_timer.timeout.connect(self._on_level_tick)
        self.record_button.clicked.connect(self.record)
        self.pause_button.clicked.connect(self.pause)
        self.stop_button.clicked.connect(self.stop)
        self._sig_stopped_by_itself.connect(self._on_stopped_by_itself)
        self._create_shortcuts(shortcuts or {})
        self._update_controls()

    def _build_position_controls(self, max_seconds: float) -> None:
        self.mode_combo = QComboBox(self)
        self.mode_combo.addItem(self.tr("Append at the end"), APPEND)
        self.mode_combo.addItem(self.tr("Insert at position"), INSERT)
        self.mode_combo.addItem(self.tr("Overwrite from position"), OVERWRITE)
        self.position_spin = QDoubleSpinBox(self)
        self.position_spin.setSuffix(" s")
        self.position_spin.setDecimals(1)
        self.position_spin.setRange(0.0, max_seconds)
        # The recorder inserts or overwrites only in its current recording and
        # cannot reopen a finished dictation, so `_update_controls` enables both
        # controls only while a recording is paused.
        edit_tip = self.tr(
            "Insert and overwrite apply to a paused recording. Pause, choose the "
            "mode and position, then press Continue recording."
        )
        self.mode_combo.setToolTip(edit_tip)
        self.position_spin.setToolTip(edit_tip)

    def _warning_label(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("other_study_warning")
        label.setWordWrap(True)
        # Prominent on purpose: dictating into another patient's study is the
        # error this label guards against.
        label.setStyleSheet(
            "QLabel { background: #b00020; color: white; font-weight: bold; "
            "padding: 6px; }"
        )
        label.hide()
        return label

    def _build_layout(self) -> None:
        devices = QHBoxLayout()
        devices.addWidget(QLabel(self.tr("Microphone"), self))
        devices.addWidget(self.device_combo, 1)
        devices.addWidget(QLabel(self.tr("Priority"), self))
        devices.addWidget(self.priority_combo)
        buttons = QHBoxLayout()
        for button in (self.record_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addWidget(self.time_label)
        position = QHBoxLayout()
        position.addWidget(self.mode_combo, 1)
        position.addWidget(self.position_spin)
        layout = QVBoxLayout(self)
        layout.addWidget(self.other_study_warning)
        layout.addWidget(self.study_label)
        layout.addLayout(devices)
        layout.addLayout(buttons)
        layout.addLayout(position)
        layout.addWidget(self.level_bar)
        layout.addWidget(self.message_label)

    def _create_shortcuts(self, shortcuts: Mapping[str, str]) -> None:
        self.shortcut_actions: dict[str, QAction] = {}
        handlers = {"record": self.toggle_recording, "stop": self.stop}
        for name, handler in handlers.items():
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcuts.get(name, "")))
            # The keys work anywhere in the window, while reading images too.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, h=handler: h())
            self.addAction(action)
            self.shortcut_actions[name] = action

    # -- devices ------------------------------------------------------------

    def refresh_devices(self) -> None:
        """List the input devices; the system default comes first."""
        self.device_combo.clear()
        self.device_combo.addItem(self.tr("System default"), None)
        try:
            devices = input_devices()
        except PacsDesktopError as exc:
            self._show_error(str(exc))
            return
        for device in devices:
            mark = self.tr(" (default)") if device.is_default else ""
            self.device_combo.addItem(f"{device.name}{mark}", device.index)
            if self.device_name and device.name == self.device_name:
                self.device_combo.setCurrentIndex(self.device_combo.count() - 1)

    def _default_recorder(
        self,
        device: int | None,
        on_stopped: Callable[[PacsDesktopError | None], None],
    ) -> Recorder:
        return Recorder(
            self.store,
            self.recordings_dir,
            device=device,
            max_seconds=self.max_seconds,
            on_stopped=on_stopped,
        )

    # -- study binding ------------------------------------------------------

    def set_study(self, study: StudyRecord | None) -> None:
        """Make ``study`` the one a new recording binds to.

        While a recording runs for another study, recording pauses and the
        switch dialog opens; the running recording stays bound to its study.
        """
        self.study = study
        self._show_study()
        if (
            self.is_active()
            and self._other_study_shown()
            and (self.switch_dialog is None)
        ):
            self._ask_after_switch(closed=study is None)
        self._update_controls()

    def _other_study_shown(self) -> bool:
        # True while a recording runs for a study other than the one on
        # screen, or while no study is on screen.
        binding = self.binding
        if binding is None or self.recorder is None:
            return False
        study = self.study
        return study is None or study.StudyInstanceUID != binding.StudyInstanceUID

    def _show_study(self) -> None:
        # A running or paused recording names its own study. A study opened
        # meanwhile is shown once that recording has stopped.
        study = self.recording_study if self.recorder is not None else self.study
        if study is None:
            self.study_label.setText(self.tr("No study open"))
        elif study.AccessionNumber:
            self.study_label.setText(
                self.tr("Study: {name}, {accession}").format(
                    name=study.display_name, accession=study.AccessionNumber
                )
            )
        else:
            self.study_label.setText(
                self.tr("Study: {name}").format(name=study.display_name)
            )
        self._show_other_study_warning()

    def _show_other_study_warning(self) -> None:
        recording = self.recording_study
        if recording is None or not self._other_study_shown():
            self.other_study_warning.hide()
            self.other_study_warning.clear()
            self._fit_wrapped_labels()
            return
        self.other_study_warning.setText(
            self.tr(
                "This recording belongs to {name} (ID {patient_id}), study of "
                "{date} {description}, accession {accession}, not to the study "
                "on screen."
            ).format(
                name=format_person_name(recording.display_name),
                patient_id=recording.PatientID,
                date=format_dicom_date(recording.StudyDate) or "-",
                description=recording.StudyDescription or "",
                accession=recording.AccessionNumber or "-",
            )
        )
        self.other_study_warning.show()
        self._fit_wrapped_labels()

    def _ask_after_switch(self, *, closed: bool = False) -> None:
        assert self.recorder is not None
        self.recorder.pause()
        dialog = QMessageBox(self)
        dialog.setIcon(QMessageBox.Icon.Question)
        dialog.setWindowTitle(self.tr("Recording paused"))
        if closed:
            text = self.tr(
                "The study was closed while you were dictating. The recording is "
                "paused and stays attached to the study it was started on."
            )
        else:
            text = self.tr(
                "Another study was opened while you were dictating. The recording "
                "is paused and stays attached to the study it was started on."
            )
        dialog.setText(text)
        self.continue_button = dialog.addButton(
            self.tr("Continue on the original study"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        self.stop_after_switch_button = dialog.addButton(
            self.tr("Stop recording"), QMessageBox.ButtonRole.RejectRole
        )
        dialog.buttonClicked.connect(self._on_switch_answer)
        self.switch_dialog = dialog
        self._update_controls()
        dialog.open()
        self.sig_switch_asked.emit(dialog)

    def _on_switch_answer(self, button: object) -> None:
        dialog, self.switch_dialog = self.switch_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if button is self.continue_button and self.recorder is not None:
            self.recorder.resume()
            self._clear_status()
        else:
            self.stop()
        self._update_controls()

    # -- transport ----------------------------------------------------------

    def is_active(self) -> bool:
        """Return whether a recording is running or paused."""
        return self.recorder is not None and self.recorder.state in (
            RecorderState.RECORDING,
            RecorderState.PAUSED,
        )

    def record(self) -> None:
        """Start a recording on the open study, or resume or re-position one."""
        if self.is_active():
            self._resume_at_position()
            return
        if self.study is None:
            self._show_error(self.tr("Open a study before recording."))
            return
        try:
            binding = RecordingBinding.for_study(self.study, self.user)
            recorder = self.recorder_factory(
                self.device_combo.currentData(), self._sig_stopped_by_itself.emit
            )
            dictation = recorder.start(binding)
        except PacsDesktopError as exc:
            self._show_error(str(exc))
            return
        # The recorder is kept before anything else can fail, so Stop still
        # reaches a stream that is already running.
        self.recorder = recorder
        self.binding = binding
        self.recording_study = self.study
        self._show_study()
        # Qt returns the str value of a str Enum stored as item data.
        priority = Priority(self.priority_combo.currentData())
        if priority is not Priority.ROUTINE:
            self.store.set_priority(dictation.id, priority, self.user)
        self._set_message("")
        # The counter still shows the length of the previous recording.
        self.time_label.setText(_seconds_text(0.0))
        self.level_timer.start()
        self._update_controls()
        self.sig_recording_started.emit(dictation)

    def _resume_at_position(self) -> None:
        assert self.recorder is not None
        if self.switch_dialog is not None:
            return  # the open question comes first
        mode = self.mode_combo.currentData()
        if mode == APPEND:
            self.recorder.resume()
        else:
            self.recorder.record_from(
                self.position_spin.value(), overwrite=mode == OVERWRITE
            )
        self._clear_status()
        self._update_controls()

    def toggle_recording(self) -> None:
        """Pause a running recording; otherwise start or resume one."""
        if self.recorder is not None and self.recorder.state is (
            RecorderState.RECORDING
        ):
            self.pause()
        elif self.record_button.isEnabled():
            self.record()

    def pause(self) -> None:
        """Pause the running recording."""
        if self.recorder is not None:
            self.recorder.pause()
            self.position_spin.setValue(self.recorder.position_seconds)
        self._update_controls()

    def pause_for_lock(self) -> bool:
        """Pause a running recording because the user locked the screen.

        The recording is kept and resumes with Record after the unlock.
        Returns whether a running recording was paused.
        """
        if self.recorder is None or self.recorder.state is not (
            RecorderState.RECORDING
        ):
            return False
        self.pause()
        self._set_message(
            self.tr(
                "Recording paused because the screen was locked. Press Continue "
                "recording to go on."
            ),
            status=True,
        )
        return True

    def stop(self) -> None:
        """Stop the recording; the writer is waited for in a worker thread."""
        recorder = self.recorder
        if recorder is None or self._stopping:
            return
        self._stopping = True
        self._clear_status()
        self._update_controls()

        def job(_progress: object, _cancel: object) -> Dictation:
            return recorder.stop()

        self.runner.start(job, on_finished=self._on_finished, on_failed=self._on_failed)

    def _on_stopped_by_itself(self, error: PacsDesktopError | None) -> None:
        # Maximum length, full disk or a lost device; the writer has finished.
        if error is not None:
            self._show_error(str(error))
        elif self.recorder is not None and self.recorder.reached_max_length:
            self._show_error(self.tr("The maximum dictation length was reached."))
        if not self._stopping:
            self.stop()

    def _on_finished(self, dictation: Dictation) -> None:
        self._end()
        self.sig_recording_finished.emit(dictation)

    def _on_failed(self, error: Exception) -> None:
        self._end()
        self._show_error(str(error))

    def _end(self) -> None:
        self.level_timer.stop()
        self.level_bar.setValue(0)
        self.recorder = None
        self.binding = None
        self.recording_study = None
        self._stopping = False
        # A new recording starts empty, so it always begins by appending.
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(APPEND))
        self.position_spin.setValue(0.0)
        self._show_study()
        if self.switch_dialog is not None:
            self.switch_dialog.close()
            self.switch_dialog = None
        self._update_controls()

    def _on_level_tick(self) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        dbfs = recorder.level.rms_dbfs
        fraction = (max(dbfs, LEVEL_FLOOR_DBFS) - LEVEL_FLOOR_DBFS) / -LEVEL_FLOOR_DBFS
        self.level_bar.setValue(round(100 * fraction))
        self.time_label.setText(_seconds_text(recorder.duration_seconds))

    def _show_error(self, message: str) -> None:
        self._set_message(message)
        self.sig_error.emit(message)

    def _set_message(self, text: str, *, status: bool = False) -> None:
        self.message_label.setText(text)
        self._status_shown = status and bool(text)
        self._fit_wrapped_labels()

    def _clear_status(self) -> None:
        if self._status_shown:
            self._set_message("")

    def _fit_wrapped_labels(self) -> None:
        # QMainWindow sizes a dock from its widget's minimum size and ignores
        # height for width, so a word-wrapped label would get one line and
        # lose the rest of its text. Each label's minimum height is set to
        # the height its text needs at the panel's width instead.
        layout = self.layout()
        if layout is None:
            return
        margins = layout.contentsMargins()
        width = self.contentsRect().width() - margins.left() - margins.right()
        if width <= 0:
            return  # not laid out yet; resizeEvent calls this again
        for label in (self.other_study_warning, self.study_label, self.message_label):
            needed = label.heightForWidth(width) if label.text() else 0
            label.setMinimumHeight(max(needed, 0))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Refit the wrapped labels to the new width."""
        super().resizeEvent(event)
        self._fit_wrapped_labels()

    def _update_controls(self) -> None:
        state = self.recorder.state if self.recorder else RecorderState.IDLE
        recording = state is RecorderState.RECORDING and not self._stopping
        paused = state is RecorderState.PAUSED and not self._stopping
        asking = self.switch_dialog is not None
        idle = self.recorder is None
        self.record_button.setEnabled(
            (idle and self.study is not None) or (paused and not asking)
        )
        self.record_button.setText(
            self.tr("Record") if idle else self.tr("Continue recording")
        )
        self.pause_button.setEnabled(recording)
        self.stop_button.setEnabled((recording or paused) and not asking)
        self.device_combo.setEnabled(idle)
        self.priority_combo.setEnabled(idle)
        self.mode_combo.setEnabled(paused and not asking)
        self.position_spin.setEnabled(paused and not asking)

    def shutdown(self) -> None:
        """Stop a running recording and wait for it to be written."""
        self.stop()
        self.runner.shutdown()
