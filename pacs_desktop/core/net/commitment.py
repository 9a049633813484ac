"""Storage Commitment Push Model (PS3.4 Annex J) after a send.

The workstation requests with an N-ACTION (Action Type ID 1) that the PACS
take responsibility for the instances it just stored. The PACS responds to the
N-ACTION at once and sends its result later in an N-EVENT-REPORT: on the same
association if that is still open, or on a new association towards the
workstation's storage SCP. Orthanc 1.10 opens a new one, to the address that
its ``DicomModalities`` gives for the requesting AE title. Event Type ID 1
means every instance is committed and 2 means some failed.
The request and its report are matched by Transaction UID.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydicom import Dataset
from pydicom.uid import generate_uid
from pynetdicom import build_context, evt
from pynetdicom.presentation import PresentationContext

from pacs_desktop.core.net.association import LocalEntity, associate
from pacs_desktop.core.net.errors import AssociationAbortedError
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.status import SUCCESS, is_warning

logger = logging.getLogger(__name__)

STORAGE_COMMITMENT_PUSH_MODEL = "1.2.840.10008.1.20.1"
# The well-known SOP Instance UID of the Push Model.
STORAGE_COMMITMENT_INSTANCE = "1.2.840.10008.1.20.1.1"
REQUEST_STORAGE_COMMITMENT = 1
EVENT_ALL_COMMITTED = 1
EVENT_FAILURES_EXIST = 2

# Seconds the requesting association stays open for a report on it, before
# the wait goes on for one on the storage SCP.
SAME_ASSOCIATION_WAIT = 2.0

# Failure Reason (0008,1197) values for which sending the instance again
# cannot help: 0x0122, the PACS does not support the SOP class, and 0x0119,
# the SOP class and the instance do not belong together.
PERMANENT_FAILURE_REASONS = frozenset({0x0122, 0x0119})


class CommitmentState(str, Enum):
    """The outcome of a Storage Commitment request, as recorded on a job."""

    COMMITTED = "committed"
    FAILED = "failed"
    NOT_SUPPORTED = "not supported"
    NO_REPORT = "no report"


@dataclass(frozen=True)
class CommittedInstance:
    """One instance in a Storage Commitment request."""

    sop_class_uid: str
    sop_instance_uid: str


@dataclass
class CommitmentResult:
    """The PACS's response to one Storage Commitment request."""

    state: CommitmentState
    transaction_uid: str = ""
    committed: list[str] = field(default_factory=list)
    failed: list[tuple[str, int]] = field(default_factory=list)
    reason: str = ""

    @property
    def retryable(self) -> bool:
        """Whether sending the failed instances again may get them committed."""
        return self.state == CommitmentState.NO_REPORT or any(
            reason not in PERMANENT_FAILURE_REASONS for _uid, reason in self.failed
        )


