"""The C-FIND result table lines up names in wide East Asian characters."""

from __future__ import annotations

from pacs_desktop.cli.counts import text_columns
from pacs_desktop.cli.query import _COLUMNS, _row


def test_columns_after_wide_name_line_up() -> None:
    widths = [width for _title, width in _COLUMNS]
    latin = _row(["Doe^Jane", "ID1", *(["x"] * (len(widths) - 2))])
    wide = _row(["赵^桂香", "ID2", *(["x"] * (len(widths) - 2))])

    start = sum(widths[:1]) + 2
    assert text_columns(wide[: wide.index("ID2")]) == start
    assert text_columns(latin[: latin.index("ID1")]) == start
