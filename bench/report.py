"""The results page: machine description and the Markdown table of every row."""

from __future__ import annotations

import os
import string
from collections.abc import Sequence
from pathlib import Path

from bench.harness import Goal, Row

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
    peer = row.result.peer
    ours_text = _measured(row, ours.median, ours.minimum, ours.maximum)
    if row.target.goal is Goal.P95_AT_MOST:
        ours_text += f", p95 {row.unit.format(ours.p95)}"
        peer_p95 = row.unit.format(peer.p95)
        peer_text = _measured(row, peer.median, peer.minimum, peer.maximum)
        peer_text += f", p95 {peer_p95}"
    else:
        peer_text = _measured(row, peer.median, peer.minimum, peer.maximum)
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


def write_report(
    path: Path,
    rows: Sequence[Row],
    *,
    command: str,
    date: str,
    duration: str,
) -> None:
    """Fill the template with the figures and write the page to ``path``."""
    template = string.Template(TEMPLATE.read_text(encoding="utf-8"))
    text = template.substitute(
        machine=machine_description(),
        command=command,
        date=date,
        duration=duration,
        table=results_table(rows),
        misses=misses_section(rows),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
