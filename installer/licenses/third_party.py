"""Licences of the Python distributions a bundle ships, and the GPL check.

The bundle is distributed under the MIT licence, so it must not contain a
distribution licensed under the GPL or AGPL only: that would put the whole
bundle under the GPL. LGPL (Qt for Python) is allowed, because the bundle keeps
the Qt libraries as separate, replaceable shared libraries.

The PyInstaller spec calls :func:`shipped_distributions` on the files its
analysis collected, :func:`check_no_gpl` before it builds anything, and
:func:`write_report` after the bundle is assembled. The bundle test loads this
module by path to run the same check on a finished bundle.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

REPORT_NAME = "THIRD-PARTY-LICENSES"

# Never ship these, whatever licence their metadata declares: pylibjpeg-libjpeg
# is GPLv3, and pydicom would load it as a JPEG decoder if it were present.
FORBIDDEN_DISTRIBUTIONS = frozenset({"pylibjpeg-libjpeg"})

# "GPL" as a word (so not the "GPL" inside "LGPL"), AGPL, or the long names of
# the GPL and AGPL. "GNU Lesser/Library General Public License" does not match.
# System libraries that must never be copied in: GNU readline and GNU dbm are
# GPL, Berkeley DB 5 is under the Sleepycat licence, which also demands the
# source of the whole program.
FORBIDDEN_SYSTEM_LIBRARIES = ("libreadline", "libgdbm", "libdb-")

# PyInstaller itself is GPL, but the files it embeds in a bundle are not: the
# bootloader and PyInstaller/loader carry the bootloader exception, and run-time
# hooks and modules are Apache-2.0 (its COPYING.txt). The report names them.
BUILD_TOOL_DISTRIBUTIONS = frozenset({"pyinstaller", "pyinstaller-hooks-contrib"})

_STRONG_COPYLEFT = re.compile(
    r"\bA?GPL|GNU (?:Affero )?General Public License", re.IGNORECASE
)
_ALTERNATIVE_SEPARATOR = re.compile(r"\s+OR\s+")
_LICENCE_FILE = re.compile(r"^(?:LICEN[CS]E|COPYING|NOTICE)", re.IGNORECASE)


@dataclass(frozen=True)
class DistributionLicence:
    """The declared licence of one installed distribution."""

    name: str
    version: str
    licence: str
    texts: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def is_gpl(self) -> bool:
        """True when the distribution may only be shipped under the GPL or AGPL."""
        return self.name.lower() in FORBIDDEN_DISTRIBUTIONS or is_gpl(self.licence)


@dataclass(frozen=True)
class SystemLibrary:
    """A shared library the bundle copies from the build machine's system."""

    name: str
    source: Path
    package: str
    copyright: str = field(default="", repr=False)


class LicenceCheckError(RuntimeError):
    """A distribution the bundle would ship is GPL-licensed or has no licence."""


def canonical_name(name: str) -> str:
    """Return the distribution name normalised as in PEP 503."""
    return re.sub(r"[-_.]+", "-", name).lower()


def is_gpl(licence: str) -> bool:
    """Return True when every alternative of ``licence`` is GPL or AGPL.

    ``licence`` is an SPDX expression or licence names joined by " OR ". An
    alternative such as "LGPL-3.0-only OR GPL-2.0-only" leaves a non-GPL
    choice, so it is not GPL. Terms joined by AND stay in one alternative, so
    "MIT AND GPL-2.0-only" is GPL.
    """
    alternatives = [
        part.strip(" ()")
        for part in _ALTERNATIVE_SEPARATOR.split(licence)
        if part.strip(" ()")
    ]
    if not alternatives:
        return False
    return all(_STRONG_COPYLEFT.search(part) for part in alternatives)


def declared_licence(dist: metadata.Distribution) -> str:
    """Return the licence that ``dist`` declares, or "" when it declares none.

    The SPDX License-Expression field (PEP 639) wins; then the licence
    classifiers, joined by " OR " (a distribution listing several licences
    offers a choice); then a short License field.
    """
    expression = _field(dist, "License-Expression")
    if expression:
        return str(expression).strip()

    classifiers = [
        value.split("::")[-1].strip()
        for value in dist.metadata.get_all("Classifier") or []
        if value.startswith("License ::") and "OSI Approved ::" in value
    ]
    if classifiers:
        return " OR ".join(classifiers)

    text = _field(dist, "License").strip()
    # Some distributions put the whole licence text in this field; its first line
    # names the licence.
    return text.splitlines()[0].strip() if text else ""


def _field(dist: metadata.Distribution, key: str) -> str:
    values = dist.metadata.get_all(key) or []
    return str(values[0]) if values else ""


def licence_texts(dist: metadata.Distribution) -> tuple[tuple[str, str], ...]:
    """Return (file name, text) for each licence file in the distribution."""
    texts = []
    for entry in dist.files or []:
        if not _LICENCE_FILE.match(entry.name):
            continue
        if ".dist-info" not in str(entry) and ".egg-info" not in str(entry):
            continue
        path = Path(str(dist.locate_file(entry)))
        if path.is_file():
            texts.append(
                (entry.name, path.read_text(encoding="utf-8", errors="replace"))
            )
    return tuple(texts)


def installed_distributions() -> dict[str, metadata.Distribution]:
    """Return the installed distributions by canonical name."""
    found: dict[str, metadata.Distribution] = {}
    for dist in metadata.distributions():
        name = _field(dist, "Name")
        if name:
            found.setdefault(canonical_name(str(name)), dist)
    return found


def file_owners(
    distributions: Mapping[str, metadata.Distribution],
) -> dict[Path, str]:
    """Map every file that an installed distribution's RECORD lists to its owner."""
    owners: dict[Path, str] = {}
    for name, dist in distributions.items():
        for entry in dist.files or []:
            path = Path(str(dist.locate_file(entry)))
            owners.setdefault(path.resolve(), name)
    return owners


