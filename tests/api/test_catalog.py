"""Products, price lists (items by SKU, prices as strings) and payment terms."""

from __future__ import annotations

from tests import factories
from tests.api.support import assert_problem, bearer, written


def _product(client, token, sku: str, **fields) -> None:
    body = {"sku": sku, "name": f"Product {sku}", "product_type": "hardware"} | fields
    response = client.post("/v1/products", json=body, headers=bearer(token))
    assert response.status_code == 201, response.text


def _price_list(**fields) -> dict:
    return {
        "code": "STD-EUR",
        "name": "Standard",
        "currency": "EUR",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "items": [{"sku": "MFP-1", "unit_price": "1250"}, {"sku": "TONER-K", "unit_price": "0.012345"}],
    } | fields


def test_an_analyst_creates_products_and_finds_them_by_sku_and_search(app, client):
    token = factories.api_token(app)
    _product(client, token, "MFP-1", name="Colour MFP")
    _product(client, token, "TONER-K", name="Black toner", product_type="consumable", tax_category="standard")
    one = client.get("/v1/products/TONER-K", headers=bearer(token)).json()
    assert (one["name"], one["product_type"], one["unit"], one["active"]) == ("Black toner", "consumable", "each", True)
    found = client.get("/v1/products", params={"search": "mfp"}, headers=bearer(token)).json()
    assert [p["sku"] for p in found["items"]] == ["MFP-1"]
    assert found["next_cursor"] is None


def test_a_duplicate_sku_is_a_409_and_an_unknown_sku_a_404_problem(app, client):
    token = factories.api_token(app)
    _product(client, token, "MFP-1")
    before = written(app)
    duplicate = client.post(
        "/v1/products", json={"sku": "MFP-1", "name": "Again", "product_type": "hardware"}, headers=bearer(token)
    )
    assert_problem(duplicate, status=409, code="product.already_exists")
    assert written(app) == before
    assert_problem(client.get("/v1/products/NOPE", headers=bearer(token)), status=404, code="product.not_found")


def test_a_price_list_version_is_created_with_items_by_sku_and_exact_string_prices(app, client):
    token = factories.api_token(app)
    _product(client, token, "MFP-1")
    _product(client, token, "TONER-K", product_type="consumable")
    created = client.post("/v1/price-lists", json=_price_list(), headers=bearer(token))
    assert created.status_code == 201, created.text
    assert created.json()["items"] == [
        {"sku": "MFP-1", "unit_price": "1250.00"},
        {"sku": "TONER-K", "unit_price": "0.012345"},
    ]
    listed = client.get("/v1/price-lists", headers=bearer(token)).json()
    assert listed["items"] == [created.json()]
    assert listed["items"][0]["valid_from"] == "2026-01-01"


def test_unknown_skus_and_negative_prices_are_all_reported_with_item_paths_and_nothing_is_written(app, client):
    token = factories.api_token(app)
    _product(client, token, "MFP-1")
    before = written(app)
    items = [
        {"sku": "MFP-1", "unit_price": "-1"},
        {"sku": "NOPE", "unit_price": "2"},
        {"sku": "MFP-1", "unit_price": "3"},
    ]
    response = client.post("/v1/price-lists", json=_price_list(items=items, currency="EUX"), headers=bearer(token))
    body = assert_problem(response, status=422, code="price_list.invalid")
    assert [e["field"] for e in body["errors"]] == ["currency", "items[0].unit_price", "items[1].sku", "items[2].sku"]
    assert written(app) == before


def test_a_float_unit_price_is_refused_before_anything_is_looked_up(app, client):
    token = factories.api_token(app)
    response = client.post(
        "/v1/price-lists", json=_price_list(items=[{"sku": "MFP-1", "unit_price": 0.1}]), headers=bearer(token)
    )
    body = assert_problem(response, status=422, code="request.invalid")
    assert [e["field"] for e in body["errors"]] == ["items[0].unit_price"]


def test_an_overlapping_price_list_version_is_a_409_problem_and_nothing_is_written(app, client):
    token = factories.api_token(app)
    _product(client, token, "MFP-1")
    _product(client, token, "TONER-K")
    assert client.post("/v1/price-lists", json=_price_list(), headers=bearer(token)).status_code == 201
    before = written(app)
    overlapping = _price_list(valid_from="2026-06-01", valid_to=None)
    response = client.post("/v1/price-lists", json=overlapping, headers=bearer(token))
    body = assert_problem(response, status=409, code="price_list.overlap")
    assert body["other_valid_from"] == "2026-01-01"
    assert written(app) == before


def test_a_collector_cannot_create_a_price_list_and_gets_a_403_before_any_sku_check(app, client):
    token = factories.api_token(app, username="colin", roles=["collector"])
    before = written(app)
    response = client.post("/v1/price-lists", json=_price_list(), headers=bearer(token))
    body = assert_problem(response, status=403, code="identity.permission_denied")
    assert body["permission"] == "catalog:write"
    assert written(app) == before


def test_payment_terms_are_put_by_code_and_listed_with_the_discount_as_a_string(app, client):
    token = factories.api_token(app)
    body = {"description": "2% 10, net 30", "days": 30, "discount_percent": "2.5", "discount_days": 10}
    put = client.put("/v1/payment-terms/2-10N30", json=body, headers=bearer(token))
    assert put.status_code == 200, put.text
    assert put.json() == {
        "code": "2-10N30",
        "description": "2% 10, net 30",
        "basis": "net",
        "days": 30,
        "discount_percent": "2.5",
        "discount_days": 10,
    }
    listed = client.get("/v1/payment-terms", headers=bearer(token)).json()
    assert listed == {"items": [put.json()], "next_cursor": None}


def test_invalid_payment_terms_are_a_422_problem_and_nothing_is_written(app, client):
    token = factories.api_token(app)
    before = written(app)
    body = {"description": "Too generous", "days": 10, "discount_percent": "5", "discount_days": 20}
    response = client.put("/v1/payment-terms/BAD", json=body, headers=bearer(token))
    problem = assert_problem(response, status=422, code="payment_terms.invalid")
    assert [e["field"] for e in problem["errors"]] == ["discount_days"]
    assert written(app) == before
