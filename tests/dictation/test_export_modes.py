"""File modes of exported dictations and of the dictation folder."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pydicom
import pytest
import soundfile
from microphone_rig import RATE
from pydicom.data import get_testdata_file

from pacs_desktop.cli import main as cli_main
from pacs_desktop.core.dictation.recorder import (
    RECORDINGS_DIR_NAME,
    default_recordings_dir,
)
from pacs_desktop.core.paths import HOME_ENV


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """Run with umask 022, under which plain file creation gives 0644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


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


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _recordings_dir() -> Path:
    return Path(os.environ[HOME_ENV]) / RECORDINGS_DIR_NAME


def _import(study: pydicom.Dataset, audio: Path) -> None:
    argv = ["dictation", "import", study.StudyInstanceUID, str(audio)]
    assert cli_main.run([*argv, "--patient-id", study.PatientID]) == 0


def _only_dictation_id(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert cli_main.run(["dictation", "list", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    return str(entry["id"])


@pytest.mark.parametrize("existing", [False, True])
def test_export_file_is_private(
    study: pydicom.Dataset,
    speech_wav: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    existing: bool,
) -> None:
    _import(study, speech_wav)
    output = tmp_path / "audio.dcm"
    if existing:
        output.write_bytes(b"")
        output.chmod(0o644)

    argv = ["dictation", "export", _only_dictation_id(capsys), "--output", str(output)]
    assert cli_main.run(argv) == 0

    assert _mode(output) == 0o600
    assert pydicom.dcmread(output).Modality == "AU"


def test_import_creates_private_folder(
    study: pydicom.Dataset, speech_wav: Path
) -> None:
    _import(study, speech_wav)

    assert _mode(_recordings_dir()) == 0o700


def test_existing_open_folder_is_narrowed(
    study: pydicom.Dataset, speech_wav: Path
) -> None:
    folder = _recordings_dir()
    folder.mkdir()
    folder.chmod(0o755)

    _import(study, speech_wav)

    assert _mode(folder) == 0o700


def test_default_recordings_dir_narrows(tmp_path: Path) -> None:
    folder = tmp_path / RECORDINGS_DIR_NAME
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)

    assert default_recordings_dir(tmp_path) == folder
    assert _mode(folder) == 0o700
