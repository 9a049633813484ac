"""Dictation audio and signed reports that arrive with a study from elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydicom
import pytest
import soundfile
from microphone_rig import RATE
from pydicom.uid import generate_uid
from sites import PASSWORD, Dictated, Site, dictate_and_sign, open_site, study_file

from pacs_desktop.cli import main as cli_main
from pacs_desktop.core.dictation.publish import (
    publish_dictation_audio,
    publish_signed_report,
)
from pacs_desktop.core.dictation.received import (
    ReceivedSummary,
    register_received_objects,
)
from pacs_desktop.core.dictation.report import ReportState
from pacs_desktop.core.dictation.store import DictationError, DictationState
from pacs_desktop.core.dictation.waveform import read_voice_audio

TEXT = "Liver normal in size. No focal lesion.\nImpression: normal, Größe 肝臓."


@pytest.fixture
def speech_wav(speech: np.ndarray, tmp_path: Path) -> Path:
    """The espeak-ng speech as a 16 kHz WAV file, as a handheld recorder makes."""
    path = tmp_path / "speech.wav"
    soundfile.write(path, speech[: 3 * RATE], RATE, subtype="PCM_16")
    return path


@dataclass
class Published:
    """The reading site after publishing, and the archived object files."""

    site: Site
    dictated: Dictated
    audio_file: Path
    sr_file: Path


@pytest.fixture
def reading(speech_wav: Path, tmp_path: Path) -> Iterator[Published]:
    """A dictation and its signed report, stored as DICOM objects."""
    site = open_site(tmp_path / "reading")
    dictated = dictate_and_sign(site, speech_wav, TEXT)
    station = site.station
    audio = publish_dictation_audio(
        station.dictations, station.archive, dictated.dictation_id
    )
    report = publish_signed_report(
        site.reports, station.archive, dictated.report_id, author="dr.house"
    )
    audio_file = station.archive.instance_path(audio.SOPInstanceUID)
    sr_file = station.archive.instance_path(report.SOPInstanceUID)
    assert audio_file is not None
    assert sr_file is not None
    yield Published(site, dictated, audio_file, sr_file)
    site.close()


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Site]:
    """A second, empty workstation."""
    site = open_site(tmp_path / "other")
    yield site
    site.close()


def _receive(site: Site, *files: Path) -> None:
    summary = site.station.archive.import_paths([study_file(), *files])
    assert not summary.rejected, summary.rejected


def _register(site: Site, study_uid: str) -> ReceivedSummary:
    station = site.station
    return register_received_objects(
        station.dictations, site.reports, station.archive, site.recordings, study_uid
    )


def test_received_audio_becomes_dictation(reading: Published, other: Site) -> None:
    _receive(other, reading.audio_file, reading.sr_file)
    summary = _register(other, reading.dictated.StudyInstanceUID)

    assert len(summary.dictations) == 1
    dictation = summary.dictations[0]
    original = reading.site.station.dictations.get(reading.dictated.dictation_id)
    assert dictation.state is DictationState.RECEIVED
    assert dictation.StudyInstanceUID == original.StudyInstanceUID
    assert dictation.PatientID == original.PatientID
    assert dictation.author == "dr.house"
    assert dictation.audio_object_uid == original.audio_object_uid
    assert dictation.sample_rate == 8000

    sent, rate = read_voice_audio(pydicom.dcmread(reading.audio_file))
    assert dictation.audio_path is not None
    assert dictation.audio_path.stat().st_mode & 0o777 == 0o600
    played, played_rate = soundfile.read(dictation.audio_path, dtype="int16")
    assert played_rate == rate
    assert np.array_equal(played, sent)


def test_received_sr_becomes_signed_report(reading: Published, other: Site) -> None:
    _receive(other, reading.audio_file, reading.sr_file)
    summary = _register(other, reading.dictated.StudyInstanceUID)

    assert len(summary.reports) == 1
    report = summary.reports[0]
    original = reading.site.reports.get(reading.dictated.report_id)
    assert report.state is ReportState.SIGNED
    assert report.text == TEXT
    assert report.signed_by == "dr.house"
    assert report.created_by == "dr.house"
    assert report.signed_at == original.signed_at
    assert report.sr_sop_instance_uid == original.sr_sop_instance_uid
    assert report.header.PatientID == original.header.PatientID


def test_second_scan_registers_nothing(reading: Published, other: Site) -> None:
    _receive(other, reading.audio_file, reading.sr_file)
    _register(other, reading.dictated.StudyInstanceUID)
    again = _register(other, reading.dictated.StudyInstanceUID)
    assert again.dictations == []
    assert again.reports == []
    stored = other.station.dictations.find(study_uid=reading.dictated.StudyInstanceUID)
    assert len(stored) == 1


def test_own_objects_not_registered_again(reading: Published) -> None:
    summary = _register(reading.site, reading.dictated.StudyInstanceUID)
    assert summary.dictations == []
    assert summary.reports == []


def test_received_amendment_extends_report(
    reading: Published, other: Site, tmp_path: Path
) -> None:
    site = reading.site
    radiologist = site.station.users.authenticate("dr.house", PASSWORD)
    amended = site.reports.amend(reading.dictated.report_id, radiologist)
    site.reports.save_text(amended.id, TEXT + " Addendum.", radiologist)
    site.reports.sign(amended.id, radiologist, PASSWORD)
    second = publish_signed_report(
        site.reports, site.station.archive, amended.id, author="dr.house"
    )
    second_file = site.station.archive.instance_path(second.SOPInstanceUID)
    assert second_file is not None

    _receive(other, reading.sr_file, second_file)
    summary = _register(other, reading.dictated.StudyInstanceUID)
    first, newer = summary.reports
    assert (first.version, newer.version) == (1, 2)
    assert newer.report_key == first.report_key
    assert newer.previous_id == first.id
    assert newer.text == TEXT + " Addendum."


def _altered_copy(source: Path, target: Path, **values: str) -> Path:
    ds = pydicom.dcmread(source)
    for keyword, value in values.items():
        setattr(ds, keyword, value)
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(target, enforce_file_format=True)
    return target


def test_unverified_sr_skipped(reading: Published, other: Site, tmp_path: Path) -> None:
    draft = _altered_copy(
        reading.sr_file, tmp_path / "draft.dcm", VerificationFlag="UNVERIFIED"
    )
    _receive(other, draft)
    summary = _register(other, reading.dictated.StudyInstanceUID)
    assert summary.reports == []
    assert len(summary.skipped) == 1
    assert "not VERIFIED" in summary.skipped[0][1]


def test_cli_list_registers_received(
    reading: Published, other: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    _receive(other, reading.audio_file, reading.sr_file)
    study_uid = reading.dictated.StudyInstanceUID
    data_dir = str(other.station.data_dir)

    status = cli_main.run(
        ["--data-dir", data_dir, "dictation", "list", "--study", study_uid, "--json"]
    )

    listed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [item["StudyInstanceUID"] for item in listed] == [study_uid]
    assert listed[0]["state"] == DictationState.RECEIVED.value


def test_unknown_study_rejected(other: Site) -> None:
    with pytest.raises(DictationError, match="not in the local archive"):
        _register(other, "1.2.826.0.1.3680043.8.498.999")
