"""`pacs-desktop import`, `studies` and `archive rebuild` run in-process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from pacs_desktop.cli.counts import table_cell
from pacs_desktop.cli.main import run
from pacs_desktop.core.archive.records import JSON_KEYS


def pydicom_file(name: str) -> Path:
    found = get_testdata_file(name)
    assert found is not None
    return Path(str(found))


def test_import_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    status = run(["import", str(pydicom_file("CT_small.dcm"))])
    assert status == 0
    assert "imported:   1" in capsys.readouterr().out


def test_import_rejection_exit_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.dcm"
    bad.write_bytes(pydicom_file("MR_small.dcm").read_bytes()[:400])
    shutil.copy(pydicom_file("MR_small.dcm"), tmp_path / "good.dcm")

    status = run(["import", str(tmp_path)])

    out = capsys.readouterr().out
    assert status == 1
    assert "imported:   1" in out
    assert f"{bad}: " in out


def test_import_skips_text_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "LICENSE").write_text("Creative Commons Attribution 3.0")
    (tmp_path / "Citations").write_text("Roth HR, et al.")
    shutil.copy(pydicom_file("MR_small.dcm"), tmp_path / "good.dcm")

    status = run(["import", str(tmp_path)])

    out = capsys.readouterr().out
    assert status == 0
    assert "rejected:   0" in out
    assert "skipped (not DICOM): 2" in out
    assert f"  {tmp_path / 'LICENSE'}" in out


def test_import_real_series_with_licence(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(["import", str(shared_data / "ct_series_pancreas_134")])

    out = capsys.readouterr().out
    assert status == 0
    assert "imported:   134" in out
    assert "skipped (not DICOM): 2" in out


@pytest.mark.shared_data
@pytest.mark.slow
def test_import_all_shared_data(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(["import", str(shared_data)])
    out = capsys.readouterr().out
    run(["studies", "--json"])
    studies = json.loads(capsys.readouterr().out)

    totalseg = sorted((shared_data / "ct_series_totalseg_20").iterdir())
    counts = {
        (study["ModalitiesInStudy"][0], study["NumberOfStudyRelatedInstances"])
        for study in studies
    }
    assert status == 1
    assert len(totalseg) == 20
    assert "rejected:   20\n" in out
    for path in totalseg:
        assert f"  {path}: SOPClassUID (0008,0016), SOPInstanceUID" in out
    assert ("CT", 134) in counts
    assert ("MR", 192) in counts


def test_import_without_path_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["import"])
    assert exit_info.value.code == 2


def test_studies_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    run(["import", str(pydicom_file("CT_small.dcm"))])
    capsys.readouterr()

    status = run(["studies", "--json", "--modality", "CT"])

    listed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [list(item) for item in listed] == [list(JSON_KEYS)]
    assert listed[0]["PatientName"] == "CompressedSamples^CT1"


def test_studies_table(capsys: pytest.CaptureFixture[str]) -> None:
    run(["import", str(pydicom_file("CT_small.dcm"))])
    capsys.readouterr()
    run(["studies", "--patient-name", "compressed*", "--date", "20040101-"])
    out = capsys.readouterr().out
    assert "CompressedSamples^CT1" in out
    assert out.endswith("\n1 study\n")


def test_studies_table_wide_names_aligned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ds = pydicom.dcmread(pydicom_file("CT_small.dcm"))
    ds.SpecificCharacterSet = "GB18030"
    ds.PatientName = "=赵^桂香"
    ds.PatientID = "GB-1"
    ds.save_as(tmp_path / "gb18030.dcm")
    run(["import", str(tmp_path / "gb18030.dcm")])
    capsys.readouterr()

    run(["studies"])

    header, row = capsys.readouterr().out.splitlines()[:2]
    # Each of the three ideographs takes two terminal columns.
    padding = header.index("Patient ID") - 7
    assert row.startswith("赵^桂香" + " " * padding + "GB-1 ")


@pytest.mark.parametrize(
    ("value", "width", "expected"),
    [
        ("Doe^Jane", 10, "Doe^Jane  "),
        ("Doe^Jane", 5, "Doe^…"),
        ("やまだ^たろう", 8, "やまだ^…"),
        ("やまだ^たろう", 7, "やまだ…"),
        ("やまだ^たろう", 6, "やま… "),
        ("やまだ^たろう", 13, "やまだ^たろう"),
        ("e\u0301clair", 6, "e\u0301clair"),
    ],
)
def test_table_cell_counts_columns(value: str, width: int, expected: str) -> None:
    assert table_cell(value, width) == expected


def test_studies_bad_date_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["studies", "--date", "2024"])
    assert exit_info.value.code == 2


def test_archive_rebuild(capsys: pytest.CaptureFixture[str]) -> None:
    run(["import", str(pydicom_file("CT_small.dcm"))])
    capsys.readouterr()
    status = run(["archive", "rebuild"])
    assert status == 0
    assert "indexed:  1 instance in 1 study" in capsys.readouterr().out


NOBODY = "65534"


def _shared_tmp() -> Path:
    # The unprivileged account must reach the folder: pytest's base is 0700.
    folder = Path(tempfile.mkdtemp(prefix="pacs-nobody-"))
    os.chown(folder, int(NOBODY), int(NOBODY))
    return folder


def test_unreadable_subfolder_rejected_as_unprivileged_user() -> None:
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        if os.environ.get("CI"):
            pytest.fail("setpriv (util-linux) is required in CI")
        pytest.skip("setpriv (util-linux) is not installed")
    root = _shared_tmp()
    try:
        source = root / "in"
        (source / "sub").mkdir(parents=True)
        shutil.copy(pydicom_file("CT_small.dcm"), source / "sub" / "ct.dcm")
        for folder in (source, source / "sub"):
            os.chown(folder, int(NOBODY), int(NOBODY))
        (source / "sub").chmod(0)
        env = dict(os.environ, PACS_DESKTOP_HOME=str(root / "data"))

        result = subprocess.run(
            [
                setpriv,
                f"--reuid={NOBODY}",
                f"--regid={NOBODY}",
                "--clear-groups",
                *(sys.executable, "-m", "pacs_desktop", "import", str(source)),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert result.returncode == 1, result.stderr
        assert f"{source / 'sub'}: folder cannot be read: Permission denied" in (
            result.stdout
        )
    finally:
        (root / "in" / "sub").chmod(0o700)
        shutil.rmtree(root)


def test_import_empty_path_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["import", ""])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    "options",
    [
        ["--date", "20131301-"],
        ["--date", "20130230"],
        ["--date", "-20130231"],
        ["--limit", "-1"],
    ],
    ids=["month-13", "february-30", "open-start-february-31", "negative-limit"],
)
def test_studies_bad_filter_is_usage_error(options: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["studies", *options])
    assert exit_info.value.code == 2


def test_studies_bad_date_message_names_the_day(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        run(["studies", "--date", "20130230"])
    assert "no such day in the calendar" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("2004-01-19", 1),
        ("2004-01-19-2004-01-20", 1),
        ("2004-01-20-", 0),
    ],
)
def test_studies_iso_dates(
    capsys: pytest.CaptureFixture[str], typed: str, found: int
) -> None:
    run(["import", str(pydicom_file("CT_small.dcm"))])
    capsys.readouterr()

    status = run(["studies", "--json", "--date", typed])

    assert status == 0
    assert len(json.loads(capsys.readouterr().out)) == found


def test_studies_closed_stdout_exits_quietly() -> None:
    run(["import", str(pydicom_file("CT_small.dcm"))])
    read_end, write_end = os.pipe()
    # A reader that has already gone away, as `| head -1` after its line.
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pacs_desktop", "studies", "--json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)

    assert (result.returncode, result.stderr) == (141, "")
