"""Period labels, automatic board moves, finding identity across runs and excess charges for billing (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cashtrail.contracts.terms import Period
from cashtrail.errors import ValidationFailed
from cashtrail.toner.board import BoardStatus
from cashtrail.toner.calculation import reconcile
from cashtrail.toner.findings import FindingCode, TonerFinding
from cashtrail.toner.model import ExcessPricing, ReconciliationPeriod, ShipmentStatus, TonerColour
from cashtrail.toner.periods import parse_span, period_label, period_of_kind, periods_within
from cashtrail.toner.records import (
    FindingState,
    ReconciliationRecord,
    StoredFinding,
    excess_charges,
    fingerprint,
    stored_findings,
    summarize,
)
from cashtrail.toner.run_services import _auto_path
from tests.unit.toner.builders import bill, data, part, setup, ship

S = BoardStatus


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_span_labels_name_calendar_aligned_days_and_come_back_the_same(label, start, end) -> None:
    assert parse_span(label) == Period(start, end)
    assert period_label(parse_span(label)) == label.upper()


@pytest.mark.parametrize("label", ["Q1-2026", "2026-Q5", "2026-13", "26", ""])
def test_anything_else_is_a_bad_period(label) -> None:
    with pytest.raises(ValidationFailed, match="is not YYYY"):
        parse_span(label)


def test_a_year_holds_four_quarters_two_halves_and_one_year_and_a_half_holds_no_year() -> None:
    year = parse_span("2026")
    assert [period_label(p) for p in periods_within(year, ReconciliationPeriod.QUARTERLY)] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert len(periods_within(year, ReconciliationPeriod.HALF_YEARLY)) == 2
    assert periods_within(parse_span("2026-H1"), ReconciliationPeriod.YEARLY) == []
    assert period_label(period_of_kind(date(2026, 8, 9), ReconciliationPeriod.HALF_YEARLY)) == "2026-H2"


@pytest.mark.parametrize(
    ("current", "has_data", "has_findings", "path"),
    [
        (S.DATA_PENDING, False, True, []),
        (S.DATA_PENDING, True, False, [S.READY, S.CALCULATED]),
        (S.DATA_PENDING, True, True, [S.READY, S.CALCULATED, S.FINDINGS_OPEN]),
        (S.CALCULATED, True, True, [S.FINDINGS_OPEN]),
        (S.FINDINGS_OPEN, True, True, []),
        (S.FINDINGS_OPEN, False, True, [S.DATA_PENDING]),
        (S.CALCULATED, False, False, [S.DATA_PENDING]),
    ],
)
def test_a_run_moves_cards_forward_with_data_and_back_to_data_pending_without(
    current, has_data, has_findings, path
) -> None:
    assert _auto_path(current, has_data, has_findings) == path


def _finding(serial: str, code: FindingCode = FindingCode.MAPPING_ERROR) -> TonerFinding:
    return TonerFinding(code, "MPS-1", f"message about {serial}", (ship("S1", "X", 1, serial=serial),), serial)


def test_an_accepted_finding_stays_accepted_when_the_next_run_finds_it_again() -> None:
    accepted = StoredFinding(
        7, "mapping_error", "error", "m", "fix", "D1", [], fingerprint(_finding("D1")), FindingState.ACCEPTED, "ok",
        "tina", datetime(2026, 4, 2, tzinfo=UTC),
    )  # fmt: skip
    kept = stored_findings(7, [_finding("D1"), _finding("D2")], [accepted])
    assert [(f.serial, f.state) for f in kept] == [("D1", FindingState.ACCEPTED), ("D2", FindingState.OPEN)]
    assert kept[0].note == "ok"
    assert fingerprint(_finding("D1")) != fingerprint(_finding("D1", FindingCode.ASSET_NOT_ON_CONTRACT))


def _approved_example(**pricing: object) -> ReconciliationRecord:
    """Worked example 1 (8,000 excess pages of part X), approved, with the set-up's pricing terms as given."""
    result = reconcile(
        data(
            setups=[setup(reference_parts={TonerColour.BLACK: "X"}, **pricing)],
            parts=[part("X")],
            shipments=[ship("S1", "X", 15), ship("S2", "X", 1, status=ShipmentStatus.RETURNED)],
            billing=[bill(120_000)],
        )
    )
    return ReconciliationRecord(
        "MPS-1", date(2026, 1, 1), date(2026, 3, 31), "C1", "BE", "EUR", S.APPROVED, "tina", date(2026, 4, 30),
        datetime(2026, 4, 2, tzinfo=UTC), result=summarize(result),
    )  # fmt: skip


def test_an_approved_excess_becomes_one_billing_charge_per_colour_keyed_to_be_billed_once() -> None:
    [charge] = excess_charges(_approved_example())
    assert charge.key == "toner:MPS-1:2026-Q1:black"
    assert (charge.amount.amount, charge.amount.currency, charge.quantity) == (Decimal("64.00"), "EUR", 8000)
    assert charge.source == {"toner_reconciliation": "MPS-1@2026-Q1", "colour": "black"}


@pytest.mark.parametrize(
    ("pricing", "amount", "formula"),
    [
        (
            {"markup_percent": Decimal("12.5")},
            "72.00",
            "8000.0 excess yield pages × cost per yield page 0.008 (+ markup 12.5 %), rounded half-up once",
        ),
        (
            {"pricing": ExcessPricing.PER_CARTRIDGE, "price_per_cartridge": Decimal("95.000000")},  # stored scale
            "76.00",
            "0.80 cartridge equivalents × price per cartridge 95.00 EUR, rounded half-up once",
        ),
        (
            {"pricing": ExcessPricing.PER_CARTRIDGE, "price_per_cartridge": Decimal("95.125000")},
            "76.10",
            "0.80 cartridge equivalents × price per cartridge 95.125 EUR, rounded half-up once",
        ),
    ],
    ids=["cost_plus", "per_cartridge", "per_cartridge_fine_price"],
)
def test_the_charge_explanation_follows_the_set_ups_pricing(pricing, amount, formula) -> None:
    [charge] = excess_charges(_approved_example(**pricing))
    assert (charge.amount.amount, charge.formula) == (Decimal(amount), formula)
