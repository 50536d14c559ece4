"""Column specs and row parsing: every problem at once, with row and column, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.imports import customers, price_lists, products
from cashtrail.imports.parsing import parse_table
from cashtrail.imports.spec import CellError, Choice, Flag, Integer, IsoDate, Number, ParsedRow, Text, content_hash
from tests.factories import customer_row

PRODUCT_HEADER = ["sku", "name", "product_type"]


def parse_products(header, *rows):
    return parse_table(products.SPEC, "products.csv", header, [(n + 2, list(r)) for n, r in enumerate(rows)])


def messages(errors):
    return [(e.row, e.field, e.message) for e in errors]


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12.50", Decimal("12.50")), ("-3", Decimal("-3")), ("+0.000125", Decimal("0.000125")), ("007", Decimal(7))],
)
def test_decimals_are_read_exactly_from_digits_and_a_dot(raw, value):
    parsed = Number(6, 19).parse(raw)
    assert parsed == value
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,5x", "is not a decimal number: use a dot for decimals and no thousands separators"),
        ("12,50", "is not a decimal number: use a dot for decimals and no thousands separators"),
        ("1,234.50", "is not a decimal number: use a dot for decimals and no thousands separators"),
        ("1.2.3", "is not a decimal number (digits with an optional dot, e.g. 1234.50)"),
        ("1e5", "is not a decimal number (digits with an optional dot, e.g. 1234.50)"),
        ("NaN", "is not a decimal number (digits with an optional dot, e.g. 1234.50)"),
        ("inf", "is not a decimal number (digits with an optional dot, e.g. 1234.50)"),
        ("12.", "is not a decimal number (digits with an optional dot, e.g. 1234.50)"),
        ("€12", "is not a decimal number (digits with an optional dot, e.g. 1234.50)"),
        ("1.23456", "has 5 decimal places; at most 4 are allowed"),
        ("1234567890123456", "is too large: at most 15 digits before the dot"),
        ("-1", "must be at least 0"),
    ],
)
def test_bad_decimals_are_refused_with_a_precise_reason(raw, message):
    with pytest.raises(CellError) as caught:
        Number(4, 19, Decimal(0)).parse(raw)
    assert str(caught.value) == message


def test_dates_must_be_iso_calendar_dates():
    assert IsoDate().parse("2026-02-28") == date(2026, 2, 28)
    with pytest.raises(CellError, match=r"^is not a date in YYYY-MM-DD form$"):
        IsoDate().parse("28/02/2026")
    with pytest.raises(CellError, match=r"^is not a valid calendar date$"):
        IsoDate().parse("2026-02-30")


def test_whole_numbers_flags_choices_and_text_have_their_own_rules():
    assert Integer(0, 10).parse("7") == 7
    with pytest.raises(CellError, match="whole number"):
        Integer(0, 10).parse("7.5")
    with pytest.raises(CellError, match="between 0 and 10"):
        Integer(0, 10).parse("11")
    assert [Flag().parse(v) for v in ("TRUE", "no", "1", "N")] == [True, False, True, False]
    with pytest.raises(CellError, match="true or false"):
        Flag().parse("maybe")
    assert Choice(("net", "end_of_month")).parse("NET") == "net"
    with pytest.raises(CellError, match="must be one of net, end_of_month"):
        Choice(("net", "end_of_month")).parse("eom")
    with pytest.raises(CellError, match=r"is longer than 3 characters \(4\)"):
        Text(3).parse("abcd")


def test_a_clean_file_gives_typed_values_and_defaults_for_missing_columns():
    rows, errors = parse_products(PRODUCT_HEADER + ["active"], ["SKU-1", "Widget", "Hardware", "no"])
    assert errors == []
    assert rows[0].row == 2
    assert rows[0].values["product_type"] == "hardware"
    assert rows[0].values["active"] is False
    assert rows[0].values["tax_category"] == "standard"
    assert rows[0].values["unit"] == "each"


def test_header_names_are_trimmed_and_case_insensitive_in_any_order():
    rows, errors = parse_products([" Product_Type", "NAME ", "sku"], ["service", "Install", "SVC-1"])
    assert errors == []
    assert rows[0].values["sku"] == "SVC-1"


def test_an_unknown_column_is_refused_on_row_1_with_a_suggestion_and_rows_are_not_read():
    rows, errors = parse_products([*PRODUCT_HEADER, "prodcut_type2", "colour"], ["SKU-1", "", "x", "", ""])
    assert rows == []
    assert messages(errors) == [
        (1, "prodcut_type2", "is not a column of products files; did you mean product_type?"),
        (1, "colour", "is not a column of products files"),
    ]
    assert {e.source for e in errors} == {"products.csv"}


def test_a_missing_required_column_is_refused():
    _, errors = parse_products(["sku", "product_type"], ["SKU-1", "hardware"])
    assert messages(errors) == [(1, "name", "is a required column but is missing")]


def test_a_duplicated_column_is_refused_naming_both_positions():
    _, errors = parse_products([*PRODUCT_HEADER, "Name"], ["SKU-1", "A", "hardware", "B"])
    assert messages(errors) == [(1, "name", "is duplicated in the header (columns 2 and 4)")]


def test_an_unnamed_column_in_the_middle_of_the_header_is_refused():
    _, errors = parse_products(["sku", "", "name", "product_type"], ["SKU-1", "", "A", "hardware"])
    assert messages(errors) == [(1, "column 2", "has no name in the header")]


def test_a_header_without_data_rows_is_refused():
    rows, errors = parse_products(PRODUCT_HEADER)
    assert rows == []
    assert messages(errors) == [(None, "file", "has a header row but no data rows")]


def test_every_bad_cell_of_every_row_is_reported_with_its_row_and_column():
    _, errors = parse_products(
        [*PRODUCT_HEADER, "active"],
        ["SKU-1", "Widget", "hardware", "true"],
        ["SKU-2", "", "gadget", "true"],
        ["SKU-3", "Gizmo", "hardware", "perhaps", "extra"],
    )
    assert messages(errors) == [
        (3, "name", "is required"),
        (3, "product_type", "must be one of hardware, software, subscription, service, maintenance, consumable"),
        (4, "column 5", "has a value but no header"),
        (4, "active", "must be true or false (yes/no, 1/0)"),
    ]
    assert errors[1].value == "gadget"


def test_a_key_that_appears_twice_is_refused_on_the_later_row():
    header = list(customer_row())
    rows = [(2, list(customer_row(number="C1").values())), (3, list(customer_row(number="C2").values()))]
    rows.append((5, list(customer_row(number="C1", legal_name="Other NV").values())))
    _, errors = parse_table(customers.SPEC, "customers.csv", header, rows)
    assert messages(errors) == [(5, "number", "duplicates row 2: C1 may appear only once per file")]


def test_a_price_row_key_combines_code_start_date_and_sku():
    row = ParsedRow("p.csv", 2, {"code": "STD", "valid_from": date(2026, 1, 1), "sku": "SKU-1"})
    assert price_lists.SPEC.external_id(row) == "STD@2026-01-01|SKU-1"


def test_the_content_hash_ignores_how_a_number_was_written_but_not_its_value():
    def row(price, unit=None):
        values = {"code": "STD", "name": "S", "currency": "EUR", "valid_from": date(2026, 1, 1), "sku": "A"}
        values["unit_price"] = Decimal(price)
        if unit is not None:
            values["valid_to"] = unit
        return ParsedRow("p.csv", 2, values)

    assert content_hash(price_lists.SPEC, row("12.50")) == content_hash(price_lists.SPEC, row("12.5"))
    assert content_hash(price_lists.SPEC, row("12.50")) != content_hash(price_lists.SPEC, row("12.51"))
    assert len(content_hash(price_lists.SPEC, row("1"))) == 64
