"""The audit trail over HTTP: newest first, filtered by entity, readable only with audit:read."""

from __future__ import annotations

from tests import factories
from tests.api.support import assert_problem, bearer


def test_an_auditor_pages_through_the_whole_trail_newest_first_without_duplicates(app, client):
    for number in ("C0001", "C0002", "C0003"):
        factories.customer(app, number=number)
    token = factories.api_token(app, username="audrey", roles=["auditor"])
    ids, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/audit-events", params=params, headers=bearer(token)).json()
        ids += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert ids == sorted(ids, reverse=True)
    assert len(ids) == len(set(ids))
    customers = client.get("/v1/audit-events", params={"entity_type": "customer"}, headers=bearer(token)).json()
    assert [e["entity_id"] for e in customers["items"]] == ["C0003", "C0002", "C0001"]


def test_one_entitys_trail_is_paged_too(app, client):
    factories.customer(app)
    analyst = factories.api_token(app)
    for limit in ("1000", "2000", "3000"):
        client.patch("/v1/customers/C0001", json={"credit_limit": limit}, headers=bearer(analyst))
    auditor = factories.api_token(app, username="audrey", roles=["auditor"])
    params = {"entity_type": "customer", "entity_id": "C0001", "limit": 3}
    first = client.get("/v1/audit-events", params=params, headers=bearer(auditor)).json()
    rest = client.get(
        "/v1/audit-events", params=params | {"cursor": first["next_cursor"]}, headers=bearer(auditor)
    ).json()
    actions = [e["action"] for e in first["items"] + rest["items"]]
    assert actions == ["customer.updated"] * 3 + ["customer.created"]
    assert rest["next_cursor"] is None


def test_an_analyst_without_audit_read_gets_a_403_problem(app, client):
    token = factories.api_token(app)
    body = assert_problem(
        client.get("/v1/audit-events", headers=bearer(token)), status=403, code="identity.permission_denied"
    )
    assert body["permission"] == "audit:read"


def test_filtering_by_entity_id_without_entity_type_is_a_422_problem(app, client):
    token = factories.api_token(app, username="audrey", roles=["auditor"])
    response = client.get("/v1/audit-events", params={"entity_id": "C0001"}, headers=bearer(token))
    body = assert_problem(response, status=422, code="audit.entity_type_required")
    assert [e["field"] for e in body["errors"]] == ["entity_type"]
