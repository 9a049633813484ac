"""Put dictation audio and signed reports into the archive and the sync queue.

Both objects go into the local archive through `Archive.store_received`, the
same atomic path as instances received from a peer, so the study's own series
list shows them and a later send finds them. When a sync queue and a PACS node
are given, a send job for the object's series is queued; the queue retries it
until the node confirms the C-STORE.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError

from pacs_desktop.core.archive.index import DUPLICATE, IMPORTED, Archive
from pacs_desktop.core.dictation.export import (
    dictation_dataset,
    free_series_number,
    study_source,
)
from pacs_desktop.core.dictation.report import (
    Report,
    ReportError,
    ReportState,
    ReportStore,
)
from pacs_desktop.core.dictation.report_sr import (
    REPORT_SERIES_NUMBER,
    build_basic_text_sr,
)
from pacs_desktop.core.dictation.store import (
    DictationError,
    DictationState,
    DictationStore,
)

if TYPE_CHECKING:
    from pacs_desktop.core.net.queue import SyncQueue

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Published:
    """An object stored in the archive, and its send job if one was queued."""

    SOPInstanceUID: str
    SeriesInstanceUID: str
    StudyInstanceUID: str
    send_job_id: int | None

    @classmethod
    def of(cls, ds: Dataset, send_job_id: int | None) -> Published:
        """Return the record of the archived object ``ds``."""
        return cls(
            str(ds.SOPInstanceUID),
            str(ds.SeriesInstanceUID),
            str(ds.StudyInstanceUID),
            send_job_id,
        )


def _store(archive: Archive, ds: Dataset, label: str) -> None:
    outcome = archive.store_received(ds, label)
    if outcome.status not in (IMPORTED, DUPLICATE):
        raise DictationError(
            f"the archive rejected the {label}: {outcome.reason}; nothing was sent"
        )


def _enqueue(queue: SyncQueue | None, node: str | None, ds: Dataset) -> int | None:
    if queue is None or not node:
        return None
    job = queue.enqueue_send(node, [str(ds.SeriesInstanceUID)])
    return job.id


def publish_dictation_audio(
    store: DictationStore,
    archive: Archive,
    dictation_id: int,
    *,
    queue: SyncQueue | None = None,
    node: str | None = None,
) -> Published:
    """Store a dictation's Basic Voice Audio object and queue its send.

    The object has the dictation's stored UIDs, so publishing the same
    recording again stores nothing new and sends the same object.

    The original recording stays in the dictation folder at its own rate; the
    archived object is its 8 kHz Basic Voice Audio copy.

    Raises
    ------
    DictationError
        If the audio or the study is missing, or the archive rejects the object.
    ArchiveError
        If the database fails.
    """
    dictation = store.get(dictation_id)
    uids = store.audio_object_uids(dictation_id)
    ds = dictation_dataset(dictation, archive, uids=uids)
    _store(archive, ds, f"dictation {dictation_id} audio object")
    job = _enqueue(queue, node, ds)
    logger.info("dictation %d: audio object archived, send job %s", dictation_id, job)
    return Published.of(ds, job)


def _predecessor(reports: ReportStore, archive: Archive, report: Report) -> Dataset:
    if report.previous_id is None:
        raise ReportError(f"report {report.id} amends nothing")
    previous = reports.get(report.previous_id)
    uid = previous.sr_sop_instance_uid
    path = archive.instance_path(uid) if uid else None
    if path is None:
        raise ReportError(
            f"the SR object of report {previous.id}, which report {report.id} "
            "amends, is not in the archive; publish that version first"
        )
    try:
        return dcmread(path, stop_before_pixels=True)
    except (OSError, InvalidDicomError) as exc:
        raise ReportError(f"cannot read the previous SR object {path}: {exc}") from exc


def _archived_sr(archive: Archive, report: Report) -> Dataset | None:
    # A signed version has one SR object: publishing it again reuses that
    # object, so a second send does not put a copy with new UIDs on the PACS.
    uid = report.sr_sop_instance_uid
    path = archive.instance_path(uid) if uid else None
    if path is None:
        return None
    try:
        return dcmread(path, stop_before_pixels=True)
    except (OSError, InvalidDicomError) as exc:
        raise ReportError(f"cannot read the SR object {path}: {exc}") from exc


def publish_signed_report(
    reports: ReportStore,
    archive: Archive,
    report_id: int,
    *,
    author: str,
    queue: SyncQueue | None = None,
    node: str | None = None,
) -> Published:
    """Store a signed report's Basic Text SR object and queue its send.

    A version whose SR object is archived already is sent again as it is.

    Parameters
    ----------
    author
        The person who dictated the report (Author Observer Sequence).

    Raises
    ------
    ReportError
        If the report is not signed, the study is missing or another patient's,
        the version it amends has no SR object, or the archive rejects it.
    ArchiveError
        If the database fails.
    """
    report = reports.get(report_id)
    existing = _archived_sr(archive, report)
    if existing is not None:
        job = _enqueue(queue, node, existing)
        logger.info("report %d: SR object archived before, send job %s", report_id, job)
        return Published.of(existing, job)
    predecessor = (
        _predecessor(reports, archive, report)
        if report.previous_id is not None
        else None
    )
    try:
        source = study_source(archive, report.StudyInstanceUID)
    except DictationError as exc:
        raise ReportError(str(exc)) from exc
    number = free_series_number(
        archive, report.StudyInstanceUID, None, REPORT_SERIES_NUMBER
    )
    ds = build_basic_text_sr(
        report, source, author=author, predecessor=predecessor, series_number=number
    )
    try:
        _store(archive, ds, f"report {report_id} SR object")
    except DictationError as exc:
        raise ReportError(str(exc)) from exc
    reports.set_sr_instance(report_id, str(ds.SOPInstanceUID))
    job = _enqueue(queue, node, ds)
    logger.info("report %d: SR object archived, send job %s", report_id, job)
    return Published.of(ds, job)


#: Dictation states whose recording is finished and belongs in the archive.
FINISHED_STATES = (
    DictationState.RECORDED,
    DictationState.IN_TRANSCRIPTION,
    DictationState.TRANSCRIBED,
    DictationState.CORRECTED,
    DictationState.SIGNED,
)


def _archived(archive: Archive, sop_instance_uid: str | None) -> bool:
    return (
        bool(sop_instance_uid)
        and archive.instance_path(str(sop_instance_uid)) is not None
    )


def publish_pending(
    store: DictationStore,
    reports: ReportStore,
    archive: Archive,
    *,
    queue_for: Callable[[str], SyncQueue | None] | None = None,
    node: str | None = None,
) -> list[Published]:
    """Archive and queue every finished recording and signed report not yet archived.

    A recording stopped while its window closed (log out, quit, a crash after
    Stop), audio attached from the command line and a report signed just
    before the program ended have no archived object yet. ``queue_for(user)``
    gives the sync queue whose send jobs are audited under ``user``: the
    dictation's author, or the report's signer. Those of studies no
    longer in the local archive are skipped. A dictation or report that cannot
    be published for another reason is logged and left for the next run.

    Raises
    ------
    ArchiveError
        If the database fails.
    """
    published: list[Published] = []
    for dictation in store.find(states=FINISHED_STATES):
        if dictation.audio_path is None or _archived(
            archive, dictation.audio_object_uid
        ):
            continue
        if archive.study(dictation.StudyInstanceUID) is None:
            # Deleted or evicted: its objects are on the PACS or nowhere.
            continue
        try:
            published.append(
                publish_dictation_audio(
                    store,
                    archive,
                    dictation.id,
                    queue=queue_for(dictation.author) if queue_for else None,
                    node=node,
                )
            )
        except DictationError as exc:
            logger.warning("dictation %d not archived: %s", dictation.id, exc)
    for newest in reports.find(states=[ReportState.SIGNED]):
        if archive.study(newest.StudyInstanceUID) is None:
            continue
        # Older signed versions first: an amendment's SR refers to its
        # predecessor's archived SR object.
        for report in reports.versions(newest.report_key):
            if report.state is not ReportState.SIGNED or _archived(
                archive, report.sr_sop_instance_uid
            ):
                continue
            signer = report.signed_by or report.created_by
            author = signer
            if report.dictation_id is not None:
                author = store.get(report.dictation_id).author
            try:
                published.append(
                    publish_signed_report(
                        reports,
                        archive,
                        report.id,
                        author=author,
                        queue=queue_for(signer) if queue_for else None,
                        node=node,
                    )
                )
            except ReportError as exc:
                logger.warning("report %d not archived: %s", report.id, exc)
                break
    return published
