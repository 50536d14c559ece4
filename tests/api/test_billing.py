"""Billing endpoints: bill-run preview and run, the blocks worklist, stop and release, as problem+json contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.contracts.model import MaintenanceUnit
from tests import factories


def _setup(app, system) -> dict[str, str]:
    factories.customer(app, number="C1")
    factories.lift_contract(app)
    token = factories.api_token(app, username="pat", roles=["pre_billing"])
    return {"Authorization": f"Bearer {token}"}


def test_a_preview_returns_totals_and_explained_lines_as_strings(app, system, client):
    headers = _setup(app, system)
    response = client.post("/v1/billing/runs", json={"period": "2026-04", "preview": True}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["totals"] == {"EUR": "205.00"}
    [line] = body["drafts"][0]["lines"]
    assert (line["key"], line["amount"], line["currency"]) == ("LIFT-1:2026-04:fee:L1", "205.00", "EUR")
    assert client.post("/v1/billing/runs", json={"period": "2026-04"}, headers=headers).json()["drafts"]
    again = client.post("/v1/billing/runs", json={"period": "2026-04"}, headers=headers).json()
    assert (again["drafts"], again["already_billed"]) == ([], 1)


def test_a_bad_period_is_a_422_problem(app, system, client):
    headers = _setup(app, system)
    response = client.post("/v1/billing/runs", json={"period": "April"}, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_blocks_are_placed_listed_and_released_by_a_pre_billing_user(app, system, client):
    headers = _setup(app, system)
    placed = client.post(
        "/v1/billing/blocks", json={"scope": "customer", "target": "C1", "reason": "stop: dispute"}, headers=headers
    )
    assert placed.status_code == 201
    block_id = placed.json()["id"]
    assert [b["id"] for b in client.get("/v1/billing/blocks", headers=headers).json()["items"]] == [block_id]
    held = client.post("/v1/billing/runs", json={"period": "2026-04"}, headers=headers).json()
    assert held["drafts"] == []
    assert held["held"][0]["reasons"] == ["manual: stop: dispute"]
    released = client.post(
        f"/v1/billing/blocks/{block_id}/release", json={"reason": "dispute settled"}, headers=headers
    )
    assert released.json()["released_by"] == "pat"
    assert client.get("/v1/billing/blocks", headers=headers).json()["items"] == []


def test_a_collector_cannot_run_billing_and_nothing_is_written(app, system, client):
    _setup(app, system)
    collector = {"Authorization": f"Bearer {factories.api_token(app, username='cole', roles=['collector'])}"}
    response = client.post("/v1/billing/runs", json={"period": "2026-04"}, headers=collector)
    assert (response.status_code, response.json()["code"]) == (403, "identity.permission_denied")
    admin = {"Authorization": f"Bearer {factories.api_token(app, username='ada', roles=['admin'])}"}
    preview = client.post("/v1/billing/runs", json={"period": "2026-04", "preview": True}, headers=admin).json()
    assert preview["already_billed"] == 0


def test_releasing_an_unknown_block_is_a_404_problem(app, system, client):
    headers = _setup(app, system)
    response = client.post("/v1/billing/blocks/999/release", json={"reason": "x"}, headers=headers)
    assert (response.status_code, response.json()["code"]) == (404, "block.not_found")


def test_a_customer_over_the_amount_threshold_is_held_with_its_reason(app, system, client):
    headers = _setup(app, system)
    body = client.post(
        "/v1/billing/runs",
        json={"period": "2026-04", "preview": True, "max_amount_per_customer": "200.00"},
        headers=headers,
    ).json()
    assert body["drafts"] == []
    assert body["held"][0]["reasons"] == ["amount_over_threshold: run total 205.00 exceeds the threshold 200.00"]
    bad = client.post("/v1/billing/runs", json={"period": "2026-04", "max_amount_per_customer": 200}, headers=headers)
    assert bad.status_code == 422


def test_a_correction_after_an_amendment_returns_the_reversal_and_rebill(app, system, client):
    from cashtrail.contracts.services import amend_contract, get_contract

    headers = _setup(app, system)
    client.post("/v1/billing/runs", json={"period": "2026-04"}, headers=headers)
    contract = get_contract(app.uow(), system, "LIFT-1")
    contract.units = [MaintenanceUnit("L1", "Tower", "Lift A", Decimal("215.00"), date(2026, 1, 1))]
    amend_contract(app.uow(), app.clock, system, contract, reason="fee agreed in April")
    response = client.post("/v1/billing/corrections", json={"contract": "LIFT-1", "period": "2026-04"}, headers=headers)
    assert [(line["key"], line["amount"]) for line in response.json()["lines"]] == [
        ("LIFT-1:2026-04:fee:L1:rev:v2", "-205.00"),
        ("LIFT-1:2026-04:fee:L1:v2", "215.00"),
    ]
    again = client.post("/v1/billing/corrections", json={"contract": "LIFT-1", "period": "2026-04"}, headers=headers)
    assert again.json()["lines"] == []
