"""The viewer's decoding processes: a stuck or crashing frame fails alone.

Each worker process runs `install_test_decoder` when it starts. It wraps the
decoder so that a file named ``stuck*`` stalls forever and one named
``crash*`` crashes the process, as a hostile stream can make a codec do.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRLittleEndian,
    JPEG2000Lossless,
    generate_uid,
)
from pytestqt.qtbot import QtBot

from pacs_desktop.core.dicom import parallel
from pacs_desktop.core.dicom.pipeline import FrameImage
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui.viewer import ViewerWidget
from pacs_desktop.ui.viewer.decoding import ProcessDecoding

TIME_LIMIT = 1.0
SLICES = 4
SIZE = 32


def install_test_decoder() -> None:
    """Wrap the worker's frame decoder with a stalling and a crashing case."""
    original = parallel.decode_stored_frame

    def decode(ds: Dataset, index: int, path: Path | None = None) -> FrameImage:
        name = path.name if path is not None else ""
        if name.startswith("stuck"):
            while True:
                time.sleep(0.05)
        if name.startswith("crash"):
            ctypes.string_at(0)
        return original(ds, index, path)

    parallel.decode_stored_frame = decode


def _write_series(folder: Path, names: list[str]) -> list[Path]:
    """Write JPEG 2000 slices named ``names``, 1 mm apart in that order."""
    folder.mkdir()
    study_uid, series_uid = generate_uid(), generate_uid()
    paths = []
    for number, name in enumerate(names):
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
        ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.SOPClassUID = CTImageStorage
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.Modality = "CT"
        ds.InstanceNumber = number + 1
        ds.ImagePositionPatient = [0.0, 0.0, float(number)]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        ds.Rows = ds.Columns = SIZE
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 0
        pixels = np.full((SIZE, SIZE), 100 * (number + 1), dtype="<u2")
        ds.PixelData = pixels.tobytes()
        ds.compress(JPEG2000Lossless, encoding_plugin="pylibjpeg")
        path = folder / name
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths


@pytest.fixture
def viewer(qtbot: QtBot, workstation: Workstation) -> Iterator[ViewerWidget]:
    decoding = ProcessDecoding(
        workers=2, timeout=TIME_LIMIT, initializer=install_test_decoder
    )
    decoding.start()
    assert decoding.wait_ready(timeout=60)
    widget = ViewerWidget(workstation.archive, decoding=decoding)
    qtbot.addWidget(widget)
    widget.resize(640, 520)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close_study()
    widget.shutdown()
    widget.close()
    decoding.close()
    assert multiprocessing.active_children() == []


def _open(qtbot: QtBot, viewer: ViewerWidget, paths: list[Path]) -> None:
    viewer.open_series_paths(paths)
    qtbot.waitUntil(lambda: viewer.frame_count == len(paths), timeout=10_000)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("stuck.dcm", "timed out after 1 s"),
        ("crash.dcm", "ended unexpectedly (exit code -11)"),
    ],
)
def test_bad_frame_shows_its_error(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path, name: str, reason: str
) -> None:
    paths = _write_series(tmp_path / "series", ["a.dcm", name, "b.dcm", "c.dcm"])
    _open(qtbot, viewer, paths)

    viewer.go_to(1)
    qtbot.waitUntil(lambda: reason in viewer.overlays.warning_text(), timeout=10_000)

    warning = viewer.overlays.warning_text()
    assert warning.startswith("Image 2 cannot be shown")
    assert str(paths[1]) in warning
    assert viewer.current_display().size == 0


def test_rest_of_series_loads_after_stall(
    qtbot: QtBot, viewer: ViewerWidget, tmp_path: Path
) -> None:
    paths = _write_series(tmp_path / "series", ["a.dcm", "stuck.dcm", "b.dcm", "c.dcm"])
    _open(qtbot, viewer, paths)
    viewer.go_to(1)
    qtbot.waitUntil(lambda: "timed out" in viewer.overlays.warning_text())

    for index in (2, 3, 0):
        viewer.go_to(index)
        qtbot.waitUntil(lambda index=index: viewer.current_index == index)
        assert viewer.current_display().shape == (SIZE, SIZE)
    assert "timed out" not in viewer.overlays.warning_text()
