"""Cursor pagination: every row exactly once, filters, and malformed cursors or limits as 422 problems."""

from __future__ import annotations

import base64

import pytest

from tests import factories
from tests.api.support import assert_problem, bearer


def test_walking_every_page_returns_every_customer_exactly_once(app, client):
    numbers = [f"C{i:04d}" for i in range(1, 8)]
    for number in numbers:
        factories.customer(app, number=number)
    token = factories.api_token(app)
    seen, pages, cursor = [], 0, None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/customers", params=params, headers=bearer(token)).json()
        seen += [c["number"] for c in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == numbers
    assert pages == 3


def test_a_page_that_holds_the_last_rows_exactly_has_no_next_cursor(app, client):
    for number in ("C0001", "C0002"):
        factories.customer(app, number=number)
    token = factories.api_token(app)
    page = client.get("/v1/customers", params={"limit": 2}, headers=bearer(token)).json()
    assert [c["number"] for c in page["items"]] == ["C0001", "C0002"]
    assert page["next_cursor"] is None


def test_search_and_country_filters_narrow_the_list(app, client):
    factories.customer(app, number="C0001", legal_name="Acme Lifts NV")
    factories.customer(app, number="C0002", legal_name="Zenith SA", country="FR", vat_number="FR40303265045")
    token = factories.api_token(app)
    by_name = client.get("/v1/customers", params={"search": "zenith"}, headers=bearer(token)).json()
    by_country = client.get("/v1/customers", params={"country": "be"}, headers=bearer(token)).json()
    assert [c["number"] for c in by_name["items"]] == ["C0002"]
    assert [c["number"] for c in by_country["items"]] == ["C0001"]


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 !",
        base64.urlsafe_b64encode(b"id:abc").decode(),
        base64.urlsafe_b64encode(b"offset:3").decode(),
        "aWQ6MA",
    ],
)
def test_a_malformed_cursor_is_a_422_problem_naming_the_cursor(app, client, cursor):
    token = factories.api_token(app)
    response = client.get("/v1/customers", params={"cursor": cursor}, headers=bearer(token))
    body = assert_problem(response, status=422, code="pagination.bad_cursor")
    assert [e["field"] for e in body["errors"]] == ["cursor"]


@pytest.mark.parametrize("limit", [0, 501, "ten"])
def test_a_limit_outside_1_to_500_is_a_422_problem_naming_the_limit(app, client, limit):
    token = factories.api_token(app)
    response = client.get("/v1/customers", params={"limit": limit}, headers=bearer(token))
    body = assert_problem(response, status=422, code="request.invalid")
    assert [e["field"] for e in body["errors"]] == ["limit"]
