"""Trend analysis of order discrepancies: findings counted per month and by type, customer and sales rep.

Every finding ever raised counts (open, overridden or resolved): a price corrected before acceptance was still a
discrepancy at entry, which is what the trend is about. A finding counts in the month of its order's date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from cashtrail.contracts.terms import add_months

DIMENSIONS = ("code", "customer", "sales_rep")


@dataclass(frozen=True)
class DiscrepancyFact:
    """One finding with what it is counted by."""

    order_date: date
    code: str
    customer: str
    sales_rep: str
    status: str
    order_number: str


@dataclass(frozen=True)
class TrendRow:
    month: str
    code: str
    customer: str
    sales_rep: str
    count: int


def months_between(first: date, last: date) -> list[str]:
    """Every ``YYYY-MM`` from ``first``'s month to ``last``'s.

    >>> months_between(date(2026, 11, 5), date(2027, 1, 2))
    ['2026-11', '2026-12', '2027-01']
    """
    months, cursor = [], first.replace(day=1)
    while cursor <= last:
        months.append(f"{cursor:%Y-%m}")
        cursor = add_months(cursor, 1)
    return months


def trend_rows(facts: Iterable[DiscrepancyFact]) -> list[TrendRow]:
    """Counts per (month, code, customer, sales rep), in that order."""
    counted = Counter((f"{f.order_date:%Y-%m}", f.code, f.customer, f.sales_rep or "-") for f in facts)
    return [TrendRow(*key, count) for key, count in sorted(counted.items())]


def series(rows: Sequence[TrendRow], months: Sequence[str], by: str, *, top: int = 8) -> dict[str, list[int]]:
    """Counts per month for each value of ``by`` (code, customer or sales_rep); the ``top`` largest values are
    kept and the rest summed as ``other``."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}")
    totals: Counter[str] = Counter()
    cells: Counter[tuple[str, str]] = Counter()
    for row in rows:
        value = getattr(row, by)
        totals[value] += row.count
        cells[(value, row.month)] += row.count
    kept = [value for value, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    result = {value: [cells[(value, m)] for m in months] for value in kept}
    rest = [value for value in totals if value not in kept]
    if rest:
        result["other"] = [sum(cells[(value, m)] for value in rest) for m in months]
    return result


def totals_by(rows: Sequence[TrendRow], by: str) -> list[tuple[str, int]]:
    """Total findings per value of ``by``, largest first."""
    counted: Counter[str] = Counter()
    for row in rows:
        counted[getattr(row, by)] += row.count
    return sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
