"""An audio import and a recovery running at the same time in another window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from sites import Site, open_site, study_file

from pacs_desktop.core.dictation import importing
from pacs_desktop.core.dictation.importing import import_audio_file
from pacs_desktop.core.dictation.recovery import recover_unfinished
from pacs_desktop.core.dictation.store import DictationState


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    opened = open_site(tmp_path / "reading")
    yield opened
    opened.close()


def test_recovery_mid_import_keeps_import(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    station = site.station
    summary = station.archive.import_paths([study_file()])
    study = station.archive.study(next(iter(summary.studies)))
    assert study is not None
    wav = tmp_path / "tone.wav"
    tone = 8000 * np.sin(np.arange(8000) * 2 * np.pi * 300 / 8000)
    soundfile.write(wav, tone.astype(np.int16), 8000, subtype="PCM_16")
    copy = importing._copy_synced

    def copy_then_recover(source: Path, target: Path) -> None:
        # Another window starts while the file is being copied.
        recover_unfinished(station.dictations, site.recordings)
        copy(source, target)

    monkeypatch.setattr(importing, "_copy_synced", copy_then_recover)

    dictation = import_audio_file(
        station.dictations,
        station.archive,
        site.recordings,
        study_uid=study.StudyInstanceUID,
        audio_file=wav,
        patient_id=study.PatientID,
        user="dr.house",
    )

    assert dictation.state is DictationState.RECORDED
    assert dictation.audio_path is not None
    assert dictation.audio_path.is_file()
    assert dictation.duration_seconds == pytest.approx(1.0)
    assert station.dictations.history(dictation.id)[0].detail == "imported from a file"
