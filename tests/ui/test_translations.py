"""Translations: every visible string of the main window and the confirmation
dialog is translated in German, French and Spanish, counts read right in
English too, and dates and names follow the locale."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from pydicom.uid import generate_uid
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pacs_desktop.core.archive.records import StudyQuery, StudyRecord
from pacs_desktop.core.dicom.presets import CT_PRESETS
from pacs_desktop.core.workstation import Workstation
from pacs_desktop.ui import preferences
from pacs_desktop.ui.confirm import ConfirmPatientDialog
from pacs_desktop.ui.dictation.worklist import COLUMNS, WorklistWidget
from pacs_desktop.ui.main_window import MainWindow
from pacs_desktop.ui.preferences import (
    format_dicom_date,
    format_person_name,
    install_translations,
)
from pacs_desktop.ui.viewer import ViewerWidget
from pacs_desktop.ui.viewer.presets import preset_title
from tests.ui.conftest import (
    ADMIN_NAME,
    ADMIN_PASSWORD,
    SAMPLE_STUDIES,
    write_image,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("de", "fr", "es")

# Texts that stay the same in every language: the product name, DICOM terms
# and values, and key names.
SAME_IN_EVERY_LANGUAGE = {
    "PACS Desktop",
    "CT, MR ...",
    "C-GET",
    "C-MOVE",
    "PACS",
}
# A text made only of digits, punctuation and DICOM-style codes needs no
# translation.
_NOT_WORDS = re.compile(r"^[\W\d_]*$|^[A-Z0-9_]{1,16}(, [A-Z0-9_]{1,16})*$")
# Words that each language writes exactly as English does.
SHARED_WORDS = {
    "de": {"Patient", "Detail", "Host", "Host:", "Port", "Port:", "Name", "Name:"}
    | {"&Name:", "I&D:", "Subdural", "Mediastinum", "Abdomen"},
    "fr": {"Patient", "Action", "Version", "Version:", "Import", "Pause"}
    | {"Description", "Images", "Abdomen"},
    "es": {"Host", "Host:", "I&D:", "Series", "Subdural", "Abdomen"},
}


def load_build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "translations_build", REPO_ROOT / "translations" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def qm_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .qm files compiled from the committed .ts sources."""
    folder = tmp_path_factory.mktemp("qm")
    load_build_module().compile_translations(folder)
    return folder


@pytest.fixture
def language_switch(qapp: QApplication, qm_folder: Path) -> Iterator[object]:
    def switch(language: str) -> None:
        install_translations(qapp, language, qm_folder)

    yield switch
    install_translations(qapp, "", qm_folder)


def visible_texts(root: QWidget) -> list[str]:
    """Return every text the user can read in ``root``, in a stable order."""
    texts = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QMenu):
            texts.append(widget.title())
            texts += [action.text() for action in widget.actions()]
    for action in root.actions():
        texts.append(action.text())
    return [text for text in texts if text.strip()]


def header_texts(window: MainWindow) -> list[str]:
    model = window.browser.table.model()
    return [
        str(model.headerData(column, Qt.Orientation.Horizontal))
        for column in range(model.columnCount())
    ]


def untranslated(english: list[str], translated: list[str], language: str) -> list[str]:
    assert len(english) == len(translated)
    exempt = SAME_IN_EVERY_LANGUAGE | SHARED_WORDS[language]
    return [
        source
        for source, text in zip(english, translated, strict=True)
        if source == text and source not in exempt and not _NOT_WORDS.match(source)
    ]


def build_window(qtbot: QtBot, workstation: Workstation) -> MainWindow:
    session = workstation.users.authenticate(ADMIN_NAME, ADMIN_PASSWORD)
    window = MainWindow(workstation, session)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def admin_workstation(filled_workstation: Workstation) -> Workstation:
    filled_workstation.users.create_first_administrator(ADMIN_NAME, ADMIN_PASSWORD)
    return filled_workstation


def first_study(workstation: Workstation) -> StudyRecord:
    return workstation.archive.find_studies(StudyQuery(patient_id="PID-1001"))[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_window_translated(
    qtbot: QtBot,
    admin_workstation: Workstation,
    language_switch: object,
    language: str,
) -> None:
    switch = language_switch
    assert callable(switch)
    switch("en")
    english = build_window(qtbot, admin_workstation)
    english_texts = visible_texts(english)
    english.shutdown()

    switch(language)
    window = build_window(qtbot, admin_workstation)
    texts = visible_texts(window)
    window.shutdown()
    missing = untranslated(english_texts, texts, language)
    assert missing == [], "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_study_table_headers_translated(
    qtbot: QtBot,
    admin_workstation: Workstation,
    language_switch: object,
    language: str,
) -> None:
    switch = language_switch
    assert callable(switch)
    switch("en")
    english = build_window(qtbot, admin_workstation)
    english_headers = header_texts(english)
    english.shutdown()

    switch(language)
    window = build_window(qtbot, admin_workstation)
    headers = header_texts(window)
    window.shutdown()
    assert untranslated(english_headers, headers, language) == []


