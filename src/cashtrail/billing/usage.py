"""Rating of metered usage (managed print): tiers, included volumes and minimum commitments.

Rates are per page (or per unit of the meter) with full precision; the charge amount of a line is quantized once,
when the charge line is built. Tiers are either graduated (each band at its own rate, like income tax) or volume
(every unit at the rate of the band the total reaches). An included volume is free and consumed before the first
tier. A minimum commitment tops the usage charge up to the minimum (a separate "shortfall" line), per device or
pooled over the agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class TierMode(StrEnum):
    GRADUATED = "graduated"
    VOLUME = "volume"


@dataclass(frozen=True)
class Tier:
    """A band of usage up to ``up_to`` units (inclusive, counted after the included volume); None is unbounded."""

    up_to: int | None
    rate: Decimal


@dataclass(frozen=True)
class RatedBand:
    """Units charged at one rate, with the amount at full precision."""

    quantity: int
    rate: Decimal
    from_unit: int
    to_unit: int

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.rate


def check_tiers(tiers: Sequence[Tier]) -> list[str]:
    """Problems with a tier table: empty, bounds not increasing, only the last unbounded, negative rates."""
    problems: list[str] = []
    if not tiers:
        return ["at least one tier is required"]
    bounds = [t.up_to for t in tiers]
    if any(b is None for b in bounds[:-1]):
        problems.append("only the last tier may be unbounded")
    numeric = [b for b in bounds if b is not None]
    if numeric != sorted(set(numeric)):
        problems.append("tier bounds must increase")
    if any(t.rate < 0 for t in tiers):
        problems.append("rates must not be negative")
    return problems


def rate_usage(
    units: int, tiers: Sequence[Tier], mode: TierMode = TierMode.GRADUATED, included: int = 0
) -> list[RatedBand]:
    """Split ``units`` into bands at their rates after the ``included`` volume.

    >>> tiers = [Tier(10_000, Decimal("0.010")), Tier(None, Decimal("0.008"))]
    >>> [(b.quantity, b.rate) for b in rate_usage(25_000, tiers, included=5_000)]
    [(10000, Decimal('0.010')), (10000, Decimal('0.008'))]
    >>> [(b.quantity, b.rate) for b in rate_usage(25_000, tiers, TierMode.VOLUME)]
    [(25000, Decimal('0.008'))]
    """
    if units < 0:
        raise ValueError("usage must not be negative")
    billable = max(0, units - included)
    if billable == 0:
        return []
    if mode == TierMode.VOLUME:
        tier = next(t for t in tiers if t.up_to is None or billable <= t.up_to) if tiers else None
        if tier is None:
            raise ValueError("no tier covers the usage")
        return [RatedBand(billable, tier.rate, included + 1, included + billable)]
    bands: list[RatedBand] = []
    floor = 0
    for tier in tiers:
        ceiling = billable if tier.up_to is None else min(billable, tier.up_to)
        if ceiling > floor:
            bands.append(RatedBand(ceiling - floor, tier.rate, included + floor + 1, included + ceiling))
            floor = ceiling
        if floor >= billable:
            break
    if floor < billable:
        raise ValueError("the last tier must be unbounded or cover the usage")
    return bands


def shortfall(usage_amount: Decimal, minimum: Decimal) -> Decimal:
    """What tops a usage charge up to a minimum commitment (zero when usage reaches it).

    >>> shortfall(Decimal("180.5"), Decimal("250")), shortfall(Decimal("300"), Decimal("250"))
    (Decimal('69.5'), Decimal('0'))
    """
    return max(Decimal(0), minimum - usage_amount)
