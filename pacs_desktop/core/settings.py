"""Typed workstation settings stored as a JSON file in the data directory.

Only the keys declared in `SETTINGS` exist. Each has a type, a default and a
validator, so a value read back is always valid, and a bad value is rejected
with the key, the value and the accepted range in the message. Secrets never go
here: they belong in the operating system's keyring.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pacs_desktop.core.errors import PacsDesktopError

logger = logging.getLogger(__name__)

SETTINGS_FILE_NAME = "settings.json"

SettingValue = str | int | float | list[str]

# What leaves a full local archive first: the oldest study date, the study
# opened longest ago, or the largest study.
ARCHIVE_EVICTION_ORDERS = ("oldest-study", "least-recently-opened", "largest-study")
DISPLAY_LAYOUTS = ("1x1", "1x2", "2x1", "2x2")
# Languages with a translation; English is the source language.
UI_LANGUAGES = ("en", "de", "fr", "es")


class SettingsError(PacsDesktopError, ValueError):
    """A setting key is unknown, a value is invalid, or the file is unreadable."""

    def __init__(self, key: str | None, reason: str) -> None:
        self.key = key
        self.reason = reason
        where = f"setting {key}: " if key else ""
        super().__init__(f"{where}{reason}")


def validate_ae_title(text: str) -> str:
    """Return ``text`` as an AE title, checked against PS3.5 section 6.2 (AE VR).

    Raises
    ------
    ValueError
        If the title is empty, longer than 16 characters, or contains a
        backslash or a control character.
    """
    title = text.strip()
    if not title:
        raise ValueError("an AE title must not be empty or only spaces")
    if len(title) > 16:
        raise ValueError(f"AE title {title!r} is longer than 16 characters")
    if "\\" in title or any(ord(char) < 0x20 or ord(char) > 0x7E for char in title):
        raise ValueError(
            f"AE title {title!r} may contain printable ASCII characters only, "
            "without a backslash"
        )
    return title


def _parse_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise ValueError(f"port {port} is outside 1-65535")
    return port


def _parse_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of seconds") from None
    if not 0.1 <= seconds <= 3600:
        raise ValueError(f"{seconds} s is outside 0.1-3600 s")
    return seconds


def _parse_attempts(text: str) -> int:
    try:
        attempts = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None
    if not 1 <= attempts <= 100:
        raise ValueError(f"{attempts} attempts is outside 1-100")
    return attempts


def _parse_ae_list(text: str) -> list[str]:
    titles = [part for part in (item.strip() for item in text.split(",")) if part]
    return [validate_ae_title(title) for title in titles]


def _whole_number_parser(unit: str, minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number of {unit}") from None
        if not minimum <= number <= maximum:
            raise ValueError(f"{number} {unit} is outside {minimum}-{maximum}")
        return number

    return parse


def _choice_parser(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip()
        if value not in choices:
            raise ValueError(f"{value!r} is not one of: {', '.join(choices)}")
        return value

    return parse


def _parse_text(text: str) -> str:
    value = text.strip()
    if len(value) > 1024 or any(ord(char) < 0x20 for char in value):
        raise ValueError("the text must be one line of at most 1024 characters")
    return value


def _parse_shortcut(text: str) -> str:
    # Qt's portable key sequence text ("F9", "Ctrl+Shift+R"); the GUI checks
    # that Qt understands it.
    value = text.strip()
    if not value or len(value) > 32 or any(char.isspace() for char in value):
        raise ValueError(f"{value!r} is not a key sequence such as F9 or Ctrl+Shift+R")
    return value


def _parse_modality(text: str) -> str:
    # PS3.3 C.7.3.1.1.1: defined terms are upper-case letters and digits (CS).
    code = text.strip().upper()
    if not code or len(code) > 16 or not code.isascii() or not code.isalnum():
        raise ValueError(f"{text!r} is not a modality code such as CT or MR")
    return code


def _parse_modality_list(text: str) -> list[str]:
    codes = [part for part in (item.strip() for item in text.split(",")) if part]
    return [_parse_modality(code) for code in codes]


def parse_window_preset(text: str) -> tuple[str, str, float, float]:
    """Split ``MODALITY:Name:centre:width`` into its four parts.

    Raises
    ------
    ValueError
        If a part is missing, the modality is not a code, the name is empty or
        contains a comma, or the width is not positive.
    """
    parts = text.strip().split(":")
    if len(parts) != 4:
        raise ValueError(
            f"window preset {text!r} must read MODALITY:Name:centre:width, "
            "for example CT:Lung:-600:1500"
        )
    modality = _parse_modality(parts[0])
    name = parts[1].strip()
    if not name or "," in name:
        raise ValueError(f"window preset {text!r} needs a name without commas")
    try:
        center, width = float(parts[2]), float(parts[3])
    except ValueError:
        raise ValueError(
            f"window preset {text!r}: centre and width must be numbers"
        ) from None
    if width <= 0:
        raise ValueError(f"window preset {text!r}: the width must be positive")
    return modality, name, center, width


def _parse_preset_list(text: str) -> list[str]:
    presets = []
    for item in (part.strip() for part in text.split(",")):
        if item:
            modality, name, center, width = parse_window_preset(item)
            presets.append(f"{modality}:{name}:{center:g}:{width:g}")
    return presets


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its default, its parser from text and a line of help."""

    key: str
    default: SettingValue
    parse: Callable[[str], SettingValue]
    help: str


