"""Deleting a study from the study list, and keeping the archive under its limit.

`ArchiveActions` adds "Delete from local archive..." to the study list's
context menu for a role with `Permission.DELETE`; the core checks the same
permission again and audits the deletion. `ArchiveUpkeep` runs the size-limit
eviction in a worker thread after imports, retrieves and receives.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from pacs_desktop.core.archive.eviction import (
    EvictionReport,
    PacsHoldingCheck,
    evict,
    size_limit,
)
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.roles import Permission

if TYPE_CHECKING:
    from pacs_desktop.core.archive.index import Archive
    from pacs_desktop.core.archive.records import StudyRecord
    from pacs_desktop.core.archive.removal import RemovedStudy
    from pacs_desktop.core.net.association import LocalEntity, SettingsReader
    from pacs_desktop.core.net.nodes import Node
    from pacs_desktop.core.security.users import Session
    from pacs_desktop.ui.browser import StudyBrowser
    from pacs_desktop.ui.security.restriction_actions import RestrictionActions
    from pacs_desktop.ui.workers import TaskRunner

logger = logging.getLogger(__name__)

# Milliseconds to wait after the last trigger before an eviction run, so a
# study arriving instance by instance over the storage SCP starts one run.
EVICTION_DELAY_MS = 3000


class ArchiveActions(QObject):
    """The study list's "Delete from local archive..." action and its dialogs.

    ``in_use`` returns the Study Instance UIDs open in the viewer;
    ``show_status`` shows a short message in the status bar.
    """

    #: sig_deleted(object): the RemovedStudy of a finished deletion.
    sig_deleted = Signal(object)

    def __init__(
        self,
        browser: StudyBrowser,
        session: Session,
        archive: Archive,
        runner: TaskRunner,
        menu: RestrictionActions,
        *,
        in_use: Callable[[], Collection[str]] = tuple,
        show_status: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(browser)
        self.browser = browser
        self.session = session
        self.archive = archive
        self.runner = runner
        self.in_use = in_use
        self.show_status = show_status
        self.confirm_box: QMessageBox | None = None
        self.message_box: QMessageBox | None = None
        self.delete_action = QAction(self.tr("&Delete from local archive..."), browser)
        self.delete_action.triggered.connect(self._on_delete)
        # Hidden, not only disabled, from the roles that may not delete.
        self.delete_action.setVisible(session.may(Permission.DELETE))
        if session.may(Permission.DELETE):
            menu.add_study_action(self.delete_action)
        self._menu = menu

    def _on_delete(self) -> None:
        study = self._menu.target or self.browser.selected_study()
        if study is not None:
            self.confirm_delete(study)

    def confirm_delete(self, study: StudyRecord) -> QMessageBox:
        """Open the window-modal confirmation; Delete starts the deletion."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Delete from local archive"),
            self.tr("Delete the images of this study from the local archive?"),
            QMessageBox.StandardButton.Cancel,
            self.browser.window(),
        )
        box.setInformativeText(
            self.tr(
                "Patient: {name}\nPatient ID: {patient_id}\nInstances: {count}\n\n"
                "Dictations and reports of the study are kept, and copies on "
                "the PACS are not touched."
            ).format(
                name=study.display_name,
                patient_id=study.PatientID,
                count=study.NumberOfStudyRelatedInstances,
            )
        )
        delete_button = box.addButton(
            self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def on_finished(_result: int) -> None:
            if box.clickedButton() is delete_button:
                self.delete(study)
            box.deleteLater()
            self.confirm_box = None

        box.finished.connect(on_finished)
        self.confirm_box = box
        box.open()
        return box

    def delete(self, study: StudyRecord) -> None:
        """Delete ``study`` in a worker thread; the list refreshes after it."""
        archive = self.archive
        session = self.session
        uid = study.StudyInstanceUID
        in_use = list(self.in_use())

        def job(_report: Callable[[object], None], _cancel: threading.Event) -> object:
            return archive.delete_study(uid, actor=session, in_use=in_use)

        self.runner.start(job, on_finished=self._on_deleted, on_failed=self._on_failed)

    def _on_deleted(self, removed: RemovedStudy) -> None:
        self.browser.refresh()
        if self.show_status is not None:
            self.show_status(
                self.tr("Deleted {count} instances from the local archive").format(
                    count=removed.instances
                )
            )
        self.sig_deleted.emit(removed)

    def _on_failed(self, error: Exception) -> None:
        if not isinstance(error, PacsDesktopError):
            logger.error("study deletion failed: %s", error)
        self.browser.refresh()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Study not deleted"),
            str(error),
            QMessageBox.StandardButton.Ok,
            self.browser.window(),
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(box.deleteLater)
        self.message_box = box
        box.open()

    def close_dialogs(self) -> None:
        """Close the confirmation and any error box, at logout."""
        for box in (self.confirm_box, self.message_box):
            if box is not None:
                try:
                    box.close()
                except RuntimeError:
                    # The box deleted itself after it closed.
                    continue


class ArchiveUpkeep(QObject):
    """Run the size-limit eviction in the background after the archive grew.

    `schedule` (re)starts a short timer; when it fires, one eviction runs in a
    worker thread. A request during a run starts another run after it.
    """

    #: sig_evicted(object): the EvictionReport of a finished run.
    sig_evicted = Signal(object)

    def __init__(
        self,
        archive: Archive,
        settings: SettingsReader,
        runner: TaskRunner,
        *,
        nodes: Callable[[], list[Node]],
        local_entity: Callable[[], LocalEntity],
        in_use: Callable[[], Collection[str]] = tuple,
        show_status: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.archive = archive
        self.settings = settings
        self.runner = runner
        self.nodes = nodes
        self.local_entity = local_entity
        self.in_use = in_use
        self.show_status = show_status
        self.running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(EVICTION_DELAY_MS)
        self.timer.timeout.connect(self.run_now)

    def schedule(self) -> None:
        """Run an eviction shortly, once the archive stops changing."""
        self.timer.start()

    def run_now(self) -> bool:
        """Start an eviction run now; False when none is needed or one runs."""
        self.timer.stop()
        if self.running:
            self._again = True
            return False
        try:
            limit, order = size_limit(self.settings)
            if limit <= 0:
                return False
            check = PacsHoldingCheck(self.nodes(), self.local_entity())
        except PacsDesktopError as exc:
            logger.error("size-limit eviction not started: %s", exc)
            return False
        archive = self.archive
        in_use = list(self.in_use())

        def job(
            _report: Callable[[object], None], _cancel: threading.Event
        ) -> EvictionReport:
            return evict(archive, limit=limit, order=order, check=check, in_use=in_use)

        self.running = True
        self.runner.start(job, on_finished=self._on_finished, on_failed=self._on_failed)
        return True

    def _on_finished(self, report: EvictionReport) -> None:
        # A run that found the archive under its limit decided nothing.
        self._end_run()
        if self.show_status is not None and (report.evicted or report.over_limit):
            self.show_status(self._summary(report))
        self.sig_evicted.emit(report)

    def _summary(self, report: EvictionReport) -> str:
        if report.over_limit:
            return self.tr(
                "Local archive over its size limit: {evicted} studies evicted, "
                "{kept} kept because no PACS confirmed a full copy or they are in use"
            ).format(evicted=len(report.evicted), kept=len(report.kept))
        return self.tr(
            "Local archive size limit: {evicted} studies evicted that the PACS holds"
        ).format(evicted=len(report.evicted))

    def _on_failed(self, error: Exception) -> None:
        self._end_run()
        logger.error("size-limit eviction failed: %s", error)
        if self.show_status is not None:
            self.show_status(
                self.tr("Local archive eviction failed: {reason}").format(
                    reason=str(error)
                )
            )

    def _end_run(self) -> None:
        self.running = False
        if self._again:
            self._again = False
            self.schedule()

    def stop(self) -> None:
        """Stop the timer; a running eviction finishes in its worker."""
        self.timer.stop()
        self._again = False
