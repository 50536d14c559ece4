"""The matching engine: which customer paid, which open items the payment settles, and how sure we are.

Precision comes first (a wrong automatic application costs far more than a suggestion): only a proposal whose
confidence reaches the policy's threshold is applied automatically; the rest go to a person. Steps:

1. Items named by the payment: structured references (RF, OGM/VCS) equal to an item's payment reference, then our
   invoice numbers found in the free text — exactly, without their prefix, or with one typo when the customer is
   already known (typos are only tried among that customer's items, to keep false positives out).
2. The customer: the one the named items belong to, else the owner of the counterparty IBAN seen before, else a
   unique customer whose legal name resembles the counterparty name above the threshold.
3. The outcome: exact; within tolerance (bank fees up to the policy's limit, or the early-payment discount the
   terms allow on the payment date); short (apply, the rest is a deduction); over (apply, the rest stays on
   account); for a known customer with no named items, a unique open item of that amount, or the fewest, oldest
   open items summing to it (bounded search); otherwise unidentified (suspense).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from enum import StrEnum
from itertools import combinations

from cashtrail.money import Money


class Outcome(StrEnum):
    EXACT = "exact"
    TOLERANCE = "tolerance"
    COMBINATION = "combination"
    SHORT = "short"
    OVER = "over"
    UNIDENTIFIED = "unidentified"


@dataclass(frozen=True)
class OpenItem:
    number: str
    customer: str
    open: Money
    due_date: date
    payment_reference: str | None = None  # compact RF or OGM/VCS digits
    discount: Money | None = None  # early-payment discount allowed until ``discount_until``
    discount_until: date | None = None


@dataclass(frozen=True)
class Payment:
    id: str
    amount: Money
    booked_on: date
    references: tuple[str, ...] = ()  # compact structured references
    text: str = ""
    counterparty_iban: str | None = None
    counterparty_name: str | None = None


@dataclass(frozen=True)
class Policy:
    auto_threshold: Decimal = Decimal("0.90")
    fee_tolerance: Decimal = Decimal("15.00")  # in the payment's currency
    name_threshold: Decimal = Decimal("0.88")
    max_combination_items: int = 4
    max_candidates: int = 20


@dataclass
class Proposal:
    payment_id: str
    outcome: Outcome
    confidence: Decimal
    customer: str | None = None
    applications: list[tuple[str, Money]] = field(default_factory=list)
    remainder: Money | None = None  # deduction (short), on account (over), fee or discount (tolerance)
    reasons: list[str] = field(default_factory=list)

    def is_automatic(self, policy: Policy) -> bool:
        """True when the proposal may be applied without a person."""
        return self.outcome != Outcome.UNIDENTIFIED and self.confidence >= policy.auto_threshold


@dataclass(frozen=True)
class Book:
    """What the engine matches against: open items by customer, IBANs seen before, customers' legal names."""

    items: Mapping[str, Sequence[OpenItem]]
    iban_owner: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


_TOKEN = re.compile(r"[A-Z0-9][A-Z0-9\-/]{3,}")