def worklist_headers(qtbot: QtBot, workstation: Workstation) -> list[str]:
    session = workstation.users.authenticate(ADMIN_NAME, ADMIN_PASSWORD)
    worklist = WorklistWidget(workstation.dictations, workstation.archive, session)
    qtbot.addWidget(worklist)
    table = worklist.table
    return [
        table.horizontalHeaderItem(column).text()
        for column in range(table.columnCount())
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_worklist_headers_translated(
    qtbot: QtBot,
    admin_workstation: Workstation,
    language_switch: object,
    language: str,
) -> None:
    switch = language_switch
    assert callable(switch)
    switch("en")
    english_headers = worklist_headers(qtbot, admin_workstation)
    assert english_headers == list(COLUMNS)

    switch(language)
    headers = worklist_headers(qtbot, admin_workstation)
    assert untranslated(english_headers, headers, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirm_dialog_translated(
    qtbot: QtBot,
    admin_workstation: Workstation,
    language_switch: object,
    language: str,
) -> None:
    switch = language_switch
    assert callable(switch)
    study = first_study(admin_workstation)
    # The study's own values are DICOM data, shown as they are.
    data_values = {
        study.display_name,
        format_person_name(study.display_name),
        study.PatientID,
        study.PatientSex,
        study.AccessionNumber,
        study.StudyDescription,
        ", ".join(study.ModalitiesInStudy),
    }

    def texts_in(current: str) -> list[str]:
        switch(current)
        dialog = ConfirmPatientDialog(study, admin_workstation.audit, ADMIN_NAME)
        qtbot.addWidget(dialog)
        found = [text for text in visible_texts(dialog) if text not in data_values]
        dialog.close()
        return found

    english = texts_in("en")
    assert untranslated(english, texts_in(language), language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirm_hint_translated(
    qtbot: QtBot,
    admin_workstation: Workstation,
    language_switch: object,
    language: str,
) -> None:
    switch = language_switch
    assert callable(switch)
    study = first_study(admin_workstation)
    switch(language)
    dialog = ConfirmPatientDialog(study, admin_workstation.audit, ADMIN_NAME)
    qtbot.addWidget(dialog)
    hint = dialog.findChild(QLabel, "format_hint")
    assert hint is not None
    text = hint.text()
    dialog.close()
    assert text != "YYYY-MM-DD"


# The check accepts year-month-day, so a translated hint keeps that order: four
# letters, two, two, joined by hyphens.
_ISO_ORDER_HINT = re.compile(r"^(\w)\1{3}-(\w)\2-(\w)\3$")


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirm_hint_keeps_accepted_order(
    qtbot: QtBot,
    admin_workstation: Workstation,
    language_switch: object,
    language: str,
) -> None:
    switch = language_switch
    assert callable(switch)
    study = first_study(admin_workstation)
    switch(language)
    dialog = ConfirmPatientDialog(study, admin_workstation.audit, ADMIN_NAME)
    qtbot.addWidget(dialog)
    hint = dialog.format_hint
    dialog.close()
    assert _ISO_ORDER_HINT.match(hint), hint


@pytest.mark.parametrize("language", LANGUAGES)
def test_preset_names_translated(language_switch: object, language: str) -> None:
    switch = language_switch
    assert callable(switch)
    switch(language)
    titles = [preset_title(preset) for preset in CT_PRESETS]
    english = [preset.name for preset in CT_PRESETS]
    assert untranslated(english, titles, language) == []


def test_translation_sources_complete() -> None:
    for language in (*LANGUAGES, "en"):
        source = (REPO_ROOT / "translations" / f"pacs_desktop_{language}.ts").read_text(
            encoding="utf-8"
        )
        assert 'type="unfinished"' not in source, language


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "15.03.1970"), ("fr", "15/03/1970"), ("es", "15/3/1970")],
)
def test_date_in_locale_format(language: str, expected: str) -> None:
    assert format_dicom_date("19700315", QLocale(language)) == expected


