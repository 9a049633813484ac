"""Series and Instance Numbers of the audio and SR objects added to a study."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pydicom
import pytest
import soundfile
from microphone_rig import dciodvfy_errors
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.index import IMPORTED
from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.dictation.export import export_dictation
from pacs_desktop.core.dictation.importing import import_audio_file
from pacs_desktop.core.dictation.publish import (
    publish_dictation_audio,
    publish_signed_report,
)
from pacs_desktop.core.dictation.report import ReportHeader, ReportStore
from pacs_desktop.core.dictation.waveform import build_voice_audio
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation

PASSWORD = "Correct-Horse-Battery-9"


@dataclass
class Study:
    """A workstation whose archive contains CT_small, and a radiologist."""

    station: Workstation
    reports: ReportStore
    record: StudyRecord
    radiologist: Session
    recordings: Path
    wav: Path


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Study]:
    (tmp_path / "data").mkdir()
    station = Workstation(tmp_path / "data")
    ct = Path(str(get_testdata_file("CT_small.dcm")))
    summary = station.archive.import_paths([ct])
    assert summary.imported, summary.rejected
    record = station.archive.study(next(iter(summary.studies)))
    assert record is not None
    station.users.create_first_administrator("admin", PASSWORD)
    station.users.create_user("dr.house", PASSWORD, Role.RADIOLOGIST, actor="admin-os")
    reports = ReportStore(
        station.database, station.users, station.audit, station.dictations
    )
    wav = tmp_path / "dictation.wav"
    tone = 8000 * np.sin(np.arange(8000) * 2 * np.pi * 440 / 8000)
    soundfile.write(wav, tone.astype(np.int16), 8000, subtype="PCM_16")
    yield Study(
        station=station,
        reports=reports,
        record=record,
        radiologist=station.users.authenticate("dr.house", PASSWORD),
        recordings=tmp_path / "data" / "dictations",
        wav=wav,
    )
    station.close()


def _dictation(study: Study) -> int:
    dictation = import_audio_file(
        study.station.dictations,
        study.station.archive,
        study.recordings,
        study_uid=study.record.StudyInstanceUID,
        audio_file=study.wav,
        patient_id=study.record.PatientID,
        user="dr.house",
    )
    return dictation.id


def _series_numbers(study: Study) -> dict[str, int | None]:
    return {
        series.SeriesInstanceUID: series.SeriesNumber
        for series in study.station.archive.series_for_study(
            study.record.StudyInstanceUID
        )
    }


def _signed_report(study: Study, text: str) -> int:
    report = study.reports.create(
        ReportHeader.from_study(study.record), user="dr.house", text=text
    )
    study.reports.sign(report.id, study.radiologist, PASSWORD)
    return report.id


def test_dictations_get_distinct_numbers(study: Study) -> None:
    ct_numbers = set(_series_numbers(study).values())
    published = [
        publish_dictation_audio(
            study.station.dictations, study.station.archive, _dictation(study)
        )
        for _ in range(3)
    ]
    numbers = _series_numbers(study)
    audio_numbers = [numbers[item.SeriesInstanceUID] for item in published]
    assert audio_numbers == [9001, 9002, 9003]
    assert not ct_numbers & set(audio_numbers)

    path = study.station.archive.instance_path(published[2].SOPInstanceUID)
    assert path is not None
    assert pydicom.dcmread(path).SeriesNumber == 9003
    status, errors = dciodvfy_errors(path)
    assert errors == []
    assert status == 0


def test_same_series_keeps_its_number(study: Study, tmp_path: Path) -> None:
    dictations = study.station.dictations
    archive = study.station.archive
    first_id = _dictation(study)
    first = publish_dictation_audio(dictations, archive, first_id)
    publish_dictation_audio(dictations, archive, _dictation(study))

    again = publish_dictation_audio(dictations, archive, first_id)
    assert again.SeriesInstanceUID == first.SeriesInstanceUID
    assert _series_numbers(study)[first.SeriesInstanceUID] == 9001

    linear = export_dictation(dictations, archive, first_id, tmp_path / "ss.dcm")
    assert linear.SeriesNumber == 9001
    assert linear.InstanceNumber == 1
    mulaw = export_dictation(
        dictations, archive, first_id, tmp_path / "mb.dcm", sample_interpretation="MB"
    )
    assert mulaw.SeriesInstanceUID == first.SeriesInstanceUID
    assert mulaw.SeriesNumber == 9001
    assert mulaw.InstanceNumber == 2


def test_received_series_number_skipped(study: Study) -> None:
    # A dictation that another workstation made, retrieved with the study.
    other = build_voice_audio(
        np.zeros(800, dtype=np.int16),
        8000,
        study.record,
        acquired=datetime(2024, 3, 5, 10, 30, tzinfo=timezone.utc),
        series_number=9001,
    )
    outcome = study.station.archive.store_received(other, "received audio")
    assert outcome.status == IMPORTED, outcome.reason

    audio = publish_dictation_audio(
        study.station.dictations, study.station.archive, _dictation(study)
    )
    report = publish_signed_report(
        study.reports,
        study.station.archive,
        _signed_report(study, "No focal lesion."),
        author="dr.house",
    )
    numbers = _series_numbers(study)
    assert numbers[str(other.SeriesInstanceUID)] == 9001
    assert numbers[audio.SeriesInstanceUID] == 9002
    assert numbers[report.SeriesInstanceUID] == 9003


def test_amended_report_gets_own_series(study: Study) -> None:
    archive = study.station.archive
    first_id = _signed_report(study, "First text.")
    first = publish_signed_report(study.reports, archive, first_id, author="dr.house")
    amended = study.reports.amend(first_id, study.radiologist)
    study.reports.save_text(amended.id, "Amended text.", study.radiologist)
    study.reports.sign(amended.id, study.radiologist, PASSWORD)
    second = publish_signed_report(
        study.reports, archive, amended.id, author="dr.house"
    )
    again = publish_signed_report(study.reports, archive, first_id, author="dr.house")

    numbers = _series_numbers(study)
    assert second.SeriesInstanceUID != first.SeriesInstanceUID
    assert numbers[first.SeriesInstanceUID] == 9002
    assert numbers[second.SeriesInstanceUID] == 9003
    assert again.SeriesInstanceUID == first.SeriesInstanceUID
    first_path = archive.instance_path(first.SOPInstanceUID)
    second_path = archive.instance_path(second.SOPInstanceUID)
    assert first_path is not None
    assert second_path is not None
    assert pydicom.dcmread(first_path).InstanceNumber == 1
    assert pydicom.dcmread(second_path).InstanceNumber == 2
