"""The reconciliation run: every agreement's toner periods inside a span, calculated, checked and put on the board.

One run loads its inputs in a handful of bulk queries (set-ups, catalog, mappings, contracts, customers, a year of
shipment and billing rows before the span's end), builds one :class:`ReconciliationData` per agreement and period
from rows grouped by agreement, runs :func:`find_all` and :func:`reconcile`, and stores one record per agreement
and period with its findings, in one transaction. Agreements with shipments in the span but no set-up get a record
too, whose findings say so (``no_toner_contract``).

Records already under review, approved, invoiced, without charge or closed are left alone (their figures are what
someone is looking at or what was billed); move one back to data pending to recalculate it. Automatic moves on the
board (data pending → ready → calculated → findings open) are audited with the run's actor and reason.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter

from cashtrail.audit.services import record as audit
from cashtrail.clock import Clock
from cashtrail.contracts.model import Contract
from cashtrail.contracts.terms import Period
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork
from cashtrail.toner.board import TRANSITIONS, BoardStatus, move
from cashtrail.toner.calculation import reconcile
from cashtrail.toner.data import ReconciliationData
from cashtrail.toner.findings import TonerFinding, find_all
from cashtrail.toner.history import AgreementRows
from cashtrail.toner.model import (
    BillingLine,
    CartridgePart,
    ContractTerms,
    ModelMapping,
    PartIndex,
    ReconciliationPeriod,
    ReconciliationSetup,
    ShipmentLine,
    terms_from_contract,
)
from cashtrail.toner.periods import parse_span, period_label, period_of_kind, periods_within
from cashtrail.toner.records import ReconciliationRecord, StoredFinding, due_on, stored_findings, summarize

#: How far back a run reads history for the device usage-gap checks (decision D-103).
HISTORY_DAYS = 366
#: Statuses a run recalculates; later ones are someone's work in progress or already billed.
RECALCULATED = frozenset(
    {BoardStatus.DATA_PENDING, BoardStatus.READY, BoardStatus.CALCULATED, BoardStatus.FINDINGS_OPEN}
)
NO_SETUP_OWNER = "unassigned"


@dataclass
class RunSummary:
    """What a run did: records per status, findings per code, charges per currency, records left alone."""

    span: str
    records: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)
    charges: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    #: Wall-clock seconds of the run's phases (load, calculate, write), for the benchmark and the logs.
    seconds: dict[str, float] = field(default_factory=dict)
    #: Processes that reconciled a shard each (1: the run stayed in one process).
    processes: int = 1

    def as_dict(self) -> dict[str, object]:
        return {
            "span": self.span,
            "records": self.records,
            "statuses": self.statuses,
            "findings": self.findings,
            "charges": self.charges,
            "skipped": self.skipped,
            "seconds": self.seconds,
            "processes": self.processes,
        }


@dataclass
class _Inputs:
    setups: dict[str, list[ReconciliationSetup]]
    parts: list[CartridgePart]
    catalog: PartIndex
    mappings: list[ModelMapping]
    contracts: dict[str, Contract]
    countries: dict[str, str]
    owners: dict[str, str]
    shipments: dict[str, list[ShipmentLine]]
    billing: dict[str, list[BillingLine]]
    start: date  # first day of the span


def run_reconciliation(
    uow: UnitOfWork, clock: Clock, actor: Actor, span_label: str, *, agreements: Sequence[str] | None = None
) -> RunSummary:
    """Reconcile every agreement (or the given ones) over each of its periods inside ``span_label``."""
    actor.require(Permission.TONER_RUN)
    span = parse_span(span_label)
    with _gc_paused():
        return _run(uow, clock, actor, span, agreements)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the run (restored after, even on error).

    A run builds millions of row objects, records and findings that hold no reference cycles: the collector has
    nothing to find in them, yet its full passes walk all of them again and again while they are built (loading a
    year of rows took about 40 % less CPU with it paused). What the run leaves behind is freed by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(uow: UnitOfWork, clock: Clock, actor: Actor, span: Period, agreements: Sequence[str] | None) -> RunSummary:
    # Two transactions: read and compute, then write. Shards of one run in parallel processes touch disjoint
    # agreements; a fresh write transaction waits for the database lock instead of failing on a stale snapshot.
    started = time.perf_counter()
    with uow:
        inputs = _load(uow, span, agreements)
        summary = RunSummary(period_label(span))
        summary.seconds["load"] = round(time.perf_counter() - started, 2)
        existing = {
            (r.agreement, r.period_start, r.period_end): r
            for r in uow.toner_board.records(start=span.start, end=span.end, agreements=sorted(_scope(inputs)))
        }
        before = uow.toner_board.findings([r.id for r in existing.values() if r.id is not None])
        work: list[_Work] = []
        for agreement in sorted(_scope(inputs)):
            shared = _shared(inputs, agreement)
            for period in _periods(inputs.setups.get(agreement, []), span, inputs.shipments.get(agreement, [])):
                done = _reconcile_one(clock, actor, inputs, shared, period, existing, summary)
                if done is not None:
                    work.append(done)
    # The findings to store are worked out before taking the write lock, which the other shards wait for.
    prepared = _prepare(work, before)
    summary.seconds["calculate"] = round(time.perf_counter() - started - summary.seconds["load"], 2)
    with uow:
        uow.toner_board.claim()
        written = time.perf_counter()
        _write(uow, clock, actor, prepared, summary)
        uow.commit()
    summary.seconds["write"] = round(time.perf_counter() - written, 2)
    return summary


@dataclass
class _Work:
    record: ReconciliationRecord
    findings: list[TonerFinding]
    read_status: BoardStatus | None  # None for a record that did not exist when the run read the board
    moved: tuple[BoardStatus, str] | None  # (status before the run, reason) when the run moved the card


def _prepare(work: Sequence[_Work], before: Sequence[StoredFinding]) -> list[tuple[_Work, list[StoredFinding]]]:
    """Each record's findings as they will be stored (accepted ones stay accepted, from the findings read before)."""
    by_record: dict[int, list[StoredFinding]] = defaultdict(list)
    for finding in before:
        by_record[finding.reconciliation_id].append(finding)
    # A new record has no findings before this run; its id is known once it is saved (in _write).
    return [(w, stored_findings(w.record.id or 0, w.findings, by_record.get(w.record.id or 0, []))) for w in work]


