"""Per-kind row checks that need no database: customer drafts, parent order, price-list versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.catalog.model import PriceList, PriceListItem
from cashtrail.imports import customers, payment_terms, price_lists, products
from cashtrail.imports.parsing import parse_table
from cashtrail.imports.plan import Planned
from cashtrail.imports.spec import ParsedRow
from cashtrail.parties.model import Customer
from tests.factories import customer_row, product_row


def parsed(spec, *rows):
    header = list(dict.fromkeys(k for r in rows for k in r))
    data = [(n + 2, [r.get(c, "") for c in header]) for n, r in enumerate(rows)]
    result, errors = parse_table(spec, "f.csv", header, data)
    assert errors == []
    return result


def problems(errors):
    return [(e.row, e.field, e.message) for e in errors]


def test_a_customer_row_becomes_a_normalized_customer_with_address_and_contact():
    (row,) = parsed(customers.SPEC, customer_row(vat_number="be 0403.170.701", ship_to_line1="Dok 2"))
    draft, errors = customers.build_draft(row, {})
    assert draft.vat_number == "BE0403170701"
    assert draft.credit_limit == Decimal("50000")
    assert [(a.kind, a.country) for a in draft.addresses] == [("bill_to", "BE"), ("ship_to", "BE")]
    assert [(c.name, c.role) for c in draft.contacts] == [("Ann Peeters", "billing")]
    assert problems(errors) == [
        (2, "ship_to_postal_code", "is required when a ship_to address is given"),
        (2, "ship_to_city", "is required when a ship_to address is given"),
    ]


def test_customer_rule_violations_are_reported_under_the_file_column_names():
    row = customer_row(vat_number="BE0403170702", billing_contact_email="not-an-email", country="be")
    draft, errors = customers.build_draft(parsed(customers.SPEC, row)[0], {})
    assert problems(errors) == [
        (2, "vat_number", "not a valid BE VAT number: The number's checksum or check digit is invalid."),
        (2, "billing_contact_email", "is not an e-mail address"),
    ]
    assert draft.country == "BE"


def test_an_unknown_collector_is_refused():
    (row,) = parsed(customers.SPEC, customer_row(collector="nobody"))
    _, errors = customers.build_draft(row, {})
    assert problems(errors) == [(2, "collector", "is not an active user")]


def test_parents_are_written_before_their_children_whatever_the_file_order():
    items = [Planned(n, key, "h", False) for n, key in enumerate(["GRANDCHILD", "CHILD", "OTHER", "PARENT"], 2)]
    parents = {"GRANDCHILD": "CHILD", "CHILD": "PARENT"}
    ordered = [p.external_id for p in customers.parents_first(items, parents)]
    assert ordered.index("PARENT") < ordered.index("CHILD") < ordered.index("GRANDCHILD")
    assert sorted(ordered) == ["CHILD", "GRANDCHILD", "OTHER", "PARENT"]


def test_parent_loops_in_the_file_and_through_stored_parents_are_refused():
    rows = parsed(
        customers.SPEC,
        customer_row(number="A", parent_number="B"),
        customer_row(number="B", parent_number="A"),
        customer_row(number="S", parent_number="S"),
        customer_row(number="X", parent_number="Y"),
    )
    stored_y = Customer("Y", "Y NV", "BE", "nl", "EUR", "N30", parent_id=1, id=2)
    stored_x = Customer("X", "X NV", "BE", "nl", "EUR", "N30", id=1)
    errors = customers.parent_loops(rows, {"Y": stored_y, "X": stored_x})
    assert problems(errors) == [
        (2, "parent_number", "makes a loop of parents: A → B → A"),
        (3, "parent_number", "makes a loop of parents: B → A → B"),
        (4, "parent_number", "is the customer itself; a customer cannot be its own parent"),
        (5, "parent_number", "makes a loop of parents: X → Y → X"),
    ]


def test_products_and_payment_terms_rows_pass_their_domain_checks():
    (row,) = parsed(products.SPEC, product_row(sku=" SKU-9 ", product_type="SERVICE"))
    product, errors = products.build_draft(row)
    assert errors == []
    assert (product.sku, product.product_type, product.active) == ("SKU-9", "service", True)
    (terms_row,) = parsed(
        payment_terms.SPEC,
        {"code": "2/10N30", "description": "2% 10", "days": "30", "discount_percent": "2", "discount_days": "40"},
    )
    _, errors = payment_terms.build_draft(terms_row)
    assert problems(errors) == [(2, "discount_days", "must be between 0 and the net days")]


def price(code="STD", start=date(2026, 1, 1), end=None, name="Standard", currency="EUR"):
    return {"code": code, "name": name, "currency": currency, "valid_from": start, "valid_to": end}


def row_of(values, number=2):
    return ParsedRow("prices.csv", number, values)


def test_rows_of_one_price_list_version_must_agree_on_its_header():
    first = row_of({**price(), "sku": "A"}, 2)
    second = row_of({**price(name="Other", currency="usd"), "sku": "B"}, 3)
    errors = price_lists.check_row(second, {"A": object(), "B": object()}, first)  # type: ignore[dict-item]
    assert problems(errors) == [
        (3, "name", "differs from row 2 of the same price list version STD@2026-01-01"),
        (3, "currency", "differs from row 2 of the same price list version STD@2026-01-01"),
    ]


def test_overlapping_price_list_versions_are_refused_on_the_first_row_of_the_version():
    stored = [PriceList("STD", "Standard", "EUR", date(2025, 1, 1), date(2025, 12, 31))]
    first_of = {
        ("STD", date(2025, 6, 1)): row_of(price(start=date(2025, 6, 1)), 2),
        ("STD", date(2025, 1, 1)): row_of(price(start=date(2025, 1, 1), end=date(2025, 5, 31)), 7),
        ("OTHER", date(2025, 3, 1)): row_of(price(code="OTHER", start=date(2025, 3, 1)), 9),
    }
    errors = price_lists.overlaps(first_of, stored)
    assert errors == []
    first_of[("STD", date(2025, 1, 1))] = row_of(price(start=date(2025, 1, 1), end=date(2025, 6, 1)), 7)
    errors = price_lists.overlaps(first_of, stored)
    assert problems(errors) == [
        (
            2,
            "valid_from",
            "version STD@2025-06-01 (to open end) overlaps the version from 2025-01-01 (to 2025-06-01); "
            "every row of this version is refused",
        ),
        (
            7,
            "valid_from",
            "version STD@2025-01-01 (to 2025-06-01) overlaps the version from 2025-06-01 (to open end); "
            "every row of this version is refused",
        ),
    ]


def test_a_price_row_is_created_updated_or_unchanged_against_the_stored_version():
    stored = PriceList("STD", "Standard", "EUR", date(2026, 1, 1), items=[PriceListItem(1, Decimal("10.500"))])
    header = ("Standard", "EUR", None)
    row = price_lists.PriceRow(("STD", date(2026, 1, 1)), header, 1, Decimal("10.5"))
    assert price_lists.row_outcome(None, row) == "created"
    assert price_lists.row_outcome(stored, row) == "unchanged"
    assert price_lists.row_outcome(stored, price_lists.PriceRow(row.version, header, 2, Decimal(1))) == "created"
    assert price_lists.row_outcome(stored, price_lists.PriceRow(row.version, header, 1, Decimal(11))) == "updated"
    renamed = ("Standard 2026", "EUR", None)
    assert price_lists.row_outcome(stored, price_lists.PriceRow(row.version, renamed, 1, Decimal("10.5"))) == "updated"


def test_an_unknown_country_is_reported_once_not_again_for_the_addresses_that_default_to_it():
    ship_to = {"ship_to_line1": "Dok 2", "ship_to_postal_code": "2000", "ship_to_city": "Antwerpen"}
    rows = parsed(customers.SPEC, customer_row(country="XX", vat_number="", **ship_to))
    _, problems = customers.build_draft(rows[0], {})
    assert [e.field for e in customers.reportable(rows[0], problems)] == ["country"]
