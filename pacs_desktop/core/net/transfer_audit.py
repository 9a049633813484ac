"""Audit records of the instances the storage SCP receives or rejects.

A modality or a PACS pushing a study, and a PACS sending the sub-operations
of a C-MOVE, open an association with the storage SCP. When the connection
closes, each study received on it gets one DICOM Instances Transferred record:
INSTANCES_RETRIEVED, the event that the sync queue's C-GET and C-MOVE
retrieves also record, with the calling AE as source and this workstation as
destination. Instances the archive rejected (a Study Instance UID archived for
another Patient ID, an unreadable data set) get a record of their own with a
failure outcome and the reasons.

The records name the operating-system account that runs the program, marked as
such, because the peer opens the association, not a user at the workstation.
The sync queue records its jobs under the same account when no user is logged
in. A C-MOVE of a sync job therefore has two records: the job's, under the
user who queued it, and the storage SCP's.
"""

from __future__ import annotations

import io
import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pydicom
from pydicom.errors import InvalidDicomError
from pynetdicom import evt
from pynetdicom.association import Association

from pacs_desktop.core.archive.index import DUPLICATE, IMPORTED, Archive
from pacs_desktop.core.archive.integrity import os_account
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.security.audit import (
    INSTANCES_RETRIEVED,
    AuditPeer,
    AuditTrail,
)

logger = logging.getLogger(__name__)

# The reasons one rejection record lists; more are counted, not listed.
MAX_LISTED_REASONS = 5

_PATIENT_TAGS = ["PatientID", "PatientName", "StudyInstanceUID"]


@dataclass
class _Rejected:
    """The rejected instances of one study (or of no readable study)."""

    patient_id: str | None
    patient_name: str | None
    count: int = 0
    reasons: Counter[str] = field(default_factory=Counter)


@dataclass
class _Reception:
    """The instances of one association, collected until its connection closes."""

    peer: AuditPeer
    stored: Counter[str] = field(default_factory=Counter)
    """Instances stored (new or duplicate) per Study Instance UID."""
    rejected: dict[str, _Rejected] = field(default_factory=dict)
    """Rejected instances per Study Instance UID ('' when unreadable)."""


class ReceptionAudit:
    """Collects the instances of each storage SCP association and records them.

    Parameters
    ----------
    trail
        The audit trail to record in.
    archive
        The archive the instances are stored in; it provides each received
        study's patient.
    ae_title
        The storage SCP's own AE title, named in each record's detail.
    user
        Returns the operating-system account to record under.
    """

    def __init__(
        self,
        trail: AuditTrail,
        archive: Archive,
        *,
        ae_title: str,
        user: Callable[[], str] = os_account,
    ) -> None:
        self.trail = trail
        self.archive = archive
        self.ae_title = ae_title
        self._user = user
        self._lock = threading.Lock()
        self._receptions: dict[Association, _Reception] = {}

    def count(
        self,
        assoc: Association,
        status: str,
        study_uid: str,
        reason: str,
        data: bytes,
    ) -> None:
        """Count one instance received on ``assoc``; ``data`` is its file bytes.

        ``status`` is the archive's outcome (imported, duplicate, rejected or
        failed). The patient of a rejected instance is read from ``data``,
        because the archive did not index it.
        """
        rejected_patient: tuple[str | None, str | None, str] | None = None
        if status not in (IMPORTED, DUPLICATE):
            rejected_patient = _patient_of(data)
        with self._lock:
            reception = self._receptions.get(assoc)
            if reception is None:
                reception = _Reception(_calling_peer(assoc))
                self._receptions[assoc] = reception
            if rejected_patient is None:
                reception.stored[study_uid] += 1
                return
            patient_id, patient_name, rejected_study = rejected_patient
            group = reception.rejected.setdefault(
                rejected_study, _Rejected(patient_id, patient_name)
            )
            group.count += 1
            group.reasons[reason or "no reason given"] += 1

    def handle_close(self, event: evt.Event) -> None:
        """Record what the closed connection's association delivered.

        An ``EVT_CONN_CLOSE`` handler: the connection closes after a release,
        an abort or a network failure alike, so every association ends here.
        """
        with self._lock:
            reception = self._receptions.pop(event.assoc, None)
        if reception is None:
            return
        try:
            self._record(reception)
        except PacsDesktopError as exc:
            # The association has ended and the peer has every status already.
            logger.error(
                "instances received from %s were not recorded in the audit trail: %s",
                reception.peer.ae_title,
                exc,
            )

    def _record(self, reception: _Reception) -> None:
        peer = reception.peer
        source = f"storage SCP {self.ae_title} from {peer.ae_title} at {peer.host}"
        user = self._user()
        for study_uid, count in reception.stored.items():
            patient_id = patient_name = None
            study = self.archive.study(study_uid)
            if study is not None:
                patient_id = study.PatientID or None
                patient_name = study.PatientName or None
            self.trail.record(
                INSTANCES_RETRIEVED,
                user=user,
                os_account=True,
                patient_id=patient_id,
                patient_name=patient_name,
                study_uids=[study_uid],
                detail=f"{source}: {count} instances received",
                peer=peer,
            )
        for study_uid, rejected in reception.rejected.items():
            self.trail.record(
                INSTANCES_RETRIEVED,
                user=user,
                os_account=True,
                outcome="failure",
                patient_id=rejected.patient_id,
                patient_name=rejected.patient_name,
                study_uids=[study_uid] if study_uid else [],
                detail=(
                    f"{source}: {rejected.count} instances rejected: "
                    f"{_reasons(rejected.reasons)}"
                ),
                peer=peer,
            )


def _calling_peer(assoc: Association) -> AuditPeer:
    # On the storage SCP the workstation is the acceptor and the peer that
    # sends the instances is the requestor.
    requestor = assoc.requestor
    return AuditPeer(str(requestor.ae_title).strip(), str(requestor.address))


def _patient_of(data: bytes) -> tuple[str | None, str | None, str]:
    """Return Patient ID, Patient's Name and Study Instance UID read from ``data``.

    Unreadable values are None (the UID '').
    """
    try:
        ds = pydicom.dcmread(
            io.BytesIO(data), stop_before_pixels=True, specific_tags=_PATIENT_TAGS
        )
        patient_id = str(ds.get("PatientID", "")) or None
        patient_name = str(ds.get("PatientName", "")) or None
        study_uid = str(ds.get("StudyInstanceUID", ""))
    except (InvalidDicomError, ValueError, TypeError, EOFError, OSError):
        return None, None, ""
    return patient_id, patient_name, study_uid


def _reasons(reasons: Counter[str]) -> str:
    listed = [
        reason if count == 1 else f"{reason} ({count} instances)"
        for reason, count in reasons.most_common(MAX_LISTED_REASONS)
    ]
    others = len(reasons) - len(listed)
    if others > 0:
        listed.append(f"{others} other reasons")
    return "; ".join(listed)
