"""Patient confirmation: a wrong birth date opens nothing, the right one does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery, StudyRecord
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.confirm import ConfirmPatientDialog

USER = "admin"


def find_study(workstation: Workstation, patient_id: str) -> StudyRecord:
    (study,) = workstation.archive.find_studies(StudyQuery(patient_id=patient_id))
    return study


def make_dialog(
    qtbot: QtBot, workstation: Workstation, patient_id: str
) -> ConfirmPatientDialog:
    study = find_study(workstation, patient_id)
    dialog = ConfirmPatientDialog(study, workstation.audit, USER)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def submit(qtbot: QtBot, dialog: ConfirmPatientDialog, text: str) -> None:
    dialog.answer_edit.clear()
    qtbot.keyClicks(dialog.answer_edit, text)
    qtbot.keyClick(dialog.answer_edit, Qt.Key.Key_Return)


def failed_confirmations(workstation: Workstation) -> list[str]:
    return [
        record.patient_id or ""
        for record in workstation.audit.records()
        if record.event == audit_events.PATIENT_CONFIRMATION_FAILED
    ]


def label_text(dialog: ConfirmPatientDialog, name: str) -> str:
    label = dialog.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("name", "Doe, Jane"),
        ("patient_id", "PID-1001"),
        ("birth_date", "1970-03-15"),
        ("sex", "F"),
        ("accession", "ACC-1"),
        ("study_date", "2024-01-10 09:30"),
        ("description", "CT abdomen"),
        ("modality", "CT"),
    ],
)
def test_dialog_shows_patient_and_study(
    qtbot: QtBot, filled_workstation: Workstation, name: str, expected: str
) -> None:
    dialog = make_dialog(qtbot, filled_workstation, "PID-1001")
    assert label_text(dialog, name) == expected


def test_dialog_shows_format_hint(
    qtbot: QtBot, filled_workstation: Workstation
) -> None:
    dialog = make_dialog(qtbot, filled_workstation, "PID-1001")
    assert label_text(dialog, "format_hint") == dialog.challenge.format_hint


def test_wrong_birth_date_is_refused(
    qtbot: QtBot, filled_workstation: Workstation
) -> None:
    dialog = make_dialog(qtbot, filled_workstation, "PID-1001")
    with qtbot.waitSignal(dialog.sig_mismatch, timeout=3000):
        submit(qtbot, dialog, "1970-03-16")

    assert dialog.isVisible()
    assert dialog.result() != ConfirmPatientDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert "does not match" in dialog.error_label.text()
    assert failed_confirmations(filled_workstation) == ["PID-1001"]


def test_right_birth_date_is_accepted(
    qtbot: QtBot, filled_workstation: Workstation
) -> None:
    dialog = make_dialog(qtbot, filled_workstation, "PID-1001")
    submit(qtbot, dialog, "1970-03-16")
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        submit(qtbot, dialog, "1970-03-15")

    assert not dialog.isVisible()
    assert dialog.mismatches == 1


@pytest.mark.parametrize("typed", ["1970-03-15", "19700315", " 1970-03-15 "])
def test_birth_date_formats_accepted(
    qtbot: QtBot, filled_workstation: Workstation, typed: str
) -> None:
    dialog = make_dialog(qtbot, filled_workstation, "PID-1001")
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        submit(qtbot, dialog, typed)


def test_empty_birth_date_asks_patient_id(
    qtbot: QtBot, filled_workstation: Workstation
) -> None:
    dialog = make_dialog(qtbot, filled_workstation, "PID-2002")
    assert dialog.challenge.kind == "patient_id"

    with qtbot.waitSignal(dialog.sig_mismatch, timeout=3000):
        submit(qtbot, dialog, "PID-2001")
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        submit(qtbot, dialog, "PID-2002")


def test_cancel_opens_nothing(qtbot: QtBot, filled_workstation: Workstation) -> None:
    dialog = make_dialog(qtbot, filled_workstation, "PID-1001")
    with qtbot.waitSignal(dialog.rejected, timeout=3000):
        qtbot.keyClick(dialog.answer_edit, Qt.Key.Key_Escape)
    assert dialog.result() == ConfirmPatientDialog.DialogCode.Rejected
