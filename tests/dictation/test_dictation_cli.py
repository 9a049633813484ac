"""`pacs-desktop dictation list`, `import`, `export` and `release`, in-process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pydicom
import pytest
import soundfile
from microphone_rig import RATE, best_correlation, dciodvfy_errors
from pydicom.data import get_testdata_file

from pacs_desktop.cli import main as cli_main
from pacs_desktop.core.dictation.waveform import read_voice_audio, resample
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.workstation import Workstation


@pytest.fixture
def study() -> pydicom.Dataset:
    """CT_small.dcm imported into the data directory; returns its header."""
    path = Path(str(get_testdata_file("CT_small.dcm")))
    assert cli_main.run(["import", str(path)]) == 0
    return pydicom.dcmread(path, stop_before_pixels=True)


@pytest.fixture
def speech_wav(tmp_path: Path, speech: np.ndarray) -> Path:
    path = tmp_path / "handheld.wav"
    soundfile.write(path, speech, RATE, subtype="PCM_16")
    return path


def _list(capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert cli_main.run(["dictation", "list", "--json", *extra]) == 0
    result: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return result


def test_import_wav_then_list(
    study: pydicom.Dataset,
    speech_wav: Path,
    speech: np.ndarray,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = cli_main.run(
        [
            "dictation",
            "import",
            study.StudyInstanceUID,
            str(speech_wav),
            "--patient-id",
            study.PatientID,
        ]
    )
    assert status == 0
    (entry,) = _list(capsys, "--study", study.StudyInstanceUID)
    assert entry["StudyInstanceUID"] == study.StudyInstanceUID
    assert entry["PatientID"] == study.PatientID
    assert entry["state"] == "recorded"
    assert entry["duration_seconds"] == pytest.approx(len(speech) / RATE, abs=0.01)
    assert set(entry) >= {"id", "author", "duration_seconds", "state"}


def test_import_flac(
    study: pydicom.Dataset, tmp_path: Path, speech: np.ndarray
) -> None:
    flac = tmp_path / "phone.flac"
    soundfile.write(flac, speech, RATE, format="FLAC")
    argv = ["dictation", "import", study.StudyInstanceUID, str(flac)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 0


def test_import_rejects_other_patient_id(
    study: pydicom.Dataset, speech_wav: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(speech_wav)]
    status = cli_main.run([*argv, "--patient-id", "SOMEONE-ELSE"])
    assert status == 1
    assert "does not match" in capsys.readouterr().err
    assert _list(capsys) == []


def test_rejected_import_is_audited(
    study: pydicom.Dataset, speech_wav: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(speech_wav)]
    assert cli_main.run([*argv, "--patient-id", "SOMEONE-ELSE"]) == 1
    capsys.readouterr()
    event = "patient-confirmation-failed"
    assert cli_main.run(["audit", "list", "--json", "--event", event]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 1, records
    assert records[0]["patient_id"] == study.PatientID
    assert study.StudyInstanceUID in records[0]["study_uids"]
    assert "import" in records[0]["detail"]
    assert records[0]["os_account"] is True


def test_import_rejects_unknown_study(
    study: pydicom.Dataset, speech_wav: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["dictation", "import", "1.2.3.999", str(speech_wav)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 1
    assert "not in the local archive" in capsys.readouterr().err


def test_import_missing_file_named(
    study: pydicom.Dataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "absent.wav"
    argv = ["dictation", "import", study.StudyInstanceUID, str(missing)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 1
    error = capsys.readouterr().err
    assert str(missing) in error
    assert "not found" in error
    assert _list(capsys) == []


def test_import_rejects_non_audio(
    study: pydicom.Dataset, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not audio")
    argv = ["dictation", "import", study.StudyInstanceUID, str(text)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 1
    assert "WAV or FLAC" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["SS", "MB", "AB"])
def test_export_is_valid_voice_audio(
    study: pydicom.Dataset,
    speech_wav: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    encoding: str,
) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(speech_wav)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 0
    (entry,) = _list(capsys)
    output = tmp_path / "audio.dcm"

    status = cli_main.run(
        [
            "dictation",
            "export",
            str(entry["id"]),
            "--output",
            str(output),
            "--encoding",
            encoding,
        ]
    )
    assert status == 0
    status, errors = dciodvfy_errors(output)
    assert errors == []
    assert status == 0

    ds = pydicom.dcmread(output)
    assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.9.4.1"
    assert ds.StudyInstanceUID == study.StudyInstanceUID
    assert ds.PatientID == study.PatientID
    assert ds.PatientName == study.PatientName
    assert ds.SeriesInstanceUID != study.SeriesInstanceUID
    samples, rate = read_voice_audio(ds)
    assert rate == 8000
    speech, _ = soundfile.read(speech_wav, dtype="int16")
    expected = resample(speech, RATE, 8000)
    assert abs(len(samples) - len(expected)) <= 1
    assert best_correlation(samples, expected) > 0.95


@pytest.mark.parametrize("name", ["x.wav", "x.flac", "x"])
def test_export_rejects_non_dcm_output(
    study: pydicom.Dataset,
    speech_wav: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(speech_wav)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 0
    (entry,) = _list(capsys)
    output = tmp_path / name

    status = cli_main.run(
        ["dictation", "export", str(entry["id"]), "--output", str(output)]
    )
    assert status == 1
    assert "does not end in .dcm" in capsys.readouterr().err
    assert not output.exists()


def test_export_unknown_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status = cli_main.run(
        ["dictation", "export", "42", "--output", str(tmp_path / "x")]
    )
    assert status == 1
    assert "no dictation with id 42" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["handheld.raw", "handheld.pcm", "handheld"])
def test_import_headerless_audio_rejected(
    study: pydicom.Dataset,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    speech: np.ndarray,
    name: str,
) -> None:
    raw = tmp_path / name
    raw.write_bytes(speech.astype("<i2").tobytes())
    argv = ["dictation", "import", study.StudyInstanceUID, str(raw)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 1
    error = capsys.readouterr().err
    assert str(raw) in error
    assert "not a WAV or FLAC file" in error
    assert "Traceback" not in error
    assert _list(capsys) == []


def test_release_frees_stale_claim(
    study: pydicom.Dataset,
    speech_wav: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(speech_wav)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 0
    (entry,) = _list(capsys)
    dictation_id = int(str(entry["id"]))
    station = Workstation(Path(os.environ["PACS_DESKTOP_HOME"]))
    station.dictations.claim(dictation_id, "gone.typist")

    assert cli_main.run(["dictation", "release", str(dictation_id)]) == 0
    assert "claim of gone.typist released" in capsys.readouterr().out
    (released,) = _list(capsys)
    assert released["state"] == "recorded"
    assert released["locked_by"] is None
    last = station.dictations.history(dictation_id)[-1]
    records = station.audit.records(event=audit_events.DICTATION_TRANSCRIBED)
    station.close()
    assert last.detail == "released the claim of gone.typist"
    assert records[-1].detail.endswith("released the claim of gone.typist")
    assert records[-1].patient_name == str(study.PatientName)


def test_release_unclaimed_rejected(
    study: pydicom.Dataset,
    speech_wav: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(speech_wav)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 0
    (entry,) = _list(capsys)
    assert cli_main.run(["dictation", "release", str(entry["id"])]) == 1
    error = capsys.readouterr().err
    assert f"dictation {entry['id']} is not claimed" in error
    assert "cannot become" not in error


def test_exports_share_uids(
    study: pydicom.Dataset,
    speech_wav: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(speech_wav)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 0
    (entry,) = _list(capsys)
    outputs = [tmp_path / "first.dcm", tmp_path / "second.dcm"]
    for output in outputs:
        export = ["dictation", "export", str(entry["id"]), "--output", str(output)]
        assert cli_main.run(export) == 0
    first, second = (pydicom.dcmread(output) for output in outputs)
    assert first.SOPInstanceUID == second.SOPInstanceUID
    assert first.SeriesInstanceUID == second.SeriesInstanceUID


def test_import_audit_names_patient(study: pydicom.Dataset, speech_wav: Path) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(speech_wav)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 0
    station = Workstation(Path(os.environ["PACS_DESKTOP_HOME"]))
    records = station.audit.records(event=audit_events.DICTATION_RECORDED)
    station.close()
    assert records[-1].patient_id == study.PatientID
    assert records[-1].patient_name == str(study.PatientName)
