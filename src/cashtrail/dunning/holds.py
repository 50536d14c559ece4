"""Credit holds: a customer over its credit limit, or with an item too long past due, is put on hold; orders and
billing read the hold as a signal (``is_on_hold``). Automatic holds release themselves when their cause clears;
a manual hold stays until a person releases it.

Rule (:func:`hold_reasons`): ``over_credit_limit`` when the open AR (debits less credits) exceeds the credit limit;
``past_due`` when an item is more than ``HOLD_AFTER_DAYS`` (60) days past due with an undisputed open amount.

>>> hold_reasons(Decimal("1200"), Decimal("1000"), 10)
['over_credit_limit']
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork

HOLD_AFTER_DAYS = 60
MANUAL = "manual"


def hold_reasons(open_ar: Decimal, credit_limit: Decimal | None, oldest_days_past_due: int) -> list[str]:
    """Why a customer should be on hold (empty: no automatic hold)."""
    reasons = []
    if credit_limit is not None and open_ar > credit_limit:
        reasons.append("over_credit_limit")
    if oldest_days_past_due > HOLD_AFTER_DAYS:
        reasons.append("past_due")
    return reasons


def evaluate_holds(uow: UnitOfWork, clock: Clock, actor: Actor, today: date) -> dict[str, list[str]]:
    """Place and release automatic holds for every customer; returns ``{"placed": [...], "released": [...]}``."""
    actor.require(Permission.COLLECTIONS_MANAGE)
    with uow:
        exposure = uow.collection_work.credit_exposure(today)
        frozen_items = uow.disputes.frozen_amounts([i for facts in exposure.values() for i in facts["overdue_ids"]])
        active = uow.collection_work.active_holds()
        placed, released = [], []
        nothing: dict[str, Any] = {"open": Decimal(0), "limit": None, "overdue": {}, "overdue_ids": []}
        for customer in sorted(set(exposure) | set(active)):
            facts = exposure.get(customer, nothing)
            oldest = max((d for i, d in facts["overdue"].items() if i not in frozen_items), default=0)
            wanted = set(hold_reasons(facts["open"], facts["limit"], oldest))
            held = {h["reason"] for h in active.get(customer, []) if h["reason"] != MANUAL}
            for reason in sorted(wanted - held):
                uow.collection_work.add_hold(customer, reason, _detail(reason, facts, oldest), today, actor.username)
                placed.append(f"{customer}:{reason}")
            for hold in active.get(customer, []):
                if hold["reason"] != MANUAL and hold["reason"] not in wanted:
                    uow.collection_work.release_hold(hold["id"], today, actor.username)
                    released.append(f"{customer}:{hold['reason']}")
        record(uow, clock, actor, "credit_holds.evaluated", "credit_hold", today.isoformat(), after={"placed": placed})
        uow.commit()
    return {"placed": placed, "released": released}


def _detail(reason: str, facts: dict[str, Any], oldest: int) -> str:
    if reason == "over_credit_limit":
        return f"open {facts['open']} over the limit of {facts['limit']}"
    return f"an item is {oldest} days past due"


def place_hold(uow: UnitOfWork, clock: Clock, actor: Actor, customer_number: str, detail: str, today: date) -> int:
    """A manual hold, until released by a person."""
    actor.require(Permission.COLLECTIONS_MANAGE)
    if not detail.strip():
        raise ValidationFailed("a hold needs a reason", code="credit_hold.reason_required")
    with uow:
        if uow.customers.get_by_number(customer_number) is None:
            raise NotFound(f"customer {customer_number} not found", code="customer.not_found")
        hold_id = uow.collection_work.add_hold(customer_number, MANUAL, detail.strip(), today, actor.username)
        record(uow, clock, actor, "credit_hold.placed", "collection_account", customer_number, reason=detail)
        uow.commit()
        return hold_id


def release_hold(uow: UnitOfWork, clock: Clock, actor: Actor, hold_id: int, today: date) -> None:
    actor.require(Permission.COLLECTIONS_MANAGE)
    with uow:
        if not uow.collection_work.release_hold(hold_id, today, actor.username):
            raise NotFound(f"no active credit hold {hold_id}", code="credit_hold.not_found")
        record(uow, clock, actor, "credit_hold.released", "credit_hold", hold_id)
        uow.commit()


def is_on_hold(uow: UnitOfWork, customer_number: str) -> list[dict[str, Any]]:
    """The customer's active holds (empty: not on hold): the signal orders and billing read."""
    with uow:
        return list(uow.collection_work.active_holds().get(customer_number, []))


def active_holds(uow: UnitOfWork, actor: Actor) -> dict[str, list[dict[str, Any]]]:
    actor.require(Permission.AR_READ)
    with uow:
        return defaultdict(list, uow.collection_work.active_holds())
