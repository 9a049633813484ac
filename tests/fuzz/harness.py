"""Import one mutated file into a fresh archive and render it, noting every breach.

The contract under test: an import ends with the file imported, a duplicate
or rejected with a non-empty reason, and never raises; rendering an imported
file returns 8-bit display values or raises a core error with a reason; each
step finishes within the time limit. Anything else is a problem, described
in words that name the step and the exception.
"""

from __future__ import annotations

import shutil
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import numpy as np

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import ImportSummary
from pacs_desktop.core.dicom.isolation import DecodeTimeoutError, DecodeWorker
from pacs_desktop.core.dicom.pipeline import to_display
from pacs_desktop.core.errors import PacsDesktopError

# Seconds one file may take to import, and one frame to decode.
TIME_LIMIT = 2.0

IMPORTED = "imported"
DUPLICATE = "duplicate"
REJECTED = "rejected"
RENDERED = "image"
RENDER_ERROR = "error"
RENDER_TIMEOUT = "timeout"
NOT_RENDERED = "none"


@dataclass
class FileResult:
    """What became of one mutated file, and every breach of the contract."""

    outcome: str = ""
    reason: str = ""
    import_seconds: float = 0.0
    render: str = NOT_RENDERED
    render_reason: str = ""
    problems: list[str] = field(default_factory=list)


class Harness:
    """Runs mutated files through import and render, one fresh archive each.

    The decoding child process is started once and reused; a file that hangs
    the decoder costs a killed child and a new one.
    """

    def __init__(self, workdir: Path, *, time_limit: float = TIME_LIMIT) -> None:
        self.workdir = workdir
        self.time_limit = time_limit
        self.worker = DecodeWorker(timeout=time_limit)
        self._cases = 0

    def __enter__(self) -> Harness:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self, warm_up: Path) -> None:
        """Start the decoding child by decoding ``warm_up``, outside any timing."""
        self.worker.decode(warm_up, 0)

    def close(self) -> None:
        """Stop the decoding child."""
        self.worker.close()

    def run(self, data: bytes, name: str = "mutated.dcm") -> FileResult:
        """Import ``data`` as a file called ``name`` and render it when imported."""
        self._cases += 1
        case = self.workdir / f"case-{self._cases}"
        case.mkdir(parents=True)
        source = case / name
        source.write_bytes(data)
        database = Database(case / "archive.sqlite")
        archive = Archive(database, case / "store")
        try:
            result = FileResult()
            summary = self._import(archive, source, result)
            if summary is not None and result.outcome == IMPORTED:
                self._render(archive, summary, result)
            return result
        finally:
            archive.close()
            database.close()
            shutil.rmtree(case, ignore_errors=True)

    def _import(
        self, archive: Archive, source: Path, result: FileResult
    ) -> ImportSummary | None:
        outcome: list[ImportSummary | BaseException] = []

        def target() -> None:
            try:
                outcome.append(archive.import_paths([source]))
            except BaseException as exc:
                outcome.append(exc)

        # A daemon thread, so an import that never returns is reported as a
        # hang and the run continues (the stuck thread is abandoned).
        started = time.monotonic()
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(self.time_limit * 5)
        result.import_seconds = time.monotonic() - started
        if not outcome:
            result.problems.append(
                f"import did not finish within {self.time_limit * 5:g} s"
            )
            return None
        if result.import_seconds > self.time_limit:
            result.problems.append(
                f"import took {result.import_seconds:.2f} s, over the "
                f"{self.time_limit:g} s limit"
            )
        found = outcome[0]
        if isinstance(found, BaseException):
            result.problems.append(f"import raised {_describe(found)}")
            return None
        _classify(found, source, result)
        return found

    def _render(
        self, archive: Archive, summary: ImportSummary, result: FileResult
    ) -> None:
        instances = [
            instance
            for study in summary.studies
            for series in archive.series_for_study(study)
            for instance in archive.instances_for_series(series.SeriesInstanceUID)
        ]
        if len(instances) != 1:
            result.problems.append(
                f"the archive lists {len(instances)} instances after importing one"
            )
            return
        instance = instances[0]
        try:
            path = archive.verify_instance(instance.SOPInstanceUID)
        except PacsDesktopError as exc:
            result.problems.append(f"the stored file failed its check: {exc}")
            return
        if path is None:
            result.problems.append("the imported instance has no stored file")
            return
        frames = [0]
        if (instance.NumberOfFrames or 1) > 1:
            frames.append(int(instance.NumberOfFrames or 1) - 1)
        for frame_index in frames:
            if not self._render_frame(path, frame_index, result):
                return

    def _render_frame(self, path: Path, frame_index: int, result: FileResult) -> bool:
        """Decode and display one frame; return False when rendering stopped."""
        try:
            frame = self.worker.decode(path, frame_index)
            image = to_display(frame)
        except DecodeTimeoutError as exc:
            result.render, result.render_reason = RENDER_TIMEOUT, exc.reason
            result.problems.append(f"rendering hung: {exc.reason}")
            return False
        except PacsDesktopError as exc:
            result.render, result.render_reason = RENDER_ERROR, str(exc)
            if not getattr(exc, "reason", str(exc)):
                result.problems.append(f"render error without a reason: {exc!r}")
            return False
        except Exception as exc:
            result.render = RENDER_ERROR
            result.problems.append(f"rendering raised {_describe(exc)}")
            return False
        if image.dtype != np.uint8 or image.ndim not in (2, 3) or image.size == 0:
            result.problems.append(
                f"rendering returned {image.dtype} of shape {image.shape}, "
                "not 8-bit display values"
            )
        result.render = RENDERED
        return True


def _classify(summary: ImportSummary, source: Path, result: FileResult) -> None:
    places = [
        (IMPORTED, source in summary.imported, ""),
        (DUPLICATE, source in summary.duplicates, ""),
    ]
    places.extend(
        (REJECTED, True, rejection.reason)
        for rejection in summary.rejected
        if rejection.path == source
    )
    found = [(name, reason) for name, present, reason in places if present]
    if len(found) != 1:
        result.problems.append(
            f"the import summary lists the file {len(found)} times: {summary}"
        )
        return
    result.outcome, result.reason = found[0]
    if result.outcome == REJECTED and not result.reason.strip():
        result.problems.append("rejected without a reason")


def _describe(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-3:]
    frames = "; ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in where)
    return f"{type(exc).__name__}: {exc} (at {frames})"
