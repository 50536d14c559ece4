"""Charges for a run month, per contract kind."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.billing.callouts import CalloutTerms, RateClass
from cashtrail.billing.charges import ChargeKind, ServiceJob, fee_charges, job_charges, usage_charges
from cashtrail.billing.meters import MeterRead, usage_between
from cashtrail.billing.usage import Tier
from cashtrail.contracts.model import Contract, Device, FeeLine, MaintenanceUnit, MeterPlan, Pooling
from cashtrail.contracts.terms import Frequency, Timing, month_period
from cashtrail.money import Money

APRIL = month_period("2026-04")
MONO = MeterPlan(
    "mono",
    (Tier(20_000, Decimal("0.0090")), Tier(None, Decimal("0.0075"))),
    included_volume=2_000,
    minimum_charge=Decimal("250.00"),
)


def _mps(**overrides: object) -> Contract:
    contract = Contract(
        number="MPS-1",
        customer_number="C1",
        kind="mps",
        currency="EUR",
        start_date=date(2026, 1, 1),
        base_fee_per_device=Decimal("45.00"),
        meter_plans=[MONO],
        devices=[
            Device("S1", "MX-3071", "HQ", date(2026, 1, 10)),
            Device("S2", "MX-3071", "HQ", date(2026, 2, 1)),
            Device("S3", "MX-2651", "Depot", date(2026, 4, 21)),
        ],
    )
    for name, value in overrides.items():
        setattr(contract, name, value)
    return contract


def _usage(pages: dict[str, int]):
    return {
        (serial, "mono"): usage_between([MeterRead(date(2026, 3, 31), 0), MeterRead(date(2026, 4, 30), n)], APRIL)
        for serial, n in pages.items()
    }


def test_base_fees_are_prorated_for_a_device_installed_mid_month():
    fees = fee_charges(_mps(), APRIL)
    assert [(c.asset, c.amount) for c in fees] == [
        ("S1", Money.of("45.00", "EUR")),
        ("S2", Money.of("45.00", "EUR")),
        ("S3", Money.of("15.00", "EUR")),
    ]
    assert fees[2].formula == "base fee 45.00 × 10/30 days"
    assert fees[0].key == "MPS-1:2026-04:fee:S1"


def test_pooled_usage_is_rated_in_bands_and_topped_up_to_the_minimum():
    charges = usage_charges(_mps(), APRIL, _usage({"S1": 12_000, "S2": 9_500, "S3": 1_500}))
    assert [(c.kind, c.quantity, c.amount) for c in charges] == [
        (ChargeKind.USAGE, Decimal(20_000), Money.of("180.00", "EUR")),
        (ChargeKind.USAGE, Decimal(1_000), Money.of("7.50", "EUR")),
        (ChargeKind.SHORTFALL, Decimal(1), Money.of("62.50", "EUR")),
    ]
    assert charges[0].source["S1"] == "read 12000 on 2026-04-30 − read 0 on 2026-03-31 = 12000"


def test_per_device_pooling_rates_each_device_with_its_own_minimum():
    plan = MeterPlan("mono", (Tier(None, Decimal("0.01")),), minimum_charge=Decimal("50"))
    charges = usage_charges(
        _mps(pooling=Pooling.PER_DEVICE, meter_plans=[plan]), APRIL, _usage({"S1": 12_000, "S2": 1_000, "S3": 0})
    )
    totals = {}
    for charge in charges:
        totals[charge.asset] = totals.get(charge.asset, Decimal(0)) + charge.amount.amount
    assert totals == {"S1": Decimal("120.00"), "S2": Decimal("50.00"), "S3": Decimal("50.00")}


def test_quarterly_in_advance_maintenance_fees_escalate_and_bill_only_in_the_quarter_start_month():
    contract = Contract(
        number="LIFT-7",
        customer_number="C2",
        kind="maintenance",
        currency="EUR",
        start_date=date(2026, 1, 1),
        frequency=Frequency.QUARTERLY,
        timing=Timing.ADVANCE,
        units=[
            MaintenanceUnit("L1", "Tower A", "Lift A", Decimal("612.50"), date(2026, 1, 1)),
            MaintenanceUnit("L2", "Tower A", "Lift B", Decimal("612.50"), date(2026, 5, 16)),
        ],
    )
    april = fee_charges(contract, APRIL, escalation=Decimal("1.0122"))
    # Q2 = 91 days; Lift B active from 16 May = 46 days. 612.50 × 1.0122 = 619.9725.
    assert [(c.asset, c.amount) for c in april] == [
        ("L1", Money.of("619.97", "EUR")),
        ("L2", Money.of("313.39", "EUR")),
    ]
    assert fee_charges(contract, month_period("2026-05")) == []


def test_a_subscription_quantity_change_mid_month_is_prorated_by_segment():
    line = FeeLine(
        "SUB-1",
        "Cloud seats",
        "CLOUD-SEAT",
        Decimal("12.00"),
        ((date(2026, 1, 1), Decimal(10)), (date(2026, 4, 11), Decimal(25))),
    )
    contract = Contract(
        number="SUB-9",
        customer_number="C3",
        kind="subscription",
        currency="EUR",
        start_date=date(2026, 1, 1),
        fee_lines=[line],
    )
    [charge] = fee_charges(contract, APRIL)
    # 10 seats × 12.00 × 10/30 + 25 seats × 12.00 × 20/30 = 40.00 + 200.00
    assert charge.amount == Money.of("240.00", "EUR")
    assert charge.formula == "10 × 12.00 × 10/30 + 25 × 12.00 × 20/30"


def test_only_back_reported_jobs_completed_by_month_end_are_billed():
    terms = CalloutTerms(normal_hourly_rate=Decimal("80"), minimum_minutes=60, increment_minutes=15)
    contract = Contract(
        number="LIFT-7",
        customer_number="C2",
        kind="maintenance",
        currency="EUR",
        start_date=date(2026, 1, 1),
        callout_terms=terms,
    )
    jobs = [
        ServiceJob("J1", "LIFT-7", "L1", "breakdown", date(2026, 4, 3), {RateClass.NORMAL: 70}),
        ServiceJob("J2", "LIFT-7", "L1", "breakdown", date(2026, 4, 9), {RateClass.NORMAL: 30}, back_reported=False),
        ServiceJob("J3", "LIFT-7", "L1", "repair", date(2026, 5, 2), {RateClass.NORMAL: 30}),
    ]
    charges = job_charges(contract, jobs, APRIL, escalation=Decimal("1.0122"))
    # J1: 70 → 75 min at 80 × 1.0122 = 80.976/h → 1.25 h × 80.976 = 101.22
    assert [(c.key, c.kind, c.amount) for c in charges] == [
        ("LIFT-7:job:J1:0", ChargeKind.CALLOUT, Money.of("101.22", "EUR"))
    ]
    assert "escalated × 1.0122" in charges[0].formula
