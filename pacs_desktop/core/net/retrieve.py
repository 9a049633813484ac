"""Retrieve a study or some of its series into the local archive.

C-GET comes first (PS3.4 C.4.3): the instances arrive on the same association,
so the PACS needs no route back to the workstation. Each presentation context
offers ONE transfer syntax, because Orthanc 1.10 fails a C-GET of JPEG 2000
instances when one context offers both JPEG 2000 and uncompressed syntaxes.
The association proposes the SCP role for each storage SOP class (PS3.7
D.3.3.4); when the PACS grants none, the retrieve falls back to C-MOVE towards
the workstation's own storage SCP.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydicom import Dataset
from pydicom.uid import (
    HTJ2K,
    JPEG2000,
    ExplicitVRLittleEndian,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    JPEGLosslessSV1,
    JPEGLSLossless,
    RLELossless,
)
from pynetdicom import build_context, build_role, evt
from pynetdicom.presentation import PresentationContext

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.association import (
    LocalEntity,
    OpenAssociation,
    Watchdog,
    associate,
)
from pacs_desktop.core.net.errors import OperationFailedError, PortInUseError
from pacs_desktop.core.net.find import (
    RemoteInstance,
    count_related_instances,
    find_instances,
)
from pacs_desktop.core.net.nodes import Node
from pacs_desktop.core.net.scp import (
    ArchiveReceiver,
    ReceivedCounter,
    StorageSCP,
    port_in_use,
)
from pacs_desktop.core.net.status import (
    CANCEL,
    MOVE_DESTINATION_UNKNOWN,
    PENDING,
    SUCCESS,
    is_out_of_resources,
    is_warning,
)

logger = logging.getLogger(__name__)

STUDY_ROOT_GET = "1.2.840.10008.5.1.4.1.2.2.3"
STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2"

# Offered one per presentation context, most common first.
GET_TRANSFER_SYNTAXES = (
    ExplicitVRLittleEndian,
    ImplicitVRLittleEndian,
    JPEG2000Lossless,
    JPEG2000,
    JPEGLosslessSV1,
    JPEGLSLossless,
    RLELossless,
    JPEGBaseline8Bit,
    JPEGExtended12Bit,
    HTJ2KLossless,
    HTJ2KLosslessRPCL,
    HTJ2K,
)

# Used when the PACS does not list SOP classes: CT, MR, CR, DX, US, SC, XA, PT.
COMMON_STORAGE_CLASSES = (
    "1.2.840.10008.5.1.4.1.1.2",
    "1.2.840.10008.5.1.4.1.1.4",
    "1.2.840.10008.5.1.4.1.1.1",
    "1.2.840.10008.5.1.4.1.1.1.1",
    "1.2.840.10008.5.1.4.1.1.6.1",
    "1.2.840.10008.5.1.4.1.1.7",
    "1.2.840.10008.5.1.4.1.1.12.1",
    "1.2.840.10008.5.1.4.1.1.128",
)

# Associations a large C-GET is split over, and the fewest instances each
# gets. With three, 134 CT slices from Orthanc 1.10 took 1.23 s instead of
# 1.57 s on 2 cores (bench/network.py, median of 5).
PARALLEL_GETS = 3
MIN_SHARE = 16

# PS3.8 9.3.2.2: at most 128 presentation contexts, one is the C-GET model.
MAX_STORAGE_CONTEXTS = 127


class RetrieveCancelledError(PacsDesktopError):
    """The user cancelled a retrieve; instances already stored stay stored."""


@dataclass
class RetrieveProgress:
    """Progress of one retrieve: instances and bytes received so far."""

    received: int
    expected: int
    bytes_received: int
    elapsed: float

    @property
    def megabytes_per_second(self) -> float:
        """Transfer rate in MB/s (10^6 bytes) since the start."""
        return self.bytes_received / 1e6 / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """Estimated seconds to go at the rate so far, None before the first."""
        if self.received == 0 or self.expected <= self.received:
            return None if self.received == 0 else 0.0
        per_instance = self.elapsed / self.received
        return per_instance * (self.expected - self.received)


ProgressCallback = Callable[[RetrieveProgress], None]


@dataclass
class RetrieveResult:
    """The outcome of a retrieve."""

    method: str
    expected: int
    received: int
    failed: int
    missing: list[str]
    # NumberOfStudyRelatedInstances (or the series' counts) from the PACS,
    # None when the PACS returned none; `local_count` is the archive's count.
    pacs_count: int | None = None
    local_count: int = 0

    @property
    def missing_count(self) -> int:
        """Instances the archive lacks: listed ones, or by the PACS's count."""
        short = (self.pacs_count or 0) - self.local_count
        return max(len(self.missing), short)

    @property
    def complete(self) -> bool:
        """Whether every listed instance is in the archive and the count matches.

        The archive's count of the study (or of the listed series) must reach
        the PACS's count, because an IMAGE-level C-FIND that a PACS truncates
        lists fewer instances than the study has. A larger local count
        (instances created on this workstation) does not fail the retrieve.
        """
        if self.expected == 0 or self.missing:
            return False
        return self.pacs_count is None or self.local_count >= self.pacs_count


