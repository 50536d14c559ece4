"""Cash application and AR endpoints as problem+json contracts: statement upload with Idempotency-Key, matching,
the cursor-paged worklists, accept / reject / apply / reverse, the bank entry's detail, the ledger check, open
items, statements of account and aging as of a date. Refusals write nothing."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from cashtrail.db import cashapp_tables as ct
from cashtrail.db import ledger_tables as lt
from tests import factories
from tests.api.support import assert_problem
from tests.integration.db.test_cash_application import _statement, cash_books

MAY = [
    ("121.00", "TX1", "Acme Lifts NV", "BE71096123456769", "{a}", ""),  # exact, structured reference: applied
    ("1250.00", "TX2", "Someone", "", "", "{d}"),  # over-payment of d: a suggestion
    ("363.00", "TX3", "ACME LIFT", "NL91ABNA0417164300", "", "april"),  # a + b by name: a suggestion
    ("77.77", "TX4", "Mr Nobody", "", "", "gift"),  # unidentified: suspense
]


def _rows(inv) -> list[tuple[str, ...]]:
    refs = {"{a}": inv["a"].payment_reference, "{d}": inv["d"].number}
    return [tuple(refs.get(v, v) for v in row) for row in MAY]


def _counts(app) -> tuple[int, int, int]:
    with app.uow() as uow:
        s = uow.session
        return tuple(  # type: ignore[return-value]
            int(s.scalar(select(func.count()).select_from(table)) or 0)
            for table in (ct.bank_entries, ct.cash_matches, lt.item_applications)
        )


def _setup(app, client):
    _, inv = cash_books(app)
    collector = {"Authorization": f"Bearer {factories.api_token(app, username='cora', roles=['collector'])}"}
    data = _statement(_rows(inv))
    key = {**collector, "Idempotency-Key": "may-statement"}
    first = client.post("/v1/cash/statements", files={"file": ("may.csv", data, "text/csv")}, headers=key)
    assert first.status_code == 201, first.text
    again = client.post("/v1/cash/statements", files={"file": ("may.csv", data, "text/csv")}, headers=key)
    assert again.headers["Idempotent-Replay"] == "true"
    assert first.json() == again.json()
    assert first.json()["entries_created"] == 4
    return inv, collector


def test_a_statement_is_imported_matched_and_the_worklists_are_paged(app, client):
    inv, cora = _setup(app, client)
    run = client.post("/v1/cash/matching-runs", json={}, headers={**cora, "Idempotency-Key": "run-1"})
    assert run.status_code == 200, run.text
    assert {k: run.json()[k] for k in ("receipts", "applied", "suggested", "suspense")} == {
        "receipts": 4, "applied": 1, "suggested": 2, "suspense": 1,
    }  # fmt: skip
    first = client.get("/v1/cash/suggestions", params={"limit": 1}, headers=cora).json()
    assert len(first["items"]) == 1
    assert first["next_cursor"]
    second = client.get("/v1/cash/suggestions", params={"limit": 1, "cursor": first["next_cursor"]}, headers=cora)
    assert second.json()["next_cursor"] is None
    over, by_name = first["items"][0], second.json()["items"][0]
    assert (over["outcome"], over["remainder"], over["remainder_kind"]) == ("over", "40.00", "on_account")
    assert over["receipt"]["amount"] == "1250.00"
    assert Decimal(by_name["confidence"]) < Decimal("0.90")
    assert by_name["reasons"]
    [parked] = client.get("/v1/cash/suspense", headers=cora).json()["items"]
    assert (parked["amount"], parked["counterparty_name"]) == ("77.77", "Mr Nobody")
    bad = client.get("/v1/cash/suspense", params={"cursor": "nonsense"}, headers=cora)
    assert_problem(bad, status=422, code="pagination.bad_cursor")


def test_accept_once_per_key_reject_apply_from_suspense_and_reverse_keep_the_ledger_whole(app, client):
    inv, cora = _setup(app, client)
    client.post("/v1/cash/matching-runs", headers=cora)
    over, by_name = client.get("/v1/cash/suggestions", headers=cora).json()["items"]
    key = {**cora, "Idempotency-Key": "accept-1"}
    accepted = client.post(f"/v1/cash/suggestions/{over['id']}/accept", headers=key)
    replay = client.post(f"/v1/cash/suggestions/{over['id']}/accept", headers=key)
    assert accepted.status_code == replay.status_code == 200
    assert replay.headers["Idempotent-Replay"] == "true"
    assert accepted.json()["status"] == "applied"
    before = _counts(app)
    twice = client.post(f"/v1/cash/suggestions/{over['id']}/accept", headers=cora)
    assert_problem(twice, status=409, code="cash.not_suggested")
    assert _counts(app) == before
    rejected = client.post(f"/v1/cash/suggestions/{by_name['id']}/reject", json={"reason": "not theirs"}, headers=cora)
    assert rejected.json()["status"] == "rejected"
    entry_id = by_name["bank_entry_id"]
    items = client.get("/v1/ar/customers/C1/open-items", headers=cora).json()["items"]
    b = next(i for i in items if i["reference"] == inv["b"].number)
    body = {"customer_number": "C1", "lines": [{"item_id": b["id"], "amount": "242.00"}], "rest": "on_account"}
    applied = client.post(f"/v1/cash/entries/{entry_id}/apply", json=body, headers=cora)
    assert applied.status_code == 201, applied.text
    detail = client.get(f"/v1/cash/entries/{entry_id}", headers=cora).json()
    assert detail["receipt"]["counterparty_name"] == "ACME LIFT"
    assert [m["status"] for m in detail["matches"]] == ["applied", "rejected"]
    assert [(a["debit_item"], a["amount"]) for a in detail["applications"]] == [(inv["b"].number, "242.00")]
    reversed_ = client.post(
        f"/v1/cash/matches/{applied.json()['id']}/reverse", json={"reason": "wrong customer"}, headers=cora
    )
    assert reversed_.json()["status"] == "reversed"
    check = client.get("/v1/ledger/check", headers=cora).json()
    assert check["problems"] == []
    assert check["balances"]["EUR"]["suspense"] == "-440.77"  # 363.00 back in suspense with the 77.77


def test_refusals_are_problems_and_write_nothing(app, client):
    inv, cora = _setup(app, client)
    auditor = {"Authorization": f"Bearer {factories.api_token(app, username='aud', roles=['auditor'])}"}
    before = _counts(app)
    denied = client.post("/v1/cash/matching-runs", headers=auditor)
    assert_problem(denied, status=403, code="identity.permission_denied")
    cut = _statement(_rows(inv)).rsplit(b"closing", 1)[0]
    refused = client.post("/v1/cash/statements", files={"file": ("cut.csv", cut, "text/csv")}, headers=cora)
    body = assert_problem(refused, status=422, code="statement.invalid")
    assert body["errors"]
    missing = client.get("/v1/cash/entries/999999", headers=cora)
    assert_problem(missing, status=404, code="cash.entry_not_found")
    bad_apply = client.post("/v1/cash/entries/999999/apply", json={"customer_number": "C1", "lines": []}, headers=cora)
    assert_problem(bad_apply, status=404, code="cash.entry_not_found")
    number = client.post(
        "/v1/cash/entries/1/apply",
        json={"customer_number": "C1", "lines": [{"item_id": 1, "amount": 10.5}]},
        headers=cora,
    )
    assert_problem(number, status=422, code="request.invalid")
    assert _counts(app) == before


def test_statement_of_account_and_aging_as_of_a_date(app, client):
    inv, cora = _setup(app, client)
    client.post("/v1/cash/matching-runs", headers=cora)  # a is paid on 2026-05-10
    early = client.get("/v1/ar/customers/C1/statement", params={"as_of": "2026-05-09"}, headers=cora).json()
    [eur] = early["statements"]
    assert [(i["number"], i["open"], i["days_overdue"]) for i in eur["items"]] == [
        (inv["a"].number, "121.00", 8),
        (inv["b"].number, "242.00", 7),
    ]
    assert (eur["balance"], eur["aging"]["1-30"]) == ("363.00", "363.00")
    later = client.get("/v1/ar/customers/C1/statement", params={"as_of": "2026-05-10"}, headers=cora).json()
    assert [i["number"] for i in later["statements"][0]["items"]] == [inv["b"].number]
    aging = client.get(
        "/v1/ar/aging", params={"as_of": "2026-06-15", "by": "country", "buckets": "30,60"}, headers=cora
    ).json()
    assert aging["buckets"] == ["current", "1-30", "31-60", "61+"]
    assert [(r["group"], r["total"]) for r in aging["rows"]] == [("BE", "2117.50")]
    pdf = client.get("/v1/ar/customers/C1/statement.pdf", params={"as_of": "2026-05-09"}, headers=cora)
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    unknown = client.get("/v1/ar/customers/NOPE/statement", headers=cora)
    assert_problem(unknown, status=404, code="customer.not_found")
    bad = client.get("/v1/ar/aging", params={"buckets": "60,30"}, headers=cora)
    assert_problem(bad, status=422, code="aging.bad_bounds")
