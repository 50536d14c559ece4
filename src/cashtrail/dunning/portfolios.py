"""Collector portfolios: which collector works which customer, and rebalancing the workload.

A customer's collections profile holds its dunning segment, its collector, a risk score (0 none … 100 highest) and
whether dunning is blocked for it. Rebalancing spreads customers over collectors so that each carries a similar
share of the open amount *and* of the account count: customers are taken largest open amount first and each goes to
the collector whose load ``open share + account share`` would be lowest after taking it (ties: the collector who
already has the customer, then by name). Open amounts in different currencies are compared as plain numbers: the
domain does no FX, so a portfolio should be balanced per currency (see D-506).

>>> moves = rebalance({"A": Decimal(900), "B": Decimal(100), "C": Decimal(100)}, ["ann", "bob"], {})
>>> sorted(moves.items())
[('A', 'ann'), ('B', 'bob'), ('C', 'bob')]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cashtrail.errors import ValidationFailed

DEFAULT_SEGMENT = "standard"


@dataclass
class Profile:
    """The collections side of a customer."""

    customer_number: str
    segment: str = DEFAULT_SEGMENT
    collector: str | None = None
    risk: int = 0
    dunning_blocked: bool = False
    block_reason: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.risk <= 100:
            raise ValidationFailed("risk is a score from 0 to 100", code="collections.bad_risk", risk=self.risk)


def rebalance(
    open_amounts: Mapping[str, Decimal], collectors: Sequence[str], current: Mapping[str, str | None]
) -> dict[str, str]:
    """``{customer: collector}`` for every customer of ``open_amounts``, balancing open amount and account count."""
    if not collectors:
        raise ValidationFailed("rebalancing needs at least one collector", code="collections.no_collectors")
    total = sum((max(a, Decimal(0)) for a in open_amounts.values()), Decimal(0)) or Decimal(1)
    count = Decimal(len(open_amounts) or 1)
    amount_of = dict.fromkeys(collectors, Decimal(0))
    accounts_of = dict.fromkeys(collectors, 0)
    result: dict[str, str] = {}
    for customer in sorted(open_amounts, key=lambda c: (-open_amounts[c], c)):
        share = max(open_amounts[customer], Decimal(0))

        def load(collector: str, share: Decimal = share) -> Decimal:
            return (amount_of[collector] + share) / total + (accounts_of[collector] + 1) / count

        best = min(collectors, key=lambda c: (load(c), current.get(customer) != c, c))
        result[customer] = best
        amount_of[best] += share
        accounts_of[best] += 1
    return result
