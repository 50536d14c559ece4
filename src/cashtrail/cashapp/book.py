"""What the matching engine matches against, indexed once per run: open items, payers seen before, customers.

A :class:`Book` is built once for a batch of payments and answers every lookup in constant time (references,
invoice numbers and their common shortenings, amounts, customer numbers, VAT numbers, IBANs, name tokens), so
matching 50,000 payments never scans 300,000 items per payment.

Invoice numbers are looked up by their full compact form (``INVBE012026000042``) and by shorter tails people
write (``2026-000042``, ``000042``): a tail key may point to several items (one per entity series), which the
engine narrows down by customer or amount. Names are compared only among customers sharing a rare name token.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher

from cashtrail.money import Money

#: Legal forms and filler words that say nothing about who a company is.
_NOISE_WORDS = (
    "SA NV BV BVBA SRL SPRL SAS SARL GMBH AG KG LTD LIMITED PLC INC LLC SL SLU SPA CO THE AND ET DE DU LA LE "
    "LES VAN DER DEN HET VOF CV EURL SCS COMPANY GROUP"
)
_NAME_NOISE = frozenset(_NOISE_WORDS.split())


@dataclass(frozen=True)
class OpenItem:
    """A receivable the engine may settle (an open invoice; positive ``open``)."""

    number: str
    customer: str
    open: Money
    due_date: date
    payment_reference: str | None = None  # compact RF or OGM/VCS digits
    discount: Money | None = None  # early-payment discount allowed until ``discount_until``
    discount_until: date | None = None
    id: int | None = None


_SEPARATORS = re.compile(r"[^A-Z0-9]+")
_NON_DIGITS = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^A-Z0-9]")


def compact(text: str) -> str:
    """Upper case letters and digits only."""
    return _NON_ALNUM.sub("", text.upper())


def number_keys(number: str) -> list[tuple[str, bool]]:
    """The keys an invoice number is found by, each with whether it is the full number.

    >>> number_keys("INV-BE01-2026-000042")
    [('INVBE012026000042', True), ('2026000042', False), ('000042', False), ('012026000042', False)]
    """
    parts = [p for p in _SEPARATORS.split(number.upper()) if p]
    full = "".join(parts)  # the letters and digits only, as ``compact`` gives them
    candidates = []
    if len(parts) >= 3:
        candidates.append("".join(parts[-2:]))
    if len(parts) >= 2 and sum(map(str.isdigit, parts[-1])) >= 5:
        candidates.append(parts[-1])
    digits = _NON_DIGITS.sub("", number)
    if len(digits) >= 6:
        candidates.append(digits)
    keys, seen = [(full, True)], {full}
    for key in candidates:
        if key not in seen:
            seen.add(key)
            keys.append((key, False))
    return keys


def name_words(name: str) -> list[str]:
    """The telling words of a name in order (3+ letters or digits, legal forms dropped)."""
    return [t for t in re.findall(r"[A-Z0-9]+", name.upper()) if len(t) >= 3 and t not in _NAME_NOISE]


def name_tokens(name: str) -> set[str]:
    """The telling words of a name, as a set."""
    return set(name_words(name))


def name_similarity(a: str, b: str) -> Decimal:
    """How alike two names are (0 to 1), case, punctuation and legal forms ignored; a tie of those is broken by
    the names as written (legal form included), so that only a name identical in every way scores 1.

    >>> name_similarity("ACME, Lifts", "Acme Lifts NV") > name_similarity("Acme Lifts", "Lifts Acme NV")
    True
    """
    left, right = " ".join(name_words(a)), " ".join(name_words(b))
    if not left or not right:
        return Decimal(0)
    core = SequenceMatcher(None, left, right).ratio()
    written = SequenceMatcher(None, " ".join(re.findall(r"\w+", a.upper())), " ".join(re.findall(r"\w+", b.upper())))
    return Decimal(str(round(core * 0.98 + written.ratio() * 0.02, 4)))


@dataclass
class Book:
    """Open items by customer, IBANs seen before (one customer each), customers' names, VAT numbers, parents."""

    items: Mapping[str, Sequence[OpenItem]]
    iban_owner: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    vat_numbers: Mapping[str, str] = field(default_factory=dict)
    parents: Mapping[str, str] = field(default_factory=dict)  # customer → parent company (a customer too)
    settled: Mapping[str, str] = field(default_factory=dict)  # reference or number key of a settled item → customer

    def __post_init__(self) -> None:
        # The indexes are millions of small tuples and lists pointing at existing items, with no reference cycles:
        # the cyclic garbage collector has nothing to find while they are built, and pausing it halves the build.
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._index()
        finally:
            if enabled:
                gc.enable()

    def _index(self) -> None:
        self.sorted_items = {c: sorted(v, key=lambda i: (i.due_date, i.number)) for c, v in self.items.items()}
        self.by_reference: dict[str, OpenItem] = {}
        self.by_key: dict[str, list[tuple[OpenItem, bool]]] = defaultdict(list)
        # Amounts are indexed per customer: a standard amount shared by thousands of items across the book must not
        # be scanned for every payment of a known customer (that made matching grow with the square of the data).
        self.by_amount: dict[tuple[str, str, Decimal], list[OpenItem]] = defaultdict(list)
        self.rank = {customer: k for k, customer in enumerate(self.items)}
        for item in (i for items in self.items.values() for i in items):
            if item.payment_reference:
                self.by_reference[item.payment_reference] = item
            for key, full in number_keys(item.number):
                self.by_key[key].append((item, full))
            self.by_amount[(item.customer, item.open.currency, item.open.amount)].append(item)
        self.customer_keys: dict[str, str] = {compact(c): c for c in self.names if len(compact(c)) >= 4}
        for customer, vat in self.vat_numbers.items():
            if vat:  # with and without its country prefix, as people write it
                self.customer_keys[compact(vat)] = customer
                self.customer_keys[compact(vat)[2:]] = customer
        self.name_index: dict[str, set[str]] = defaultdict(set)
        for customer, name in self.names.items():
            for token in name_tokens(name):
                self.name_index[token].add(customer)
        self.children: dict[str, list[str]] = defaultdict(list)
        for child, parent in self.parents.items():
            self.children[parent].append(child)

    def items_of(self, customer: str) -> Sequence[OpenItem]:
        """The customer's open items, oldest due first."""
        return self.sorted_items.get(customer, ())

    def items_of_amount(self, amount: Money, customers: Iterable[str]) -> list[OpenItem]:
        """The open items of exactly ``amount`` owed by ``customers``, in the book's order."""
        ordered = sorted((c for c in customers if c in self.rank), key=self.rank.__getitem__)
        return [i for c in ordered for i in self.by_amount.get((c, amount.currency, amount.amount), ())]

    def group_of(self, customer: str) -> list[str]:
        """The customer and, when it is a parent company, its subsidiaries."""
        return [customer, *self.children.get(customer, [])]

    def customer_in_text(self, tokens: Iterable[str]) -> str | None:
        """The one customer whose number or VAT number appears among ``tokens``."""
        found = {self.customer_keys[t] for t in tokens if t in self.customer_keys}
        return found.pop() if len(found) == 1 else None

    def name_candidates(self, name: str, at_least: Decimal | None = None) -> list[tuple[Decimal, str]]:
        """Customers sharing telling words with ``name`` (all of them when it has two or more), best first.

        With ``at_least``, customers whose similarity cannot reach it are left out before the costly comparison:
        an upper bound of :func:`name_similarity` (the character-count ratio of the telling words) rules them out.
        """
        owners = sorted((self.name_index.get(token, set()) for token in name_tokens(name)), key=len)
        owners = [o for o in owners if o]
        if not owners:
            return []
        candidates = set(owners[0]) if len(owners) == 1 else owners[0] & owners[1]
        if len(candidates) > 200:  # one common word alone tells nothing
            return []
        if at_least is not None:
            candidates = self._may_reach(name, candidates, at_least)
        scored = [(name_similarity(name, self.names[c]), c) for c in candidates]
        return sorted(scored, key=lambda s: (-s[0], s[1]))

    def _may_reach(self, name: str, candidates: set[str], at_least: Decimal) -> set[str]:
        """The candidates whose name similarity to ``name`` may reach ``at_least`` (an exact upper bound)."""
        matcher = SequenceMatcher(None, "", " ".join(name_words(name)))
        kept = set()
        for customer in candidates:
            matcher.set_seq1(" ".join(name_words(self.names[customer])))
            if Decimal(str(round(matcher.quick_ratio() * 0.98 + 0.02, 4))) >= at_least:
                kept.add(customer)
        return kept
