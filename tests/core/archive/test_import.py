"""Import of files, folders and bad input into a real archive on disk."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, generate_uid

from pacs_desktop.core.archive.index import Archive
from pacs_desktop.core.archive.records import StudyQuery
from pacs_desktop.core.archive.store import relative_path


def pydicom_file(name: str) -> Path:
    found = get_testdata_file(name)
    assert found is not None, f"pydicom test file {name} is missing"
    return Path(str(found))


def test_import_zeroes_preamble(archive: Archive, tmp_path: Path) -> None:
    source = tmp_path / "hostile.dcm"
    data = bytearray(pydicom_file("CT_small.dcm").read_bytes())
    data[:128] = b"MZ" + b"\xff" * 126
    source.write_bytes(bytes(data))

    summary = archive.import_paths([source])

    stored = archive.instance_path(pydicom.dcmread(source).SOPInstanceUID)
    assert summary.imported == [source]
    assert stored is not None
    assert stored.read_bytes()[:132] == bytes(128) + b"DICM"


def test_import_keeps_dataset_bytes(archive: Archive) -> None:
    source = pydicom_file("CT_small.dcm")
    archive.import_paths([source])

    original = pydicom.dcmread(source)
    stored = archive.instance_path(original.SOPInstanceUID)
    assert stored is not None
    body_start = len(stored.read_bytes()) - (
        len(source.read_bytes()) - _body_offset(source)
    )
    assert (
        stored.read_bytes()[body_start:] == source.read_bytes()[_body_offset(source) :]
    )


def _body_offset(path: Path) -> int:
    ds = pydicom.dcmread(path)
    return 132 + 12 + int(ds.file_meta.FileMetaInformationGroupLength)


def test_stored_path_derives_from_uids(archive: Archive) -> None:
    source = pydicom_file("CT_small.dcm")
    archive.import_paths([source])
    ds = pydicom.dcmread(source)

    stored = archive.instance_path(ds.SOPInstanceUID)

    expected = relative_path(
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID
    )
    assert stored == archive.store_dir / expected


@pytest.mark.parametrize(
    ("name", "transfer_syntax"),
    [
        ("ExplVR_LitEndNoMeta.dcm", ExplicitVRLittleEndian),
        ("ExplVR_BigEndNoMeta.dcm", ExplicitVRBigEndian),
    ],
)
def test_file_without_meta_imported(
    archive: Archive, name: str, transfer_syntax: str
) -> None:
    summary = archive.import_paths([pydicom_file(name)])

    stored = archive.instance_path("1.2.333.4444.5.6.7.8")
    assert summary.rejected == []
    assert summary.imported == [pydicom_file(name)]
    assert stored is not None
    assert pydicom.dcmread(stored).file_meta.TransferSyntaxUID == transfer_syntax


def test_both_no_meta_files_not_rejected(archive: Archive) -> None:
    # Both files carry the same SOP Instance UID in two byte orders.
    paths = [
        pydicom_file("ExplVR_LitEndNoMeta.dcm"),
        pydicom_file("ExplVR_BigEndNoMeta.dcm"),
    ]
    summary = archive.import_paths(paths)

    assert summary.rejected == []
    assert len(summary.imported) == 1
    assert len(summary.duplicates) == 1
    assert "transfer syntax" in summary.conflicts[0].reason


def test_file_without_pixel_data_imported(archive: Archive) -> None:
    summary = archive.import_paths([pydicom_file("test-SR.dcm")])
    assert len(summary.imported) == 1


def test_same_file_twice_is_duplicate(archive: Archive) -> None:
    source = pydicom_file("CT_small.dcm")
    archive.import_paths([source])
    summary = archive.import_paths([source])

    assert summary.imported == []
    assert summary.duplicates == [source]
    assert summary.conflicts == []


def _write_modified(tmp_path: Path, name: str, **values: str | None) -> Path:
    ds = pydicom.dcmread(pydicom_file("CT_small.dcm"))
    for keyword, value in values.items():
        if value is None:
            delattr(ds, keyword)
        else:
            setattr(ds, keyword, value)
    path = tmp_path / name
    ds.save_as(path)
    return path


BAD_UIDS = [
    ("SOPInstanceUID", "", "SOPInstanceUID (0008,0018) is empty"),
    ("StudyInstanceUID", None, "StudyInstanceUID (0020,000D) is missing"),
    ("SeriesInstanceUID", "", "SeriesInstanceUID (0020,000E) is empty"),
    ("SOPClassUID", "", "SOPClassUID (0008,0016) is empty"),
    ("SOPInstanceUID", "1.2.abc", "is not a valid UID"),
    ("StudyInstanceUID", "1.2..3", "is not a valid UID"),
    ("SeriesInstanceUID", "1." + "2" * 70, "is not a valid UID"),
]


@pytest.mark.parametrize(("keyword", "value", "reason"), BAD_UIDS)
def test_bad_uid_rejected(
    archive: Archive, tmp_path: Path, keyword: str, value: str | None, reason: str
) -> None:
    path = _write_modified(tmp_path, "bad.dcm", **{keyword: value})
    summary = archive.import_paths([path])

    assert summary.imported == []
    assert reason in summary.rejected[0].reason


def test_every_empty_uid_named(archive: Archive, tmp_path: Path) -> None:
    path = _write_modified(
        tmp_path, "bad.dcm", SOPClassUID="", SOPInstanceUID="", StudyInstanceUID=""
    )
    summary = archive.import_paths([path])

    reason = summary.rejected[0].reason
    assert "SOPClassUID (0008,0016), SOPInstanceUID (0008,0018), " in reason
    assert "StudyInstanceUID (0020,000D) are empty" in reason


def test_non_dicom_rejected(archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not an image\n" * 40)
    summary = archive.import_paths([path])
    assert "not a DICOM file" in summary.rejected[0].reason


@pytest.mark.parametrize("cut", [100, 2000, 20000, 39206 - 1])
def test_truncated_file_rejected(archive: Archive, tmp_path: Path, cut: int) -> None:
    data = pydicom_file("CT_small.dcm").read_bytes()
    path = tmp_path / "truncated.dcm"
    path.write_bytes(data[: min(cut, len(data) - 1)])

    summary = archive.import_paths([path])

    assert summary.imported == []
    assert len(summary.rejected) == 1


def test_truncated_encapsulated_rejected(archive: Archive, tmp_path: Path) -> None:
    data = pydicom_file("JPEG2000.dcm").read_bytes()
    path = tmp_path / "truncated.dcm"
    path.write_bytes(data[:-20])
    summary = archive.import_paths([path])
    assert "truncated" in summary.rejected[0].reason


def test_bad_file_does_not_stop_import(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    # A DICOM file cut inside its data set is broken, not foreign: rejected.
    data = pydicom_file("CT_small.dcm").read_bytes()
    (folder / "a_garbage.dcm").write_bytes(data[:400])
    shutil.copy(pydicom_file("CT_small.dcm"), folder / "b_ct.dcm")
    shutil.copy(pydicom_file("MR_small.dcm"), folder / "c_mr.dcm")

    summary = archive.import_paths([folder])

    assert len(summary.imported) == 2
    assert [r.path.name for r in summary.rejected] == ["a_garbage.dcm"]


NOT_DICOM_FILES = [
    pytest.param(b"Creative Commons Attribution 3.0\n", id="licence text"),
    pytest.param(b"\x00" * 10, id="ten zero bytes"),
    pytest.param(b"", id="empty"),
    pytest.param(b"%PDF-1.4\n" + b"\x00" * 200, id="pdf"),
]


@pytest.mark.parametrize("content", NOT_DICOM_FILES)
def test_not_dicom_in_folder_skipped(
    archive: Archive, tmp_path: Path, content: bytes
) -> None:
    folder = tmp_path / "series"
    folder.mkdir()
    (folder / "LICENSE").write_bytes(content)
    shutil.copy(pydicom_file("CT_small.dcm"), folder / "ct.dcm")

    summary = archive.import_paths([folder])

    assert len(summary.imported) == 1
    assert summary.rejected == []
    assert [skip.path.name for skip in summary.skipped] == ["LICENSE"]
    assert "not DICOM" in summary.skipped[0].reason


def test_named_not_dicom_rejected(archive: Archive, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("plain text")

    summary = archive.import_paths([path])

    assert summary.skipped == []
    assert [r.path.name for r in summary.rejected] == ["notes.txt"]


def test_missing_uid_in_folder_rejected(archive: Archive, tmp_path: Path) -> None:
    ds = pydicom.dcmread(pydicom_file("CT_small.dcm"))
    del ds.SOPInstanceUID
    folder = tmp_path / "series"
    folder.mkdir()
    ds.save_as(folder / "no_uid.dcm")

    summary = archive.import_paths([folder])

    assert summary.skipped == []
    assert [r.path.name for r in summary.rejected] == ["no_uid.dcm"]


def test_skips_count_in_total(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "series"
    folder.mkdir()
    (folder / "README").write_text("images of one series")
    shutil.copy(pydicom_file("CT_small.dcm"), folder / "ct.dcm")

    summary = archive.import_paths([folder])

    assert summary.total == 2


def test_missing_path_rejected(archive: Archive, tmp_path: Path) -> None:
    summary = archive.import_paths([tmp_path / "nowhere"])
    assert summary.rejected[0].reason == "not found"


def test_folder_imported_recursively(
    archive: Archive, tmp_path: Path, write_copies
) -> None:
    write_copies(tmp_path / "in" / "a", 3)
    write_copies(tmp_path / "in" / "b" / "c", 2)
    summary = archive.import_paths([tmp_path / "in"])
    assert len(summary.imported) == 5


def test_indexed_hash_matches_file(archive: Archive) -> None:
    archive.import_paths([pydicom_file("CT_small.dcm"), pydicom_file("MR_small.dcm")])
    rows = archive.database.connection().execute(
        "SELECT path, file_sha256, size FROM instances"
    )
    for relative, sha256, size in rows:
        data = (archive.store_dir / relative).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha256
        assert len(data) == size


def test_import_dataset_bytes(archive: Archive) -> None:
    outcome = archive.import_dataset_bytes(
        pydicom_file("MR_small.dcm").read_bytes(), "PEER_AE"
    )
    assert outcome.status == "imported"


def test_store_received_dataset(archive: Archive) -> None:
    ds = pydicom.dcmread(pydicom_file("CT_small.dcm"))
    outcome = archive.store_received(ds, "PEER_AE")
    assert outcome.status == "imported"
    assert archive.instance_path(ds.SOPInstanceUID) is not None


def test_fifo_in_folder_rejected(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe")

    summary = archive.import_paths([folder])

    assert [(r.path.name, r.reason) for r in summary.rejected] == [
        ("pipe", "not a regular file (a FIFO)")
    ]


def test_dangling_symlink_in_folder_rejected(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gone.dcm").symlink_to(tmp_path / "missing.dcm")

    summary = archive.import_paths([folder])

    assert [r.path.name for r in summary.rejected] == ["gone.dcm"]
    assert "dangling symbolic link" in summary.rejected[0].reason


def _ct_copy(path: Path, **values: str) -> Path:
    """Write CT_small.dcm with a new SOP Instance UID and ``values`` set."""
    ds = pydicom.dcmread(pydicom_file("CT_small.dcm"))
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    ds.save_as(path)
    return path


@pytest.mark.parametrize("one_import", [False, True], ids=["two-imports", "one-import"])
def test_series_of_other_study_rejected(
    archive: Archive, tmp_path: Path, one_import: bool
) -> None:
    first = _ct_copy(tmp_path / "first.dcm", StudyInstanceUID="1.2.826.0.1.1")
    second = _ct_copy(tmp_path / "second.dcm", StudyInstanceUID="1.2.826.0.1.2")

    if one_import:
        summary = archive.import_paths([first, second])
    else:
        archive.import_paths([first])
        summary = archive.import_paths([second])

    studies = archive.find_studies(StudyQuery())
    assert [r.path for r in summary.rejected] == [second]
    assert "already archived in study 1.2.826.0.1.1" in summary.rejected[0].reason
    assert [s.StudyInstanceUID for s in studies] == ["1.2.826.0.1.1"]
    assert studies[0].NumberOfStudyRelatedInstances == 1
    assert len([p for p in archive.store_dir.rglob("*") if p.is_file()]) == 1


def test_study_of_other_patient_rejected(archive: Archive, tmp_path: Path) -> None:
    first = _ct_copy(tmp_path / "first.dcm", PatientID="PAT-A")
    second = _ct_copy(
        tmp_path / "second.dcm", PatientID="PAT-B", SeriesInstanceUID=generate_uid()
    )

    summary = archive.import_paths([first, second])

    studies = archive.find_studies(StudyQuery())
    assert [r.path for r in summary.rejected] == [second]
    assert "another Patient ID" in summary.rejected[0].reason
    assert "PAT-A" not in summary.rejected[0].reason
    assert [s.PatientID for s in studies] == ["PAT-A"]
    assert studies[0].NumberOfStudyRelatedSeries == 1


def test_same_patient_other_name_joins_study(archive: Archive, tmp_path: Path) -> None:
    first = _ct_copy(tmp_path / "first.dcm", PatientName="Doe^Jane")
    second = _ct_copy(tmp_path / "second.dcm", PatientName="DOE^JANE")

    summary = archive.import_paths([first, second])

    studies = archive.find_studies(StudyQuery())
    assert summary.rejected == []
    assert len(studies) == 1
    assert studies[0].NumberOfStudyRelatedInstances == 2


def test_rebuild_rejects_series_of_other_study(
    archive: Archive, tmp_path: Path
) -> None:
    first = _ct_copy(tmp_path / "first.dcm", StudyInstanceUID="1.2.826.0.1.1")
    second = _ct_copy(tmp_path / "second.dcm", StudyInstanceUID="1.2.826.0.1.2")
    archive.import_paths([first])
    # An archive written before the check may hold both files.
    ds = pydicom.dcmread(second)
    placed = archive.store_dir / relative_path(
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID
    )
    placed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(second, placed)

    summary = archive.rebuild()

    studies = archive.find_studies(StudyQuery())
    assert len(summary.imported) == 1
    assert len(summary.rejected) == 1
    assert "a series belongs to one study" in summary.rejected[0].reason
    assert len(studies) == 1