def _write(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    prepared: Sequence[tuple[_Work, list[StoredFinding]]],
    summary: RunSummary,
) -> None:
    """Store the records and findings; a record someone moved since the run read it is left alone."""
    now = {
        (r.agreement, r.period_start): r.status
        for r in uow.toner_board.records(agreements=sorted({w.record.agreement for w, _ in prepared}))
    }
    kept_work: list[_Work] = []
    found: list[StoredFinding] = []
    stored: list[tuple[ReconciliationRecord, list[StoredFinding]]] = []
    for w, kept in prepared:
        if now.get((w.record.agreement, w.record.period_start)) != w.read_status:
            summary.skipped.append(f"{w.record.key} (moved while the run was calculating)")
            continue
        kept_work.append(w)
        record = w.record
        record.errors_open = sum(1 for f in kept if f.is_error and f.state == "open")
        record.warnings_open = sum(1 for f in kept if not f.is_error and f.state == "open")
        stored.append((record, kept))
        found += kept
        if w.moved is not None:
            audit(
                uow,
                clock,
                actor,
                "toner_reconciliation.moved",
                "toner_reconciliation",
                record.key,
                before={"status": w.moved[0].value},
                after={"status": record.status.value},
                reason=w.moved[1],
            )
    uow.toner_board.save_many([w.record for w in kept_work])
    for record, kept in stored:
        assert record.id is not None
        for finding in kept:
            finding.reconciliation_id = record.id
    uow.toner_board.replace_findings([w.record.id for w in kept_work if w.record.id is not None], found)
    for finding in found:
        summary.findings[finding.code] = summary.findings.get(finding.code, 0) + 1


def _scope(inputs: _Inputs) -> set[str]:
    """Agreements with a set-up, and those that received cartridges in the span without one."""
    return set(inputs.setups) | {
        a for a, lines in inputs.shipments.items() if lines and lines[-1].shipped_on >= inputs.start
    }


