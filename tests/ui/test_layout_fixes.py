"""Dialog and window layouts: nothing clipped, nothing wider than the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.browser.filter_bar import FilterBar
from pacs_desktop.ui.confirm import ConfirmPatientDialog
from pacs_desktop.ui.login import LoginDialog
from pacs_desktop.ui.main_window import MainWindow

ADMIN_NAME = "admin"
WRONG_LOGINS = 6


def unclipped(label: QLabel) -> bool:
    return label.height() >= label.heightForWidth(label.width())


def show_dialog(qtbot: QtBot, dialog: QWidget) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)


def submit_login(qtbot: QtBot, dialog: LoginDialog, name: str, password: str) -> None:
    dialog.name_edit.setText(name)
    dialog.password_edit.setText(password)
    dialog.repeat_edit.setText(password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    QApplication.processEvents()


def test_lockout_message_not_clipped(
    qtbot: QtBot, workstation: Workstation, admin_session: object
) -> None:
    dialog = LoginDialog(workstation.users)
    show_dialog(qtbot, dialog)
    for _ in range(WRONG_LOGINS):
        submit_login(qtbot, dialog, ADMIN_NAME, "wrong password")

    assert "try again after" in dialog.error_label.text()
    assert unclipped(dialog.error_label)


def test_policy_message_not_clipped(qtbot: QtBot, workstation: Workstation) -> None:
    dialog = LoginDialog(workstation.users)
    show_dialog(qtbot, dialog)
    intro = dialog.findChildren(QLabel)[0]
    intro_height = intro.height()

    submit_login(qtbot, dialog, ADMIN_NAME, "short")

    assert dialog.error_label.isVisible()
    assert unclipped(dialog.error_label)
    assert intro.height() >= intro_height


def test_confirm_error_keeps_labels(
    qtbot: QtBot, filled_workstation: Workstation
) -> None:
    (study,) = filled_workstation.archive.find_studies(
        StudyQuery(patient_id="PID-1001")
    )
    dialog = ConfirmPatientDialog(study, filled_workstation.audit, ADMIN_NAME)
    show_dialog(qtbot, dialog)
    name_label = dialog.findChild(QLabel, "name")
    birth_label = dialog.findChild(QLabel, "birth_date")
    assert name_label is not None
    assert birth_label is not None
    name_height = name_label.height()
    birth_height = birth_label.height()

    dialog.answer_edit.setText("1999-01-01")
    qtbot.keyClick(dialog.answer_edit, Qt.Key.Key_Return)
    QApplication.processEvents()

    assert unclipped(dialog.error_label)
    assert name_label.height() == name_height
    assert birth_label.height() == birth_height


def test_date_fields_show_whole_date(qtbot: QtBot) -> None:
    bar = FilterBar()
    show_dialog(qtbot, bar)
    bar.resize(bar.minimumSizeHint())
    QApplication.processEvents()
    for edit in (bar.date_from_edit, bar.date_to_edit):
        edit.setText("2024-12-31")
        edit.setCursorPosition(0)
        edit.setCursorPosition(len(edit.text()))
        end_x = edit.cursorRect().center().x()
        edit.setCursorPosition(0)
        start_x = edit.cursorRect().center().x()
        text_width = edit.fontMetrics().horizontalAdvance(edit.text())
        clear_button = edit.findChild(QToolButton)
        assert clear_button is not None
        assert end_x - start_x >= text_width, edit.objectName()
        assert end_x < clear_button.geometry().left(), edit.objectName()


def test_main_window_fits_1280_screen(
    qtbot: QtBot, workstation: Workstation, admin_session: Session
) -> None:
    window = MainWindow(workstation, admin_session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    minimum = window.minimumSizeHint().width()
    available = window.screen().availableGeometry()
    window.close()
    assert minimum <= 1280 * 9 // 10
    assert window.width() <= max(available.width() * 9 // 10, minimum)


def test_filter_bar_fits_beside_docks(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)

    # Beside the 474-pixel dictation dock, the window must fit 90 % of 1280.
    assert bar.minimumSizeHint().width() <= 1280 * 9 // 10 - 474
