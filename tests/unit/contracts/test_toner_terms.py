"""The toner terms an MPS contract states: its reconciliation period is one of the set-up's periods, or silent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.billing.usage import Tier
from cashtrail.contracts.model import Contract, MeterPlan, TonerPeriod, check_contract


def mps(period: str | None) -> Contract:
    return Contract(
        number="MPS-1",
        customer_number="C1",
        kind="mps",
        currency="EUR",
        start_date=date(2026, 1, 1),
        toner_included=True,
        coverage_allowance_percent=Decimal(5),
        toner_reconciliation_period=period,
        meter_plans=[MeterPlan("mono", (Tier(None, Decimal("0.01")),))],
    )


@pytest.mark.parametrize("period", [*TonerPeriod, None])
def test_a_contract_states_a_set_up_period_or_is_silent_on_it(period: str | None) -> None:
    assert check_contract(mps(period)) == []


@pytest.mark.parametrize("period", ["monthly", "Quarterly", ""])
def test_any_other_toner_reconciliation_period_is_refused_naming_the_field(period: str) -> None:
    [error] = check_contract(mps(period))
    assert (error.field, error.value) == ("toner_reconciliation_period", period)
    assert error.message == "must be one of quarterly, half_yearly, yearly"


def test_the_contracts_toner_periods_are_the_setups_reconciliation_periods() -> None:
    from cashtrail.toner.model import ReconciliationPeriod

    assert [p.value for p in TonerPeriod] == [p.value for p in ReconciliationPeriod]