class CommitmentReports:
    """Expected N-EVENT-REPORTs by Transaction UID, and their handler.

    The storage SCP binds `handle_event_report` to ``EVT_N_EVENT_REPORT``; so
    does the association that sends the N-ACTION, for a PACS that reports on
    it.
    """

    def __init__(self) -> None:
        self._expected: dict[str, CommitmentResult | None] = {}
        self._condition = threading.Condition()

    @contextmanager
    def expect(self, transaction_uid: str) -> Iterator[None]:
        """Accept a report for ``transaction_uid`` inside the ``with`` block."""
        with self._condition:
            self._expected[transaction_uid] = None
        try:
            yield
        finally:
            with self._condition:
                self._expected.pop(transaction_uid, None)

    def wait(self, transaction_uid: str, timeout: float) -> CommitmentResult | None:
        """Return the report for ``transaction_uid``; None after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._expected.get(transaction_uid) is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._condition.wait(remaining)
            return self._expected[transaction_uid]

    def handle_event_report(self, event: evt.Event) -> tuple[int, Dataset | None]:
        """Record a Storage Commitment N-EVENT-REPORT; return the DIMSE status.

        A report for a transaction that no caller waits for (a late one,
        after its wait timed out) is acknowledged and dropped, because the
        next attempt of the send requests commitment with a new Transaction
        UID.
        """
        calling = str(event.assoc.requestor.ae_title).strip()
        request = event.request
        class_uid = getattr(request, "AffectedSOPClassUID", None)
        event_type = int(getattr(request, "EventTypeID", 0) or 0)
        if class_uid != STORAGE_COMMITMENT_PUSH_MODEL:
            # 0x0112: no such SOP Class.
            return 0x0112, None
        try:
            info = event.event_information
        except (ValueError, AttributeError, TypeError) as exc:
            logger.warning("undecodable N-EVENT-REPORT from %s: %s", calling, exc)
            # 0x0110: processing failure.
            return 0x0110, None
        result = _result_from_report(event_type, info)
        with self._condition:
            if result.transaction_uid not in self._expected:
                logger.warning(
                    "Storage Commitment report from %s for unknown transaction %s "
                    "ignored",
                    calling,
                    result.transaction_uid,
                )
                return SUCCESS, None
            self._expected[result.transaction_uid] = result
            self._condition.notify_all()
        logger.info(
            "Storage Commitment report from %s: %d committed, %d failed",
            calling,
            len(result.committed),
            len(result.failed),
        )
        return SUCCESS, None


def _result_from_report(event_type: int, info: Dataset) -> CommitmentResult:
    committed = [
        str(item.get("ReferencedSOPInstanceUID", ""))
        for item in info.get("ReferencedSOPSequence", [])
    ]
    failed = [
        (
            str(item.get("ReferencedSOPInstanceUID", "")),
            int(item.get("FailureReason", 0x0110) or 0x0110),
        )
        for item in info.get("FailedSOPSequence", [])
    ]
    all_committed = event_type == EVENT_ALL_COMMITTED and not failed
    return CommitmentResult(
        state=CommitmentState.COMMITTED if all_committed else CommitmentState.FAILED,
        transaction_uid=str(info.get("TransactionUID", "")),
        committed=committed,
        failed=failed,
    )


def request_commitment(
    node: Node,
    local: LocalEntity,
    instances: Sequence[CommittedInstance],
    reports: CommitmentReports,
    *,
    timeout: float,
) -> CommitmentResult:
    """Ask ``node`` to commit ``instances`` and wait for its report.

    The report comes either on the requesting association or through
    ``reports``, which the caller's running storage SCP must feed. A result
    of COMMITTED lists every requested instance as committed.

    Raises
    ------
    NetworkError
        If the association fails, or the N-ACTION gets no response. A PACS
        that rejects the Storage Commitment context or the N-ACTION raises
        nothing: the result is NOT_SUPPORTED.
    """
    transaction_uid = str(generate_uid())
    contexts = [build_context(STORAGE_COMMITMENT_PUSH_MODEL)]
    negotiation = _Negotiation()
    handlers: list[Any] = [
        (evt.EVT_ACCEPTED, negotiation.on_accepted),
        (evt.EVT_N_EVENT_REPORT, reports.handle_event_report),
    ]
    started = time.monotonic()
    with reports.expect(transaction_uid):
        try:
            result = _send_request(
                node,
                local,
                contexts=contexts,
                handlers=handlers,
                transaction_uid=transaction_uid,
                instances=instances,
                reports=reports,
            )
        except AssociationAbortedError:
            # pynetdicom aborts an association whose only context the peer
            # rejected; that rejection means "not supported".
            if negotiation.accepted_none:
                return _not_supported(
                    node, "the PACS rejected the Storage Commitment context"
                )
            raise
        if result is None:
            remaining = timeout - (time.monotonic() - started)
            result = reports.wait(transaction_uid, max(remaining, 0.0))
    if result is None:
        return CommitmentResult(
            CommitmentState.NO_REPORT,
            transaction_uid,
            reason=f"no Storage Commitment report from {node.label} within "
            f"{timeout:.0f} s; check that the PACS can open an association to "
            f"AE title {local.ae_title} on port {local.scp_port}",
        )
    if result.state == CommitmentState.NOT_SUPPORTED:
        return result
    return _check_complete(result, instances)


class _Negotiation:
    """Whether the peer accepted the association but none of its contexts."""

    def __init__(self) -> None:
        self.accepted_none = False

    def on_accepted(self, event: evt.Event) -> None:
        self.accepted_none = not event.assoc.accepted_contexts


def _send_request(
    node: Node,
    local: LocalEntity,
    *,
    contexts: list[PresentationContext],
    handlers: list[Any],
    transaction_uid: str,
    instances: Sequence[CommittedInstance],
    reports: CommitmentReports,
) -> CommitmentResult | None:
    """Send the N-ACTION; return the report if it came on this association."""
    with associate(node, local, contexts, evt_handlers=handlers) as opened:
        response, _reply = opened.assoc.send_n_action(
            _action_information(transaction_uid, instances),
            REQUEST_STORAGE_COMMITMENT,
            STORAGE_COMMITMENT_PUSH_MODEL,
            STORAGE_COMMITMENT_INSTANCE,
        )
        code = opened.status(response, "N-ACTION")
        if code != SUCCESS and not is_warning(code):
            return _not_supported(
                node, f"the PACS answered the N-ACTION with status 0x{code:04X}"
            )
        return reports.wait(transaction_uid, SAME_ASSOCIATION_WAIT)


def _action_information(
    transaction_uid: str, instances: Sequence[CommittedInstance]
) -> Dataset:
    info = Dataset()
    info.TransactionUID = transaction_uid
    items = []
    for instance in instances:
        item = Dataset()
        item.ReferencedSOPClassUID = instance.sop_class_uid
        item.ReferencedSOPInstanceUID = instance.sop_instance_uid
        items.append(item)
    info.ReferencedSOPSequence = items
    return info


def _not_supported(node: Node, reason: str) -> CommitmentResult:
    logger.info("%s does not support Storage Commitment: %s", node.label, reason)
    return CommitmentResult(CommitmentState.NOT_SUPPORTED, reason=reason)


def _check_complete(
    result: CommitmentResult, instances: Sequence[CommittedInstance]
) -> CommitmentResult:
    # The report lists each requested instance as committed or failed, so an
    # instance it leaves out counts as not committed (0x0112, no such object).
    listed = set(result.committed) | {uid for uid, _reason in result.failed}
    missing = [
        (instance.sop_instance_uid, 0x0112)
        for instance in instances
        if instance.sop_instance_uid not in listed
    ]
    if missing:
        result.failed.extend(missing)
        result.state = CommitmentState.FAILED
    return result


def describe_failure(node: Node, result: CommitmentResult) -> str:
    """Return a one-line message for a result that is not COMMITTED."""
    if result.state != CommitmentState.FAILED:
        return result.reason
    first_uid, first_reason = result.failed[0]
    return (
        f"{node.label} did not commit {len(result.failed)} instances (Storage "
        f"Commitment); first: {first_uid}, failure reason 0x{first_reason:04X}"
    )
