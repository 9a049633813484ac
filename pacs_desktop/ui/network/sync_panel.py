"""The sync panel: every job of the sync queue, its progress, Retry and Cancel."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pacs_desktop.core.net.commitment import CommitmentState
from pacs_desktop.core.net.queue import RETRIEVE, JobState, SyncJob
from pacs_desktop.ui.preferences import format_person_name

if TYPE_CHECKING:
    from pacs_desktop.core.archive.records import StudyRecord
    from pacs_desktop.ui.network.queue_runner import JobProgressReport
    from pacs_desktop.ui.network.service import NetworkService

JOB_ID_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS = (
    "job",
    "kind",
    "node",
    "target",
    "state",
    "commitment",
    "progress",
    "rate",
    "time_left",
    "attempts",
    "next_attempt",
    "last_error",
)


def format_seconds(seconds: float | None) -> str:
    """Show a duration as M:SS, or H:MM:SS from one hour; '' when unknown."""
    if seconds is None:
        return ""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


class SyncPanel(QDockWidget):
    """A dock listing the sync queue's jobs, with Retry and Cancel."""

    #: sig_jobs_shown(int): the table was refilled with this many jobs.
    sig_jobs_shown = Signal(int)

    def __init__(self, service: NetworkService, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Sync queue"), parent)
        self.setObjectName("sync_panel")
        self.service = service
        self.jobs: dict[int, SyncJob] = {}
        self.reports: dict[int, JobProgressReport] = {}

        body = QWidget(self)
        self.scp_label = QLabel(body)
        self.scp_label.setObjectName("scp_state")
        self.scp_label.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), body)
        self.table.setObjectName("job_table")
        self.table.setHorizontalHeaderLabels(self._titles())
        self._explain_titles()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self._fit_titles()
        self.retry_button = QPushButton(self.tr("&Retry"), body)
        self.retry_button.setObjectName("retry_job")
        self.cancel_button = QPushButton(self.tr("Ca&ncel job"), body)
        self.cancel_button.setObjectName("cancel_job")

        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(body)
        layout.addWidget(self.scp_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

        self.retry_button.clicked.connect(self._on_retry)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        service.sig_jobs_changed.connect(self.set_jobs)
        service.sig_job_progress.connect(self.show_progress)
        service.sig_scp_state.connect(self._on_scp_state)
        self.scp_label.setText(service.scp_message)
        self._update_buttons()

    def _titles(self) -> list[str]:
        return [
            self.tr("Job"),
            self.tr("Kind"),
            self.tr("Node"),
            self.tr("Study or series"),
            self.tr("State"),
            self.tr("Commitment"),
            self.tr("Instances"),
            self.tr("MB/s"),
            self.tr("Time left"),
            self.tr("Attempts"),
            self.tr("Next attempt"),
            self.tr("Last error"),
        ]

    def _explain_titles(self) -> None:
        item = self.table.horizontalHeaderItem(COLUMNS.index("commitment"))
        if item is not None:
            item.setToolTip(
                self.tr(
                    "Storage commitment: whether the PACS confirmed that it "
                    "keeps the instances sent"
                )
            )

    def _fit_titles(self) -> None:
        # Each column starts at least as wide as its title, so that no title
        # is cut off; the last column stretches to the panel's edge.
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS) - 1):
            width = max(header.sectionSizeHint(column), header.defaultSectionSize())
            header.resizeSection(column, width)

    def set_jobs(self, jobs: list[SyncJob]) -> None:
        """Show ``jobs``, newest first, keeping the selected job selected."""
        selected = self.selected_job_id()
        self.jobs = {job.id: job for job in jobs}
        self.table.setRowCount(0)
        for job in sorted(jobs, key=lambda item: item.id, reverse=True):
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(self._texts(job)):
                item = QTableWidgetItem(text)
                item.setData(JOB_ID_ROLE, job.id)
                if COLUMNS[column] == "last_error":
                    item.setToolTip(text)
                elif COLUMNS[column] == "target":
                    item.setToolTip("\n".join(job.series_uids or job.uids))
                self.table.setItem(row, column, item)
            if job.id == selected:
                self.table.selectRow(row)
        self._update_buttons()
        self.sig_jobs_shown.emit(len(jobs))

    def show_progress(self, report: JobProgressReport) -> None:
        """Update the progress cells of a running job."""
        self.reports[report.job_id] = report
        row = self._row_of(report.job_id)
        if row is None:
            return
        texts = {
            "progress": self._progress_text(report.done, report.total),
            "rate": f"{report.megabytes_per_second:.1f}",
            "time_left": format_seconds(report.seconds_left),
        }
        for key, text in texts.items():
            item = self.table.item(row, COLUMNS.index(key))
            if item is not None:
                item.setText(text)

    def cell_text(self, job_id: int, key: str) -> str:
        """Return the text of column ``key`` in the row of ``job_id``."""
        row = self._row_of(job_id)
        item = self.table.item(row, COLUMNS.index(key)) if row is not None else None
        return item.text() if item is not None else ""

    def cell_tooltip(self, job_id: int, key: str) -> str:
        """Return the tooltip of column ``key`` in the row of ``job_id``."""
        row = self._row_of(job_id)
        item = self.table.item(row, COLUMNS.index(key)) if row is not None else None
        return item.toolTip() if item is not None else ""

    def selected_job_id(self) -> int | None:
        """Return the job of the selected row, or None."""
        items = self.table.selectedItems()
        return int(items[0].data(JOB_ID_ROLE)) if items else None

    def select_job(self, job_id: int) -> None:
        """Select the row of ``job_id``."""
        row = self._row_of(job_id)
        if row is not None:
            self.table.selectRow(row)

    def _row_of(self, job_id: int) -> int | None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(JOB_ID_ROLE) == job_id:
                return row
        return None

    def _texts(self, job: SyncJob) -> list[str]:
        report = self.reports.get(job.id)
        running = job.state == JobState.RUNNING and report is not None
        next_attempt = ""
        if job.state == JobState.PENDING and job.attempts:
            moment = datetime.datetime.fromtimestamp(job.next_attempt)
            next_attempt = moment.strftime("%H:%M:%S")
        return [
            str(job.id),
            self.tr("Retrieve") if job.kind == RETRIEVE else self.tr("Send"),
            job.node,
            self._target_text(job),
            self._state_text(job.state),
            self._commitment_text(job),
            self._progress_text(job.done_count, job.total_count),
            f"{report.megabytes_per_second:.1f}" if running and report else "",
            format_seconds(report.seconds_left) if running and report else "",
            self.tr("{attempts} of {limit}").format(
                attempts=job.attempts, limit=job.max_attempts
            ),
            next_attempt,
            job.last_error,
        ]

    def _target_text(self, job: SyncJob) -> str:
        # Patient and study come from the local archive when it contains the
        # study. Otherwise the cell shows the UIDs, in full in its tooltip.
        studies = self.service.job_studies
        records = [studies[uid] for uid in job.uids if uid in studies]
        if len(records) != len(job.uids) or not records:
            return ", ".join(job.series_uids or job.uids)
        texts = [self._study_text(record) for record in records]
        if job.series_uids:
            texts.append(self.tr("{count} series").format(count=len(job.series_uids)))
        return "; ".join(texts)

    def _study_text(self, record: StudyRecord) -> str:
        text = self.tr("{name} ({patient_id})").format(
            name=format_person_name(record.display_name),
            patient_id=record.PatientID,
        )
        if record.StudyDescription:
            text += ", " + record.StudyDescription
        return text

    def _commitment_text(self, job: SyncJob) -> str:
        names = {
            CommitmentState.COMMITTED.value: self.tr("committed"),
            CommitmentState.NOT_SUPPORTED.value: self.tr("not supported"),
            CommitmentState.NO_REPORT.value: self.tr("no report"),
        }
        if job.commitment == CommitmentState.FAILED.value:
            return self.tr("failed for {count} instances").format(
                count=len(job.commitment_failed)
            )
        return names.get(job.commitment, "")

    def _state_text(self, state: JobState) -> str:
        names = {
            JobState.PENDING: self.tr("waiting"),
            JobState.RUNNING: self.tr("running"),
            JobState.DONE: self.tr("done"),
            JobState.FAILED: self.tr("failed"),
            JobState.CANCELLED: self.tr("cancelled"),
        }
        return names[state]

    def _progress_text(self, done: int, total: int) -> str:
        if not total:
            return str(done) if done else ""
        return self.tr("{done} of {total}").format(done=done, total=total)

    def _update_buttons(self) -> None:
        job_id = self.selected_job_id()
        job = self.jobs.get(job_id) if job_id is not None else None
        state = job.state if job is not None else None
        self.retry_button.setEnabled(
            state in (JobState.PENDING, JobState.FAILED, JobState.CANCELLED)
        )
        self.cancel_button.setEnabled(state in (JobState.PENDING, JobState.RUNNING))

    def _on_retry(self) -> None:
        job_id = self.selected_job_id()
        if job_id is not None:
            self.service.retry_job(job_id)

    def _on_cancel(self) -> None:
        job_id = self.selected_job_id()
        if job_id is not None:
            self.service.cancel_job(job_id)

    def _on_scp_state(self, _running: bool, message: str) -> None:
        self.scp_label.setText(message)
