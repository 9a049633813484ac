"""G.711 coding, resampling and the Basic Voice Audio object from a study record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pydicom
import pytest
from microphone_rig import dciodvfy_errors

from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.dictation.store import DictationError, RecordingBinding
from pacs_desktop.core.dictation.waveform import (
    alaw_decode,
    alaw_encode,
    build_voice_audio,
    mulaw_decode,
    mulaw_encode,
    read_voice_audio,
    resample,
    write_voice_audio,
)

# Code values of ITU-T G.711 for 16-bit linear input.
G711_TABLE = [
    (0, 0xFF, 0xD5),
    (-1, 0x7E, 0x55),
    (100, 0xF2, 0xD3),
    (-100, 0x72, 0x53),
    (1000, 0xCE, 0xFA),
    (-1000, 0x4E, 0x7A),
    (8000, 0xA0, 0x8A),
    (-8000, 0x20, 0x0A),
    (32767, 0x80, 0xAA),
    (-32768, 0x00, 0x2A),
]


@pytest.mark.parametrize(("linear", "mulaw", "alaw"), G711_TABLE)
def test_g711_encoding(linear: int, mulaw: int, alaw: int) -> None:
    sample = np.array([linear], dtype=np.int16)
    assert int(mulaw_encode(sample)[0]) == mulaw
    assert int(alaw_encode(sample)[0]) == alaw


@pytest.mark.parametrize(
    ("encode", "decode"), [(mulaw_encode, mulaw_decode), (alaw_encode, alaw_decode)]
)
def test_g711_round_trip_error_is_small(
    encode: Callable[[np.ndarray], np.ndarray],
    decode: Callable[[np.ndarray], np.ndarray],
) -> None:
    samples = np.arange(-32768, 32768, 7, dtype=np.int16)
    decoded = decode(encode(samples)).astype(np.int32)
    # 8-bit companding: the step is at most 1/16 of the magnitude, plus a floor.
    error = np.abs(decoded - samples)
    assert np.all(error <= np.abs(samples.astype(np.int32)) / 16 + 64)


def test_resample_removes_content_above_new_nyquist() -> None:
    times = np.arange(16000) / 16000
    tone = np.sin(2 * np.pi * 6000 * times) * 10000  # above 4 kHz
    voice = np.sin(2 * np.pi * 300 * times) * 10000
    assert np.std(resample(tone, 16000, 8000)[200:-200]) < 200
    assert np.std(resample(voice, 16000, 8000)) > 6000
    assert len(resample(voice, 16000, 8000)) == 8000


def _record() -> StudyRecord:
    return StudyRecord(
        PatientName="Doe^Jane",
        PatientID="P-77",
        PatientBirthDate="19700101",
        PatientSex="F",
        StudyInstanceUID="1.2.826.0.1.3680043.8.498.40001",
        StudyDate="20240305",
        StudyTime="101500",
        AccessionNumber="ACC77",
        ModalitiesInStudy=["CT"],
        StudyDescription="CT abdomen",
        NumberOfStudyRelatedSeries=1,
        NumberOfStudyRelatedInstances=1,
    )


def test_object_from_study_record_validates(tmp_path: Path) -> None:
    samples = (np.sin(np.arange(44100) / 10) * 8000).astype(np.int16)
    ds = build_voice_audio(
        samples,
        44100,
        _record(),
        acquired=datetime(2024, 3, 5, 10, 30, tzinfo=timezone.utc),
        author="House^Gregory",
    )
    path = tmp_path / "audio.dcm"
    write_voice_audio(ds, path)

    back = pydicom.dcmread(path)
    assert back.PatientID == "P-77"
    assert back.AccessionNumber == "ACC77"
    assert back.Modality == "AU"
    assert back.WaveformSequence[0].NumberOfWaveformChannels == 1
    assert back.WaveformSequence[0].SamplingFrequency == 8000
    assert len(read_voice_audio(back)[0]) == 8000
    status, errors = dciodvfy_errors(path)
    assert errors == []
    assert status == 0


def test_unknown_interpretation_rejected() -> None:
    with pytest.raises(DictationError, match="not allowed"):
        build_voice_audio(
            np.zeros(800, dtype=np.int16),
            8000,
            _record(),
            acquired=datetime.now(timezone.utc),
            sample_interpretation="SB",
        )


def test_empty_recording_rejected() -> None:
    with pytest.raises(DictationError, match="no audio"):
        build_voice_audio(
            np.zeros(0, dtype=np.int16),
            8000,
            _record(),
            acquired=datetime.now(timezone.utc),
        )


def test_binding_from_study_record() -> None:
    binding = RecordingBinding.for_study(_record(), "dr.house")
    assert binding.StudyInstanceUID == "1.2.826.0.1.3680043.8.498.40001"
    assert binding.PatientID == "P-77"
    assert binding.AccessionNumber == "ACC77"
    assert binding.started.tzinfo is not None
