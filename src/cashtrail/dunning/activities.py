"""Activities on a customer account and promises to pay.

An activity is a call, an e-mail, a note, a promise to pay or an escalation to a supervisor. A promise is an amount
the customer says it will pay by a date, optionally for named open items (otherwise for the account). It protects
those items from dunning up to and including its date. It is **kept** when the cash applied to the promised items
(or to any item of the account) between the day it was made and its date covers the amount, and **broken** when its
date has passed without that; a promise paid in full early is kept at once. Cash counts when it is applied from a
payment (cash application), never from a credit note or a write-off.

>>> p = PromiseRecord("C1", Money.of("100", "EUR"), date(2026, 5, 10), date(2026, 5, 1))
>>> evaluate(p, [(date(2026, 5, 9), Money.of("100", "EUR"))], date(2026, 5, 9)).status == PromiseStatus.KEPT
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from cashtrail.analytics.metrics import Payment, Promise
from cashtrail.errors import ValidationFailed
from cashtrail.money import Money


class ActivityKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    NOTE = "note"
    PROMISE = "promise"
    ESCALATION = "escalation"


class PromiseStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"


@dataclass(frozen=True)
class PromiseRecord:
    customer_number: str
    amount: Money
    promised_on: date
    made_on: date
    item_ids: tuple[int, ...] = field(default_factory=tuple)
    status: str = PromiseStatus.OPEN
    paid: Money | None = None
    settled_on: date | None = None
    collector: str | None = None
    activity_id: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.amount.amount <= 0:
            raise ValidationFailed("a promise needs a positive amount", code="promise.bad_amount")
        if self.promised_on < self.made_on:
            raise ValidationFailed("a promise cannot be due before it was made", code="promise.bad_date")

    def as_metric(self, payments: Iterable[tuple[date, Money]]) -> Promise:
        """The promise in the shape of :mod:`cashtrail.analytics.metrics` (for the promise-kept rate)."""
        return Promise(self.promised_on, self.amount, tuple(Payment(d, a) for d, a in payments))


def evaluate(promise: PromiseRecord, payments: Iterable[tuple[date, Money]], today: date) -> PromiseRecord:
    """The promise's status on ``today`` given the payments applied to it since it was made."""
    if promise.status != PromiseStatus.OPEN:
        return promise
    counted = sorted((d, a) for d, a in payments if promise.made_on <= d <= promise.promised_on)
    paid = Money.zero(promise.amount.currency)
    for day, amount in counted:
        paid = paid + amount
        if paid >= promise.amount:
            return replace(promise, status=PromiseStatus.KEPT, paid=paid, settled_on=day)
    if today > promise.promised_on:
        return replace(promise, status=PromiseStatus.BROKEN, paid=paid, settled_on=promise.promised_on)
    return replace(promise, paid=paid)
