"""The monthly bill run: compute every charge due, hold what is blocked, group the rest into draft invoices.

A run over month M for a shard of customers (or all of them) works set-based: it loads the shard's contracts,
their meter reads from 120 days before M to the end of M, their service jobs, the index series and the open
blocks once, computes in memory, and writes the drafts in bulk. It is idempotent: every charge has a stable key and
``billed_charges.key`` is unique, so a charge already billed is skipped and a re-run of the same month bills
nothing twice; a crashed run resumes where it stopped because each shard commits on its own. ``preview`` writes
nothing and returns the totals and the diff with the previous month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal

from cashtrail.billing.blocks import (
    Block,
    BlockPolicy,
    Finding,
    amount_findings,
    detect_blocks,
    is_blocked,
    open_targets,
)
from cashtrail.billing.charges import Charge, ChargeKind, ServiceJob, fee_charges, job_charges, usage_charges
from cashtrail.billing.grouping import Change, DraftInvoice, diff_runs, group_charges
from cashtrail.billing.meters import MeterRead, Usage, estimate_closing, monthly_usage, usage_between
from cashtrail.billing.pending import due_by
from cashtrail.contracts.escalation import escalation_factor, reference_month, revision_dates
from cashtrail.contracts.model import Contract
from cashtrail.contracts.reserve_fund import draw
from cashtrail.contracts.terms import Period, month_period
from cashtrail.errors import ValidationFailed
from cashtrail.money import Money

READ_WINDOW_DAYS = 120


@dataclass
class RunResult:
    period: str
    preview: bool
    contracts: int = 0
    drafts: list[DraftInvoice] = field(default_factory=list)
    held: list[tuple[Charge, list[str]]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    already_billed: int = 0
    diff: list[Change] = field(default_factory=list)
    rated: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (contract, month) → charge keys
    fund_draws: dict[str, Decimal] = field(default_factory=dict)  # amount drawn per customer this run

    def totals(self) -> dict[str, Decimal]:
        """Total of the drafts to be invoiced (not deferred), per currency."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for draft in self.drafts:
            if not draft.deferred:
                totals[draft.currency] += draft.total.amount
        return dict(sorted(totals.items()))

    def summary(self) -> dict[str, object]:
        """Counts and totals per currency, JSON-friendly."""
        return {
            "period": self.period,
            "preview": self.preview,
            "contracts": self.contracts,
            "drafts": sum(1 for d in self.drafts if not d.deferred),
            "deferred": sum(1 for d in self.drafts if d.deferred),
            "lines": sum(len(d.lines) for d in self.drafts if not d.deferred),
            "held_lines": len(self.held),
            "findings": len(self.findings),
            "already_billed": self.already_billed,
            "totals": {k: str(v) for k, v in self.totals().items()},
        }


@dataclass(frozen=True)
class RunInputs:
    """Everything a shard's computation needs, loaded once."""

    contracts: Sequence[Contract]
    reads: Mapping[tuple[str, str], list[MeterRead]]
    jobs: Mapping[str, list[ServiceJob]]  # by contract number
    indices: Mapping[tuple[str, str], Decimal]
    blocks: Sequence[Block]
    funds: Mapping[str, Decimal] = field(default_factory=dict)  # reserve-fund balance by customer number
    #: Earlier months of some contracts that still hold charges; the run rates them again so released charges flow.
    earlier: Sequence[tuple[str, str]] = ()
    #: Estimated closing reads the rating made (filled while rating; stored by a real run so the next read trues up).
    estimates: list[MeterRead] = field(default_factory=list)
    #: One-off charges handed to billing (toner excess, order triggers, manual), not billed yet.
    pending: Sequence[Charge] = ()


def parse_period(label: str) -> Period:
    """The run month ``YYYY-MM``, or a ValidationFailed naming the field."""
    try:
        return month_period(label)
    except ValueError as exc:
        raise ValidationFailed(str(exc), code="bill_run.bad_period", period=label) from None


