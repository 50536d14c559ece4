"""Invoicing pages: the list with export, the approval queue with approve, issue from the detail, the credit form."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from cashtrail.billing.services import run_bill_run
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.prepare_services import prepare_invoices
from tests import factories
from tests.web.support import PASSWORD, csrf_from, sign_in


@pytest.fixture
def draft(app, system) -> int:
    factories.legal_entity(app, approval_threshold=Decimal("5000"))
    factories.customer(app, number="C1")
    factories.lift_contract(app)
    run_bill_run(app.uow(), app.clock, system, "2026-04")
    factories.user(app, username="ann", roles=["billing_analyst"], password=PASSWORD)
    factories.user(app, username="sam", roles=["supervisor"], password=PASSWORD)
    [invoice_id] = prepare_invoices(app.uow(), app.clock, Actor("ann", frozenset({Role.BILLING_ANALYST}))).document_ids
    return invoice_id


def test_the_queue_shows_the_draft_and_a_supervisor_approves_it_there(app, client, draft):
    sign_in(client, "sam")
    queue = client.get("/invoices/queue")
    assert "first invoice of the contract" in queue.text
    assert "248.05" in queue.text
    approved = client.post(
        f"/invoices/{draft}/approve", data={"csrf_token": csrf_from(queue.text), "back": "queue"}, follow_redirects=True
    )
    assert "Nothing waits for approval." in approved.text


def test_the_preparer_sees_no_approve_button_and_is_refused(app, client, draft):
    sign_in(client, "ann")
    queue = client.get("/invoices/queue")
    assert f'action="/invoices/{draft}/approve"' not in queue.text
    refused = client.post(f"/invoices/{draft}/approve", data={"csrf_token": csrf_from(queue.text)})
    assert refused.status_code == 403


def test_an_approved_draft_is_issued_from_its_page_and_credited_by_amount_and_by_part_of_a_line(app, client, draft):
    sign_in(client, "sam")
    page = client.get(f"/invoices/{draft}")
    client.post(f"/invoices/{draft}/approve", data={"csrf_token": csrf_from(page.text)})
    issued = client.post(f"/invoices/{draft}/issue", data={"csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert "INV-BE01-2026-000001" in issued.text
    assert "+++" in issued.text  # the Belgian structured communication
    form = client.get(f"/invoices/{draft}/credit")
    assert "Lift A" in form.text or "Maintenance" in form.text
    credited = client.post(
        f"/invoices/{draft}/credit",
        data={"csrf_token": csrf_from(form.text), "how": "amount", "amount": "50,00", "reason": "goodwill"},
        follow_redirects=True,
    )
    assert "Credit note" in credited.text
    assert "corrects" in credited.text
    assert "50.00" in credited.text
    part = {"csrf_token": csrf_from(form.text), "how": "quantities", "qty_0": "0,5", "qty_1": "", "reason": "returned"}
    halved = client.post(f"/invoices/{draft}/credit", data=part, follow_redirects=True)
    assert halved.status_code == 200
    assert "102.50" in halved.text  # half of the 205.00 fee, at its price
    junk = client.post(f"/invoices/{draft}/credit", data={**part, "qty_0": "half"})
    assert junk.status_code == 422
    assert "qty_0" in junk.text


def test_the_list_filters_and_exports_to_xlsx(app, client, draft):
    sign_in(client, "ann")
    listing = client.get("/invoices?status=draft")
    assert f'href="/invoices/{draft}"' in listing.text
    assert "No document matches." in client.get("/invoices?status=sent").text
    export = client.get("/invoices.xlsx?status=draft")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Id", "Kind", "Status", "Number")
    assert (rows[1][0], rows[1][2], str(rows[1][9])) == (draft, "draft", "248.05")


def test_an_issued_invoice_shows_its_pdf_preview_and_can_be_sent(app, client, draft):
    sign_in(client, "sam")
    page = client.get(f"/invoices/{draft}")
    client.post(f"/invoices/{draft}/approve", data={"csrf_token": csrf_from(page.text)})
    issued = client.post(f"/invoices/{draft}/issue", data={"csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert f'src="/invoices/{draft}/file/pdf"' in issued.text
    pdf = client.get(f"/invoices/{draft}/file/pdf")
    assert pdf.headers["content-disposition"].startswith("inline")
    png = client.get(f"/invoices/{draft}/preview.png")
    assert png.content.startswith(b"\x89PNG")
    sent = client.post(f"/invoices/{draft}/send", data={"csrf_token": csrf_from(issued.text)}, follow_redirects=True)
    assert "queued in the outbox" in sent.text
    assert "billing@acme.example" in sent.text
