"""Imports against a real database (SQLite and PostgreSQL): all-or-nothing, idempotent, audited, set-based."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from cashtrail.errors import PermissionDenied, ValidationFailed
from cashtrail.files.tabular import read_table
from cashtrail.identity.model import Actor, Role
from cashtrail.imports.services import check_import, run_import
from cashtrail.parties.services import get_customer
from tests import factories

TABLES = (
    "payment_terms",
    "customers",
    "customer_addresses",
    "customer_contacts",
    "products",
    "price_lists",
    "price_list_items",
    "audit_events",
    "import_records",
)


def stored_counts(app):
    from cashtrail.db.tables import metadata

    with app.uow() as uow:
        return {
            name: uow.session.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one()
            for name in TABLES
        }


def import_file(app, actor, kind, path, *, dry_run=False):
    """What ``cashtrail import`` does: read with the files adapter, then run the use case."""
    table, errors = read_table(path)
    if table is None:
        raise ValidationFailed(f"{path.name} cannot be read", errors=errors)
    return run_import(app.uow(), app.clock, actor, kind, table.name, table.header, table.rows, dry_run=dry_run)


def refused(app, actor, kind, path):
    """Import ``path`` expecting a refusal; assert nothing was written; return the problems as tuples."""
    before = stored_counts(app)
    with pytest.raises(ValidationFailed) as caught:
        import_file(app, actor, kind, path)
    assert stored_counts(app) == before, "a refused import must write nothing"
    return [(e.source, e.row, e.field, e.message) for e in caught.value.errors]


def records(app, source, *external_ids):
    with app.uow() as uow:
        return uow.import_records.by_external_ids(source, external_ids)


def audit_actions(app, entity_type, entity_id):
    with app.uow() as uow:
        return [(e.action, e.reason) for e in uow.audit.for_entity(entity_type, entity_id)]


@pytest.fixture
def terms(app):
    return factories.payment_terms(app)


SHIP_TO = {"ship_to_line1": "Dok 2", "ship_to_postal_code": "2000", "ship_to_city": "Antwerpen"}


@pytest.fixture
def family_file(tmp_path):
    """Grandchild first, parent last: the file order must not matter."""
    rows = [
        factories.customer_row(number="C3", legal_name="Grandchild BV", parent_number="C2", vat_number=""),
        factories.customer_row(number="C2", legal_name="Child NV", parent_number="C1", vat_number=""),
        factories.customer_row(number="C1", legal_name="Parent NV", collector="carla", **SHIP_TO),
    ]
    return factories.csv_file(tmp_path / "customers.csv", rows, delimiter=";")


def test_a_customers_file_creates_every_customer_with_parents_resolved_in_any_row_order(
    app, system, terms, family_file
):
    carla = factories.user(app, username="carla", roles=["collector"])
    report = import_file(app, system, "customers", family_file)
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    parent, child, grandchild = (get_customer(app.uow(), system, n) for n in ("C1", "C2", "C3"))
    assert child.parent_id == parent.id
    assert grandchild.parent_id == child.id
    assert parent.collector_id == carla.id
    assert parent.vat_number == "BE0403170701"
    assert parent.credit_limit == Decimal("50000")
    assert [(a.kind, a.city) for a in parent.addresses] == [("bill_to", "Brussel"), ("ship_to", "Antwerpen")]
    assert audit_actions(app, "customer", "C1") == [("customer.created", "import of customers.csv, row 4")]
    stored = records(app, "import:customers", "C1", "C2", "C3")
    assert {k: (r.entity_type, r.entity_id) for k, r in stored.items()} == {
        "C1": ("customer", parent.id),
        "C2": ("customer", child.id),
        "C3": ("customer", grandchild.id),
    }
    assert all(len(r.content_hash) == 64 for r in stored.values())


def test_reimporting_the_same_file_writes_nothing_at_all(app, system, clock, terms, family_file):
    factories.user(app, username="carla", roles=["collector"])
    import_file(app, system, "customers", family_file)
    before = stored_counts(app)
    first_seen = {k: r.updated_at for k, r in records(app, "import:customers", "C1", "C2", "C3").items()}
    clock.advance(timedelta(days=1))
    report = import_file(app, system, "customers", family_file)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert stored_counts(app) == before
    assert {k: r.updated_at for k, r in records(app, "import:customers", "C1", "C2", "C3").items()} == first_seen


def test_a_changed_row_updates_its_customer_with_an_audit_event_and_its_import_record(
    app, system, clock, terms, tmp_path
):
    path = tmp_path / "customers.csv"
    factories.csv_file(path, [factories.customer_row(number="C1"), factories.customer_row(number="C2", vat_number="")])
    import_file(app, system, "customers", path)
    old_hash = records(app, "import:customers", "C1")["C1"].content_hash
    clock.advance(timedelta(hours=2))
    factories.csv_file(
        path,
        [
            factories.customer_row(number="C1", credit_limit="75000.50"),
            factories.customer_row(number="C2", vat_number=""),
        ],
    )
    report = import_file(app, system, "customers", path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert get_customer(app.uow(), system, "C1").credit_limit == Decimal("75000.50")
    with app.uow() as uow:
        last = uow.audit.for_entity("customer", "C1")[-1]
    assert (last.action, last.reason, last.occurred_at) == (
        "customer.updated",
        "import of customers.csv, row 2",
        clock.now(),
    )
    assert set(last.changes) == {"credit_limit"}
    record = records(app, "import:customers", "C1")["C1"]
    assert record.content_hash != old_hash
    assert record.updated_at == clock.now()
    assert audit_actions(app, "customer", "C2") == [("customer.created", "import of customers.csv, row 3")]


def test_a_row_retyped_with_equal_values_counts_as_unchanged(app, system, terms, tmp_path):
    path = factories.csv_file(tmp_path / "c.csv", [factories.customer_row(credit_limit="50000")])
    import_file(app, system, "customers", path)
    before = stored_counts(app)
    factories.csv_file(path, [factories.customer_row(credit_limit="50000.00", status="ACTIVE")])
    assert import_file(app, system, "customers", path).unchanged == 1
    assert stored_counts(app) == before


HEADER = "number,legal_name,country,language,currency,payment_terms,bill_to_line1,bill_to_postal_code,bill_to_city"
ROW = "C1,Acme NV,BE,nl,EUR,N30,Grote Markt 1,1000,Brussel"


WITHOUT_NAME = (HEADER.replace("legal_name,", ""), ROW.replace("Acme NV,", ""))


@pytest.mark.parametrize(
    ("header", "row", "column", "message"),
    [
        (HEADER + ",colour", ROW + ",red", "colour", "is not a column of customers files"),
        (
            HEADER + ",legal_nam",
            ROW + ",x",
            "legal_nam",
            "is not a column of customers files; did you mean legal_name?",
        ),
        (*WITHOUT_NAME, "legal_name", "is a required column but is missing"),
        (HEADER + ",Country", ROW + ",NL", "country", "is duplicated in the header (columns 3 and 10)"),
    ],
    ids=["unknown", "misspelt", "missing-required", "duplicated"],
)
def test_a_wrong_header_is_refused_on_row_1_and_nothing_is_written(
    app, system, terms, tmp_path, header, row, column, message
):
    path = tmp_path / "customers.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    assert refused(app, system, "customers", path) == [("customers.csv", 1, column, message)]


def test_a_bad_vat_number_refuses_the_whole_file_including_its_good_rows(app, system, terms, tmp_path):
    rows = [factories.customer_row(number="C1"), factories.customer_row(number="C2", vat_number="BE0403170702")]
    problems = refused(app, system, "customers", factories.csv_file(tmp_path / "customers.csv", rows))
    assert problems == [
        (
            "customers.csv",
            3,
            "vat_number",
            "not a valid BE VAT number: The number's checksum or check digit is invalid.",
        )
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,5x", "is not a decimal number: use a dot for decimals and no thousands separators"),
        ("1.2.3", "is not a decimal number (digits with an optional dot, e.g. 1234.50)"),
        ("1e5", "is not a decimal number (digits with an optional dot, e.g. 1234.50)"),
        ("1.23456", "has 5 decimal places; at most 4 are allowed"),
    ],
)
def test_a_bad_decimal_is_refused_with_its_row_and_column(app, system, terms, tmp_path, raw, message):
    rows = [factories.customer_row(number="C1"), factories.customer_row(number="C2", credit_limit=raw)]
    path = factories.csv_file(tmp_path / "customers.csv", rows, delimiter=";")
    assert refused(app, system, "customers", path) == [("customers.csv", 3, "credit_limit", message)]


def test_the_same_customer_number_twice_is_refused(app, system, terms, tmp_path):
    rows = [
        factories.customer_row(number="C1"),
        factories.customer_row(number="C9"),
        factories.customer_row(number="C1"),
    ]
    path = factories.csv_file(tmp_path / "customers.csv", rows)
    assert refused(app, system, "customers", path) == [
        ("customers.csv", 4, "number", "duplicates row 2: C1 may appear only once per file")
    ]


def test_an_empty_file_and_a_header_only_file_are_refused(app, system, terms, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert refused(app, system, "customers", empty) == [("empty.csv", None, "file", "is empty (0 bytes)")]
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER + "\n", encoding="utf-8")
    assert refused(app, system, "customers", header_only) == [
        ("header.csv", None, "file", "has a header row but no data rows")
    ]


def test_a_latin1_file_is_refused_as_not_utf8_with_the_byte_offset_and_row(app, system, terms, tmp_path):
    path = tmp_path / "latin1.csv"
    data = f"{HEADER}\n{ROW}\nC2,Café Noir,BE,fr,EUR,N30,Rue 1,1000,Bruxelles\n".encode("latin-1")
    path.write_bytes(data)
    offset = data.index(b"\xe9")
    assert refused(app, system, "customers", path) == [
        (
            "latin1.csv",
            3,
            "file",
            f"is not UTF-8 text: byte 0xE9 at byte offset {offset} (line 3) is not valid UTF-8; "
            "save the file as UTF-8 (in Excel: 'CSV UTF-8')",
        )
    ]


def test_unknown_references_are_refused_each_on_its_row(app, system, terms, tmp_path):
    factories.user(app, username="carla", roles=["collector"])
    rows = [
        factories.customer_row(number="C1", payment_terms="N99"),
        factories.customer_row(number="C2", parent_number="NOPE"),
        factories.customer_row(number="C3", collector="nobody", analyst="carla"),
        factories.customer_row(number="C4", parent_number="C1"),
    ]
    assert refused(app, system, "customers", factories.csv_file(tmp_path / "customers.csv", rows)) == [
        ("customers.csv", 2, "payment_terms", "is not a stored payment terms code"),
        ("customers.csv", 3, "parent_number", "is not a stored customer nor a row of this file"),
        ("customers.csv", 4, "collector", "is not an active user"),
    ]


def test_an_unknown_sku_in_a_price_list_is_refused(app, system, tmp_path):
    import_file(app, system, "products", factories.csv_file(tmp_path / "p.csv", [factories.product_row(sku="SKU-1")]))
    rows = [factories.price_row(sku="SKU-1"), factories.price_row(sku="SKU-404")]
    assert refused(app, system, "price-lists", factories.csv_file(tmp_path / "prices.csv", rows)) == [
        ("prices.csv", 3, "sku", "is not a stored product SKU")
    ]


def test_an_xlsx_customers_file_imports_typed_cells_and_reimports_as_unchanged(app, system, terms, tmp_path):
    row = factories.customer_row(number="00123", credit_limit="")
    header = list(row)
    values: list[object] = [row[c] for c in header]
    values[header.index("credit_limit")] = 1234.5
    path = factories.xlsx_file(tmp_path / "customers.xlsx", [header, values])
    assert import_file(app, system, "customers", path).created == 1
    assert get_customer(app.uow(), system, "00123").credit_limit == Decimal("1234.5")
    assert import_file(app, system, "customers", path).unchanged == 1


def test_payment_terms_then_customers_that_use_them(app, system, clock, tmp_path):
    terms_path = factories.csv_file(
        tmp_path / "terms.csv",
        [{"code": "EOM30", "description": "End of month + 30", "basis": "end_of_month", "days": "30"}],
    )
    assert import_file(app, system, "payment-terms", terms_path).created == 1
    customers_path = factories.csv_file(tmp_path / "c.csv", [factories.customer_row(payment_terms="EOM30")])
    assert import_file(app, system, "customers", customers_path).created == 1
    factories.csv_file(
        terms_path, [{"code": "EOM30", "description": "End of month + 45", "basis": "end_of_month", "days": "45"}]
    )
    report = import_file(app, system, "payment-terms", terms_path)
    assert (report.created, report.updated) == (0, 1)
    assert [a for a, _ in audit_actions(app, "payment_terms", "EOM30")] == [
        "payment_terms.created",
        "payment_terms.updated",
    ]
    assert records(app, "import:payment-terms", "EOM30")["EOM30"].entity_type == "payment_terms"


def test_products_are_created_then_a_changed_row_updates_with_an_audit_event(app, system, tmp_path):
    path = factories.csv_file(tmp_path / "p.csv", [factories.product_row(sku="A"), factories.product_row(sku="B")])
    assert import_file(app, system, "products", path).created == 2
    factories.csv_file(path, [factories.product_row(sku="A", name="Widget Pro"), factories.product_row(sku="B")])
    report = import_file(app, system, "products", path)
    assert (report.updated, report.unchanged) == (1, 1)
    assert [a for a, _ in audit_actions(app, "product", "A")] == ["product.created", "product.updated"]
    assert [a for a, _ in audit_actions(app, "product", "B")] == ["product.created"]


def test_a_price_list_file_creates_a_version_then_updates_only_the_changed_price(app, system, clock, tmp_path):
    products = [factories.product_row(sku="A"), factories.product_row(sku="B")]
    import_file(app, system, "products", factories.csv_file(tmp_path / "p.csv", products))
    path = tmp_path / "prices.csv"
    factories.csv_file(
        path, [factories.price_row(sku="A", unit_price="10.50"), factories.price_row(sku="B", unit_price="0.0125")]
    )
    assert import_file(app, system, "price-lists", path).created == 2
    assert import_file(app, system, "price-lists", path).unchanged == 2
    factories.csv_file(
        path, [factories.price_row(sku="A", unit_price="11"), factories.price_row(sku="B", unit_price="0.0125")]
    )
    report = import_file(app, system, "price-lists", path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    with app.uow() as uow:
        (version,) = uow.price_lists.versions("STD")
        by_sku = {p.id: p.sku for p in uow.products.by_skus(["A", "B"]).values()}
        prices = {by_sku[i.product_id]: i.unit_price for i in version.items}
    assert prices == {"A": Decimal("11"), "B": Decimal("0.0125")}
    assert [a for a, _ in audit_actions(app, "price_list", "STD@2026-01-01")] == [
        "price_list.created",
        "price_list.updated",
    ]
    assert set(records(app, "import:price-lists", "STD@2026-01-01|A", "STD@2026-01-01|B")) == {
        "STD@2026-01-01|A",
        "STD@2026-01-01|B",
    }


def test_a_price_list_version_overlapping_a_stored_one_is_refused(app, system, tmp_path):
    import_file(app, system, "products", factories.csv_file(tmp_path / "p.csv", [factories.product_row(sku="A")]))
    import_file(app, system, "price-lists", factories.csv_file(tmp_path / "v1.csv", [factories.price_row(sku="A")]))
    later = factories.csv_file(tmp_path / "v2.csv", [factories.price_row(sku="A", valid_from="2026-06-01")])
    assert refused(app, system, "price-lists", later) == [
        (
            "v2.csv",
            2,
            "valid_from",
            "version STD@2026-06-01 (to open end) overlaps the version from 2026-01-01 (to open end); "
            "every row of this version is refused",
        )
    ]


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(app, system, terms, tmp_path):
    path = factories.csv_file(tmp_path / "c.csv", [factories.customer_row(number="C1")])
    import_file(app, system, "customers", path)
    factories.csv_file(
        path, [factories.customer_row(number="C1", legal_name="Renamed NV"), factories.customer_row(number="C2")]
    )
    before = stored_counts(app)
    report = import_file(app, system, "customers", path, dry_run=True)
    assert (report.dry_run, report.created, report.updated, report.unchanged) == (True, 1, 1, 0)
    assert stored_counts(app) == before


def test_check_import_returns_the_problems_instead_of_raising(app, system, terms):
    report = check_import(app.uow(), system, "customers", "c.csv", HEADER.split(","), [(2, ["C1"])])
    assert not report.ok
    missing = HEADER.split(",")[1:]
    assert [(e.row, e.field, e.message) for e in report.errors] == [(2, name, "is required") for name in missing]


@pytest.mark.parametrize(("role", "missing"), [(Role.AUDITOR, "imports:run"), (Role.COLLECTOR, "customers:write")])
def test_an_import_needs_the_import_and_the_write_permission(app, terms, tmp_path, role, missing):
    path = factories.csv_file(tmp_path / "c.csv", [factories.customer_row()])
    before = stored_counts(app)
    with pytest.raises(PermissionDenied) as caught:
        import_file(app, Actor("someone", frozenset({role})), "customers", path)
    assert caught.value.fields["permission"] == missing
    assert stored_counts(app) == before


def test_an_unknown_kind_is_refused_naming_the_known_ones(app, system, tmp_path):
    path = factories.csv_file(tmp_path / "c.csv", [factories.customer_row()])
    with pytest.raises(ValidationFailed, match="use one of legal-entities, payment-terms, customers, products"):
        import_file(app, system, "invoices", path)


def test_checking_a_file_costs_the_same_number_of_queries_for_5_or_60_rows(app, system, terms, tmp_path):
    factories.customer(app, number="P")
    factories.user(app, username="carla", roles=["collector"])
    connection = app.session_factory.kw["bind"]

    def statements_for(count):
        rows = [factories.customer_row(number=f"C{i:03d}", parent_number="P", collector="carla") for i in range(count)]
        path = factories.csv_file(tmp_path / f"c{count}.csv", rows)
        seen = []

        def count_statement(*_args):
            seen.append(1)

        event.listen(connection, "before_cursor_execute", count_statement)
        try:
            assert import_file(app, system, "customers", path, dry_run=True).created == count
        finally:
            event.remove(connection, "before_cursor_execute", count_statement)
        return len(seen)

    assert statements_for(5) == statements_for(60)


def test_a_changed_address_replaces_the_stored_one_instead_of_adding_another(app, system, terms, tmp_path):
    path = factories.csv_file(tmp_path / "c.csv", [factories.customer_row(number="C1")])
    import_file(app, system, "customers", path)
    factories.csv_file(path, [factories.customer_row(number="C1", bill_to_city="Leuven", bill_to_postal_code="3000")])
    assert import_file(app, system, "customers", path).updated == 1
    assert [(a.kind, a.city) for a in get_customer(app.uow(), system, "C1").addresses] == [("bill_to", "Leuven")]
    assert stored_counts(app)["customer_addresses"] == 1
