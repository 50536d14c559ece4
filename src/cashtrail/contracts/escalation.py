"""Index-based price escalation: p = P0 × (a + b × S/S0 + c × M/M0).

``a`` is the fixed share, ``b`` the labour share indexed on series S and ``c`` the materials share indexed on M;
a + b + c = 1. S0 and M0 are the index values of the base month, S and M those of the reference month of the
revision (by default the month before the anniversary). The factor is rounded to ``factor_decimals`` (4 by
default, the usual contractual precision) and then bounded by the contract's cap and floor, expressed as the
maximum rise and fall relative to P0. Hourly rates outside the contract's standard rates follow the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cashtrail.errors import FieldError


@dataclass(frozen=True)
class EscalationClause:
    a: Decimal
    b: Decimal
    c: Decimal
    labour_series: str
    materials_series: str
    base_month: str  # YYYY-MM of S0 and M0
    anniversary: date  # first revision date; then every year on the same day
    cap_percent: Decimal | None = None  # maximum rise vs P0, e.g. 5
    floor_percent: Decimal | None = None  # maximum fall vs P0, e.g. 0 means no decrease
    factor_decimals: int = 4


@dataclass(frozen=True)
class EscalationResult:
    factor: Decimal
    raw_factor: Decimal
    labour_ratio: Decimal
    materials_ratio: Decimal
    capped: bool
    explanation: str


def check_clause(clause: EscalationClause) -> list[FieldError]:
    """Problems with a clause: coefficients must be between 0 and 1 and sum to exactly 1."""
    errors: list[FieldError] = []
    if clause.a + clause.b + clause.c != 1:
        errors.append(FieldError("coefficients", "a + b + c must equal 1", value=f"{clause.a}+{clause.b}+{clause.c}"))
    if any(not (0 <= x <= 1) for x in (clause.a, clause.b, clause.c)):
        errors.append(FieldError("coefficients", "each coefficient must be between 0 and 1"))
    return errors


def escalation_factor(clause: EscalationClause, s: Decimal, s0: Decimal, m: Decimal, m0: Decimal) -> EscalationResult:
    """The revision factor for index values S, S0, M, M0, rounded and bounded.

    >>> clause = EscalationClause(Decimal("0.15"), Decimal("0.60"), Decimal("0.25"), "S", "M", "2025-01",
    ...                           date(2026, 1, 1), cap_percent=Decimal(5))
    >>> escalation_factor(clause, Decimal("112.4"), Decimal("108.0"), Decimal("98.7"), Decimal("101.2")).factor
    Decimal('1.0183')
    """
    if s0 <= 0 or m0 <= 0:
        raise ValueError("base index values must be positive")
    labour, materials = s / s0, m / m0
    raw = clause.a + clause.b * labour + clause.c * materials
    quantum = Decimal(1).scaleb(-clause.factor_decimals)
    factor = raw.quantize(quantum, rounding=ROUND_HALF_UP)
    bounded = factor
    if clause.cap_percent is not None:
        bounded = min(bounded, 1 + clause.cap_percent / 100)
    if clause.floor_percent is not None:
        bounded = max(bounded, 1 - clause.floor_percent / 100)
    explanation = f"{clause.a} + {clause.b} × {s}/{s0} + {clause.c} × {m}/{m0} = {factor}" + (
        f", bounded to {bounded}" if bounded != factor else ""
    )
    return EscalationResult(bounded, raw, labour, materials, bounded != factor, explanation)


def reference_month(revision: date) -> str:
    """The index month used for a revision on ``revision``: the month before it (``YYYY-MM``).

    >>> reference_month(date(2026, 1, 1))
    '2025-12'
    """
    year, month = (revision.year, revision.month - 1) if revision.month > 1 else (revision.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def revision_dates(clause: EscalationClause, until: date) -> list[date]:
    """Every anniversary from the first one up to and including ``until``."""
    found: list[date] = []
    year = clause.anniversary.year
    while True:
        try:
            day = clause.anniversary.replace(year=year)
        except ValueError:  # 29 February in a common year
            day = date(year, 2, 28)
        if day > until:
            return found
        found.append(day)
        year += 1
