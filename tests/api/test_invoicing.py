"""Invoicing endpoints: prepare, approval queue, approve with segregation of duties, issue and credit with
Idempotency-Key replay, stops, as problem+json contracts."""

from __future__ import annotations

from decimal import Decimal

from cashtrail.billing.services import run_bill_run
from tests import factories


def _setup(app, system) -> tuple[dict[str, str], dict[str, str]]:
    factories.legal_entity(app, approval_threshold=Decimal("5000"))
    factories.customer(app, number="C1")
    factories.lift_contract(app)
    run_bill_run(app.uow(), app.clock, system, "2026-04")
    analyst = factories.api_token(app, username="ann", roles=["billing_analyst"])
    supervisor = factories.api_token(app, username="sam", roles=["supervisor"])
    return {"Authorization": f"Bearer {analyst}"}, {"Authorization": f"Bearer {supervisor}"}


def _prepared(client, ann) -> int:
    prepared = client.post("/v1/invoices/prepare", headers=ann)
    assert prepared.status_code == 200
    [invoice_id] = prepared.json()["ids"]
    return int(invoice_id)


def test_a_draft_waits_in_the_queue_is_approved_by_a_second_person_and_issued_once(app, system, client):
    ann, sam = _setup(app, system)
    invoice_id = _prepared(client, ann)
    [waiting] = client.get("/v1/invoices/approval-queue", headers=sam).json()["items"]
    assert (waiting["invoice_id"], waiting["reason"], waiting["gross"]) == (
        invoice_id,
        "first invoice of the contract",
        "248.05",
    )
    assert "ann" not in waiting["approvers"]
    denied = client.post(f"/v1/invoices/{invoice_id}/approve", headers=ann)
    assert denied.status_code == 403
    assert denied.json()["code"] == "identity.permission_denied"
    assert client.post(f"/v1/invoices/{invoice_id}/approve", headers=sam).json()["status"] == "approved"
    key = {**ann, "Idempotency-Key": "issue-1"}
    first = client.post(f"/v1/invoices/{invoice_id}/issue", json={"issue_date": "2026-04-30"}, headers=key)
    again = client.post(f"/v1/invoices/{invoice_id}/issue", json={"issue_date": "2026-04-30"}, headers=key)
    assert first.status_code == again.status_code == 200
    assert first.json()["number"] == again.json()["number"] == "INV-BE01-2026-000001"
    assert again.headers["Idempotent-Replay"] == "true"
    twice = client.post(f"/v1/invoices/{invoice_id}/issue", json={"issue_date": "2026-04-30"}, headers=ann)
    assert twice.status_code == 409
    assert twice.json()["code"] == "invoice.cannot_issue"
    detail = client.get(f"/v1/invoices/{invoice_id}", headers=ann).json()
    assert detail["payment_reference"].startswith("+++")
    assert [(v["category"], v["rate"], v["tax"]) for v in detail["vat_breakdown"]] == [("S", "21", "43.05")]


def test_a_reused_idempotency_key_with_another_request_is_refused(app, system, client):
    ann, sam = _setup(app, system)
    invoice_id = _prepared(client, ann)
    client.post(f"/v1/invoices/{invoice_id}/approve", headers=sam)
    key = {**ann, "Idempotency-Key": "k-1"}
    assert (
        client.post(f"/v1/invoices/{invoice_id}/issue", json={"issue_date": "2026-04-30"}, headers=key).status_code
        == 200
    )
    reused = client.post(f"/v1/invoices/{invoice_id}/issue", json={"issue_date": "2026-05-01"}, headers=key)
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency.key_reused"


