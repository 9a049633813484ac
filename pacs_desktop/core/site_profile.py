"""Site profiles: settings an administrator deploys to every workstation of a site.

A site profile is a TOML file. Its sections are named like the setting keys
(``[security] idle_lock_minutes = 10`` is ``security.idle_lock_minutes``). A
plain value is a site default that each user may change in the settings
dialog. An inline table ``{ value = ..., locked = true }`` fixes the value: the
dialog shows it disabled and `EffectiveSettings.set` rejects a change. Example::

    [site]
    name = "Radiology, General Hospital"
    default_locked = false          # lock state of values given plainly

    [display]
    modalities = { value = ["CT", "MR"], locked = true }
    default_layout = "1x2"

    [display.presets]               # window presets per modality
    locked = true
    CT = [{ name = "Lung", center = -600, width = 1500 }]

    [security]
    idle_lock_minutes = { value = 5, locked = true }

    [[nodes]]                       # PACS nodes, without secrets
    name = "main-pacs"
    ae_title = "PACS"
    host = "pacs.example.org"
    port = 104
    locked = true

The profile is found through `find_site_profile`: an explicit path (the
``--site-profile`` option), else ``$PACS_DESKTOP_SITE_PROFILE``, else the
system-wide path of the platform (`system_profile_path`).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from pacs_desktop.core.dicom.presets import CT_PRESETS, Preset
from pacs_desktop.core.dicom.window import Window
from pacs_desktop.core.errors import PacsDesktopError
from pacs_desktop.core.net.errors import NodeError
from pacs_desktop.core.net.nodes import Node, NodeStore
from pacs_desktop.core.security.users import SecurityPolicy
from pacs_desktop.core.settings import (
    SETTINGS,
    Settings,
    SettingsError,
    SettingSpec,
    SettingValue,
    parse_window_preset,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport
    import tomli as tomllib

logger = logging.getLogger(__name__)

SITE_PROFILE_ENV = "PACS_DESKTOP_SITE_PROFILE"

# Defined terms of Modality (0008,0060), PS3.3 C.7.3.1.1.1, that a reading
# workstation commonly shows; the choice list when a site limits nothing.
COMMON_MODALITIES = (
    "CR",
    "CT",
    "DX",
    "MG",
    "MR",
    "NM",
    "OT",
    "PT",
    "RF",
    "US",
    "XA",
)

# Keys a node table may contain; secrets (passwords, key passphrases) are
# rejected because a profile is copied to many machines in plain text.
_NODE_KEYS = {
    "name",
    "ae_title",
    "host",
    "port",
    "retrieve",
    "tls",
    "ca_file",
    "cert_file",
    "key_file",
    "locked",
}
_SECRET_WORDS = ("password", "passphrase", "secret", "token")
_PRESETS_KEY = "display.presets"
_KINDS = {int: "a whole number", float: "a number", str: "a string"}
# Preset keys of the viewer: the first eight presets of a modality sit on 1-8.
_PRESET_KEYS = tuple(str(number) for number in range(1, 9))


class SiteProfileError(PacsDesktopError, ValueError):
    """A site profile is unreadable, is not valid TOML, or has an invalid value."""

    def __init__(self, path: Path | None, reason: str) -> None:
        self.path = path
        self.reason = reason
        where = f"site profile {path}: " if path is not None else "site profile: "
        super().__init__(f"{where}{reason}")


class SiteLockedError(SettingsError):
    """A setting is locked by the site profile and cannot be changed here."""


@dataclass(frozen=True)
class SiteValue:
    """A setting value from the site profile and whether users may change it."""

    value: SettingValue
    locked: bool


@dataclass(frozen=True)
class SiteNode:
    """A PACS node from the site profile and whether users may change it."""

    node: Node
    locked: bool


@dataclass(frozen=True)
class SiteProfile:
    """The parsed site profile; `SiteProfile()` is the empty profile."""

    path: Path | None = None
    name: str = ""
    values: Mapping[str, SiteValue] = field(default_factory=dict)
    nodes: tuple[SiteNode, ...] = ()

    def is_locked(self, key: str) -> bool:
        """Return True when the profile fixes the setting ``key``."""
        site_value = self.values.get(key)
        return site_value is not None and site_value.locked

    def locked_node_names(self) -> set[str]:
        """Return the names of the nodes that users may not change or remove."""
        return {site_node.node.name for site_node in self.nodes if site_node.locked}


def system_profile_path() -> Path:
    """Return the platform's system-wide site profile path.

    Linux and other Unix systems use /etc/pacs-desktop/site.toml, Windows
    %PROGRAMDATA%\\PACS Desktop\\site.toml, macOS
    /Library/Application Support/PACS Desktop/site.toml.
    """
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA", r"C:\ProgramData")
        return Path(base) / "PACS Desktop" / "site.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/PACS Desktop/site.toml")
    return Path("/etc/pacs-desktop/site.toml")


def find_site_profile(
    explicit: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path | None:
    """Return the site profile to use, or None when there is none.

    An explicit path and ``$PACS_DESKTOP_SITE_PROFILE`` must name an existing
    file. The system-wide path is used only when it exists.

    Raises
    ------
    SiteProfileError
        If the explicit path or the environment variable names a missing file.
    """
    environ = os.environ if environ is None else environ
    for given, origin in (
        (explicit, "--site-profile"),
        (environ.get(SITE_PROFILE_ENV), f"${SITE_PROFILE_ENV}"),
    ):
        if given:
            path = Path(given).expanduser()
            if not path.is_file():
                raise SiteProfileError(
                    path, f"not found (given by {origin}); fix the path or unset it"
                )
            return path
    system_path = system_profile_path()
    return system_path if system_path.is_file() else None


def load_site_profile(path: Path | None) -> SiteProfile:
    """Read and validate the site profile at ``path``; None gives the empty one.

    Raises
    ------
    SiteProfileError
        If the file cannot be read, is not valid TOML, or a value is invalid.
    """
    if path is None:
        return SiteProfile()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteProfileError(path, f"cannot be read: {exc}") from exc
    profile = parse_site_profile(text, path)
    logger.info(
        "site profile %s loaded: %d values (%d locked), %d nodes",
        path,
        len(profile.values),
        sum(value.locked for value in profile.values.values()),
        len(profile.nodes),
    )
    return profile


def parse_site_profile(text: str, path: Path | None = None) -> SiteProfile:
    """Parse the TOML text of a site profile; ``path`` only names it in errors.

    Raises
    ------
    SiteProfileError
        If the text is not valid TOML, names an unknown section or setting,
        contains a secret, or has a value the setting does not accept.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteProfileError(path, f"is not valid TOML: {exc}") from exc

    site = document.pop("site", {})
    if not isinstance(site, dict):
        raise SiteProfileError(path, "[site] must be a table")
    name = _string(site.get("name", ""), "site.name", path)
    default_locked = _flag(site.get("default_locked", False), "site", path)
    unknown = set(site) - {"name", "default_locked"}
    if unknown:
        raise SiteProfileError(
            path, f"unknown key(s) in [site]: {', '.join(sorted(unknown))}"
        )

    raw_nodes = document.pop("nodes", [])
    if not isinstance(raw_nodes, list):
        raise SiteProfileError(path, "nodes must be an array of tables, [[nodes]]")
    nodes = tuple(_site_node(raw, default_locked, path) for raw in raw_nodes)
    names = [site_node.node.name for site_node in nodes]
    duplicates = sorted(
        {node_name for node_name in names if names.count(node_name) > 1}
    )
    if duplicates:
        raise SiteProfileError(path, f"node(s) defined twice: {', '.join(duplicates)}")

    values: dict[str, SiteValue] = {}
    for section, table in document.items():
        if not isinstance(table, dict):
            raise SiteProfileError(
                path, f"{section} must be a section such as [security]"
            )
        for key, raw in table.items():
            setting_key = f"{section}.{key}"
            if setting_key == _PRESETS_KEY:
                values[setting_key] = _presets_value(raw, default_locked, path)
            else:
                values[setting_key] = _site_value(
                    setting_key, raw, default_locked, path
                )
    return SiteProfile(path=path, name=name, values=values, nodes=nodes)


