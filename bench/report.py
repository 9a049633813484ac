"""The results page: machine description and the Markdown table of every row."""

from __future__ import annotations

import os
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import Goal, Paired, Row

TEMPLATE = Path(__file__).with_name("template.md")


def machine_description() -> str:
    """Describe the CPU model, usable cores and memory, read from /proc."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    memory = "unknown memory"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kibibytes = int(line.split()[1])
                memory = f"{kibibytes / 1024**2:.1f} GiB memory"
                break
    except (OSError, ValueError, IndexError):
        pass

    cores = len(os.sched_getaffinity(0))
    return f"{model}, {cores} usable cores, {memory}"


def _measured(row: Row, value: float, low: float, high: float) -> str:
    unit = row.unit
    return f"{unit.format(value)} ({unit.format(low)}-{unit.format(high)})"


def _table_line(row: Row) -> str:
    target = row.target.describe(row.unit)
    if row.result is None:
        cells = [
            row.workload,
            row.case,
            row.peer,
            f"not measured: {row.missing}",
            "",
            "",
            target,
            "not measured",
        ]
        return "| " + " | ".join(cells) + " |"

    ours = row.result.ours
    ours_text = _measured(row, ours.median, ours.minimum, ours.maximum)
    if row.target.goal is Goal.P95_AT_MOST:
        ours_text += f", p95 {row.unit.format(ours.p95)}"
    # A workload without a peer leaves the peer's figures empty.
    peer_text = ""
    if isinstance(row.result, Paired):
        peer = row.result.peer
        peer_text = _measured(row, peer.median, peer.minimum, peer.maximum)
        if row.target.goal is Goal.P95_AT_MOST:
            peer_text += f", p95 {row.unit.format(peer.p95)}"
    cells = [
        row.workload,
        row.case,
        row.peer,
        ours_text,
        peer_text,
        row.ratio_text(),
        target,
        "met" if row.met else "**not met**",
    ]
    return "| " + " | ".join(cells) + " |"


def results_table(rows: Sequence[Row]) -> str:
    """Return the Markdown table with one line per row."""
    header = (
        "| workload | case | peer | ours | peer's | ratio | target | result |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    return "\n".join([header, *(_table_line(row) for row in rows)])


def misses_section(rows: Sequence[Row]) -> str:
    """Return one paragraph per missed target, and the notes of every row."""
    parts: list[str] = []
    for row in rows:
        if row.met is not False:
            continue
        cause = row.cause or "no breakdown was measured for this row."
        step = row.next_step or "measure where the time goes first."
        parts.append(f"- **{row.workload}, {row.case}**: {cause}\n  Next step: {step}")
    if not parts:
        parts.append("Every measured row meets its target.")

    notes = [
        f"- {row.workload}, {row.case}: {note}" for row in rows for note in row.notes
    ]
    if notes:
        parts.append("\n### Notes\n")
        parts.extend(notes)
    return "\n".join(parts)


def load_average() -> float | None:
    """Return the one-minute load average, or None where /proc is missing."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def describe_load(before: float | None, after: float | None) -> str:
    """Say how busy the machine was, from the load averages around the run.

    A load average above half the usable cores before our own work started
    means other processes competed for the CPU: the machine was shared.
    """
    if before is None or after is None:
        return "load average unknown"
    cores = len(os.sched_getaffinity(0))
    text = f"load average {before:.2f} before the run, {after:.2f} after"
    if before > cores / 2:
        return (
            text + f" on {cores} cores: the machine was shared with other work, "
            "so absolute figures are noisy; the paired ratios are less affected"
        )
    return text + f" on {cores} cores: the machine was otherwise idle"


@dataclass
class PreviousPage:
    """The parts of an earlier page that a partial run (``--only``) keeps."""

    table_lines: list[str] = field(default_factory=list)
    miss_lines: list[str] = field(default_factory=list)
    note_lines: list[str] = field(default_factory=list)
    date: str = ""


def _workload_of(line: str) -> str:
    return line.removeprefix("| ").split(" | ", 1)[0]


def _bullet_workload(line: str) -> str:
    return line.removeprefix("- **").removeprefix("- ").split(", ", 1)[0]


def read_previous(path: Path, replaced: set[str]) -> PreviousPage:
    """Read the rows, misses and notes of ``path`` whose workload is not replaced.

    Table lines keep a marker (None) where a replaced workload stood, so the
    new rows take their old place in the table.
    """
    page = PreviousPage()
    if not path.is_file():
        return page
    section = ""
    keep_continuation = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("- Date: "):
            page.date = line.removeprefix("- Date: ")
        if line.startswith("## ") or line.startswith("### "):
            section = line
            continue
        if section == "## Results" and line.startswith("| ") and "---" not in line:
            if line.startswith("| workload |"):
                continue
            kept = _workload_of(line) not in replaced
            page.table_lines.append(line if kept else _REPLACED)
        elif section.startswith("## Misses") and line.startswith("- **"):
            keep_continuation = _bullet_workload(line) not in replaced
            if keep_continuation:
                page.miss_lines.append(line)
        elif section.startswith("## Misses") and line.startswith("  Next step:"):
            if keep_continuation:
                page.miss_lines.append(line)
        elif (
            section == "### Notes"
            and line.startswith("- ")
            and _bullet_workload(line) not in replaced
        ):
            page.note_lines.append(line)
    return page


_REPLACED = "\0replaced"


def merged_table(rows: Sequence[Row], previous: PreviousPage) -> str:
    """Return the table of a partial run: new rows in place of the old ones."""
    new_lines = [_table_line(row) for row in rows]
    lines: list[str] = []
    for line in previous.table_lines:
        if line == _REPLACED:
            lines.extend(new_lines)
            new_lines = []
        else:
            lines.append(line)
    lines.extend(new_lines)
    header = results_table([])
    return "\n".join([header, *lines])


def merged_misses(rows: Sequence[Row], previous: PreviousPage) -> str:
    """Return the misses and notes of a partial run and the kept old ones."""
    fresh = misses_section(rows).split("\n### Notes\n")
    misses = [line for line in fresh[0].splitlines() if line.strip()]
    if misses == ["Every measured row meets its target."]:
        misses = []
    misses = previous.miss_lines + misses
    parts = misses or ["Every measured row meets its target."]
    notes = previous.note_lines + (
        [line for line in fresh[1].splitlines() if line.strip()]
        if len(fresh) > 1
        else []
    )
    if notes:
        parts.append("\n### Notes\n")
        parts.extend(notes)
    return "\n".join(parts)


def write_report(
    path: Path,
    rows: Sequence[Row],
    *,
    command: str,
    date: str,
    duration: str,
    load: str = "load average unknown",
    partial: bool = False,
) -> None:
    """Fill the template with the figures and write the page to ``path``.

    A ``partial`` run (some workloads only) replaces the rows of its workloads
    in the page already at ``path`` and keeps every other row as it was.
    """
    template = string.Template(TEMPLATE.read_text(encoding="utf-8"))
    table = results_table(rows)
    misses = misses_section(rows)
    if partial and path.is_file():
        previous = read_previous(path, {row.workload for row in rows})
        table = merged_table(rows, previous)
        misses = merged_misses(rows, previous)
        if previous.date:
            date += (
                f" for the workloads of this command; the other rows are from "
                f"the run of {previous.date.split(' for the workloads')[0]}"
            )
    text = template.substitute(
        machine=machine_description(),
        command=command,
        date=date,
        duration=duration,
        load=load,
        table=table,
        misses=misses,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
