"""Who may call the API: Bearer API tokens, 401 problems, and the caller's own identity."""

from __future__ import annotations

from cashtrail.identity.model import Actor
from cashtrail.identity.services import revoke_api_token
from tests import factories
from tests.api.support import assert_problem, bearer, customer_payload, written


def test_a_request_without_a_token_is_a_401_problem_with_a_bearer_challenge_and_writes_nothing(app, client):
    factories.payment_terms(app)
    before = written(app)
    response = client.post("/v1/customers", json=customer_payload())
    body = assert_problem(response, status=401, code="auth.missing_token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert body["title"] == "Authentication failed"
    assert written(app) == before


def test_a_revoked_token_is_a_401_problem_and_writes_nothing(app, client):
    factories.payment_terms(app)
    token = factories.api_token(app)
    assert client.get("/v1/me", headers=bearer(token)).status_code == 200
    revoke_api_token(app.uow(), app.clock, Actor.system(), token)
    before = written(app)
    response = client.post("/v1/customers", json=customer_payload(), headers=bearer(token))
    assert_problem(response, status=401, code="auth.bad_token")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert written(app) == before


def test_an_unknown_token_and_a_non_bearer_scheme_are_both_401_problems(client):
    assert_problem(client.get("/v1/me", headers=bearer("ct_not-a-real-token")), status=401, code="auth.bad_token")
    basic = client.get("/v1/me", headers={"Authorization": "Basic YW5uOnB3"})
    assert_problem(basic, status=401, code="auth.missing_token")


def test_me_shows_the_callers_username_roles_and_permissions(app, client):
    token = factories.api_token(app, username="audrey", roles=["auditor"])
    response = client.get("/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "username": "audrey",
        "roles": ["auditor"],
        "permissions": [
            "ar:read",
            "audit:read",
            "catalog:read",
            "contracts:read",
            "customers:read",
            "invoices:read",
            "toner:read",
        ],
    }
