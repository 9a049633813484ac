"""Import a folder of real CT slices into a fresh archive against ``cp -r``.

Each run imports into a new archive and copies into a new folder, so neither
side meets files it has seen before. The page cache holds the source files
for both after the first pair.
"""

from __future__ import annotations

import shutil
import subprocess
import time
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
        per_file = result.ours.median / max(file_count, 1)
        copy_per_file = result.peer.median / max(file_count, 1)
        row.cause = (
            f"{per_file * 1e3:.1f} ms per file against {copy_per_file * 1e3:.1f} ms "
            "for cp, which neither parses nor fsyncs; the archive parses each "
            "header, writes a temporary file, fsyncs and renames it, and commits "
            "the index row with synchronous=FULL."
        )
        row.next_step = (
            "profile import_paths per step (parse, hash, write+fsync, index); "
            "commit the index in batches and overlap parsing with writing in a "
            "second thread."
        )
    return [row]