def retrieve(
    node: Node,
    local: LocalEntity,
    archive: Archive,
    study_uid: str,
    *,
    series_uids: Sequence[str] = (),
    method: str = "auto",
    scp: StorageSCP | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> RetrieveResult:
    """Retrieve a study, or the listed series of it, into ``archive``.

    ``method`` is ``"get"``, ``"move"`` or ``"auto"`` (C-GET, then C-MOVE when
    the PACS grants no storage SCP role). C-MOVE needs the workstation's
    storage SCP: ``scp`` when it runs, else one started for this retrieve on
    ``local.scp_port``.

    Raises
    ------
    NetworkError
        If an association or the C-GET/C-MOVE fails; ``retryable`` says
        whether the sync queue should try again.
    RetrieveCancelledError
        If ``cancel`` was set.
    """
    expected = find_instances(node, local, study_uid, series_uids)
    pacs_count = count_related_instances(node, local, study_uid, series_uids)
    job = _Job(
        node,
        local=local,
        archive=archive,
        study_uid=study_uid,
        series_uids=series_uids,
        expected=expected,
        progress=progress,
        cancel=cancel,
    )
    chosen = node.retrieve if method == "auto" else method
    used = "get"
    if chosen in ("auto", "get"):
        granted = job.run_get()
        if not granted:
            if chosen == "get":
                raise OperationFailedError(
                    node.label,
                    "the PACS accepted no storage SCP role for C-GET; retrieve "
                    "with C-MOVE instead (--method move)",
                    status=None,
                    retryable=False,
                )
            logger.info("%s grants no C-GET storage role; using C-MOVE", node.label)
            chosen = "move"
    if chosen == "move":
        used = "move"
        job.run_move(scp)
    return job.result(used, pacs_count)


class _Job:
    """The state of one retrieve shared by its C-GET and C-MOVE attempts."""

    def __init__(
        self,
        node: Node,
        *,
        local: LocalEntity,
        archive: Archive,
        study_uid: str,
        series_uids: Sequence[str],
        expected: list[RemoteInstance],
        progress: ProgressCallback | None,
        cancel: threading.Event | None,
    ) -> None:
        self.node = node
        self.local = local
        self.archive = archive
        self.study_uid = study_uid
        self.series_uids = list(series_uids)
        self.expected = expected
        self.progress = progress
        self.cancel = cancel or threading.Event()
        self.counter = ReceivedCounter(study_uid)
        self.started = time.monotonic()
        self._watchdogs: list[Watchdog] = []
        self._progress_lock = threading.Lock()
        self._reported = 0
        # Set when one association of a split C-GET failed.
        self._stop = threading.Event()

    def identifier(self) -> Dataset:
        ds = Dataset()
        ds.QueryRetrieveLevel = "SERIES" if self.series_uids else "STUDY"
        ds.StudyInstanceUID = self.study_uid
        if self.series_uids:
            ds.SeriesInstanceUID = self.series_uids
        return ds

    def on_received(self, _received: object) -> None:
        # Any association's instance is progress for all: they share the
        # archive's writer, so one may wait while another's batch commits.
        for watchdog in list(self._watchdogs):
            watchdog.kick()
        if self.progress is None:
            return
        elapsed = time.monotonic() - self.started
        # The parallel C-GET associations call this from their own threads.
        # Reading the counter and reporting under one lock, and only a count
        # above the last one reported, keeps the reported total monotonic.
        with self._progress_lock:
            received = self.counter.stored
            if received <= self._reported:
                return
            self._reported = received
            self.progress(
                RetrieveProgress(
                    received=received,
                    expected=len(self.expected),
                    bytes_received=self.counter.bytes,
                    elapsed=elapsed,
                )
            )

    def run_get(self) -> bool:
        """Run the C-GET; return False when the PACS granted no storage role.

        A large retrieve is split over `PARALLEL_GETS` associations, each
        retrieving a share of the listed instances, so one association's
        wait for the archive's fsync overlaps another's transfer.
        """
        classes = sorted(
            {item.SOPClassUID for item in self.expected if item.SOPClassUID}
        )
        contexts, roles = _get_contexts(classes or list(COMMON_STORAGE_CLASSES))
        receiver = ArchiveReceiver(self.archive)
        receiver.add_listener(self.counter)
        receiver.add_listener(self.on_received)
        handlers = [(evt.EVT_C_STORE, receiver.handle_store)]
        shares = _shares(self.expected, self.identifier())
        if len(shares) == 1:
            return self._get_share(shares[0], contexts, roles, handlers)

        outcomes: list[bool | BaseException] = []

        def run(identifiers: list[Dataset]) -> None:
            try:
                outcomes.append(self._get_share(identifiers, contexts, roles, handlers))
            except BaseException as exc:
                # A failed share cancels the others; the first error is raised.
                outcomes.append(exc)
                self._stop.set()

        threads = [
            threading.Thread(target=run, args=(share,), name="c-get", daemon=True)
            for share in shares
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        errors = [o for o in outcomes if isinstance(o, BaseException)]
        if errors:
            first = next(
                (e for e in errors if not isinstance(e, RetrieveCancelledError)),
                errors[0],
            )
            raise first
        return any(outcomes)

    def _get_share(
        self,
        identifiers: list[Dataset],
        contexts: list[PresentationContext],
        roles: list[object],
        handlers: list[Any],
    ) -> bool:
        with associate(
            self.node, self.local, contexts, ext_neg=roles, evt_handlers=handlers
        ) as opened:
            if not _storage_role_granted(opened):
                return False
            self._watchdogs.append(opened.watchdog)
            try:
                for identifier in identifiers:
                    self._follow(
                        opened,
                        opened.assoc.send_c_get(identifier, STUDY_ROOT_GET),
                        "C-GET",
                    )
            finally:
                self._watchdogs.remove(opened.watchdog)
        return True

    def run_move(self, scp: StorageSCP | None) -> None:
        with _move_destination(self, scp) as destination:
            destination.receiver.add_listener(self.counter)
            destination.receiver.add_listener(self.on_received)
            try:
                contexts = [build_context(STUDY_ROOT_MOVE)]
                with associate(self.node, self.local, contexts) as opened:
                    self._watchdogs.append(opened.watchdog)
                    responses = opened.assoc.send_c_move(
                        self.identifier(), self.local.ae_title, STUDY_ROOT_MOVE
                    )
                    completed = self._follow(opened, responses, "C-MOVE")
                # The sub-operations may still be finishing on the other
                # association when the final C-MOVE response arrives.
                self.counter.wait_for(completed, self.local.timeouts.dimse)
            finally:
                destination.receiver.remove_listener(self.counter)
                destination.receiver.remove_listener(self.on_received)

    def _follow(
        self,
        opened: OpenAssociation,
        responses: Iterator[tuple[Dataset, Dataset | None]],
        operation: str,
    ) -> int:
        """Read the responses to the end; return the completed sub-operations."""
        completed = 0
        for status, _identifier in responses:
            code = opened.status(status, operation)
            completed = int(status.get("NumberOfCompletedSuboperations", 0) or 0)
            if code in PENDING:
                if self.cancel.is_set() or self._stop.is_set():
                    opened.assoc.abort()
                    raise RetrieveCancelledError(
                        f"retrieve from {self.node.label} cancelled; the instances "
                        "received so far stay in the archive"
                    )
                continue
            if code == SUCCESS or is_warning(code):
                return completed
            raise _retrieve_failure(self.node, self.local, operation, code, status)
        return completed

    def result(self, method: str, pacs_count: int | None) -> RetrieveResult:
        missing = [
            item.SOPInstanceUID
            for item in self.expected
            if self.archive.instance_path(item.SOPInstanceUID) is None
        ]
        result = RetrieveResult(
            method=method,
            expected=len(self.expected),
            received=self.counter.stored,
            failed=self.counter.failed,
            missing=missing,
            pacs_count=pacs_count,
            local_count=self._local_count(),
        )
        logger.info(
            "retrieve by %s from %s: %d of %d instances received, %d missing, "
            "%d in the archive of %s on the PACS",
            method,
            self.node.label,
            result.received,
            result.expected,
            result.missing_count,
            result.local_count,
            "?" if pacs_count is None else pacs_count,
        )
        return result

    def _local_count(self) -> int:
        series_uids = self.series_uids or [
            series.SeriesInstanceUID
            for series in self.archive.series_for_study(self.study_uid)
        ]
        return sum(len(self.archive.instances_for_series(uid)) for uid in series_uids)


def _shares(expected: Sequence[RemoteInstance], whole: Dataset) -> list[list[Dataset]]:
    """Split a retrieve into the C-GET identifiers of each association.

    Each share is a run of the listed instances in series order; a series
    wholly inside a share is asked for at SERIES level, a part of one at
    IMAGE level with the list of its SOP Instance UIDs (PS3.4 C.4.3.2.1).
    Small retrieves, or a list without Series Instance UIDs, stay whole.
    """
    count = min(PARALLEL_GETS, len(expected) // MIN_SHARE)
    if count < 2 or not all(item.SeriesInstanceUID for item in expected):
        return [[whole]]
    ordered = sorted(expected, key=lambda item: item.SeriesInstanceUID)
    sizes = Counter(item.SeriesInstanceUID for item in ordered)
    shares: list[list[Dataset]] = []
    for number in range(count):
        part = ordered[
            number * len(ordered) // count : (number + 1) * len(ordered) // count
        ]
        by_series: dict[str, list[str]] = {}
        for item in part:
            by_series.setdefault(item.SeriesInstanceUID, []).append(item.SOPInstanceUID)
        identifiers = []
        for series_uid, sop_uids in by_series.items():
            ds = Dataset()
            ds.StudyInstanceUID = whole.StudyInstanceUID
            ds.SeriesInstanceUID = series_uid
            if len(sop_uids) == sizes[series_uid]:
                ds.QueryRetrieveLevel = "SERIES"
            else:
                ds.QueryRetrieveLevel = "IMAGE"
                ds.SOPInstanceUID = sop_uids
            identifiers.append(ds)
        shares.append(identifiers)
    return shares


def _get_contexts(
    classes: Sequence[str],
) -> tuple[list[PresentationContext], list[object]]:
    per_class = max(
        1, min(len(GET_TRANSFER_SYNTAXES), MAX_STORAGE_CONTEXTS // len(classes))
    )
    contexts = [build_context(STUDY_ROOT_GET)]
    roles: list[object] = []
    for uid in classes[:MAX_STORAGE_CONTEXTS]:
        for syntax in GET_TRANSFER_SYNTAXES[:per_class]:
            contexts.append(build_context(uid, [syntax]))
        roles.append(build_role(uid, scp_role=True))
    return contexts, roles


def _storage_role_granted(opened: OpenAssociation) -> bool:
    return any(
        context.abstract_syntax != STUDY_ROOT_GET and context.as_scp
        for context in opened.assoc.accepted_contexts
    )


@contextmanager
def _move_destination(job: _Job, scp: StorageSCP | None) -> Iterator[StorageSCP]:
    if scp is not None and scp.running:
        yield scp
        return
    temporary = StorageSCP(
        job.archive,
        ae_title=job.local.ae_title,
        port=job.local.scp_port,
        allowed_aets=lambda: [job.node.ae_title],
        timeouts=job.local.timeouts,
        limits=job.local.receive_limits(),
    )
    try:
        temporary.start()
    except PortInUseError as exc:
        raise move_port_in_use_error(job.node, job.local) from exc
    try:
        yield temporary
    finally:
        temporary.stop()


def move_port_in_use_error(node: Node, local: LocalEntity) -> PortInUseError:
    """Return the error of a C-MOVE whose storage SCP port another program holds.

    The PACS sends C-MOVE sub-operations only to the address and port it has
    registered for the workstation's AE title, so another port cannot help.
    """
    return PortInUseError(
        f"storage SCP {local.ae_title}",
        f"port {local.scp_port} is in use, probably by a running PACS Desktop "
        f"window. A C-MOVE from {node.name} needs this port, because the PACS "
        f"sends the images to {local.ae_title} at port {local.scp_port}. "
        "Retrieve the study in that window, close the window and retrieve "
        "again, or retrieve with C-GET (`--method get`) if the PACS supports it",
        port=local.scp_port,
    )


def check_move_destination(node: Node, local: LocalEntity, method: str) -> None:
    """Check that a retrieve by ``method`` that uses C-MOVE can receive images.

    Only a retrieve that certainly uses C-MOVE is checked: ``method`` "move",
    or "auto" on a node set to C-MOVE. An "auto" retrieve that falls back to
    C-MOVE fails later with the same error.

    Raises
    ------
    PortInUseError
        If another program listens on the workstation's storage SCP port.
    """
    chosen = node.retrieve if method == "auto" else method
    if chosen == "move" and port_in_use(local.scp_port):
        raise move_port_in_use_error(node, local)


def _retrieve_failure(
    node: Node, local: LocalEntity, operation: str, code: int, status: Dataset
) -> OperationFailedError:
    comment = status.get("ErrorComment", "")
    detail = f" ({comment})" if comment else ""
    if code == MOVE_DESTINATION_UNKNOWN:
        return OperationFailedError(
            node.label,
            f"the PACS does not know this workstation as a C-MOVE destination "
            f"(status 0xA801); register AE title {local.ae_title}, this "
            f"computer's host name or address and port {local.scp_port} on the "
            "PACS, or retrieve with C-GET",
            status=code,
            retryable=False,
        )
    if code == CANCEL:
        return OperationFailedError(
            node.label,
            f"{operation} cancelled by the PACS",
            status=code,
            retryable=True,
        )
    hint = ""
    if operation == "C-MOVE":
        hint = (
            f"; if the PACS does not know this workstation, register AE title "
            f"{local.ae_title} with its address and port {local.scp_port} there"
        )
    return OperationFailedError(
        node.label,
        f"{operation} failed with status 0x{code:04X}{detail}{hint}",
        status=code,
        retryable=is_out_of_resources(code),
    )