def test_a_credit_note_is_drafted_once_per_key_and_never_beyond_the_invoice(app, system, client):
    ann, sam = _setup(app, system)
    invoice_id = _prepared(client, ann)
    client.post(f"/v1/invoices/{invoice_id}/approve", headers=sam)
    client.post(f"/v1/invoices/{invoice_id}/issue", json={"issue_date": "2026-04-30"}, headers=ann)
    body = {"reason": "goodwill", "amount": "100.00"}
    key = {**ann, "Idempotency-Key": "credit-1"}
    first = client.post(f"/v1/invoices/{invoice_id}/credit-notes", json=body, headers=key)
    again = client.post(f"/v1/invoices/{invoice_id}/credit-notes", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["kind"] == "credit_note"
    assert first.json()["credits"] == "INV-BE01-2026-000001"
    too_much = client.post(
        f"/v1/invoices/{invoice_id}/credit-notes", json={"reason": "x", "amount": "200.00"}, headers=ann
    )
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "invoice.over_credited"
    as_number = client.post(f"/v1/invoices/{invoice_id}/credit-notes", json={"reason": "x", "amount": 10}, headers=ann)
    assert as_number.status_code == 422
    part = {"reason": "returned", "quantities": {"1": "0.5"}}  # half of line 1, at its price
    half = client.post(f"/v1/invoices/{invoice_id}/credit-notes", json=part, headers=ann)
    assert half.status_code == 201, half.text
    [line] = half.json()["lines"]
    assert (line["quantity"], line["unit_price"]) == ("0.5", first.json()["lines"][0]["unit_price"])
    beyond = {"reason": "returned", "quantities": {"1": "50"}}
    refused = client.post(f"/v1/invoices/{invoice_id}/credit-notes", json=beyond, headers=ann)
    assert (refused.status_code, refused.json()["code"]) == (422, "invoice.credit_quantity_out_of_range")


def test_a_customer_stop_is_listed_and_blocks_approval_until_released(app, system, client):
    ann, sam = _setup(app, system)
    invoice_id = _prepared(client, ann)
    placed = client.post("/v1/invoice-stops", json={"scope": "customer", "target": "C1", "reason": "hold"}, headers=ann)
    assert placed.status_code == 201
    [stop] = placed.json()["items"]
    blocked = client.post(f"/v1/invoices/{invoice_id}/approve", headers=sam)
    assert (blocked.status_code, blocked.json()["code"]) == (409, "invoice.stopped")
    released = client.post(f"/v1/invoice-stops/{stop['id']}/release", json={"reason": "ok"}, headers=ann)
    assert released.json()["items"] == []
    assert client.post(f"/v1/invoices/{invoice_id}/approve", headers=sam).status_code == 200


def test_lists_filter_by_status_and_unknown_documents_are_404(app, system, client):
    ann, _ = _setup(app, system)
    invoice_id = _prepared(client, ann)
    drafts = client.get("/v1/invoices", params={"status": "draft"}, headers=ann).json()["items"]
    assert [d["id"] for d in drafts] == [invoice_id]
    assert client.get("/v1/invoices", params={"status": "issued"}, headers=ann).json()["items"] == []
    missing = client.get("/v1/invoices/999999", headers=ann)
    assert (missing.status_code, missing.json()["code"]) == (404, "invoice.not_found")
    entities = client.get("/v1/legal-entities", headers=ann).json()["items"]
    assert [(e["code"], e["approval_threshold"]) for e in entities] == [("BE01", "5000.00")]


def test_an_issued_invoice_downloads_as_pdf_and_valid_ubl_and_is_queued_for_sending(app, system, client):
    from cashtrail.documents.ubl_validation import validate_ubl

    ann, sam = _setup(app, system)
    invoice_id = _prepared(client, ann)
    assert client.get(f"/v1/invoices/{invoice_id}/pdf", headers=ann).status_code == 409  # a draft has no files
    client.post(f"/v1/invoices/{invoice_id}/approve", headers=sam)
    client.post(f"/v1/invoices/{invoice_id}/issue", json={"issue_date": "2026-04-30"}, headers=ann)
    pdf = client.get(f"/v1/invoices/{invoice_id}/pdf", headers=ann)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    ubl = client.get(f"/v1/invoices/{invoice_id}/ubl", headers=ann)
    assert 'filename="INV-BE01-2026-000001.xml"' in ubl.headers["content-disposition"]
    assert validate_ubl(ubl.content).is_valid
    sent = client.post(f"/v1/invoices/{invoice_id}/send", json={}, headers=ann)
    assert sent.json() == {
        "key": f"invoice:{invoice_id}:email",
        "recipient": "billing@acme.example",
        "status": "pending",
    }
