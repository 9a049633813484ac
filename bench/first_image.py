"""Time to first image: study opened to pixels painted, absolute.

The real CT series is imported into a fresh archive twice: as stored
(uncompressed) and re-encoded as JPEG 2000 lossless. Each run opens the
study in a real ``ViewerWidget`` on Qt's offscreen platform, with the
decoding processes started before the clock as the application starts them
after login, and stops the clock once the first image has been painted. The
rows have no peer; the peer column is zero.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pydicom.uid import generate_uid

from bench.harness import (
    MILLISECONDS,
    Context,
    Goal,
    Row,
    Target,
    not_measured,
    run_pairs,
)
from bench.samples import (
    MissingInputError,
    ct_paths,
    encode_j2k,
    find_product,
    read_bytes_dataset,
)

WORKLOAD = "time to first image"
PEER = "none (absolute)"
J2K_CASE = "JPEG 2000 CT, study opened to pixels painted"
RAW_CASE = "uncompressed CT, study opened to pixels painted"
CASES = (
    (J2K_CASE, Target(Goal.MEDIAN_AT_MOST, 0.05)),
    (RAW_CASE, Target(Goal.MEDIAN_AT_MOST, 0.02)),
)
TIMEOUT = 30.0

# Qt objects kept alive for the whole workload.
_qt_objects: list[object] = []


def _write_j2k_series(ctx: Context, sources: list[Path]) -> Path:
    folder = ctx.folder("j2k")
    study_uid, series_uid = generate_uid(), generate_uid()
    for number, path in enumerate(sources):
        ds = encode_j2k(read_bytes_dataset(path.read_bytes()))
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.save_as(folder / f"{number:04d}.dcm", enforce_file_format=True)
    return folder


def _wait(app: Any, condition: Any) -> None:
    deadline = time.perf_counter() + TIMEOUT
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("the viewer did not show the study in time")
        app.processEvents()


def _open_once(app: Any, viewer: Any, study: Any) -> float:
    start = time.perf_counter()
    viewer.open_study(study)
    _wait(app, lambda: viewer.current_display().size > 0)
    viewer.image_view.viewport().repaint()
    elapsed = time.perf_counter() - start
    # Untimed: let the series load and its prefetch settle before the next run.
    _wait(app, lambda: viewer.current_index == 0)
    _wait(app, lambda: viewer.loader.pending_decodes == 0)
    viewer.close_study()
    return elapsed


def run(ctx: Context) -> list[Row]:
    """Open each study in the viewer and time it to the first painted image."""
    try:
        find_product("pacs_desktop.ui.viewer.decoding", "ProcessDecoding")
        sources = ct_paths(ctx.data_dir)
    except MissingInputError as exc:
        return [
            not_measured(WORKLOAD, case, PEER, target, str(exc))
            for case, target in CASES
        ]
    if ctx.quick:
        sources = sources[:20]

    from PySide6.QtWidgets import QApplication

    from pacs_desktop.core.archive.records import StudyQuery
    from pacs_desktop.core.workstation import Workstation
    from pacs_desktop.ui.viewer import ViewerWidget
    from pacs_desktop.ui.viewer.decoding import ProcessDecoding

    app = QApplication.instance() or QApplication([])
    _qt_objects.append(app)
    station = Workstation(ctx.folder("data"))
    decoding = ProcessDecoding(workers=2)
    rows: list[Row] = []
    try:
        station.archive.import_paths(sources)
        station.archive.import_paths([_write_j2k_series(ctx, sources)])
        studies = station.archive.find_studies(StudyQuery())
        by_syntax = {_is_j2k(station, study): study for study in studies}
        decoding.start()
        decoding.wait_ready(TIMEOUT)
        viewer = ViewerWidget(station.archive, decoding=decoding)
        viewer.resize(1024, 768)
        viewer.show()
        try:
            for (case, target), j2k in zip(CASES, (True, False), strict=True):
                study = by_syntax[j2k]
                result = run_pairs(
                    lambda study=study: _open_once(app, viewer, study),
                    lambda: 0.0,
                    ctx.pairs(15, 3),
                    warmup=2,
                )
                rows.append(Row(WORKLOAD, case, PEER, target, MILLISECONDS, result))
        finally:
            viewer.shutdown()
            viewer.close()
            viewer.deleteLater()
    finally:
        decoding.close()
        station.close()
    for row in rows:
        row.notes.append(
            f"{len(sources)} slices 512x512 in the study; the series' headers are "
            "read after the first image is painted."
        )
        if row.met is False:
            _explain(row)
    return rows


def _is_j2k(station: Any, study: Any) -> bool:
    (series,) = station.archive.series_for_study(study.StudyInstanceUID)
    first = station.archive.instances_for_series(series.SeriesInstanceUID)[0]
    return bool(first.TransferSyntaxUID == "1.2.840.10008.1.2.4.90")


def _explain(row: Row) -> None:
    assert row.result is not None
    row.cause = (
        f"median {row.result.ours.median * 1e3:.1f} ms: the archive look-ups, "
        "two header reads to pick the first slice, one decode and the paint."
    )
    row.next_step = "profile open_study with pyinstrument on an idle machine."
