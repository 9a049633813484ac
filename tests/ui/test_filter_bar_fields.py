"""The filter bar's birth date and description fields reach the study query."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pacs_desktop.ui.browser.filter_bar import FilterBar


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1970-03-15", "19700315"),
        ("19700315", "19700315"),
        ("1970", "19700101-19701231"),
        ("", ""),
    ],
)
def test_birth_date_in_query(qtbot: QtBot, typed: str, expected: str) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)

    bar.birth_date_edit.setText(typed)

    assert bar.query().patient_birth_date == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Müller", "Müller*"),
        ("Müller, Jürgen", "Müller^Jürgen*"),
        ("Doe ,Jane", "Doe^Jane*"),
        ("Doe^J?ne", "Doe^J?ne"),
        ("*ann*", "*ann*"),
        ("  ", ""),
    ],
)
def test_name_typed_as_listed(qtbot: QtBot, typed: str, expected: str) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)

    bar.name_edit.setText(typed)

    assert bar.query().patient_name == expected


def test_description_in_query(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)

    bar.description_edit.setText(" CT ABD* ")

    assert bar.query().description == "CT ABD*"


def test_enter_in_empty_field_runs_query(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.show()

    with qtbot.waitSignal(bar.sig_query_changed, timeout=1000) as emitted:
        qtbot.keyClick(bar.name_edit, Qt.Key.Key_Return)

    assert emitted.args == [bar.query()]
    assert not bar.timer.isActive()
