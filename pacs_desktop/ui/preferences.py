"""Language and theme of the running application, from the effective settings.

The language is the ``ui.language`` setting, or the system locale when it is
empty. The program's own translations are compiled Linguist files
``pacs_desktop_LANG.qm`` in the package's resources folder (made by
translations/build.py); Qt's own dialogs use Qt's ``qtbase_LANG.qm``. The
sources are English, and ``pacs_desktop_en.qm`` contains only the singular and
plural forms of the ``%n`` strings.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from pacs_desktop.core.settings import UI_LANGUAGES

if TYPE_CHECKING:
    from pacs_desktop.core.dicom.presets import Preset
    from pacs_desktop.core.site_profile import EffectiveSettings
    from pacs_desktop.core.workstation import Workstation

logger = logging.getLogger(__name__)

TRANSLATION_PREFIX = "pacs_desktop"
# Native names, so that a user finds their language whatever is shown now.
LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
}

_installed: list[QTranslator] = []
# Locale name and folder of the translators in `_installed`.
_installed_from: list[tuple[str, str]] = []


def translations_dir() -> Path:
    """Return the folder that holds the compiled ``.qm`` files."""
    return Path(str(resources.files("pacs_desktop").joinpath("resources")))


def locale_for_language(language: str) -> QLocale:
    """Return the locale of ``language`` ("de", ...); "" gives the system's."""
    if not language:
        return QLocale.system()
    return QLocale(language)


def install_translations(
    app: QCoreApplication, language: str, folder: Path | None = None
) -> QLocale:
    """Install the translators of ``language`` and make its locale the default.

    Translators installed by an earlier call are removed first, so this can
    switch the language of a running application; widgets built before the
    call keep their texts. ``folder`` overrides where the ``.qm`` files are.
    A call for the language and folder already installed loads nothing again.
    English, the C locale and a language without a translation get the
    English plural forms of the ``%n`` strings. Returns the locale now in
    effect.
    """
    locale = locale_for_language(language)
    QLocale.setDefault(locale)
    own_folder = str(folder or translations_dir())
    source = (locale.name(), own_folder)
    if _installed_from == [source]:
        return locale

    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _installed_from[:] = [source]
    # The sources are English, and the C locale (LANG=C) shows them too. Qt's
    # own texts then need no translator, but the %n strings need plural forms.
    if locale.language() in (QLocale.Language.English, QLocale.Language.C):
        _install_english_plurals(app, own_folder)
        return locale

    qt_translator = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_translator.load(locale, "qtbase", "_", qt_folder):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    own = QTranslator(app)
    if own.load(locale, TRANSLATION_PREFIX, "_", own_folder):
        app.installTranslator(own)
        _installed.append(own)
    else:
        logger.warning(
            "no translation for %s in %s; the GUI stays in English",
            locale.name(),
            own_folder,
        )
        _install_english_plurals(app, own_folder)
    return locale


def _install_english_plurals(app: QCoreApplication, folder: str) -> None:
    plurals = QTranslator(app)
    if plurals.load(f"{TRANSLATION_PREFIX}_en", folder):
        app.installTranslator(plurals)
        _installed.append(plurals)
    else:
        logger.warning(
            "%s_en.qm not found in %s, so counts read like '1 image(s)'; run "
            "translations/build.py",
            TRANSLATION_PREFIX,
            folder,
        )


def apply_preferences(app: QApplication, effective: EffectiveSettings) -> None:
    """Apply the theme and the language of ``effective`` to ``app``.

    Raises
    ------
    SettingsError
        If a stored value is invalid.
    """
    from pacs_desktop.ui.resources import apply_theme

    apply_theme(app, effective.get_str("ui.theme"))
    language = effective.get_str("ui.language")
    if language and language not in UI_LANGUAGES:
        language = ""
    install_translations(app, language)


def apply_startup_settings(
    app: QApplication, workstation: Workstation
) -> EffectiveSettings:
    """Read the site profile, apply theme and language, add the site's nodes.

    Raises
    ------
    SiteProfileError
        If the site profile is missing where it was named, or invalid.
    SettingsError
        If a stored setting is invalid.
    NodeError
        If a site node cannot be stored.
    """
    # Imported here: the site profile pulls in numpy and the node store, which
    # the first window does not need.
    from pacs_desktop.core.net.nodes import NodeStore
    from pacs_desktop.core.site_profile import EffectiveSettings, apply_site_nodes

    effective = EffectiveSettings.open(workstation.data_dir)
    apply_preferences(app, effective)
    apply_site_nodes(NodeStore(workstation.database), effective.profile)
    return effective


def window_presets(data_dir: Path) -> dict[str, tuple[Preset, ...]]:
    """Return the viewer's window presets per modality from the effective settings.

    A site profile or settings file that cannot be read gives the built-in
    CT presets, with a warning in the log: the start-up has already shown
    the reason to the user.
    """
    from pacs_desktop.core.dicom.presets import CT_PRESETS
    from pacs_desktop.core.errors import PacsDesktopError
    from pacs_desktop.core.site_profile import EffectiveSettings

    try:
        return EffectiveSettings.open(data_dir).presets()
    except (PacsDesktopError, ValueError) as exc:
        logger.warning("window presets not read, using the built-in ones: %s", exc)
        return {"CT": CT_PRESETS}


def format_dicom_date(value: str, locale: QLocale | None = None) -> str:
    """Show a DICOM DA value (YYYYMMDD) in the locale's short date format.

    The year always has four digits, because a two-digit birth year is
    ambiguous. The C locale (no language chosen, as with ``LANG=C``) shows
    ISO 8601 (1970-03-15). Text that is not a valid DA value is returned
    unchanged.
    """
    text = value.strip()
    date = QDate.fromString(text, "yyyyMMdd") if len(text) == 8 else QDate()
    if not date.isValid():
        return text
    locale = locale or QLocale()
    if locale.language() == QLocale.Language.C:
        return date.toString("yyyy-MM-dd")
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return locale.toString(date, pattern)


def format_person_name(value: str) -> str:
    """Show a DICOM PN component group as "Family, Given Middle".

    ``value`` is one component group ("Doe^Jane^Q^Dr^MD"). Prefix and suffix
    follow the given and middle names. Names in ideographic or phonetic East
    Asian script keep their native order and the DICOM separator between family
    and given name ("赵^桂香" stays "赵^桂香"), since no comma or space
    convention fits them and the separator shows where the family name ends.
    """
    parts = [part.strip() for part in value.split("^")]
    parts += [""] * (5 - len(parts))
    family, given, middle, prefix, suffix = parts[:5]
    if any(ord(char) >= 0x2E80 for char in family + given):
        return "^".join(part for part in (family, given) if part)
    forenames = " ".join(part for part in (prefix, given, middle, suffix) if part)
    if family and forenames:
        return f"{family}, {forenames}"
    return family or forenames
