"""The local archive: the SQLite index over the file store.

An instance is imported in this order: the incoming file is checked; an
``import_pending`` row names its temporary file; the file is written under the
temporary name, fsynced, linked to its final name and its folder fsynced; then
one transaction indexes it and deletes the pending row. A crash at any point
leaves no indexed file that is missing or incomplete, and the next start
removes the temporary and unindexed files that the pending rows name.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from pydicom.dataset import Dataset
from pydicom.filewriter import dcmwrite

from pacs_desktop.core.archive import changes, removal
from pacs_desktop.core.archive import query as queries
from pacs_desktop.core.archive.batch import ImportBatch, PendingFile, open_source
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.importer import plan_import
from pacs_desktop.core.archive.incoming import IncomingFile, iter_body, read_incoming
from pacs_desktop.core.archive.indexing import IndexConflictError, insert_instance
from pacs_desktop.core.archive.integrity import (
    IntegrityError,
    RefetchGroup,
    VerifyReport,
    check_stored,
    mark_refetch,
    os_account,
    refetch_groups,
    refetch_list,
    stored_instance,
    verify_all,
)
from pacs_desktop.core.archive.rebuild import file_sha256, rebuild_index
from pacs_desktop.core.archive.records import (
    ImportProgress,
    ImportSummary,
    InstanceRecord,
    Rejection,
    SeriesRecord,
    StudyCursor,
    StudyPage,
    StudyQuery,
    StudyRecord,
)
from pacs_desktop.core.archive.schema import COMPONENT, STEPS
from pacs_desktop.core.archive.store import (
    FileStore,
    StoreConflictError,
    StoredFile,
    relative_path,
    temporary_path,
)
from pacs_desktop.core.errors import ArchiveError, DicomReadError
from pacs_desktop.core.security.auditmessage import INTEGRITY_FAILURE

if TYPE_CHECKING:
    from pacs_desktop.core.archive.removal import Actor, RemovedStudy
    from pacs_desktop.core.security.audit import AuditTrail

logger = logging.getLogger(__name__)

IMPORTED = "imported"
DUPLICATE = "duplicate"
REJECTED = "rejected"

# Tokens of the Archive objects alive in this process: their pending rows
# belong to a running import and must survive another object's recovery.
_live_tokens: set[str] = set()

ProgressCallback = Callable[[ImportProgress], None]

# Threads writing the files of one import batch.
WRITE_THREADS = 4

# Upper bound of the database file mapped into memory for reads (1 GiB of
# address space, not of memory: pages are loaded as they are read).
MMAP_BYTES = 1 << 30


@dataclass(frozen=True)
class ImportOutcome:
    """The outcome of one file: imported, duplicate or rejected, and the reason."""

    status: str
    path: Path
    reason: str = ""
    study_uid: str = ""
    sop_instance_uid: str = ""


class Archive:
    """The archive index in ``database`` and the stored files under ``store_dir``.

    Safe to use from several threads: writes are serialised by a lock and each
    thread reads through its own database connection. With ``audit``, a stored
    file that fails its integrity check is recorded in the audit trail.
    """

    def __init__(
        self,
        database: Database,
        store_dir: Path,
        *,
        audit: AuditTrail | None = None,
    ) -> None:
        self.database = database
        self.audit = audit
        self.store = FileStore(store_dir)
        database.migrate(COMPONENT, STEPS)
        database.migrate(removal.COMPONENT, removal.STEPS)
        database.migrate(changes.COMPONENT, changes.STEPS)
        self._token = uuid.uuid4().hex[:16]
        self._counter = itertools.count()
        self._write_lock = threading.RLock()
        self._tuned = threading.local()
        _live_tokens.add(self._token)
        self.recover()

    @property
    def store_dir(self) -> Path:
        """The folder holding the stored files."""
        return self.store.root

    def relocate(self, store_dir: Path) -> None:
        """Read and write the stored files under ``store_dir`` from now on.

        Only `location.move_archive` calls this, after it copied every file.
        """
        with self._write_lock:
            self.store = FileStore(store_dir)

    @property
    def write_lock(self) -> threading.RLock:
        """The lock that serialises this object's writes to the index and store."""
        return self._write_lock

    def _conn(self) -> sqlite3.Connection:
        conn = self.database.connection()
        if getattr(self._tuned, "conn", None) is not conn:
            # Reads through a memory map skip a read() call per database page:
            # the first page of a name filter over a million studies took 1.8
            # instead of 3.5 ms (median, bench/study_list.py). Writes still go
            # through the WAL with synchronous=FULL.
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            self._tuned.conn = conn
        return conn

    # Queries ---------------------------------------------------------------

    def find_studies(self, query: StudyQuery) -> list[StudyRecord]:
        """Return the studies matching ``query``, newest study date first.

        Raises
        ------
        QueryError
            If ``query.date_range`` is not a DICOM date range.
        """
        return queries.find_studies(self._conn(), query)

    def find_studies_page(
        self,
        query: StudyQuery,
        *,
        after: StudyCursor | None = None,
        page_size: int = queries.PAGE_SIZE,
    ) -> StudyPage:
        """Return one page of the studies matching ``query``, newest first.

        Pass the returned ``cursor`` as ``after`` for the next page; it is
        None on the last page. A study list that pages this way shows the
        first rows of a large result without reading all of it.

        Raises
        ------
        QueryError
            If ``query.date_range`` is not a DICOM date range.
        ValueError
            If ``page_size`` is below 1.
        """
        return queries.find_studies_page(
            self._conn(), query, after=after, page_size=page_size
        )

    def change_count(self) -> int:
        """Return the number of committed changes to the archive's studies.

        Any process that imports, receives or deletes studies changes it, so
        a study list that read the same value before its last query shows
        the current studies. Reading it costs one row lookup.

        Raises
        ------
        ArchiveError
            If the database cannot be read.
        """
        return changes.change_count(self._conn())

    def study(self, study_uid: str) -> StudyRecord | None:
        """Return the study with this Study Instance UID, or None."""
        return queries.study(self._conn(), study_uid)

    def series_for_study(self, study_uid: str) -> list[SeriesRecord]:
        """Return the series of a study, ordered by Series Number."""
        return queries.series_for_study(self._conn(), study_uid)

    def instances_for_series(self, series_uid: str) -> list[InstanceRecord]:
        """Return the instances of a series with absolute stored paths."""
        return queries.instances_for_series(self._conn(), series_uid, self.store.root)

    def instance_path(self, sop_instance_uid: str) -> Path | None:
        """Return the absolute path of a stored instance, or None."""
        row = (
            self._conn()
            .execute(
                "SELECT path FROM instances WHERE sop_uid = ?", (sop_instance_uid,)
            )
            .fetchone()
        )
        return self.store.absolute(row[0]) if row is not None else None

    # Integrity -------------------------------------------------------------

    def verify_instance(
        self, sop_instance_uid: str, *, user: str | None = None
    ) -> Path | None:
        """Return the path of a stored instance after checking its SHA-256.

        Every read of a stored file for display or export should come through
        here. None means the instance is not archived. A failure is recorded
        under ``user``, the logged-in user who requested the read; None
        records the operating-system account, marked as such.

        Raises
        ------
        IntegrityError
            If the file is missing or its SHA-256 differs from the one stored
            in the index; the failure is audited (with ``audit``) and the
            instance is marked for re-fetch.
        ArchiveError
            If the re-fetch mark cannot be written.
        """
        instance = stored_instance(self._conn(), self.store, sop_instance_uid)
        if instance is None:
            return None
        problem = check_stored(instance)
        if problem is not None:
            self._integrity_failed([problem], [instance.study_uid], user=user)
            raise problem
        return instance.path

    def verify(
        self, progress: Callable[[int, int], None] | None = None
    ) -> VerifyReport:
        """Check every stored file's SHA-256 and SQLite's ``integrity_check``.

        Failed instances are marked for re-fetch and audited like a failed
        `verify_instance`. ``progress`` receives (files done, total).

        Raises
        ------
        ArchiveError
            If the re-fetch marks cannot be written.
        """
        report = verify_all(self._conn(), self.store, progress)
        if report.failures:
            studies = self._studies_of([f.sop_instance_uid for f in report.failures])
            self._integrity_failed(report.failures, studies)
        return report

    def instances_to_refetch(self) -> list[tuple[str, str, str]]:
        """Return (Study, SOP Instance UID, source AE title) of damaged instances.

        The source AE title is the peer that sent the instance ('' when it
        was imported from a file); the network side retrieves from it.
        """
        return refetch_list(self._conn())

    def refetch_groups(self) -> list[RefetchGroup]:
        """Return the instances marked for re-fetch, grouped by peer and study.

        The sync queue enqueues one retrieve per group from the peer that
        sent it; a group whose ``source_node`` is '' came from files.
        """
        return refetch_groups(refetch_list(self._conn()))

    def _integrity_failed(
        self,
        failures: list[IntegrityError],
        study_uids: list[str],
        *,
        user: str | None = None,
    ) -> None:
        mark_refetch(self._conn(), [failure.sop_instance_uid for failure in failures])
        if self.audit is None:
            return
        detail = "; ".join(str(failure) for failure in failures[:20])
        self.audit.record(
            INTEGRITY_FAILURE,
            user=user if user is not None else os_account(),
            os_account=user is None,
            study_uids=sorted(set(study_uids)),
            detail=f"{len(failures)} stored files failed: {detail}",
        )

    def _studies_of(self, sop_instance_uids: list[str]) -> list[str]:
        studies = []
        for uid in sop_instance_uids:
            instance = stored_instance(self._conn(), self.store, uid)
            if instance is not None:
                studies.append(instance.study_uid)
        return studies

    def count_instances(self) -> int:
        """Return the number of indexed instances."""
        return int(self._conn().execute("SELECT count(*) FROM instances").fetchone()[0])

    def count_studies(self) -> int:
        """Return the number of indexed studies."""
        return int(self._conn().execute("SELECT count(*) FROM studies").fetchone()[0])

    def stored_bytes(self) -> int:
        """Return the total size in bytes of the indexed stored files."""
        row = self._conn().execute("SELECT total(size) FROM instances").fetchone()
        return int(row[0])

    def study_size(self, study_uid: str) -> int:
        """Return the total size in bytes of a study's stored files (0 if absent)."""
        row = (
            self._conn()
            .execute(
                "SELECT total(i.size) FROM instances i JOIN series se ON se.pk = "
                "i.series_pk JOIN studies st ON st.pk = se.study_pk "
                "WHERE st.study_uid = ?",
                (study_uid,),
            )
            .fetchone()
        )
        return int(row[0])

    # Deletion --------------------------------------------------------------

    def delete_study(
        self, study_uid: str, *, actor: Actor, in_use: Sequence[str] = ()
    ) -> RemovedStudy:
        """Delete a study's index rows and stored files; audit the deletion.

        Dictations and reports of the study are kept. See
        `removal.remove_study` for ``actor`` and ``in_use``.

        Raises
        ------
        AccessDeniedError
            If a session's role lacks the delete permission (audited).
        StudyNotFoundError
            If the study is not in the archive.
        RemovalBlockedError
            If the study is open, being dictated, or queued for sending.
        ArchiveError
            If the index cannot be changed or the archive has no audit trail.
        AuditError
            If the deletion cannot be recorded; nothing was deleted then.
        """
        return removal.remove_study(self, study_uid, actor=actor, in_use=in_use)

    # Import ----------------------------------------------------------------

    def import_paths(
        self,
        paths: Sequence[Path],
        *,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportSummary:
        """Import files, folders (recursively) and DICOMDIRs.

        Every file ends in the summary as imported, duplicate or rejected with
        a reason; a bad file never stops the import. ``cancel`` stops it between
        two files; the files checked before it are still stored. Files are
        stored and indexed in batches (see `batch`).

        Raises
        ------
        ArchiveError
            Only if the database itself fails or a store folder cannot be
            synced; file problems are rejections.
        """
        plan = plan_import([Path(p) for p in paths])
        summary = ImportSummary(rejected=list(plan.rejected))
        total = len(plan.files)
        batch = ImportBatch()
        try:
            for done, path in enumerate(plan.files):
                if cancel is not None and cancel.is_set():
                    summary.cancelled = True
                    break
                if progress is not None:
                    progress(ImportProgress(done, total, path))
                self._collect(batch, path, summary)
                if batch.full():
                    self._flush(batch, summary)
            self._flush(batch, summary)
        finally:
            for pending in batch.take():
                pending.close()
        if progress is not None and not summary.cancelled:
            progress(ImportProgress(total, total, Path()))
        logger.info(
            "import finished: %d imported, %d duplicates (%d differing), "
            "%d rejected, %d skipped (not DICOM)%s",
            len(summary.imported),
            len(summary.duplicates),
            len(summary.conflicts),
            len(summary.rejected),
            len(summary.skipped),
            ", cancelled" if summary.cancelled else "",
        )
        return summary

    def import_file(self, path: Path) -> ImportOutcome:
        """Import one file; problems with the file end as a rejected outcome.

        Raises
        ------
        ArchiveError
            Only if the database itself fails.
        """
        try:
            fp = open_source(path)
        except OSError as exc:
            return self._rejected(path, f"cannot read the file: {exc.strerror or exc}")
        return self._import_one(fp, path)

    def import_dataset_bytes(
        self, data: bytes, label: str, *, source_node: str = ""
    ) -> ImportOutcome:
        """Import an encoded DICOM file (with or without preamble and meta).

        ``label`` names the source (a file name, or a peer's AE title) in the
        outcome and in log records. ``source_node`` is the AE title of the
        peer that sent it, kept so a damaged copy can be retrieved again.

        Raises
        ------
        ArchiveError
            Only if the database itself fails.
        """
        return self._import_one(io.BytesIO(data), Path(label), source_node)

    def store_received(
        self, dataset: Dataset, label: str, *, source_node: str = ""
    ) -> ImportOutcome:
        """Store a data set received over the network, through the same path.

        ``dataset.file_meta`` must hold its Transfer Syntax UID;
        ``source_node`` is as for `import_dataset_bytes`.

        Raises
        ------
        ArchiveError
            Only if the database itself fails.
        """
        buffer = io.BytesIO()
        try:
            dcmwrite(buffer, dataset, enforce_file_format=True)
        except (AttributeError, ValueError, TypeError) as exc:
            return self._rejected(Path(label), f"cannot encode the data set: {exc}")
        return self.import_dataset_bytes(
            buffer.getvalue(), label, source_node=source_node
        )

    @staticmethod
    def _add_outcome(summary: ImportSummary, outcome: ImportOutcome) -> None:
        if outcome.status == IMPORTED:
            summary.imported.append(outcome.path)
            summary.studies.add(outcome.study_uid)
        elif outcome.status == DUPLICATE:
            summary.duplicates.append(outcome.path)
            if outcome.reason:
                summary.conflicts.append(Rejection(outcome.path, outcome.reason))
        else:
            summary.rejected.append(Rejection(outcome.path, outcome.reason))

    def _rejected(self, path: Path, reason: str) -> ImportOutcome:
        # The summary shows each rejected path to the user. The log does not:
        # folder names of exported media often carry the patient's name.
        return ImportOutcome(REJECTED, path, reason)

    def _import_one(
        self, fp: BinaryIO, path: Path, source_node: str = ""
    ) -> ImportOutcome:
        batch = ImportBatch()
        try:
            outcome = self._check(batch, fp, path, source_node)
            if outcome is not None:
                return outcome
            return self._store_batch(batch.take())[0]
        finally:
            fp.close()

    def _collect(self, batch: ImportBatch, path: Path, summary: ImportSummary) -> None:
        """Check one file and add it to ``batch``, or record why it is not."""
        try:
            fp = open_source(path)
        except OSError as exc:
            reason = f"cannot read the file: {exc.strerror or exc}"
            self._add_outcome(summary, self._rejected(path, reason))
            return
        outcome = self._check(batch, fp, path)
        if outcome is not None:
            fp.close()
            self._add_outcome(summary, outcome)

    def _check(
        self, batch: ImportBatch, fp: BinaryIO, path: Path, source_node: str = ""
    ) -> ImportOutcome | None:
        """Read the file in ``fp``; add it to ``batch`` or return its outcome."""
        try:
            incoming = read_incoming(fp, path)
        except DicomReadError as exc:
            return self._rejected(path, exc.reason)
        attributes = incoming.attributes
        earlier = batch.by_sop_uid.get(attributes.SOPInstanceUID)
        if earlier is not None:
            stored = earlier.incoming
            return _duplicate_outcome(
                incoming,
                path,
                stored.dataset_sha256,
                stored.transfer_syntax,
                stored.attributes.SeriesInstanceUID,
            )
        relative = relative_path(
            attributes.StudyInstanceUID,
            attributes.SeriesInstanceUID,
            attributes.SOPInstanceUID,
        )
        batch.add(PendingFile(path, incoming, fp, relative, source_node=source_node))
        return None

    def _flush(self, batch: ImportBatch, summary: ImportSummary) -> None:
        files = batch.take()
        if not files:
            return
        try:
            for outcome in self._store_batch(files):
                self._add_outcome(summary, outcome)
        finally:
            for pending in files:
                pending.close()

    def _store_batch(self, files: list[PendingFile]) -> list[ImportOutcome]:
        """Store and index ``files``; return their outcomes in the same order.

        The order of the steps is what makes a crash safe at any point: the
        pending rows commit before any file is written, every file is fsynced
        and linked and its folder fsynced before the commit that indexes it.
        """
        outcomes: dict[int, ImportOutcome] = {}
        with self._write_lock:
            self._release_damaged(files)
            fresh: list[tuple[int, PendingFile]] = []
            for number, pending in enumerate(files):
                duplicate = self._duplicate(pending.incoming, pending.path)
                if duplicate is not None:
                    outcomes[number] = duplicate
                else:
                    fresh.append((number, pending))
            self._add_pending([pending for _, pending in fresh])

            written: list[tuple[int, PendingFile]] = []
            results = self._write_all([pending for _, pending in fresh])
            for (number, pending), rejected in zip(fresh, results, strict=True):
                if rejected is None:
                    written.append((number, pending))
                else:
                    outcomes[number] = rejected
            # A failed folder sync stops the import: the pending rows stay, so
            # the next start removes the unindexed files.
            folders = {self.store.absolute(p.relative).parent for _, p in written}
            for folder in sorted(folders):
                self.store.sync_folder(folder)
            outcomes.update(self._index_batch(written))
        return [outcomes[number] for number in range(len(files))]

    def _release_damaged(self, files: list[PendingFile]) -> None:
        """Drop the stored copies that failed their check and ``files`` replace.

        An instance marked for re-fetch would otherwise count as a duplicate of
        its new copy. The damaged file goes first and its index row after, so a
        crash in between leaves a row whose file is missing, which the next
        import releases again; the other order would leave an unindexed file
        that blocks the new copy's name.
        """
        conn = self._conn()
        marked = {
            row[0]: (row[1], row[2], row[3])
            for row in conn.execute(
                "SELECT sop_uid, pk, path, series_pk FROM instances WHERE needs_refetch"
            )
        }
        replaced = [
            marked[uid]
            for uid in {p.incoming.attributes.SOPInstanceUID for p in files}
            if uid in marked
        ]
        if not replaced:
            return
        for _, relative, _ in replaced:
            self.store.discard(relative)
        try:
            conn.execute("BEGIN IMMEDIATE")
            for pk, _, series_pk in replaced:
                conn.execute("DELETE FROM instances WHERE pk = ?", (pk,))
                conn.execute(
                    "UPDATE series SET instance_count = instance_count - 1 "
                    "WHERE pk = ?",
                    (series_pk,),
                )
                conn.execute(
                    "UPDATE studies SET instance_count = instance_count - 1 WHERE "
                    "pk = (SELECT study_pk FROM series WHERE pk = ?)",
                    (series_pk,),
                )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ArchiveError(
                f"cannot replace {len(replaced)} damaged stored files: {exc}; "
                "run 'pacs-desktop archive verify'"
            ) from exc
        logger.info("replacing %d stored files that failed their check", len(replaced))

    def _add_pending(self, files: list[PendingFile]) -> None:
        if not files:
            return
        rows = []
        for pending in files:
            token = f"{self._token}-{next(self._counter)}"
            pending.temporary = temporary_path(pending.relative, token)
            rows.append((pending.temporary, pending.relative, os.getpid(), self._token))
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO import_pending (temporary_path, final_path, pid, token) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ArchiveError(
                f"cannot record the files being imported: {exc}; the database "
                "may be damaged, run 'pacs-desktop archive rebuild'"
            ) from exc

    def _write_all(self, files: list[PendingFile]) -> list[ImportOutcome | None]:
        # Hashing, writing and fsync release the GIL, so threads overlap one
        # file's fsync with the next file's copy and hash.
        if len(files) < 2:
            return [self._write(pending) for pending in files]
        with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
            return list(pool.map(self._write, files))

    def _write(self, pending: PendingFile) -> ImportOutcome | None:
        """Write one file of a batch (folder not yet fsynced); None on success."""
        incoming = pending.incoming
        try:
            chunks = itertools.chain(
                [incoming.stored_prefix()], iter_body(pending.fp, incoming)
            )
            pending.stored = self.store.write(
                pending.relative, pending.temporary, chunks, sync_folder=False
            )
        except StoreConflictError:
            adopted = self._adopt_existing(pending.relative, incoming)
            if adopted is None:
                self._forget_pending(pending.temporary)
                return self._rejected(
                    pending.path,
                    "another file with this SOP Instance UID is being stored at the "
                    "same time; import this file again",
                )
            pending.stored = adopted
        except DicomReadError as exc:
            self._forget_pending(pending.temporary)
            return self._rejected(pending.path, exc.reason)
        except ArchiveError as exc:
            self._forget_pending(pending.temporary)
            return self._rejected(pending.path, str(exc))
        return None

    def _index_batch(
        self, written: list[tuple[int, PendingFile]]
    ) -> dict[int, ImportOutcome]:
        """Index the written files and delete their pending rows in one commit."""
        if not written:
            return {}
        conn = self._conn()
        lost: list[tuple[int, PendingFile]] = []
        conflicts: dict[int, tuple[PendingFile, str]] = {}
        try:
            conn.execute("BEGIN IMMEDIATE")
            for number, pending in written:
                assert pending.stored is not None
                conn.execute("SAVEPOINT instance")
                try:
                    insert_instance(
                        conn,
                        pending.incoming,
                        pending.stored,
                        source_node=pending.source_node,
                    )
                except sqlite3.IntegrityError:
                    # Another process indexed this SOP Instance UID first.
                    conn.execute("ROLLBACK TO instance")
                    lost.append((number, pending))
                except IndexConflictError as exc:
                    conn.execute("ROLLBACK TO instance")
                    conflicts[number] = (pending, exc.reason)
                conn.execute("RELEASE instance")
            # A conflicting file keeps its pending row until its stored copy
            # is removed, so a crash in between leaves it to `recover`.
            conn.executemany(
                "DELETE FROM import_pending WHERE temporary_path = ?",
                [
                    (pending.temporary,)
                    for number, pending in written
                    if number not in conflicts
                ],
            )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise ArchiveError(
                f"cannot index {written[0][1].path} and {len(written) - 1} more "
                f"files: {exc}; the database may be damaged, run "
                "'pacs-desktop archive rebuild'"
            ) from exc

        outcomes = {
            number: ImportOutcome(
                IMPORTED,
                pending.path,
                "",
                pending.incoming.attributes.StudyInstanceUID,
                pending.incoming.attributes.SOPInstanceUID,
            )
            for number, pending in written
            if number not in conflicts
        }
        for number, (pending, reason) in conflicts.items():
            indexed = conn.execute(
                "SELECT 1 FROM instances WHERE path = ?", (pending.relative,)
            ).fetchone()
            if indexed is None:
                self.store.discard(pending.relative)
            self._forget_pending(pending.temporary)
            outcomes[number] = self._rejected(pending.path, reason)
        for number, pending in lost:
            self.store.discard(pending.temporary)
            duplicate = self._duplicate(pending.incoming, pending.path)
            outcomes[number] = duplicate or self._rejected(
                pending.path, "the index rejected the instance; import again"
            )
        return outcomes

    def _duplicate(self, incoming: IncomingFile, path: Path) -> ImportOutcome | None:
        attributes = incoming.attributes
        row = (
            self._conn()
            .execute(
                "SELECT i.dataset_sha256, i.transfer_syntax_uid, se.series_uid "
                "FROM instances i JOIN series se ON se.pk = i.series_pk "
                "WHERE i.sop_uid = ?",
                (attributes.SOPInstanceUID,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return _duplicate_outcome(incoming, path, row[0], row[1], row[2])

    def _adopt_existing(
        self, relative: str, incoming: IncomingFile
    ) -> StoredFile | None:
        """Return the unindexed file at ``relative`` if it holds the same data set.

        Such a file is left by an import that stopped between writing and
        indexing, or is being indexed by another process right now.
        """
        existing = self.store.absolute(relative)
        try:
            with open(existing, "rb") as fp:
                found = read_incoming(fp, existing)
                stored = StoredFile(relative, fp.seek(0, io.SEEK_END), file_sha256(fp))
        except (OSError, DicomReadError):
            return None
        if found.dataset_sha256 != incoming.dataset_sha256:
            return None
        return stored

    def _forget_pending(self, temporary: str) -> None:
        self.store.discard(temporary)
        with self._conn() as conn:
            conn.execute(
                "DELETE FROM import_pending WHERE temporary_path = ?", (temporary,)
            )

    # Recovery and rebuild --------------------------------------------------

    def recover(self) -> int:
        """Remove what interrupted imports and deletions left behind.

        Temporary and unindexed files of interrupted imports are removed, but
        the pending rows of imports still running (in this or another live
        process) are kept. The files of deleted studies are unlinked (see
        `removal`). Returns the number of import pending rows cleared.
        """
        conn = self._conn()
        rows = conn.execute(
            "SELECT temporary_path, final_path, pid, token FROM import_pending"
        ).fetchall()
        cleared = 0
        with self._write_lock:
            for temporary, final, pid, token in rows:
                if _owner_running(int(pid), str(token)):
                    continue
                self.store.discard(temporary)
                indexed = conn.execute(
                    "SELECT 1 FROM instances WHERE path = ?", (final,)
                ).fetchone()
                if indexed is None:
                    self.store.discard(final)
                with conn:
                    conn.execute(
                        "DELETE FROM import_pending WHERE temporary_path = ?",
                        (temporary,),
                    )
                cleared += 1
            removal.finish_pending_removals(conn, self.store)
        if cleared:
            logger.info("removed the files of %d interrupted imports", cleared)
        return cleared

    def rebuild(self, progress: ProgressCallback | None = None) -> ImportSummary:
        """Rebuild the index from the stored files alone.

        Each stored file is read again; a file that is not valid DICOM, or not
        at the path its UIDs give, is reported as rejected and left in place.
        The old index stays visible until the new one commits.

        Raises
        ------
        ArchiveError
            If the database fails, or files of deleted studies could not be
            removed (a rebuild would index them again); the old index is then
            kept.
        """
        with self._write_lock:
            self.recover()
            self._refuse_pending_removals()
            summary = rebuild_index(self._conn(), self.store, progress)
        logger.info(
            "index rebuilt: %d instances, %d files rejected",
            len(summary.imported),
            len(summary.rejected),
        )
        return summary

    def _refuse_pending_removals(self) -> None:
        left = self._conn().execute("SELECT path FROM removal_pending").fetchall()
        if left:
            raise ArchiveError(
                f"{len(left)} files of deleted studies could not be removed, for "
                f"example {self.store.absolute(str(left[0][0]))}; a rebuild would "
                "bring those studies back. Make the files removable (permissions, "
                "a read-only disk) and run the rebuild again"
            )

    def close(self) -> None:
        """Mark this archive's pending imports as ended (it owns no connection)."""
        _live_tokens.discard(self._token)


def _duplicate_outcome(
    incoming: IncomingFile,
    path: Path,
    stored_sha256: str,
    stored_transfer_syntax: str,
    stored_series_uid: str,
) -> ImportOutcome:
    """Return the duplicate outcome of ``incoming`` against a stored copy."""
    attributes = incoming.attributes
    # A SOP Instance UID names one instance (PS3.5 section 9), so the copy
    # stored first is kept; a differing copy is reported, not stored.
    reason = ""
    if stored_series_uid != attributes.SeriesInstanceUID:
        reason = "the stored copy belongs to another series; kept the stored copy"
    elif stored_transfer_syntax != incoming.transfer_syntax:
        reason = (
            f"stored in transfer syntax {stored_transfer_syntax}, this file is in "
            f"{incoming.transfer_syntax}; kept the stored copy"
        )
    elif stored_sha256 != incoming.dataset_sha256:
        reason = "the data set differs from the stored copy; kept the stored copy"
    return ImportOutcome(
        DUPLICATE,
        path,
        reason,
        attributes.StudyInstanceUID,
        attributes.SOPInstanceUID,
    )


def _owner_running(pid: int, token: str) -> bool:
    if pid == os.getpid():
        return token in _live_tokens
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
