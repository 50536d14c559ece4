"""Order imports against a real database: contract prices, bundles, orders and shipments, all-or-nothing,
idempotent, with every problem located by file, row and column."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cashtrail.billing.pending_services import pending_of
from cashtrail.errors import ValidationFailed
from cashtrail.files.tabular import read_table
from cashtrail.identity.model import Actor
from cashtrail.imports.services import run_import
from cashtrail.orders.acceptance_services import accept_order
from cashtrail.orders.queries import order_view
from tests import factories
from tests.integration.db.orders_support import ANN, D, complete_checklist, shop

TABLES = (
    "orders",
    "order_lines",
    "order_events",
    "order_findings",
    "pending_charges",
    "audit_events",
    "import_records",
)


@pytest.fixture
def books(app):
    return shop(app)


def counts(app):  # noqa: ANN001, ANN201
    from cashtrail.db.tables import metadata

    with app.uow() as uow:
        return {
            t: uow.session.execute(select(func.count()).select_from(metadata.tables[t])).scalar_one() for t in TABLES
        }


def load(app, kind, path, actor=ANN):  # noqa: ANN001, ANN201
    table, errors = read_table(path)
    assert table is not None, errors
    return run_import(app.uow(), app.clock, actor, kind, table.name, table.header, table.rows)


def refused(app, kind, path):  # noqa: ANN001, ANN201
    before = counts(app)
    with pytest.raises(ValidationFailed) as caught:
        load(app, kind, path)
    assert counts(app) == before, "a refused import must write nothing"
    return [(e.row, e.field, e.message) for e in caught.value.errors]


def order_row(**kw: str) -> dict[str, str]:
    row = {
        "order": "SO-1",
        "customer": "C1",
        "order_date": "2026-11-02",
        "currency": "EUR",
        "po_number": "PO-4711",
        "contract": "FRAME-1",
        "sales_rep": "rita",
        "expected_ship_date": "2026-11-09",
        "line": "1",
        "sku": "MFP-C35",
        "quantity": "2",
        "unit_price": "",
        "discount_percent": "",
        "milestones": "",
    }
    row.update(kw)
    return row


def test_an_orders_file_enters_and_checks_orders_and_a_second_import_changes_nothing(books, tmp_path):
    rows = [
        order_row(),
        order_row(line="2", sku="TNR-K", quantity="10", unit_price="70.00"),
        order_row(line="3", sku="SVC-PROJECT", quantity="1", milestones="design:30:Design; live:70:Go-live"),
        order_row(order="SO-2", customer="C2", contract="", line="1", sku="BDL-OFFICE", quantity="1"),
    ]
    path = factories.csv_file(tmp_path / "orders.csv", rows)
    report = load(books, "orders", path)
    assert (report.rows, report.created, report.updated, report.unchanged) == (4, 4, 0, 0)
    view = order_view(books.uow(), books.clock, ANN, "SO-1")
    assert [f.finding.code for f in view.findings] == ["price_below_contract"]
    assert [m.code for m in view.order.line(3).milestones] == ["design", "live"]
    assert [x.label for x in order_view(books.uow(), books.clock, ANN, "SO-2").order.lines][:2] == ["1", "1.1"]
    before = counts(books)
    again = load(books, "orders", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert counts(books) == before
    fixed = factories.csv_file(tmp_path / "fixed.csv", [rows[0], order_row(line="2", sku="TNR-K", quantity="10")])
    changed = load(books, "orders", fixed)
    assert (changed.updated, changed.unchanged) == (1, 1)
    statuses = {f.finding.code: f.status for f in order_view(books.uow(), books.clock, ANN, "SO-1").findings}
    assert statuses == {"price_below_contract": "resolved"}


def test_a_bad_orders_file_is_refused_whole_with_every_problem_located(books, tmp_path):
    rows = [
        order_row(),
        order_row(line="2", sku="NOPE", currency="EUR"),
        order_row(line="3", customer="C2", sku="TNR-K"),
        order_row(line="4", sku="SVC-PROJECT", milestones="design:40; live:40"),
        order_row(line="5", sku="TNR-K", quantity="0"),
        order_row(order="SO-2", customer="C404", line="1", milestones="oops"),
    ]
    problems = refused(books, "orders", factories.csv_file(tmp_path / "bad.csv", rows))
    assert problems == [
        (3, "sku", "is not a known product SKU"),
        (4, "customer", "differs from row 2 of the same order SO-1"),
        (5, "milestones", "shares must be positive and add up to 100"),
        (6, "quantity", "must be more than zero"),
        (7, "milestones", "milestone 'oops' is not CODE:percent[:description]"),
    ]


def test_an_accepted_order_is_never_changed_by_a_file(books, tmp_path):
    path = factories.csv_file(tmp_path / "orders.csv", [order_row()])
    load(books, "orders", path)
    complete_checklist(books, "SO-1")
    accept_order(books.uow(), books.clock, ANN, "SO-1")
    assert load(books, "orders", path).unchanged == 1
    changed = factories.csv_file(tmp_path / "changed.csv", [order_row(quantity="3")])
    assert refused(books, "orders", changed) == [(2, "order", "order SO-1 is accepted; its lines can no longer change")]


def shipment_row(**kw: str) -> dict[str, str]:
    row = {
        "shipment": "SH-1",
        "order": "SO-1",
        "line": "1",
        "quantity": "1",
        "shipped_on": "2026-11-10",
        "serials": "S1",
    }
    row.update(kw)
    return row


def test_a_shipment_file_fires_charges_once_and_a_delivery_file_completes_the_shipment(books, tmp_path):
    load(books, "orders", factories.csv_file(tmp_path / "orders.csv", [order_row()]))
    complete_checklist(books, "SO-1")
    accept_order(books.uow(), books.clock, ANN, "SO-1")
    shipped = factories.csv_file(tmp_path / "sh.csv", [shipment_row()])
    assert load(books, "order-shipments", shipped).created == 1
    assert load(books, "order-shipments", shipped).unchanged == 1
    [charge] = pending_of(books.uow(), Actor.system(), "order", "SO-1")
    assert charge.key == "order:SO-1:1:shipment:SH-1"
    delivered = factories.csv_file(tmp_path / "dl.csv", [shipment_row(delivered_on="2026-11-12", carrier="DHL")])
    assert load(books, "order-shipments", delivered).updated == 1
    line = order_view(books.uow(), books.clock, ANN, "SO-1").order.line(1)
    assert (line.status, line.delivered_quantity) == ("partially_shipped", D(1))
    assert len(pending_of(books.uow(), Actor.system(), "order", "SO-1")) == 1


def test_a_shipment_file_that_ships_too_much_or_changes_a_shipment_is_refused(books, tmp_path):
    load(
        books,
        "orders",
        factories.csv_file(tmp_path / "orders.csv", [order_row(), order_row(order="SO-2", sku="BDL-OFFICE")]),
    )
    load(books, "order-shipments", factories.csv_file(tmp_path / "sh.csv", [shipment_row()]))
    rows = [
        shipment_row(quantity="2", serials="S1;S2"),
        shipment_row(shipment="SH-2", quantity="2", serials="S3"),
        shipment_row(shipment="SH-3", order="SO-2", line="1"),
        shipment_row(shipment="SH-4", order="SO-9"),
    ]
    problems = refused(books, "order-shipments", factories.csv_file(tmp_path / "bad.csv", rows))
    assert problems == [
        (2, "quantity", "shipment SH-1 of line 1 is recorded with other facts; a return goes through an RMA"),
        (3, "serials", "1 serials for a quantity of 2"),
        (4, "line", "is a bundle; ship its components (1.1, 1.2, 1.3, 1.4, 1.5)"),
        (5, "order", "is not a stored order"),
    ]
    too_much = [shipment_row(shipment="SH-2", serials=""), shipment_row(shipment="SH-3", quantity="1", serials="")]
    assert refused(books, "order-shipments", factories.csv_file(tmp_path / "much.csv", too_much)) == [
        (2, "quantity", "line 1 would ship 3 of 2 ordered")
    ]


def test_contract_prices_and_bundles_files_add_to_what_is_stored(books, tmp_path):
    prices = [
        {
            "contract": "FRAME-1",
            "customer": "C1",
            "currency": "EUR",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "sku": "SW-PRINT",
            "unit_price": "120.00",
            "max_quantity": "100",
        },
        {
            "contract": "FRAME-2",
            "customer": "C2",
            "currency": "EUR",
            "valid_from": "2026-06-01",
            "sku": "PRN-A4",
            "unit_price": "600",
            "requires": "SVC-INSTALL",
        },
    ]
    report = load(books, "contract-prices", factories.csv_file(tmp_path / "terms.csv", prices))
    assert (report.created, report.updated) == (2, 0)
    with books.uow() as uow:
        [frame] = uow.order_setup.terms_versions("FRAME-1")
        [second] = uow.order_setup.terms_versions("FRAME-2")
    assert frame.items["SW-PRINT"].max_quantity == D(100)
    assert "MFP-C35" in frame.items  # the stored items stay
    assert second.items["PRN-A4"].requires == ("SVC-INSTALL",)
    overlap = [dict(prices[1], valid_from="2026-01-01", valid_to="2026-07-01")]
    problems = refused(books, "contract-prices", factories.csv_file(tmp_path / "overlap.csv", overlap))
    assert problems == [(2, "valid_from", "overlaps the version from 2026-06-01")]
    bundle = [
        {"bundle": "BDL-START", "name": "Starter", "allocation": "fixed", "component": "PRN-A4", "share_percent": "70"},
        {
            "bundle": "BDL-START",
            "name": "Starter",
            "allocation": "fixed",
            "component": "SVC-INSTALL",
            "share_percent": "20",
        },
    ]
    factories_product = factories.product(sku="BDL-START", name="Starter bundle")
    from cashtrail.catalog.services import create_product

    create_product(books.uow(), books.clock, Actor.system(), factories_product)
    assert refused(books, "bundles", factories.csv_file(tmp_path / "b1.csv", bundle)) == [
        (2, "share_percent", "fixed shares must be given and add up to 100")
    ]
    bundle[1]["share_percent"] = "30"
    assert load(books, "bundles", factories.csv_file(tmp_path / "b2.csv", bundle)).created == 2
