"""Emergency access ("break glass") before opening a restricted study.

The rule is the core's `EmergencyAccess`: a study is closed to the normal
open-study rule when its ``restricted`` predicate says so, and a role with the
emergency-access permission (radiologists) may open it after stating a reason.
The override is time-limited, stored in the workstation database so that a
crash cannot lose its end, and audited when it starts and ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Permission
from pacs_desktop.ui.status_text import mark_status

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import StudyRecord
    from pacs_desktop.core.security.audit import AuditTrail
    from pacs_desktop.core.security.emergency import EmergencyAccess, Grant
    from pacs_desktop.core.security.users import Session

logger = logging.getLogger(__name__)


class EmergencyAccessDialog(QDialog):
    """Ask for the reason of an emergency access and grant it on OK.

    The dialog names neither the patient nor the study: the user has no
    access to them until the override is granted.
    """

    def __init__(
        self,
        emergency: EmergencyAccess,
        session: Session,
        study: StudyRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.emergency = emergency
        self.session = session
        self.study = study
        self.grant: Grant | None = None
        self.setWindowTitle(self.tr("Emergency access"))
        self.setModal(True)

        minutes = int(emergency.duration.total_seconds() // 60)
        explanation = QLabel(
            self.tr(
                "This study is restricted and your role does not open it. In an "
                "emergency you may open it for {minutes} minutes after stating "
                "why. The access and the reason are recorded in the audit trail "
                "as an emergency override."
            ).format(minutes=minutes),
            self,
        )
        explanation.setWordWrap(True)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setPlaceholderText(self.tr("Reason for the emergency access"))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        mark_status(self.error_label, "error")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Open with emergency access")
        )
        self.buttons.accepted.connect(self._on_submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(QLabel(self.tr("Reason:"), self))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.reason_edit.setFocus()

    def _on_submit(self) -> None:
        reason = self.reason_edit.toPlainText().strip()
        if not reason:
            self._show_error(self.tr("State the reason; emergency access needs one."))
            return
        study = self.study
        try:
            self.grant = self.emergency.grant(
                self.session,
                study.StudyInstanceUID,
                reason,
                patient_id=study.PatientID,
                patient_name=study.PatientName,
            )
        except PacsDesktopError as exc:
            self._show_error(str(exc))
            return
        self.accept()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.reason_edit.setFocus()


class StudyAccessGate(QObject):
    """Decide whether a study opens now, needs emergency access, or is refused.

    ``emergency`` may be replaced (a site's restriction rule, a test's clock).
    """

    def __init__(
        self,
        parent: QWidget,
        session: Session,
        audit: AuditTrail,
        emergency: EmergencyAccess,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.session = session
        self.audit = audit
        self.emergency = emergency
        self.dialog: EmergencyAccessDialog | None = None

    def admit(self, study: StudyRecord, on_granted: Callable[[], None]) -> bool:
        """Return True when ``study`` may open now.

        When emergency access is possible, open the reason dialog and return
        False; ``on_granted`` runs after the override was granted. Otherwise
        record and show the refusal and return False.
        """
        uid = study.StudyInstanceUID
        try:
            if self.emergency.may_open(self.session, uid):
                return True
            offer = self.emergency.can_break_glass(self.session, uid)
        except PacsDesktopError as exc:
            self._warn(str(exc))
            return False
        if offer:
            dialog = EmergencyAccessDialog(
                self.emergency, self.session, study, self.parent_widget
            )
            dialog.accepted.connect(on_granted)
            dialog.finished.connect(self._on_dialog_finished)
            self.dialog = dialog
            dialog.open()
            return False
        self._refuse(study)
        return False

    def end_session(self) -> None:
        """End (and audit) the session's overrides, at logout."""
        try:
            self.emergency.end_all(self.session)
        except PacsDesktopError as exc:
            logger.error("cannot record the end of emergency access: %s", exc)

    def _on_dialog_finished(self, _result: int) -> None:
        dialog = self.dialog
        self.dialog = None
        if dialog is not None:
            dialog.deleteLater()

    def _refuse(self, study: StudyRecord) -> None:
        user = self.session.user
        try:
            self.audit.record(
                audit_events.ACCESS_DENIED,
                user=user.name,
                study_uids=[study.StudyInstanceUID],
                detail=f"restricted study refused to role {user.role.value}",
            )
        except PacsDesktopError as exc:
            logger.error("cannot record a refused study: %s", exc)
        self._warn(self.refusal_message())

    def refusal_message(self) -> str:
        """Return why a restricted study stays closed and what the user can do.

        An administrator can lift the restriction, and other roles learn whom
        to ask.
        """
        if self.session.may(Permission.MANAGE_USERS):
            return self.tr(
                "This study is restricted. To open it, lift the restriction: "
                "right-click the study in the study list and choose Lift "
                "restriction."
            )
        return self.tr(
            "This study is restricted, and your role has no emergency access. "
            "Ask a radiologist to open it with emergency access, or an "
            "administrator to lift the restriction."
        )

    def _warn(self, message: str) -> None:
        QMessageBox.warning(self.parent_widget, self.tr("Not allowed"), message)
