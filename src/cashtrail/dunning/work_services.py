"""Use cases of the collector's day: record activities and promises, detect kept and broken promises from cash
application, the prioritised worklist, portfolio rebalancing and monthly collection targets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.dunning.activities import ActivityKind, PromiseRecord, PromiseStatus, evaluate
from cashtrail.dunning.portfolios import Profile, rebalance
from cashtrail.dunning.worklists import AccountFacts, WorklistEntry, worklist
from cashtrail.errors import NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork

BROKEN_LOOKBACK_DAYS = 180
CENT = Decimal("0.01")


def record_activity(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    customer_number: str,
    kind: ActivityKind,
    summary: str,
    *,
    on: date,
    escalate_to: str | None = None,
) -> int:
    """Log a call, e-mail, note or escalation on the account; an escalation names the supervisor."""
    actor.require(Permission.COLLECTIONS_WORK)
    if not summary.strip():
        raise ValidationFailed("an activity needs a summary", code="activity.summary_required")
    if kind == ActivityKind.ESCALATION and not escalate_to:
        raise ValidationFailed("an escalation names the supervisor", code="activity.escalation_target")
    with uow:
        _customer(uow, customer_number)
        activity_id = uow.collection_work.add_activity(
            customer_number, kind, summary.strip(), on, actor.username, clock.now(), escalate_to
        )
        record(uow, clock, actor, f"activity.{kind}", "collection_account", customer_number, after={"summary": summary})
        uow.commit()
        return activity_id


def make_promise(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    customer_number: str,
    amount: Money,
    promised_on: date,
    *,
    on: date,
    item_ids: Sequence[int] = (),
    summary: str = "",
) -> int:
    """Record a promise to pay (an activity too); it holds the items back from dunning until its date."""
    actor.require(Permission.COLLECTIONS_WORK)
    with uow:
        _customer(uow, customer_number)
        if item_ids:
            items = uow.ledger.items(list(item_ids))
            if set(items) != set(item_ids) or any(i.customer_number != customer_number for i in items.values()):
                raise NotFound("a promised item is not an open item of the customer", code="promise.item_not_found")
        text = summary.strip() or f"promised {amount} by {promised_on.isoformat()}"
        activity_id = uow.collection_work.add_activity(
            customer_number, ActivityKind.PROMISE, text, on, actor.username, clock.now(), None
        )
        profile = uow.dunning.profiles([customer_number]).get(customer_number)
        promise = PromiseRecord(
            customer_number,
            amount,
            promised_on,
            on,
            tuple(item_ids),
            collector=profile.collector if profile else actor.username,
            activity_id=activity_id,
        )
        promise_id = uow.collection_work.add_promise(promise)
        record(uow, clock, actor, "promise.made", "collection_account", customer_number, after={"amount": str(amount)})
        uow.commit()
        return promise_id


def check_promises(uow: UnitOfWork, clock: Clock, actor: Actor, today: date) -> dict[str, int]:
    """Mark open promises kept (paid in full in time) or broken (date passed); returns counts by outcome."""
    actor.require(Permission.COLLECTIONS_WORK)
    counts: dict[str, int] = defaultdict(int)
    with uow:
        for promise in uow.collection_work.promises(status=PromiseStatus.OPEN):
            payments = uow.collection_work.payments(
                promise.customer_number, promise.item_ids, promise.made_on, promise.promised_on
            )
            outcome = evaluate(promise, payments, today)
            if outcome.status != PromiseStatus.OPEN:
                uow.collection_work.save_promise(outcome)
                record(uow, clock, actor, f"promise.{outcome.status}", "collection_account", promise.customer_number)
            counts[outcome.status] += 1
        uow.commit()
    return dict(counts)


def _customer(uow: UnitOfWork, number: str) -> None:
    if uow.customers.get_by_number(number) is None:
        raise NotFound(f"customer {number} not found", code="customer.not_found")


def collector_worklist(uow: UnitOfWork, actor: Actor, collector: str | None, today: date) -> list[WorklistEntry]:
    """The accounts of ``collector`` (everyone's when ``None``) with overdue undisputed money, highest score first."""
    actor.require(Permission.AR_READ)
    with uow:
        items = uow.dunning.overdue_items(today)
        customers = sorted({i.customer_number for i in items})
        profiles = uow.dunning.profiles(customers)
        if collector is not None:
            customers = [c for c in customers if (profiles.get(c) or Profile(c)).collector == collector]
        frozen = uow.disputes.frozen_amounts([i.id for i in items if i.id is not None])
        promised = uow.collection_work.promised_until(customers, today)
        broken = uow.collection_work.broken_count(customers, today - timedelta(days=BROKEN_LOOKBACK_DAYS), today)
        late_disputes = uow.disputes.past_sla_count(customers, today)
    overdue: dict[str, Decimal] = defaultdict(Decimal)
    amount_days: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        if item.customer_number not in customers or item.id is None:
            continue
        open_amount = item.remaining.amount - (frozen[item.id].amount if item.id in frozen else Decimal(0))
        if open_amount > 0:
            overdue[item.customer_number] += open_amount
            amount_days[item.customer_number] += open_amount * (today - item.due_date).days
    facts = [
        AccountFacts(
            c,
            overdue[c].quantize(CENT),
            amount_days[c],
            broken.get(c, 0),
            bool(promised.get(c)),
            (profiles.get(c) or Profile(c)).risk,
            late_disputes.get(c, 0),
        )
        for c in customers
    ]
    return worklist(facts)


@dataclass(frozen=True)
class Move:
    customer_number: str
    before: str | None
    after: str


def rebalance_portfolios(
    uow: UnitOfWork, clock: Clock, actor: Actor, collectors: Sequence[str], *, apply: bool = True
) -> list[Move]:
    """Spread every customer with open items over ``collectors`` by open amount and account count."""
    actor.require(Permission.COLLECTIONS_MANAGE)
    with uow:
        known = uow.users.by_usernames(collectors)
        missing = sorted(set(collectors) - set(known))
        if missing:
            raise NotFound(f"unknown collectors: {', '.join(missing)}", code="collections.unknown_collector")
        amounts = uow.collection_work.open_amounts_by_customer()
        profiles = uow.dunning.profiles(list(amounts))
        current = {c: (profiles.get(c) or Profile(c)).collector for c in amounts}
        plan = rebalance(amounts, list(collectors), current)
        moves = [Move(c, current[c], to) for c, to in sorted(plan.items()) if current[c] != to]
        if apply and moves:
            changed = []
            for move in moves:
                profile = profiles.get(move.customer_number) or Profile(move.customer_number)
                profile.collector = move.after
                changed.append(profile)
            uow.dunning.save_profiles(changed)
            record(uow, clock, actor, "portfolios.rebalanced", "portfolio", "all", after={"moves": len(moves)})
            uow.commit()
        return moves


def set_target(uow: UnitOfWork, clock: Clock, actor: Actor, collector: str, month: str, target: Money) -> None:
    """The cash ``collector`` should collect in ``month`` (YYYY-MM)."""
    actor.require(Permission.COLLECTIONS_MANAGE)
    _month_bounds(month)
    with uow:
        uow.collection_work.set_target(collector, month, target)
        record(uow, clock, actor, "target.set", "collector", collector, after={month: str(target)})
        uow.commit()


@dataclass(frozen=True)
class Achievement:
    collector: str
    month: str
    target: Money
    collected: Money

    @property
    def percent(self) -> Decimal | None:
        if self.target.is_zero():
            return None
        return (self.collected.amount / self.target.amount * 100).quantize(Decimal("0.01"))


def target_achievement(uow: UnitOfWork, actor: Actor, month: str) -> list[Achievement]:
    """Each target of ``month`` against the cash applied from payments that month to the collector's customers."""
    actor.require(Permission.AR_READ)
    start, end = _month_bounds(month)
    with uow:
        targets = uow.collection_work.targets(month)
        collected = uow.collection_work.collected_by_customer(start, end)
        profiles = uow.dunning.profiles(list(collected))
    by_collector: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for customer, amounts in collected.items():
        owner = (profiles.get(customer) or Profile(customer)).collector
        for currency, amount in amounts.items():
            if owner:
                by_collector[(owner, currency)] += amount
    return [
        Achievement(c, month, t, Money(by_collector.get((c, t.currency), Decimal(0)), t.currency)) for c, t in targets
    ]


def _month_bounds(month: str) -> tuple[date, date]:
    try:
        start = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise ValidationFailed("a month is YYYY-MM", code="collections.bad_month", month=month) from None
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, end