def _site_value(
    key: str, raw: object, default_locked: bool, path: Path | None
) -> SiteValue:
    spec = SETTINGS.get(key)
    if spec is None:
        raise SiteProfileError(
            path,
            f"unknown setting {key}; known settings: {', '.join(sorted(SETTINGS))}",
        )
    locked = default_locked
    if isinstance(raw, dict):
        unknown = set(raw) - {"value", "locked"}
        if "value" not in raw or unknown:
            raise SiteProfileError(
                path, f"{key} must be a value or {{ value = ..., locked = true }}"
            )
        locked = _flag(raw.get("locked", default_locked), key, path)
        raw = raw["value"]
    return SiteValue(_checked(spec, raw, path), locked)


def _checked(spec: SettingSpec, raw: object, path: Path | None) -> SettingValue:
    """Validate a TOML value with the parser the setting uses for typed text."""
    if isinstance(spec.default, list):
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise SiteProfileError(path, f"{spec.key} must be an array of strings")
        text = ",".join(raw)
    elif isinstance(raw, bool) or not isinstance(raw, str | int | float):
        kind = _KINDS.get(type(spec.default), "a value")
        raise SiteProfileError(path, f"{spec.key} must be {kind}, not {raw!r}")
    else:
        text = str(raw)
    try:
        return spec.parse(text)
    except ValueError as exc:
        raise SiteProfileError(path, f"{spec.key}: {exc}") from exc


