"""Use cases of billing: bill runs, billing blocks, meter reads and service jobs. The only place here that commits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from cashtrail.audit.services import record
from cashtrail.billing.blocks import AUTO_RELEASE_REASON, Block, BlockPolicy, Finding
from cashtrail.billing.charges import Charge, ChargeKind
from cashtrail.billing.run import (
    READ_WINDOW_DAYS,
    RunInputs,
    RunResult,
    contract_charges,
    finalize,
    parse_period,
    previous_month,
    rate_all,
    with_diff,
)
from cashtrail.clock import Clock
from cashtrail.contracts.model import Contract
from cashtrail.contracts.services import corrections
from cashtrail.contracts.terms import Period, month_period
from cashtrail.errors import NotFound
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


def load_inputs(uow: UnitOfWork, month: Period, customers: tuple[str, str] | None) -> RunInputs:
    """Everything the shard needs, in a handful of bulk queries."""
    contracts = uow.contracts.active_in(month.start - timedelta(days=366), month.end, customers=customers)
    numbers = {c.number for c in contracts}
    earlier = [(n, p) for n, p in uow.bill_runs.held_periods(month.label()) if n in numbers]
    inputs = inputs_for(uow, month, contracts, since=min((month_period(p).start for _, p in earlier), default=None))
    pending = uow.pending_charges.due(month.end, customers=customers)
    return replace(inputs, earlier=earlier, pending=pending)


def inputs_for(
    uow: UnitOfWork, month: Period, contracts: Sequence[Contract], *, since: date | None = None
) -> RunInputs:
    """Reads, jobs, index values, blocks and fund balances for ``contracts`` and ``month`` (and months ``since``)."""
    serials = [d.serial for c in contracts for d in c.devices]
    first = min(month.start, since or month.start)
    reads = uow.meter_reads.between(serials, first - timedelta(days=READ_WINDOW_DAYS), month.end)
    jobs = uow.service_jobs.for_contracts([c.number for c in contracts], month.end)
    series = {s for c in contracts if c.escalation for s in (c.escalation.labour_series, c.escalation.materials_series)}
    funds = uow.reserve_funds.balances({c.customer_number for c in contracts})
    blocks = [*uow.blocks.unreleased(), *uow.blocks.overriding()]
    return RunInputs(contracts, reads, jobs, uow.indices.values(series), blocks, funds)


def run_bill_run(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    period: str,
    *,
    preview: bool = False,
    policy: BlockPolicy | None = None,
    customers: tuple[str, str] | None = None,
) -> RunResult:
    """Bill every charge due in ``period`` (``YYYY-MM``) for the shard ``customers`` (all when None)."""
    actor.require(Permission.BILLING_RUN)
    month = parse_period(period)
    policy = policy or BlockPolicy()
    with uow:
        inputs = load_inputs(uow, month, customers)
        charges, findings, rated = rate_all(inputs, month, policy)
        billed = uow.bill_runs.billed_keys(c.key for c in charges)
        result = finalize(inputs, month, policy, charges, findings, billed, preview=preview, label=period)
        result.rated = rated
        if preview:
            previous = uow.bill_runs.charges_of_period(previous_month(month), [c.number for c in inputs.contracts])
            return with_diff(result, previous)
        for estimate in inputs.estimates:
            uow.meter_reads.upsert(estimate, f"estimated by the {period} bill run")
        _persist(uow, clock, actor, result, inputs.blocks)
        uow.commit()
        return result


def _persist(uow: UnitOfWork, clock: Clock, actor: Actor, result: RunResult, known: Sequence[Block]) -> None:
    now = clock.now()
    _release_cleared(uow, clock, actor, result, known)
    seen = {(b.scope, b.target, b.reason) for b in known if b.released_at is None or b.overrides()}
    for finding in result.findings:
        if (finding.scope, finding.target, finding.reason) not in seen:
            seen.add((finding.scope, finding.target, finding.reason))
            block = _auto_block(finding, actor, now)
            uow.blocks.add(block)
            record(
                uow,
                clock,
                actor,
                "billing_block.placed",
                "billing_block",
                block.id,
                after={"scope": block.scope, "target": block.target, "reason": block.reason, "detail": block.detail},
            )
    run_id = uow.bill_runs.start(result.period, actor.username, now)
    uow.bill_runs.add_drafts(
        run_id,
        [(d.group_key, d.customer_number, d.currency, d.lines) for d in result.drafts if not d.deferred and d.lines],
    )
    for draft in result.drafts:
        for line in draft.lines if not draft.deferred else []:
            if line.kind == ChargeKind.FUND:
                uow.reserve_funds.move(line.customer_number, line.amount.amount, now, line.description, line.key)
    held = {c.key for c, _ in result.held}
    still = {pair for pair, keys in result.rated.items() if keys & held}
    uow.bill_runs.set_held(add=still, remove=set(result.rated) - still)
    summary = result.summary()
    uow.bill_runs.finish(run_id, now, summary)
    record(uow, clock, actor, "bill_run.completed", "bill_run", result.period, after=summary)


_MONTH_IN_TARGET = re.compile(r":(\d{4}-\d{2}):")


def _release_cleared(uow: UnitOfWork, clock: Clock, actor: Actor, result: RunResult, known: Sequence[Block]) -> None:
    """Release stored automatic blocks whose contract (and month, when the target names one) this run rated again
    without finding their condition."""
    current = {(f.scope, f.target, f.reason) for f in result.findings}
    months: dict[str, set[str]] = {}
    for contract, month in result.rated:
        months.setdefault(contract, set()).add(month)
    for block in known:
        if not block.automatic or block.released_at is not None or (block.scope, block.target, block.reason) in current:
            continue
        named = _MONTH_IN_TARGET.search(f"{block.target}:")
        rated = months.get(block.contract_number, set())
        if rated and (named is None or named[1] in rated):
            block.release(actor.username, AUTO_RELEASE_REASON, clock.now())
            uow.blocks.save(block)
            record(
                uow,
                clock,
                actor,
                "billing_block.released",
                "billing_block",
                block.id,
                before={"released": False},
                after={"released": True},
                reason=block.release_reason,
            )


def _auto_block(finding: Finding, actor: Actor, now: datetime) -> Block:
    return Block(
        finding.scope,
        finding.target,
        finding.reason,
        finding.detail,
        owner=actor.username,
        created_at=now,
        created_by=actor.username,
        contract_number=finding.contract_number,
        automatic=True,
    )


def correct_billed_period(
    uow: UnitOfWork, clock: Clock, actor: Actor, contract_number: str, period: str
) -> list[Charge]:
    """Re-rate a billed month under the contract's current version; write a credit draft and a rebill draft.

    Returns the correction lines written (none when nothing changed or the correction was already made).
    """
    actor.require(Permission.BILLING_RUN)
    month = parse_period(period)
    with uow:
        contract = uow.contracts.get_by_number(contract_number)
        if contract is None:
            raise NotFound(f"contract {contract_number} not found", code="contract.not_found")
        inputs = inputs_for(uow, month, [contract])
        recomputed, _ = contract_charges(contract, month, inputs, BlockPolicy())
        billed = [
            replace(c, customer_number=contract.customer_number)
            for c in uow.bill_runs.charges_of_period(month, [contract_number])
        ]
        lines = corrections(billed, recomputed, contract.version)
        done = uow.bill_runs.billed_keys(c.key for c in lines)
        lines = [c for c in lines if c.key not in done]
        if not lines:
            return []
        run_id = uow.bill_runs.start(period, actor.username, clock.now())
        credit = [c for c in lines if ":rev:" in c.key]
        rebill = [c for c in lines if ":rev:" not in c.key]
        uow.bill_runs.add_drafts(
            run_id,
            [
                (f"{kind}:{contract_number}:v{contract.version}", contract.customer_number, contract.currency, group)
                for kind, group in (("credit", credit), ("rebill", rebill))
                if group
            ],
        )
        record(
            uow,
            clock,
            actor,
            "billing.corrected",
            "contract",
            contract_number,
            after={
                "period": period,
                "version": contract.version,
                "credited": str(-sum_amounts(credit)),
                "rebilled": str(sum_amounts(rebill)),
            },
        )
        uow.commit()
        return lines


def sum_amounts(lines: Sequence[Charge]) -> Decimal:
    """The sum of the lines' amounts (one currency)."""
    return sum((c.amount.amount for c in lines), Decimal(0))
