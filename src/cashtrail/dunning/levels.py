"""Dunning levels and the decision which of one customer's open items go on a letter today.

A policy lists levels by days past due (for example +7 friendly reminder, +15 first reminder, +30 formal notice,
+60 final notice), each with a letter template, a channel and an optional fee and interest flag. For each open
item, :func:`propose_dunning` finds the highest level it has reached and whether it goes on a letter now.

Rules, in the order they are checked for each item:
- items with nothing open (zero or credit) are never dunned;
- blocked, disputed and promised items (a promise counts until its date has passed) are left out;
- an item is overdue only once its days past due exceed the policy's grace days; the level itself is still chosen
  by the raw days past due;
- an item is sent at the highest level it has reached, only if that level is above every level already sent for
  it: the same level never goes out twice for the same item, and levels never go backwards. Levels skipped while
  an item was excluded are not sent retrospectively;
- per currency, the items going out must together reach the policy's minimum amount, else they wait.

All items that go out share one letter per customer, at the highest level among them (its template, channel and
fee); each line keeps its own level, which is what the history records.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from cashtrail.dunning.errors import InvalidPolicy
from cashtrail.money import Money


class Channel(StrEnum):
    EMAIL = "email"
    POST = "post"


class ItemStatus(StrEnum):
    SEND = "send"
    NO_BALANCE = "no_balance"
    BLOCKED = "blocked"
    DISPUTED = "disputed"
    PROMISED = "promised"
    NOT_DUE = "not_due"
    IN_GRACE = "in_grace"
    NO_LEVEL = "no_level"
    ALREADY_SENT = "already_sent"
    BELOW_MINIMUM = "below_minimum"


@dataclass(frozen=True)
class DunningLevel:
    """One step of the policy: reached at ``days_past_due``; sent with ``template_id`` over ``channel``."""

    number: int
    name: str
    days_past_due: int
    template_id: str
    channel: Channel
    fee: Money | None = None
    charge_interest: bool = False


@dataclass(frozen=True)
class DunningPolicy:
    """Levels (increasing in number and days), a minimum amount per currency and grace days."""

    levels: tuple[DunningLevel, ...]
    minimum_amounts: Mapping[str, Money] = field(default_factory=dict)
    grace_days: int = 0

    def __post_init__(self) -> None:
        if not self.levels:
            raise InvalidPolicy("a dunning policy needs at least one level")
        pairs = list(zip(self.levels, self.levels[1:], strict=False))
        if any(b.number <= a.number or b.days_past_due <= a.days_past_due for a, b in pairs):
            raise InvalidPolicy("dunning levels must increase in number and in days past due")
        if self.levels[0].days_past_due < 1:
            raise InvalidPolicy("the first dunning level must be at least 1 day past due")
        if self.grace_days < 0:
            raise InvalidPolicy("grace days cannot be negative", grace_days=self.grace_days)
        for currency, amount in self.minimum_amounts.items():
            if amount.currency != currency:
                raise InvalidPolicy(f"minimum amount for {currency} is in {amount.currency}", currency=currency)

    def level_for(self, days_past_due: int) -> DunningLevel | None:
        """The highest level reached at ``days_past_due``, or ``None`` before the first."""
        reached = [level for level in self.levels if level.days_past_due <= days_past_due]
        return reached[-1] if reached else None

    def minimum_for(self, currency: str) -> Money:
        """The minimum total of a letter's items in ``currency`` (zero when none is set)."""
        return self.minimum_amounts.get(currency, Money.zero(currency))


@dataclass(frozen=True)
class DunnableItem:
    """One open item of the customer, with the facts that can hold it back."""

    item_id: str
    due_on: date
    open_amount: Money
    disputed: bool = False
    blocked: bool = False
    promised_until: date | None = None


@dataclass(frozen=True)
class ItemDecision:
    """What happens to one item today: its age, the level it reached and why it is (not) sent."""

    item: DunnableItem
    days_past_due: int
    level: DunningLevel | None
    status: ItemStatus


