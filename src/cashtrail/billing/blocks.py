"""Billing blocks: why a charge, contract or customer is held back from invoicing, and how it is released.

Automatic blocks are found by :func:`detect_blocks` on every run; manual blocks are set by a person with a reason
and an owner. A block applies to a scope (``charge`` key, ``contract`` number or ``customer`` number); a charge
is billable only when no open block covers it, its contract or its customer. A release needs a reason; a block
with a ``release_on`` date releases itself on that date. Released charges flow into the next run, because a run
always bills every unbilled charge that is due, whenever it became due.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cashtrail.billing.charges import Charge, ServiceJob
from cashtrail.billing.meters import Usage, is_outlier
from cashtrail.contracts.model import Contract, ContractStatus
from cashtrail.contracts.terms import Period
from cashtrail.errors import InvalidState, ValidationFailed


class BlockReason(StrEnum):
    PO_MISSING = "po_missing"
    READ_MISSING = "read_missing"
    READ_ESTIMATED = "read_estimated"
    USAGE_OUTLIER = "usage_outlier"
    JOB_NOT_BACK_REPORTED = "job_not_back_reported"
    AMOUNT_OVER_THRESHOLD = "amount_over_threshold"
    CONTRACT_IN_AMENDMENT = "contract_in_amendment"
    PRICE_MISSING = "price_missing"
    MANUAL = "manual"


#: The release reason of automatic blocks whose condition cleared; any other release is a person's decision.
AUTO_RELEASE_REASON = "condition cleared on a later run"


class Scope(StrEnum):
    CHARGE = "charge"
    CONTRACT = "contract"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class Finding:
    """An automatic block found by a run: scope, target, reason, and a human detail."""

    scope: str
    target: str
    reason: str
    detail: str
    contract_number: str = ""


@dataclass(eq=False)
class Block:
    scope: str
    target: str
    reason: str
    detail: str
    owner: str
    created_at: datetime
    created_by: str
    contract_number: str = ""
    release_on: date | None = None
    released_at: datetime | None = None
    released_by: str | None = None
    release_reason: str | None = None
    automatic: bool = False
    id: int | None = None

    def overrides(self) -> bool:
        """True for an automatic block a person released: its condition no longer holds the charge."""
        return self.automatic and self.released_at is not None and self.release_reason != AUTO_RELEASE_REASON

    def is_open(self, today: date) -> bool:
        """Open until released, or until its release date has come."""
        return self.released_at is None and (self.release_on is None or today < self.release_on)

    def release(self, by: str, reason: str, at: datetime) -> None:
        """Release the block; a reason is required and a released block stays released."""
        if not reason.strip():
            raise ValidationFailed("a release needs a reason", code="block.release_reason_required")
        if self.released_at is not None:
            raise InvalidState(f"block {self.id} was already released", code="block.already_released")
        self.released_at, self.released_by, self.release_reason = at, by, reason.strip()


@dataclass(frozen=True)
class BlockPolicy:
    outlier_factor: Decimal = Decimal(3)
    allow_estimates: bool = True
    max_amount_per_customer: Decimal | None = None  # per run, in the customer's currency


def detect_blocks(
    contract: Contract,
    month: Period,
    charges: Sequence[Charge],
    usage: Mapping[tuple[str, str], Usage],
    history: Mapping[tuple[str, str], Sequence[int]],
    jobs: Sequence[ServiceJob],
    policy: BlockPolicy,
) -> list[Finding]:
    """Every automatic block for one contract's run month."""
    found: list[Finding] = []

    def add(scope: Scope, target: str, reason: BlockReason, detail: str) -> None:
        found.append(Finding(scope, target, reason, detail, contract.number))

    if contract.po_required and not (contract.po_number or "").strip():
        add(Scope.CONTRACT, contract.number, BlockReason.PO_MISSING, "the contract requires a PO number")
    if contract.status == ContractStatus.IN_AMENDMENT:
        add(Scope.CONTRACT, contract.number, BlockReason.CONTRACT_IN_AMENDMENT, "the contract is being amended")
    found += _meter_findings(contract, month, charges, usage, history, policy)
    for job in jobs:
        if not job.back_reported and job.completed_on <= month.end:
            add(
                Scope.CONTRACT,
                f"{contract.number}:job:{job.job_id}",
                BlockReason.JOB_NOT_BACK_REPORTED,
                f"job {job.job_id} on {job.unit_id} is not fully back-reported",
            )
    return found