def shards(uow: UnitOfWork, span_label: str, count: int) -> list[list[str]]:
    """The agreements a run of ``span_label`` covers, split into ``count`` contiguous shards (for parallel runs).

    The first shard also carries ``""``: shipment lines naming only a ship-to that no set-up claims.
    """
    span = parse_span(span_label)
    with uow:
        scope = sorted({s.agreement for s in uow.toner.setups()} | uow.toner.shipped_agreements(span.start, span.end))
    size = max(1, -(-len(scope) // max(1, count)))
    return [scope[i : i + size] for i in range(0, len(scope), size)] or [[]]


def _periods(setups: Sequence[ReconciliationSetup], span: Period, lines: Sequence[ShipmentLine]) -> list[Period]:
    """The agreement's periods inside the span, by the kind of its set-up valid at the span's end (or latest)."""
    valid = [s for s in setups if s.is_valid_on(span.end)] or list(setups)
    kind = max(valid, key=lambda s: s.valid_from).period if valid else ReconciliationPeriod.QUARTERLY
    periods = periods_within(span, kind)
    if not setups:  # no set-up: only the periods in which something was shipped
        shipped = {period_of_kind(line.shipped_on, kind) for line in lines}
        periods = [p for p in periods if p in shipped]
    return periods


def _load(uow: UnitOfWork, span: Period, wanted: Sequence[str] | None) -> _Inputs:
    start = span.start - timedelta(days=HISTORY_DAYS)
    scope = None if wanted is None else set(wanted)
    every = uow.toner.setups()
    # Ship-tos are resolved against every set-up, so a shard never claims another shard's line as an orphan.
    ship_to_owner = {t: s.agreement for s in every for t in s.ship_tos}
    claimed = {s.agreement for s in every}
    setups: dict[str, list[ReconciliationSetup]] = defaultdict(list)
    for setup in every:
        if scope is None or setup.agreement in scope:
            setups[setup.agreement].append(setup)
    own_ship_tos = sorted(t for t, a in ship_to_owner.items() if a in setups)
    shipments: dict[str, list[ShipmentLine]] = defaultdict(list)
    for line in uow.toner.shipments(start, span.end, None if scope is None else sorted(scope), own_ship_tos):
        owner = line.agreement if line.agreement in claimed else ship_to_owner.get(line.ship_to, line.agreement)
        owner = owner or f"ship-to:{line.ship_to}"
        mine = scope is None or owner in scope or (owner.startswith("ship-to:") and "" in scope)
        if mine:
            shipments[owner].append(line)
    billing: dict[str, list[BillingLine]] = defaultdict(list)
    for b in uow.toner.billing(start, span.end, None if scope is None else sorted(scope)):
        billing[b.agreement].append(b)
    for own in shipments.values():
        own.sort(key=attrgetter("shipped_on"))
    for bills in billing.values():
        bills.sort(key=attrgetter("period.end"))
    numbers = set(setups) | set(shipments)
    contracts = {c.number: c for c in uow.contracts.by_numbers(numbers)}
    customers = uow.customers.by_numbers({c.customer_number for c in contracts.values()})
    countries = {
        n: customers[c.customer_number].country for n, c in contracts.items() if c.customer_number in customers
    }
    parts = uow.toner.parts()
    return _Inputs(
        dict(setups),
        parts,
        PartIndex(parts),
        uow.toner.mappings(),
        contracts,
        countries,
        uow.toner.owners(),
        dict(shipments),
        dict(billing),
        span.start,
    )


@dataclass(frozen=True)
class _Shared:
    """What every period of one agreement shares: its rows grouped once, and its contract terms."""

    agreement: str
    shipments: list[ShipmentLine]
    billing: list[BillingLine]
    rows: AgreementRows
    terms: ContractTerms | None


def _shared(inputs: _Inputs, agreement: str) -> _Shared:
    contract = inputs.contracts.get(agreement)
    setups = inputs.setups.get(agreement, [])
    shipments, billing = inputs.shipments.get(agreement, []), inputs.billing.get(agreement, [])
    rows = AgreementRows(agreement, setups, shipments, billing, inputs.catalog)
    return _Shared(agreement, shipments, billing, rows, None if contract is None else terms_from_contract(contract))


def _reconcile_one(
    clock: Clock,
    actor: Actor,
    inputs: _Inputs,
    shared: _Shared,
    period: Period,
    existing: dict[tuple[str, date, date], ReconciliationRecord],
    summary: RunSummary,
) -> _Work | None:
    agreement = shared.agreement
    stored = existing.get((agreement, period.start, period.end))
    record = stored or _new_record(clock, inputs, agreement, period)
    if record.status not in RECALCULATED:
        summary.skipped.append(f"{record.key} ({record.status.value})")
        return None
    # The whole year of rows goes in: every lookup takes the history up to the period end, not the periods after.
    data = ReconciliationData(
        agreement,
        period,
        inputs.setups.get(agreement, []),
        inputs.parts,
        inputs.mappings,
        shared.shipments,
        shared.billing,
        shared.terms,
        shared.rows,
    )
    findings = find_all(data)
    setup = data.setup()
    has_data = bool(data.agreement_billing())
    if setup is not None and setup.toner_included and has_data:
        result = reconcile(data)
        record.result = summarize(result)
        total = result.total_charge
        record.total_charge = None if total is None else total.amount
        record.currency = setup.currency
        record.calculated_at = clock.now()
        if total is not None and total.amount:
            summary.charges[total.currency] = str(Decimal(summary.charges.get(total.currency, "0")) + total.amount)
    else:
        record.result, record.total_charge, record.calculated_at = {}, None, None
    read_status = None if stored is None else stored.status
    # Without a set-up there is nothing to calculate, but the findings (no_toner_contract) need someone: the card
    # goes to findings open like any other once the period's billing report is there.
    moved = _auto_move(clock, actor, record, has_data, bool(findings), summary.span)
    summary.records += 1
    summary.statuses[record.status.value] = summary.statuses.get(record.status.value, 0) + 1
    return _Work(record, list(findings), read_status, moved)


def _new_record(clock: Clock, inputs: _Inputs, agreement: str, period: Period) -> ReconciliationRecord:
    contract = inputs.contracts.get(agreement)
    setups = inputs.setups.get(agreement, [])
    currency = setups[-1].currency if setups else (contract.currency if contract else "EUR")
    return ReconciliationRecord(
        agreement=agreement,
        period_start=period.start,
        period_end=period.end,
        customer_number="" if contract is None else contract.customer_number,
        country=inputs.countries.get(agreement, ""),
        currency=currency,
        status=BoardStatus.DATA_PENDING,
        owner=inputs.owners.get(agreement, NO_SETUP_OWNER),
        due_on=due_on(period),
        status_since=clock.now(),
    )


def _auto_path(current: BoardStatus, has_data: bool, has_findings: bool) -> list[BoardStatus]:
    """The moves a run makes: back to data pending without data, else forward to calculated or findings open."""
    if not has_data:
        return [] if current == BoardStatus.DATA_PENDING else [BoardStatus.DATA_PENDING]
    path = {
        BoardStatus.DATA_PENDING: [BoardStatus.READY, BoardStatus.CALCULATED],
        BoardStatus.READY: [BoardStatus.CALCULATED],
    }.get(current, [])
    last = path[-1] if path else current
    if has_findings and last == BoardStatus.CALCULATED:
        path.append(BoardStatus.FINDINGS_OPEN)
    return path


def _auto_move(
    clock: Clock, actor: Actor, record: ReconciliationRecord, has_data: bool, has_findings: bool, span: str
) -> tuple[BoardStatus, str] | None:
    """Move the card along the automatic path; returns (status before, reason) for the audit trail, if it moved."""
    path = _auto_path(record.status, has_data, has_findings)
    if not path:
        return None
    start, now = record.status, clock.now()
    reason = f"toner run {span}: " + ("no billing report for the period" if not has_data else "recalculated")
    for target in path:
        assert target in TRANSITIONS[record.status]
        move(record.agreement, record.period_label, record.status, target, actor=actor.username, reason=reason, at=now)
        record.status = target
    record.status_since = now
    return start, reason
