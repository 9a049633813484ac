"""Finished recordings and signed reports left unarchived are published later."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from sites import Dictated, Site, dictate_and_sign, open_site

from pacs_desktop.core.dictation.publish import (
    publish_dictation_audio,
    publish_pending,
)
from pacs_desktop.core.net.queue import JobCreator, SyncQueue

TEXT = "No acute findings."


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    opened = open_site(tmp_path / "reading")
    yield opened
    opened.close()


@pytest.fixture
def dictated(site: Site, tmp_path: Path) -> Dictated:
    wav = tmp_path / "tone.wav"
    tone = 8000 * np.sin(np.arange(16000) * 2 * np.pi * 300 / 16000)
    soundfile.write(wav, tone.astype(np.int16), 16000, subtype="PCM_16")
    return dictate_and_sign(site, wav, TEXT)


def test_unarchived_objects_published(site: Site, dictated: Dictated) -> None:
    station = site.station

    def queue_for(user: str) -> SyncQueue:
        return SyncQueue(station.database, creator=JobCreator(user))

    published = publish_pending(
        station.dictations,
        site.reports,
        station.archive,
        queue_for=queue_for,
        node="PACS",
    )

    dictation = station.dictations.get(dictated.dictation_id)
    report = site.reports.get(dictated.report_id)
    jobs = SyncQueue(station.database).list_jobs()
    assert len(published) == 2
    assert station.archive.instance_path(str(dictation.audio_object_uid))
    assert station.archive.instance_path(str(report.sr_sop_instance_uid))
    # Audited under the dictation's author and the report's signer.
    assert [job.creator for job in jobs] == [
        JobCreator("dr.house"),
        JobCreator("dr.house"),
    ]


def test_second_pass_publishes_nothing(site: Site, dictated: Dictated) -> None:
    station = site.station
    publish_pending(station.dictations, site.reports, station.archive)

    again = publish_pending(station.dictations, site.reports, station.archive)

    assert again == []


def test_archived_audio_left_alone(site: Site, dictated: Dictated) -> None:
    station = site.station
    publish_dictation_audio(station.dictations, station.archive, dictated.dictation_id)

    published = publish_pending(station.dictations, site.reports, station.archive)

    assert [item.SOPInstanceUID for item in published] == [
        site.reports.get(dictated.report_id).sr_sop_instance_uid
    ]


def test_study_not_local_skipped(site: Site, dictated: Dictated) -> None:
    station = site.station
    station.archive.delete_study(dictated.StudyInstanceUID, actor="admin-os")

    assert publish_pending(station.dictations, site.reports, station.archive) == []
