"""Fixes of the dictation GUI: report text, recorder dock, recovery, player."""

from __future__ import annotations

import dataclasses
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.query import StudyQuery
from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.dictation.audiofile import wav_header
from pacs_desktop.core.dictation.importing import import_audio_file
from pacs_desktop.core.dictation.playback import Player
from pacs_desktop.core.dictation.recorder import (
    LevelReading,
    RecorderState,
    recording_paths,
)
from pacs_desktop.core.dictation.recovery import recover_unfinished
from pacs_desktop.core.dictation.report import ReportStore
from pacs_desktop.core.dictation.store import (
    Dictation,
    DictationState,
    DictationStore,
    RecordingBinding,
)
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.queue import SyncQueue
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.dictation.desk import DictationDesk, TranscriptionWindow
from pacs_desktop.ui.dictation.player_widget import PlayerWidget
from pacs_desktop.ui.dictation.recorder_panel import RecorderPanel
from pacs_desktop.ui.dictation.recovery_dialog import RecoveryDialog
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.preferences import install_translations

PASSWORD = "Correct-Horse-Battery-9"
TYPED = "Liver normal. No focal lesion."


@pytest.fixture
def typist(filled_workstation: Workstation) -> Session:
    users = filled_workstation.users
    users.create_first_administrator("admin", PASSWORD)
    users.create_user("typist", PASSWORD, Role.TRANSCRIPTIONIST, actor="admin-os")
    return users.authenticate("typist", PASSWORD)


def _study(station: Workstation, patient_id: str) -> StudyRecord:
    return station.archive.find_studies(StudyQuery(patient_id=patient_id))[0]


def _dictation(station: Workstation, study: StudyRecord, wav: Path) -> int:
    tone = 8000 * np.sin(np.arange(16000) * 2 * np.pi * 300 / 16000)
    soundfile.write(wav, tone.astype(np.int16), 16000, subtype="PCM_16")
    return import_audio_file(
        station.dictations,
        station.archive,
        station.data_dir / "dictations",
        study_uid=study.StudyInstanceUID,
        audio_file=wav,
        patient_id=study.PatientID,
        user="dr.house",
    ).id


@pytest.fixture
def dictation_ids(filled_workstation: Workstation, tmp_path: Path) -> list[int]:
    return [
        _dictation(
            filled_workstation,
            _study(filled_workstation, patient_id),
            tmp_path / f"{patient_id}.wav",
        )
        for patient_id in ("PID-1001", "PID-1002")
    ]


@pytest.fixture
def window(
    qtbot: QtBot,
    filled_workstation: Workstation,
    typist: Session,
    dictation_ids: list[int],
) -> TranscriptionWindow:
    reports = ReportStore(
        filled_workstation.database,
        filled_workstation.users,
        filled_workstation.audit,
        filled_workstation.dictations,
    )
    widget = TranscriptionWindow(filled_workstation, reports, typist)
    qtbot.addWidget(widget)
    return widget


def _claim(qtbot: QtBot, window: TranscriptionWindow, dictation_id: int) -> None:
    assert window.worklist.select(dictation_id)
    with qtbot.waitSignal(window.editor.player.sig_loaded, timeout=10_000):
        qtbot.mouseClick(window.worklist.claim_button, Qt.MouseButton.LeftButton)


def test_report_field_read_only_until_open(
    window: TranscriptionWindow, dictation_ids: list[int]
) -> None:
    assert window.editor.text_edit.isReadOnly()


def test_report_field_placeholder_until_open(
    window: TranscriptionWindow, dictation_ids: list[int]
) -> None:
    assert window.editor.text_edit.placeholderText() == (
        "Open a dictation to type its report"
    )


def test_claim_opens_dictation_for_typing(
    qtbot: QtBot, window: TranscriptionWindow, dictation_ids: list[int]
) -> None:
    _claim(qtbot, window, dictation_ids[0])
    report = window.editor.report
    assert report is not None
    assert report.dictation_id == dictation_ids[0]
    assert not window.editor.text_edit.isReadOnly()
    assert window.editor.transcribed_button.isEnabled()


