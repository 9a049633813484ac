"""The series decoder's per-frame time limit, and workers that crash.

Each worker process runs `install_test_decoder` when it starts. It wraps the
decoder so that a file named ``stuck*`` stalls forever and a file named
``crash*`` crashes the process with a segmentation fault, as a hostile
stream can make a codec do. Every other file decodes normally.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset

from pacs_desktop.core.dicom import parallel
from pacs_desktop.core.dicom.isolation import DecodeTimeoutError
from pacs_desktop.core.dicom.parallel import SeriesDecoder
from pacs_desktop.core.dicom.pipeline import FrameImage
from pacs_desktop.core.errors import PixelDataError

TIME_LIMIT = 1.0


def install_test_decoder() -> None:
    """Wrap the worker's frame decoder with a stalling and a crashing case."""
    original = parallel.decode_stored_frame

    def decode(ds: Dataset, index: int, path: Path | None = None) -> FrameImage:
        name = path.name if path is not None else ""
        if path is not None and name.startswith("stuck"):
            # The parent kills this process; its pid lets the test see it.
            path.with_suffix(".pid").write_text(str(os.getpid()))
            while True:
                time.sleep(0.05)
        if name.startswith("crash"):
            ctypes.string_at(0)
        return original(ds, index, path)

    parallel.decode_stored_frame = decode


@pytest.fixture(scope="module")
def decoder() -> Iterator[SeriesDecoder]:
    with SeriesDecoder(
        workers=2, timeout=TIME_LIMIT, initializer=install_test_decoder
    ) as pool:
        pool.warm_up()
        yield pool


@pytest.fixture
def copy_ct(tmp_path: Path) -> Callable[[str], Path]:
    """Return a function that copies CT_small.dcm under a given name."""
    source = get_testdata_file("CT_small.dcm")
    assert source is not None

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(source, target)
        return target

    return copy


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_stuck_frame_times_out(
    decoder: SeriesDecoder, copy_ct: Callable[[str], Path]
) -> None:
    stuck = copy_ct("stuck.dcm")

    started = time.monotonic()
    with pytest.raises(DecodeTimeoutError) as caught:
        decoder.decode(stuck, 0).result()
    elapsed = time.monotonic() - started

    assert caught.value.path == stuck
    assert "timed out after 1 s" in caught.value.reason
    assert elapsed < TIME_LIMIT + 2


def test_stuck_worker_is_killed(
    decoder: SeriesDecoder, copy_ct: Callable[[str], Path]
) -> None:
    stuck = copy_ct("stuck.dcm")

    with pytest.raises(DecodeTimeoutError):
        decoder.decode(stuck, 0).result()

    assert _gone(int(stuck.with_suffix(".pid").read_text()))


def test_pool_decodes_after_timeouts(
    decoder: SeriesDecoder, copy_ct: Callable[[str], Path]
) -> None:
    # As many stuck files as workers: every worker is replaced.
    stuck = [decoder.decode(copy_ct(f"stuck-{n}.dcm"), 0) for n in range(2)]
    for future in stuck:
        with pytest.raises(DecodeTimeoutError):
            future.result()

    frame = decoder.decode(copy_ct("good.dcm"), 0).result()

    assert frame.modality.shape == (128, 128)


def test_other_frames_decode_during_stall(
    decoder: SeriesDecoder, copy_ct: Callable[[str], Path]
) -> None:
    stalled = decoder.decode(copy_ct("stuck.dcm"), 0)
    good = [decoder.decode(copy_ct(f"good-{n}.dcm"), 0) for n in range(3)]

    frames = [future.result() for future in good]

    assert not stalled.done()
    assert all(frame.modality.shape == (128, 128) for frame in frames)
    with pytest.raises(DecodeTimeoutError):
        stalled.result()


def test_load_keeps_rest_of_series(
    decoder: SeriesDecoder, copy_ct: Callable[[str], Path]
) -> None:
    paths = [copy_ct("a.dcm"), copy_ct("stuck.dcm"), copy_ct("b.dcm")]

    loaded = decoder.load(paths)

    images = dict(
        zip([ref.path for ref in loaded.series.frames], loaded.images, strict=True)
    )
    assert images[paths[0]] is not None
    assert images[paths[2]] is not None
    assert images[paths[1]] is None
    assert [path for path, _, _ in loaded.frame_errors] == [paths[1]]
    assert "timed out after 1 s" in loaded.frame_errors[0][2]


def test_crash_fails_only_its_frame(
    decoder: SeriesDecoder, copy_ct: Callable[[str], Path]
) -> None:
    crash = copy_ct("crash.dcm")

    with pytest.raises(PixelDataError) as caught:
        decoder.decode(crash, 0).result()

    assert caught.value.path == crash
    assert "ended unexpectedly" in caught.value.reason
    assert "exit code -11" in caught.value.reason


def test_pool_decodes_after_crash(
    decoder: SeriesDecoder, copy_ct: Callable[[str], Path]
) -> None:
    crashed = [decoder.decode(copy_ct(f"crash-{n}.dcm"), 0) for n in range(2)]
    for future in crashed:
        with pytest.raises(PixelDataError):
            future.result()

    frame = decoder.decode(copy_ct("good.dcm"), 0).result()

    assert frame.modality.shape == (128, 128)


def test_load_with_crash_keeps_rest(
    decoder: SeriesDecoder, copy_ct: Callable[[str], Path]
) -> None:
    paths = [copy_ct("a.dcm"), copy_ct("crash.dcm"), copy_ct("b.dcm")]

    loaded = decoder.load(paths)

    assert sum(image is not None for image in loaded.images) == 2
    assert [path for path, _, _ in loaded.frame_errors] == [paths[1]]


def test_time_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        SeriesDecoder(workers=1, timeout=0)
