from __future__ import annotations

from datetime import date

from cashtrail.cashapp.statements import (
    Balance,
    Entry,
    Statement,
    StatementFormat,
    TransactionDetail,
    check_statement,
    check_statements,
)
from cashtrail.money import Money

DAY = date(2026, 3, 31)


def _eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def _statement(
    *entries: Entry,
    opening: str | None = "100.00",
    closing: str | None = "150.00",
    declared: int | None = None,
    currency: str = "EUR",
) -> Statement:
    return Statement(
        format=StatementFormat.CAMT053,
        account="BE68539007547034",
        currency=currency,
        entries=entries,
        statement_id="S1",
        opening=Balance(_eur(opening), DAY) if opening is not None else None,
        closing=Balance(_eur(closing), DAY) if closing is not None else None,
        declared_entry_count=declared,
        source="test.xml",
    )


def test_a_statement_whose_balances_add_up_has_no_problems() -> None:
    statement = _statement(Entry(_eur("80.00"), DAY), Entry(_eur("-30.00"), DAY), declared=2)
    assert check_statement(statement) == []


def test_opening_plus_movements_must_equal_closing() -> None:
    (error,) = check_statement(_statement(Entry(_eur("80.00"), DAY)))
    assert error.field == "closing_balance"
    assert "opening 100.00 + movements 80.00 = 180.00, not the closing 150.00" in error.message
    assert error.source == "test.xml"


def test_continuity_is_not_checked_without_both_balances() -> None:
    assert check_statement(_statement(Entry(_eur("1.00"), DAY), opening=None)) == []


def test_declared_entry_count_must_match() -> None:
    (error,) = check_statement(_statement(Entry(_eur("50.00"), DAY), declared=2))
    assert error.field == "entry_count"
    assert "declares 2 entries but holds 1" in error.message


def test_a_batch_entry_must_detail_as_many_transactions_as_it_declares() -> None:
    batch = Entry(_eur("50.00"), DAY, details=(TransactionDetail(), TransactionDetail()), declared_count=3)
    (error,) = check_statement(_statement(batch))
    assert error.field == "entry.transaction_count"


def test_a_batch_without_details_is_not_a_count_problem() -> None:
    assert check_statement(_statement(Entry(_eur("50.00"), DAY, declared_count=9))) == []


def test_every_problem_is_reported_not_only_the_first() -> None:
    foreign = Entry(Money.of("50.00", "USD"), DAY)
    errors = check_statement(_statement(foreign, Entry(_eur("1"), DAY), declared=5))
    assert sorted(e.field for e in errors) == ["entry.amount", "entry_count"]


def test_check_statements_collects_over_several_statements() -> None:
    errors = check_statements([_statement(Entry(_eur("1"), DAY)), _statement(Entry(_eur("2"), DAY))])
    assert len(errors) == 2


def test_transaction_count_sums_details_over_entries() -> None:
    statement = _statement(Entry(_eur("50.00"), DAY, details=(TransactionDetail(), TransactionDetail())))
    assert statement.transaction_count() == 2