def test_claim_keeps_lock(
    qtbot: QtBot,
    filled_workstation: Workstation,
    window: TranscriptionWindow,
    dictation_ids: list[int],
) -> None:
    _claim(qtbot, window, dictation_ids[0])
    claimed = filled_workstation.dictations.get(dictation_ids[0])
    assert (claimed.state, claimed.locked_by) == (
        DictationState.IN_TRANSCRIPTION,
        "typist",
    )


def test_switch_saves_typed_draft(
    qtbot: QtBot, window: TranscriptionWindow, dictation_ids: list[int]
) -> None:
    first, second = dictation_ids
    _claim(qtbot, window, first)
    window.editor.text_edit.setPlainText(TYPED)
    _claim(qtbot, window, second)
    stored = window.editor.reports.for_dictation(first)
    assert stored is not None
    assert stored.text == TYPED


def test_reopening_shows_typed_text(
    qtbot: QtBot, window: TranscriptionWindow, dictation_ids: list[int]
) -> None:
    first = dictation_ids[0]
    _claim(qtbot, window, first)
    window.editor.text_edit.setPlainText(TYPED)
    assert window.worklist.select(first)
    qtbot.mouseClick(window.worklist.open_button, Qt.MouseButton.LeftButton)
    assert window.editor.text_edit.toPlainText() == TYPED


class _SilentRecorder:
    """Recorder double that binds the dictation and keeps no audio."""

    def __init__(self, store: DictationStore) -> None:
        self.store = store
        self.state = RecorderState.IDLE
        self.dictation: Dictation | None = None
        self.level = LevelReading(0.0, 0.0)
        self.duration_seconds = 0.0
        self.position_seconds = 0.0
        self.reached_max_length = False
        self.takes: list[tuple[float, bool]] = []

    def start(self, binding: RecordingBinding) -> Dictation:
        self.dictation = self.store.create(binding, sample_rate=16000, channels=1)
        self.state = RecorderState.RECORDING
        return self.dictation

    def pause(self) -> None:
        self.state = RecorderState.PAUSED

    def resume(self) -> None:
        self.state = RecorderState.RECORDING

    def record_from(self, position_seconds: float, *, overwrite: bool) -> None:
        self.takes.append((position_seconds, overwrite))
        self.state = RecorderState.RECORDING

    def stop(self) -> Dictation:
        if self.dictation is None:
            raise PacsDesktopError("no recording to stop")
        self.state = RecorderState.IDLE
        return self.store.get(self.dictation.id)


@pytest.fixture
def panel(
    qtbot: QtBot, filled_workstation: Workstation, tmp_path: Path
) -> Iterator[RecorderPanel]:
    store = filled_workstation.dictations
    widget = RecorderPanel(
        store,
        tmp_path / "recordings",
        "dr.house",
        recorder_factory=lambda _device, _stopped: _SilentRecorder(store),  # type: ignore[arg-type, return-value]
    )
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def _record_then_switch(
    panel: RecorderPanel, station: Workstation
) -> tuple[StudyRecord, StudyRecord]:
    first, second = _study(station, "PID-1001"), _study(station, "PID-1002")
    panel.set_study(first)
    panel.record()
    panel.set_study(second)
    assert panel.switch_dialog is not None
    return first, second