def test_date_in_c_locale_is_iso() -> None:
    assert format_dicom_date("19700315", QLocale.c()) == "1970-03-15"


def test_invalid_date_unchanged() -> None:
    assert format_dicom_date("1970", QLocale("de")) == "1970"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Doe^Jane", "Doe, Jane"),
        ("Doe^Jane^Q^Dr", "Doe, Dr Jane Q"),
        ("Doe", "Doe"),
        ("赵^桂香", "赵^桂香"),
        ("やまだ^たろう", "やまだ^たろう"),
    ],
)
def test_person_name_format(value: str, expected: str) -> None:
    assert format_person_name(value) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_browser_dates_and_names_follow_locale(
    qtbot: QtBot,
    admin_workstation: Workstation,
    language_switch: object,
    language: str,
) -> None:
    switch = language_switch
    assert callable(switch)
    switch(language)
    window = build_window(qtbot, admin_workstation)
    model = window.browser.table.model()
    cells = {
        str(model.data(model.index(row, column)))
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    }
    window.shutdown()
    assert format_dicom_date("19700315", QLocale(language)) in cells
    assert "Doe, Jane" in cells


def test_same_language_not_loaded_twice(
    qapp: QApplication, qm_folder: Path, language_switch: object
) -> None:
    install_translations(qapp, "de", qm_folder)
    first = list(preferences._installed)
    install_translations(qapp, "de", qm_folder)
    assert preferences._installed == first
    assert QApplication.translate("StudyTableModel", "Patient name") == "Patientenname"


def message_counts(language: str) -> tuple[int, int]:
    """Return the number of messages and of plural messages in a .ts file."""
    source = (REPO_ROOT / "translations" / f"pacs_desktop_{language}.ts").read_text(
        encoding="utf-8"
    )
    return source.count("<message"), source.count('<message numerus="yes"')


def test_english_source_only_plurals() -> None:
    messages, plurals = message_counts("en")
    assert plurals > 0
    assert messages == plurals


@pytest.fixture
def counted_study(workstation: Workstation, tmp_path: Path) -> StudyRecord:
    """A study with a series of one image and a series of two images."""
    study = SAMPLE_STUDIES[0]
    study_uid = generate_uid()
    folder = tmp_path / "counted"
    folder.mkdir()
    for series_number, images in ((1, 1), (2, 2)):
        series_uid = generate_uid()
        for instance_number in range(1, images + 1):
            write_image(
                folder / f"{series_number}_{instance_number}.dcm",
                study,
                study_uid=study_uid,
                series_uid=series_uid,
                series_number=series_number,
                instance_number=instance_number,
            )
    summary = workstation.archive.import_paths([folder])
    assert not summary.rejected, summary.rejected
    (record,) = workstation.archive.find_studies(StudyQuery())
    return record


def series_counts(
    qtbot: QtBot, workstation: Workstation, study: StudyRecord
) -> list[str]:
    """Return the count line of each row of the viewer's series list."""
    viewer = ViewerWidget(workstation.archive)
    qtbot.addWidget(viewer)
    viewer.show()
    with qtbot.waitSignal(viewer.sig_frame_changed, timeout=10_000):
        viewer.open_study(study)
    rows = viewer.series_list
    counts = [rows.item(row).text().splitlines()[-1] for row in range(rows.count())]
    viewer.close_study()
    viewer.shutdown()
    viewer.close()
    return counts


SERIES_COUNTS = {
    "en": ["CT, 1 image", "CT, 2 images"],
    "de": ["CT, 1 Bild", "CT, 2 Bilder"],
}


@pytest.mark.parametrize("language", SERIES_COUNTS)
def test_series_image_count_plural(
    qtbot: QtBot,
    workstation: Workstation,
    counted_study: StudyRecord,
    language_switch: object,
    language: str,
) -> None:
    switch = language_switch
    assert callable(switch)
    switch(language)
    counts = series_counts(qtbot, workstation, counted_study)
    assert counts == SERIES_COUNTS[language]


# "C" is the locale of LANG=C, and Italian has no translation of its own.
@pytest.mark.parametrize("language", ["en", "C", "it"])
@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 studies found on {node}"),
        (1, "1 study found on {node}"),
        (2, "2 studies found on {node}"),
    ],
)
def test_english_plural_forms(
    language_switch: object, language: str, count: int, expected: str
) -> None:
    switch = language_switch
    assert callable(switch)
    switch(language)
    found = QCoreApplication.translate(
        "RemoteBrowser", "%n study(s) found on {node}", "", count
    )
    assert found == expected