def _presets_value(raw: object, default_locked: bool, path: Path | None) -> SiteValue:
    if not isinstance(raw, dict):
        raise SiteProfileError(
            path, "[display.presets] must map modalities to arrays of presets"
        )
    locked = _flag(raw.get("locked", default_locked), _PRESETS_KEY, path)
    entries: list[str] = []
    for modality, presets in raw.items():
        if modality == "locked":
            continue
        if not isinstance(presets, list):
            raise SiteProfileError(
                path, f"display.presets.{modality} must be an array of tables"
            )
        for preset in presets:
            entries.append(_preset_entry(modality, preset, path))
    return SiteValue(_checked(SETTINGS[_PRESETS_KEY], entries, path), locked)


def _preset_entry(modality: str, preset: object, path: Path | None) -> str:
    where = f"display.presets.{modality}"
    if not isinstance(preset, dict) or set(preset) != {"name", "center", "width"}:
        raise SiteProfileError(
            path, f"{where}: each preset is {{ name = ..., center = ..., width = ... }}"
        )
    name, center, width = preset["name"], preset["center"], preset["width"]
    if not isinstance(name, str) or not all(
        isinstance(number, int | float) and not isinstance(number, bool)
        for number in (center, width)
    ):
        raise SiteProfileError(
            path, f"{where}: name must be a string, center and width numbers"
        )
    return f"{modality}:{name}:{center}:{width}"


