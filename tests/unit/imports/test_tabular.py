"""Reading CSV and XLSX files into a header and numbered rows (the ``cashtrail.files.tabular`` adapter)."""

from __future__ import annotations

from datetime import date, datetime

from cashtrail.files.tabular import read_bytes, read_table
from tests.factories import xlsx_file


def messages(errors):
    return [(e.source, e.row, e.field, e.message) for e in errors]


def test_a_comma_csv_gives_the_header_and_rows_numbered_like_a_spreadsheet():
    table, errors = read_bytes(b"sku,name\nA,Alpha\n\nB, Beta \n", "p.csv")
    assert errors == []
    assert table is not None
    assert table.header == ["sku", "name"]
    assert table.rows == [(2, ["A", "Alpha"]), (4, ["B", "Beta"])]


def test_a_semicolon_csv_is_recognised_even_when_values_contain_commas():
    table, errors = read_bytes(b'number;legal_name\nC1;"Acme, Lifts; and more"\n', "c.csv")
    assert errors == []
    assert table is not None
    assert table.rows == [(2, ["C1", "Acme, Lifts; and more"])]


def test_a_utf8_byte_order_mark_is_dropped_and_accents_survive():
    table, errors = read_bytes("\ufeffnumber,legal_name\nC1,Société Générale\n".encode(), "c.csv")
    assert errors == []
    assert table is not None
    assert table.header == ["number", "legal_name"]
    assert table.rows[0][1][1] == "Société Générale"


def test_a_latin1_file_is_refused_as_not_utf8_naming_the_byte_offset_and_line():
    data = "number,legal_name\nC1,Acme\nC2,Café\n".encode("latin-1")
    table, errors = read_bytes(data, "customers.csv")
    assert table is None
    offset = data.index(b"\xe9")
    assert messages(errors) == [
        (
            "customers.csv",
            3,
            "file",
            f"is not UTF-8 text: byte 0xE9 at byte offset {offset} (line 3) is not valid UTF-8; "
            "save the file as UTF-8 (in Excel: 'CSV UTF-8')",
        )
    ]


def test_a_utf16_file_is_refused_with_its_own_message():
    _, errors = read_bytes("sku,name\n".encode("utf-16"), "p.csv")
    assert "is UTF-16 text, not UTF-8" in errors[0].message


def test_an_empty_file_and_a_blank_first_row_are_refused():
    assert messages(read_bytes(b"", "p.csv")[1]) == [("p.csv", None, "file", "is empty (0 bytes)")]
    assert messages(read_bytes(b"\n\nsku\n", "p.csv")[1]) == [
        ("p.csv", 1, "file", "has no header row (row 1 is blank)")
    ]


def test_an_unterminated_quote_is_an_error_not_a_swallowed_file():
    _, errors = read_bytes(b'sku,name\nA,"Alpha\nB,Beta\n', "p.csv")
    assert errors[0].field == "file"
    assert errors[0].message.startswith("is not valid CSV")


def test_unsupported_file_types_are_refused():
    _, errors = read_bytes(b"whatever", "old.xls")
    assert messages(errors) == [("old.xls", None, "file", "has an unsupported file type '.xls'; use .csv or .xlsx")]


def test_a_missing_file_is_reported_not_raised(tmp_path):
    table, errors = read_table(tmp_path / "nope.csv")
    assert table is None
    assert errors[0].message.startswith("cannot be read")


def test_xlsx_reads_the_first_sheet_and_turns_typed_cells_into_text(tmp_path):
    path = xlsx_file(
        tmp_path / "prices.xlsx",
        [
            ["code", "valid_from", "unit_price", "active", "number", None],
            ["STD", datetime(2026, 1, 31), 12.5, True, 1001],  # noqa: DTZ001 - spreadsheet cells have no zone
            [],
            ["STD", date(2026, 2, 1), 0.1, False, "00123"],
        ],
    )
    table, errors = read_table(path)
    assert errors == []
    assert table is not None
    assert table.header == ["code", "valid_from", "unit_price", "active", "number"]
    assert table.rows == [
        (2, ["STD", "2026-01-31", "12.5", "true", "1001", ""]),
        (4, ["STD", "2026-02-01", "0.1", "false", "00123", ""]),
    ]


def test_a_damaged_xlsx_is_refused_as_unreadable():
    _, errors = read_bytes(b"PK\x03\x04 not really a zip", "c.xlsx")
    assert errors[0].field == "file"
    assert errors[0].message.startswith("is not a readable XLSX workbook")


def test_an_empty_xlsx_sheet_has_no_header(tmp_path):
    _, errors = read_table(xlsx_file(tmp_path / "empty.xlsx", []))
    assert messages(errors) == [("empty.xlsx", 1, "file", "has no header row (row 1 is blank)")]
