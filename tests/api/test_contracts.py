"""Contract read endpoints."""

from __future__ import annotations

from tests import factories


def test_contracts_are_listed_by_customer_and_read_with_their_units(app, client):
    factories.customer(app, number="C1")
    factories.customer(app, number="C2", vat_number=None)
    factories.lift_contract(app, number="LIFT-1", customer="C1", units=("L1", "L2"))
    factories.lift_contract(app, number="LIFT-2", customer="C2")
    headers = {"Authorization": f"Bearer {factories.api_token(app, username='ann', roles=['collector'])}"}
    listing = client.get("/v1/contracts?customer=C1", headers=headers).json()
    assert [c["number"] for c in listing["items"]] == ["LIFT-1"]
    one = client.get("/v1/contracts/LIFT-1", headers=headers).json()
    assert [(u["unit_id"], u["fee_per_period"]) for u in one["units"]] == [("L1", "205.00"), ("L2", "205.00")]
    assert (one["kind"], one["version"], one["currency"]) == ("maintenance", 1, "EUR")


def test_an_mps_contract_is_read_with_its_toner_terms(app, client):
    from dataclasses import replace

    from cashtrail.contracts.services import amend_contract
    from cashtrail.identity.model import Actor
    from tests.toner_scenario import mps_contract

    factories.payment_terms(app)
    factories.customer(app, number="C1")
    silent = mps_contract(app, number="MPS-1")
    stated = replace(mps_contract(app, number="MPS-2"), toner_reconciliation_period="half_yearly")
    amend_contract(app.uow(), app.clock, Actor.system(), stated, reason="the contract states its period")
    headers = {"Authorization": f"Bearer {factories.api_token(app, username='ann', roles=['collector'])}"}
    terms = ("toner_included", "coverage_allowance_percent", "toner_reconciliation_period", "pooling")
    one = client.get("/v1/contracts/MPS-2", headers=headers).json()
    assert tuple(one[t] for t in terms) == (True, "5", "half_yearly", "pooled")
    other = client.get(f"/v1/contracts/{silent.number}", headers=headers).json()
    assert other["toner_reconciliation_period"] is None


def test_an_unknown_contract_is_a_404_problem(app, client):
    headers = {"Authorization": f"Bearer {factories.api_token(app)}"}
    response = client.get("/v1/contracts/NOPE", headers=headers)
    assert (response.status_code, response.json()["code"]) == (404, "contract.not_found")
