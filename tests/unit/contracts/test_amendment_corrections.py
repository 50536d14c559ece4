"""An amendment corrects billed periods by reversal and rebill, never by editing what was billed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from cashtrail.billing.charges import fee_charges
from cashtrail.contracts.model import Contract, MaintenanceUnit
from cashtrail.contracts.services import corrections, net
from cashtrail.contracts.terms import month_period
from cashtrail.money import Money

APRIL = month_period("2026-04")


def _lift(fee: str, *units: str) -> Contract:
    return Contract(
        number="LIFT-1",
        customer_number="C2",
        kind="maintenance",
        currency="EUR",
        start_date=date(2026, 1, 1),
        units=[MaintenanceUnit(u, "Tower", f"Lift {u}", Decimal(fee), date(2026, 1, 1)) for u in units],
    )


def test_a_fee_change_for_a_billed_month_is_reversed_and_rebilled():
    billed = fee_charges(_lift("205.00", "L1", "L2"), APRIL)
    # Amended back to 1 April: L1's fee rises to 215.00, L2 is removed from the contract.
    amended = replace(_lift("215.00", "L1"), version=2)
    lines = corrections(billed, fee_charges(amended, APRIL), version=2)
    assert [(c.key, c.amount) for c in lines] == [
        ("LIFT-1:2026-04:fee:L1:rev:v2", Money.of("-205.00", "EUR")),
        ("LIFT-1:2026-04:fee:L1:v2", Money.of("215.00", "EUR")),
        ("LIFT-1:2026-04:fee:L2:rev:v2", Money.of("-205.00", "EUR")),
    ]
    # Net effect: −205 + 215 − 205 = −195.00, i.e. a credit note of 410.00 and a rebill of 215.00.
    assert net(lines, "EUR") == Money.of("-195.00", "EUR")
    assert lines[0].description.startswith("Reversal:")


def test_an_unchanged_month_needs_no_correction():
    billed = fee_charges(_lift("205.00", "L1"), APRIL)
    assert corrections(billed, fee_charges(_lift("205.00", "L1"), APRIL), version=2) == []


def test_a_second_amendment_corrects_against_the_effective_amount():
    billed = fee_charges(_lift("205.00", "L1"), APRIL)
    first = corrections(billed, fee_charges(_lift("215.00", "L1"), APRIL), version=2)
    second = corrections(billed + first, fee_charges(_lift("210.00", "L1"), APRIL), version=3)
    # Effective after v2 is 215.00: reverse 215.00, rebill 210.00.
    assert [(c.key, c.amount) for c in second] == [
        ("LIFT-1:2026-04:fee:L1:rev:v3", Money.of("-215.00", "EUR")),
        ("LIFT-1:2026-04:fee:L1:v3", Money.of("210.00", "EUR")),
    ]
    assert corrections(billed + first + second, fee_charges(_lift("210.00", "L1"), APRIL), version=4) == []
