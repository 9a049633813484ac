"""Build the one-folder Linux bundle with PyInstaller.

Usage: python installer/build.py [--dist DIR] [--work DIR]

The bundle lands in DIR/pacs-desktop (default: dist/pacs-desktop in the
repository). The specification fails the build when a shipped distribution is
GPL-licensed; this script then checks that the executable starts and reports
the expected version.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

INSTALLER_DIR = Path(__file__).resolve().parent
REPO_ROOT = INSTALLER_DIR.parent
SPEC = INSTALLER_DIR / "pacs-desktop.spec"
APP_NAME = "pacs-desktop"


def build(dist_dir: Path, work_dir: Path) -> Path:
    """Run PyInstaller on the specification and return the bundle folder."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={dist_dir}",
        f"--workpath={work_dir}",
        str(SPEC),
    ]
    subprocess.run(command, check=True, cwd=REPO_ROOT)
    return dist_dir / APP_NAME


def check_version(bundle: Path) -> str:
    """Run the bundled executable with --version and return what it prints.

    Raises
    ------
    RuntimeError
        If the output does not name the package's version.
    """
    sys.path.insert(0, str(REPO_ROOT))
    from pacs_desktop import __version__

    # A clean environment: the bundle must not lean on this virtual environment.
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(bundle.parent)}
    result = subprocess.run(
        [str(bundle / APP_NAME), "--version"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout.strip()
    if result.returncode != 0 or output != f"{APP_NAME} {__version__}":
        raise RuntimeError(
            f"{bundle / APP_NAME} --version exited with {result.returncode} and "
            f"printed {output!r} (stderr: {result.stderr.strip()!r}); expected "
            f"'{APP_NAME} {__version__}'. Rebuild after fixing the error above."
        )
    return output


def main(argv: list[str]) -> int:
    """Build the bundle and check that it starts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dist",
        type=Path,
        default=REPO_ROOT / "dist",
        help="folder that receives the bundle (default: dist/)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=REPO_ROOT / "build" / "pyinstaller",
        help="folder for PyInstaller's intermediate files (default: build/pyinstaller)",
    )
    args = parser.parse_args(argv)

    try:
        bundle = build(args.dist.resolve(), args.work.resolve())
        version = check_version(bundle)
    except subprocess.CalledProcessError as exc:
        print(
            f"build.py: PyInstaller failed with status {exc.returncode}",
            file=sys.stderr,
        )
        return 1
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1
    print(f"Built {bundle} ({version})")
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONPATH", None)
    sys.exit(main(sys.argv[1:]))
