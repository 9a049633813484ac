"""`pacs-desktop render`: PNG display values, NPY modality values, errors."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import (
    ExplicitVRLittleEndian,
    SecondaryCaptureImageStorage,
    generate_uid,
)

from pacs_desktop.cli.main import run
from pacs_desktop.core.paths import resolve_data_dir
from pacs_desktop.core.security.audit import STUDY_OPENED
from pacs_desktop.core.workstation import Workstation


def read_png(path: Path) -> np.ndarray:
    """Decode a PNG written with filter type 0 on every scanline."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        chunks[kind] = (
            chunks.get(kind, b"") + data[position + 8 : position + 8 + length]
        )
        position += 12 + length
    width, height, _, color_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    channels = 3 if color_type == 2 else 1
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8)
    rows = rows.reshape(height, width * channels + 1)
    assert not rows[:, 0].any(), "only filter type 0 is decoded here"
    pixels = rows[:, 1:]
    return pixels.reshape(height, width, 3) if channels == 3 else pixels


def voi_test_file(tmp_path: Path) -> Path:
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = generate_uid()
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.PatientID = "RENDER-1"
    ds.PatientName = "Render^Test"
    ds.Modality = "CT"
    ds.Rows, ds.Columns = 1, 4
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation = 0
    ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
    ds.WindowCenter, ds.WindowWidth = [-1022, 1000], [4, 500]
    item = Dataset()
    item.LUTDescriptor = [4, -1024 & 0xFFFF, 16]
    item.LUTData = [0, 100, 60000, 65535]
    item["LUTData"].VR = "US"
    ds.VOILUTSequence = Sequence([item])
    ds.PixelData = np.array([0, 1, 2, 3], dtype="<u2").tobytes()
    path = tmp_path / "voi.dcm"
    ds.save_as(path, enforce_file_format=True)
    return path


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], [0, 85, 170, 255]),
        (["--voi", "2"], [0, 0, 0, 0]),
        (["--window=-1022,4"], [0, 85, 170, 255]),
        (["--window", "-1022,4"], [0, 85, 170, 255]),
        (["--window", "-1021.5,1"], [0, 0, 0, 255]),
    ],
)
def test_png_display_values(
    tmp_path: Path, options: list[str], expected: list[int]
) -> None:
    output = tmp_path / "out.png"

    status = run(
        ["render", str(voi_test_file(tmp_path)), *options, "--output", str(output)]
    )

    assert status == 0
    assert read_png(output).tolist() == [expected]


def test_voi_lut_signed_first_value(tmp_path: Path) -> None:
    # The VOI LUT's first mapped value -1024 is stored as 64512 in US.
    output = tmp_path / "out.png"

    run(["render", str(voi_test_file(tmp_path)), "--voi", "3", "--output", str(output)])

    assert np.abs(read_png(output).astype(int) - [[0, 0, 233, 255]]).max() <= 1


def test_npy_modality_values(tmp_path: Path) -> None:
    output = tmp_path / "out.npy"

    status = run(["render", str(voi_test_file(tmp_path)), "--output", str(output)])

    assert status == 0
    assert np.load(output).tolist() == [[-1024, -1023, -1022, -1021]]


def test_colour_png_rgb(tmp_path: Path) -> None:
    output = tmp_path / "rgb.png"
    source = get_testdata_file("SC_rgb_dcmtk_+eb+cy+s2.dcm")

    run(["render", source, "--output", str(output)])

    assert np.abs(read_png(output)[0, 0].astype(int) - [254, 0, 0]).max() <= 8


def test_colour_npy_rgb(tmp_path: Path) -> None:
    output = tmp_path / "rgb.npy"

    run(
        [
            "render",
            get_testdata_file("SC_rgb_dcmtk_+eb+cy+s2.dcm"),
            "--output",
            str(output),
        ]
    )

    assert np.load(output).shape == (100, 100, 3)


def test_png_readable_by_imagemagick(tmp_path: Path) -> None:
    if shutil.which("identify") is None:
        message = "reading the PNG back needs identify (package imagemagick)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    output = tmp_path / "rgb.png"
    run(
        [
            "render",
            get_testdata_file("SC_rgb_dcmtk_+eb+cy+s2.dcm"),
            "--output",
            str(output),
        ]
    )

    described = subprocess.run(
        ["identify", str(output)], capture_output=True, text=True, check=True
    ).stdout

    assert "PNG 100x100" in described


def test_frame_in_display_order(tmp_path: Path) -> None:
    output = tmp_path / "frame.npy"
    source = get_testdata_file("rtdose.dcm")

    status = run(["render", source, "--frame", "15", "--output", str(output)])

    assert status == 0
    assert np.load(output).shape == (10, 10)


def test_archived_uid_input(tmp_path: Path) -> None:
    source = voi_test_file(tmp_path)
    assert run(["import", str(source)]) == 0
    uid = str(pydicom.dcmread(source).SOPInstanceUID)
    output = tmp_path / "archived.npy"

    status = run(["render", uid, "--output", str(output)])

    assert status == 0
    assert np.load(output).tolist() == [[-1024, -1023, -1022, -1021]]


