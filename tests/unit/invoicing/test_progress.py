"""Progress statements of repair and modernisation jobs: the figures reconcile, and an inconsistent one is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from cashtrail.errors import ValidationFailed
from cashtrail.invoicing.progress import ProgressStage, progress_problems
from cashtrail.money import CurrencyMismatchError, Money
from tests.factories import progress_statement


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def test_billed_to_date_is_the_previous_stages_plus_this_statement() -> None:
    s = progress_statement()

    assert s.previously_billed == eur("47520.00")  # 25 920 + 21 600
    assert s.this_statement == eur("17280.00")
    assert s.billed_to_date == eur("64800.00")
    assert s.remaining == eur("21600.00")
    assert s.billed_to_date + s.remaining == s.contract_value


def test_progress_is_the_share_of_the_contract_billed_to_date() -> None:
    s = progress_statement()

    assert s.percent_complete == Decimal("75.00")  # 64 800 / 86 400
    assert [s.share(stage.amount) for stage in s.stages] == [Decimal("30.00"), Decimal("25.00"), Decimal("20.00")]
    assert s.stages[-1] is s.current


def test_shares_are_rounded_half_up_to_two_decimals() -> None:
    s = progress_statement(
        contract_value="30000.00",
        previous=(),
        current=("Survey and design", "INV-1", date(2026, 4, 1), "10000.00"),
    )

    assert s.percent_complete == Decimal("33.33")
    assert s.share(eur("5.00")) == Decimal("0.02")  # 0.01666… rounds up


def test_a_job_cannot_be_billed_beyond_its_contract_value() -> None:
    with pytest.raises(ValidationFailed) as caught:
        progress_statement(contract_value="60000.00")

    assert caught.value.code == "invoicing.progress_mismatch"
    assert [e.field for e in caught.value.errors] == ["billed_to_date"]


def test_billing_exactly_the_contract_value_leaves_nothing_to_bill() -> None:
    s = progress_statement(contract_value="64800.00")

    assert s.remaining == eur("0.00")
    assert s.percent_complete == Decimal("100.00")


def test_every_problem_is_listed() -> None:
    s = progress_statement()
    late = replace(s.current, invoice_number=s.previous[0].invoice_number, invoice_date=date(2026, 5, 2))

    problems = progress_problems(_raw(s, late))

    assert {p.field for p in problems} == {"invoice_date", "invoice_number"}


def _raw(statement, current):
    """The statement with another current stage, bypassing the constructor's check (to list its problems)."""
    clone = object.__new__(type(statement))
    for name in statement.__slots__:
        object.__setattr__(clone, name, getattr(statement, name))
    object.__setattr__(clone, "current", current)
    return clone


def test_amounts_in_another_currency_are_refused() -> None:
    s = progress_statement()
    usd_stage = ProgressStage("Extra", "INV-9", date(2026, 4, 1), Money.of("100.00", "USD"))

    with pytest.raises((ValidationFailed, CurrencyMismatchError)):
        replace(s, previous=(*s.previous, usd_stage))


def test_an_amount_with_more_decimals_than_the_currency_is_refused() -> None:
    s = progress_statement()

    with pytest.raises(ValidationFailed):
        replace(s, current=replace(s.current, amount=eur("17280.005")))


def test_a_zero_contract_value_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        progress_statement(contract_value="0.00", previous=(), current=("x", "INV-1", date(2026, 4, 1), "0.00"))
