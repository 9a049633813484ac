"""Main window: import with summary, drag and drop, confirmation before opening."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import ImportSummary, StudyQuery, StudyRecord
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.audit import AuditRecord
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.help_dialogs import window_actions
from pacs_desktop.ui.main_window import MainWindow


@pytest.fixture
def window(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> Iterator[MainWindow]:
    main = MainWindow(workstation, admin_session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def import_and_wait(
    qtbot: QtBot, window: MainWindow, paths: list[Path]
) -> ImportSummary:
    with qtbot.waitSignal(window.sig_import_finished, timeout=30_000) as blocker:
        assert window.start_import(paths)
    return blocker.args[0]


def close_summary(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.summary_dialog
    assert dialog is not None
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)


def events(workstation: Workstation, name: str) -> list[AuditRecord]:
    return [record for record in workstation.audit.records() if record.event == name]


def test_import_fills_table(
    qtbot: QtBot, window: MainWindow, sample_folder: Path, workstation: Workstation
) -> None:
    assert window.browser.row_count() == 0
    import_and_wait(qtbot, window, [sample_folder])

    assert window.browser.row_count() == 4
    assert window.summary_dialog is not None
    assert window.summary_dialog.isVisible()
    assert "Imported: 10 files" in window.summary_dialog.counts_label.text()
    assert len(events(workstation, audit_events.INSTANCES_IMPORTED)) == 1
    close_summary(qtbot, window)


def test_import_lists_rejected_files(
    qtbot: QtBot, window: MainWindow, sample_folder: Path
) -> None:
    # A DICOM file cut inside its data set is broken, so it is rejected.
    source = next(path for path in sorted(sample_folder.rglob("*")) if path.is_file())
    bad = sample_folder / "cut.dcm"
    bad.write_bytes(source.read_bytes()[:400])
    import_and_wait(qtbot, window, [sample_folder])

    dialog = window.summary_dialog
    assert dialog is not None
    assert "Rejected: 1 files" in dialog.counts_label.text()
    lines = dialog.rejected_text.toPlainText().splitlines()
    assert lines[0].startswith("cut.dcm: ")
    assert lines[1].strip() == str(sample_folder)
    wrap = dialog.rejected_text.lineWrapMode()
    assert wrap == QPlainTextEdit.LineWrapMode.WidgetWidth
    close_summary(qtbot, window)


def test_import_lists_skipped_files(
    qtbot: QtBot, window: MainWindow, sample_folder: Path
) -> None:
    (sample_folder / "LICENSE").write_text("Creative Commons\n", encoding="utf-8")
    import_and_wait(qtbot, window, [sample_folder])

    dialog = window.summary_dialog
    assert dialog is not None
    counts = dialog.counts_label.text()
    assert "Rejected: 0 files" in counts
    assert "Skipped (not DICOM): 1 files" in counts
    lines = dialog.rejected_text.toPlainText().splitlines()
    assert lines == ["LICENSE", f"    {sample_folder}"]
    assert dialog.rejected_text.isVisibleTo(dialog)
    close_summary(qtbot, window)


def test_drag_of_files_is_accepted(window: MainWindow, sample_folder: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_folder))])
    # PySide6 6.12 offers only the QPoint constructor, which it marks deprecated.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(50, 50),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    enter.ignore()
    window.dragEnterEvent(enter)
    assert enter.isAccepted()


def test_drop_starts_import(
    qtbot: QtBot, window: MainWindow, sample_folder: Path
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_folder))])
    drop = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # QApplication delivers drop events only during a real drag, so the test
    # calls the handler that such a drag would reach.
    with qtbot.waitSignal(window.sig_import_finished, timeout=30_000):
        window.dropEvent(drop)
    assert drop.isAccepted()
    assert window.browser.row_count() == 4
    close_summary(qtbot, window)


def open_with_confirmation(
    qtbot: QtBot, window: MainWindow, study: StudyRecord, typed: str
) -> None:
    window.request_open(study)
    dialog = window.confirm_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.answer_edit, typed)
    qtbot.keyClick(dialog.answer_edit, Qt.Key.Key_Return)


@pytest.fixture
def imported(qtbot: QtBot, window: MainWindow, sample_folder: Path) -> MainWindow:
    import_and_wait(qtbot, window, [sample_folder])
    close_summary(qtbot, window)
    return window


def study_of(workstation: Workstation, patient_id: str) -> StudyRecord:
    (study,) = workstation.archive.find_studies(StudyQuery(patient_id=patient_id))
    return study


def test_wrong_birth_date_opens_nothing(
    qtbot: QtBot, imported: MainWindow, workstation: Workstation
) -> None:
    study = study_of(workstation, "PID-1001")
    open_with_confirmation(qtbot, imported, study, "1999-01-01")

    assert imported.confirm_dialog is not None
    assert imported.confirm_dialog.isVisible()
    assert imported.stack.currentWidget() is imported.browser
    assert events(workstation, audit_events.STUDY_OPENED) == []
    imported.confirm_dialog.reject()


def test_right_birth_date_opens_viewer(
    qtbot: QtBot, imported: MainWindow, workstation: Workstation
) -> None:
    study = study_of(workstation, "PID-1001")
    with qtbot.waitSignal(imported.sig_study_opened, timeout=10_000):
        open_with_confirmation(qtbot, imported, study, "1970-03-15")

    assert imported.stack.currentWidget() is imported.viewer
    (opened,) = events(workstation, audit_events.STUDY_OPENED)
    assert opened.patient_id == "PID-1001"
    assert list(opened.study_uids) == [study.StudyInstanceUID]


def test_other_patient_asks_again(
    qtbot: QtBot, imported: MainWindow, workstation: Workstation
) -> None:
    with qtbot.waitSignal(imported.sig_study_opened, timeout=10_000):
        open_with_confirmation(
            qtbot, imported, study_of(workstation, "PID-1001"), "1970-03-15"
        )
    imported.show_browser()

    imported.request_open(study_of(workstation, "PID-1002"))
    assert imported.confirm_dialog is not None
    assert imported.stack.currentWidget() is imported.browser
    imported.confirm_dialog.reject()


def test_same_patient_opens_without_asking(
    qtbot: QtBot, imported: MainWindow, workstation: Workstation
) -> None:
    study = study_of(workstation, "PID-1001")
    with qtbot.waitSignal(imported.sig_study_opened, timeout=10_000):
        open_with_confirmation(qtbot, imported, study, "1970-03-15")
    qtbot.waitUntil(lambda: imported.confirm_dialog is None, timeout=3000)
    imported.show_browser()

    with qtbot.waitSignal(imported.sig_study_opened, timeout=10_000):
        imported.request_open(study)
    assert imported.confirm_dialog is None
    assert len(events(workstation, audit_events.STUDY_OPENED)) == 2


def test_close_records_logout(window: MainWindow, workstation: Workstation) -> None:
    window.close()
    assert len(events(workstation, audit_events.LOGOUT)) == 1


def test_log_out_ends_session(
    qtbot: QtBot, imported: MainWindow, workstation: Workstation
) -> None:
    with qtbot.waitSignal(imported.sig_study_opened, timeout=10_000):
        open_with_confirmation(
            qtbot, imported, study_of(workstation, "PID-1001"), "1970-03-15"
        )
    viewer = imported.viewer
    assert viewer is not None

    imported.logout_action.trigger()

    assert not imported.isVisible()
    assert imported.returns_to_login
    assert viewer.series_list.count() == 0
    assert viewer.current_index is None
    (logout,) = events(workstation, audit_events.LOGOUT)
    assert logout.user == "admin"


def test_quit_does_not_return_to_login(
    window: MainWindow, workstation: Workstation
) -> None:
    window.quit_action.trigger()
    assert not window.isVisible()
    assert not window.returns_to_login


def test_log_out_in_file_menu(window: MainWindow) -> None:
    (file_menu,) = [
        action.menu()
        for action in window.menuBar().actions()
        if action.text() == "&File"
    ]
    entries = file_menu.actions()
    assert window.logout_action in entries
    assert entries.index(window.logout_action) < entries.index(window.quit_action)


def test_log_out_key_is_unique(window: MainWindow) -> None:
    key = window.logout_action.shortcut()
    assert key == QKeySequence("Ctrl+Shift+L")
    others = [
        action
        for action in window_actions(window)
        if action is not window.logout_action and action.shortcut() == key
    ]
    assert others == []


def test_cancelled_import_says_so(
    qtbot: QtBot, window: MainWindow, sample_folder: Path
) -> None:
    with qtbot.waitSignal(window.sig_import_finished, timeout=30_000) as blocker:
        assert window.start_import([sample_folder])
        assert window.progress_dialog is not None
        # What a click on the dialog's Cancel button emits.
        window.progress_dialog.canceled.emit()

    summary = blocker.args[0]
    assert summary.cancelled
    assert window.summary_dialog is not None
    assert window.summary_dialog.windowTitle() == "Import cancelled"
    assert window.import_task is None
    close_summary(qtbot, window)


def test_study_list_queries_are_audited_under_the_session_user(
    qtbot: QtBot, window: MainWindow, workstation: Workstation, admin_session: Session
) -> None:
    qtbot.waitUntil(lambda: bool(events(workstation, audit_events.QUERY)))

    (record,) = events(workstation, audit_events.QUERY)
    assert record.user == admin_session.user.name
    assert not record.os_account


def test_window_hidden_before_workers_stop(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.show()
    visible_at_shutdown: list[bool] = []
    shutdown = window.shutdown

    def record_then_shut_down() -> None:
        visible_at_shutdown.append(window.isVisible())
        shutdown()

    monkeypatch.setattr(window, "shutdown", record_then_shut_down)

    window.close()

    assert visible_at_shutdown == [False]


def test_viewer_audits_under_session_user(window: MainWindow) -> None:
    viewer = window._ensure_viewer()

    assert viewer.loader._user == window.user_name
