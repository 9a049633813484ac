"""Update the Linguist sources and compile the translations of the GUI.

    python translations/build.py            # compile .ts -> pacs_desktop/resources
    python translations/build.py --update   # first re-extract strings with lupdate
    python translations/build.py --output DIR

The ``.ts`` files in this folder are the translated sources, edited with Qt
Linguist (``pyside6-linguist``). The compiled ``.qm`` files are build output:
they go to pacs_desktop/resources, where the application loads them, and are
never edited by hand.

The sources are English, so English needs only the singular and plural forms
of the ``%n`` strings ("%n study(s)" as "1 study", "2 studies"):
pacs_desktop_en.ts holds those messages alone (lupdate ``-pluralonly``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TRANSLATIONS_DIR.parent
SOURCE_DIR = REPO_ROOT / "pacs_desktop" / "ui"
RESOURCES_DIR = REPO_ROOT / "pacs_desktop" / "resources"
PREFIX = "pacs_desktop"
TRANSLATED_LANGUAGES = ("de", "fr", "es")
# Languages whose .ts file contains only the plural forms of the %n strings.
PLURAL_ONLY_LANGUAGES = ("en",)
LANGUAGES = TRANSLATED_LANGUAGES + PLURAL_ONLY_LANGUAGES


class TranslationBuildError(RuntimeError):
    """A Qt translation tool is missing or failed."""


def qt_tool(name: str) -> str:
    """Return the path of the PySide6 tool ``name`` (pyside6-lupdate, ...).

    The tool beside the running interpreter (the virtual environment's) comes
    first, then the one on PATH.

    Raises
    ------
    TranslationBuildError
        If the tool is not installed.
    """
    suffix = ".exe" if sys.platform == "win32" else ""
    beside = Path(sys.executable).parent / f"{name}{suffix}"
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise TranslationBuildError(
            f"{name} not found beside {sys.executable} or on PATH; install "
            "PySide6 in this environment"
        )
    return found


def ts_path(language: str) -> Path:
    """Return the Linguist source of ``language``."""
    return TRANSLATIONS_DIR / f"{PREFIX}_{language}.ts"


def _run(command: Sequence[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise TranslationBuildError(
            f"{Path(command[0]).name} failed with status {result.returncode}: "
            f"{result.stderr.strip() or result.stdout.strip()}"
        )


def update_sources(languages: Sequence[str] = LANGUAGES) -> list[Path]:
    """Extract the tr() strings of pacs_desktop/ui into each ``.ts`` file.

    Existing translations are kept. A string no longer in the code stays in
    the file marked vanished, so its translation returns if the string does.
    The files of `PLURAL_ONLY_LANGUAGES` receive only the ``%n`` strings.

    Raises
    ------
    TranslationBuildError
        If pyside6-lupdate is missing or fails.
    """
    sources = sorted(str(path) for path in SOURCE_DIR.rglob("*.py"))
    written = []
    for language in languages:
        target = ts_path(language)
        plural_only = ["-pluralonly"] if language in PLURAL_ONLY_LANGUAGES else []
        _run(
            [
                qt_tool("pyside6-lupdate"),
                "-locations",
                "relative",
                *plural_only,
                "-source-language",
                "en",
                "-target-language",
                language,
                *sources,
                "-ts",
                str(target),
            ]
        )
        written.append(target)
    return written


def compile_translations(
    output_dir: Path = RESOURCES_DIR, languages: Sequence[str] = LANGUAGES
) -> list[Path]:
    """Compile each ``.ts`` file into ``output_dir/pacs_desktop_LANG.qm``.

    Raises
    ------
    TranslationBuildError
        If pyside6-lrelease is missing or fails, or a ``.ts`` file is missing.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    compiled = []
    for language in languages:
        source = ts_path(language)
        if not source.is_file():
            raise TranslationBuildError(f"{source} is missing; run with --update")
        target = output_dir / f"{PREFIX}_{language}.qm"
        _run([qt_tool("pyside6-lrelease"), "-silent", str(source), "-qm", str(target)])
        compiled.append(target)
    return compiled


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update",
        action="store_true",
        help="re-extract the strings from pacs_desktop/ui into the .ts files first",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESOURCES_DIR,
        help=f"folder for the .qm files (default: {RESOURCES_DIR})",
    )
    args = parser.parse_args(argv)
    try:
        if args.update:
            for path in update_sources():
                print(f"updated {path}")
        for path in compile_translations(args.output):
            print(f"compiled {path}")
    except TranslationBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
