"""Collections endpoints: metric reports as of a date, dunning runs (idempotent), disputes with problem+json."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import ManualLine, create_invoice
from tests import factories

ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))


def _setup(app) -> tuple[dict[str, str], str]:
    factories.legal_entity(app, code="BE01", country="BE", default=True, approve_first_invoice=False)
    factories.customer(app, number="C1")
    doc = create_invoice(app.uow(), app.clock, ANN, "C1", [ManualLine("Service", Decimal(1), Decimal("100.00"))])
    number = issue_invoice(app.uow(), app.clock, ANN, doc.id, issue_date=date(2026, 3, 1)).number
    token = factories.api_token(app, username="cole", roles=["collector"])
    return {"Authorization": f"Bearer {token}"}, number


def test_a_metric_is_reported_per_currency_as_strings(app, client):
    headers, _ = _setup(app)
    response = client.get("/v1/reports/aging", params={"as_of": "2026-04-15"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["values"]["EUR"]["1-30"] == "121.0000"
    dso = client.get("/v1/reports/dso", params={"as_of": "2026-03-31", "days": 31}, headers=headers).json()
    assert dso["values"] == {"EUR": "31.00"}
    unknown = client.get("/v1/reports/velocity", params={"as_of": "2026-03-31"}, headers=headers)
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "report.unknown_metric"


def test_a_dunning_run_goes_out_once_per_date(app, client):
    headers, number = _setup(app)
    preview = client.post("/v1/dunning/runs", json={"as_of": "2026-04-10", "preview": True}, headers=headers).json()
    assert [letter["items"] for letter in preview["letters"]] == [[number]]
    first = client.post("/v1/dunning/runs", json={"as_of": "2026-04-10"}, headers=headers).json()
    assert first["letters"][0]["level_name"] == "friendly reminder"
    again = client.post("/v1/dunning/runs", json={"as_of": "2026-04-10"}, headers=headers).json()
    assert again["already_run"] is True


def test_a_dispute_is_opened_and_an_over_dispute_is_refused(app, client):
    headers, number = _setup(app)
    body = {"invoice_number": number, "reason": "pricing", "department": "sales", "opened_on": "2026-04-02"}
    created = client.post("/v1/disputes", json={**body, "amount": "21.00"}, headers=headers)
    assert created.status_code == 201
    assert (created.json()["state"], created.json()["amount"]) == ("open", "21.00")
    too_much = client.post("/v1/disputes", json={**body, "amount": "101.00"}, headers=headers)
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "dispute.over_open"
    assert len(client.get("/v1/disputes", headers=headers).json()) == 1  # nothing written by the refusal


def test_promises_activities_and_a_write_off_decided_by_someone_else_with_a_retry_safe_key(app, client):
    headers, number = _setup(app)
    boss = {"Authorization": f"Bearer {factories.api_token(app, username='sue', roles=['supervisor'])}"}
    with app.uow() as uow:
        item = uow.ledger.item_of_invoice(uow.invoices.get_by_number(number).id)
    promise = {
        "customer_number": "C1", "amount": "121.00", "currency": "EUR", "promised_on": "2026-04-30",
        "made_on": "2026-04-10",
    }  # fmt: skip
    assert client.post("/v1/promises", json=promise, headers=headers).status_code == 201
    call = {"customer_number": "C1", "kind": "call", "summary": "left a message", "occurred_on": "2026-04-10"}
    assert client.post("/v1/activities", json=call, headers=headers).status_code == 201
    prepared = client.post("/v1/write-offs", json={"item_id": item.id, "reason": "insolvent"}, headers=headers)
    assert prepared.status_code == 201
    write_off_id = prepared.json()["id"]
    decision = {"approve": True, "posted_on": "2026-09-01"}
    url = f"/v1/write-offs/{write_off_id}/decision"
    refused = client.post(url, json=decision, headers=headers)  # a collector may prepare, not approve
    assert refused.status_code == 403
    first = client.post(url, json=decision, headers={**boss, "Idempotency-Key": "wo-1"})
    again = client.post(url, json=decision, headers={**boss, "Idempotency-Key": "wo-1"})
    assert (first.status_code, first.json()["status"]) == (200, "approved")
    assert again.headers.get("Idempotent-Replay") == "true"
    assert again.json() == first.json()
    with app.uow() as uow:
        assert uow.ledger.open_items_of("C1") == []  # written off once