def _site_node(raw: object, default_locked: bool, path: Path | None) -> SiteNode:
    if not isinstance(raw, dict):
        raise SiteProfileError(path, "each [[nodes]] entry must be a table")
    label = raw.get("name", "?")
    secrets = [key for key in raw if any(word in key for word in _SECRET_WORDS)]
    if secrets:
        raise SiteProfileError(
            path,
            f"node {label}: {', '.join(secrets)} is a secret, and secrets do not "
            "belong in a site profile; store them in the keyring on each "
            "workstation (pacs-desktop node add)",
        )
    unknown = set(raw) - _NODE_KEYS
    if unknown:
        raise SiteProfileError(
            path, f"node {label}: unknown key(s) {', '.join(sorted(unknown))}"
        )
    locked = _flag(raw.get("locked", default_locked), f"node {label}", path)
    fields: dict[str, Any] = {
        key: value for key, value in raw.items() if key != "locked"
    }
    for key in ("ca_file", "cert_file", "key_file"):
        if key in fields:
            fields[key] = Path(_string(fields[key], f"node {label}: {key}", path))
    try:
        return SiteNode(Node(**fields), locked)
    except (NodeError, TypeError) as exc:
        raise SiteProfileError(path, f"invalid node: {exc}") from exc


def _flag(raw: object, where: str, path: Path | None) -> bool:
    if not isinstance(raw, bool):
        raise SiteProfileError(path, f"{where}: locked must be true or false")
    return raw


def _string(raw: object, where: str, path: Path | None) -> str:
    if not isinstance(raw, str):
        raise SiteProfileError(path, f"{where} must be a string")
    return raw


class EffectiveSettings:
    """The settings a workstation runs with: the site profile over the user's.

    A value comes from, in order: a locked site value, the user's stored value,
    a site default, the built-in default. `source` names which one applies.
    """

    SITE_LOCKED = "site-locked"
    USER = "user"
    SITE = "site"
    DEFAULT = "default"

    def __init__(self, settings: Settings, profile: SiteProfile | None = None) -> None:
        self.settings = settings
        self.profile = profile or SiteProfile()

    @classmethod
    def open(
        cls, data_dir: Path, profile_path: Path | str | None = None
    ) -> EffectiveSettings:
        """Open the settings of ``data_dir`` with the site profile found for it.

        Raises
        ------
        SiteProfileError
            If the profile is missing where it was named, or invalid.
        """
        profile = load_site_profile(find_site_profile(profile_path))
        return cls(Settings(data_dir), profile)

    def source(self, key: str) -> str:
        """Return where the value of ``key`` comes from (see the class constants).

        Raises
        ------
        SettingsError
            If ``key`` is unknown or the settings file is unreadable.
        """
        site_value = self.profile.values.get(key)
        if site_value is not None and site_value.locked:
            return self.SITE_LOCKED
        stored_default = {item[0]: item[2] for item in self.settings.items()}
        if key not in stored_default:
            self.settings.get(key)  # raises the unknown-key error
        if not stored_default[key]:
            return self.USER
        return self.SITE if site_value is not None else self.DEFAULT

    def is_locked(self, key: str) -> bool:
        """Return True when the site profile fixes ``key``."""
        return self.profile.is_locked(key)

    def get(self, key: str) -> SettingValue:
        """Return the effective value of ``key``.

        Raises
        ------
        SettingsError
            If ``key`` is unknown or the stored value is invalid.
        """
        source = self.source(key)
        if source in (self.SITE_LOCKED, self.SITE):
            return self.profile.values[key].value
        return self.settings.get(key)

    def get_str(self, key: str) -> str:
        """Return a text setting (see `get`)."""
        return str(self.get(key))

    def get_int(self, key: str) -> int:
        """Return a whole-number setting (see `get`)."""
        value = self.get(key)
        assert isinstance(value, int)
        return value

    def get_list(self, key: str) -> list[str]:
        """Return a list setting (see `get`)."""
        value = self.get(key)
        assert isinstance(value, list)
        return list(value)

    def default(self, key: str) -> SettingValue:
        """Return what `reset` falls back to: the site value, else the built-in.

        Raises
        ------
        SettingsError
            If ``key`` is unknown.
        """
        site_value = self.profile.values.get(key)
        if site_value is not None:
            return site_value.value
        spec = SETTINGS.get(key)
        if spec is None:
            return self.settings.get(key)
        return spec.default

    def set(self, key: str, value: SettingValue) -> SettingValue:
        """Store the user's ``value`` for ``key`` and return it as stored.

        Raises
        ------
        SiteLockedError
            If the site profile locks ``key``.
        SettingsError
            If ``key`` is unknown, ``value`` is invalid or cannot be stored.
        """
        self._require_unlocked(key)
        return self.settings.set(key, value)

    def reset(self, key: str) -> None:
        """Forget the user's value of ``key``, so the site or built-in default applies.

        Raises
        ------
        SiteLockedError
            If the site profile locks ``key``.
        SettingsError
            If ``key`` is unknown or the file cannot be written.
        """
        self._require_unlocked(key)
        self.settings.reset(key)

    def _require_unlocked(self, key: str) -> None:
        if self.is_locked(key):
            where = self.profile.path or "the site profile"
            raise SiteLockedError(
                key,
                f"locked by {where}; ask the site administrator to change the profile",
            )

    def modality_choices(self) -> list[str]:
        """Return the modalities this workstation reads, for filters and presets."""
        chosen = self.get_list("display.modalities")
        return chosen or list(COMMON_MODALITIES)

    def presets(self) -> dict[str, tuple[Preset, ...]]:
        """Return the window presets of each modality this workstation reads."""
        configured = presets_by_modality(self.get_list("display.presets"))
        result: dict[str, tuple[Preset, ...]] = {}
        for modality in self.modality_choices():
            if modality in configured:
                result[modality] = configured[modality]
            elif modality == "CT":
                result[modality] = CT_PRESETS
        return result

    def presets_for(self, modality: str) -> tuple[Preset, ...]:
        """Return the window presets of ``modality``; none if it is not read here."""
        return self.presets().get(modality.upper(), ())

    def security_policy(self) -> SecurityPolicy:
        """Return the password and lockout policy of the effective settings."""
        minutes = self.get_int("security.lockout_minutes")
        return SecurityPolicy(
            max_failed_logins=self.get_int("security.lockout_attempts"),
            lockout_duration=timedelta(minutes=minutes) if minutes else None,
            min_password_length=self.get_int("security.min_password_length"),
        )


