"""Customer endpoints: the happy path and every problem a client can meet, each proving nothing was written."""

from __future__ import annotations

from tests import factories
from tests.api.support import assert_problem, bearer, customer_payload, written


def test_an_analyst_creates_a_customer_and_reads_it_back_with_the_amount_as_a_string(app, client):
    factories.payment_terms(app)
    token = factories.api_token(app)
    created = client.post("/v1/customers", json=customer_payload(credit_limit="12345.6789"), headers=bearer(token))
    assert created.status_code == 201, created.text
    assert created.headers["Location"].endswith("/v1/customers/C0001")
    fetched = client.get("/v1/customers/C0001", headers=bearer(token))
    assert fetched.status_code == 200
    body = fetched.json()
    assert body == created.json()
    assert body["credit_limit"] == "12345.6789"
    assert body["currency"] == "EUR"
    assert body["addresses"][0]["city"] == "Brussel"


def test_a_whole_euro_credit_limit_is_returned_with_cents_on_every_backend(app, client):
    factories.customer(app, credit_limit=None)
    factories.customer(app, number="C0002")
    token = factories.api_token(app)
    items = client.get("/v1/customers", headers=bearer(token)).json()["items"]
    assert [c["credit_limit"] for c in items] == [None, "50000.00"]


def test_an_auditor_creating_a_customer_gets_a_403_problem_and_nothing_is_written(app, client):
    factories.payment_terms(app)
    token = factories.api_token(app, username="audrey", roles=["auditor"])
    before = written(app)
    response = client.post("/v1/customers", json=customer_payload(), headers=bearer(token))
    body = assert_problem(response, status=403, code="identity.permission_denied")
    assert body["permission"] == "customers:write"
    assert body["actor"] == "audrey"
    assert written(app) == before


def test_an_unknown_customer_is_a_404_problem_with_its_code_and_number(app, client):
    token = factories.api_token(app)
    response = client.get("/v1/customers/NOPE-1", headers=bearer(token))
    body = assert_problem(response, status=404, code="customer.not_found")
    assert body["title"] == "Not found"
    assert body["number"] == "NOPE-1"
    assert body["instance"] == "/v1/customers/NOPE-1"


def test_a_duplicate_customer_number_is_a_409_problem_and_the_first_customer_is_kept(app, client):
    factories.customer(app, legal_name="First NV")
    token = factories.api_token(app)
    before = written(app)
    response = client.post("/v1/customers", json=customer_payload(legal_name="Second NV"), headers=bearer(token))
    assert_problem(response, status=409, code="customer.already_exists")
    assert written(app) == before
    assert client.get("/v1/customers/C0001", headers=bearer(token)).json()["legal_name"] == "First NV"


def test_a_bad_vat_number_is_a_422_problem_naming_the_field_and_nothing_is_written(app, client):
    factories.payment_terms(app)
    token = factories.api_token(app)
    before = written(app)
    response = client.post("/v1/customers", json=customer_payload(vat_number="BE0403170702"), headers=bearer(token))
    body = assert_problem(response, status=422, code="customer.invalid")
    assert [e["field"] for e in body["errors"]] == ["vat_number"]
    assert body["errors"][0]["value"] == "BE0403170702"
    assert written(app) == before


def test_every_domain_problem_of_a_customer_is_reported_at_once(app, client):
    factories.payment_terms(app)
    token = factories.api_token(app)
    payload = customer_payload(country="XX", language="de", currency="EUX", payment_terms_code="N99", vat_number=None)
    body = assert_problem(
        client.post("/v1/customers", json=payload, headers=bearer(token)), status=422, code="customer.invalid"
    )
    assert {e["field"] for e in body["errors"]} >= {"country", "language", "currency", "payment_terms"}


def test_a_float_credit_limit_is_a_422_problem_with_a_clear_message_and_nothing_is_written(app, client):
    factories.payment_terms(app)
    token = factories.api_token(app)
    before = written(app)
    response = client.post("/v1/customers", json=customer_payload(credit_limit=1234.5), headers=bearer(token))
    body = assert_problem(response, status=422, code="request.invalid")
    assert [e["field"] for e in body["errors"]] == ["credit_limit"]
    assert "string" in body["errors"][0]["message"]
    assert body["errors"][0]["value"] == "1234.5"
    assert written(app) == before


def test_malformed_amounts_and_unknown_fields_are_422_problems_with_field_paths(app, client):
    factories.payment_terms(app)
    token = factories.api_token(app)
    before = written(app)
    payload = customer_payload(credit_limit="12.345678", nickname="Acme")
    payload["addresses"][0]["kind"] = "home"
    body = assert_problem(
        client.post("/v1/customers", json=payload, headers=bearer(token)), status=422, code="request.invalid"
    )
    assert sorted(e["field"] for e in body["errors"]) == ["addresses[0].kind", "credit_limit", "nickname"]
    assert written(app) == before


def test_a_patch_with_a_reason_writes_an_audit_event_visible_through_the_api(app, client):
    factories.customer(app)
    analyst = factories.api_token(app)
    auditor = factories.api_token(app, username="audrey", roles=["auditor"])
    patched = client.patch(
        "/v1/customers/C0001", json={"credit_limit": "1000.00", "reason": "credit review"}, headers=bearer(analyst)
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["credit_limit"] == "1000.00"
    trail = client.get(
        "/v1/audit-events", params={"entity_type": "customer", "entity_id": "C0001"}, headers=bearer(auditor)
    )
    assert trail.status_code == 200, trail.text
    newest = trail.json()["items"][0]
    assert (newest["action"], newest["actor"], newest["reason"]) == ("customer.updated", "ann", "credit review")
    assert list(newest["changes"]) == ["credit_limit"]
    assert newest["occurred_at"].startswith("2026-11-23T09:00:00")


def test_a_patch_refuses_null_for_a_required_field_and_changes_nothing(app, client):
    factories.customer(app)
    token = factories.api_token(app)
    before = written(app)
    response = client.patch("/v1/customers/C0001", json={"legal_name": None}, headers=bearer(token))
    body = assert_problem(response, status=422, code="request.invalid")
    assert [e["field"] for e in body["errors"]] == ["legal_name"]
    assert written(app) == before


def test_a_patch_of_an_unknown_customer_is_a_404_problem(app, client):
    token = factories.api_token(app)
    response = client.patch("/v1/customers/NOPE", json={"legal_name": "X"}, headers=bearer(token))
    assert_problem(response, status=404, code="customer.not_found")