def _meter_findings(
    contract: Contract,
    month: Period,
    charges: Sequence[Charge],
    usage: Mapping[tuple[str, str], Usage],
    history: Mapping[tuple[str, str], Sequence[int]],
    policy: BlockPolicy,
) -> list[Finding]:
    found: list[Finding] = []
    for device in contract.devices:
        if not month.overlap_days(device.installed_on, device.removed_on):
            continue
        for meter in device.meters:
            where = f"{device.serial}/{meter}"
            if contract.plan_for(meter) is None:
                found.append(
                    Finding(
                        Scope.CONTRACT,
                        contract.number,
                        BlockReason.PRICE_MISSING,
                        f"no rate for meter {meter} of {device.serial}",
                        contract.number,
                    )
                )
                continue
            reason, detail = _read_problem(
                usage.get((device.serial, meter)), history.get((device.serial, meter), ()), policy
            )
            if reason is None:
                continue
            # Hold every usage line the meter feeds; with none, record the problem on its own key for the worklist.
            keys = [c.key for c in charges if c.covers_meter(device.serial, meter)]
            keys = keys or [f"{contract.number}:{month.label()}:reads:{device.serial}:{meter}"]
            found += [Finding(Scope.CHARGE, key, reason, f"{where}: {detail}", contract.number) for key in keys]
    return found


def _read_problem(used: Usage | None, history: Sequence[int], policy: BlockPolicy) -> tuple[BlockReason | None, str]:
    if used is None or used.closing is None:
        return BlockReason.READ_MISSING, "no closing meter read for the month"
    if used.units < 0:
        return BlockReason.READ_MISSING, f"reads go backwards ({used.explain()}); a valid read is missing"
    if used.estimated and not policy.allow_estimates:
        return BlockReason.READ_ESTIMATED, "the closing read is estimated and the policy bills only real reads"
    if is_outlier(used.units, history, policy.outlier_factor):
        return BlockReason.USAGE_OUTLIER, f"{used.units} pages is over {policy.outlier_factor} × the trailing average"
    return None, ""


def amount_findings(totals_by_customer: Mapping[str, Decimal], policy: BlockPolicy) -> list[Finding]:
    """Customers whose run total exceeds the policy threshold."""
    limit = policy.max_amount_per_customer
    if limit is None:
        return []
    return [
        Finding(
            Scope.CUSTOMER,
            customer,
            BlockReason.AMOUNT_OVER_THRESHOLD,
            f"run total {total} exceeds the threshold {limit}",
        )
        for customer, total in sorted(totals_by_customer.items())
        if total > limit
    ]


def is_blocked(charge: Charge, open_targets: Collection[tuple[str, str]]) -> bool:
    """True when an open block covers the charge, its contract, or its customer."""
    return (
        (Scope.CHARGE, charge.key) in open_targets
        or (Scope.CONTRACT, charge.contract_number) in open_targets
        or (Scope.CUSTOMER, charge.customer_number) in open_targets
    )


def open_targets(blocks: Iterable[Block], findings: Iterable[Finding], today: date) -> set[tuple[str, str]]:
    """The (scope, target) pairs held this run: open stored blocks plus this run's automatic findings."""
    held = {(b.scope, b.target) for b in blocks if b.is_open(today)}
    held |= {(f.scope, f.target) for f in findings}
    return held
