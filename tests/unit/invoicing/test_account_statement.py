"""Statements of account: balance, days overdue and aging agree with the AR aging report; inconsistent items are
refused."""

from __future__ import annotations

from datetime import date

import pytest

from cashtrail.analytics.aging import OpenItem, age_items
from cashtrail.errors import ValidationFailed
from cashtrail.invoicing.account_statement import ItemKind
from cashtrail.money import Money
from tests.factories import account_statement


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def test_the_balance_is_the_sum_of_the_open_amounts() -> None:
    s = account_statement()

    # 1815 + 1210 + 605 - 121 + 3025 - 500 + 594.40
    assert s.balance == eur("6628.40")


def test_days_overdue_count_from_the_due_date_and_only_for_invoices() -> None:
    s = account_statement()
    days = {item.number: s.days_overdue(item) for item in s.items}

    assert days["INV-BE-2025-000912"] == 123  # due 2025-12-28, as of 2026-04-30
    assert days["INV-BE-2026-000044"] == 60
    assert days["INV-BE-2026-000190"] == 0  # due today
    assert days["INV-BE-2026-000244"] == 0  # not yet due
    assert days["CN-BE-2026-000007"] == 0  # a credit is never overdue
    assert days["PAY-2026-04-17-03"] == 0


def test_the_overdue_amount_is_the_open_amount_of_invoices_past_due() -> None:
    assert account_statement().overdue == eur("3630.00")  # 1815 + 1210 + 605


def test_the_aging_buckets_are_those_of_the_ar_aging_report_and_sum_to_the_balance() -> None:
    s = account_statement()
    report = age_items((OpenItem(i.number, i.due_date, i.open) for i in s.items), s.as_of)

    amounts = {b.label: s.aging_amount(b.label) for b in s.buckets}
    assert amounts == {label: report.amount("EUR", label) for label in report.scheme.labels}
    assert amounts["current"] == eur("3619.40")
    assert amounts["1-30"] == eur("-500.00")
    assert amounts["31-60"] == eur("1694.00")  # 1210 + 605 - 121
    assert amounts["121+"] == eur("1815.00")
    assert sum(a.amount for a in amounts.values()) == s.balance.amount


def test_an_empty_statement_has_a_zero_balance() -> None:
    s = account_statement(items=())

    assert s.balance == eur("0")
    assert s.overdue == eur("0")


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (("INV-1", "invoice", date(2026, 4, 1), date(2026, 5, 1), "100.00", "-10.00"), "open"),
        (("INV-1", "invoice", date(2026, 4, 1), date(2026, 5, 1), "100.00", "0.00"), "open"),
        (("INV-1", "invoice", date(2026, 4, 1), date(2026, 5, 1), "100.00", "120.00"), "open"),
        (("CN-1", "credit_note", date(2026, 4, 1), date(2026, 4, 1), "50.00", "50.00"), "open"),
        (("INV-1", "invoice", date(2026, 5, 2), date(2026, 6, 1), "100.00", "100.00"), "issue_date"),
        (("INV-1", "invoice", date(2026, 4, 1), date(2026, 3, 1), "100.00", "100.00"), "due_date"),
    ],
)
def test_an_inconsistent_item_is_refused(item: tuple, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        account_statement(items=(item,))

    assert caught.value.code == "invoicing.statement_mismatch"
    assert [e.field for e in caught.value.errors] == [field]


def test_an_item_in_another_currency_is_refused() -> None:
    from cashtrail.invoicing.account_statement import AccountStatement, StatementItem

    item = StatementItem("INV-1", ItemKind.INVOICE, date(2026, 4, 1), date(2026, 5, 1), eur("1"), Money.of("1", "USD"))
    with pytest.raises(ValidationFailed):
        AccountStatement("C1", date(2026, 4, 30), "EUR", (item,))


def test_the_same_document_twice_is_refused() -> None:
    row = ("INV-1", "invoice", date(2026, 4, 1), date(2026, 5, 1), "100.00", "100.00")

    with pytest.raises(ValidationFailed):
        account_statement(items=(row, row))
