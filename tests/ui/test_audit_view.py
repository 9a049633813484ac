"""Audit view: lists records, filters them, verifies the chain, exports XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.security.audit_view import AuditViewDialog
from tests.ui.conftest import ADMIN_NAME

PASSWORD = "Night-Shift-Contrast-88"


@pytest.fixture
def trail(workstation: Workstation, admin_session: Session) -> Workstation:
    """The workstation with a radiologist who logged in and opened a study."""
    users = workstation.users
    users.create_user("reader", PASSWORD, Role.RADIOLOGIST, actor=admin_session)
    users.authenticate("reader", PASSWORD)
    workstation.audit.record(
        audit_events.STUDY_OPENED,
        user="reader",
        patient_id="PID-77",
        patient_name="Roe^Richard",
        study_uids=["1.2.3.4"],
    )
    return workstation


@pytest.fixture
def view(
    qtbot: QtBot, trail: Workstation, admin_session: Session
) -> Iterator[AuditViewDialog]:
    dialog = AuditViewDialog(trail.audit, admin_session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


def column(view: AuditViewDialog, name: str) -> list[str]:
    model = view.model
    return [model.cell_text(record, name) for record in model.records()]


def test_view_lists_every_record(view: AuditViewDialog, trail: Workstation) -> None:
    # The reading itself is recorded after the list was read.
    stored = trail.audit.records()
    assert view.model.rowCount() == len(stored) - 1
    assert column(view, "event")[-1] == audit_events.STUDY_OPENED
    assert column(view, "patient_id")[-1] == "PID-77"
    assert column(view, "study")[-1] == "1.2.3.4"
    assert column(view, "user")[-1] == "reader"


def test_opening_records_audit_read(view: AuditViewDialog, trail: Workstation) -> None:
    last = trail.audit.records()[-1]
    assert last.event == audit_events.AUDIT_READ
    assert last.user == ADMIN_NAME


def test_filter_by_user(view: AuditViewDialog) -> None:
    view.user_edit.setText("reader")
    view.apply_button.click()
    assert set(column(view, "user")) == {"reader"}
    assert column(view, "event") == [audit_events.LOGIN, audit_events.STUDY_OPENED]


def test_filter_by_event(view: AuditViewDialog) -> None:
    view.event_combo.setCurrentIndex(view.event_combo.findData(audit_events.LOGIN))
    view.apply_button.click()
    assert column(view, "event") == [audit_events.LOGIN, audit_events.LOGIN]


def test_filter_by_date(view: AuditViewDialog) -> None:
    yesterday = QDate.currentDate().addDays(-1)
    view.to_check.setChecked(True)
    view.to_edit.setDate(yesterday.addDays(-1))
    view.apply_button.click()
    assert view.model.rowCount() == 0

    view.from_check.setChecked(True)
    view.from_edit.setDate(yesterday)
    view.to_edit.setDate(QDate.currentDate().addDays(1))
    view.apply_button.click()
    assert view.model.rowCount() > 0


def test_verify_reports_intact(view: AuditViewDialog) -> None:
    view.verify_button.click()
    assert "intact" in view.verify_label.text()


def test_verify_reports_edit(view: AuditViewDialog, trail: Workstation) -> None:
    # An edit made behind the trail's back, as an intruder with file access would.
    connection = trail.database.connection()
    connection.execute(
        "UPDATE audit_log SET patient_id = 'PID-00' WHERE event = ?",
        (audit_events.STUDY_OPENED,),
    )
    connection.commit()
    result = view.verify_chain()
    assert result is not None
    assert not result.ok
    assert "broken" in view.verify_label.text()


def test_export_writes_xml(
    view: AuditViewDialog, trail: Workstation, tmp_path: Path
) -> None:
    target = tmp_path / "audit.xml"
    count = view.export_to(target)

    root = ET.fromstring(target.read_bytes())
    assert root.tag == "AuditMessages"
    assert len(root) == count
    assert count == view.model.rowCount()
    assert trail.audit.records()[-1].event == audit_events.AUDIT_EXPORTED


def test_menu_opens_view(
    qtbot: QtBot, trail: Workstation, admin_session: Session
) -> None:
    window = MainWindow(trail, admin_session)
    qtbot.addWidget(window)
    window.show()
    window.security.audit_action.trigger()
    dialog = window.security.audit_dialog
    assert dialog is not None
    assert dialog.isVisible()
    window.close()
    assert not dialog.isVisible()
