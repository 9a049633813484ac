"""Dictation states, the transcription lock, and who changed what when."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile

from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dictation.audiofile import (
    Timeline,
    render_timeline,
    repair_wav,
    wav_header,
)
from pacs_desktop.core.dictation.recorder import final_path, recording_paths
from pacs_desktop.core.dictation.recovery import (
    discard_recovered,
    finish_recovered,
    pending_for_author,
    recover_unfinished,
)
from pacs_desktop.core.dictation.store import (
    DictationError,
    DictationLockedError,
    DictationState,
    DictationStateError,
    DictationStore,
    Priority,
    RecordingBinding,
    utc_now,
)

S = DictationState


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DictationStore]:
    database = Database(tmp_path / "archive.sqlite")
    yield DictationStore(database)
    database.close()


def _binding(user: str = "dr.house") -> RecordingBinding:
    return RecordingBinding(
        StudyInstanceUID="1.2.3.4",
        AccessionNumber="A1",
        PatientID="P1",
        user=user,
        started=utc_now(),
    )


def _recorded(store: DictationStore) -> int:
    dictation = store.create(_binding(), sample_rate=16000)
    return store.transition(dictation.id, S.RECORDED, "dr.house").id


def test_create_binds_study_before_audio(store: DictationStore) -> None:
    dictation = store.create(_binding(), sample_rate=16000)
    assert dictation.state is S.RECORDING
    assert dictation.StudyInstanceUID == "1.2.3.4"
    assert dictation.PatientID == "P1"
    assert dictation.AccessionNumber == "A1"
    assert dictation.author == "dr.house"
    assert dictation.audio_path is None


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ((S.RECORDED, S.IN_TRANSCRIPTION, S.TRANSCRIBED, S.SIGNED), True),
        ((S.RECORDED, S.IN_TRANSCRIPTION, S.TRANSCRIBED, S.CORRECTED, S.SIGNED), True),
        ((S.RECORDED, S.IN_TRANSCRIPTION, S.RECORDED), True),
        ((S.RECOVERED, S.RECORDED), True),
        ((S.RECOVERED, S.DISCARDED), True),
        ((S.RECORDED, S.SIGNED), False),
        ((S.RECORDED, S.TRANSCRIBED), False),
        ((S.RECORDED, S.IN_TRANSCRIPTION, S.CORRECTED), False),
        ((S.RECORDED, S.IN_TRANSCRIPTION, S.TRANSCRIBED, S.SIGNED, S.CORRECTED), False),
        ((S.DISCARDED, S.RECORDED), False),
    ],
)
def test_state_changes(
    store: DictationStore, path: tuple[DictationState, ...], allowed: bool
) -> None:
    dictation_id = store.create(_binding(), sample_rate=16000).id
    *steps, last = path
    for state in steps:
        store.transition(dictation_id, state, "ann.typist")
    if allowed:
        assert store.transition(dictation_id, last, "ann.typist").state is last
    else:
        with pytest.raises(DictationStateError):
            store.transition(dictation_id, last, "ann.typist")


def test_claim_locks_to_one_transcriptionist(store: DictationStore) -> None:
    dictation_id = _recorded(store)
    claimed = store.claim(dictation_id, "ann.typist")
    assert claimed.locked_by == "ann.typist"
    with pytest.raises(DictationStateError):
        store.claim(dictation_id, "bob.typist")
    with pytest.raises(DictationLockedError):
        store.transition(dictation_id, S.TRANSCRIBED, "bob.typist")
    with pytest.raises(DictationLockedError):
        store.release(dictation_id, "bob.typist")


def test_release_lets_another_claim(store: DictationStore) -> None:
    dictation_id = _recorded(store)
    store.claim(dictation_id, "ann.typist")
    released = store.release(dictation_id, "ann.typist")
    assert released.locked_by is None
    assert store.claim(dictation_id, "bob.typist").locked_by == "bob.typist"


def test_transcribed_clears_lock(store: DictationStore) -> None:
    dictation_id = _recorded(store)
    store.claim(dictation_id, "ann.typist")
    done = store.transition(dictation_id, S.TRANSCRIBED, "ann.typist")
    assert done.locked_by is None


def test_history_records_who_and_when(store: DictationStore) -> None:
    dictation_id = _recorded(store)
    store.claim(dictation_id, "ann.typist")
    store.transition(dictation_id, S.TRANSCRIBED, "ann.typist")
    store.transition(dictation_id, S.SIGNED, "dr.house")
    events = store.history(dictation_id)
    assert [(e.state, e.user) for e in events] == [
        (S.RECORDING, "dr.house"),
        (S.RECORDED, "dr.house"),
        (S.IN_TRANSCRIPTION, "ann.typist"),
        (S.TRANSCRIBED, "ann.typist"),
        (S.SIGNED, "dr.house"),
    ]
    assert all(e.at.tzinfo is not None for e in events)
    assert events == sorted(events, key=lambda e: e.at)


def test_priority_change_records_who_and_when(store: DictationStore) -> None:
    dictation_id = _recorded(store)
    changed = store.set_priority(dictation_id, Priority.STAT, "dr.house")
    assert changed.priority is Priority.STAT
    last = store.history(dictation_id)[-1]
    assert last.user == "dr.house"
    assert last.state is S.RECORDED
    assert last.detail == "priority routine -> stat"
    assert last.at.tzinfo is not None


def test_same_priority_records_nothing(store: DictationStore) -> None:
    dictation_id = _recorded(store)
    before = len(store.history(dictation_id))
    store.set_priority(dictation_id, Priority.ROUTINE, "dr.house")
    assert len(store.history(dictation_id)) == before


@pytest.mark.parametrize("final", [S.SIGNED, S.DISCARDED])
def test_priority_fixed_after_reading(
    store: DictationStore, final: DictationState
) -> None:
    dictation_id = _recorded(store)
    if final is S.SIGNED:
        store.claim(dictation_id, "ann.typist")
        store.transition(dictation_id, S.TRANSCRIBED, "ann.typist")
    store.transition(dictation_id, final, "dr.house")
    with pytest.raises(DictationStateError, match="can no longer change"):
        store.set_priority(dictation_id, Priority.URGENT, "dr.house")


def test_binding_needs_patient_id() -> None:
    class Study:
        StudyInstanceUID = "1.2.3"
        PatientID = ""

    with pytest.raises(DictationError):
        RecordingBinding.for_study(Study(), "dr.house")


# -- the recording file and its timeline ----------------------------------


def _write_recording(path: Path, samples: np.ndarray, rate: int = 8000) -> None:
    path.write_bytes(wav_header(rate, 1, 0) + samples.astype("<i2").tobytes())


def test_repair_fixes_sizes_and_partial_frame(tmp_path: Path) -> None:
    path = tmp_path / "r.wav"
    _write_recording(path, np.arange(100))
    with path.open("ab") as handle:
        handle.write(b"\x01")  # half a frame, as from a cut-short write
    assert repair_wav(path) == 100
    data, rate = soundfile.read(path, dtype="int16")
    assert rate == 8000
    assert data.tolist() == list(range(100))


@pytest.mark.parametrize(
    ("position", "overwrite", "new", "expected"),
    [
        (None, False, 3, [0, 1, 2, 3, 4, 5, 10, 11, 12]),
        (2, False, 3, [0, 1, 10, 11, 12, 2, 3, 4, 5]),
        (2, True, 3, [0, 1, 10, 11, 12, 5]),
        (5, True, 3, [0, 1, 2, 3, 4, 10, 11, 12]),
        (0, True, 8, [10, 11, 12, 13, 14, 15, 16, 17]),
    ],
)
def test_timeline_insert_and_overwrite(
    tmp_path: Path,
    position: int | None,
    overwrite: bool,
    new: int,
    expected: list[int],
) -> None:
    # Six frames recorded first (values 0-5), then a take of ``new`` frames
    # (values 10, 11, ...) appended to the file at frame 6.
    samples = np.concatenate([np.arange(6), np.arange(10, 10 + new)])
    source = tmp_path / "r.wav"
    _write_recording(source, samples)
    timeline = Timeline()
    timeline.open_take(0, 0)
    timeline.close_take(6)
    start = 6 if position is None else position
    timeline.open_take(start, 6, overwrite=overwrite)
    segments = timeline.segments(6 + new)

    render_timeline(source, segments, tmp_path / "out.wav")
    data, _ = soundfile.read(tmp_path / "out.wav", dtype="int16")
    assert data.tolist() == expected


# -- recovery decisions -----------------------------------------------------


def test_recovered_waits_for_its_author(store: DictationStore, tmp_path: Path) -> None:
    recordings = tmp_path / "rec"
    recordings.mkdir()
    dictation = store.create(_binding(), sample_rate=8000)
    wav, _ = recording_paths(recordings, dictation.id)
    # No timeline file: recovery keeps the whole file.
    _write_recording(wav, np.zeros(8000))

    recovered = recover_unfinished(store, recordings)
    assert [r.dictation.id for r in recovered] == [dictation.id]
    assert recovered[0].duration_seconds == pytest.approx(1.0)
    assert [d.id for d in pending_for_author(store, "dr.house")] == [dictation.id]
    assert pending_for_author(store, "dr.wilson") == []
    with pytest.raises(DictationError):
        finish_recovered(store, dictation.id, "dr.wilson")
    assert finish_recovered(store, dictation.id, "dr.house").state is S.RECORDED


def test_discard_recovered_deletes_audio(store: DictationStore, tmp_path: Path) -> None:
    recordings = tmp_path / "rec"
    recordings.mkdir()
    dictation = store.create(_binding(), sample_rate=8000)
    wav, _ = recording_paths(recordings, dictation.id)
    _write_recording(wav, np.zeros(800))
    (recovered,) = recover_unfinished(store, recordings)
    assert recovered.audio_path is not None

    discarded = discard_recovered(store, dictation.id, "dr.house")
    assert discarded.state is S.DISCARDED
    assert not recovered.audio_path.exists()


def test_recovery_without_file_discards(store: DictationStore, tmp_path: Path) -> None:
    dictation = store.create(_binding(), sample_rate=8000)
    assert recover_unfinished(store, tmp_path) == []
    assert store.get(dictation.id).state is S.DISCARDED


def test_recovery_adopts_renamed_final_audio(
    store: DictationStore, tmp_path: Path
) -> None:
    # A crash between renaming the finished audio and updating the database.
    dictation = store.create(_binding(), sample_rate=8000)
    target = final_path(tmp_path, dictation.id)
    _write_recording(target, np.zeros(4000))
    repair_wav(target)

    (recovered,) = recover_unfinished(store, tmp_path)
    assert recovered.audio_path == target
    assert recovered.duration_seconds == pytest.approx(0.5)
    assert store.get(dictation.id).state is S.RECOVERED