SETTINGS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec(
            "network.ae_title",
            "PACSDESKTOP",
            validate_ae_title,
            "AE title of this workstation (1-16 printable ASCII characters)",
        ),
        SettingSpec(
            "network.scp_port",
            11112,
            _parse_port,
            "TCP port of the storage SCP that receives images (1-65535)",
        ),
        SettingSpec(
            "network.scp_allowed_aets",
            [],
            _parse_ae_list,
            "comma-separated calling AE titles allowed to send images, besides "
            "the configured PACS nodes",
        ),
        SettingSpec(
            "network.acse_timeout",
            10.0,
            _parse_seconds,
            "seconds to wait for association negotiation and release",
        ),
        SettingSpec(
            "network.dimse_timeout",
            60.0,
            _parse_seconds,
            "seconds to wait for each DIMSE response; also the stall limit of "
            "the association watchdog",
        ),
        SettingSpec(
            "network.network_timeout",
            60.0,
            _parse_seconds,
            "seconds without any network traffic before an association is closed",
        ),
        SettingSpec(
            "network.commitment_timeout",
            30,
            _whole_number_parser("s", 0, 3600),
            "seconds to wait for a PACS's Storage Commitment report after a send "
            "(0-3600); 0 sends no Storage Commitment request",
        ),
        SettingSpec(
            "network.max_object_mb",
            2048,
            _whole_number_parser("MB", 1, 1_048_576),
            "largest DICOM message (one object) accepted from a peer, in MB "
            "(1-1048576); an association sending more is aborted",
        ),
        SettingSpec(
            "sync.max_attempts",
            6,
            _parse_attempts,
            "attempts of a sync job before it is marked failed (1-100)",
        ),
        SettingSpec(
            "archive.location",
            "",
            _parse_text,
            "folder of the local archive's files; empty means the data directory",
        ),
        SettingSpec(
            "archive.size_limit_gb",
            0,
            _whole_number_parser("GB", 0, 1_000_000),
            "size limit of the local archive in gigabytes (10^9 bytes); 0 means no "
            "limit. Over it, studies that a PACS holds in full are evicted",
        ),
        SettingSpec(
            "archive.eviction",
            ARCHIVE_EVICTION_ORDERS[0],
            _choice_parser(*ARCHIVE_EVICTION_ORDERS),
            "which studies leave the local archive first when it is full: "
            + ", ".join(ARCHIVE_EVICTION_ORDERS),
        ),
        SettingSpec(
            "display.modalities",
            [],
            _parse_modality_list,
            "comma-separated modalities read at this workstation; empty means all",
        ),
        SettingSpec(
            "display.presets",
            [],
            _parse_preset_list,
            "comma-separated window presets MODALITY:Name:centre:width; empty "
            "means the built-in CT presets",
        ),
        SettingSpec(
            "display.default_layout",
            DISPLAY_LAYOUTS[0],
            _choice_parser(*DISPLAY_LAYOUTS),
            "viewport layout of a newly opened study: " + ", ".join(DISPLAY_LAYOUTS),
        ),
        SettingSpec(
            "dictation.device",
            "",
            _parse_text,
            "name of the microphone for dictation; empty means the system default",
        ),
        SettingSpec(
            "dictation.shortcut_record",
            "F9",
            _parse_shortcut,
            "key that starts and pauses a dictation recording",
        ),
        SettingSpec(
            "dictation.shortcut_play",
            "F10",
            _parse_shortcut,
            "key that starts and pauses dictation playback",
        ),
        SettingSpec(
            "dictation.shortcut_stop",
            "F11",
            _parse_shortcut,
            "key that stops recording or playback",
        ),
        SettingSpec(
            "dictation.shortcut_rewind",
            "F7",
            _parse_shortcut,
            "key that moves dictation playback back by 3 seconds",
        ),
        SettingSpec(
            "dictation.shortcut_forward",
            "F8",
            _parse_shortcut,
            "key that moves dictation playback forward by 3 seconds",
        ),
        SettingSpec(
            "dictation.max_seconds",
            1800,
            _whole_number_parser("seconds", 10, 14_400),
            "maximum length of one dictation in seconds (10-14400); recording "
            "stops by itself at this length",
        ),
        SettingSpec(
            "dictation.send_node",
            "",
            _parse_text,
            "name of the PACS node that receives dictation audio and signed "
            "reports through the sync queue; empty keeps them in the local archive",
        ),
        SettingSpec(
            "security.idle_lock_minutes",
            15,
            _whole_number_parser("minutes", 1, 240),
            "minutes without input before the screen locks (1-240)",
        ),
        SettingSpec(
            "security.lockout_attempts",
            5,
            _whole_number_parser("attempts", 1, 100),
            "consecutive failed logins that lock an account (1-100)",
        ),
        SettingSpec(
            "security.lockout_minutes",
            15,
            _whole_number_parser("minutes", 0, 10_080),
            "minutes an account stays locked; 0 means until an administrator "
            "unlocks it",
        ),
        SettingSpec(
            "security.min_password_length",
            10,
            _whole_number_parser("characters", 8, 128),
            "minimum length of a new password (8-128 characters)",
        ),
        SettingSpec(
            "ui.language",
            "",
            _choice_parser("", *UI_LANGUAGES),
            "language of the GUI: "
            + ", ".join(UI_LANGUAGES)
            + "; empty follows the system locale",
        ),
        SettingSpec(
            "ui.theme",
            "dark",
            _choice_parser("dark", "light"),
            "colour theme of the GUI: dark (reading rooms) or light",
        ),
    )
}


