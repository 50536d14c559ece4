"""Order pages: entry with findings, the review's checklist, override and acceptance, trigger events, late lines,
RMAs and the discrepancy trend with its XLSX exports."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from cashtrail.billing.services import run_bill_run
from cashtrail.identity.model import Actor
from cashtrail.invoicing.approval_services import approve_invoice
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.orders.entry_services import enter_order
from cashtrail.orders.queries import order_view
from cashtrail.orders.trigger_services import record_event
from cashtrail.orders.triggers import OrderEvent
from tests.integration.db.orders_support import ANN, SAM, accepted, draft, header, shop
from tests.web.support import csrf_from, sign_in

ENTRY = {
    "number": "SO-7",
    "customer_number": "C1",
    "currency": "EUR",
    "order_date": "2026-11-02",
    "contract_number": "FRAME-1",
    "po_number": "PO-7",
    "expected_ship_date": "2026-11-05",
    "sku_1": "MFP-C35",
    "quantity_1": "1",
    "unit_price_1": "6200",
    "discount_1": "0",
    "sku_2": "SVC-INSTALL",
    "quantity_2": "1",
}


@pytest.fixture
def books(app):
    return shop(app)


def _orders(app) -> int:  # noqa: ANN001
    with app.uow() as uow:
        return len(uow.orders.page(after_id=None, limit=100))


def test_an_order_is_entered_reviewed_overridden_and_accepted_in_the_workbench(books, client):
    sign_in(client, "ann")
    token = csrf_from(client.get("/orders/new").text)
    entered = client.post("/orders/new", data={**ENTRY, "csrf_token": token}, follow_redirects=False)
    assert entered.status_code == 303, entered.text
    page = client.get("/orders/SO-7").text
    assert "Price above contract" in page
    assert re.search(r'id="accept" disabled', page)
    for item in ("purchase_order", "signed_contract_or_quote"):
        uploaded = client.post(
            "/orders/SO-7/documents",
            data={"item": item, "csrf_token": token},
            files={"file": (f"{item}.pdf", b"%PDF-1.7 signed", "application/pdf")},
            follow_redirects=False,
        )
        assert uploaded.status_code == 303
    client.post("/orders/SO-7/waive", data={"item": "credit_check", "reason": "prepaid", "csrf_token": token})
    assert client.post("/orders/SO-7/override", data={"reason": "ok", "csrf_token": token}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    sign_in(client, "sam")
    token = csrf_from(client.get("/orders/SO-7").text)
    overridden = client.post("/orders/SO-7/override", data={"reason": "agreed with sales", "csrf_token": token})
    assert overridden.status_code == 200
    assert "agreed with sales" in overridden.text
    accepted_page = client.post("/orders/SO-7/accept", data={"csrf_token": token})
    assert 'id="order-status">Accepted' in accepted_page.text
    shipped = client.post(
        "/orders/SO-7/events",
        data={
            "line": "1",
            "kind": "shipment",
            "reference": "SH-1",
            "occurred_on": "2026-11-10",
            "quantity": "1",
            "csrf_token": token,
        },
    )
    assert "order:SO-7:1:shipment:SH-1" in shipped.text
    document = order_view(books.uow(), books.clock, ANN, "SO-7").documents[0]
    download = client.get(f"/orders/SO-7/documents/{document.id}")
    assert download.content == b"%PDF-1.7 signed"


def test_a_bad_entry_form_shows_every_problem_keeps_what_was_typed_and_writes_nothing(books, client):
    sign_in(client, "ann")
    token = csrf_from(client.get("/orders/new").text)
    before = _orders(books)
    form = {**ENTRY, "sku_2": "NOPE", "quantity_1": "abc", "order_date": "tomorrow", "csrf_token": token}
    refused = client.post("/orders/new", data=form)
    assert refused.status_code == 422
    assert "quantity_1" in refused.text
    assert "order_date" in refused.text
    assert 'value="NOPE"' in refused.text
    unknown = client.post("/orders/new", data={**ENTRY, "sku_2": "NOPE", "csrf_token": token})
    assert unknown.status_code == 422
    assert "is not a known product SKU" in unknown.text
    assert _orders(books) == before


def test_late_lines_rmas_and_trends_have_their_worklists_and_exports(books, client):
    accepted(books, "SO-1", draft(1, "MFP-C35", "2"))
    enter_order(books.uow(), books.clock, ANN, header("SO-2"), [draft(1, "TNR-K", "5", "70.00")])
    shipment = OrderEvent(1, "shipment", "SH-1", date(2026, 11, 10), Decimal(1))
    record_event(books.uow(), books.clock, ANN, "SO-1", shipment)
    run_bill_run(books.uow(), books.clock, Actor.system(), "2026-11")
    [invoice_id] = prepare_invoices(books.uow(), books.clock, ANN).document_ids
    approve_invoice(books.uow(), books.clock, SAM, invoice_id)
    issue_invoice(books.uow(), books.clock, ANN, invoice_id, issue_date=date(2026, 11, 30))
    sign_in(client, "ann")
    late = client.get("/late-lines")
    assert late.status_code == 200
    assert "SO-1" in late.text
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/late-lines.xlsx").content)).active
    assert [c.value for c in sheet[2]][:3] == ["SO-1", "1", "C1"]
    token = csrf_from(late.text)
    noted = client.post(
        "/orders/SO-1/notes",
        data={"line": "1", "kind": "supplier", "text": "backorder, week 49", "back": "late", "csrf_token": token},
    )
    assert "backorder, week 49" in noted.text
    requested = client.post(
        "/rmas",
        data={
            "order": "SO-1",
            "line": "1",
            "rma_type": "dead_on_arrival",
            "quantity": "1",
            "reason": "no power",
            "csrf_token": token,
        },
    )
    assert requested.status_code == 200
    number = re.search(r"<h1>(RMA-\d+)</h1>", requested.text)
    assert number is not None
    listing = client.get("/rmas")
    assert number.group(1) in listing.text
    rmas_sheet = openpyxl.load_workbook(io.BytesIO(client.get("/rmas.xlsx").content)).active
    assert rmas_sheet["A2"].value == number.group(1)
    trends = client.get("/order-trends?from=2026-11-01&to=2026-11-30&by=customer")
    data = json.loads(re.search(r'id="discrepancy-data">(.*?)</script>', trends.text, re.S).group(1))
    assert data == {"labels": ["2026-11"], "series": {"C1": [1]}}  # TNR-K at 70.00, the contract says 80.00
    trend_sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/order-trends.xlsx?from=2026-11-01&to=2026-11-30").content)
    ).active
    assert [c.value for c in trend_sheet[2]] == ["2026-11", "price_below_contract", "C1", "rita", 1]
