"""The content of a dunning letter (what the renderer prints and e-mails) and how it is built from a proposal.

Each line is one overdue item at the level it reached; when the letter's level charges interest and the policy
claims late-payment charges, each line carries the statutory interest accrued up to the run date on its open amount
and, the first time an item is claimed, the fixed compensation (EUR 40 per invoice). Interest and compensation are
claimed on the letter; they are not posted to the ledger (decision D-503).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from cashtrail.dunning.interest import ReferenceRateTable, late_payment_charges
from cashtrail.dunning.levels import DunningProposal, ItemDecision
from cashtrail.money import Money

LANGUAGES = ("en", "fr", "nl", "es")


def letter_language(language: str) -> str:
    """The customer's language when a letter exists in it, else English."""
    return language if language in LANGUAGES else "en"


@dataclass(frozen=True)
class LetterLine:
    item_id: int
    reference: str
    due_date: date
    days_past_due: int
    level_number: int
    open_amount: Money
    interest: Money
    compensation: Money
    interest_days: int


@dataclass(frozen=True)
class LetterContent:
    """Everything a letter shows; amounts of the lines are in ``currency``."""

    customer_number: str
    customer_name: str
    address: tuple[str, ...]
    language: str
    as_of: date
    level_number: int
    level_name: str
    channel: str
    currency: str
    lines: tuple[LetterLine, ...]
    fee: Money
    creditor_name: str = ""
    creditor_iban: str = ""

    @property
    def total(self) -> Money:
        return sum((line.open_amount for line in self.lines), Money.zero(self.currency))

    @property
    def interest(self) -> Money:
        return sum((line.interest for line in self.lines), Money.zero(self.currency)).rounded()

    @property
    def compensation(self) -> Money:
        return sum((line.compensation for line in self.lines), Money.zero(self.currency))

    @property
    def amount_due(self) -> Money:
        """Open amounts, fee, interest and compensation together."""
        return self.total + self.fee + self.interest + self.compensation


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    body: str
    pdf: bytes


class LetterRenderer(Protocol):
    """Turns a letter into an e-mail subject and body and a PDF (an adapter: ``cashtrail.documents``)."""

    def render(self, letter: LetterContent) -> RenderedLetter: ...


@dataclass(frozen=True)
class Addressee:
    number: str
    name: str
    address: tuple[str, ...]
    language: str
    currency: str


def build_letter(
    proposal: DunningProposal,
    customer: Addressee,
    *,
    claim_charges: bool,
    rates: ReferenceRateTable,
    compensated: Collection[int],
    references: Mapping[int, str],
) -> LetterContent | None:
    """The letter of ``proposal`` for ``customer``; ``None`` when nothing goes out.

    Lines in another currency than the customer's are left off (a letter has one currency; see D-503).
    """
    letter = proposal.letter
    if letter is None:
        return None
    currency = customer.currency
    charging = claim_charges and letter.level.charge_interest
    lines = [
        _line(decision, proposal.as_of, rates if charging else None, compensated, references)
        for decision in letter.lines
        if decision.level is not None and decision.item.open_amount.currency == currency
    ]
    if not lines:
        return None
    fee = letter.fee if letter.fee is not None and letter.fee.currency == currency else Money.zero(currency)
    return LetterContent(
        customer.number,
        customer.name,
        customer.address,
        letter_language(customer.language),
        proposal.as_of,
        letter.level.number,
        letter.level.name,
        str(letter.level.channel),
        currency,
        tuple(lines),
        fee,
    )


def _line(
    decision: ItemDecision,
    as_of: date,
    rates: ReferenceRateTable | None,
    compensated: Collection[int],
    references: Mapping[int, str],
) -> LetterLine:
    """One line; with ``rates``, the interest accrued up to ``as_of`` and (once per item) the compensation."""
    item, item_id = decision.item, int(decision.item.item_id)
    currency = item.open_amount.currency
    interest, compensation, days = Money.zero(currency), Money.zero(currency), 0
    if rates is not None:
        charges = late_payment_charges(item.open_amount, item.due_on, as_of, rates)
        interest, days = charges.interest, charges.days_late
        if item_id not in compensated and charges.compensation is not None:
            compensation = charges.compensation
    assert decision.level is not None
    return LetterLine(
        item_id,
        references.get(item_id, item.item_id),
        item.due_on,
        decision.days_past_due,
        decision.level.number,
        item.open_amount,
        interest,
        compensation,
        days,
    )
