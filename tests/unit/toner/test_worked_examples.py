"""The three worked examples of docs/domain/toner.md, to the cent."""

from __future__ import annotations

from decimal import Decimal

from cashtrail.money import Money
from cashtrail.toner.calculation import reconcile
from cashtrail.toner.model import ShipmentStatus, TonerColour
from tests.unit.toner.builders import bill, data, part, setup, ship

BLACK, CYAN = TonerColour.BLACK, TonerColour.CYAN


def test_mono_with_a_return_and_a_defective_replacement_bills_eur_64() -> None:
    shipments = [
        ship("SH1", "X", 15),
        ship("SH2", "X", 1, status=ShipmentStatus.RETURNED),
        ship("SH3", "X", 1, status=ShipmentStatus.DEFECTIVE_REPLACEMENT),
    ]
    result = reconcile(
        data(
            shipments=shipments,
            billing=[bill(120_000)],
            parts=[part("X", pages=10_000, cost="80")],
            setups=[setup(reference_parts={BLACK: "X"})],
        )
    )
    black = result.colour(BLACK)
    assert black is not None
    assert black.capacity_shipped == 140_000
    assert black.capacity_expected == 120_000
    assert black.tolerance == 12_000
    assert black.excess_pages == 8_000
    assert black.cost_per_yield_page == Decimal("0.008")
    assert black.excess_cartridges == Decimal("0.80")
    assert black.charge == Money.of("64.00", "EUR")
    assert black.effective_coverage_percent == Decimal("5.83")
    assert result.total_charge == Money.of("64.00", "EUR")


def test_colour_bills_the_cyan_excess_and_never_credits_black_under_consumption() -> None:
    result = reconcile(
        data(
            shipments=[ship("SH1", "C1", 8), ship("SH2", "K1", 7)],
            billing=[bill(50_000, 30_000)],
            parts=[part("C1", colour=CYAN, pages=6_000, cost="120"), part("K1", pages=12_000, cost="90")],
            setups=[
                setup(
                    allowance_percent=Decimal(6),
                    tolerance_percent=Decimal(0),
                    reference_parts={BLACK: "K1", CYAN: "C1"},
                )
            ],
        )
    )
    cyan, black = result.colour(CYAN), result.colour(BLACK)
    assert cyan is not None
    assert black is not None
    assert (cyan.capacity_expected, cyan.capacity_shipped, cyan.excess_pages) == (36_000, 48_000, 12_000)
    assert cyan.excess_cartridges == Decimal("2.00")
    assert cyan.charge == Money.of("240.00", "EUR")
    assert (black.capacity_expected, black.capacity_shipped) == (96_000, 84_000)
    assert black.excess_pages == 0
    assert black.charge == Money.of("0.00", "EUR")
    assert black.shortfall_pages == 12_000
    assert result.total_charge == Money.of("240.00", "EUR")


def test_mixed_parts_use_the_capacity_weighted_cost_and_round_once_to_eur_168_70() -> None:
    result = reconcile(
        data(
            shipments=[ship("SH1", "S", 10), ship("SH2", "H", 12)],
            billing=[bill(200_000)],
            parts=[part("S", pages=5_000, cost="50"), part("H", pages=15_000, cost="120")],
            setups=[setup(tolerance_percent=Decimal(5), reference_parts={BLACK: "S"})],
        )
    )
    black = result.colour(BLACK)
    assert black is not None
    assert black.capacity_shipped == 230_000
    assert (black.capacity_expected, black.tolerance, black.excess_pages) == (200_000, 10_000, 20_000)
    assert black.cost_per_yield_page == Decimal(1940) / Decimal(230_000)
    assert black.raw_charge is not None
    assert black.raw_charge.amount.quantize(Decimal("0.0001")) == Decimal("168.6957")
    assert black.charge == Money.of("168.70", "EUR")
