"""Issued invoices reach the customer: PDF and Peppol UBL rendered once and kept, e-mailed through a real SMTP
server started by the test, and the invoice becomes sent."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

from cashtrail.billing.services import run_bill_run
from cashtrail.documents.preview import pdf_text
from cashtrail.documents.renderer import SnapshotRenderer
from cashtrail.documents.ubl_validation import validate_ubl
from cashtrail.errors import InvalidState, ValidationFailed
from cashtrail.identity.model import Actor
from cashtrail.invoicing.issue_services import issue_ready
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.invoicing.send_services import deliver_outbox, export_document, send_invoice
from cashtrail.mail import SmtpTransport
from tests import factories
from tests.integration.db.test_outbox import Inbox, _free_port

RENDERER = SnapshotRenderer()


@pytest.fixture
def issued(app, system):
    factories.legal_entity(app, approve_first_invoice=False, approval_threshold=None)
    factories.customer(app, number="C1", language="fr")
    factories.lift_contract(app)
    run_bill_run(app.uow(), app.clock, system, "2026-04")
    prepare_invoices(app.uow(), app.clock, system)
    [doc] = issue_ready(app.uow(), app.clock, system).issued
    return doc


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, SmtpTransport("127.0.0.1", controller.port)
    controller.stop()


def test_the_files_are_rendered_once_and_the_ubl_is_valid_peppol(app, system, issued):
    name, media_type, pdf = export_document(app.uow(), app.clock, system, RENDERER, issued.id, "pdf")
    _, _, again = export_document(app.uow(), app.clock, system, RENDERER, issued.id, "pdf")
    assert (name, media_type) == (f"{issued.number}.pdf", "application/pdf")
    assert again == pdf  # the archived bytes, not a new rendering
    assert issued.number in pdf_text(pdf)
    assert "facture" in pdf_text(pdf).lower()  # the customer's language
    _, _, ubl = export_document(app.uow(), app.clock, system, RENDERER, issued.id, "ubl")
    report = validate_ubl(ubl)
    assert report.is_valid, [str(f) for f in report.findings]
    assert issued.number.encode() in ubl


def test_sending_mails_both_files_to_the_billing_contact_and_marks_the_invoice_sent(app, system, issued, smtp):
    inbox, transport = smtp
    message = send_invoice(app.uow(), app.clock, system, RENDERER, issued.id)
    send_invoice(app.uow(), app.clock, system, RENDERER, issued.id)  # queued once
    report = deliver_outbox(app.uow(), app.clock, system, transport, sender="billing@cashtrail.example")
    assert [m.key for m in report.sent] == [message.key]
    [received] = inbox.messages
    assert received["To"] == message.recipient
    assert received["Subject"].startswith(f"Facture {issued.number}")
    names = sorted(a.get_filename() for a in received.iter_attachments())
    assert names == [f"{issued.number}.pdf", f"{issued.number}.xml"]
    with app.uow() as uow:
        assert uow.invoices.get(issued.id).status == "sent"


def test_a_draft_has_no_files_and_a_customer_without_billing_contact_needs_an_address(app, system, issued):
    with pytest.raises(InvalidState):
        export_document(app.uow(), app.clock, system, RENDERER, _draft_of(app, system), "pdf")
    with app.uow() as uow:
        customer = uow.customers.get_by_number("C1")
        customer.contacts.clear()
        uow.commit()
    with pytest.raises(ValidationFailed) as caught:
        send_invoice(app.uow(), app.clock, system, RENDERER, issued.id)
    assert caught.value.code == "invoice.no_billing_contact"
    with app.uow() as uow:
        assert uow.outbox.for_entity("invoice", str(issued.id)) == []


def _draft_of(app, system) -> int:
    from decimal import Decimal

    from cashtrail.invoicing.prepare_services import ManualLine, create_invoice

    doc = create_invoice(app.uow(), app.clock, Actor.system(), "C1", [ManualLine("x", Decimal(1), Decimal(10))])
    return int(doc.id)
