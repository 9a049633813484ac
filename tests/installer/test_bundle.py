"""The PyInstaller bundle starts without the virtual environment and ships no GPL.

The slow tests build the bundle into a temporary folder with installer/build.py
(about 30 s on two cores with a warm disk cache), or use the bundle in
PACS_BUNDLE_DIR when that variable names one (e.g. dist/pacs-desktop).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from types import ModuleType

import numpy as np
import pydicom.data
import pytest

from pacs_desktop import __version__
from pacs_desktop.cli.main import run as run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALLER_DIR = REPO_ROOT / "installer"
APP_NAME = "pacs-desktop"
START_TIMEOUT = 90.0

# Qt's own log category for showing widgets (Qt 6.x) names the login dialog
# when it becomes visible; the product prints nothing of its own for that.
LOGIN_SHOWN = re.compile(r"Setting visibility of LoginDialog\(.*\) .*to true")

# One file per codec the bundle must carry (pydicom's test files).
CODEC_FILES = [
    ("JPEG 2000 (openjpeg)", "JPEG2000.dcm"),
    ("RLE Lossless (pylibjpeg-rle)", "MR_small_RLE.dcm"),
    ("JPEG-LS lossless (gdcm)", "MR_small_jpeg_ls_lossless.dcm"),
    ("JPEG baseline (gdcm)", "SC_rgb_jpeg_dcmtk.dcm"),
]


def load_third_party() -> ModuleType:
    """Load installer/licenses/third_party.py, which is not part of the package."""
    path = INSTALLER_DIR / "licenses" / "third_party.py"
    spec = importlib.util.spec_from_file_location("third_party", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["third_party"] = module
    spec.loader.exec_module(module)
    return module


def clean_environment(home: Path, **extra: str) -> dict[str, str]:
    """Return an environment without the virtual environment or PYTHONPATH."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PACS_DESKTOP_HOME": str(home / "pacs-data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    environment.update(extra)
    return environment


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle folder: PACS_BUNDLE_DIR, or one built for this module."""
    given = os.environ.get("PACS_BUNDLE_DIR")
    if given:
        return Path(given)
    if importlib.util.find_spec("PyInstaller") is None:
        message = "PyInstaller is not installed: pip install -e '.[installer]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    root = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            sys.executable,
            str(INSTALLER_DIR / "build.py"),
            f"--dist={root / 'dist'}",
            f"--work={root / 'work'}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "dist" / APP_NAME


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh home folder for one run of the bundle."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def start_and_wait_for_login(
    executable: Path, environment: dict[str, str], cwd: Path
) -> tuple[bool, str]:
    """Start the GUI, wait until the login dialog is shown, then stop it.

    Returns whether the dialog was shown and the stderr read until then.
    """
    shown = threading.Event()
    lines: list[str] = []
    process = subprocess.Popen(
        [str(executable)],
        env=environment,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )

    def read_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if LOGIN_SHOWN.search(line):
                shown.set()
        shown.set()  # end of output: stop waiting; the caller sees the result

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    try:
        shown.wait(START_TIMEOUT)
    finally:
        process.terminate()
        process.wait(timeout=30)
        reader.join(timeout=30)
    output = "".join(lines)
    return LOGIN_SHOWN.search(output) is not None, output


@pytest.mark.slow
def test_bundle_version(bundle: Path, home: Path) -> None:
    result = subprocess.run(
        [str(bundle / APP_NAME), "--version"],
        env=clean_environment(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == f"{APP_NAME} {__version__}"


@pytest.mark.slow
def test_bundle_reaches_login_offscreen(bundle: Path, home: Path) -> None:
    environment = clean_environment(
        home, QT_QPA_PLATFORM="offscreen", QT_LOGGING_RULES="qt.widgets.showhide=true"
    )
    shown, output = start_and_wait_for_login(bundle / APP_NAME, environment, home)
    assert shown, output[-4000:]


@pytest.mark.slow
@pytest.mark.xvfb
def test_bundle_reaches_login_xcb(bundle: Path, home: Path) -> None:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0",
         "1280x1024x24"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_end)
    try:
        with os.fdopen(read_end) as display_pipe:
            display = display_pipe.readline().strip()
        environment = clean_environment(
            home,
            DISPLAY=f":{display}",
            QT_QPA_PLATFORM="xcb",
            QT_LOGGING_RULES="qt.widgets.showhide=true",
        )
        shown, output = start_and_wait_for_login(bundle / APP_NAME, environment, home)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert shown, output[-4000:]


@pytest.mark.slow
@pytest.mark.parametrize(("codec", "file_name"), CODEC_FILES)
def test_bundle_decodes_like_venv(
    bundle: Path, home: Path, tmp_path: Path, codec: str, file_name: str
) -> None:
    source = Path(pydicom.data.get_testdata_file(file_name))
    bundled_output = tmp_path / "bundle.npy"
    venv_output = tmp_path / "venv.npy"
    result = subprocess.run(
        [str(bundle / APP_NAME), "render", str(source), f"--output={bundled_output}"],
        env=clean_environment(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{codec}: {result.stderr}"
    assert run_cli(["render", str(source), f"--output={venv_output}"]) == 0
    assert np.array_equal(np.load(bundled_output), np.load(venv_output)), codec


@pytest.mark.slow
def test_bundle_has_licence_files(bundle: Path) -> None:
    missing = [
        name
        for name in ("LICENSE", "THIRD-PARTY-LICENSES")
        if not (bundle / name).is_file()
    ]
    assert missing == []


@pytest.mark.slow
def test_licence_file_lists_codecs(bundle: Path) -> None:
    text = (bundle / "THIRD-PARTY-LICENSES").read_text(encoding="utf-8")
    missing = [
        name
        for name in ("pylibjpeg-openjpeg", "pylibjpeg-rle", "python-gdcm", "pydicom")
        if not re.search(rf"^\s+{re.escape(name)}\s", text, re.MULTILINE)
    ]
    assert missing == []


@pytest.fixture(scope="module")
def bundled_distributions(bundle: Path) -> Iterator[list[object]]:
    """The licences of the distributions whose modules the bundle contains."""
    third_party = load_third_party()
    contents = bundle / "_internal"
    names = {entry.name.split(".", 1)[0] for entry in contents.iterdir()}
    yield third_party.shipped_distributions([], names)


@pytest.mark.slow
def test_bundle_ships_no_gpl(bundled_distributions: list[object]) -> None:
    gpl = [item for item in bundled_distributions if item.is_gpl]  # type: ignore[attr-defined]
    assert gpl == []


@pytest.mark.slow
def test_bundle_ships_qt(bundled_distributions: list[object]) -> None:
    # The mapping from bundled folders to distributions works (else the GPL check
    # above would pass on an empty list).
    names = {item.name for item in bundled_distributions}  # type: ignore[attr-defined]
    assert {"PySide6_Essentials", "pydicom", "numpy"} <= names


@pytest.mark.slow
def test_bundle_has_no_libjpeg(bundle: Path) -> None:
    found = [
        path.name
        for path in (bundle / "_internal").rglob("*")
        if path.name.startswith(("libjpeg", "_libjpeg", "pylibjpeg_libjpeg"))
        and not path.name.startswith("libjpeg.so")  # libjpeg-turbo, for Qt's JPEG
    ]
    assert found == []


@pytest.mark.slow
def test_bundle_has_no_copyleft_system_library(bundle: Path) -> None:
    third_party = load_third_party()
    found = [
        path.name
        for path in (bundle / "_internal").rglob("*.so*")
        if path.name.startswith(third_party.FORBIDDEN_SYSTEM_LIBRARIES)
    ]
    assert found == []


def test_gpl_only_detected() -> None:
    assert load_third_party().is_gpl("GPL-3.0-or-later")


@pytest.mark.parametrize(
    "licence",
    ["LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", "MIT", "Apache-2.0 OR GPL-2.0",
     "GNU Lesser General Public License v3 (LGPLv3)"],
)  # fmt: skip
def test_licence_with_non_gpl_choice_allowed(licence: str) -> None:
    assert not load_third_party().is_gpl(licence)


@pytest.mark.parametrize(
    "licence",
    ["GNU General Public License v3 (GPLv3)", "MIT AND GPL-2.0-only", "AGPL-3.0-only",
     "GPLv2-or-later with a special exception"],
)  # fmt: skip
def test_gpl_licence_detected(licence: str) -> None:
    assert load_third_party().is_gpl(licence)


def test_libjpeg_forbidden_whatever_metadata() -> None:
    third_party = load_third_party()
    item = third_party.DistributionLicence("pylibjpeg-libjpeg", "2.0", "MIT")
    with pytest.raises(third_party.LicenceCheckError, match="pylibjpeg-libjpeg"):
        third_party.check_no_gpl([item])


def test_installed_codecs_not_gpl() -> None:
    third_party = load_third_party()
    for name in ("pylibjpeg", "pylibjpeg-openjpeg", "pylibjpeg-rle", "python-gdcm"):
        assert not third_party.describe(metadata.distribution(name)).is_gpl, name


@pytest.mark.parametrize(
    "line",
    [
        f'#define AppVersion "{__version__}"',
        f'#define AppExeName "{APP_NAME}.exe"',
        "THIRD-PARTY-LICENSES",
        f"dist\\{APP_NAME}\\*",
    ],
)
def test_inno_setup_in_step(line: str) -> None:
    script = (INSTALLER_DIR / "windows" / "pacs-desktop.iss").read_text(
        encoding="utf-8"
    )
    assert line in script


@pytest.mark.parametrize(
    "text", [__version__, "THIRD-PARTY-LICENSES", "installer/pacs-desktop.spec"]
)
def test_macos_notes_in_step(text: str) -> None:
    notes = (INSTALLER_DIR / "macos" / "README.md").read_text(encoding="utf-8")
    assert text in notes
