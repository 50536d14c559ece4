"""Progress statement of a repair or modernisation job: the works billed so far against the contract value.

A modernisation (a lift's new drive and controls, say) is billed in stages: a down payment, then each stage as it
is completed. With each stage invoice the customer gets a progress statement: the contract, every stage billed so
far (invoice number, date, net amount, share of the contract), this statement's stage, the cumulative amount
billed, the share of the contract that represents, and what remains to be billed. Amounts are net of VAT: VAT is
on the stage invoices, which are the tax documents; the statement is not.

Invariants (checked on construction; :func:`progress_problems` lists every broken one):
- every amount is :class:`~cashtrail.money.Money` in the contract's currency, with no more decimals than its
  minor unit, and the contract value is positive;
- billed to date = previously billed + this statement; remaining = contract value - billed to date, never
  negative (a job is not billed beyond its contract: raise the contract value by an amendment first);
- every stage is dated on or before the statement date, and no invoice number appears twice.

>>> eur = lambda s: Money.of(s, "EUR")
>>> s = ProgressStatement(
...     number="PS-0002", statement_date=date(2026, 5, 31), contract_number="MOD-7", contract_description="Lift A",
...     contract_value=eur("80000.00"),
...     previous=(ProgressStage("Down payment", "INV-1", date(2026, 3, 1), eur("24000.00")),),
...     current=ProgressStage("Drive and controls installed", "INV-2", date(2026, 5, 31), eur("32000.00")))
>>> s.billed_to_date, s.remaining, s.percent_complete
(Money('56000.00', 'EUR'), Money('24000.00', 'EUR'), Decimal('70.00'))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.money import Money, total

_HUNDRED = Decimal(100)
_PERCENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class ProgressStage:
    """One billed stage of the works: what was done, the invoice that billed it and its net amount."""

    description: str
    invoice_number: str
    invoice_date: date
    amount: Money  # net of VAT


@dataclass(frozen=True, slots=True)
class ProgressStatement:
    """The works billed so far on one contract, as of ``statement_date``, with ``current`` billed now."""

    number: str
    statement_date: date
    contract_number: str
    contract_description: str
    contract_value: Money
    previous: tuple[ProgressStage, ...]
    current: ProgressStage

    def __post_init__(self) -> None:
        problems = progress_problems(self)
        if problems:
            raise ValidationFailed(
                "progress statement does not reconcile", code="invoicing.progress_mismatch", errors=problems
            )

    @property
    def currency(self) -> str:
        return self.contract_value.currency

    @property
    def stages(self) -> tuple[ProgressStage, ...]:
        """Every stage billed so far, this statement's last."""
        return (*self.previous, self.current)

    @property
    def previously_billed(self) -> Money:
        return total((s.amount for s in self.previous), self.currency)

    @property
    def this_statement(self) -> Money:
        return self.current.amount

    @property
    def billed_to_date(self) -> Money:
        return self.previously_billed + self.this_statement

    @property
    def remaining(self) -> Money:
        """What is left to bill on the contract."""
        return self.contract_value - self.billed_to_date

    @property
    def percent_complete(self) -> Decimal:
        """The share of the contract billed to date, in percent with two decimals (half up)."""
        return self.share(self.billed_to_date)

    def share(self, amount: Money) -> Decimal:
        """``amount`` as a percentage of the contract value, two decimals (half up)."""
        return (amount.amount * _HUNDRED / self.contract_value.amount).quantize(_PERCENT, ROUND_HALF_UP)


def progress_problems(statement: ProgressStatement) -> list[FieldError]:
    """Every broken invariant of ``statement`` (empty when it reconciles)."""
    s = statement
    problems: list[FieldError] = []
    amounts = [s.contract_value, *(stage.amount for stage in s.stages)]
    if any(not isinstance(a, Money) for a in amounts):
        return [FieldError("amount", "every amount must be Money")]
    if any(a.currency != s.contract_value.currency for a in amounts):
        problems.append(FieldError("currency", "every amount must be in the contract currency"))
        return problems
    if any(a != a.rounded() for a in amounts):
        problems.append(FieldError("amount", "an amount has more decimals than the currency allows"))
    if s.contract_value.amount <= 0:
        problems.append(FieldError("contract_value", "must be positive", value=s.contract_value))
    elif s.billed_to_date > s.contract_value:
        problems.append(FieldError("billed_to_date", "exceeds the contract value", value=s.billed_to_date))
    if s.billed_to_date.amount < 0:
        problems.append(FieldError("billed_to_date", "must not be negative", value=s.billed_to_date))
    for stage in s.stages:
        if stage.invoice_date > s.statement_date:
            problems.append(FieldError("invoice_date", "is after the statement date", value=stage.invoice_number))
    numbers = [stage.invoice_number for stage in s.stages]
    if len(set(numbers)) != len(numbers):
        problems.append(FieldError("invoice_number", "an invoice appears twice"))
    return problems
