"""Cash application against a real database: a statement is imported, matching applies the sure payments,
suggests the rest, parks the unknown in suspense; people accept, change, reject and reverse; the ledger balances
and AR control equals the open items after every step."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from cashtrail.cashapp.application_services import (
    accept_suggestion,
    apply_receipt,
    reject_suggestion,
    reverse_match,
    run_matching,
)
from cashtrail.cashapp.model import MatchStatus
from cashtrail.cashapp.queries import suspense, worklist
from cashtrail.cashapp.services import import_statements
from cashtrail.db import cashapp_tables as ct
from cashtrail.errors import InvalidState, PermissionDenied
from cashtrail.files.statements import detect_and_parse
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import ManualLine, create_invoice
from cashtrail.ledger.checks import ledger_problems
from cashtrail.ledger.model import Account
from cashtrail.money import Money
from tests import factories

pytestmark = pytest.mark.db
ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))
COL = Actor("cora", frozenset({Role.COLLECTOR}))
ACCOUNT = "BE68539007547034"


def _invoice(app, customer: str, amount: str, day: date):
    doc = create_invoice(app.uow(), app.clock, ANN, customer, [ManualLine("Service", Decimal(1), Decimal(amount))])
    return issue_invoice(app.uow(), app.clock, ANN, doc.id, issue_date=day)


@pytest.fixture
def books(app):
    return cash_books(app)


def cash_books(app):
    """Three customers with five issued invoices (a, b of C1; c, d of C2; e of C3) in April 2026."""
    factories.legal_entity(app, code="BE01", country="BE", default=True)
    factories.customer(app, number="C1", iban="BE71096123456769")
    factories.customer(app, number="C2", legal_name="Liftwerk Janssens BV", vat_number=None)
    factories.customer(app, number="C3", legal_name="Ascenseurs Dubois SA", vat_number=None)
    invoices = {
        "a": _invoice(app, "C1", "100.00", date(2026, 4, 1)),  # 121.00 gross
        "b": _invoice(app, "C1", "200.00", date(2026, 4, 2)),  # 242.00
        "c": _invoice(app, "C2", "500.00", date(2026, 4, 3)),  # 605.00
        "d": _invoice(app, "C2", "1000.00", date(2026, 4, 4)),  # 1210.00
        "e": _invoice(app, "C3", "50.00", date(2026, 4, 5)),  # 60.50
    }
    return app, invoices


def _statement(rows: list[tuple[str, str, str, str, str, str]], opening: str = "0.00", sid: str = "S1") -> bytes:
    """rows: (amount, bank ref, name, iban, structured reference, text)."""
    lines = [
        "record,account,currency,date,amount,statement_id,bank_reference,counterparty_name,counterparty_iban,"
        "reference,remittance,entries"
    ]
    lines.append(f"opening,{ACCOUNT},EUR,2026-04-30,{opening},{sid},,,,,,")
    total = Decimal(opening)
    for amount, ref, name, iban, structured, text in rows:
        lines.append(f"entry,{ACCOUNT},EUR,2026-05-10,{amount},{sid},{ref},{name},{iban},{structured},{text},")
        total += Decimal(amount)
    lines.append(f"closing,{ACCOUNT},EUR,2026-05-31,{total},{sid},,,,,,{len(rows)}")
    return ("\n".join(lines) + "\n").encode()


def _import(app, data: bytes) -> None:
    statements, findings = detect_and_parse(data, "may.csv")
    import_statements(
        app.uow(), app.clock, Actor.system(), statements, "may.csv", hashlib.sha256(data).hexdigest(), findings=findings
    )


def _assert_ledger(app) -> dict[str, dict[str, str]]:
    figures, problems = ledger_problems(app.uow(), Actor.system())
    assert problems == []
    return figures


def _open(app, customer: str) -> dict[str, Money]:
    with app.uow() as uow:
        return {i.reference: i.remaining for i in uow.ledger.open_items_of(customer)}


def test_matching_applies_sure_payments_suggests_the_rest_and_keeps_the_ledger_whole(books):
    app, inv = books
    _import(
        app,
        _statement(
            [
                ("121.00", "TX1", "Acme Lifts NV", "BE71096123456769", inv["a"].payment_reference, ""),  # exact
                ("200.00", "TX2", "Acme Lifts NV", "BE71096123456769", inv["b"].payment_reference, ""),  # short
                ("600.00", "TX3", "Liftwerk Janssens BV", "", "", inv["c"].number),  # bank fee 5.00
                ("1250.00", "TX4", "Someone", "", "", inv["d"].number),  # over by 40.00: suggested
                ("60.50", "TX5", "ASCENSEURS DUBOIS", "NL91ABNA0417164300", "", ""),  # name + amount
                ("77.77", "TX6", "Mr Nobody", "", "", "gift"),  # unidentified
                ("-15.00", "TX7", "Bank", "", "", "fees"),  # money out: ignored
            ],
        ),
    )
    with pytest.raises(PermissionDenied):
        run_matching(app.uow(), app.clock, ANN)
    report = run_matching(app.uow(), app.clock, COL)
    assert (report.receipts, report.applied, report.suggested, report.suspense, report.ignored) == (6, 4, 1, 1, 1)
    [(over, _)] = worklist(app.uow(), COL, MatchStatus.SUGGESTED)
    assert (over.outcome, over.remainder_kind, over.remainder) == ("over", "on_account", Money.of("40.00", "EUR"))
    accept_suggestion(app.uow(), app.clock, COL, over.id)
    assert "INV" not in str(_open(app, "C1"))  # a settled; b settled by payment + deduction
    figures = _assert_ledger(app)
    eur = figures["EUR"]
    assert Decimal(eur["bank"]) == Decimal("2309.27")  # every receipt, unidentified included
    assert Decimal(eur["suspense"]) == Decimal("-77.77")  # only the unidentified one waits
    assert Decimal(eur["deductions"]) == Decimal("42.00")  # 242.00 - 200.00, short payment
    assert Decimal(eur["bank_fees"]) == Decimal("5.00")
    assert _open(app, "C2") == {next(iter(k for k in _open(app, "C2"))): Money.of("-40.00", "EUR")}  # on account
    [unknown] = suspense(app.uow(), COL)
    assert unknown.amount == Money.of("77.77", "EUR")
    again = run_matching(app.uow(), app.clock, COL)
    assert again.receipts == 0  # nothing is matched twice


def test_a_suggestion_is_accepted_and_teaches_the_iban(books):
    app, inv = books
    # Two items of C1 and no reference: the sum of both from an unknown IBAN, by name only → a suggestion.
    _import(app, _statement([("363.00", "TX1", "ACME LIFT", "NL91ABNA0417164300", "", "april")]))
    report = run_matching(app.uow(), app.clock, COL)
    assert report.suggested == 1
    [(suggestion, receipt)] = worklist(app.uow(), COL, MatchStatus.SUGGESTED)
    assert suggestion.customer_number == "C1"
    assert {x.number for x in suggestion.lines} == {inv["a"].number, inv["b"].number}
    assert suggestion.reasons
    accept_suggestion(app.uow(), app.clock, COL, suggestion.id)
    assert _open(app, "C1") == {}
    with pytest.raises(InvalidState):
        accept_suggestion(app.uow(), app.clock, COL, suggestion.id)
    _assert_ledger(app)
    _import(app, _statement([("60.50", "TX9", "", "NL91ABNA0417164300", "", "")], sid="S2"))
    with app.uow() as uow:
        assert uow.cash.book().iban_owner["NL91ABNA0417164300"] == "C1"  # learned


def test_reject_then_apply_from_suspense_with_a_split_and_a_deduction_then_reverse(books):
    app, inv = books
    _import(app, _statement([("1700.00", "TX1", "Liftwerk Janssens", "", "", "")]))
    run_matching(app.uow(), app.clock, COL)
    [(suggestion, receipt)] = worklist(app.uow(), COL, MatchStatus.SUGGESTED)
    reject_suggestion(app.uow(), app.clock, COL, suggestion.id, "not theirs")
    assert [r.entry_id for r in suspense(app.uow(), COL)] == [receipt.entry_id]
    with app.uow() as uow:
        items = {i.reference: i for i in uow.ledger.open_items_of("C2")}
    c, d = items[inv["c"].number], items[inv["d"].number]
    applied = apply_receipt(
        app.uow(),
        app.clock,
        COL,
        receipt.entry_id,
        customer_number="C2",
        lines=[(c.id, Money.of("605.00", "EUR")), (d.id, Money.of("1095.00", "EUR"))],
        remainder_kind="deduction",
        reason_code="pricing",
    )
    assert _open(app, "C2") == {}
    figures = _assert_ledger(app)
    assert Decimal(figures["EUR"]["deductions"]) == Decimal("115.00")
    reverse_match(app.uow(), app.clock, COL, applied.id, "applied to the wrong customer")
    assert _open(app, "C2") == {c.reference: Money.of("605.00", "EUR"), d.reference: Money.of("1210.00", "EUR")}
    figures = _assert_ledger(app)
    assert Decimal(figures["EUR"]["deductions"]) == 0
    assert Decimal(figures["EUR"]["suspense"]) == Decimal("-1700.00")  # back in suspense
    with pytest.raises(InvalidState):
        reverse_match(app.uow(), app.clock, COL, applied.id, "twice")
    with app.uow() as uow:
        events = uow.audit.for_entity("cash_match", str(applied.id))
    assert [e.action for e in events] == ["cash.applied_manually", "cash.reversed"]
    assert Account.DEDUCTIONS.value == "1300"


def test_one_run_writes_in_bulk_learns_ibans_in_order_and_marks_a_shared_one_conflicting(books):
    app, inv = books
    shared = "NL91ABNA0417164300"
    _import(
        app,
        _statement(
            [
                ("121.00", "TX1", "Acme Lifts NV", shared, inv["a"].payment_reference, ""),  # C1 by reference
                ("605.00", "TX2", "Liftwerk Janssens BV", shared, inv["c"].payment_reference, ""),  # C2, same IBAN
                ("60.50", "TX3", "Ascenseurs Dubois SA", "BE71096123456769", inv["e"].payment_reference, ""),
            ]
        ),
    )
    report = run_matching(app.uow(), app.clock, COL)
    assert (report.applied, report.suggested, report.suspense) == (3, 0, 0)
    with app.uow() as uow:
        rows = {r.iban: (r.customer_number, r.conflicting) for r in uow.session.execute(select(ct.known_ibans))}
    assert rows == {shared: ("C1", True), "BE71096123456769": ("C3", False)}
    assert set(_open(app, "C1")) == {inv["b"].number}
    _assert_ledger(app)
    # Rows written in bulk got ids the next, row-by-row writes continue after (no clash on either backend).
    _import(app, _statement([("242.00", "TX9", "Acme Lifts NV", "", inv["b"].payment_reference, "")], sid="S2"))
    assert run_matching(app.uow(), app.clock, COL).applied == 1
    assert _open(app, "C1") == {}
    _assert_ledger(app)
