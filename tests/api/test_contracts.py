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


def test_an_unknown_contract_is_a_404_problem(app, client):
    headers = {"Authorization": f"Bearer {factories.api_token(app)}"}
    response = client.get("/v1/contracts/NOPE", headers=headers)
    assert (response.status_code, response.json()["code"]) == (404, "contract.not_found")
