"""Import a folder of real CT slices into a fresh archive against ``cp -r``.

Each run imports into a new archive and copies into a new folder, so neither
side meets files it has seen before. The page cache holds the source files
for both after the first pair.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import (
    SECONDS,
    Context,
    Goal,
    Row,
    Target,
    not_measured,
    run_pairs,
)
from bench.samples import CT_FOLDER, MissingInputError, find_product, require_folder

WORKLOAD = "import a folder"
PEER = "cp -r of the same files"
TARGET = Target(Goal.THROUGHPUT_AT_LEAST, 0.8)
QUICK_FILES = 20


def run(ctx: Context) -> list[Row]:
    """Time Archive.import_paths on the CT folder against cp -r."""
    case = f"{CT_FOLDER} into a fresh archive"
    try:
        archive_class = find_product("pacs_desktop.core.archive.index", "Archive")
        source = require_folder(ctx.data_dir, CT_FOLDER)
    except MissingInputError as exc:
        return [not_measured(WORKLOAD, case, PEER, TARGET, str(exc))]

    from pacs_desktop.core.archive.database import DATABASE_NAME, Database

    if ctx.quick:
        # A smaller folder of the same slices keeps the smoke run short.
        subset = ctx.folder("subset")
        for path in sorted(source.glob("*.dcm"))[:QUICK_FILES]:
            shutil.copy2(path, subset / path.name)
        source = subset
        case = f"{QUICK_FILES} slices of {CT_FOLDER} into a fresh archive"
    file_count = len(list(source.glob("*.dcm")))
    counter = iter(range(1_000_000))
    imported: list[int] = []

    def ours() -> float:
        target = ctx.folder(f"archive-{next(counter)}")
        database = Database(target / DATABASE_NAME)
        archive: Any = archive_class(database, target / "store")
        start = time.perf_counter()
        summary = archive.import_paths([source])
        elapsed = time.perf_counter() - start
        database.close()
        imported.append(len(summary.imported))
        shutil.rmtree(target)
        return elapsed

    def peer() -> float:
        target = ctx.scratch / f"copy-{next(counter)}"
        start = time.perf_counter()
        subprocess.run(["cp", "-r", str(source), str(target)], check=True)
        elapsed = time.perf_counter() - start
        shutil.rmtree(target)
        return elapsed

    result = run_pairs(ours, peer, ctx.pairs(5, 2))
    row = Row(WORKLOAD, case, PEER, TARGET, SECONDS, result=result)
    row.notes.append(
        f"{file_count} files; each import stored {min(imported)}-{max(imported)} "
        "of them."
    )
    if row.met is False:
        _explain(row, source, result.peer.median)
    return [row]


def _explain(row: Row, source: Path, copy_seconds: float) -> None:
    """Measure the parts of an import that cp does not do, in this run."""
    from pacs_desktop.core.archive.incoming import read_incoming

    files = sorted(source.glob("*.dcm"))
    contents = [path.read_bytes() for path in files]

    start = time.perf_counter()
    for path, data in zip(files, contents, strict=True):
        read_incoming(io.BytesIO(data), path)
    parse = time.perf_counter() - start

    start = time.perf_counter()
    for data in contents:
        # The stored file's hash, on top of the data set's in read_incoming.
        hashlib.sha256(data).digest()
    hashing = time.perf_counter() - start

    with tempfile.TemporaryDirectory(dir=source.parent.parent) as scratch:
        start = time.perf_counter()
        for number, data in enumerate(contents):
            with open(Path(scratch) / f"{number}.tmp", "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        fsync = time.perf_counter() - start

    assert row.result is not None
    row.cause = (
        f"{row.result.ours.median:.3f} s against {copy_seconds:.3f} s for cp, "
        f"which neither parses, hashes nor fsyncs. Measured in this run for "
        f"the {len(files)} files: parsing the headers, checking the structure "
        f"and hashing the data set {parse:.3f} s, the stored file's SHA-256 "
        f"{hashing:.3f} s (on writer threads in the import), writing with an "
        f"fsync per file {fsync:.3f} s; the index commits once per batch."
    )
    row.next_step = (
        "parse in worker processes on both cores or read only the attributes "
        "the index needs; the fsync per file is the durability floor and "
        "stays."
    )
