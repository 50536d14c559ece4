"""The XLSX export helper on its own: typed cells, formula-safe text, UTC instants, no floats."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from cashtrail.web.export import Column, workbook_bytes

Row = dict[str, object]
COLUMNS: tuple[Column[Row], ...] = (
    Column("Name", lambda r: r["name"]),
    Column("Count", lambda r: r["count"], kind="integer"),
    Column("Amount", lambda r: r["amount"], kind="amount"),
    Column("Due", lambda r: r["due"], kind="date"),
    Column("At", lambda r: r["at"], kind="datetime"),
)


def _sheet(rows: list[Row]) -> Any:
    sheet = load_workbook(io.BytesIO(workbook_bytes("Test: export/1", COLUMNS, rows))).active
    assert sheet is not None
    return sheet


def test_cells_keep_their_types_and_formats() -> None:
    brussels = timezone(timedelta(hours=1))
    sheet = _sheet(
        [
            {
                "name": "Acme",
                "count": 3,
                "amount": Decimal("1234.565"),
                "due": date(2026, 12, 31),
                "at": datetime(2026, 11, 23, 10, 0, tzinfo=brussels),
            }
        ]
    )

    assert [c.value for c in sheet[1]] == ["Name", "Count", "Amount", "Due", "At"]
    assert sheet["B2"].value == 3
    assert sheet["C2"].data_type == "n"
    assert sheet["C2"].value == pytest.approx(1234.565)
    assert sheet["C2"].number_format == "#,##0.00"
    assert sheet["D2"].value.date() == date(2026, 12, 31)
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    # Excel has no timezones: instants are written as UTC wall time (10:00 at UTC+1 is 09:00).
    assert sheet["E2"].value.replace(tzinfo=UTC) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert sheet.title == "Test_ export_1"


def test_text_that_looks_like_a_formula_stays_text() -> None:
    sheet = _sheet(
        [{"name": '=HYPERLINK("http://evil.example")', "count": None, "amount": None, "due": None, "at": None}]
    )

    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://evil.example")'
    assert sheet["C2"].value is None


def test_an_empty_table_still_has_its_header_and_filter() -> None:
    sheet = _sheet([])

    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:E1"


def test_floats_are_refused_for_amounts() -> None:
    rows: list[Row] = [{"name": "a", "count": 1, "amount": 1.5, "due": None, "at": datetime.now(UTC)}]

    with pytest.raises(TypeError, match="never float"):
        workbook_bytes("x", COLUMNS, rows)