def escalation_for(
    contract: Contract, period: Period, indices: Mapping[tuple[str, str], Decimal]
) -> tuple[Decimal, str | None]:
    """The escalation factor in force at the start of ``period``, or (1, problem) when an index is missing."""
    clause = contract.escalation
    if clause is None:
        return Decimal(1), None
    revisions = revision_dates(clause, period.start)
    if not revisions:
        return Decimal(1), None
    month = reference_month(revisions[-1])
    keys = [
        (clause.labour_series, month),
        (clause.labour_series, clause.base_month),
        (clause.materials_series, month),
        (clause.materials_series, clause.base_month),
    ]
    missing = [f"{s} {m}" for s, m in keys if (s, m) not in indices]
    if missing:
        return Decimal(1), f"index values missing: {', '.join(missing)}"
    s, s0, m, m0 = (indices[k] for k in keys)
    return escalation_factor(clause, s, s0, m, m0).factor, None


def rate_all(
    inputs: RunInputs, month: Period, policy: BlockPolicy
) -> tuple[list[Charge], list[Finding], dict[tuple[str, str], set[str]]]:
    """Every charge due in ``month`` (and in the earlier months still holding charges) and the block findings.

    Also returns, per (contract, month) rated, the keys of its charges, so the caller knows which months still
    hold charges after blocks are applied (pure).
    """
    charges: list[Charge] = []
    findings: list[Finding] = []
    rated: dict[tuple[str, str], set[str]] = {}
    by_number = {c.number: c for c in inputs.contracts}
    work = [(c, month) for c in inputs.contracts]
    work += [(by_number[n], month_period(p)) for n, p in inputs.earlier if n in by_number]
    for contract, period in work:
        produced, found = contract_charges(contract, period, inputs, policy)
        charges += produced
        findings += found
        rated[(contract.number, period.label())] = {c.key for c in produced}
    charges += [c for c in inputs.pending if due_by(c, month.end)]
    return charges, findings, rated


def finalize(
    inputs: RunInputs,
    month: Period,
    policy: BlockPolicy,
    charges: Sequence[Charge],
    findings: Sequence[Finding],
    billed: set[str],
    *,
    preview: bool,
    label: str,
) -> RunResult:
    """Drop what was billed before, hold what is blocked, group the rest into drafts (pure)."""
    result = RunResult(label, preview, contracts=len(inputs.contracts), findings=list(findings))
    # A charge rated twice (a fee due in this month and re-rated for an earlier held month) is billed once.
    charges = list({c.key: c for c in charges}.values())
    fresh = [c for c in charges if c.key not in billed]
    result.already_billed = len(charges) - len(fresh)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for charge in fresh:
        totals[charge.customer_number] += charge.amount.amount
    result.findings += amount_findings(totals, policy)
    # Stored automatic blocks are this run's findings again (or cleared); only manual ones hold from storage. An
    # automatic block a person released overrides its finding (an accepted outlier is billed).
    overridden = {(b.scope, b.target, b.reason) for b in inputs.blocks if b.overrides()}
    holding = [f for f in result.findings if (f.scope, f.target, f.reason) not in overridden]
    held = open_targets([b for b in inputs.blocks if not b.automatic], holding, month.end)
    reasons = _reasons_by_target(inputs.blocks, result.findings)
    ready = []
    for charge in fresh:
        if is_blocked(charge, held):
            result.held.append((charge, _why(charge, reasons)))
        else:
            ready.append(charge)
    ready += _fund_drawdowns(ready, inputs.funds, result)
    result.drafts = group_charges(ready, {c.number: c for c in inputs.contracts})
    return result


