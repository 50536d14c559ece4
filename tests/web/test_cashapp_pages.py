"""Cash application and AR pages: statement upload with row-level problems, the worklists with their exports,
accept / reject / change from the pages, a bank entry's detail with reverse, aging and statement of account."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from cashtrail.cashapp.application_services import run_matching
from cashtrail.db import cashapp_tables as ct
from tests import factories
from tests.integration.db.test_cash_application import COL, _statement, cash_books
from tests.web.support import PASSWORD, csrf_from, sign_in

MAY = [
    ("1250.00", "TX2", "Someone", "", "", "{d}"),  # over-payment of d: a suggestion
    ("363.00", "TX3", "ACME LIFT", "NL91ABNA0417164300", "", "april"),  # a + b by name: a suggestion
    ("77.77", "TX4", "Mr Nobody", "", "", "gift"),  # unidentified: suspense
]


@pytest.fixture
def cora(app, client):
    _, inv = cash_books(app)
    factories.user(app, username="cora", roles=["collector"], password=PASSWORD)
    sign_in(client, "cora")
    rows = [tuple(inv["d"].number if v == "{d}" else v for v in row) for row in MAY]
    return client, inv, _statement(rows)


def _entries(app) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(ct.bank_entries)) or 0)


def test_a_cut_file_is_refused_with_its_problems_and_nothing_is_imported(app, cora):
    client, _, data = cora
    page = client.get("/cash/upload")
    cut = data.rsplit(b"closing", 1)[0]
    refused = client.post(
        "/cash/upload", data={"csrf_token": csrf_from(page.text)}, files={"file": ("cut.csv", cut, "text/csv")}
    )
    assert refused.status_code == 422
    assert "was refused: nothing was imported" in refused.text
    assert "closing" in refused.text.lower()
    assert _entries(app) == 0
    imported = client.post(
        "/cash/upload", data={"csrf_token": csrf_from(page.text)}, files={"file": ("may.csv", data, "text/csv")}
    )
    assert imported.status_code == 200
    assert "Match the new receipts" in imported.text
    assert _entries(app) == 3


def test_the_worklists_show_decide_and_export(app, cora):
    client, inv, data = cora
    page = client.get("/cash/upload")
    client.post("/cash/upload", data={"csrf_token": csrf_from(page.text)}, files={"file": ("m.csv", data, "t/csv")})
    matched = client.post("/cash/match", data={"csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert "0 applied, 2 suggested, 1 in suspense" in matched.text
    assert matched.text.count("data-row") == 2
    assert "j</kbd>" in matched.text
    book = openpyxl.load_workbook(io.BytesIO(client.get("/cash/suggestions.xlsx").content))
    assert [c.value for c in next(book.active.iter_rows(max_row=1))][:5] == [
        "Suggestion", "Bank entry", "Booked", "Currency", "Amount",
    ]  # fmt: skip
    assert book.active.max_row == 3
    token = csrf_from(matched.text)
    ids = [int(x.split('"')[0]) for x in matched.text.split('id="suggestion-')[1:] if x[0].isdigit()]
    accepted = client.post(
        f"/cash/suggestions/{ids[0]}/accept", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert accepted.status_code == 204
    rejected = client.post(
        f"/cash/suggestions/{ids[1]}/reject", data={"csrf_token": token, "reason": "not theirs"}, follow_redirects=False
    )
    assert rejected.status_code == 303
    suspense = client.get("/cash/suspense")
    assert suspense.text.count("data-row") == 2
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/cash/suspense.xlsx").content)).active
    assert sorted(str(r[3].value) for r in sheet.iter_rows(min_row=2)) == ["363", "77.77"]
    again = client.post(
        f"/cash/suggestions/{ids[0]}/accept", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert again.status_code == 409
    assert "flash" in again.text


def test_an_entry_from_suspense_is_split_then_reversed_from_its_page(app, cora):
    client, inv, data = cora
    page = client.get("/cash/upload")
    client.post("/cash/upload", data={"csrf_token": csrf_from(page.text)}, files={"file": ("m.csv", data, "t/csv")})
    run_matching(app.uow(), app.clock, COL)
    suspense = client.get("/cash/suspense")
    entry_id = int(suspense.text.split('id="entry-')[1].split('"')[0])
    detail = client.get(f"/cash/entries/{entry_id}", params={"customer": "C2"})
    assert "Mr Nobody" in detail.text
    assert inv["c"].number in detail.text
    with app.uow() as uow:
        c = next(i for i in uow.ledger.open_items_of("C2") if i.reference == inv["c"].number)
    bad = client.post(
        f"/cash/entries/{entry_id}/apply",
        data={
            "csrf_token": csrf_from(detail.text),
            "customer": "C2",
            f"amount-{c.id}": "seventy",
            "rest": "on_account",
        },
    )
    assert bad.status_code == 422
    applied = client.post(
        f"/cash/entries/{entry_id}/apply",
        data={"csrf_token": csrf_from(detail.text), "customer": "C2", f"amount-{c.id}": "77,77", "rest": "on_account"},
        follow_redirects=True,
    )
    assert "applied to C2" in applied.text
    assert "Reverse this application" in applied.text
    reversed_ = client.post(
        applied.text.split('id="reverse-form"')[0].rsplit('action="', 1)[1].split('"')[0],
        data={"csrf_token": csrf_from(applied.text), "reason": "wrong customer", "entry": entry_id},
        follow_redirects=True,
    )
    assert "reversed" in reversed_.text
    assert 'id="entry-status">Suspense' in reversed_.text


def test_aging_and_statement_pages_with_exports(app, cora):
    client, inv, _ = cora
    aging = client.get("/ar/aging", params={"as_of": "2026-06-15", "by": "customer", "buckets": "30,60"})
    assert aging.status_code == 200
    assert "Liftwerk Janssens BV" in aging.text
    assert "61+" in aging.text
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/ar/aging.xlsx", params={"as_of": "2026-06-15"}).content))
    assert sheet.active.max_row == 4  # header + C1, C2, C3
    statement = client.get("/ar/statement", params={"customer": "C2", "as_of": "2026-05-09"})
    assert 'id="balance-EUR">1,815.00 EUR' in statement.text or 'id="balance-EUR">1815.00 EUR' in statement.text
    export = client.get("/ar/statement.xlsx", params={"customer": "C2", "as_of": "2026-05-09"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [inv["c"].number, inv["d"].number]
    assert "/ar/statement.pdf?customer=C2" in statement.text
    pdf = client.get("/ar/statement.pdf", params={"customer": "C2", "as_of": "2026-05-09"})
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/ar/statement", params={"customer": "NOPE"}).status_code == 404
