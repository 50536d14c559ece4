"""Calculation rules beyond the worked examples: pooling, pricing, trace and refusal without a set-up."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from cashtrail.contracts.model import Contract, Device
from cashtrail.contracts.model import Pooling as ContractPooling
from cashtrail.contracts.terms import Period
from cashtrail.errors import InvalidState
from cashtrail.money import Money
from cashtrail.toner.calculation import reconcile
from cashtrail.toner.errors import NoSetupError
from cashtrail.toner.model import (
    ExcessPricing,
    Pooling,
    ReconciliationPeriod,
    TonerColour,
    check_setup,
    terms_from_contract,
)
from tests.unit.toner.builders import bill, data, part, setup, ship

BLACK = TonerColour.BLACK
K1 = part("K1", pages=10_000, cost="80")
Q4_DAY = date(2025, 12, 1)
LATE = date(2026, 3, 1)


def test_per_device_pooling_sums_only_the_positive_device_excesses() -> None:
    result = reconcile(
        data(
            shipments=[ship("SH1", "K1", 3, serial="S1"), ship("SH2", "K1", 1, serial="S2")],
            billing=[bill(10_000, serial="S1"), bill(40_000, serial="S2")],
            parts=[K1],
            setups=[setup(pooling=Pooling.PER_DEVICE, tolerance_percent=Decimal(0))],
        )
    )
    black = result.colour(BLACK)
    assert black is not None
    assert [d.excess_pages for d in black.devices] == [20_000, 0]
    assert black.excess_pages == 20_000
    assert black.charge == Money.of("160.00", "EUR")
    assert black.excess_cartridges == Decimal("2.00")


def test_pooling_per_agreement_lets_one_device_offset_another() -> None:
    result = reconcile(
        data(
            shipments=[ship("SH1", "K1", 3, serial="S1"), ship("SH2", "K1", 1, serial="S2")],
            billing=[bill(10_000, serial="S1"), bill(40_000, serial="S2")],
            parts=[K1],
            setups=[setup(tolerance_percent=Decimal(0))],
        )
    )
    black = result.colour(BLACK)
    assert black is not None
    assert black.excess_pages == 0
    assert black.devices == ()


def test_markup_is_applied_on_top_of_the_cost_per_yield_page() -> None:
    result = reconcile(
        data(
            shipments=[ship("SH1", "K1", 15)],
            billing=[bill(120_000)],
            parts=[K1],
            setups=[setup(markup_percent=Decimal("12.5"))],
        )
    )
    assert result.total_charge == Money.of("162.00", "EUR")  # 18,000 pages × 0.008 × 1.125


def test_per_cartridge_pricing_charges_cartridge_equivalents_at_the_fixed_price() -> None:
    result = reconcile(
        data(
            shipments=[ship("SH1", "K1", 15)],
            billing=[bill(120_000)],
            parts=[K1],
            setups=[setup(pricing=ExcessPricing.PER_CARTRIDGE, price_per_cartridge=Decimal("99.99"))],
        )
    )
    assert result.total_charge == Money.of("179.98", "EUR")  # 1.8 cartridges × 99.99 = 179.982


def test_fixed_spare_allowance_is_added_to_the_tolerance() -> None:
    result = reconcile(
        data(
            shipments=[ship("SH1", "K1", 15)],
            billing=[bill(120_000)],
            parts=[K1],
            setups=[setup(spare_allowance_pages=10_000)],
        )
    )
    black = result.colour(BLACK)
    assert black is not None
    assert black.tolerance == 22_000
    assert black.excess_pages == 8_000


def test_a_result_carries_the_shipment_and_billing_rows_it_came_from() -> None:
    shipments = [ship("SH1", "K1", 2), ship("SH2", "K1", 1, on=Q4_DAY)]
    billing = [bill(20_000)]
    result = reconcile(data(shipments=shipments, billing=billing, parts=[K1]))
    black = result.colour(BLACK)
    assert black is not None
    assert black.shipments == (shipments[0],)
    assert black.billing == (billing[0],)


def test_an_excess_with_a_missing_cost_cannot_be_priced() -> None:
    late_price = part("K1", pages=10_000, cost="80", since=LATE)
    result = reconcile(data(shipments=[ship("SH1", "K1", 15)], billing=[bill(120_000)], parts=[late_price]))
    black = result.colour(BLACK)
    assert black is not None
    assert black.excess_pages == 18_000
    assert black.charge is None
    assert result.total_charge is None


def test_reconciling_without_a_toner_setup_is_refused_with_a_stable_code() -> None:
    with pytest.raises(NoSetupError) as raised:
        reconcile(data(shipments=[], billing=[bill(1)], parts=[K1], setups=[setup(toner_included=False)]))
    assert isinstance(raised.value, InvalidState)
    assert raised.value.code == "toner.no_setup"


def test_setup_check_lists_every_problem() -> None:
    bad = setup(allowance_percent=Decimal(0), tolerance_percent=Decimal(-1), pricing=ExcessPricing.PER_CARTRIDGE)
    fields = {e.field for e in check_setup(bad)}
    assert fields == {"allowance_percent", "tolerance_percent", "price_per_cartridge"}
    assert check_setup(setup()) == []


def test_a_cost_in_another_currency_leaves_the_excess_unpriced_instead_of_raising() -> None:
    usd = replace(K1, currency="USD")
    result = reconcile(data(shipments=[ship("SH1", "K1", 15)], billing=[bill(120_000)], parts=[usd]))
    assert result.total_charge is None


def test_per_device_pooling_compares_shipments_without_serial_with_pages_without_serial() -> None:
    result = reconcile(
        data(
            shipments=[ship("SH1", "K1", 1, serial="S1"), ship("SH2", "K1", 2)],
            billing=[bill(10_000, serial="S1"), bill(10_000)],
            parts=[K1],
            setups=[setup(pooling=Pooling.PER_DEVICE, tolerance_percent=Decimal(0))],
        )
    )
    black = result.colour(BLACK)
    assert black is not None
    assert [(d.serial, d.excess_pages) for d in black.devices] == [("S1", 0), (None, 10_000)]
    assert black.charge == Money.of("80.00", "EUR")


def test_contract_terms_are_read_from_the_contract_aggregate() -> None:
    contract = Contract(
        number="MPS-1",
        customer_number="C1",
        kind="mps",
        currency="EUR",
        start_date=date(2026, 1, 1),
        toner_included=True,
        coverage_allowance_percent=Decimal(6),
        toner_reconciliation_period="half_yearly",
        pooling=ContractPooling.PER_DEVICE,
        devices=[Device("S1", "M400", "HQ", date(2026, 1, 1))],
    )
    read = terms_from_contract(contract)
    assert (read.agreement, read.toner_included, read.allowance_percent) == ("MPS-1", True, Decimal(6))
    assert read.pooling == Pooling.PER_DEVICE
    assert (read.tolerance_percent, read.period) == (None, ReconciliationPeriod.HALF_YEARLY)
    assert terms_from_contract(replace(contract, toner_reconciliation_period=None)).period is None
    assert [d.serial for d in read.devices] == ["S1"]


def test_the_reconciliation_period_follows_the_setup_frequency() -> None:
    half_yearly = setup(period=ReconciliationPeriod.HALF_YEARLY)
    assert half_yearly.period_containing(date(2026, 8, 15), date(2026, 1, 1)) == Period(
        date(2026, 7, 1), date(2026, 12, 31)
    )
