"""The orders and RMA API: problem+json contract, entry with findings, override, checklist, acceptance with an
Idempotency-Key, trigger events replayed safely, RMAs, late lines and discrepancy trends."""

from __future__ import annotations

from datetime import date

import pytest

from cashtrail.billing.services import run_bill_run
from cashtrail.identity.model import Actor
from tests import factories
from tests.api.support import assert_problem, bearer
from tests.integration.db.orders_support import shop

ORDER = {
    "number": "SO-9",
    "customer_number": "C1",
    "currency": "EUR",
    "order_date": "2026-11-02",
    "contract_number": "FRAME-1",
    "po_number": "PO-9",
    "sales_rep": "rita",
    "expected_ship_date": "2026-11-05",
    "lines": [{"line": 1, "sku": "MFP-C35", "quantity": "2", "unit_price": "6200.00"}],
}


@pytest.fixture
def tokens(app):
    shop(app)
    return {
        "analyst": bearer(factories.api_token(app, username="amy", roles=["billing_analyst"])),
        "supervisor": bearer(factories.api_token(app, username="sid", roles=["supervisor"])),
        "auditor": bearer(factories.api_token(app, username="aud", roles=["auditor"])),
    }


def _count_orders(app) -> int:  # noqa: ANN001
    with app.uow() as uow:
        return len(uow.orders.page(after_id=None, limit=1000))


def _complete(client, headers) -> None:  # noqa: ANN001
    for item in ("purchase_order", "signed_contract_or_quote"):
        uploaded = client.post(
            "/v1/orders/SO-9/documents",
            headers=headers,
            files={"file": (f"{item}.pdf", b"%PDF-1.7", "application/pdf")},
            data={"item": item},
        )
        assert uploaded.status_code == 201, uploaded.text
    waived = client.post("/v1/orders/SO-9/checklist/credit_check/waiver", headers=headers, json={"reason": "prepaid"})
    assert waived.status_code == 200, waived.text


def test_an_order_entered_off_contract_needs_a_supervisors_override_before_acceptance(app, client, tokens):
    created = client.post("/v1/orders", headers=tokens["analyst"], json=ORDER)
    assert created.status_code == 201, created.text
    assert created.headers["Location"].endswith("/v1/orders/SO-9")
    [finding] = created.json()["findings"]
    assert (finding["code"], finding["expected"], finding["actual"]) == ("price_above_contract", "5700.00", "5890.00")
    _complete(client, tokens["analyst"])
    blocked = assert_problem(
        client.post("/v1/orders/SO-9/accept", headers=tokens["analyst"]), status=409, code="order.acceptance_blocked"
    )
    assert blocked["reasons"] == ["1 open finding(s) need a correction or a supervisor's override"]
    denied = client.post("/v1/orders/SO-9/overrides", headers=tokens["analyst"], json={"reason": "ok"})
    assert_problem(denied, status=403, code="identity.permission_denied")
    overridden = client.post("/v1/orders/SO-9/overrides", headers=tokens["supervisor"], json={"reason": "agreed"})
    assert overridden.json()["findings"][0]["status"] == "overridden"
    key = {"Idempotency-Key": "accept-so-9"}
    first = client.post("/v1/orders/SO-9/accept", headers={**tokens["analyst"], **key})
    assert first.status_code == 200, first.text
    again = client.post("/v1/orders/SO-9/accept", headers={**tokens["analyst"], **key})
    assert (again.json(), again.headers["Idempotent-Replay"]) == (first.json(), "true")
    [po, *_] = client.get("/v1/orders/SO-9", headers=tokens["auditor"]).json()["documents"]
    document = client.get(f"/v1/orders/SO-9/documents/{po['id']}", headers=tokens["auditor"])
    assert document.status_code == 200
    assert document.content == b"%PDF-1.7"