@dataclass(frozen=True)
class Letter:
    """The one letter going to the customer: the highest level's template, channel and fee, and its lines."""

    level: DunningLevel
    lines: tuple[ItemDecision, ...]
    totals: dict[str, Money]

    @property
    def fee(self) -> Money | None:
        return self.level.fee


@dataclass(frozen=True)
class DunningProposal:
    """Every item's decision as of a date, and the letter to send (``None`` when nothing goes out)."""

    as_of: date
    decisions: tuple[ItemDecision, ...]
    letter: Letter | None

    def levels_to_record(self) -> dict[str, int]:
        """``{item id: level number}`` to append to the history once the letter has been sent."""
        if self.letter is None:
            return {}
        return {d.item.item_id: d.level.number for d in self.letter.lines if d.level is not None}

    def status_of(self, item_id: str) -> ItemStatus:
        """The decision for ``item_id``; ``KeyError`` when the item was not part of the proposal."""
        for decision in self.decisions:
            if decision.item.item_id == item_id:
                return decision.status
        raise KeyError(item_id)


def _classify(
    item: DunnableItem, policy: DunningPolicy, as_of: date, sent: Collection[int]
) -> tuple[int, DunningLevel | None, ItemStatus]:
    days = (as_of - item.due_on).days
    level = policy.level_for(days)
    if item.open_amount.amount <= 0:
        return days, level, ItemStatus.NO_BALANCE
    if item.blocked:
        return days, level, ItemStatus.BLOCKED
    if item.disputed:
        return days, level, ItemStatus.DISPUTED
    if item.promised_until is not None and as_of <= item.promised_until:
        return days, level, ItemStatus.PROMISED
    if days <= 0:
        return days, level, ItemStatus.NOT_DUE
    if days <= policy.grace_days:
        return days, level, ItemStatus.IN_GRACE
    if level is None:
        return days, level, ItemStatus.NO_LEVEL
    if sent and level.number <= max(sent):
        return days, level, ItemStatus.ALREADY_SENT
    return days, level, ItemStatus.SEND


def _apply_minimum(decisions: list[ItemDecision], policy: DunningPolicy) -> list[ItemDecision]:
    """Hold back, per currency, items going out whose total stays below the policy's minimum."""
    totals: dict[str, Money] = {}
    for d in decisions:
        if d.status == ItemStatus.SEND:
            currency = d.item.open_amount.currency
            totals[currency] = totals.get(currency, Money.zero(currency)) + d.item.open_amount
    short = {currency for currency, amount in totals.items() if amount < policy.minimum_for(currency)}
    return [
        replace(d, status=ItemStatus.BELOW_MINIMUM)
        if d.status == ItemStatus.SEND and d.item.open_amount.currency in short
        else d
        for d in decisions
    ]


def _letter(decisions: Iterable[ItemDecision]) -> Letter | None:
    lines = tuple(d for d in decisions if d.status == ItemStatus.SEND and d.level is not None)
    if not lines:
        return None
    top = max((d.level for d in lines if d.level is not None), key=lambda level: level.number)
    totals: dict[str, Money] = {}
    for d in lines:
        currency = d.item.open_amount.currency
        totals[currency] = totals.get(currency, Money.zero(currency)) + d.item.open_amount
    return Letter(top, lines, {currency: totals[currency] for currency in sorted(totals)})


def propose_dunning(
    items: Iterable[DunnableItem],
    policy: DunningPolicy,
    as_of: date,
    history: Mapping[str, Collection[int]] | None = None,
) -> DunningProposal:
    """Decide, for one customer's open ``items`` as of ``as_of``, each item's level and what goes on a letter.

    ``history`` maps an item id to the level numbers already sent for it.
    """
    history = history or {}
    decisions = [ItemDecision(item, *_classify(item, policy, as_of, history.get(item.item_id, ()))) for item in items]
    decisions = _apply_minimum(decisions, policy)
    return DunningProposal(as_of, tuple(decisions), _letter(decisions))
