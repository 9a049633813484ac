"""The transcription worklist, the report editor's signing and recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QMainWindow
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.dictation.export import study_source
from pacs_desktop.core.dictation.importing import import_audio_file
from pacs_desktop.core.dictation.publish import Published
from pacs_desktop.core.dictation.report import ReportHeader, ReportState, ReportStore
from pacs_desktop.core.dictation.store import (
    DictationState,
    RecordingBinding,
)
from pacs_desktop.core.dictation.waveform import build_voice_audio
from pacs_desktop.core.net.queue import SyncQueue
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.audit import AuditRecord
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.settings import Settings
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.dictation.desk import DictationDesk, TranscriptionWindow
from pacs_desktop.ui.dictation.recovery_dialog import RecoveryDialog
from pacs_desktop.ui.dictation.report_editor import (
    AUTOSAVE_MAX_WAIT_MS,
    ReportEditor,
)
from pacs_desktop.ui.dictation.study_dictations import StudyDictationsPanel
from pacs_desktop.ui.dictation.worklist import COLUMNS, WorklistWidget

PASSWORD = "Correct-Horse-Battery-9"
TEXT = "Liver normal. No focal lesion."


@pytest.fixture
def sessions(filled_workstation: Workstation) -> dict[str, Session]:
    users = filled_workstation.users
    users.create_first_administrator("admin", PASSWORD)
    for name, role in (
        ("dr.house", Role.RADIOLOGIST),
        ("typist", Role.TRANSCRIPTIONIST),
        ("typist2", Role.TRANSCRIPTIONIST),
    ):
        users.create_user(name, PASSWORD, role, actor="admin-os")
    return {
        name: users.authenticate(name, PASSWORD)
        for name in ("admin", "dr.house", "typist", "typist2")
    }


@pytest.fixture
def study(filled_workstation: Workstation) -> StudyRecord:
    record = filled_workstation.archive.study(_first_study_uid(filled_workstation))
    assert record is not None
    return record


def _first_study_uid(station: Workstation) -> str:
    from pacs_desktop.core.archive.query import StudyQuery

    return station.archive.find_studies(StudyQuery(patient_id="PID-1001"))[
        0
    ].StudyInstanceUID


@pytest.fixture
def dictation_id(
    filled_workstation: Workstation, study: StudyRecord, tmp_path: Path
) -> int:
    wav = tmp_path / "dictation.wav"
    tone = 8000 * np.sin(np.arange(16000) * 2 * np.pi * 300 / 16000)
    soundfile.write(wav, tone.astype(np.int16), 16000, subtype="PCM_16")
    return import_audio_file(
        filled_workstation.dictations,
        filled_workstation.archive,
        filled_workstation.data_dir / "dictations",
        study_uid=study.StudyInstanceUID,
        audio_file=wav,
        patient_id=study.PatientID,
        user="dr.house",
    ).id


def _reports(station: Workstation) -> ReportStore:
    return ReportStore(
        station.database, station.users, station.audit, station.dictations
    )


def _worklist(qtbot: QtBot, station: Workstation, session: Session) -> WorklistWidget:
    widget = WorklistWidget(station.dictations, station.archive, session)
    qtbot.addWidget(widget)
    return widget


def test_worklist_shows_dictation(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    dictation_id: int,
) -> None:
    widget = _worklist(qtbot, filled_workstation, sessions["typist"])
    assert widget.table.rowCount() == 1
    texts = [widget.table.item(0, c).text() for c in range(widget.table.columnCount())]
    assert texts[0] == "Doe^Jane"
    assert texts[1] == "PID-1001"
    assert texts[COLUMNS.index("Author")] == "dr.house"
    assert texts[COLUMNS.index("Length")] == "0:01"
    assert texts[COLUMNS.index("Priority")] == "routine"
    assert texts[COLUMNS.index("State")] == "recorded"
    started = filled_workstation.dictations.get(dictation_id).started_at
    recorded = started.astimezone().strftime("%Y-%m-%d %H:%M")
    assert texts[COLUMNS.index("Recorded")] == recorded


def test_claim_locks_to_one_typist(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    dictation_id: int,
) -> None:
    first = _worklist(qtbot, filled_workstation, sessions["typist"])
    second = _worklist(qtbot, filled_workstation, sessions["typist2"])
    first.select(dictation_id)
    second.select(dictation_id)
    assert second.claim_button.isEnabled()

    qtbot.mouseClick(first.claim_button, Qt.MouseButton.LeftButton)
    claimed = filled_workstation.dictations.get(dictation_id)
    assert claimed.state is DictationState.IN_TRANSCRIPTION
    assert claimed.locked_by == "typist"
    assert first.release_button.isEnabled()

    # The second list is stale: its click reaches the store, which refuses.
    assert second.claim_selected() is None
    assert "in transcription" in second.message_label.text()
    assert filled_workstation.dictations.get(dictation_id).locked_by == "typist"
    second.select(dictation_id)
    assert not second.claim_button.isEnabled()
    assert not second.release_button.isEnabled()
    last_change = second.table.item(0, COLUMNS.index("Last change")).text()
    assert last_change.startswith("typist,")


def test_release_returns_to_worklist(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    dictation_id: int,
) -> None:
    widget = _worklist(qtbot, filled_workstation, sessions["typist"])
    widget.select(dictation_id)
    widget.claim_selected()
    widget.select(dictation_id)
    qtbot.mouseClick(widget.release_button, Qt.MouseButton.LeftButton)
    released = filled_workstation.dictations.get(dictation_id)
    assert released.state is DictationState.RECORDED
    assert released.locked_by is None
    users = [
        event.user for event in filled_workstation.dictations.history(dictation_id)
    ]
    assert users[-2:] == ["typist", "typist"]


def _editor(qtbot: QtBot, station: Workstation, session: Session) -> ReportEditor:
    editor = ReportEditor(_reports(station), session)
    qtbot.addWidget(editor)
    return editor


def _transcribe(
    qtbot: QtBot,
    station: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> int:
    station.dictations.claim(dictation_id, "typist")
    editor = _editor(qtbot, station, sessions["typist"])
    with qtbot.waitSignal(editor.player.sig_loaded, timeout=10_000):
        report = editor.open_dictation(station.dictations.get(dictation_id), study)
    assert report is not None
    assert editor.header_labels["accession"].text() == "ACC-1"
    assert editor.header_labels["modality"].text() == "CT"
    assert not editor.sign_button.isEnabled()
    editor.text_edit.setPlainText(TEXT)
    qtbot.mouseClick(editor.transcribed_button, Qt.MouseButton.LeftButton)
    assert editor.report is not None
    assert editor.report.state is ReportState.TRANSCRIBED
    editor.shutdown()
    return report.id


def test_sign_needs_password(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    report_id = _transcribe(qtbot, filled_workstation, sessions, study, dictation_id)
    editor = _editor(qtbot, filled_workstation, sessions["dr.house"])
    reports = _reports(filled_workstation)
    editor.show_report(reports.get(report_id))
    dialog = editor.ask_signature()
    assert dialog is not None
    dialog.password_edit.setText("wrong-password")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "Wrong password" in dialog.error_label.text()
    assert reports.get(report_id).state is ReportState.TRANSCRIBED
    failures = [
        r
        for r in filled_workstation.audit.records()
        if r.event == audit_events.REPORT_SIGNED and r.outcome != "success"
    ]
    assert len(failures) == 1

    with qtbot.waitSignal(editor.sig_signed):
        dialog.password_edit.setText(PASSWORD)
        dialog.buttons.accepted.emit()
    signed = reports.get(report_id)
    assert signed.state is ReportState.SIGNED
    assert signed.signed_by == "dr.house"
    assert editor.text_edit.isReadOnly()
    dictation = filled_workstation.dictations.get(dictation_id)
    assert dictation.state is DictationState.SIGNED


def test_typist_cannot_sign(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    report_id = _transcribe(qtbot, filled_workstation, sessions, study, dictation_id)
    editor = _editor(qtbot, filled_workstation, sessions["typist"])
    editor.show_report(_reports(filled_workstation).get(report_id))
    assert not editor.sign_button.isEnabled()
    assert not editor.corrected_button.isEnabled()


def test_typist_editor_read_only_after_transcribed(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    report_id = _transcribe(qtbot, filled_workstation, sessions, study, dictation_id)
    editor = _editor(qtbot, filled_workstation, sessions["typist"])
    editor.show_report(_reports(filled_workstation).get(report_id))
    assert editor.text_edit.isReadOnly()
    assert not editor.save_button.isEnabled()
    radiologist = _editor(qtbot, filled_workstation, sessions["dr.house"])
    radiologist.show_report(_reports(filled_workstation).get(report_id))
    assert not radiologist.text_edit.isReadOnly()


def test_draft_saved_while_typing(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    filled_workstation.dictations.claim(dictation_id, "typist")
    editor = _editor(qtbot, filled_workstation, sessions["typist"])
    editor.autosave_timer.setInterval(50)
    with qtbot.waitSignal(editor.player.sig_loaded, timeout=10_000):
        report = editor.open_dictation(
            filled_workstation.dictations.get(dictation_id), study
        )
    assert report is not None
    reports = _reports(filled_workstation)
    editor.text_edit.insertPlainText(TEXT)
    qtbot.waitUntil(lambda: reports.get(report.id).text == TEXT, timeout=5_000)

    reopened = _editor(qtbot, filled_workstation, sessions["typist"])
    with qtbot.waitSignal(reopened.player.sig_loaded, timeout=10_000):
        reopened.open_dictation(filled_workstation.dictations.get(dictation_id), study)
    assert reopened.text_edit.toPlainText() == TEXT
    editor.shutdown()
    reopened.shutdown()


def test_draft_saved_during_steady_typing(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    filled_workstation.dictations.claim(dictation_id, "typist")
    editor = _editor(qtbot, filled_workstation, sessions["typist"])
    report = editor.open_dictation(
        filled_workstation.dictations.get(dictation_id), study
    )
    assert report is not None
    reports = _reports(filled_workstation)

    # One keystroke every 100 ms never leaves the 2 s pause of the quiet-period
    # save, so only the maximum wait can save the draft while typing goes on.
    typist = QTimer()
    typist.setInterval(100)
    typist.timeout.connect(lambda: editor.text_edit.insertPlainText("a"))
    started = time.monotonic()
    typist.start()
    try:
        qtbot.waitUntil(lambda: reports.get(report.id).text != "", timeout=8_000)
        elapsed = time.monotonic() - started
    finally:
        typist.stop()
    assert elapsed < AUTOSAVE_MAX_WAIT_MS / 1000 + 1.5
    assert editor.text_edit.toPlainText().startswith(reports.get(report.id).text)
    editor.shutdown()


# Types into the report editor of a claimed dictation like a user, then keeps
# running until the parent kills it: argv is the data directory, the
# dictation id and the text to type.
_TYPING_CHILD = """
import sys
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pacs_desktop.core.dictation.report import ReportStore
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.dictation.report_editor import ReportEditor

