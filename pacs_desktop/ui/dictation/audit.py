"""Audit records of dictations opened or recorded in the GUI."""

from __future__ import annotations

import logging

from pacs_desktop.core.dictation.store import Dictation
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.audit import AuditTrail

logger = logging.getLogger(__name__)


def record_dictation_event(
    audit: AuditTrail,
    event: str,
    dictation: Dictation,
    user: str,
    *,
    patient_name: str | None = None,
) -> None:
    """Record ``event`` for ``dictation``'s patient and study under ``user``.

    ``patient_name`` is the PatientName of the dictation's study, recorded as
    study-opened records do.

    A failure to write the record is logged, not raised: the recording or the
    playback it describes has already happened.
    """
    try:
        audit.record(
            event,
            user=user,
            patient_id=dictation.PatientID,
            patient_name=patient_name or None,
            study_uids=[dictation.StudyInstanceUID],
            detail=f"dictation {dictation.id}",
        )
    except PacsDesktopError as exc:
        logger.error("audit record of dictation %d failed: %s", dictation.id, exc)
