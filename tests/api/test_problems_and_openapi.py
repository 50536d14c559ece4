"""The API's shared contract: one problem shape for every failure, and the OpenAPI 3.1 document."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests import factories
from tests.api.support import assert_problem, bearer, customer_payload


def test_an_unexpected_error_is_a_500_problem_that_leaks_nothing(api):
    @api.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("password=hunter2 at /srv/cashtrail/secret.py line 7")

    response = TestClient(api, raise_server_exceptions=False).get("/v1/boom")
    body = assert_problem(response, status=500, code="internal_error")
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert set(body) == {"type", "title", "status", "detail", "code", "instance"}


def test_an_unknown_route_and_a_wrong_method_are_problems_too(client):
    assert_problem(client.get("/v1/nothing-here"), status=404, code="http.not_found")
    assert_problem(client.delete("/v1/customers"), status=405, code="http.method_not_allowed")


def test_a_body_that_is_not_json_is_a_422_problem(client):
    response = client.post("/v1/customers", content=b"{not json", headers={"Content-Type": "application/json"})
    body = assert_problem(response, status=422, code="request.invalid")
    assert body["errors"][0]["field"] == "body"


def test_the_openapi_document_is_version_3_1_and_lists_the_customer_paths(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] == "Cashtrail API"
    assert {"/v1/customers", "/v1/customers/{number}"} <= set(document["paths"])
    assert set(document["paths"]["/v1/customers"]) == {"get", "post"}
    assert "patch" in document["paths"]["/v1/customers/{number}"]


def test_the_openapi_document_describes_problems_bearer_tokens_and_string_amounts(client):
    document = client.get("/openapi.json").json()
    not_found = document["paths"]["/v1/customers/{number}"]["get"]["responses"]["404"]
    assert not_found["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert "Problem" in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["ApiToken"]["scheme"] == "bearer"
    credit_limit = document["components"]["schemas"]["CustomerCreate"]["properties"]["credit_limit"]
    assert {"type": "null"} in credit_limit["anyOf"]
    assert any(option.get("type") == "string" for option in credit_limit["anyOf"])


def test_the_interactive_docs_are_served(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert "/openapi.json" in response.text


def test_mounted_under_api_the_public_urls_locations_and_problem_instances_carry_the_prefix(app, api):
    factories.payment_terms(app)
    token = factories.api_token(app)
    root = FastAPI()
    root.mount("/api", api)
    client = TestClient(root)
    created = client.post("/api/v1/customers", json=customer_payload(), headers=bearer(token))
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == "http://testserver/api/v1/customers/C0001"
    missing = client.get("/api/v1/customers/NOPE", headers=bearer(token))
    assert assert_problem(missing, status=404, code="customer.not_found")["instance"] == "/api/v1/customers/NOPE"
    assert client.get("/api/openapi.json").json()["openapi"].startswith("3.1.")


def test_the_api_docs_page_loads_swagger_ui_from_our_static_files_not_a_cdn(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text
    assert "/openapi.json" in page.text
