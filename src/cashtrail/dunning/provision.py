"""Bad-debt provision: a simplified expected-credit-loss matrix over aging buckets.

Provision = Σ over buckets of the bucket's open amount × the rate (in percent) the user sets for that bucket.

Invariants:
- one currency per calculation (pass one currency's bucket totals, e.g. ``aging.totals["EUR"]``);
- every bucket holding an amount needs a rate, 0 to 100 %: a missing rate is an error, never a silent zero;
- a bucket whose net amount is negative (credits exceed debits) provisions nothing, never a negative amount;
- lines keep full precision; only the total is rounded, once, to the currency's minor unit, half-up.

>>> matrix = ProvisionMatrix.of({"current": Decimal("1"), "1-30": Decimal("5")})
>>> amounts = {"current": Money.of("1000", "EUR"), "1-30": Money.of("200", "EUR")}
>>> bad_debt_provision(amounts, matrix, "EUR").total
Money('20.00', 'EUR')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from cashtrail.dunning.errors import InvalidPolicy
from cashtrail.money import Money, check_currency

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ProvisionMatrix:
    """Provision rates in percent by aging bucket label."""

    rates: Mapping[str, Decimal]

    def __post_init__(self) -> None:
        for label, rate in self.rates.items():
            if not isinstance(rate, Decimal):
                raise TypeError(f"provision rate must be a Decimal, got {type(rate).__name__}")
            if not Decimal(0) <= rate <= _HUNDRED:
                raise InvalidPolicy(f"provision rate for {label!r} must be 0 to 100 %", bucket=label, rate=str(rate))

    @classmethod
    def of(cls, rates: Mapping[str, Decimal]) -> ProvisionMatrix:
        """Build from ``{bucket label: rate in percent}``."""
        return cls(dict(rates))

    def rate_for(self, label: str) -> Decimal:
        """The rate of bucket ``label``; raises :class:`InvalidPolicy` when none is set."""
        if label not in self.rates:
            raise InvalidPolicy(f"no provision rate for aging bucket {label!r}", bucket=label)
        return self.rates[label]


@dataclass(frozen=True)
class ProvisionLine:
    """One bucket: its open amount, its rate and the (unrounded) provision it contributes."""

    bucket: str
    open_amount: Money
    rate: Decimal
    provision: Money


@dataclass(frozen=True)
class Provision:
    """The provision per bucket and its rounded total, in one currency."""

    currency: str
    lines: tuple[ProvisionLine, ...]
    total: Money


def bad_debt_provision(bucket_amounts: Mapping[str, Money], matrix: ProvisionMatrix, currency: str) -> Provision:
    """Σ bucket open amount × bucket rate ÷ 100 for ``currency``; the total is rounded once."""
    currency = check_currency(currency)
    lines: list[ProvisionLine] = []
    total = Money.zero(currency)
    for label, amount in bucket_amounts.items():
        if amount.currency != currency:
            raise InvalidPolicy(f"bucket {label!r} is in {amount.currency}, not {currency}", bucket=label)
        if amount.is_zero():
            continue
        rate = matrix.rate_for(label)
        provision = amount * (rate / _HUNDRED) if amount.amount > 0 else Money.zero(currency)
        lines.append(ProvisionLine(label, amount, rate, provision))
        total = total + provision
    return Provision(currency, tuple(lines), total.rounded())
