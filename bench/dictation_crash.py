"""Dictation crash recovery: kill -9 of the recording process at random times.

Each run starts a recording process that captures through PortAudio and ALSA
from a ``file`` plugin device, which the rig of ``tests/dictation/microphone_rig.py``
feeds in real time with espeak-ng speech. Once a random 0.5 to 2.5 s of speech
has been fed, the run kills the process with SIGKILL and recovers the archive as
the workstation does at its next start. Two lanes run side by side, one per
core. Each lane keeps one archive for all its runs, so every recovery also
passes over the dictations of the earlier runs.

A run fails in four cases: its recording is not recovered; the recovered
audio is more than 1 s longer or shorter than what was fed; it does not match
the fed speech; or it is attached to another study, patient or accession.
Any failure makes ``python -m bench`` exit non-zero. There is no peer: the
rows give our figures alone.
"""

from __future__ import annotations

import random
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from bench.harness import (
    SECONDS,
    Context,
    Goal,
    Row,
    Solo,
    Stats,
    Target,
    not_measured,
)
from pacs_desktop.core.archive.database import Database
from pacs_desktop.core.dictation.recovery import recover_unfinished
from pacs_desktop.core.dictation.store import DictationState, DictationStore
from tests.dictation.microphone_rig import (
    RATE,
    best_correlation,
    make_microphone,
    make_speech,
    start_child,
    wait_until,
)

WORKLOAD = "dictation crash recovery"
PEER = "none (no peer records dictation)"
GAP_LIMIT = 1.0  # seconds of fed audio a crash may cost
GAP_TARGET = Target(Goal.MAX_AT_MOST, GAP_LIMIT)
RECOVERY_TARGET = Target(Goal.P95_AT_MOST, 0.5)
FULL_RUNS = 100
QUICK_RUNS = 10
LANES = 2
KILL_FROM = 0.5  # seconds of fed speech
KILL_TO = 2.5
# The recorded audio must match the speech clearly above noise, as in the suite.
MIN_CORRELATION = 0.8
STUDY = "1.2.826.0.1.3680043.8.498.20001"


@dataclass(frozen=True)
class RunResult:
    """One kill and recovery: the measured figures, or why the run failed."""

    run: int
    kill_at: float
    fed_seconds: float = 0.0
    recovered_seconds: float = 0.0
    recovery_seconds: float = 0.0
    failure: str = ""

    @property
    def gap(self) -> float:
        """Seconds of fed audio that the recovered recording lacks."""
        return self.fed_seconds - self.recovered_seconds


def _record_and_kill(
    speech: np.ndarray, lane_dir: Path, run: int, kill_at: float
) -> tuple[int, float]:
    """Record run ``run`` in the lane's archive and kill it.

    Returns the dictation id and the seconds of speech fed before the kill.
    """
    mic = make_microphone(lane_dir / f"home-{run}", speech)
    try:
        child = start_child(
            mic,
            lane_dir / "archive.sqlite",
            lane_dir / "recordings",
            study=f"{STUDY}.{run}",
            patient_id=f"PAT-{run}",
        )
        try:
            line = child.wait_started()
            if not line.startswith("started "):
                raise RuntimeError(f"the recording did not start: {line}")
            mic.start_feeding()
            if not wait_until(lambda: mic.fed_seconds() >= kill_at, timeout=10):
                raise RuntimeError(
                    f"timed out before {kill_at:.2f} s of speech was fed"
                )
        finally:
            if child.process.poll() is None:
                child.kill()
        fed = mic.fed_seconds()
    finally:
        mic.close()
    return child.dictation_id, fed


def _recover_and_check(
    speech: np.ndarray, lane_dir: Path, run: int, kill_at: float
) -> RunResult:
    dictation_id, fed = _record_and_kill(speech, lane_dir, run, kill_at)
    started = time.perf_counter()
    database = Database(lane_dir / "archive.sqlite")
    try:
        recovered = recover_unfinished(
            DictationStore(database), lane_dir / "recordings"
        )
    finally:
        database.close()
    recovery = time.perf_counter() - started

    result = RunResult(run, kill_at, fed_seconds=fed, recovery_seconds=recovery)
    ids = [item.dictation.id for item in recovered]
    if ids != [dictation_id]:
        return _failed(
            result, f"recovery returned dictations {ids}, not [{dictation_id}]"
        )
    item = recovered[0]
    if item.audio_path is None:
        return _failed(result, "the recovered dictation has no audio")
    audio, rate = soundfile.read(item.audio_path, dtype="int16")
    result = RunResult(
        run,
        kill_at,
        fed_seconds=fed,
        recovered_seconds=len(audio) / rate,
        recovery_seconds=recovery,
    )
    bound = (
        item.dictation.StudyInstanceUID,
        item.dictation.PatientID,
        item.dictation.AccessionNumber,
    )
    expected = (f"{STUDY}.{run}", f"PAT-{run}", f"ACC-PAT-{run}")
    if bound != expected:
        return _failed(result, f"attached to {bound}, expected {expected}")
    if item.dictation.state is not DictationState.RECOVERED:
        return _failed(result, f"left in state {item.dictation.state.value}")
    if rate != RATE:
        return _failed(result, f"recovered at {rate} Hz, recorded at {RATE} Hz")
    if abs(result.gap) > GAP_LIMIT:
        return _failed(
            result,
            f"{result.recovered_seconds:.2f} s recovered of {fed:.2f} s fed",
        )
    correlation = best_correlation(audio, speech[: len(audio)])
    if correlation <= MIN_CORRELATION:
        return _failed(
            result, f"the recovered audio does not match the speech ({correlation:.2f})"
        )
    return result


