"""Statements of account and aging as of any date against a real database: open items are rebuilt from the items'
and the applications' dates, so an invoice paid later is open as of an earlier date, a reversal counts only from
its own date, and on every date the open items add up to AR control as of that date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.analytics.account_statement import bucket_scheme
from cashtrail.analytics.receivables import book_aging, printable_statement, statement_of_account
from cashtrail.cashapp.application_services import apply_receipt, reverse_match, run_matching
from cashtrail.cashapp.queries import suspense
from cashtrail.errors import NotFound, PermissionDenied, ValidationFailed
from cashtrail.identity.model import Actor
from cashtrail.ledger.model import Account
from cashtrail.money import Money
from tests.integration.db.test_cash_application import COL, _import, _statement, cash_books

pytestmark = pytest.mark.db


@pytest.fixture
def books(app):
    return cash_books(app)


def _ar_control_until(app, day: date) -> Decimal:
    with app.uow() as uow:
        balances = uow.ledger.balances(until=day)
    return balances.get((Account.AR_CONTROL.value, "EUR"), Decimal(0))


def _paid_then_reversed(app, inv) -> int:
    """C2 pays c and d on 2026-05-10 with a deduction; the application is reversed on the clock's day (11-23)."""
    _import(app, _statement([("1700.00", "TX1", "Nobody Known", "", "", "")]))
    run_matching(app.uow(), app.clock, COL)
    [receipt] = suspense(app.uow(), COL)
    with app.uow() as uow:
        items = {i.reference: i for i in uow.ledger.open_items_of("C2")}
    c, d = items[inv["c"].number], items[inv["d"].number]
    applied = apply_receipt(
        app.uow(), app.clock, COL, receipt.entry_id, customer_number="C2",
        lines=[(c.id, Money.of("605.00", "EUR")), (d.id, Money.of("1095.00", "EUR"))],
        remainder_kind="deduction", reason_code="pricing",
    )  # fmt: skip
    assert applied.id is not None
    return applied.id


def test_an_invoice_paid_later_is_open_as_of_an_earlier_date_and_open_again_after_the_reversal(books):
    app, inv = books
    match_id = _paid_then_reversed(app, inv)
    [before] = statement_of_account(app.uow(), COL, "C2", date(2026, 5, 9))
    assert [(i.number, i.open.amount, i.kind) for i in before.items] == [
        (inv["c"].number, Decimal("605.00"), "invoice"),
        (inv["d"].number, Decimal("1210.00"), "invoice"),
    ]
    assert before.balance == Money.of("1815.00", "EUR")
    [paid] = statement_of_account(app.uow(), COL, "C2", date(2026, 5, 10))
    assert paid.items == ()
    assert paid.balance == Money.zero("EUR")
    reverse_match(app.uow(), app.clock, COL, match_id, "wrong customer")  # on 2026-11-23, the clock's day
    [still_paid] = statement_of_account(app.uow(), COL, "C2", date(2026, 11, 22))
    assert still_paid.items == ()
    [reopened] = statement_of_account(app.uow(), COL, "C2", date(2026, 11, 23))
    assert reopened.balance == Money.of("1815.00", "EUR")
    assert reopened.days_overdue(reopened.items[0]) == (date(2026, 11, 23) - reopened.items[0].due_date).days


def test_on_every_date_the_open_items_add_up_to_ar_control_as_of_that_date(books):
    app, inv = books
    match_id = _paid_then_reversed(app, inv)
    reverse_match(app.uow(), app.clock, COL, match_id, "wrong customer")
    for day in (date(2026, 3, 31), date(2026, 4, 3), date(2026, 5, 10), date(2026, 8, 1), date(2026, 11, 23)):
        aging = book_aging(app.uow(), COL, day, by="book")
        total = aging.totals.total("EUR").amount if aging.totals.currencies else Decimal(0)
        assert total == _ar_control_until(app, day), day


def test_aging_buckets_by_customer_and_country_with_configurable_limits(books):
    app, inv = books
    day = date(2026, 6, 15)  # invoices issued 1-5 April, due 30 days later: 41 to 45 days past due
    report = book_aging(app.uow(), COL, day, by="customer")
    assert [(r.group, r.total.amount, r.buckets["31-60"].amount) for r in report.rows] == [
        ("C1", Decimal("363.00"), Decimal("363.00")),
        ("C2", Decimal("1815.00"), Decimal("1815.00")),
        ("C3", Decimal("60.50"), Decimal("60.50")),
    ]
    assert report.rows[1].name == "Liftwerk Janssens BV"
    narrow = book_aging(app.uow(), COL, day, by="country", scheme=bucket_scheme("15,43"))
    assert narrow.scheme.labels == ("current", "1-15", "16-43", "44+")
    [be] = narrow.rows
    assert be.group == "BE"
    # a and b (due 1 and 2 May) are 45 and 44 days past due; c, d and e (due 3 to 5 May) 43 to 41
    assert (be.buckets["16-43"].amount, be.buckets["44+"].amount) == (Decimal("1875.50"), Decimal("363.00"))
    assert narrow.totals.total("EUR") == Money.of("2238.50", "EUR")


def test_bad_requests_are_refused_with_typed_errors(books):
    app, _ = books
    with pytest.raises(NotFound):
        statement_of_account(app.uow(), COL, "NOPE", date(2026, 5, 1))
    with pytest.raises(PermissionDenied):
        statement_of_account(app.uow(), Actor("nobody", frozenset()), "C1", date(2026, 5, 1))
    with pytest.raises(ValidationFailed):
        book_aging(app.uow(), COL, date(2026, 5, 1), by="planet")
    with pytest.raises(ValidationFailed):
        bucket_scheme("60,30")
    with pytest.raises(ValidationFailed):
        bucket_scheme("thirty")


def test_a_statement_becomes_the_documents_statement_with_payments_on_account_as_credits(books):
    app, inv = books
    _import(app, _statement([("700.00", "TX1", "Someone", "", inv["c"].payment_reference, "")]))  # 95.00 over
    run_matching(app.uow(), app.clock, COL)
    printable = printable_statement(app.uow(), COL, "C2", date(2026, 5, 31))
    doc = printable.statement
    assert [(i.number, i.kind.value, i.open.amount) for i in doc.items] == [
        (inv["d"].number, "invoice", Decimal("1210.00")),
        (doc.items[1].number, "payment", Decimal("-95.00")),
    ]
    assert doc.balance == Money.of("1115.00", "EUR")
    assert printable.buyer.name == "Liftwerk Janssens BV"
    assert printable.seller.number == "BE01"
