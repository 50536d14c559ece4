"""Reconciliation periods: calendar-aligned quarters, half-years and years, and the labels people type.

A run names a span (``2026``, ``2026-H1``, ``2026-Q3`` or a month ``2026-03``); every agreement is reconciled over
each of its own periods (by its set-up: quarterly, half-yearly or yearly) that lies wholly inside the span. Periods
are aligned on the calendar year (decision D-101), so ``2026-Q1`` is the same three months for every agreement.

>>> parse_span("2026-Q2")
Period(start=datetime.date(2026, 4, 1), end=datetime.date(2026, 6, 30))
>>> [period_label(p) for p in periods_within(parse_span("2026-H1"), ReconciliationPeriod.QUARTERLY)]
['2026-Q1', '2026-Q2']
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from cashtrail.contracts.terms import Period, add_months, month_period
from cashtrail.toner.errors import BadPeriod
from cashtrail.toner.model import ReconciliationPeriod

_LABEL = re.compile(r"(\d{4})(?:-(Q[1-4]|H[12]|\d{2}))?")


def parse_span(label: str) -> Period:
    """The days a label names; raises :class:`BadPeriod` for anything else."""
    match = _LABEL.fullmatch(label.strip().upper())
    if match is None:
        raise BadPeriod(label)
    year, part = int(match[1]), match[2]
    if part is None:
        return Period(date(year, 1, 1), date(year, 12, 31))
    if part[0] in "QH":
        months = 3 if part[0] == "Q" else 6
        start = date(year, 1 + (int(part[1]) - 1) * months, 1)
        return Period(start, add_months(start, months) - timedelta(days=1))
    if not 1 <= int(part) <= 12:
        raise BadPeriod(label)
    return month_period(f"{year}-{part}")


def period_label(period: Period) -> str:
    """``2026-Q1``, ``2026-H2``, ``2026`` or ``2026-03`` for calendar-aligned periods, else ``start..end``."""
    start, months = period.start, _months(period)
    if start.day != 1 or months is None:
        return period.label()
    if months == 12 and start.month == 1:
        return f"{start.year}"
    if months == 6 and start.month in (1, 7):
        return f"{start.year}-H{1 + start.month // 7}"
    if months == 3 and start.month % 3 == 1:
        return f"{start.year}-Q{1 + start.month // 3}"
    return period.label()


def _months(period: Period) -> int | None:
    for months in (1, 3, 6, 12):
        if add_months(period.start, months) - timedelta(days=1) == period.end:
            return months
    return None


def periods_within(span: Period, kind: ReconciliationPeriod) -> list[Period]:
    """The calendar-aligned periods of ``kind`` that lie wholly inside ``span``, in order."""
    months = kind.frequency.months
    start = date(span.start.year, 1, 1)
    found = []
    while start <= span.end:
        period = Period(start, add_months(start, months) - timedelta(days=1))
        if span.start <= period.start and period.end <= span.end:
            found.append(period)
        start = add_months(start, months)
    return found


def period_of_kind(day: date, kind: ReconciliationPeriod) -> Period:
    """The calendar-aligned period of ``kind`` that contains ``day``."""
    months = kind.frequency.months
    start = date(day.year, 1 + (day.month - 1) // months * months, 1)
    return Period(start, add_months(start, months) - timedelta(days=1))
