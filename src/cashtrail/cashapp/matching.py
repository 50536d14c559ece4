"""The matching engine: which customer paid, which open items the payment settles, and how sure we are.

Precision comes first (a wrong automatic application costs far more than a suggestion): only a proposal whose
confidence reaches the policy's threshold is applied automatically; the rest go to a person. Steps:

1. Items named by the payment: structured references (RF, OGM/VCS) equal to an item's payment reference, then our
   invoice numbers found in the free text (whole, or a tail such as ``2026-000042`` narrowed down by customer or
   amount), then numbers with one typo (substitution, insertion, deletion, swapped neighbours) among the known
   customer's items or the items of exactly the paid amount.
2. The customer: the one the named items belong to, else the owner of the counterparty IBAN seen before, else the
   one customer whose number or VAT number is in the text, else a unique customer whose name resembles the
   counterparty's above the threshold. A parent company paying for its subsidiaries is searched across the group.
3. The outcome: exact; within tolerance (bank fees up to the policy's limit, or the early-payment discount the
   terms allow on the payment date); short (apply, the rest is a deduction); over (apply, the rest stays on
   account); for a known customer with no named items, a unique open item of that amount, or the fewest, oldest
   open items summing to it (bounded subset-sum); a payment naming only already-settled items (a duplicate) stays
   on account for a person; otherwise unidentified (suspense).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cashtrail.cashapp.book import Book, OpenItem, compact
from cashtrail.cashapp.subset import fewest_summing
from cashtrail.money import Money

__all__ = ["Book", "OpenItem", "Outcome", "Payment", "Policy", "Proposal", "match"]


class Outcome(StrEnum):
    EXACT = "exact"
    TOLERANCE = "tolerance"
    COMBINATION = "combination"
    SHORT = "short"
    OVER = "over"
    UNIDENTIFIED = "unidentified"


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


_TOKEN = re.compile(r"[A-Z0-9][A-Z0-9\-/.]{3,}")
_FULL, _TAIL, _TYPO, _TYPO_AMOUNT = Decimal("0.95"), Decimal("0.94"), Decimal("0.85"), Decimal("0.92")
_OTHER_PAYER = Decimal("0.80")
_SAME_NAME = Decimal("0.975")


def tokens(text: str) -> list[str]:
    """Compact words of the text, and neighbours joined (``INV BE01 2026 000042`` is written with spaces too)."""
    words = [compact(t) for t in _TOKEN.findall(text.upper())]
    words = [w for w in words if len(w) >= 4]
    joined = ["".join(words[i : i + n]) for n in (2, 3, 4) for i in range(len(words) - n + 1)]
    return list(dict.fromkeys(words + joined))


@dataclass
class _Named:
    items: list[OpenItem]
    reasons: list[str]
    strength: Decimal


def named_items(payment: Payment, book: Book, customer: str | None, words: list[str]) -> _Named:
    """Items the payment names, the reasons, and how strongly (1.0 structured, 0.95 number, 0.85 typo)."""
    hits = [book.by_reference[r] for r in payment.references if r in book.by_reference]
    if hits:
        reasons = [f"structured reference {r}" for r in payment.references if r in book.by_reference]
        return _Named(_unique(hits), reasons, Decimal("1.0"))
    found: list[OpenItem] = []
    strength = _FULL
    for word in words:
        entries = book.by_key.get(word, [])
        full = [item for item, is_full in entries if is_full]
        if full:
            found += full
            continue
        tails = _narrow([item for item, _ in entries], customer, payment.amount)
        if len(tails) == 1:
            found += tails
            strength = min(strength, _TAIL)
    if found:
        items = _unique(found)
        named = _Named(items, [f"invoice number {i.number} in the text" for i in items], strength)
        if customer is None or all(i.customer == customer for i in items):
            return named
        # The number belongs to someone else than the known payer: a typo of the payer's own number is likelier.
        typo = _typos(payment, book, customer, words, skip_known=False)
        if typo.items:
            return typo
        named.strength = _OTHER_PAYER
        named.reasons.append("but the payer is another customer")
        return named
    return _typos(payment, book, customer, words)


def _narrow(items: list[OpenItem], customer: str | None, amount: Money) -> list[OpenItem]:
    """Items a shortened number may mean, narrowed to the known customer, else to the paid amount."""
    if len(items) <= 1:
        return items
    if customer is not None:
        return [i for i in items if i.customer == customer]
    return [i for i in items if i.open == amount]


def _typos(payment: Payment, book: Book, customer: str | None, words: list[str], *, skip_known: bool = True) -> _Named:
    """Numbers written with one typo, of the known customer or, for an unknown payer, of exactly the paid amount.

    The variants of each written word (every digit substituted, dropped, added, or swapped with its neighbour) are
    looked up in the book's number index, so the work does not grow with the customer's open items.
    """
    found: dict[str, OpenItem] = {}
    for word in words:
        if len(word) < 6 or sum(ch.isdigit() for ch in word) < 4 or (skip_known and word in book.by_key):
            continue
        for variant in sorted(_variants(word)):  # sorted: the same reasons in the same order on every run
            for item, _ in book.by_key.get(variant, ()):
                if item.customer == customer or (customer is None and item.open == payment.amount):
                    found[item.number] = item
    items = list(found.values())
    if not items:
        return _Named([], [], Decimal(0))
    if len(items) > 1:  # several numbers are one edit away: the amount tells which one was meant, or nothing does
        items = [i for i in items if i.open == payment.amount] or items
    # A typo is trusted for an automatic match only when the payer is known and the amount is exactly owed.
    exact = sum((i.open.amount for i in items), Decimal(0)) == payment.amount.amount
    strength = _TYPO_AMOUNT if exact and customer is not None else _TYPO
    return _Named(items, [f"invoice number {i.number} with a typo" for i in items], strength)


def _variants(word: str) -> set[str]:
    """Every string one digit edit away from ``word`` (substitution, deletion, insertion, swap of neighbours)."""
    digits = "0123456789"
    out: set[str] = set()
    for k, ch in enumerate(word):
        if ch.isdigit():
            out.update(word[:k] + d + word[k + 1 :] for d in digits)
            out.add(word[:k] + word[k + 1 :])
            if k + 1 < len(word) and word[k + 1].isdigit():
                out.add(word[:k] + word[k + 1] + ch + word[k + 2 :])
        if k == 0 or word[k - 1].isdigit() or ch.isdigit():
            out.update(word[:k] + d + word[k:] for d in digits)
    out.update(word + d for d in digits)
    out.discard(word)
    return out


def _unique(items: list[OpenItem]) -> list[OpenItem]:
    return list({i.number: i for i in items}.values())


def identify_customer(payment: Payment, book: Book, policy: Policy, words: list[str]) -> tuple[str | None, str]:
    """The paying customer by IBAN seen before, number or VAT number in the text, else a unique close name."""
    if payment.counterparty_iban and payment.counterparty_iban in book.iban_owner:
        return book.iban_owner[payment.counterparty_iban], f"IBAN {payment.counterparty_iban} seen before"
    in_text = book.customer_in_text(words)
    if in_text is not None:
        return in_text, f"customer {in_text} named in the text"
    if not payment.counterparty_name:
        return None, ""
    scored = book.name_candidates(payment.counterparty_name, at_least=policy.name_threshold)
    if scored and scored[0][0] >= policy.name_threshold and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        best = scored[0][1]
        if scored[0][0] >= _SAME_NAME:
            return best, f"exact name {payment.counterparty_name!r} of {best} (legal form and case aside)"
        return best, f"name {payment.counterparty_name!r} resembles {book.names[best]!r}"
    return None, ""


def match(payment: Payment, book: Book, policy: Policy = Policy()) -> Proposal:
    """The best proposal for one incoming payment."""
    words = tokens(payment.text)
    customer, why = identify_customer(payment, book, policy, words)
    named = named_items(payment, book, customer, words)
    if named.items:
        owners = {i.customer for i in named.items}
        if len(owners) > 1:
            return Proposal(
                payment.id,
                Outcome.UNIDENTIFIED,
                Decimal("0.30"),
                None,
                reasons=[*named.reasons, f"the named items belong to several customers: {', '.join(sorted(owners))}"],
            )
        return _settle(payment, named.items, named.strength, [*named.reasons, *([why] if why else [])], policy)
    duplicate = _settled_named(payment, book, words)
    if duplicate is not None:
        return duplicate
    if customer is None:
        return Proposal(payment.id, Outcome.UNIDENTIFIED, Decimal(0), reasons=["no reference, IBAN or name matched"])
    return _by_amount(payment, customer, book, why, policy)


def _settled_named(payment: Payment, book: Book, words: list[str]) -> Proposal | None:
    """A payment naming only items already settled: a duplicate or late payment, kept on account for a person."""
    keys = [r for r in payment.references if r in book.settled] or [w for w in words if w in book.settled]
    if not keys:
        return None
    customer = book.settled[keys[0]]
    return Proposal(
        payment.id,
        Outcome.OVER,
        Decimal("0.50"),
        customer,
        remainder=payment.amount,
        reasons=[f"refers to {keys[0]}, already settled: a duplicate payment? kept on account"],
    )


def _settle(payment: Payment, items: list[OpenItem], strength: Decimal, reasons: list[str], policy: Policy) -> Proposal:
    """Apply a payment to the items it names: exact, within tolerance, short or over."""
    ordered = sorted(items, key=lambda i: (i.due_date, i.number))
    currency = payment.amount.currency
    if any(i.open.currency != currency for i in ordered):
        return Proposal(payment.id, Outcome.UNIDENTIFIED, Decimal("0.30"), ordered[0].customer, reasons=reasons)
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


def _spread(amount: Money, items: list[OpenItem]) -> list[tuple[str, Money]]:
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
    group = book.group_of(customer)
    trust = Decimal("0.95") if why.startswith(("IBAN", "customer", "exact name")) else Decimal("0.85")
    single = book.items_of_amount(payment.amount, group)
    if single and single[0].customer != customer:
        trust *= Decimal("0.90")  # a parent paying for a subsidiary: less sure
    if single:
        confidence = trust * (Decimal("0.95") if len(single) == 1 else Decimal("0.60"))
        return Proposal(
            payment.id,
            Outcome.EXACT,
            confidence,
            single[0].customer,
            [(single[0].number, single[0].open)],
            reasons=[
                why,
                f"amount equals open item {single[0].number}"
                + ("" if len(single) == 1 else f" (and {len(single) - 1} other items)"),
            ],
        )
    owned = book.items_of(customer)  # oldest due first
    candidates: list[OpenItem] = []
    for item in owned:
        if item.open.currency == payment.amount.currency and item.open.amount > 0:
            candidates.append(item)
            if len(candidates) > policy.max_candidates:
                break
    searched_all = len(candidates) <= policy.max_candidates
    candidates = candidates[: policy.max_candidates]
    found = fewest_summing([i.open.amount for i in candidates], payment.amount.amount, policy.max_combination_items)
    if found is not None:
        # Only a search over all the customer's items can say the combination is the only one.
        chosen, unique = [candidates[k] for k in found[0]], found[1] and searched_all
        return Proposal(
            payment.id,
            Outcome.COMBINATION,
            trust * (Decimal("0.95") if unique else Decimal("0.55")),
            customer,
            [(i.number, i.open) for i in chosen],
            reasons=[why, f"{len(chosen)} open items sum to the amount" + ("" if unique else " (ambiguous)")],
        )
    return Proposal(
        payment.id,
        Outcome.UNIDENTIFIED,
        Decimal("0.40"),
        customer,
        reasons=[why, "no open item or combination of items matches the amount"],
    )