@pytest.mark.parametrize(
    ("make_input", "reason"),
    [
        (lambda folder: folder / "missing.dcm", "missing.dcm: file not found"),
        (lambda folder: "1.2.3.999", "1.2.3.999: not found"),
        (lambda folder: get_testdata_file("rtplan.dcm"), "contains no Pixel Data"),
    ],
)
def test_input_errors_exit_1(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_input: object,
    reason: str,
) -> None:
    source = make_input(tmp_path)  # type: ignore[operator]

    status = run(["render", str(source), "--output", str(tmp_path / "x.png")])

    assert status == 1
    assert reason in capsys.readouterr().err


def test_not_dicom_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "notes.dcm"
    source.write_text("not an image")

    status = run(["render", str(source), "--output", str(tmp_path / "x.png")])

    assert status == 1
    assert f"{source}: not a DICOM file" in capsys.readouterr().err


def test_missing_frame_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = voi_test_file(tmp_path)

    status = run(
        ["render", str(source), "--frame", "2", "--output", str(tmp_path / "x.png")]
    )

    assert status == 1
    assert "has no frame 2" in capsys.readouterr().err


@pytest.mark.parametrize(
    "options",
    [
        ["--output", "out.bmp"],
        ["--frame", "0", "--output", "out.png"],
        ["--window", "40", "--output", "out.png"],
        ["--window", "40,0", "--output", "out.png"],
        ["--window", "40,400", "--voi", "1", "--output", "out.png"],
        [],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, options: list[str]) -> None:
    source = voi_test_file(tmp_path)

    with pytest.raises(SystemExit) as caught:
        run(["render", str(source), *options])

    assert caught.value.code == 2


def test_damaged_archived_instance_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = voi_test_file(tmp_path)
    assert run(["import", str(source)]) == 0
    uid = str(pydicom.dcmread(source).SOPInstanceUID)
    stored_file = _stored_file(uid)
    data = bytearray(stored_file.read_bytes())
    data[-1] ^= 0xFF
    stored_file.write_bytes(bytes(data))

    status = run(["render", uid, "--output", str(tmp_path / "x.npy")])

    message = capsys.readouterr().err
    assert status == 1
    assert str(stored_file) in message
    assert "SHA-256" in message
    assert not (tmp_path / "x.npy").exists()


def _stored_file(uid: str) -> Path:
    workstation = Workstation(resolve_data_dir())
    try:
        found = workstation.archive.instance_path(uid)
    finally:
        workstation.close()
    assert found is not None
    return found


def test_decode_time_limit_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Decoding this 512x512 JPEG 2000 frame takes about 10 ms, a hundred times
    # the limit; a tiny native file could finish within it.
    source = Path(str(get_testdata_file("693_J2KI.dcm")))

    status = run(
        [
            "render",
            str(source),
            "--decode-timeout",
            "0.0001",
            "--output",
            str(tmp_path / "x.png"),
        ]
    )

    assert status == 1
    assert f"{source}: decoding timed out after 0.0001 s" in capsys.readouterr().err


@pytest.mark.parametrize("seconds", ["0", "-1", "inf", "nan", "soon"])
def test_bad_decode_timeout_exit_2(tmp_path: Path, seconds: str) -> None:
    source = voi_test_file(tmp_path)

    with pytest.raises(SystemExit) as caught:
        run(
            [
                "render",
                str(source),
                "--decode-timeout",
                seconds,
                "--output",
                str(tmp_path / "x.png"),
            ]
        )

    assert caught.value.code == 2


def _last_render_record() -> tuple[str, bool, str | None, tuple[str, ...]]:
    workstation = Workstation(resolve_data_dir())
    try:
        record = workstation.audit.records()[-1]
    finally:
        workstation.close()
    return record.event, record.os_account, record.patient_id, record.study_uids


@pytest.mark.parametrize("by_uid", [True, False], ids=["archived-uid", "file-path"])
def test_render_is_audited(tmp_path: Path, by_uid: bool) -> None:
    source = voi_test_file(tmp_path)
    assert run(["import", str(source)]) == 0
    header = pydicom.dcmread(source)
    target = str(header.SOPInstanceUID) if by_uid else str(source)

    assert run(["render", target, "--output", str(tmp_path / "x.npy")]) == 0

    assert _last_render_record() == (
        STUDY_OPENED,
        True,
        "RENDER-1",
        (str(header.StudyInstanceUID),),
    )


def test_archived_error_names_uid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = voi_test_file(tmp_path)
    assert run(["import", str(source)]) == 0
    uid = str(pydicom.dcmread(source).SOPInstanceUID)
    capsys.readouterr()

    status = run(["render", uid, "--frame", "2", "--output", str(tmp_path / "x.png")])

    message = capsys.readouterr().err
    assert status == 1
    assert f"SOP Instance UID {uid}: {_stored_file(uid)}" in message