def _fund_drawdowns(ready: Sequence[Charge], funds: Mapping[str, Decimal], result: RunResult) -> list[Charge]:
    """Negative lines that pay repairs from the customers' reserve funds, oldest repair first."""
    balances = dict(funds)
    lines: list[Charge] = []
    for charge in sorted((c for c in ready if c.kind == ChargeKind.REPAIR), key=lambda c: (c.period.start, c.key)):
        balance = balances.get(charge.customer_number, Decimal(0))
        drawn = draw(balance, charge.amount.amount)
        if drawn.drawn <= 0:
            continue
        balances[charge.customer_number] = drawn.balance_after
        lines.append(
            replace(
                charge,
                key=f"{charge.key}:fund",
                kind=ChargeKind.FUND,
                quantity=Decimal(1),
                unit_price=-drawn.drawn,
                amount=Money(-drawn.drawn, charge.amount.currency).rounded(),
                description=f"Drawn from reserve fund: {charge.description}",
                formula=f"fund balance {balance} − {drawn.drawn} = {drawn.balance_after}",
            )
        )
    result.fund_draws = {k: funds.get(k, Decimal(0)) - v for k, v in balances.items() if funds.get(k) != v}
    return lines


def contract_charges(
    contract: Contract, month: Period, inputs: RunInputs, policy: BlockPolicy
) -> tuple[list[Charge], list[Finding]]:
    factor, problem = escalation_for(contract, month, inputs.indices)
    usage: dict[tuple[str, str], Usage] = {}
    history: dict[tuple[str, str], list[int]] = {}
    estimates = inputs.estimates
    months = _previous_months(month, 3) + [month]
    for device in contract.devices:
        for meter in device.meters:
            reads = inputs.reads.get((device.serial, meter), [])
            *before, current = monthly_usage(reads, months)
            if current.closing is None and contract.estimate_missing_reads:
                estimate = estimate_closing(reads, month)
                if estimate is not None:
                    current = usage_between([*reads, estimate], month)
                    estimates.append(estimate)
            usage[(device.serial, meter)] = current
            history[(device.serial, meter)] = [u.units for u in before if u.closing is not None]
    jobs = inputs.jobs.get(contract.number, [])
    charges = fee_charges(contract, month, factor) + usage_charges(contract, month, usage)
    charges += job_charges(contract, jobs, month, factor)
    findings = detect_blocks(contract, month, charges, usage, history, jobs, policy)
    if problem:
        findings.append(Finding("contract", contract.number, "price_missing", problem, contract.number))
    if contract.callout_terms is None and any(j.back_reported and j.completed_on <= month.end for j in jobs):
        findings.append(
            Finding(
                "contract",
                contract.number,
                "price_missing",
                "service jobs to bill but the contract has no callout terms",
                contract.number,
            )
        )
    return charges, findings


def _previous_months(month: Period, count: int) -> list[Period]:
    """The ``count`` calendar months before ``month``, oldest first (their usage feeds outlier detection)."""
    found: list[Period] = []
    cursor = month
    for _ in range(count):
        cursor = month_period(f"{(cursor.start - timedelta(days=1)):%Y-%m}")
        found.insert(0, cursor)
    return found


def _reasons_by_target(blocks: Sequence[Block], findings: Sequence[Finding]) -> dict[tuple[str, str], list[str]]:
    reasons: dict[tuple[str, str], list[str]] = defaultdict(list)
    for block in blocks:
        reasons[(block.scope, block.target)].append(f"{block.reason}: {block.detail}")
    for finding in findings:
        reasons[(finding.scope, finding.target)].append(f"{finding.reason}: {finding.detail}")
    return reasons


def _why(charge: Charge, reasons: Mapping[tuple[str, str], list[str]]) -> list[str]:
    return [
        *reasons.get(("charge", charge.key), []),
        *reasons.get(("contract", charge.contract_number), []),
        *reasons.get(("customer", charge.customer_number), []),
    ]


def previous_month(month: Period) -> Period:
    """The calendar month before ``month``."""
    return month_period(f"{(month.start - timedelta(days=1)):%Y-%m}")


def with_diff(result: RunResult, previous: Sequence[Charge]) -> RunResult:
    """Attach the diff between the previous month's billed charges and this run's charges."""
    # Only this month's charges: earlier held months re-rated by the run are not "new" this month.
    month_keys = {k for (_, month), keys in result.rated.items() if month == result.period for k in keys}
    current = [c for d in result.drafts for c in d.lines] + [c for c, _ in result.held]
    result.diff = diff_runs(previous, [c for c in current if not result.rated or c.key in month_keys])
    return result
