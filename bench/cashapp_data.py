"""Synthetic customers, open invoices and incoming payments for the cash-application benchmark (fixed seed).

Noise model (shares of payments; each payment's truth is recorded with it):

| scenario | share | what the bank sends |
|---|---|---|
| clean | 40 % | the invoice's structured reference (OGM/VCS or RF), exact amount, the customer's known IBAN |
| number in text | 12 % | our number in the free text (whole 60 %, ``2026-000123`` 25 %, spaced 15 %), no reference |
| typo | 5 % | the number in the text with one typo (substitution, swap, missing or extra digit), known IBAN |
| amount only | 8 % | no reference, known IBAN, exact amount of one open invoice |
| multi-invoice | 6 % | 2–4 invoices of one customer in one payment: all numbers in the text (60 %) or nothing (40 %) |
| short pay | 5 % | reference, 5–30 % less than owed (a deduction) |
| over-pay | 2 % | reference, 1–20 % more than owed |
| bank fees | 5 % | reference, 0.50–15.00 less than owed |
| third-party payer | 3 % | reference, unknown IBAN, another company's name |
| new account | 4 % | no reference, an IBAN never seen, the customer's name with noise (case, legal form, punctuation) |
| duplicate | 2 % | a second payment of an invoice already settled (its reference), known IBAN |
| unidentifiable | 8 % | unknown IBAN, unknown name, odd amount, text without a usable number |

Every invoice is paid at most once in the batch (besides the duplicates, which name invoices settled before it),
so the truth of a payment is the customer and the set of invoices it settles; duplicates and unidentifiable
payments are not *matchable* (the right answer is a person's decision: on account or suspense). Amounts are drawn
so that about 15 % of invoices share a standard amount with another invoice of the same customer, which makes
amount-only matching genuinely ambiguous.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cashtrail.cashapp.book import Book, OpenItem
from cashtrail.cashapp.matching import Payment
from cashtrail.invoicing.references import ogm_reference, rf_reference
from cashtrail.money import Money

SEED = 20260601
SCENARIOS = (
    ("clean", 40),
    ("text", 12),
    ("typo", 5),
    ("amount", 8),
    ("multi", 6),
    ("short", 5),
    ("over", 2),
    ("fees", 5),
    ("third_party", 3),
    ("new_account", 4),
    ("duplicate", 2),
    ("unidentifiable", 8),
)
_WORD_TEXT = (
    "Alpha Beta Delta Nova Atlas Orion Vega Lumen Terra Aqua Ferro Metro Quantum Solar Polar Vista Nord Sud Est "
    "West Global Prime Optima Civic Royal Urban Green Blue Silver Golden Rapid Smart Bright Clear Core Apex Summit "
    "Harbor River Stone Oak Cedar Maple Pine Falcon Eagle Lion Tiger Wolf Fox Bear Swan Dubois Janssens Peeters "
    "Martin Bernard Moreau Laurent Garcia Lopez Muller Schmidt Fischer Weber Visser Bakker Smit Mertens Claes"
)
_WORDS = _WORD_TEXT.split()
_KINDS = ("Lifts", "Print", "Office", "Logistics", "Services", "Systems", "Technics", "Solutions", "Industries")
_FORMS = {"BE": "NV", "FR": "SAS", "NL": "BV", "DE": "GmbH"}
_STANDARD = [Decimal(v) for v in ("121.00", "242.00", "250.00", "302.50", "605.00", "1210.00")]


@dataclass(frozen=True)
class Truth:
    scenario: str
    customer: str | None
    items: frozenset[str]

    @property
    def matchable(self) -> bool:
        return self.scenario not in ("duplicate", "unidentifiable")


@dataclass
class Dataset:
    book: Book
    payments: list[Payment]
    truth: dict[str, Truth]


def _iban(rng: random.Random, country: str) -> str:
    return f"{country}{rng.randrange(10, 99)}{rng.randrange(10**13, 10**14)}"


def _customers(rng: random.Random, count: int) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    names, countries, ibans, parents = {}, {}, {}, {}
    for n in range(1, count + 1):
        number = f"C{n:07d}"
        country = rng.choice(("BE", "BE", "FR", "NL", "DE"))
        words = rng.sample(_WORDS, 2)
        names[number] = f"{words[0]} {words[1]} {rng.choice(_KINDS)} {_FORMS[country]}"
        countries[number] = country
        ibans[number] = _iban(rng, country)
        if n > 100 and rng.random() < 0.03:
            parents[number] = f"C{rng.randrange(1, 100):07d}"
    return names, countries, ibans, parents


def _invoices(rng: random.Random, customers: list[str], countries: dict[str, str], count: int) -> list[OpenItem]:
    items = []
    for seq in range(1, count + 1):
        # A fifth of the invoices go to 1 % of the customers (key accounts with hundreds of open items).
        key = rng.random() < 0.2
        customer = rng.choice(customers[: max(1, len(customers) // 100)]) if key else rng.choice(customers)
        entity = "BE01" if countries[customer] in ("BE", "NL") else "FR01"
        number = f"INV-{entity}-2026-{seq:06d}"
        amount = rng.choice(_STANDARD) if rng.random() < 0.15 else Decimal(rng.randrange(5000, 2_000_000)) / 100
        due = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 180))
        reference = ogm_reference(seq).value if countries[customer] == "BE" else rf_reference(number).value
        discount = (amount * Decimal("0.02")).quantize(Decimal("0.01")) if rng.random() < 0.05 else None
        items.append(
            OpenItem(
                number,
                customer,
                Money(amount, "EUR"),
                due,
                reference,
                discount=None if discount is None else Money(discount, "EUR"),
                discount_until=None if discount is None else due - timedelta(days=20),
                id=seq,
            )
        )
    return items


def generate(payments: int = 50_000, items: int = 300_000, customers: int = 20_000, seed: int = SEED) -> Dataset:
    """The benchmark's book and payments; the same arguments always give the same data."""
    rng = random.Random(seed)
    names, countries, ibans, parents = _customers(rng, customers)
    invoices = _invoices(rng, list(names), countries, items)
    settled_share = max(1, payments // 50)
    settled, open_items = invoices[:settled_share], invoices[settled_share:]
    by_customer: dict[str, list[OpenItem]] = {}
    for item in open_items:
        by_customer.setdefault(item.customer, []).append(item)
    book = Book(
        {c: sorted(v, key=lambda i: (i.due_date, i.number)) for c, v in by_customer.items()},
        iban_owner={iban: c for c, iban in ibans.items()},
        names=names,
        parents=parents,
        settled={k: i.customer for i in settled for k in (i.payment_reference or "", i.number.replace("-", ""))},
    )
    maker = _PaymentMaker(rng, book, ibans, names, settled)
    result = Dataset(book, [], {})
    weights = [w for _, w in SCENARIOS]
    for n in range(payments):
        scenario = rng.choices([s for s, _ in SCENARIOS], weights)[0]
        payment, truth = maker.make(f"P{n:06d}", scenario)
        result.payments.append(payment)
        result.truth[payment.id] = truth
    return result


class _PaymentMaker:
    def __init__(
        self, rng: random.Random, book: Book, ibans: dict[str, str], names: dict[str, str], settled: list[OpenItem]
    ) -> None:
        self.rng, self.book, self.ibans, self.names, self.settled = rng, book, ibans, names, settled
        self.pool = [i for items in book.items.values() for i in items]
        rng.shuffle(self.pool)
        self.used: set[str] = set()

    def _take(self) -> OpenItem:
        while True:
            item = self.pool.pop()
            if item.number not in self.used:
                self.used.add(item.number)
                return item

    def _siblings(self, first: OpenItem, count: int) -> list[OpenItem]:
        free = [i for i in self.book.items_of(first.customer) if i.number not in self.used]
        chosen = [first, *self.rng.sample(free, min(count - 1, len(free)))]
        self.used.update(i.number for i in chosen)
        return chosen

    def make(self, pid: str, scenario: str) -> tuple[Payment, Truth]:
        rng = self.rng
        day = date(2026, 6, 15)
        if scenario == "unidentifiable":
            odd = Money(Decimal(rng.randrange(1000, 500_000)) / 100 + Decimal("0.07"), "EUR")
            name = f"{rng.choice(('Mr', 'Ms'))} {rng.choice(('Nobody', 'Unknown', 'Private'))} {rng.randrange(999)}"
            text = rng.choice(("refund", "transfer", "gift", "payment", ""))
            return Payment(pid, odd, day, (), text, _iban(rng, "LU"), name), Truth(scenario, None, frozenset())
        if scenario == "duplicate":
            item = rng.choice(self.settled)
            payment = Payment(pid, item.open, day, (item.payment_reference or "",), "", self.ibans[item.customer], None)
            return payment, Truth(scenario, item.customer, frozenset())
        item = self._take()
        iban, name = self.ibans[item.customer], self.names[item.customer]
        if scenario == "multi":
            items = self._siblings(item, rng.randint(2, 4))
            total = Money(sum((i.open.amount for i in items), Decimal(0)), "EUR")
            text = " ".join(i.number for i in items) if rng.random() < 0.6 else "payment invoices"
            return Payment(pid, total, day, (), text, iban, name), Truth(scenario, item.customer, _numbers(items))
        truth = Truth(scenario, item.customer, frozenset({item.number}))
        ref = (item.payment_reference or "",)
        amount = item.open.amount
        if scenario == "clean":
            return Payment(pid, item.open, day, ref, "", iban, name), truth
        if scenario == "text":
            return Payment(pid, item.open, day, (), f"payment {_written(rng, item.number)}", iban, None), truth
        if scenario == "typo":
            return Payment(pid, item.open, day, (), f"inv {_typo(rng, item.number)}", iban, None), truth
        if scenario == "amount":
            return Payment(pid, item.open, day, (), "invoice payment", iban, name), truth
        if scenario == "short":
            less = (amount * Decimal(rng.randrange(5, 30)) / 100).quantize(Decimal("0.01"))
            return Payment(pid, Money(amount - less, "EUR"), day, ref, "", iban, name), truth
        if scenario == "over":
            more = (amount * Decimal(rng.randrange(1, 20)) / 100).quantize(Decimal("0.01"))
            return Payment(pid, Money(amount + more, "EUR"), day, ref, "", iban, name), truth
        if scenario == "fees":
            fee = Decimal(rng.randrange(50, 1500)) / 100
            return Payment(pid, Money(amount - fee, "EUR"), day, ref, "", iban, name), truth
        if scenario == "third_party":
            return Payment(pid, item.open, day, ref, "", _iban(rng, "DE"), "Factoring Partners AG"), truth
        noisy = _noisy_name(rng, name)
        return Payment(pid, item.open, day, (), "", _iban(rng, "NL"), noisy), truth


def _numbers(items: list[OpenItem]) -> frozenset[str]:
    return frozenset(i.number for i in items)


def _written(rng: random.Random, number: str) -> str:
    roll = rng.random()
    if roll < 0.6:
        return number
    if roll < 0.85:
        return number[-11:]  # 2026-000123
    return number.replace("-", " ")


def _typo(rng: random.Random, number: str) -> str:
    digits = [k for k, ch in enumerate(number) if ch.isdigit() and k >= len(number) - 6]
    k = rng.choice(digits)
    kind = rng.choice(("substitute", "swap", "drop", "extra"))
    if kind == "substitute":
        return number[:k] + str((int(number[k]) + rng.randint(1, 9)) % 10) + number[k + 1 :]
    if kind == "swap" and k + 1 < len(number) and number[k] != number[k + 1]:
        return number[:k] + number[k + 1] + number[k] + number[k + 2 :]
    if kind == "drop":
        return number[:k] + number[k + 1 :]
    return number[:k] + str(rng.randint(0, 9)) + number[k:]


def _noisy_name(rng: random.Random, name: str) -> str:
    words = name.split()
    if rng.random() < 0.5:
        words = words[:-1]  # legal form left out
    text = " ".join(words)
    return text.upper() if rng.random() < 0.5 else text.replace(" ", ", ", 1)