def test_dock_keeps_study_while_asking(
    qtbot: QtBot, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    _record_then_switch(panel, filled_workstation)
    label = panel.study_label.text()
    with qtbot.waitSignal(panel.sig_recording_finished, timeout=10_000):
        panel.stop_after_switch_button.click()
    assert label == "Study: Doe^Jane, ACC-1"


def test_dock_keeps_study_after_continue(
    qtbot: QtBot, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    _record_then_switch(panel, filled_workstation)
    panel.continue_button.click()
    assert panel.study_label.text() == "Study: Doe^Jane, ACC-1"


def test_dock_shows_new_study_after_stop(
    qtbot: QtBot, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    _record_then_switch(panel, filled_workstation)
    panel.continue_button.click()
    with qtbot.waitSignal(panel.sig_recording_finished, timeout=10_000):
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert panel.study_label.text() == "Study: Doe^John, ACC-2"


def _position_controls_enabled(panel: RecorderPanel) -> tuple[bool, bool]:
    return panel.mode_combo.isEnabled(), panel.position_spin.isEnabled()


def _choose_insert(panel: RecorderPanel, seconds: float) -> None:
    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData("insert"))
    panel.position_spin.setValue(seconds)


def test_position_controls_off_when_idle(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    assert _position_controls_enabled(panel) == (False, False)


def test_position_controls_off_while_recording(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    assert _position_controls_enabled(panel) == (False, False)


def test_position_controls_on_while_paused(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    panel.pause()
    assert _position_controls_enabled(panel) == (True, True)


def test_insert_while_paused_applies(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    recorder = panel.recorder
    assert isinstance(recorder, _SilentRecorder)
    panel.pause()
    _choose_insert(panel, 3.0)

    panel.record()

    assert recorder.takes == [(3.0, False)]


def test_insert_choice_cleared_by_stop(
    qtbot: QtBot, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    panel.pause()
    _choose_insert(panel, 3.0)
    with qtbot.waitSignal(panel.sig_recording_finished, timeout=10_000):
        panel.stop()

    assert panel.mode_combo.currentData() == "append"
    assert panel.position_spin.value() == 0.0
    assert _position_controls_enabled(panel) == (False, False)


@pytest.fixture
def reader_window(
    qtbot: QtBot, filled_workstation: Workstation, admin_session: Session
) -> Iterator[MainWindow]:
    users = filled_workstation.users
    users.create_user("dr.house", PASSWORD, Role.RADIOLOGIST, actor=admin_session)
    session = users.authenticate("dr.house", PASSWORD)
    window = MainWindow(filled_workstation, session)
    qtbot.addWidget(window)
    panel = window.dictation_desk.panel
    assert panel is not None
    store = filled_workstation.dictations
    panel.recorder_factory = lambda _device, _stopped: _SilentRecorder(store)  # type: ignore[assignment, arg-type, return-value]
    yield window
    window.shutdown()


def _record_in_window(window: MainWindow, station: Workstation) -> RecorderPanel:
    panel = window.dictation_desk.panel
    assert panel is not None
    window.dictation_desk.set_study(_study(station, "PID-1001"))
    panel.record()
    assert panel.recorder is not None
    return panel


def test_manual_lock_pauses_recording(
    reader_window: MainWindow, filled_workstation: Workstation
) -> None:
    panel = _record_in_window(reader_window, filled_workstation)
    reader_window.security.lock_action.trigger()
    assert reader_window.security.idle_lock.locked
    assert panel.recorder is not None
    assert panel.recorder.state is RecorderState.PAUSED


def test_manual_lock_keeps_recording_resumable(
    reader_window: MainWindow, filled_workstation: Workstation
) -> None:
    panel = _record_in_window(reader_window, filled_workstation)
    reader_window.security.lock_action.trigger()
    reader_window.security.idle_lock.unlock()
    assert panel.record_button.isEnabled()
    panel.record()
    assert panel.recorder is not None
    assert panel.recorder.state is RecorderState.RECORDING


def test_manual_lock_pause_audited(
    reader_window: MainWindow, filled_workstation: Workstation
) -> None:
    _record_in_window(reader_window, filled_workstation)
    reader_window.security.lock_action.trigger()
    details = [
        record.detail
        for record in filled_workstation.audit.records()
        if record.event == audit_events.DICTATION_RECORDED
    ]
    assert any("locked the screen" in detail for detail in details), details


def test_idle_lock_keeps_recording_running(
    reader_window: MainWindow, filled_workstation: Workstation
) -> None:
    panel = _record_in_window(reader_window, filled_workstation)
    reader_window.security.idle_lock.lock()
    assert panel.recorder is not None
    assert panel.recorder.state is RecorderState.RECORDING


def test_close_study_while_recording_asks(
    reader_window: MainWindow, filled_workstation: Workstation
) -> None:
    panel = _record_in_window(reader_window, filled_workstation)
    reader_window.show_browser()
    assert panel.switch_dialog is not None
    assert panel.recorder is not None
    assert panel.recorder.state is RecorderState.PAUSED


def test_close_study_then_stop_ends_recording(
    qtbot: QtBot, reader_window: MainWindow, filled_workstation: Workstation
) -> None:
    panel = _record_in_window(reader_window, filled_workstation)
    reader_window.show_browser()
    with qtbot.waitSignal(panel.sig_recording_finished, timeout=10_000):
        panel.stop_after_switch_button.click()
    assert panel.recorder is None


def test_other_study_warning_names_patient(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    _record_then_switch(panel, filled_workstation)
    panel.continue_button.click()
    assert not panel.other_study_warning.isHidden()
    text = panel.other_study_warning.text()
    assert "Doe, Jane" in text, text
    assert "PID-1001" in text, text
    assert "ACC-1" in text, text


def test_warning_shown_with_no_study(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    panel.set_study(None)
    panel.continue_button.click()
    assert not panel.other_study_warning.isHidden()


def test_no_warning_on_own_study(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    assert panel.other_study_warning.isHidden()


def test_warning_gone_after_stop(
    qtbot: QtBot, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    _record_then_switch(panel, filled_workstation)
    with qtbot.waitSignal(panel.sig_recording_finished, timeout=10_000):
        panel.stop_after_switch_button.click()
    assert panel.other_study_warning.isHidden()


def test_study_label_without_accession(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    study = dataclasses.replace(
        _study(filled_workstation, "PID-1001"), AccessionNumber=""
    )
    panel.set_study(study)
    assert panel.study_label.text() == "Study: Doe^Jane"


def _record_then_lock(panel: RecorderPanel, station: Workstation) -> None:
    panel.set_study(_study(station, "PID-1001"))
    panel.record()
    assert panel.pause_for_lock()
    assert "screen was locked" in panel.message_label.text()


def test_lock_message_cleared_on_resume(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    _record_then_lock(panel, filled_workstation)
    panel.record()
    assert panel.message_label.text() == ""


def test_lock_message_cleared_on_continue(
    panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    _record_then_lock(panel, filled_workstation)
    panel.set_study(_study(filled_workstation, "PID-1002"))
    panel.continue_button.click()
    assert panel.message_label.text() == ""


def test_lock_message_cleared_on_stop(
    qtbot: QtBot, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    _record_then_lock(panel, filled_workstation)
    with qtbot.waitSignal(panel.sig_recording_finished, timeout=10_000):
        panel.stop()
    assert panel.message_label.text() == ""


def test_error_kept_after_stop(
    qtbot: QtBot, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    with qtbot.waitSignal(panel.sig_recording_finished, timeout=10_000):
        panel._sig_stopped_by_itself.emit(PacsDesktopError("the disk is full"))
    assert panel.message_label.text() == "the disk is full"


def _shown_window(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1000, 600)
    window.show()
    qtbot.waitExposed(window)


def _cut_height(label: QLabel) -> int:
    """Return how many pixels of the label's wrapped text do not fit."""
    return max(0, label.heightForWidth(label.width()) - label.height())


def test_warning_banner_shows_full_text(
    qtbot: QtBot, reader_window: MainWindow, filled_workstation: Workstation
) -> None:
    _shown_window(qtbot, reader_window)
    panel = _record_in_window(reader_window, filled_workstation)
    reader_window.dictation_desk.set_study(_study(filled_workstation, "PID-1002"))
    panel.continue_button.click()
    label = panel.other_study_warning
    qtbot.waitUntil(label.isVisible)
    assert label.heightForWidth(label.width()) > label.fontMetrics().height()
    qtbot.waitUntil(lambda: _cut_height(label) == 0)


def test_error_message_shows_full_text(
    qtbot: QtBot, reader_window: MainWindow, filled_workstation: Workstation
) -> None:
    _shown_window(qtbot, reader_window)
    panel = _record_in_window(reader_window, filled_workstation)
    panel._show_error(
        "cannot write the recording file: No space left on device; free space "
        "in the dictation folder, then press Record again to start a new take; "
        "the audio recorded so far is kept"
    )
    label = panel.message_label
    assert label.heightForWidth(label.width()) > label.fontMetrics().height()
    qtbot.waitUntil(lambda: _cut_height(label) == 0)


def _interrupted_recording(station: Workstation, seconds: float = 1.5) -> int:
    """Leave a recording file as a killed recorder leaves it; return its id."""
    study = _study(station, "PID-1001")
    dictation = station.dictations.create(
        RecordingBinding.for_study(study, "dr.house"), sample_rate=16000, channels=1
    )
    wav, _ = recording_paths(station.data_dir / "dictations", dictation.id)
    wav.parent.mkdir(parents=True, exist_ok=True)
    tone = 8000 * np.sin(np.arange(int(seconds * 16000)) * 2 * np.pi * 300 / 16000)
    # The header sizes are still 0, as after a kill before the first update.
    wav.write_bytes(wav_header(16000, 1, 0) + tone.astype("<i2").tobytes())
    return dictation.id


@pytest.fixture
def recovered_id(filled_workstation: Workstation) -> int:
    dictation_id = _interrupted_recording(filled_workstation)
    recovered = recover_unfinished(
        filled_workstation.dictations, filled_workstation.data_dir / "dictations"
    )
    assert [item.dictation.id for item in recovered] == [dictation_id]
    return dictation_id


def _recovery_dialog(qtbot: QtBot, station: Workstation) -> RecoveryDialog:
    dialog = RecoveryDialog(station.dictations, "dr.house", archive=station.archive)
    qtbot.addWidget(dialog)
    return dialog


def test_recovery_line_names_patient(
    qtbot: QtBot, filled_workstation: Workstation, recovered_id: int
) -> None:
    study = _study(filled_workstation, "PID-1001")
    text = _recovery_dialog(qtbot, filled_workstation).list_widget.item(0).text()
    assert "Doe, Jane" in text, text
    assert "PID-1001" in text, text
    assert study.StudyDescription in text, text
    assert study.AccessionNumber in text, text


def test_recovery_line_names_study_date(
    qtbot: QtBot, filled_workstation: Workstation, recovered_id: int
) -> None:
    study = _study(filled_workstation, "PID-1001")
    date = f"{study.StudyDate[:4]}-{study.StudyDate[4:6]}-{study.StudyDate[6:]}"
    text = _recovery_dialog(qtbot, filled_workstation).list_widget.item(0).text()
    assert date in text, text


def test_recovered_audio_owner_only(
    filled_workstation: Workstation, recovered_id: int
) -> None:
    dictation = filled_workstation.dictations.get(recovered_id)
    assert dictation.audio_path is not None
    assert stat.S_IMODE(dictation.audio_path.stat().st_mode) == 0o600


def test_imported_audio_owner_only(
    filled_workstation: Workstation, dictation_ids: list[int]
) -> None:
    dictation = filled_workstation.dictations.get(dictation_ids[0])
    assert dictation.audio_path is not None
    assert stat.S_IMODE(dictation.audio_path.stat().st_mode) == 0o600


def test_kept_recovery_is_queued_for_send(
    qtbot: QtBot, filled_workstation: Workstation, admin_session: Session
) -> None:
    Settings(filled_workstation.data_dir).set("dictation.send_node", "PACS")
    dictation_id = _interrupted_recording(filled_workstation)
    users = filled_workstation.users
    users.create_user("dr.house", PASSWORD, Role.RADIOLOGIST, actor=admin_session)
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = DictationDesk(
        window, filled_workstation, users.authenticate("dr.house", PASSWORD)
    )
    try:
        qtbot.waitUntil(lambda: desk.recovery_dialog is not None, timeout=10_000)
        dialog = desk.recovery_dialog
        assert dialog is not None
        with qtbot.waitSignal(desk.sig_published, timeout=10_000) as published:
            qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
        jobs = SyncQueue(filled_workstation.database).list_jobs()
        assert [job.id for job in jobs] == [published.args[0].send_job_id]
        assert filled_workstation.dictations.get(dictation_id).state is (
            DictationState.RECORDED
        )
    finally:
        desk.shutdown()


def test_import_confirm_button_names_action(
    reader_window: MainWindow, filled_workstation: Workstation, tmp_path: Path
) -> None:
    desk = reader_window.dictation_desk
    desk.set_study(_study(filled_workstation, "PID-1001"))
    desk.import_audio(tmp_path / "handheld.wav")
    dialog = desk.import_confirm_dialog
    assert dialog is not None
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    text = ok.text()
    dialog.reject()
    assert text == "Attach recording"


def test_counter_resets_on_new_recording(
    qtbot: QtBot, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    panel.time_label.setText("7.6 s")  # what the level timer last showed
    with qtbot.waitSignal(panel.sig_recording_finished, timeout=10_000):
        panel.stop()
    panel.set_study(_study(filled_workstation, "PID-1002"))
    panel.record()
    assert panel.time_label.text() == "0.0 s"


@pytest.fixture
def player_widget(qtbot: QtBot) -> Iterator[PlayerWidget]:
    widget = PlayerWidget()
    qtbot.addWidget(widget)
    tone = 0.25 * np.sin(np.arange(16000) * 2 * np.pi * 300 / 16000)
    widget.set_player(Player(tone.astype(np.float32), 16000))
    yield widget
    widget.shutdown()


def test_pitch_note_hidden_at_normal_speed(player_widget: PlayerWidget) -> None:
    assert player_widget.note_label.text() == ""


@pytest.mark.parametrize("speed", [0.5, 2.0])
def test_pitch_note_shown_at_other_speed(
    player_widget: PlayerWidget, speed: float
) -> None:
    player_widget.speed_combo.setCurrentIndex(player_widget.speed_combo.findData(speed))
    assert "pitch" in player_widget.note_label.text()


def test_pitch_note_gone_back_at_normal_speed(player_widget: PlayerWidget) -> None:
    combo = player_widget.speed_combo
    combo.setCurrentIndex(combo.findData(2.0))
    combo.setCurrentIndex(combo.findData(1.0))
    assert player_widget.note_label.text() == ""


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    install_translations(qapp, "de")
    yield
    install_translations(qapp, "")


def test_speeds_use_german_decimal_comma(german: None, qtbot: QtBot) -> None:
    widget = PlayerWidget()
    qtbot.addWidget(widget)
    combo = widget.speed_combo
    texts = [combo.itemText(index) for index in range(combo.count())]
    widget.shutdown()
    assert texts == ["0,5x", "0,75x", "1x", "1,25x", "1,5x", "2x"]


def test_counter_uses_german_decimal_comma(
    german: None, panel: RecorderPanel, filled_workstation: Workstation
) -> None:
    panel.set_study(_study(filled_workstation, "PID-1001"))
    panel.record()
    recorder = panel.recorder
    assert isinstance(recorder, _SilentRecorder)
    recorder.duration_seconds = 7.46

    panel._on_level_tick()

    assert panel.time_label.text() == "7,5 s"


def _events(station: Workstation, event: str) -> list[str]:
    return [
        record.detail for record in station.audit.records() if record.event == event
    ]


@pytest.fixture
def recovering_desk(
    qtbot: QtBot, filled_workstation: Workstation, admin_session: Session
) -> Iterator[DictationDesk]:
    """A radiologist's desk started after one of his recordings was interrupted."""
    _interrupted_recording(filled_workstation)
    users = filled_workstation.users
    users.create_user("dr.house", PASSWORD, Role.RADIOLOGIST, actor=admin_session)
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = DictationDesk(
        window, filled_workstation, users.authenticate("dr.house", PASSWORD)
    )
    qtbot.waitUntil(lambda: desk.recovery_dialog is not None, timeout=10_000)
    yield desk
    desk.shutdown()


def test_recovery_audited_at_start(
    recovering_desk: DictationDesk, filled_workstation: Workstation
) -> None:
    details = _events(filled_workstation, audit_events.DICTATION_RECORDED)
    assert any("recovered after an interruption" in d for d in details), details


def test_recovery_keep_audited(
    qtbot: QtBot, recovering_desk: DictationDesk, filled_workstation: Workstation
) -> None:
    dialog = recovering_desk.recovery_dialog
    assert dialog is not None
    with qtbot.waitSignal(recovering_desk.sig_published, timeout=10_000):
        qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    details = _events(filled_workstation, audit_events.DICTATION_RECORDED)
    assert any("kept after recovery" in d for d in details), details


def test_recovery_discard_audited(
    qtbot: QtBot, recovering_desk: DictationDesk, filled_workstation: Workstation
) -> None:
    dialog = recovering_desk.recovery_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    details = _events(filled_workstation, audit_events.INSTANCES_DELETED)
    assert any("discarded after recovery" in d for d in details), details
