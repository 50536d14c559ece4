"""Index escalation with real published index values.

Index values are INSEE's monthly construction-contract indices as republished on
https://cabinet-mlveo.fr/les-infos-du-jour/indices-divers-de-la-construction-annee-2024 :
FD (frais divers) January 2024 = 116.8, July 2024 = 120.2; MABTSO (matériel bâtiment second œuvre)
January 2024 = 123.3, July 2024 = 120.7. The clause indexes 60 % on FD and 25 % on MABTSO.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.contracts.escalation import (
    EscalationClause,
    check_clause,
    escalation_factor,
    reference_month,
    revision_dates,
)
from cashtrail.money import Money

CLAUSE = EscalationClause(
    a=Decimal("0.15"),
    b=Decimal("0.60"),
    c=Decimal("0.25"),
    labour_series="FD",
    materials_series="MABTSO",
    base_month="2024-01",
    anniversary=date(2024, 8, 1),
)


def test_a_fee_escalates_by_the_real_indices_of_the_reference_month():
    # 0.15 + 0.60 × 120.2/116.8 + 0.25 × 120.7/123.3 = 0.15 + 0.617466 + 0.244728 = 1.012194 → 1.0122
    result = escalation_factor(CLAUSE, Decimal("120.2"), Decimal("116.8"), Decimal("120.7"), Decimal("123.3"))
    assert result.factor == Decimal("1.0122")
    assert not result.capped
    # Yearly maintenance fee 2,450.00 → 2,479.89; a non-standard hourly rate 78.00 → 78.95.
    assert Money(Decimal("2450.00") * result.factor, "EUR").rounded() == Money.of("2479.89", "EUR")
    assert Money(Decimal("78.00") * result.factor, "EUR").rounded() == Money.of("78.95", "EUR")
    assert "0.60 × 120.2/116.8" in result.explanation


def test_a_cap_bounds_the_rise_and_a_floor_the_fall():
    capped = EscalationClause(**{**CLAUSE.__dict__, "cap_percent": Decimal(1), "floor_percent": Decimal(0)})
    up = escalation_factor(capped, Decimal("120.2"), Decimal("116.8"), Decimal("120.7"), Decimal("123.3"))
    assert (up.factor, up.capped) == (Decimal("1.01"), True)
    assert Money(Decimal("2450.00") * up.factor, "EUR").rounded() == Money.of("2474.50", "EUR")
    # Materials fall alone (MABTSO Jan → Jul 2024, labour flat) would lower the price; the 0 % floor keeps it.
    down = escalation_factor(capped, Decimal("116.8"), Decimal("116.8"), Decimal("120.7"), Decimal("123.3"))
    assert down.raw_factor < 1
    assert down.factor == Decimal(1)


def test_coefficients_must_sum_to_one():
    bad = EscalationClause(**{**CLAUSE.__dict__, "c": Decimal("0.30")})
    assert [e.field for e in check_clause(bad)] == ["coefficients"]
    assert check_clause(CLAUSE) == []


def test_revisions_fall_on_each_anniversary_using_the_previous_month():
    assert revision_dates(CLAUSE, date(2026, 8, 1)) == [date(2024, 8, 1), date(2025, 8, 1), date(2026, 8, 1)]
    assert reference_month(date(2024, 8, 1)) == "2024-07"