def _failed(result: RunResult, reason: str) -> RunResult:
    return RunResult(
        result.run,
        result.kill_at,
        fed_seconds=result.fed_seconds,
        recovered_seconds=result.recovered_seconds,
        recovery_seconds=result.recovery_seconds,
        failure=reason,
    )


def _lane(
    speech: np.ndarray, lane_dir: Path, runs: list[tuple[int, float]]
) -> list[RunResult]:
    lane_dir.mkdir()
    results: list[RunResult] = []
    for run, kill_at in runs:
        try:
            results.append(_recover_and_check(speech, lane_dir, run, kill_at))
        except Exception as exc:  # a broken run counts as a failure
            reason = f"{type(exc).__name__}: {exc}".replace("\n", " ")
            results.append(RunResult(run, kill_at, failure=reason))
    return results


def run(ctx: Context) -> list[Row]:
    """Kill and recover ``ctx.pairs(100, 10)`` recordings; return the two rows."""
    runs = ctx.pairs(FULL_RUNS, QUICK_RUNS)
    gap_case = f"kill -9 at a random time, {runs} runs: fed minus recovered audio"
    recovery_case = f"recovery at the next start after a kill -9, {runs} runs"
    if shutil.which("espeak-ng") is None:
        missing = "espeak-ng is not installed (Debian package espeak-ng)"
        return [
            not_measured(WORKLOAD, gap_case, PEER, GAP_TARGET, missing),
            not_measured(WORKLOAD, recovery_case, PEER, RECOVERY_TARGET, missing),
        ]

    speech = make_speech(ctx.folder("speech"))
    seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    kill_times = [rng.uniform(KILL_FROM, KILL_TO) for _ in range(runs)]
    lanes = [
        [(run, kill_times[run]) for run in range(lane, runs, LANES)]
        for lane in range(LANES)
    ]
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        futures = [
            pool.submit(_lane, speech, ctx.scratch / f"lane-{lane}", lane_runs)
            for lane, lane_runs in enumerate(lanes)
        ]
        results = sorted(
            (result for future in futures for result in future.result()),
            key=lambda result: result.run,
        )
    return rows_of(results, seed, gap_case, recovery_case)


def rows_of(
    results: list[RunResult], seed: int, gap_case: str, recovery_case: str
) -> list[Row]:
    """Return the gap row and the recovery row of ``results``.

    Failed runs that recovered audio still count in the gap figures; every
    failure is listed on the gap row, which then misses its target.
    """
    failures = [
        f"run {result.run} (killed after {result.kill_at:.2f} s): {result.failure}"
        for result in results
        if result.failure
    ]
    measured = [result for result in results if result.recovered_seconds > 0]
    summary = (
        f"{len(results)} runs, {len(failures)} failures; kill times drawn from "
        f"seed {seed}"
    )
    for failure in failures:
        print(f"bench: dictation crash recovery: {failure}", flush=True)
    if not measured:
        reason = f"no run recovered any audio ({summary})"
        gap_row = not_measured(WORKLOAD, gap_case, PEER, GAP_TARGET, reason)
        recovery_row = not_measured(
            WORKLOAD, recovery_case, PEER, RECOVERY_TARGET, reason
        )
        gap_row.failures = failures
        return [gap_row, recovery_row]

    gaps = Stats.of([abs(result.gap) for result in measured])
    recovery = Stats.of([result.recovery_seconds for result in measured])
    gap_row = Row(WORKLOAD, gap_case, PEER, GAP_TARGET, SECONDS, result=Solo(gaps))
    gap_row.failures = failures
    gap_row.notes.append(
        f"{summary}; largest gap {gaps.maximum:.3f} s, median gap {gaps.median:.3f} s"
    )
    if gap_row.met is False:
        listed = "; ".join(failures[:5]) or (
            f"the largest gap was {gaps.maximum:.3f} s"
        )
        more = f" (and {len(failures) - 5} more)" if len(failures) > 5 else ""
        gap_row.cause = (
            f"{len(failures)} of {len(results)} runs failed: {listed}{more}."
        )
        gap_row.next_step = (
            "run `pytest tests/dictation/test_dictation_microphone.py -k kill` and "
            "compare the recording file and its timeline before and after recovery."
        )
    recovery_row = Row(
        WORKLOAD, recovery_case, PEER, RECOVERY_TARGET, SECONDS, result=Solo(recovery)
    )
    recovery_row.notes.append(
        "opening the archive and recovering one killed recording, with the "
        "earlier runs' dictations in the same archive"
    )
    if recovery_row.met is False:
        recovery_row.cause = (
            f"recovery took {recovery.p95:.3f} s at the 95th percentile "
            f"(median {recovery.median:.3f} s) while the other lane recorded."
        )
        recovery_row.next_step = (
            "profile recover_unfinished: the WAV repair, the timeline render and "
            "the fsync calls."
        )
    return [gap_row, recovery_row]