def presets_by_modality(entries: Sequence[str]) -> dict[str, tuple[Preset, ...]]:
    """Group ``MODALITY:Name:centre:width`` entries into presets per modality.

    The first eight presets of a modality get the keys 1 to 8, the rest none.

    Raises
    ------
    ValueError
        If an entry is not a valid preset.
    """
    grouped: dict[str, list[Preset]] = {}
    for entry in entries:
        modality, name, center, width = parse_window_preset(entry)
        presets = grouped.setdefault(modality, [])
        key = _PRESET_KEYS[len(presets)] if len(presets) < len(_PRESET_KEYS) else ""
        presets.append(Preset(name, Window(center, width, "LINEAR", name), key))
    return {modality: tuple(presets) for modality, presets in grouped.items()}


def apply_site_nodes(store: NodeStore, profile: SiteProfile) -> list[str]:
    """Add the profile's PACS nodes to ``store``; return the names changed.

    A node missing from the store is added. A locked node that differs from
    the store's node of that name replaces it. An overridable node that the
    user changed is left as the user set it.

    Raises
    ------
    NodeError
        If the store cannot add a node.
    """
    existing = {node.name: node for node in store.list()}
    changed = []
    for site_node in profile.nodes:
        node = site_node.node
        current = existing.get(node.name)
        if current == node:
            continue
        passphrase = None
        if current is not None:
            if not site_node.locked:
                continue
            # The key passphrase is per workstation: keep it across the change.
            passphrase = current.key_passphrase()
            store.remove(node.name)
        store.add(node, key_passphrase=passphrase)
        changed.append(node.name)
    if changed:
        logger.info("site profile set %d PACS node(s)", len(changed))
    return changed
