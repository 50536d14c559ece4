"""The invoice lifecycle: approval rules, segregation of duties, stop and release, issue, credit notes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.errors import InvalidState, PermissionDenied, ValidationFailed
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.lifecycle import ApprovalRules, Document, Status
from cashtrail.invoicing.tax import Treatment, VatCategory, VatDecision
from cashtrail.invoicing.totals import DocumentKind, Line
from cashtrail.money import Money

VAT21 = VatDecision(Treatment.DOMESTIC, VatCategory.STANDARD, Decimal("21"))
VAT6 = VatDecision(Treatment.DOMESTIC, VatCategory.STANDARD, Decimal("6"))
SUPERVISOR = Actor("sam", frozenset({Role.SUPERVISOR}))


def _draft(*lines: tuple[str, str, VatDecision], prepared_by: str = "ann") -> Document:
    return Document(
        DocumentKind.INVOICE,
        "C1",
        "EUR",
        [Line(Decimal(q), Money.of(p, "EUR"), vat, f"line {i}") for i, (q, p, vat) in enumerate(lines)],
        prepared_by,
        ["LIFT-1"],
    )


def _issued(doc: Document) -> Document:
    doc.issue(
        number="F2026-000001",
        issue_date=date(2026, 5, 1),
        due_date=date(2026, 5, 31),
        payment_reference="RF18539007547034",
        approval_needed=False,
    )
    return doc


def test_the_rules_decide_when_a_second_person_must_approve():
    rules = ApprovalRules(threshold=Money.of("5000", "EUR"))
    small, large = _draft(("1", "100.00", VAT21)), _draft(("1", "5000.00", VAT21))
    assert not small.needs_approval(rules, first_of_contract=False)
    assert small.needs_approval(rules, first_of_contract=True)
    assert large.needs_approval(rules, first_of_contract=False)
    credit = _issued(_draft(("1", "100.00", VAT21))).credit("ann")
    assert credit.needs_approval(rules, first_of_contract=False)


def test_the_preparer_cannot_approve_their_own_invoice():
    draft = _draft(("1", "100.00", VAT21), prepared_by="sam")
    with pytest.raises(PermissionDenied) as caught:
        draft.approve(SUPERVISOR)
    assert caught.value.code == "invoice.segregation_of_duties"
    assert draft.status == Status.DRAFT


def test_a_stopped_draft_is_neither_approved_nor_issued_until_released():
    draft = _draft(("1", "100.00", VAT21))
    draft.stop("stop invoices per salesperson instruction")
    with pytest.raises(InvalidState):
        draft.approve(SUPERVISOR)
    with pytest.raises(InvalidState):
        _issued(draft)
    draft.release()
    draft.approve(SUPERVISOR)
    assert _issued(draft).status == Status.ISSUED


def test_an_invoice_that_needs_approval_cannot_be_issued_without_it_and_is_issued_once():
    draft = _draft(("1", "100.00", VAT21))
    with pytest.raises(InvalidState) as caught:
        draft.issue(
            number="F1",
            issue_date=date(2026, 5, 1),
            due_date=date(2026, 5, 31),
            payment_reference="RF",
            approval_needed=True,
        )
    assert caught.value.code == "invoice.approval_required"
    issued = _issued(draft)
    with pytest.raises(InvalidState):
        _issued(issued)
    issued.mark_sent()
    assert (issued.status, issued.number) == (Status.SENT, "F2026-000001")


def test_a_partial_credit_by_line_references_the_invoice_and_keeps_that_lines_vat():
    invoice = _issued(_draft(("2", "100.00", VAT21), ("1", "50.00", VAT6)))
    credit = invoice.credit("ann", lines=[1])
    totals = credit.totals()
    assert (credit.kind, credit.credits, credit.status) == (DocumentKind.CREDIT_NOTE, "F2026-000001", Status.DRAFT)
    assert (totals.net, totals.vat, totals.gross) == (
        Money.of("50.00", "EUR"),
        Money.of("3.00", "EUR"),
        Money.of("53.00", "EUR"),
    )
    assert totals.signed_gross() == Money.of("-53.00", "EUR")


def test_a_credit_of_part_of_a_lines_quantity_is_at_the_lines_price_and_vat():
    invoice = _issued(_draft(("5", "40.00", VAT21), ("1", "50.00", VAT6), ("-1", "10.00", VAT21)))
    credit = invoice.credit("ann", quantities={0: Decimal("2"), 2: Decimal("0.5")})  # 2 of 5 units, half the discount
    assert [(line.quantity, line.unit_price, line.vat.rate) for line in credit.lines] == [
        (Decimal("2"), Money.of("40.00", "EUR"), Decimal("21")),
        (Decimal("-0.5"), Money.of("10.00", "EUR"), Decimal("21")),
    ]
    totals = credit.totals()
    assert (totals.net, totals.vat, totals.gross) == (
        Money.of("75.00", "EUR"),
        Money.of("15.75", "EUR"),
        Money.of("90.75", "EUR"),
    )


@pytest.mark.parametrize(
    ("quantities", "code"),
    [
        ({0: Decimal("6")}, "invoice.credit_quantity_out_of_range"),  # more than the line holds
        ({0: Decimal("0")}, "invoice.credit_quantity_out_of_range"),
        ({0: Decimal("0.0000001")}, "invoice.credit_quantity_out_of_range"),  # beyond the stored six decimals
        ({3: Decimal("1")}, "invoice.credit_line_unknown"),
        ({}, "invoicing.no_lines"),
    ],
)
def test_a_part_credit_beyond_the_line_or_of_no_line_is_refused(quantities, code):
    invoice = _issued(_draft(("5", "40.00", VAT21), ("1", "50.00", VAT6)))
    with pytest.raises(ValidationFailed) as refused:
        invoice.credit("ann", quantities=quantities)
    assert refused.value.code == code
    with pytest.raises(ValidationFailed) as both:
        invoice.credit("ann", lines=[0], quantities={0: Decimal("1")})
    assert both.value.code == "invoice.credit_ambiguous"


def test_a_credit_of_an_amount_is_spread_over_the_vat_rates():
    invoice = _issued(_draft(("2", "100.00", VAT21), ("1", "50.00", VAT6)))  # gross 242.00 + 53.00 = 295.00
    credit = invoice.credit("ann", amount=Money.of("59.00", "EUR"))  # a fifth
    totals = credit.totals()
    assert totals.gross == Money.of("59.00", "EUR")
    # 21 %: 200.00 × 1/5 = 40.00 net, 8.40 VAT; 6 %: 50.00 × 1/5 = 10.00 net, 0.60 VAT.
    assert sorted((str(b.rate), b.taxable, b.tax) for b in totals.breakdown) == [
        ("21", Money.of("40.00", "EUR"), Money.of("8.40", "EUR")),
        ("6", Money.of("10.00", "EUR"), Money.of("0.60", "EUR")),
    ]


def test_a_credit_larger_than_the_invoice_or_of_a_draft_is_refused():
    invoice = _issued(_draft(("1", "100.00", VAT21)))
    with pytest.raises(ValidationFailed):
        invoice.credit("ann", amount=Money.of("121.01", "EUR"))
    with pytest.raises(InvalidState):
        _draft(("1", "100.00", VAT21)).credit("ann")
