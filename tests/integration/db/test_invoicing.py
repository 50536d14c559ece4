"""Invoicing against a real database: prepare from the bill run, approve with segregation of duties, issue with
gapless numbers, due dates and payment references, credit notes, stops, and the ledger posting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.billing.services import run_bill_run
from cashtrail.errors import Conflict, InvalidState, PermissionDenied
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.approval_services import (
    approval_queue,
    approve_invoice,
    release_stop,
    stop_invoices_of,
)
from cashtrail.invoicing.issue_services import credit_invoice, issue_invoice, issue_ready
from cashtrail.invoicing.prepare_services import ManualLine, create_invoice, prepare_invoices
from cashtrail.ledger.model import Account
from cashtrail.money import Money
from tests import factories

ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))
SAM = Actor("sam", frozenset({Role.SUPERVISOR}))


@pytest.fixture
def books(app):
    factories.legal_entity(app, code="BE01", country="BE", default=True, approval_threshold=Decimal("5000"))
    factories.legal_entity(app, code="FR01", country="FR", default=False)
    factories.customer(app, number="C1")  # BE, VAT BE0403170701, Dutch
    factories.customer(app, number="C2", country="FR", language="fr", vat_number="FR40303265045")
    factories.customer(app, number="C3", country="ES", language="es", vat_number="ESA78304516")
    factories.user(app, username="ann", roles=["billing_analyst"])
    factories.user(app, username="sam", roles=["supervisor"])
    factories.user(app, username="sue", roles=["supervisor"])
    factories.lift_contract(app, number="LIFT-1", customer="C1", fee="205.00")
    factories.lift_contract(app, number="LIFT-2", customer="C2", fee="300.00")
    factories.lift_contract(app, number="LIFT-3", customer="C3", fee="400.00")
    run_bill_run(app.uow(), app.clock, Actor.system(), "2026-04")
    return app


def _prepared(app):
    result = prepare_invoices(app.uow(), app.clock, ANN)
    with app.uow() as uow:
        docs = uow.invoices.many(result.document_ids)
    return {d.customer_number: d for d in docs}


def test_the_bill_run_drafts_become_invoices_once_with_the_vat_of_each_customer(books):
    docs = _prepared(books)
    assert set(docs) == {"C1", "C2", "C3"}
    assert (docs["C1"].legal_entity, docs["C2"].legal_entity, docs["C3"].legal_entity) == ("BE01", "FR01", "BE01")
    assert docs["C1"].totals().vat == Money.of("43.05", "EUR")  # 205.00 x 21 %
    assert docs["C2"].totals().vat == Money.of("60.00", "EUR")  # 300.00 x 20 % (French entity)
    assert {line.vat.category for line in docs["C3"].lines} == {"AE"}  # Spanish business: reverse charge
    again = prepare_invoices(books.uow(), books.clock, ANN)
    assert again.document_ids == []


def test_the_first_invoice_of_a_contract_waits_for_a_second_person(books):
    doc = _prepared(books)["C1"]
    assert doc.approval_reason == "first invoice of the contract"
    with pytest.raises(InvalidState) as waiting:
        issue_invoice(books.uow(), books.clock, ANN, doc.id)
    assert waiting.value.code == "invoice.approval_required"
    with pytest.raises(PermissionDenied):
        approve_invoice(books.uow(), books.clock, ANN, doc.id)  # a billing analyst may not approve
    [waits] = [w for w in approval_queue(books.uow(), books.clock, SAM) if w.invoice_id == doc.id]
    assert waits.approvers == ("sam", "sue")  # supervisors; the preparer and the analyst are not asked
    assert waits.reason == "first invoice of the contract"


def test_the_preparer_may_not_approve_their_own_draft(books):
    result = prepare_invoices(books.uow(), books.clock, SAM)
    with pytest.raises(PermissionDenied) as caught:
        approve_invoice(books.uow(), books.clock, SAM, result.document_ids[0])
    assert caught.value.code == "invoice.segregation_of_duties"


def test_issuing_numbers_dates_references_and_posts_to_the_ledger(books):
    doc = _prepared(books)["C1"]
    approve_invoice(books.uow(), books.clock, SAM, doc.id)
    issued = issue_invoice(books.uow(), books.clock, ANN, doc.id, issue_date=date(2026, 4, 30))
    assert issued.number == "INV-BE01-2026-000001"
    assert issued.due_date == date(2026, 5, 30)  # net 30
    assert issued.payment_reference is not None
    assert len(issued.payment_reference) == 12  # Belgian customer: OGM/VCS digits
    assert issued.snapshot is not None
    assert issued.snapshot.buyer.name == "Acme Lifts NV"
    assert issued.snapshot.gross == Decimal("248.05")
    with books.uow() as uow:
        [item] = uow.ledger.open_items_of("C1")
        balances = uow.ledger.balances()
    assert item.remaining == Money.of("248.05", "EUR")
    assert balances[(Account.AR_CONTROL.value, "EUR")] == Decimal("248.05")
    assert balances[(Account.VAT_PAYABLE.value, "EUR")] == Decimal("-43.05")
    assert sum(balances.values()) == 0


def test_numbers_stay_gapless_when_an_issue_fails_and_follow_the_dates(books):
    docs = _prepared(books)
    for doc in docs.values():
        approve_invoice(books.uow(), books.clock, SAM, doc.id)
    issue_invoice(books.uow(), books.clock, ANN, docs["C1"].id, issue_date=date(2026, 4, 30))
    with pytest.raises(InvalidState) as early:
        issue_invoice(books.uow(), books.clock, ANN, docs["C3"].id, issue_date=date(2026, 4, 29))
    assert early.value.code == "invoice.issue_date_before_last"
    third = issue_invoice(books.uow(), books.clock, ANN, docs["C3"].id, issue_date=date(2026, 4, 30))
    assert third.number == "INV-BE01-2026-000002"  # the refused attempt gave its number back
    french = issue_invoice(books.uow(), books.clock, ANN, docs["C2"].id, issue_date=date(2026, 4, 28))
    assert french.number == "INV-FR01-2026-000001"  # another entity, another series


def test_a_customer_stop_holds_its_drafts_until_released(books):
    doc = _prepared(books)["C1"]
    stop = stop_invoices_of(books.uow(), books.clock, ANN, "customer", "C1", "salesperson asked to hold")
    with pytest.raises(InvalidState) as stopped:
        approve_invoice(books.uow(), books.clock, SAM, doc.id)
    assert stopped.value.code == "invoice.stopped"
    release_stop(books.uow(), books.clock, ANN, stop, "price agreed")
    assert approve_invoice(books.uow(), books.clock, SAM, doc.id).status == "approved"


def test_a_partial_credit_note_references_the_invoice_and_settles_part_of_it(books):
    doc = create_invoice(
        books.uow(),
        books.clock,
        ANN,
        "C1",
        [
            ManualLine("Door contact", Decimal("2"), Decimal("41.30"), tax_category="reduced", supply="goods"),
            ManualLine("Labour", Decimal("1.5"), Decimal("80.00")),
        ],
    )
    invoice = issue_invoice(books.uow(), books.clock, ANN, doc.id, issue_date=date(2026, 5, 2))
    assert invoice.totals().gross == Money.of("232.76", "EUR")  # 82.60 + 4.96 + 120.00 + 25.20
    credit = credit_invoice(books.uow(), books.clock, ANN, invoice.number, lines=[1], reason="labour not performed")
    assert credit.approval_reason == "every credit note is approved"
    approve_invoice(books.uow(), books.clock, SAM, credit.id)
    issued = issue_invoice(books.uow(), books.clock, ANN, credit.id, issue_date=date(2026, 5, 3))
    assert issued.number == "CN-BE01-2026-000001"
    assert issued.snapshot.preceding.number == invoice.number
    assert issued.totals().gross == Money.of("145.20", "EUR")  # 120.00 + 21 %
    with books.uow() as uow:
        items = {i.reference: i for i in uow.ledger.open_items_of("C1")}
    assert items[invoice.number].remaining == Money.of("87.56", "EUR")
    assert issued.number not in items  # the credit note is fully used, so closed
    with pytest.raises(Conflict):
        credit_invoice(
            books.uow(), books.clock, ANN, invoice.number, amount=Money.of("90.00", "EUR"), reason="too much"
        )


def test_issue_ready_issues_what_may_go_and_lists_what_waits(books):
    docs = _prepared(books)
    approve_invoice(books.uow(), books.clock, SAM, docs["C2"].id)
    result = issue_ready(books.uow(), books.clock, ANN, issue_date=date(2026, 4, 30))
    assert [d.customer_number for d in result.issued] == ["C2"]
    assert {i for i, _ in result.skipped} == {docs["C1"].id, docs["C3"].id}


def test_an_order_billed_on_its_own_carries_its_po_and_is_not_a_contracts_first_invoice(books):
    from cashtrail.billing.charges import Charge
    from cashtrail.billing.pending_services import add_pending_charges
    from cashtrail.contracts.terms import Period

    order = Charge(
        key="order:SO-7:1:shipment:SH-1",
        contract_number="SO-7",
        customer_number="C1",
        kind="order",
        description="MFP C300, shipped",
        period=Period(date(2026, 4, 20), date(2026, 4, 20)),
        quantity=Decimal(2),
        unit_price=Decimal("1200.00"),
        amount=Money.of("2400.00", "EUR"),
        formula="2 × 1,200.00",
        source={"order": "SO-7", "po": "PO-ACME-991"},
        supply="goods",
    )
    add_pending_charges(books.uow(), books.clock, Actor.system(), [order], origin="order", origin_ref="SO-7")
    run_bill_run(books.uow(), books.clock, Actor.system(), "2026-05")
    result = prepare_invoices(books.uow(), books.clock, ANN)
    with books.uow() as uow:
        [invoice] = [d for d in uow.invoices.many(result.document_ids) if d.contract_numbers == ["SO-7"]]
    assert invoice.buyer_reference == "PO-ACME-991"
    assert invoice.approval_reason == ""  # below the threshold, and an order is no contract's first invoice