def _norm(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", number.upper())


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _one_typo(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one substitution, insertion or deletion (or a swap of neighbours)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def named_items(payment: Payment, book: Book, customer: str | None) -> tuple[list[OpenItem], list[str], Decimal]:
    """Items the payment names, the reasons, and how strongly (1.0 structured, 0.95 number, 0.85 typo)."""
    every = [i for items in book.items.values() for i in items]
    by_ref = {i.payment_reference: i for i in every if i.payment_reference}
    hits = [by_ref[r] for r in payment.references if r in by_ref]
    if hits:
        return hits, [f"structured reference {r}" for r in payment.references if r in by_ref], Decimal("1.0")
    tokens = {_norm(t) for t in _TOKEN.findall(payment.text.upper())}
    by_number = {_norm(i.number): i for i in every}
    by_digits = {_digits(i.number): i for i in every if len(_digits(i.number)) >= 5}
    found = [by_number[t] for t in tokens if t in by_number] or [by_digits[t] for t in tokens if t in by_digits]
    if found:
        return _unique(found), [f"invoice number {i.number} in the text" for i in _unique(found)], Decimal("0.95")
    if customer is None:
        return [], [], Decimal(0)
    typos = [i for i in book.items.get(customer, []) for t in tokens if len(t) >= 6 and _one_typo(t, _norm(i.number))]
    return _unique(typos), [f"invoice number {i.number} with a typo" for i in _unique(typos)], Decimal("0.85")


def _unique(items: Sequence[OpenItem]) -> list[OpenItem]:
    return list({i.number: i for i in items}.values())


def identify_customer(payment: Payment, book: Book, policy: Policy) -> tuple[str | None, str]:
    """The paying customer by IBAN seen before, else by a unique close legal name; with the reason."""
    if payment.counterparty_iban and payment.counterparty_iban in book.iban_owner:
        return book.iban_owner[payment.counterparty_iban], f"IBAN {payment.counterparty_iban} seen before"
    if not payment.counterparty_name:
        return None, ""
    wanted = payment.counterparty_name.casefold()
    scored = sorted(
        (
            (Decimal(str(round(SequenceMatcher(None, wanted, name.casefold()).ratio(), 4))), customer)
            for customer, name in book.names.items()
        ),
        reverse=True,
    )
    if scored and scored[0][0] >= policy.name_threshold and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1], f"name {payment.counterparty_name!r} resembles {book.names[scored[0][1]]!r}"
    return None, ""


def match(payment: Payment, book: Book, policy: Policy = Policy()) -> Proposal:
    """The best proposal for one incoming payment."""
    customer, why = identify_customer(payment, book, policy)
    items, reasons, strength = named_items(payment, book, customer)
    if items:
        owners = {i.customer for i in items}
        if len(owners) > 1:
            return Proposal(
                payment.id,
                Outcome.UNIDENTIFIED,
                Decimal("0.30"),
                None,
                reasons=[*reasons, f"the named items belong to several customers: {', '.join(sorted(owners))}"],
            )
        return _settle(payment, items, strength, [*reasons, *([why] if why else [])], policy)
    if customer is None:
        return Proposal(payment.id, Outcome.UNIDENTIFIED, Decimal(0), reasons=["no reference, IBAN or name matched"])
    return _by_amount(payment, customer, book, why, policy)


def _settle(
    payment: Payment, items: Sequence[OpenItem], strength: Decimal, reasons: list[str], policy: Policy
) -> Proposal:
    """Apply a payment to the items it names: exact, within tolerance, short or over."""
    ordered = sorted(items, key=lambda i: (i.due_date, i.number))
    currency = payment.amount.currency
    owed = sum((i.open.amount for i in ordered), Decimal(0))
    gap = payment.amount.amount - owed
    proposal = Proposal(payment.id, Outcome.EXACT, strength * Decimal("0.99"), ordered[0].customer, reasons=reasons)
    if gap == 0:
        proposal.applications = [(i.number, i.open) for i in ordered]
        return proposal
    discount = sum(
        (
            i.discount.amount
            for i in ordered
            if i.discount and i.discount_until and payment.booked_on <= i.discount_until
        ),
        Decimal(0),
    )
    if gap < 0 and (-gap <= policy.fee_tolerance or (discount and -gap == discount)):
        proposal.outcome, proposal.confidence = Outcome.TOLERANCE, strength * Decimal("0.95")
        proposal.applications = [(i.number, i.open) for i in ordered]
        proposal.remainder = Money(-gap, currency)
        proposal.reasons.append("early-payment discount" if -gap == discount else f"bank fees of {-gap} {currency}")
        return proposal
    proposal.applications = _spread(payment.amount, ordered)
    proposal.remainder = Money(abs(gap), currency)
    proposal.outcome = Outcome.SHORT if gap < 0 else Outcome.OVER
    proposal.confidence = strength * Decimal("0.92")
    proposal.reasons.append(
        "short payment: the rest opens a deduction" if gap < 0 else "over-payment: the rest stays on account"
    )
    return proposal


def _spread(amount: Money, items: Sequence[OpenItem]) -> list[tuple[str, Money]]:
    """``amount`` over ``items`` oldest first, each up to its open amount."""
    left, applied = amount, []
    for item in items:
        if left.is_zero():
            break
        part = min(left, item.open)
        applied.append((item.number, part))
        left = left - part
    return applied


def _by_amount(payment: Payment, customer: str, book: Book, why: str, policy: Policy) -> Proposal:
    """A known customer without named items: one item of the exact amount, else the fewest, oldest that sum to it."""
    candidates = sorted(
        (i for i in book.items.get(customer, []) if i.open.currency == payment.amount.currency),
        key=lambda i: (i.due_date, i.number),
    )[: policy.max_candidates]
    trust = Decimal("0.95") if why.startswith("IBAN") else Decimal("0.85")
    single = [i for i in candidates if i.open == payment.amount]
    if single:
        confidence = trust * (Decimal("0.95") if len(single) == 1 else Decimal("0.60"))
        return Proposal(
            payment.id,
            Outcome.EXACT,
            confidence,
            customer,
            [(single[0].number, single[0].open)],
            reasons=[
                why,
                f"amount equals open item {single[0].number}"
                + ("" if len(single) == 1 else f" (and {len(single) - 1} other items)"),
            ],
        )
    found = _combination(payment.amount, candidates, policy.max_combination_items)
    if found is not None:
        items, unique = found
        return Proposal(
            payment.id,
            Outcome.COMBINATION,
            trust * (Decimal("0.88") if unique else Decimal("0.55")),
            customer,
            [(i.number, i.open) for i in items],
            reasons=[why, f"{len(items)} open items sum to the amount" + ("" if unique else " (ambiguous)")],
        )
    return Proposal(
        payment.id,
        Outcome.UNIDENTIFIED,
        Decimal("0.40"),
        customer,
        reasons=[why, "no open item or combination of items matches the amount"],
    )


def _combination(amount: Money, items: Sequence[OpenItem], max_items: int) -> tuple[list[OpenItem], bool] | None:
    """The fewest items (then the oldest) whose open amounts sum to ``amount``, and whether that answer is unique."""
    for size in range(2, min(max_items, len(items)) + 1):
        hits = [
            combo
            for combo in combinations(items, size)
            if sum((i.open.amount for i in combo), Decimal(0)) == amount.amount
        ]
        if hits:
            return list(hits[0]), len(hits) == 1
    return None
