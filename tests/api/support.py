"""Helpers shared by the API contract tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from cashtrail.bootstrap import App

PROBLEM_JSON = "application/problem+json"


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for an API token."""
    return {"Authorization": f"Bearer {token}"}


@dataclass(frozen=True)
class Written:
    """How many customers, products, price lists and audit events are stored (to prove nothing was written)."""

    customers: int
    products: int
    price_lists: int
    audit_events: int


def written(app: App) -> Written:
    """Count what is stored right now."""
    with app.uow() as uow:
        return Written(
            customers=uow.customers.count(),
            products=len(uow.products.page(after_id=None, limit=100_000)),
            price_lists=len(uow.price_lists.page(after_id=None, limit=100_000)),
            audit_events=len(uow.audit.page(after_id=None, limit=100_000)),
        )


def assert_problem(response: httpx.Response, *, status: int, code: str) -> dict[str, Any]:
    """Assert ``response`` is an RFC 9457 problem with ``status`` and ``code``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"https://cashtrail.dev/problems/{code}"
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    return body


def customer_payload(**overrides: Any) -> dict[str, Any]:
    """A valid JSON body for ``POST /v1/customers``; keyword arguments replace fields."""
    body: dict[str, Any] = {
        "number": "C0001",
        "legal_name": "Acme Lifts NV",
        "country": "BE",
        "language": "nl",
        "currency": "EUR",
        "payment_terms_code": "N30",
        "vat_number": "BE0403170701",
        "credit_limit": "50000.00",
        "addresses": [
            {"kind": "bill_to", "line1": "Grote Markt 1", "postal_code": "1000", "city": "Brussel", "country": "BE"}
        ],
        "contacts": [{"name": "Ann Peeters", "email": "billing@acme.example"}],
    }
    body.update(overrides)
    return body
