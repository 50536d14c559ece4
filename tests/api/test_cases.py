"""Customer cases over the API: opened by chat or ticket with the invoices they name, past their SLA after the
agreed hours, answered, linked to a dispute and closed; unknown customers and states are problems."""

from __future__ import annotations

from datetime import timedelta

from cashtrail.disputes.cases import CASE_SLA_HOURS
from tests import factories


def _headers(app, roles=("collector",)) -> dict[str, str]:
    factories.customer(app, number="C1")
    token = factories.api_token(app, username="cole", roles=list(roles))
    return {"Authorization": f"Bearer {token}"}


def test_a_case_is_opened_answered_and_closed_and_its_sla_runs(app, client, clock):
    headers = _headers(app)
    body = {"customer_number": "C1", "channel": "chat", "subject": "Copy of INV-BE01-2026-000012 please", "body": ""}
    opened = client.post("/v1/cases", json=body, headers=headers)
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert (case["state"], case["invoice_numbers"], case["past_sla"]) == ("open", ["INV-BE01-2026-000012"], False)

    clock.advance(timedelta(hours=CASE_SLA_HOURS, minutes=1))
    [listed] = client.get("/v1/cases", params={"state": "open"}, headers=headers).json()
    assert (listed["id"], listed["past_sla"]) == (case["id"], True)

    answered = client.post(f"/v1/cases/{case['id']}", json={"state": "answered"}, headers=headers).json()
    assert (answered["state"], answered["past_sla"]) == ("answered", False)  # answered: the SLA is met
    closed = client.post(f"/v1/cases/{case['id']}", json={"state": "closed"}, headers=headers).json()
    assert closed["state"] == "closed"
    assert closed["closed_at"] is not None
    again = client.post(f"/v1/cases/{case['id']}", json={"state": "closed"}, headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "case.closed")
    assert client.get("/v1/cases", params={"state": "open"}, headers=headers).json() == []


def test_unknown_customers_cases_and_states_are_problems_and_readers_cannot_write(app, client):
    headers = _headers(app)
    unknown = {"customer_number": "C9", "channel": "ticket", "subject": "Where is my credit note?"}
    assert client.post("/v1/cases", json=unknown, headers=headers).json()["code"] == "customer.not_found"
    assert client.post("/v1/cases/999", json={"state": "closed"}, headers=headers).status_code == 404
    assert client.post("/v1/cases/1", json={"state": "reopened"}, headers=headers).status_code == 422
    assert client.get("/v1/cases", params={"state": "lost"}, headers=headers).status_code == 422
    auditor = {"Authorization": f"Bearer {factories.api_token(app, username='eva', roles=['auditor'])}"}
    body = {"customer_number": "C1", "channel": "ticket", "subject": "x"}
    assert client.post("/v1/cases", json=body, headers=auditor).status_code == 403
    assert client.get("/v1/cases", headers=auditor).status_code == 200
