"""The conformance statement in docs/ matches the networking code's own lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from pynetdicom import ALL_TRANSFER_SYNTAXES

from pacs_desktop.core.conformance import conformance_statement
from pacs_desktop.core.net.retrieve import GET_TRANSFER_SYNTAXES
from pacs_desktop.core.net.scp import storage_abstract_syntaxes

STATEMENT = Path(__file__).resolve().parents[2] / "docs" / "conformance.md"
REGENERATE = "python -m pacs_desktop.core.conformance > docs/conformance.md"


def test_statement_matches_code() -> None:
    committed = STATEMENT.read_text(encoding="utf-8")
    assert committed == conformance_statement(), (
        f"{STATEMENT} is out of date; regenerate it with: {REGENERATE}"
    )


@pytest.mark.parametrize(
    "heading",
    [
        "## 2 Implementation identification",
        "## 3 Application entity",
        "## 4 SOP classes as SCU",
        "### 4.1 Transfer syntaxes proposed",
        "## 5 SOP classes as SCP",
        "### 5.1 Transfer syntaxes accepted",
        "## 7 Character sets",
        "### 8.1 Transport",
        "### 8.2 Audit",
    ],
)
def test_statement_has_section(heading: str) -> None:
    assert heading in conformance_statement().splitlines()


@pytest.mark.parametrize(
    ("uid", "meaning"),
    [
        ("1.2.840.10008.1.1", "Verification"),
        ("1.2.840.10008.5.1.4.1.2.2.1", "Study Root FIND"),
        ("1.2.840.10008.5.1.4.1.2.2.3", "Study Root GET"),
        ("1.2.840.10008.5.1.4.1.2.2.2", "Study Root MOVE"),
        ("1.2.840.10008.5.1.4.1.1.2", "CT Image Storage"),
        ("1.2.840.10008.5.1.4.1.1.9.4.1", "Basic Voice Audio"),
    ],
)
def test_statement_lists_sop_class(uid: str, meaning: str) -> None:
    assert f"`{uid}`" in conformance_statement(), meaning


def test_every_accepted_storage_class_listed() -> None:
    text = conformance_statement()
    missing = [uid for uid in storage_abstract_syntaxes() if f"`{uid}`" not in text]
    assert missing == []


def test_every_transfer_syntax_listed() -> None:
    text = conformance_statement()
    syntaxes = [*GET_TRANSFER_SYNTAXES, *ALL_TRANSFER_SYNTAXES]
    missing = [uid for uid in syntaxes if f"`{uid}`" not in text]
    assert missing == []
