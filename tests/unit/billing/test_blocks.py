"""Every automatic block reason, manual blocks, and releases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cashtrail.billing.blocks import (
    Block,
    BlockPolicy,
    BlockReason,
    Scope,
    amount_findings,
    detect_blocks,
    is_blocked,
    open_targets,
)
from cashtrail.billing.callouts import CalloutTerms, RateClass
from cashtrail.billing.charges import ServiceJob, fee_charges, usage_charges
from cashtrail.billing.meters import MeterRead, ReadKind, usage_between
from cashtrail.billing.usage import Tier
from cashtrail.contracts.model import Contract, ContractStatus, Device, MeterPlan, Pooling
from cashtrail.contracts.terms import month_period
from cashtrail.errors import InvalidState, ValidationFailed

APRIL = month_period("2026-04")
NOW = datetime(2026, 5, 1, 8, tzinfo=UTC)
PLAN = MeterPlan("mono", (Tier(None, Decimal("0.01")),))


def _contract(**overrides: object) -> Contract:
    contract = Contract(
        number="MPS-1",
        customer_number="C1",
        kind="mps",
        currency="EUR",
        start_date=date(2026, 1, 1),
        meter_plans=[PLAN],
        pooling=Pooling.PER_DEVICE,
        devices=[Device("S1", "MX", "HQ", date(2026, 1, 1)), Device("S2", "MX", "HQ", date(2026, 1, 1))],
    )
    for name, value in overrides.items():
        setattr(contract, name, value)
    return contract


def _reads(close: dict[str, int], kind: str = ReadKind.ACTUAL):
    return {
        (s, "mono"): usage_between([MeterRead(date(2026, 3, 31), 0), MeterRead(date(2026, 4, 30), n, kind=kind)], APRIL)
        for s, n in close.items()
    }


def _detect(contract: Contract, usage, history=None, jobs=(), policy=BlockPolicy()):
    charges = usage_charges(contract, APRIL, usage)
    return charges, detect_blocks(contract, APRIL, charges, usage, history or {}, list(jobs), policy)


def test_a_clean_contract_has_no_blocks():
    _, found = _detect(_contract(), _reads({"S1": 1000, "S2": 2000}))
    assert found == []


def test_a_missing_po_number_blocks_the_contract():
    _, found = _detect(_contract(po_required=True), _reads({"S1": 1000, "S2": 2000}))
    assert [(f.scope, f.target, f.reason) for f in found] == [(Scope.CONTRACT, "MPS-1", BlockReason.PO_MISSING)]
    _, clean = _detect(_contract(po_required=True, po_number="PO-778"), _reads({"S1": 1000, "S2": 2000}))
    assert clean == []


def test_a_contract_in_amendment_is_held():
    _, found = _detect(_contract(status=ContractStatus.IN_AMENDMENT), _reads({"S1": 1, "S2": 1}))
    assert [f.reason for f in found] == [BlockReason.CONTRACT_IN_AMENDMENT]


def test_a_missing_read_holds_only_that_device_and_is_listed_even_without_a_charge():
    charges, found = _detect(_contract(), _reads({"S1": 1000}))
    assert [(f.target, f.reason) for f in found] == [("MPS-1:2026-04:reads:S2:mono", BlockReason.READ_MISSING)]
    assert not any(is_blocked(c, {(f.scope, f.target) for f in found}) for c in charges)


def test_an_estimated_read_is_held_when_the_policy_bills_only_real_reads():
    usage = _reads({"S1": 1000, "S2": 2000}, kind=ReadKind.ESTIMATED)
    assert _detect(_contract(), usage)[1] == []
    charges, found = _detect(_contract(), usage, policy=BlockPolicy(allow_estimates=False))
    assert {f.reason for f in found} == {BlockReason.READ_ESTIMATED}
    assert all(is_blocked(c, {(f.scope, f.target) for f in found}) for c in charges)


def test_an_outlier_holds_the_usage_line_of_that_device():
    charges, found = _detect(
        _contract(),
        _reads({"S1": 40_000, "S2": 2_000}),
        history={("S1", "mono"): [9_000, 10_000, 11_000], ("S2", "mono"): [2_000] * 3},
    )
    held = {(f.scope, f.target) for f in found}
    assert [f.reason for f in found] == [BlockReason.USAGE_OUTLIER]
    assert [c.asset for c in charges if is_blocked(c, held)] == ["S1"]


def test_pooled_usage_is_held_whole_when_one_device_has_no_read():
    contract = _contract(pooling=Pooling.POOLED)
    charges, found = _detect(contract, _reads({"S1": 1000}))
    held = {(f.scope, f.target) for f in found}
    assert charges
    assert all(is_blocked(c, held) for c in charges)


def test_a_meter_without_a_rate_is_a_missing_price():
    contract = _contract(devices=[Device("S1", "MX-C", "HQ", date(2026, 1, 1), meters=("mono", "colour"))])
    _, found = _detect(contract, _reads({"S1": 1000}))
    assert [(f.scope, f.reason) for f in found] == [(Scope.CONTRACT, BlockReason.PRICE_MISSING)]


def test_a_job_not_fully_back_reported_is_listed():
    contract = _contract(callout_terms=CalloutTerms(normal_hourly_rate=Decimal(80)))
    job = ServiceJob("J9", "MPS-1", "S1", "breakdown", date(2026, 4, 20), {RateClass.NORMAL: 30}, back_reported=False)
    _, found = _detect(contract, _reads({"S1": 1, "S2": 1}), jobs=[job])
    assert [(f.target, f.reason) for f in found] == [("MPS-1:job:J9", BlockReason.JOB_NOT_BACK_REPORTED)]


def test_a_customer_over_the_amount_threshold_is_held():
    policy = BlockPolicy(max_amount_per_customer=Decimal("10000"))
    found = amount_findings({"C1": Decimal("10000.01"), "C2": Decimal("10000")}, policy)
    assert [(f.scope, f.target, f.reason) for f in found] == [(Scope.CUSTOMER, "C1", BlockReason.AMOUNT_OVER_THRESHOLD)]


def test_a_manual_customer_block_holds_every_charge_until_released_with_a_reason():
    block = Block(Scope.CUSTOMER, "C1", BlockReason.MANUAL, "stop invoices: credit review", "ann", NOW, "ann")
    charges = fee_charges(_contract(base_fee_per_device=Decimal(45)), APRIL)
    assert all(is_blocked(c, open_targets([block], [], date(2026, 5, 1))) for c in charges)
    with pytest.raises(ValidationFailed):
        block.release("bob", " ", NOW)
    block.release("bob", "credit review done", NOW)
    assert not any(is_blocked(c, open_targets([block], [], date(2026, 5, 1))) for c in charges)
    with pytest.raises(InvalidState):
        block.release("bob", "again", NOW)


def test_a_block_with_a_release_date_releases_itself_on_that_date():
    block = Block(
        Scope.CONTRACT,
        "MPS-1",
        BlockReason.MANUAL,
        "hold until renewal",
        "ann",
        NOW,
        "ann",
        release_on=date(2026, 6, 1),
    )
    assert block.is_open(date(2026, 5, 31))
    assert not block.is_open(date(2026, 6, 1))


def test_reads_going_backwards_hold_the_device_instead_of_failing_the_run():
    usage = {
        ("S1", "mono"): usage_between(
            [MeterRead(date(2026, 3, 31), 5_000), MeterRead(date(2026, 4, 30), 4_000)], APRIL
        ),
        ("S2", "mono"): usage_between([MeterRead(date(2026, 3, 31), 0), MeterRead(date(2026, 4, 30), 900)], APRIL),
    }
    charges, found = _detect(_contract(), usage)
    assert [(f.reason, f.detail.split(":")[0]) for f in found] == [(BlockReason.READ_MISSING, "S1/mono")]
    assert [c.asset for c in charges if not is_blocked(c, {(f.scope, f.target) for f in found})] == ["S2"]