def test_events_fire_charges_once_and_a_replay_changes_nothing(app, client, tokens):
    client.post(
        "/v1/orders",
        headers=tokens["analyst"],
        json={**ORDER, "lines": [{"line": 1, "sku": "MFP-C35", "quantity": "2"}]},
    )
    _complete(client, tokens["analyst"])
    assert client.post("/v1/orders/SO-9/accept", headers=tokens["analyst"]).status_code == 200
    event = {"line": "1", "kind": "shipment", "reference": "SH-1", "occurred_on": "2026-11-10", "quantity": "1"}
    first = client.post("/v1/orders/SO-9/events", headers=tokens["analyst"], json=event)
    assert (first.status_code, first.json()["charge_key"]) == (201, "order:SO-9:1:shipment:SH-1")
    replay = client.post("/v1/orders/SO-9/events", headers=tokens["analyst"], json=event)
    assert (replay.status_code, replay.json()["replay"], replay.json()["charge_key"]) == (200, True, None)
    conflict = client.post("/v1/orders/SO-9/events", headers=tokens["analyst"], json={**event, "quantity": "2"})
    assert_problem(conflict, status=409, code="order.event_conflict")
    manual = client.post(
        "/v1/orders/SO-9/events", headers=tokens["analyst"], json={**event, "kind": "manual", "reference": "M1"}
    )
    assert_problem(manual, status=409, code="order.trigger_refused")
    charges = client.get("/v1/orders/SO-9", headers=tokens["auditor"]).json()["charges"]
    assert charges == [{"key": "order:SO-9:1:shipment:SH-1", "status": "pending", "billed_period": None}]


def test_a_malformed_or_invalid_order_is_refused_and_nothing_is_written(app, client, tokens):
    before = _count_orders(app)
    number = client.post(
        "/v1/orders", headers=tokens["analyst"], json={**ORDER, "lines": [{"line": 1, "sku": "MFP-C35", "quantity": 2}]}
    )
    assert_problem(number, status=422, code="request.invalid")
    invalid = client.post(
        "/v1/orders",
        headers=tokens["analyst"],
        json={**ORDER, "customer_number": "C404", "lines": [{"line": 1, "sku": "NOPE", "quantity": "1"}]},
    )
    body = assert_problem(invalid, status=422, code="order.invalid")
    assert {e["field"] for e in body["errors"]} == {"customer", "lines[1].sku"}
    assert_problem(
        client.post("/v1/orders", headers=tokens["auditor"], json=ORDER), status=403, code="identity.permission_denied"
    )
    assert _count_orders(app) == before
    assert_problem(client.get("/v1/orders/NOPE", headers=tokens["auditor"]), status=404, code="order.not_found")


def test_rmas_late_lines_and_discrepancy_trends_through_the_api(app, client, tokens):
    from cashtrail.invoicing.approval_services import approve_invoice
    from cashtrail.invoicing.issue_services import issue_invoice
    from cashtrail.invoicing.prepare_services import prepare_invoices
    from tests.integration.db.orders_support import ANN, SAM

    client.post(
        "/v1/orders",
        headers=tokens["analyst"],
        json={**ORDER, "lines": [{"line": 1, "sku": "MFP-C35", "quantity": "2"}]},
    )
    _complete(client, tokens["analyst"])
    client.post("/v1/orders/SO-9/accept", headers=tokens["analyst"])
    shipment = {"line": "1", "kind": "shipment", "reference": "SH-1", "occurred_on": "2026-11-10", "quantity": "1"}
    client.post("/v1/orders/SO-9/events", headers=tokens["analyst"], json=shipment)
    run_bill_run(app.uow(), app.clock, Actor.system(), "2026-11")
    [invoice_id] = prepare_invoices(app.uow(), app.clock, ANN).document_ids
    approve_invoice(app.uow(), app.clock, SAM, invoice_id)
    issue_invoice(app.uow(), app.clock, ANN, invoice_id, issue_date=date(2026, 11, 30))
    request = {"order": "SO-9", "line": "1", "rma_type": "defective", "reason": "streaks", "quantity": "1"}
    created = client.post("/v1/rmas", headers=tokens["analyst"], json=request)
    assert created.status_code == 201, created.text
    number = created.json()["number"]
    assert_problem(
        client.post(f"/v1/rmas/{number}/receive", headers=tokens["analyst"], json={}),
        status=409,
        code="rma.transition_not_allowed",
    )
    assert client.post(f"/v1/rmas/{number}/approve", headers=tokens["supervisor"], json={}).status_code == 200
    assert client.post(f"/v1/rmas/{number}/receive", headers=tokens["analyst"], json={}).status_code == 200
    closed = client.post(f"/v1/rmas/{number}/close", headers=tokens["analyst"], json={"disposition": "credit"})
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], len(closed.json()["credit_note_ids"])) == ("closed", 1)
    assert client.get("/v1/rma-breaches", headers=tokens["auditor"]).json() == {"items": []}
    late = client.get("/v1/late-lines", headers=tokens["auditor"]).json()["items"]
    assert [(x["order"], x["line"], x["open_quantity"]) for x in late] == [("SO-9", "1", "1")]
    trend = client.get("/v1/order-discrepancies?from=2026-11-01&to=2026-11-30", headers=tokens["auditor"]).json()
    assert (trend["months"], trend["rows"]) == (["2026-11"], [])