def shipped_distributions(
    sources: Iterable[str | Path],
    top_level_names: Iterable[str] = (),
) -> list[DistributionLicence]:
    """Return the licence of each distribution that owns one of ``sources``.

    ``sources`` are the paths of the files a bundle copies (modules, extensions,
    data files). A source that no RECORD lists (an editable install, the
    standard library, a system library) is matched through ``top_level_names``:
    import names that map to a distribution through
    :func:`importlib.metadata.packages_distributions`.
    """
    distributions = installed_distributions()
    owners = file_owners(distributions)

    names: set[str] = set()
    for source in sources:
        owner = owners.get(Path(source).resolve())
        if owner is not None:
            names.add(owner)
    by_module = metadata.packages_distributions()
    for module in top_level_names:
        for dist_name in by_module.get(module, []):
            names.add(canonical_name(dist_name))
    names -= BUILD_TOOL_DISTRIBUTIONS

    return [describe(distributions[name]) for name in sorted(names)]


def describe(dist: metadata.Distribution) -> DistributionLicence:
    """Return the name, version, declared licence and licence texts of ``dist``."""
    return DistributionLicence(
        name=str(dist.metadata["Name"]),
        version=str(dist.version),
        licence=declared_licence(dist),
        texts=licence_texts(dist),
    )


def system_libraries(binaries: Iterable[tuple[str, str]]) -> list[SystemLibrary]:
    """Return the system libraries among ``binaries`` (bundle name, source path).

    A system library is one from /usr/lib or /lib outside Python's own folders.
    Where dpkg is available, each is named with its Debian package and that
    package's copyright file.
    """
    found = []
    for dest, source in binaries:
        path = Path(source).resolve()
        text = str(path)
        if not text.startswith(("/usr/lib/", "/lib/")) or "/python3" in text:
            continue
        found.append((Path(dest).name, path))
    packages = _debian_packages([path for _, path in found])

    libraries = []
    for name, path in sorted(found):
        package = packages.get(path, "")
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        text = ""
        if package and copyright_file.is_file():
            text = copyright_file.read_text(encoding="utf-8", errors="replace")
        libraries.append(SystemLibrary(name, path, package, text))
    return libraries


def _debian_packages(paths: list[Path]) -> dict[Path, str]:
    dpkg_query = shutil.which("dpkg-query")
    if dpkg_query is None or not paths:
        return {}
    packages: dict[Path, str] = {}
    for path in paths:
        # Debian 12 lists libraries under /lib/... or /usr/lib/... (merged /usr).
        candidates = [str(path)]
        if str(path).startswith("/usr/lib/"):
            candidates.append(str(path).removeprefix("/usr"))
        for candidate in candidates:
            result = subprocess.run(
                [dpkg_query, "-S", candidate],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode == 0 and ":" in result.stdout:
                packages[path] = result.stdout.split(":", 1)[0].strip()
                break
    return packages


def check_no_gpl(
    licences: Iterable[DistributionLicence],
    libraries: Iterable[SystemLibrary] = (),
) -> None:
    """Raise when a shipped distribution is GPL-licensed or declares no licence.

    A system library on the FORBIDDEN_SYSTEM_LIBRARIES list fails the check too.

    Raises
    ------
    LicenceCheckError
        Naming each offending distribution, its licence and what to do.
    """
    problems = []
    for item in licences:
        if item.is_gpl:
            problems.append(
                f"{item.name} {item.version} is GPL-licensed ({item.licence})"
            )
        elif not item.licence:
            problems.append(f"{item.name} {item.version} declares no licence")
    for library in libraries:
        if library.name.startswith(FORBIDDEN_SYSTEM_LIBRARIES):
            problems.append(
                f"system library {library.name} ({library.source}) is copyleft"
            )
    if problems:
        raise LicenceCheckError(
            "the bundle must not ship these distributions: "
            + "; ".join(problems)
            + ". Uninstall them from the build environment or exclude their "
            "modules in installer/pacs-desktop.spec."
        )


def write_report(
    path: Path,
    licences: Iterable[DistributionLicence],
    libraries: Iterable[SystemLibrary] = (),
    *,
    product: str,
) -> None:
    """Write the table of shipped distributions and their licence texts to ``path``."""
    items = sorted(licences, key=lambda item: item.name.lower())
    lines = [
        f"Third-party software shipped with {product}",
        "",
        "Python distributions (name, version, declared licence):",
        "",
    ]
    width = max((len(item.name) for item in items), default=10)
    lines += [
        f"  {item.name:<{width}}  {item.version:<12}  {item.licence}" for item in items
    ]
    lines += [
        "",
        "Also shipped: the CPython interpreter and standard library (PSF-2.0); the",
        "PyInstaller bootloader and loader (GPL-2.0-or-later with the bootloader",
        "exception, which allows their use in bundles under any licence); and",
        "PyInstaller's run-time hooks (Apache-2.0).",
        "",
    ]
    libraries = list(libraries)
    if libraries:
        lines += ["System libraries copied from the build machine (file, package):", ""]
        lines += [f"  {lib.name:<40}  {lib.package or 'unknown'}" for lib in libraries]
        lines.append("")
    for item in items:
        for file_name, text in item.texts:
            lines += ["=" * 78, f"{item.name} {item.version}: {file_name}", "=" * 78]
            lines += [text.rstrip(), ""]
    written = set()
    for library in libraries:
        if not library.copyright or library.package in written:
            continue
        written.add(library.package)
        lines += ["=" * 78, f"Debian package {library.package}: copyright", "=" * 78]
        lines += [library.copyright.rstrip(), ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