def _check_type(spec: SettingSpec, value: object) -> SettingValue:
    """Validate a stored or programmatic value by parsing its text form."""
    if isinstance(spec.default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"expected a list of AE titles, got {value!r}")
        text = ",".join(value)
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected a {type(spec.default).__name__}, got {value!r}")
    else:
        text = str(value)
    return spec.parse(text)


class Settings:
    """The settings file of one data directory.

    Every `get` reads the file, so the GUI and a command line run on the same
    data directory see each other's changes. Writes replace the file atomically.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / SETTINGS_FILE_NAME
        self._lock = threading.Lock()

    def get(self, key: str) -> SettingValue:
        """Return the value of ``key``, or its default when it was never set.

        Raises
        ------
        SettingsError
            If ``key`` is unknown, or the stored value is invalid.
        """
        spec = _spec(key)
        stored = self._read()
        if key not in stored:
            return spec.default
        try:
            return _check_type(spec, stored[key])
        except ValueError as exc:
            raise SettingsError(
                key, f"invalid value in {self.path}: {exc}; set it again"
            ) from exc

    def get_str(self, key: str) -> str:
        """Return a text setting (see `get`)."""
        return str(self.get(key))

    def get_int(self, key: str) -> int:
        """Return a whole-number setting (see `get`)."""
        value = self.get(key)
        assert isinstance(value, int)
        return value

    def get_float(self, key: str) -> float:
        """Return a number setting (see `get`)."""
        value = self.get(key)
        assert isinstance(value, int | float)
        return float(value)

    def get_list(self, key: str) -> list[str]:
        """Return a list setting (see `get`)."""
        value = self.get(key)
        assert isinstance(value, list)
        return list(value)

    def set(self, key: str, value: SettingValue) -> SettingValue:
        """Validate ``value`` and store it under ``key``; return the stored value.

        A string is parsed as on the command line (a list from comma-separated
        titles, a number from its digits).

        Raises
        ------
        SettingsError
            If ``key`` is unknown, ``value`` is invalid, or the file cannot be
            written.
        """
        spec = _spec(key)
        try:
            if isinstance(value, str):
                parsed = spec.parse(value)
            else:
                parsed = _check_type(spec, value)
        except ValueError as exc:
            raise SettingsError(key, str(exc)) from exc
        with self._lock:
            stored = self._read()
            stored[key] = parsed
            self._write(stored)
        logger.info("setting %s changed", key)
        return parsed

    def reset(self, key: str) -> None:
        """Forget the stored value of ``key`` so that its default applies.

        Raises
        ------
        SettingsError
            If ``key`` is unknown or the file cannot be written.
        """
        _spec(key)
        with self._lock:
            stored = self._read()
            if stored.pop(key, None) is not None:
                self._write(stored)

    def items(self) -> list[tuple[str, SettingValue, bool]]:
        """Return every key with its value and whether it is the default.

        Raises
        ------
        SettingsError
            If a stored value is invalid.
        """
        stored = self._read()
        return [(key, self.get(key), key not in stored) for key in sorted(SETTINGS)]

    def _read(self) -> dict[str, object]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise SettingsError(None, f"cannot read {self.path}: {exc}") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SettingsError(
                None, f"{self.path} is not valid JSON ({exc}); fix or delete it"
            ) from exc
        if not isinstance(data, dict):
            raise SettingsError(None, f"{self.path} must contain a JSON object")
        return data

    def _write(self, data: dict[str, object]) -> None:
        # Write a temporary file, fsync and rename, so a crash leaves the old
        # file or the new one, never half of one.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle, temp_name = tempfile.mkstemp(
                prefix=".settings-", suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, indent=2, sort_keys=True)
                stream.write("\n")
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temp_name, self.path)
        except OSError as exc:
            raise SettingsError(None, f"cannot write {self.path}: {exc}") from exc


def _spec(key: str) -> SettingSpec:
    spec = SETTINGS.get(key)
    if spec is None:
        known = ", ".join(sorted(SETTINGS))
        raise SettingsError(key, f"unknown setting; known settings: {known}")
    return spec
