"""Customer reserve funds: a prepaid balance that repair work draws down before anything is invoiced.

A drawdown takes as much of a charge as the balance covers; the rest is invoiced. The balance never goes below
zero. The fund's status is ``active``, ``low`` (balance under the warning threshold) or ``exhausted``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class FundStatus(StrEnum):
    ACTIVE = "active"
    LOW = "low"
    EXHAUSTED = "exhausted"


@dataclass(frozen=True)
class Drawdown:
    drawn: Decimal
    to_invoice: Decimal
    balance_after: Decimal


def draw(balance: Decimal, charge: Decimal) -> Drawdown:
    """Draw ``charge`` from ``balance``.

    >>> draw(Decimal("500"), Decimal("620.50"))
    Drawdown(drawn=Decimal('500'), to_invoice=Decimal('120.50'), balance_after=Decimal('0'))
    """
    if charge < 0:
        raise ValueError("a drawdown charge must not be negative")
    drawn = min(max(balance, Decimal(0)), charge)
    return Drawdown(drawn=drawn, to_invoice=charge - drawn, balance_after=balance - drawn)


def fund_status(balance: Decimal, warning_threshold: Decimal) -> FundStatus:
    """The status shown to the pre-billing team."""
    if balance <= 0:
        return FundStatus.EXHAUSTED
    if balance < warning_threshold:
        return FundStatus.LOW
    return FundStatus.ACTIVE
