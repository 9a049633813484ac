"""Start-up to the login window against a bare PySide6 dialog process.

Both sides run as fresh Python processes under the same probe
(``bench.startup_probe``), timed from just before the process is spawned to
the first paint of the first dialog, on Qt's offscreen platform.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import (
    SECONDS,
    Context,
    Goal,
    Row,
    Target,
    not_measured,
    run_pairs,
)
from bench.samples import MissingInputError, find_product
from bench.startup_probe import MARKER

WORKLOAD = "start-up to the login window"
CASE = "process start to login dialog painted (offscreen)"
PEER = "a bare PySide6 dialog process"
TARGET = Target(Goal.MEDIAN_AT_MOST, 0.30)
TIMEOUT = 60.0


def _time_probe(arguments: list[str], env: dict[str, str], cwd: Path) -> float:
    command = [sys.executable, "-m", "bench.startup_probe", *arguments]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == MARKER:
            elapsed = time.perf_counter() - start
            process.wait(timeout=TIMEOUT)
            return elapsed
    process.wait(timeout=TIMEOUT)
    raise RuntimeError(
        f"{' '.join(arguments)} exited with status {process.returncode} before "
        "showing a dialog"
    )


def run(ctx: Context) -> list[Row]:
    """Time the GUI's start to its login dialog against a bare dialog."""
    try:
        find_product("pacs_desktop.ui.application", "run_gui")
        find_product("pacs_desktop.ui.login", "LoginDialog")
    except MissingInputError as exc:
        return [not_measured(WORKLOAD, CASE, PEER, TARGET, str(exc))]

    home = ctx.folder("home")
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PACS_DESKTOP_HOME=str(home / "data"),
        XDG_DATA_HOME=str(home / "xdg-data"),
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        XDG_CACHE_HOME=str(home / "xdg-cache"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    data_dir = str(home / "data")

    # The warm-up pair creates the database, as the first start on a machine would.
    result = run_pairs(
        lambda: _time_probe(["app", data_dir], env, ctx.repo_root),
        lambda: _time_probe(["bare"], env, ctx.repo_root),
        ctx.pairs(15, 2),
    )
    row = Row(WORKLOAD, CASE, PEER, TARGET, SECONDS, result=result)
    if row.met is False:
        row.cause = (
            f"{result.ours.median:.3f} s against {result.peer.median:.3f} s for a "
            f"bare dialog: {result.ours.median - result.peer.median:.3f} s go to "
            "imports and work of our own before the login dialog."
        )
        row.next_step = (
            "run `python -X importtime -m pacs_desktop` and defer every import "
            "the login dialog does not need until after login."
        )
    return [row]
