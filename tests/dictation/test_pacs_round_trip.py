"""Dictation audio and a signed report through Orthanc to a second workstation.

The reading workstation publishes both objects through its sync queue; a second,
empty workstation finds them by C-FIND, retrieves the study by C-GET and
registers them, so the dictation plays there and the report reads the same.

Orthanc binds every interface, so like the networking tests this runs only in a
loopback-only network namespace (``PACS_TEST_NETNS=1``); the Orthanc fixtures
are those of tests/net/conftest.py.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pydicom
import pytest
import soundfile
from microphone_rig import RATE
from sites import Dictated, Site, dictate_and_sign, open_site, study_file

from pacs_desktop.core.dictation.publish import (
    Published,
    publish_dictation_audio,
    publish_signed_report,
)
from pacs_desktop.core.dictation.received import register_received_objects
from pacs_desktop.core.dictation.report import ReportState
from pacs_desktop.core.dictation.store import DictationState
from pacs_desktop.core.dictation.waveform import read_voice_audio
from pacs_desktop.core.net.association import LocalEntity
from pacs_desktop.core.net.find import find_series
from pacs_desktop.core.net.nodes import NodeStore
from pacs_desktop.core.net.queue import JobServices, JobState, SyncQueue, run_due_jobs
from pacs_desktop.core.net.retrieve import retrieve

# The Orthanc fixtures are loaded under their own module name: two conftest
# modules cannot share the name "conftest" in one test module's imports.
_PEERS_PATH = Path(__file__).resolve().parent.parent / "net" / "conftest.py"
_spec = importlib.util.spec_from_file_location("net_peers", _PEERS_PATH)
assert _spec is not None and _spec.loader is not None
net_peers = importlib.util.module_from_spec(_spec)
sys.modules["net_peers"] = net_peers
_spec.loader.exec_module(net_peers)
orthanc_session = net_peers.orthanc_session
orthanc = net_peers.orthanc
local_entity = net_peers.local_entity
OrthancServer = net_peers.OrthancServer

TEXT = "CT abdomen: liver normal, no focal lesion.\nImpression: no acute finding."


@pytest.fixture
def reading(speech: np.ndarray, tmp_path: Path) -> Iterator[tuple[Site, Dictated]]:
    """The reading workstation with a dictation of espeak-ng speech, signed."""
    wav = tmp_path / "speech.wav"
    soundfile.write(wav, speech[: 3 * RATE], RATE, subtype="PCM_16")
    site = open_site(tmp_path / "reading")
    yield site, dictate_and_sign(site, wav, TEXT)
    site.close()


@pytest.fixture
def empty_site(tmp_path: Path) -> Iterator[Site]:
    """A second workstation on a new, empty data directory."""
    site = open_site(tmp_path / "second")
    yield site
    site.close()


def _publish_and_send(
    site: Site, dictated: Dictated, server: OrthancServer, local: LocalEntity
) -> tuple[Published, Published]:
    station = site.station
    node = server.node
    NodeStore(station.database).add(node)
    queue = SyncQueue(station.database)
    audio = publish_dictation_audio(
        station.dictations,
        station.archive,
        dictated.dictation_id,
        queue=queue,
        node=node.name,
    )
    report = publish_signed_report(
        site.reports,
        station.archive,
        dictated.report_id,
        author="dr.house",
        queue=queue,
        node=node.name,
    )
    services = JobServices(
        nodes=NodeStore(station.database), local=local, archive=station.archive
    )
    finished = run_due_jobs(queue, services)
    assert [job.state for job in finished] == [JobState.DONE, JobState.DONE], [
        job.last_error for job in finished
    ]
    return audio, report


def test_dictation_and_report_reach_second_workstation(
    orthanc: OrthancServer,
    local_entity: LocalEntity,
    reading: tuple[Site, Dictated],
    empty_site: Site,
) -> None:
    site, dictated = reading
    node = orthanc.node
    orthanc.upload(study_file())
    audio, report = _publish_and_send(site, dictated, orthanc, local_entity)

    # C-FIND at series level finds the audio (AU) and the report (SR) series.
    series = find_series(node, local_entity, dictated.StudyInstanceUID)
    by_modality = {record.Modality: record.SeriesInstanceUID for record in series}
    assert by_modality.get("AU") == audio.SeriesInstanceUID
    assert by_modality.get("SR") == report.SeriesInstanceUID

    target = empty_site.station
    result = retrieve(
        node, local_entity, target.archive, dictated.StudyInstanceUID, method="get"
    )
    assert result.complete, result
    summary = register_received_objects(
        target.dictations,
        empty_site.reports,
        target.archive,
        empty_site.recordings,
        dictated.StudyInstanceUID,
    )
    assert summary.skipped == []

    # The dictation is in the study's list and plays the same 8 kHz samples.
    listed = target.dictations.find(study_uid=dictated.StudyInstanceUID)
    assert len(listed) == 1
    received = listed[0]
    assert received.state is DictationState.RECEIVED
    original = site.station.dictations.get(dictated.dictation_id)
    assert received.PatientID == original.PatientID
    assert received.author == original.author
    sent_file = site.station.archive.instance_path(audio.SOPInstanceUID)
    assert sent_file is not None
    sent, rate = read_voice_audio(pydicom.dcmread(sent_file))
    assert received.audio_path is not None
    played, played_rate = soundfile.read(received.audio_path, dtype="int16")
    assert played_rate == rate == 8000
    assert np.array_equal(played, sent)

    # The report reads the same and is signed by the same radiologist.
    reports = empty_site.reports.find(study_uid=dictated.StudyInstanceUID)
    assert len(reports) == 1
    assert reports[0].state is ReportState.SIGNED
    assert reports[0].text == TEXT
    assert reports[0].signed_by == "dr.house"
    assert reports[0].sr_sop_instance_uid == report.SOPInstanceUID
