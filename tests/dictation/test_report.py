"""Report versions, signing with the password, and the Basic Text SR object."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pydicom
import pytest
import soundfile
from microphone_rig import dciodvfy_errors
from pydicom.data import get_testdata_file

from pacs_desktop.core.archive.records import StudyRecord
from pacs_desktop.core.dictation.importing import import_audio_file
from pacs_desktop.core.dictation.publish import (
    publish_dictation_audio,
    publish_signed_report,
)
from pacs_desktop.core.dictation.report import (
    ReportEditDeniedError,
    ReportError,
    ReportHeader,
    ReportState,
    ReportStateError,
    ReportStore,
    SignatureRejectedError,
)
from pacs_desktop.core.dictation.report_sr import (
    BASIC_TEXT_SR_STORAGE,
    build_basic_text_sr,
    read_report_text,
)
from pacs_desktop.core.dictation.store import (
    DictationAudit,
    DictationLockedError,
    DictationState,
)
from pacs_desktop.core.errors import AccessDeniedError
from pacs_desktop.core.security import audit as audit_events
from pacs_desktop.core.security.roles import Role
from pacs_desktop.core.security.users import Session
from pacs_desktop.core.workstation import Workstation

PASSWORD = "Correct-Horse-Battery-9"
REPORT_TEXT = "Liver normal in size. No focal lesion.\nImpression: normal, Größe 肝臓."


@dataclass
class Desk:
    """A workstation with a study, a radiologist and two transcriptionists."""

    station: Workstation
    reports: ReportStore
    study: StudyRecord
    radiologist: Session
    typist: Session
    other_typist: Session
    technician: Session
    recordings: Path


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    (tmp_path / "data").mkdir()
    station = Workstation(tmp_path / "data")
    ct = Path(str(get_testdata_file("CT_small.dcm")))
    summary = station.archive.import_paths([ct])
    assert summary.imported, summary.rejected
    study_uid = next(iter(summary.studies))
    study = station.archive.study(study_uid)
    assert study is not None
    users = station.users
    users.create_first_administrator("admin", PASSWORD)
    for name, role in (
        ("dr.house", Role.RADIOLOGIST),
        ("typist", Role.TRANSCRIPTIONIST),
        ("typist2", Role.TRANSCRIPTIONIST),
        ("tech", Role.TECHNICIAN),
    ):
        users.create_user(name, PASSWORD, role, actor="admin-os")
    reports = ReportStore(station.database, users, station.audit, station.dictations)
    yield Desk(
        station=station,
        reports=reports,
        study=study,
        radiologist=users.authenticate("dr.house", PASSWORD),
        typist=users.authenticate("typist", PASSWORD),
        other_typist=users.authenticate("typist2", PASSWORD),
        technician=users.authenticate("tech", PASSWORD),
        recordings=tmp_path / "data" / "dictations",
    )
    station.close()


def _dictation_id(desk: Desk, tmp_path: Path) -> int:
    wav = tmp_path / "dictation.wav"
    tone = 8000 * np.sin(np.arange(16000) * 2 * np.pi * 440 / 16000)
    soundfile.write(wav, tone.astype(np.int16), 16000, subtype="PCM_16")
    dictation = import_audio_file(
        desk.station.dictations,
        desk.station.archive,
        desk.recordings,
        study_uid=desk.study.StudyInstanceUID,
        audio_file=wav,
        patient_id=desk.study.PatientID,
        user="dr.house",
    )
    return dictation.id


def _signed_report(desk: Desk) -> int:
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="dr.house", text=REPORT_TEXT
    )
    desk.reports.sign(report.id, desk.radiologist, PASSWORD)
    return report.id


def test_header_from_study_record(desk: Desk) -> None:
    header = ReportHeader.from_study(desk.study)
    assert header.PatientID == desk.study.PatientID
    assert header.AccessionNumber == desk.study.AccessionNumber
    assert header.ModalitiesInStudy == ("CT",)
    assert ReportHeader.from_json(header.to_json()) == header


def test_workflow_follows_dictation(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    dictations = desk.station.dictations
    dictations.claim(dictation_id, "typist")
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="typist", dictation_id=dictation_id
    )
    desk.reports.save_text(report.id, REPORT_TEXT, desk.typist)

    transcribed = desk.reports.mark_transcribed(report.id, desk.typist)
    assert transcribed.state is ReportState.TRANSCRIBED
    assert dictations.get(dictation_id).state is DictationState.TRANSCRIBED
    desk.reports.save_text(report.id, REPORT_TEXT + " Corrected.", desk.radiologist)
    corrected = desk.reports.mark_corrected(report.id, desk.radiologist)
    assert dictations.get(dictation_id).state is DictationState.CORRECTED
    signed = desk.reports.sign(corrected.id, desk.radiologist, PASSWORD)
    assert signed.state is ReportState.SIGNED
    assert signed.signed_by == "dr.house"
    assert dictations.get(dictation_id).state is DictationState.SIGNED
    history = [(e.user, e.detail) for e in desk.reports.history(report.id)]
    assert history == [
        ("typist", "created"),
        ("typist", "text changed"),
        ("typist", ""),
        ("dr.house", "text changed"),
        ("dr.house", ""),
        ("dr.house", ""),
    ]


def _transcribed(desk: Desk, tmp_path: Path) -> int:
    dictation_id = _dictation_id(desk, tmp_path)
    desk.station.dictations.claim(dictation_id, "typist")
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="typist", dictation_id=dictation_id
    )
    desk.reports.save_text(report.id, REPORT_TEXT, desk.typist)
    desk.reports.mark_transcribed(report.id, desk.typist)
    return report.id


def test_typist_cannot_edit_after_transcribed(desk: Desk, tmp_path: Path) -> None:
    report_id = _transcribed(desk, tmp_path)
    report = desk.reports.get(report_id)
    assert not desk.reports.may_edit(report, desk.typist)
    with pytest.raises(ReportEditDeniedError):
        desk.reports.save_text(report_id, "changed by the typist", desk.typist)
    unchanged = desk.reports.get(report_id)
    assert unchanged.text == REPORT_TEXT
    assert unchanged.updated_by == "typist"


def test_other_typist_cannot_edit_claimed_draft(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    desk.station.dictations.claim(dictation_id, "typist")
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="typist", dictation_id=dictation_id
    )
    assert desk.reports.may_edit(report, desk.typist)
    assert not desk.reports.may_edit(report, desk.other_typist)
    with pytest.raises(ReportEditDeniedError):
        desk.reports.save_text(report.id, "not mine", desk.other_typist)
    assert desk.reports.get(report.id).text == ""


def test_unclaimed_draft_names_dictation(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    desk.station.dictations.claim(dictation_id, "typist")
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="typist", dictation_id=dictation_id
    )
    desk.station.dictations.release(dictation_id, "typist")
    with pytest.raises(ReportEditDeniedError) as raised:
        desk.reports.save_text(report.id, "typed after the release", desk.typist)
    assert f"dictation {dictation_id}, which nobody has claimed" in str(raised.value)
    assert "claim the dictation" in str(raised.value)


def test_radiologist_edit_is_report_event(desk: Desk, tmp_path: Path) -> None:
    report_id = _transcribed(desk, tmp_path)
    desk.reports.save_text(report_id, REPORT_TEXT + " Addendum.", desk.radiologist)
    last = desk.reports.history(report_id)[-1]
    assert last.user == "dr.house"
    assert last.state is ReportState.TRANSCRIBED
    assert last.detail == "text changed"
    assert desk.reports.get(report_id).updated_by == "dr.house"


def test_same_text_records_no_event(desk: Desk, tmp_path: Path) -> None:
    report_id = _transcribed(desk, tmp_path)
    before = desk.reports.history(report_id)
    desk.reports.save_text(report_id, REPORT_TEXT, desk.radiologist)
    assert desk.reports.history(report_id) == before


def _dictation_records(desk: Desk) -> list[audit_events.AuditRecord]:
    return [
        r
        for r in desk.station.audit.records()
        if r.event == audit_events.DICTATION_TRANSCRIBED
    ]


def test_claim_and_correction_audited(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    trail = DictationAudit(desk.station.audit, PatientName="Doe^Claim")
    desk.station.dictations.claim(dictation_id, "typist", audit=trail)
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="typist", dictation_id=dictation_id
    )
    desk.reports.save_text(report.id, REPORT_TEXT, desk.typist)
    desk.reports.mark_transcribed(report.id, desk.typist)
    desk.reports.mark_corrected(report.id, desk.radiologist)

    records = _dictation_records(desk)
    details = [r.detail for r in records]
    assert details[0] == f"dictation {dictation_id} in transcription: claimed"
    assert details[-1] == f"report {report.id} version 1 marked corrected"
    assert [r.user for r in records] == ["typist", "typist", "dr.house"]
    assert records[0].patient_name == "Doe^Claim"
    assert records[-1].patient_name == desk.study.PatientName
    assert all(r.patient_id == desk.study.PatientID for r in records)


def test_amend_audited(desk: Desk) -> None:
    report_id = _signed_report(desk)
    amended = desk.reports.amend(report_id, desk.radiologist)
    last = _dictation_records(desk)[-1]
    assert last.detail == f"report {amended.id} version 2 amends report {report_id}"
    assert last.user == "dr.house"


def test_other_typist_cannot_mark_transcribed(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    desk.station.dictations.claim(dictation_id, "typist")
    report = desk.reports.create(
        ReportHeader.from_study(desk.study),
        user="typist",
        dictation_id=dictation_id,
        text=REPORT_TEXT,
    )
    with pytest.raises(DictationLockedError):
        desk.reports.mark_transcribed(report.id, desk.other_typist)
    assert desk.reports.get(report.id).state is ReportState.DRAFT


def test_sign_wrong_password_refused_and_audited(desk: Desk) -> None:
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="dr.house", text=REPORT_TEXT
    )
    with pytest.raises(SignatureRejectedError):
        desk.reports.sign(report.id, desk.radiologist, "not-my-password")
    assert desk.reports.get(report.id).state is ReportState.DRAFT
    records = desk.station.audit.records()
    refusals = [
        r
        for r in records
        if r.event == audit_events.REPORT_SIGNED and r.outcome != "success"
    ]
    assert len(refusals) == 1
    failed_logins = [r for r in records if r.event == audit_events.LOGIN_FAILED]
    assert [r.user for r in failed_logins] == ["dr.house"]


@pytest.mark.parametrize("who", ["typist", "technician"])
def test_sign_needs_radiologist_role(desk: Desk, who: str) -> None:
    session = desk.typist if who == "typist" else desk.technician
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="dr.house", text=REPORT_TEXT
    )
    with pytest.raises(AccessDeniedError):
        desk.reports.sign(report.id, session, PASSWORD)
    assert desk.reports.get(report.id).state is ReportState.DRAFT
    denied = [
        r for r in desk.station.audit.records() if r.event == audit_events.ACCESS_DENIED
    ]
    assert len(denied) == 1


def test_sign_success_is_audited(desk: Desk) -> None:
    _signed_report(desk)
    signed = [
        r
        for r in desk.station.audit.records()
        if r.event == audit_events.REPORT_SIGNED and r.outcome == "success"
    ]
    assert len(signed) == 1


def test_signed_report_cannot_change(desk: Desk) -> None:
    report_id = _signed_report(desk)
    with pytest.raises(ReportStateError):
        desk.reports.save_text(report_id, "changed", desk.radiologist)
    assert desk.reports.get(report_id).text == REPORT_TEXT


def test_amend_keeps_old_version(desk: Desk) -> None:
    report_id = _signed_report(desk)
    old = desk.reports.get(report_id)
    amended = desk.reports.amend(report_id, desk.radiologist)
    desk.reports.save_text(amended.id, "Amended: small cyst.", desk.radiologist)
    desk.reports.sign(amended.id, desk.radiologist, PASSWORD)

    versions = desk.reports.versions(old.report_key)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0] == old
    assert versions[1].previous_id == old.id
    assert versions[1].text == "Amended: small cyst."
    assert versions[1].state is ReportState.SIGNED
    assert desk.reports.find(study_uid=desk.study.StudyInstanceUID) == [versions[1]]


def test_amend_needs_signed_newest(desk: Desk) -> None:
    report_id = _signed_report(desk)
    desk.reports.amend(report_id, desk.radiologist)
    with pytest.raises(ReportStateError):
        desk.reports.amend(report_id, desk.radiologist)


def test_empty_report_cannot_be_signed(desk: Desk) -> None:
    report = desk.reports.create(ReportHeader.from_study(desk.study), user="dr.house")
    with pytest.raises(ReportStateError):
        desk.reports.sign(report.id, desk.radiologist, PASSWORD)


def test_unsigned_report_builds_no_sr(desk: Desk) -> None:
    report = desk.reports.create(
        ReportHeader.from_study(desk.study), user="dr.house", text=REPORT_TEXT
    )
    with pytest.raises(ReportError):
        build_basic_text_sr(report, desk.study, author="dr.house")


def test_sr_attributes(desk: Desk) -> None:
    report = desk.reports.get(_signed_report(desk))
    ds = build_basic_text_sr(report, desk.study, author="dr.house")
    assert ds.SOPClassUID == BASIC_TEXT_SR_STORAGE
    assert ds.StudyInstanceUID == desk.study.StudyInstanceUID
    assert ds.PatientID == desk.study.PatientID
    assert ds.VerificationFlag == "VERIFIED"
    assert ds.CompletionFlag == "COMPLETE"
    verifier = ds.VerifyingObserverSequence[0]
    assert str(verifier.VerifyingObserverName) == "dr.house"
    assert verifier.VerificationDateTime
    assert str(ds.AuthorObserverSequence[0].PersonName) == "dr.house"
    assert read_report_text(ds) == REPORT_TEXT


def _dciodvfy_clean(path: Path) -> None:
    status, errors = dciodvfy_errors(path)
    assert errors == []
    assert status == 0


def test_published_sr_passes_dciodvfy(desk: Desk) -> None:
    report_id = _signed_report(desk)
    published = publish_signed_report(
        desk.reports, desk.station.archive, report_id, author="dr.house"
    )
    path = desk.station.archive.instance_path(published.SOPInstanceUID)
    assert path is not None
    _dciodvfy_clean(path)
    stored = pydicom.dcmread(path)
    assert read_report_text(stored) == REPORT_TEXT
    assert desk.reports.get(report_id).sr_sop_instance_uid == published.SOPInstanceUID


def test_amended_sr_names_predecessor(desk: Desk) -> None:
    report_id = _signed_report(desk)
    first = publish_signed_report(
        desk.reports, desk.station.archive, report_id, author="dr.house"
    )
    amended = desk.reports.amend(report_id, desk.radiologist)
    desk.reports.save_text(amended.id, "Amended text.", desk.radiologist)
    desk.reports.sign(amended.id, desk.radiologist, PASSWORD)
    second = publish_signed_report(
        desk.reports, desk.station.archive, amended.id, author="dr.house"
    )
    path = desk.station.archive.instance_path(second.SOPInstanceUID)
    assert path is not None
    _dciodvfy_clean(path)
    ds = pydicom.dcmread(path)
    reference = ds.PredecessorDocumentsSequence[0]
    sop = reference.ReferencedSeriesSequence[0].ReferencedSOPSequence[0]
    assert sop.ReferencedSOPInstanceUID == first.SOPInstanceUID


def test_audio_object_archived(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    published = publish_dictation_audio(
        desk.station.dictations, desk.station.archive, dictation_id
    )
    path = desk.station.archive.instance_path(published.SOPInstanceUID)
    assert path is not None
    assert published.StudyInstanceUID == desk.study.StudyInstanceUID
    assert published.send_job_id is None
    _dciodvfy_clean(path)


def test_published_objects_queued_for_send(desk: Desk, tmp_path: Path) -> None:
    from pacs_desktop.core.net.queue import SyncQueue

    queue = SyncQueue(desk.station.database)
    dictation_id = _dictation_id(desk, tmp_path)
    audio = publish_dictation_audio(
        desk.station.dictations,
        desk.station.archive,
        dictation_id,
        queue=queue,
        node="PACS",
    )
    report = publish_signed_report(
        desk.reports,
        desk.station.archive,
        _signed_report(desk),
        author="dr.house",
        queue=queue,
        node="PACS",
    )
    jobs = {job.id: job for job in queue.list_jobs()}
    assert audio.send_job_id in jobs
    assert report.send_job_id in jobs
    assert jobs[report.send_job_id].uids == [report.SeriesInstanceUID]


@pytest.mark.parametrize("who", ["dr.house", "admin"])
def test_override_releases_stale_claim(desk: Desk, tmp_path: Path, who: str) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    dictations = desk.station.dictations
    dictations.claim(dictation_id, "typist")
    session = desk.station.users.authenticate(who, PASSWORD)
    trail = DictationAudit(desk.station.audit, PatientName="Doe^Stale")

    released = dictations.release_claim(dictation_id, session, audit=trail)
    assert released.state is DictationState.RECORDED
    assert released.locked_by is None
    last = dictations.history(dictation_id)[-1]
    assert last.user == who
    assert last.detail == "released the claim of typist"
    record = _dictation_records(desk)[-1]
    assert record.user == who
    assert record.detail == (
        f"dictation {dictation_id} recorded: released the claim of typist"
    )
    assert record.patient_name == "Doe^Stale"


def test_typist_cannot_release_others_claim(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    dictations = desk.station.dictations
    dictations.claim(dictation_id, "typist")
    with pytest.raises(AccessDeniedError):
        dictations.release_claim(dictation_id, desk.other_typist)
    assert dictations.get(dictation_id).locked_by == "typist"


def test_audio_object_uids_stable(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    dictations = desk.station.dictations
    first = publish_dictation_audio(dictations, desk.station.archive, dictation_id)
    second = publish_dictation_audio(dictations, desk.station.archive, dictation_id)
    assert second.SOPInstanceUID == first.SOPInstanceUID
    assert second.SeriesInstanceUID == first.SeriesInstanceUID
    stored = dictations.get(dictation_id)
    assert stored.audio_object_uid == first.SOPInstanceUID
    assert stored.audio_series_uid == first.SeriesInstanceUID


def test_new_recording_version_new_uids(desk: Desk, tmp_path: Path) -> None:
    dictation_id = _dictation_id(desk, tmp_path)
    dictations = desk.station.dictations
    first = publish_dictation_audio(dictations, desk.station.archive, dictation_id)
    audio = dictations.get(dictation_id)
    assert audio.audio_path is not None
    dictations.set_audio(dictation_id, audio.audio_path, audio.duration_seconds)
    second = publish_dictation_audio(dictations, desk.station.archive, dictation_id)
    assert second.SOPInstanceUID != first.SOPInstanceUID
    assert second.SeriesInstanceUID != first.SeriesInstanceUID


def test_sr_published_twice_same_object(desk: Desk) -> None:
    report_id = _signed_report(desk)
    archive = desk.station.archive
    first = publish_signed_report(desk.reports, archive, report_id, author="dr.house")
    second = publish_signed_report(desk.reports, archive, report_id, author="dr.house")
    assert second.SOPInstanceUID == first.SOPInstanceUID
    assert second.SeriesInstanceUID == first.SeriesInstanceUID