app = QApplication([])
station = Workstation(Path(sys.argv[1]))
dictation = station.dictations.get(int(sys.argv[2]))
study = station.archive.study(dictation.StudyInstanceUID)
session = station.users.authenticate("typist", sys.argv[4])
reports = ReportStore(
    station.database, station.users, station.audit, station.dictations
)
editor = ReportEditor(reports, session)
editor.autosave_timer.setInterval(200)
editor.show()
editor.open_dictation(dictation, study)
editor.text_edit.setFocus()
QTest.keyClicks(editor.text_edit, sys.argv[3])
print("typed", flush=True)
app.exec()
"""


def test_draft_survives_kill(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    filled_workstation.dictations.claim(dictation_id, "typist")
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _TYPING_CHILD,
            str(filled_workstation.data_dir),
            str(dictation_id),
            TEXT,
            PASSWORD,
        ],
        stdout=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    reports = _reports(filled_workstation)
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"typed\n"

        def saved() -> bool:
            report = reports.for_dictation(dictation_id)
            return report is not None and report.text == TEXT

        qtbot.waitUntil(saved, timeout=10_000)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    editor = _editor(qtbot, filled_workstation, sessions["typist"])
    with qtbot.waitSignal(editor.player.sig_loaded, timeout=10_000):
        editor.open_dictation(filled_workstation.dictations.get(dictation_id), study)
    assert editor.text_edit.toPlainText() == TEXT
    assert not editor.text_edit.isReadOnly()
    editor.shutdown()


def test_shutdown_saves_typed_draft(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    filled_workstation.dictations.claim(dictation_id, "typist")
    editor = _editor(qtbot, filled_workstation, sessions["typist"])
    report = editor.open_dictation(
        filled_workstation.dictations.get(dictation_id), study
    )
    assert report is not None
    editor.text_edit.insertPlainText(TEXT)
    editor.shutdown()
    assert _reports(filled_workstation).get(report.id).text == TEXT


def test_radiologist_releases_stale_claim(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    dictation_id: int,
) -> None:
    filled_workstation.dictations.claim(dictation_id, "typist")
    widget = _worklist(qtbot, filled_workstation, sessions["dr.house"])
    asked: list[int] = []
    widget.confirm_override = lambda d: asked.append(d.id) is None
    widget.select(dictation_id)
    assert widget.release_button.isEnabled()
    qtbot.mouseClick(widget.release_button, Qt.MouseButton.LeftButton)
    assert asked == [dictation_id]
    released = filled_workstation.dictations.get(dictation_id)
    assert released.state is DictationState.RECORDED
    assert released.locked_by is None
    records = _dictation_events(filled_workstation, audit_events.DICTATION_TRANSCRIBED)
    assert records[-1].user == "dr.house"
    assert records[-1].patient_name == "Doe^Jane"


def test_declined_override_keeps_claim(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    dictation_id: int,
) -> None:
    filled_workstation.dictations.claim(dictation_id, "typist")
    widget = _worklist(qtbot, filled_workstation, sessions["dr.house"])
    widget.confirm_override = lambda _d: False
    widget.select(dictation_id)
    assert widget.release_selected() is None
    assert filled_workstation.dictations.get(dictation_id).locked_by == "typist"


def test_worklist_key_columns_visible(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    dictation_id: int,
) -> None:
    filled_workstation.dictations.claim(dictation_id, "typist")
    window = TranscriptionWindow(
        filled_workstation, _reports(filled_workstation), sessions["typist"]
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    table = window.worklist.table
    viewport = table.viewport().width()
    for title in ("State", "Locked by", "Recorded", "Length"):
        column = COLUMNS.index(title)
        right = table.columnViewportPosition(column) + table.columnWidth(column)
        assert 0 < right <= viewport, title
    window.shutdown()


def _second_dictation(station: Workstation, study: StudyRecord, tmp_path: Path) -> int:
    return import_audio_file(
        station.dictations,
        station.archive,
        station.data_dir / "dictations",
        study_uid=study.StudyInstanceUID,
        audio_file=_tone_wav(tmp_path / "second.wav"),
        patient_id=study.PatientID,
        user="dr.house",
    ).id


def _window(
    qtbot: QtBot, station: Workstation, session: Session
) -> TranscriptionWindow:
    window = TranscriptionWindow(station, _reports(station), session)
    qtbot.addWidget(window)
    return window


def _open_in_window(
    qtbot: QtBot, window: TranscriptionWindow, dictation_id: int
) -> None:
    assert window.worklist.select(dictation_id)
    with qtbot.waitSignal(window.editor.player.sig_loaded, timeout=10_000):
        qtbot.mouseClick(window.worklist.open_button, Qt.MouseButton.LeftButton)
    assert window.editor.report is not None


def test_signed_row_leaves_editor_empty(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
    *,
    tmp_path: Path,
) -> None:
    _transcribe(qtbot, filled_workstation, sessions, study, dictation_id)
    other_id = _second_dictation(filled_workstation, study, tmp_path)
    window = _window(qtbot, filled_workstation, sessions["dr.house"])
    _open_in_window(qtbot, window, dictation_id)

    dialog = window.editor.ask_signature()
    assert dialog is not None
    with qtbot.waitSignal(window.editor.sig_signed):
        dialog.password_edit.setText(PASSWORD)
        dialog.buttons.accepted.emit()

    worklist = window.worklist
    assert [d.id for d in worklist.dictations] == [other_id]
    assert worklist.selected() is None
    assert not worklist.open_button.isEnabled()
    assert window.editor.report is None
    assert window.editor.text_edit.toPlainText() == ""
    assert worklist.message_label.text() == "The report is signed."
    window.shutdown()


def test_other_row_closes_editor(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
    *,
    tmp_path: Path,
) -> None:
    other_id = _second_dictation(filled_workstation, study, tmp_path)
    filled_workstation.dictations.claim(dictation_id, "typist")
    window = _window(qtbot, filled_workstation, sessions["typist"])
    _open_in_window(qtbot, window, dictation_id)
    report = window.editor.report
    assert report is not None
    window.editor.text_edit.insertPlainText(TEXT)

    assert window.worklist.select(other_id)
    assert window.editor.report is None
    assert window.editor.text_edit.isReadOnly()
    assert _reports(filled_workstation).get(report.id).text == TEXT
    window.shutdown()


def test_worklist_follows_release_elsewhere(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    window = _window(qtbot, filled_workstation, sessions["typist"])
    worklist = window.worklist
    worklist.change_check_timer.setInterval(100)
    assert worklist.select(dictation_id)
    with qtbot.waitSignal(window.editor.player.sig_loaded, timeout=10_000):
        qtbot.mouseClick(worklist.claim_button, Qt.MouseButton.LeftButton)
    assert not worklist.refresh_if_changed()
    state_column = COLUMNS.index("State")
    assert worklist.table.item(0, state_column).text() == "in transcription"

    # A second connection to the database, as `pacs-desktop dictation release`
    # in another process opens.
    elsewhere = Workstation(filled_workstation.data_dir)
    try:
        elsewhere.dictations.release(dictation_id, "admin-os", override=True)
    finally:
        elsewhere.close()

    def shows_recorded() -> bool:
        return worklist.table.item(0, state_column).text() == "recorded"

    qtbot.waitUntil(shows_recorded, timeout=5_000)
    assert worklist.table.item(0, COLUMNS.index("Locked by")).text() == ""
    assert worklist.selected() is not None
    assert window.editor.report is not None
    expected = "This dictation is no longer claimed by you; claim it again to type."
    assert window.editor.message_label.text() == expected
    window.editor.text_edit.insertPlainText(TEXT)
    assert window.editor.save() is None
    assert window.editor.message_label.text() == expected

    # Claiming again saves the text typed meanwhile.
    qtbot.mouseClick(worklist.claim_button, Qt.MouseButton.LeftButton)
    report = _reports(filled_workstation).for_dictation(dictation_id)
    assert report is not None
    assert report.text == TEXT
    window.shutdown()


def test_amend_keeps_signed_version(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    report_id = _transcribe(qtbot, filled_workstation, sessions, study, dictation_id)
    reports = _reports(filled_workstation)
    reports.sign(report_id, sessions["dr.house"], PASSWORD)
    editor = _editor(qtbot, filled_workstation, sessions["dr.house"])
    editor.show_report(reports.get(report_id))
    assert editor.amend_button.isEnabled()
    qtbot.mouseClick(editor.amend_button, Qt.MouseButton.LeftButton)
    assert editor.report is not None
    assert editor.report.version == 2
    assert not editor.text_edit.isReadOnly()
    editor.text_edit.setPlainText(TEXT + " Addendum.")
    editor.save()
    old = reports.get(report_id)
    assert old.state is ReportState.SIGNED
    assert old.text == TEXT


def test_recovery_dialog_finishes(
    qtbot: QtBot, filled_workstation: Workstation, study: StudyRecord
) -> None:
    store = filled_workstation.dictations
    dictation = store.create(
        RecordingBinding.for_study(study, "dr.house"),
        sample_rate=16000,
        state=DictationState.RECOVERED,
    )
    dialog = RecoveryDialog(store, "dr.house")
    qtbot.addWidget(dialog)
    assert dialog.list_widget.count() == 1
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert store.get(dictation.id).state is DictationState.RECORDED
    assert dialog.result() == dialog.DialogCode.Accepted


@pytest.fixture
def desk(
    qtbot: QtBot, filled_workstation: Workstation, sessions: dict[str, Session]
) -> Iterator[DictationDesk]:
    """The dictation desk of a radiologist in a bare main window."""
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = DictationDesk(window, filled_workstation, sessions["dr.house"])
    with qtbot.waitSignal(desk.sig_pending_checked, timeout=10_000):
        pass
    yield desk
    desk.shutdown()


def _publish_recording(
    qtbot: QtBot, desk: DictationDesk, dictation_id: int
) -> Published:
    assert desk.panel is not None
    dictation = desk.workstation.dictations.get(dictation_id)
    with qtbot.waitSignal(desk.sig_published, timeout=10_000) as published:
        desk.panel.sig_recording_finished.emit(dictation)
    result: Published = published.args[0]
    return result


def test_desk_archives_without_send_node(
    qtbot: QtBot, desk: DictationDesk, dictation_id: int
) -> None:
    published = _publish_recording(qtbot, desk, dictation_id)
    assert published.send_job_id is None
    assert desk.workstation.archive.instance_path(published.SOPInstanceUID)
    assert SyncQueue(desk.workstation.database).list_jobs() == []


def test_desk_queues_audio_for_send_node(
    qtbot: QtBot, desk: DictationDesk, dictation_id: int
) -> None:
    Settings(desk.workstation.data_dir).set("dictation.send_node", "PACS")
    published = _publish_recording(qtbot, desk, dictation_id)
    jobs = SyncQueue(desk.workstation.database).list_jobs()
    assert [job.id for job in jobs] == [published.send_job_id]
    assert jobs[0].node == "PACS"
    assert jobs[0].uids == [published.SeriesInstanceUID]


def test_desk_queues_signed_report(
    qtbot: QtBot,
    desk: DictationDesk,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    filled_workstation = desk.workstation
    Settings(filled_workstation.data_dir).set("dictation.send_node", "PACS")
    report_id = _transcribe(qtbot, filled_workstation, sessions, study, dictation_id)
    reports = _reports(filled_workstation)
    signed = reports.sign(report_id, sessions["dr.house"], PASSWORD)
    window = desk.show_worklist()
    with qtbot.waitSignal(desk.sig_published, timeout=10_000) as published:
        window.editor.sig_signed.emit(signed)
    result: Published = published.args[0]
    jobs = SyncQueue(filled_workstation.database).list_jobs()
    assert [job.id for job in jobs] == [result.send_job_id]
    assert jobs[0].uids == [result.SeriesInstanceUID]
    assert reports.get(report_id).sr_sop_instance_uid == result.SOPInstanceUID


def test_desk_applies_dictation_settings(
    qtbot: QtBot, filled_workstation: Workstation, sessions: dict[str, Session]
) -> None:
    settings = Settings(filled_workstation.data_dir)
    settings.set("dictation.shortcut_rewind", "F2")
    settings.set("dictation.shortcut_forward", "F3")
    settings.set("dictation.shortcut_record", "Ctrl+R")
    settings.set("dictation.max_seconds", 120)
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = DictationDesk(window, filled_workstation, sessions["dr.house"])
    try:
        assert desk.panel is not None
        assert desk.panel.max_seconds == 120.0
        record_key = desk.panel.shortcut_actions["record"].shortcut()
        assert record_key.toString() == "Ctrl+R"
        player = desk.show_worklist().editor.player
        actions = player.shortcut_actions
        assert actions["skip_back"].shortcut().toString() == "F2"
        assert actions["skip_forward"].shortcut().toString() == "F3"
        assert actions["play_pause"].shortcut().toString() == "F10"
    finally:
        desk.shutdown()


def _study_panel(
    qtbot: QtBot, station: Workstation, session: Session | None = None
) -> StudyDictationsPanel:
    panel = StudyDictationsPanel(
        station.dictations,
        _reports(station),
        station.archive,
        station.data_dir / "dictations",
        session=session,
    )
    qtbot.addWidget(panel)
    return panel


def _show(qtbot: QtBot, panel: StudyDictationsPanel, study: StudyRecord) -> object:
    with qtbot.waitSignal(panel.sig_listed, timeout=10_000) as listed:
        panel.set_study(study)
    return listed.args[0]


def test_study_panel_plays_dictation(
    qtbot: QtBot, filled_workstation: Workstation, study: StudyRecord, dictation_id: int
) -> None:
    panel = _study_panel(qtbot, filled_workstation)
    _show(qtbot, panel, study)
    assert panel.list_widget.count() == 1
    assert "dr.house" in panel.list_widget.item(0).text()
    with qtbot.waitSignal(panel.sig_audio_loaded, timeout=10_000) as loaded:
        assert panel.select(dictation_id)
    assert loaded.args[0].duration_seconds == pytest.approx(1.0)
    assert panel.player.play_button.isEnabled()

    panel.set_study(None)
    assert panel.list_widget.count() == 0
    assert panel.player.player is None
    assert not panel.player.play_button.isEnabled()
    panel.shutdown()


def test_study_panel_lists_only_its_study(
    qtbot: QtBot, filled_workstation: Workstation, study: StudyRecord, dictation_id: int
) -> None:
    from pacs_desktop.core.archive.query import StudyQuery

    other = filled_workstation.archive.find_studies(StudyQuery(patient_id="PID-1002"))
    panel = _study_panel(qtbot, filled_workstation)
    # The first study's result arrives after the second opened and is dropped.
    panel.set_study(study)
    found = _show(qtbot, panel, other[0])
    assert found.StudyInstanceUID == other[0].StudyInstanceUID  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.runner.active_count() == 0, timeout=10_000)
    assert panel.list_widget.count() == 0
    panel.shutdown()


def test_study_panel_registers_received_audio(
    qtbot: QtBot, filled_workstation: Workstation, study: StudyRecord
) -> None:
    tone = (8000 * np.sin(np.arange(8000) * 2 * np.pi * 440 / 8000)).astype(np.int16)
    source = study_source(filled_workstation.archive, study.StudyInstanceUID)
    received = build_voice_audio(
        tone, 8000, source, acquired=datetime.now(timezone.utc), author="dr.elsewhere"
    )
    outcome = filled_workstation.archive.store_received(received, "test")
    assert outcome.reason == ""
    panel = _study_panel(qtbot, filled_workstation)
    found = _show(qtbot, panel, study)
    dictations = found.dictations  # type: ignore[attr-defined]
    assert [d.state for d in dictations] == [DictationState.RECEIVED]
    assert dictations[0].author == "dr.elsewhere"
    assert "dr.elsewhere" in panel.list_widget.item(0).text()
    panel.shutdown()


def test_study_panel_shows_signed_report(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
) -> None:
    reports = _reports(filled_workstation)
    draft = reports.create(ReportHeader.from_study(study), user="dr.house", text=TEXT)
    reports.sign(draft.id, sessions["dr.house"], PASSWORD)
    panel = _study_panel(qtbot, filled_workstation)
    _show(qtbot, panel, study)
    assert panel.report_view.toPlainText() == TEXT
    panel.set_study(None)
    assert panel.report_view.toPlainText() == ""
    panel.shutdown()


def test_study_panel_amends_signed_report(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    report_id = _transcribe(qtbot, filled_workstation, sessions, study, dictation_id)
    reports = _reports(filled_workstation)
    reports.sign(report_id, sessions["dr.house"], PASSWORD)
    panel = _study_panel(qtbot, filled_workstation, sessions["dr.house"])
    _show(qtbot, panel, study)
    assert not panel.amend_button.isEnabled()
    with qtbot.waitSignal(panel.sig_audio_loaded, timeout=10_000):
        assert panel.select(dictation_id)
    assert panel.amend_button.isEnabled()

    editor = panel.amend_selected()
    assert editor is not None
    assert editor.report is not None
    assert editor.report.version == 2
    qtbot.waitUntil(editor.player.play_button.isEnabled, timeout=10_000)
    assert editor.player.player is not None
    assert editor.player.player.duration_seconds == pytest.approx(1.0)
    assert not editor.text_edit.isReadOnly()
    editor.text_edit.setPlainText(TEXT + " Addendum.")
    dialog = editor.ask_signature()
    assert dialog is not None
    with qtbot.waitSignal(panel.sig_report_signed) as signed:
        dialog.password_edit.setText(PASSWORD)
        dialog.buttons.accepted.emit()
    amended = signed.args[0]
    assert amended.state is ReportState.SIGNED
    assert amended.previous_id == report_id
    assert amended.text == TEXT + " Addendum."
    old = reports.get(report_id)
    assert old.state is ReportState.SIGNED
    assert old.text == TEXT
    panel.shutdown()


def test_study_panel_amend_hidden_for_typist(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    study: StudyRecord,
) -> None:
    panel = _study_panel(qtbot, filled_workstation, sessions["typist"])
    _show(qtbot, panel, study)
    assert not panel.amend_button.isVisibleTo(panel)
    assert panel.amend_selected() is None
    panel.shutdown()


def test_desk_study_dock_follows_study(
    qtbot: QtBot, desk: DictationDesk, study: StudyRecord, dictation_id: int
) -> None:
    panel = desk.study_panel
    assert panel is not None
    with qtbot.waitSignal(panel.sig_listed, timeout=10_000):
        desk.set_study(study)
    assert panel.list_widget.count() == 1
    desk.set_study(None)
    assert panel.list_widget.count() == 0
    assert desk.panel is not None
    assert desk.panel.study is None


def _dictation_events(station: Workstation, event: str) -> list[AuditRecord]:
    return [record for record in station.audit.records() if record.event == event]


def test_desk_audits_recording(
    qtbot: QtBot, desk: DictationDesk, dictation_id: int
) -> None:
    _publish_recording(qtbot, desk, dictation_id)

    (record,) = _dictation_events(desk.workstation, audit_events.DICTATION_RECORDED)
    dictation = desk.workstation.dictations.get(dictation_id)
    study = desk.workstation.archive.study(dictation.StudyInstanceUID)
    assert study is not None
    assert record.user == "dr.house"
    assert record.patient_id == dictation.PatientID
    assert record.patient_name == study.PatientName
    assert record.study_uids == (dictation.StudyInstanceUID,)


def test_desk_publishes_amendment_from_study_list(
    qtbot: QtBot,
    desk: DictationDesk,
    sessions: dict[str, Session],
    study: StudyRecord,
    dictation_id: int,
) -> None:
    filled_workstation = desk.workstation
    report_id = _transcribe(qtbot, filled_workstation, sessions, study, dictation_id)
    signed = _reports(filled_workstation).sign(
        report_id, sessions["dr.house"], PASSWORD
    )
    panel = desk.study_panel
    assert panel is not None
    assert panel.amend_button.isVisibleTo(panel)

    with qtbot.waitSignal(desk.sig_published, timeout=10_000) as published:
        panel.sig_report_signed.emit(signed)

    result: Published = published.args[0]
    assert result.StudyInstanceUID == study.StudyInstanceUID


def test_desk_study_list_follows_worklist(
    qtbot: QtBot, desk: DictationDesk, study: StudyRecord, dictation_id: int
) -> None:
    panel = desk.study_panel
    assert panel is not None
    with qtbot.waitSignal(panel.sig_listed, timeout=10_000):
        desk.set_study(study)
    window = desk.show_worklist()

    with qtbot.waitSignal(panel.sig_listed, timeout=10_000):
        window.worklist.sig_changed.emit(desk.workstation.dictations.get(dictation_id))


def test_desk_publishes_left_recording(
    qtbot: QtBot,
    filled_workstation: Workstation,
    sessions: dict[str, Session],
    dictation_id: int,
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = DictationDesk(window, filled_workstation, sessions["dr.house"])
    # The check runs on a worker; its result arrives through the event loop.
    with qtbot.waitSignal(desk.sig_pending_checked, timeout=10_000) as checked:
        pass
    try:
        dictation = filled_workstation.dictations.get(dictation_id)
        assert checked.args == [1]
        assert filled_workstation.archive.instance_path(str(dictation.audio_object_uid))
    finally:
        desk.shutdown()


def test_administrator_opens_worklist(
    qtbot: QtBot, filled_workstation: Workstation, sessions: dict[str, Session]
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    desk = DictationDesk(window, filled_workstation, sessions["admin"])
    try:
        assert desk.worklist_action.isEnabled()
    finally:
        desk.shutdown()


def test_desk_audits_playback(
    qtbot: QtBot, desk: DictationDesk, study: StudyRecord, dictation_id: int
) -> None:
    panel = desk.study_panel
    assert panel is not None
    with qtbot.waitSignal(panel.sig_listed, timeout=10_000):
        desk.set_study(study)

    with qtbot.waitSignal(panel.sig_audio_loaded, timeout=10_000):
        panel.list_widget.setCurrentRow(0)

    (record,) = _dictation_events(desk.workstation, audit_events.DICTATION_PLAYED)
    assert record.user == "dr.house"
    assert record.study_uids == (study.StudyInstanceUID,)


def _tone_wav(path: Path) -> Path:
    tone = 8000 * np.sin(np.arange(16000) * 2 * np.pi * 300 / 16000)
    soundfile.write(path, tone.astype(np.int16), 16000, subtype="PCM_16")
    return path


def test_import_audio_needs_confirmation(
    qtbot: QtBot, desk: DictationDesk, study: StudyRecord, tmp_path: Path
) -> None:
    desk.set_study(study)
    assert desk.import_audio_action.isEnabled()

    desk.import_audio(_tone_wav(tmp_path / "handheld.wav"))
    dialog = desk.import_confirm_dialog
    assert dialog is not None
    dialog.answer_edit.setText("1999-12-31")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    dialog.answer_edit.setText("1970-03-15")
    with qtbot.waitSignal(desk.sig_published, timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    imported = desk.workstation.dictations.find(study_uid=study.StudyInstanceUID)
    assert [dictation.source for dictation in imported] == ["imported"]
    assert imported[0].PatientID == study.PatientID


def test_import_audio_cancelled_imports_nothing(
    qtbot: QtBot, desk: DictationDesk, study: StudyRecord, tmp_path: Path
) -> None:
    desk.set_study(study)
    desk.import_audio(_tone_wav(tmp_path / "handheld.wav"))
    dialog = desk.import_confirm_dialog
    assert dialog is not None

    dialog.reject()

    assert desk.workstation.dictations.find(study_uid=study.StudyInstanceUID) == []


def test_import_audio_disabled_without_study(desk: DictationDesk) -> None:
    desk.set_study(None)

    assert not desk.import_audio_action.isEnabled()


def test_study_panel_import_button(
    qtbot: QtBot,
    desk: DictationDesk,
    study: StudyRecord,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    wav = _tone_wav(tmp_path / "handheld.wav")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(wav), "")
    )
    assert desk.study_panel is not None
    button = desk.study_panel.import_button
    desk.set_study(None)
    assert not button.isEnabled()

    desk.set_study(study)
    assert button.isVisibleTo(desk.study_panel)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    dialog = desk.import_confirm_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.reject()
