"""The collections dashboard's data: headline metrics as of a date and their monthly trend, per currency, for
everyone or one collector, country or customer (read side; the same definitions as :mod:`.queries`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from cashtrail.analytics import metrics as m
from cashtrail.analytics.queries import Scope, aging_as_of, figures, month_ends, report
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork

HEADLINES = ("dso", "dso-count-back", "best-dso", "add", "cei", "percent-current")
CASH = ("promise-kept", "dispute-cycle-time", "unapplied-cash", "deductions-open")


def dashboard(
    uow: UnitOfWork, actor: Actor, as_of: date, *, scope: Scope | None = None, months: int = 12, days: int = 90
) -> dict[str, Any]:
    """``{"headlines": {metric: values}, "trend": {currency: {...series}}, "aging": {...}, "months": [...]}``."""
    actor.require(Permission.AR_READ)
    scope = scope or Scope()
    headlines = {metric: report(uow, actor, metric, as_of, days=days, scope=scope)["values"] for metric in HEADLINES}
    headlines |= {metric: report(uow, actor, metric, as_of, days=days, scope=scope)["values"] for metric in CASH}
    ends = month_ends(as_of, months)
    trend: dict[str, dict[str, list[str | None]]] = {}
    with uow:
        customers = scope.customers(uow)
        for index, end in enumerate(ends):
            f = figures(uow, end, days, customers)
            aging = aging_as_of(uow, end, customers)
            for currency in f.currencies():
                series = trend.setdefault(currency, _empty(len(ends), aging.scheme.labels))
                series["dso"][index] = _text(
                    m.dso_period_end(f.get("ar_end", currency), f.get("sales", currency), days)
                )
                series["cei"][index] = _text(
                    m.collection_effectiveness_index(
                        f.get("ar_start", currency),
                        f.get("sales", currency),
                        f.get("ar_end", currency),
                        f.get("current_end", currency),
                    )
                )
                series["percent_current"][index] = _text(
                    m.percent_current(f.get("current_end", currency), f.get("ar_end", currency))
                )
                for label in aging.scheme.labels:
                    series[f"aging:{label}"][index] = str(aging.amount(currency, label).rounded().amount)
    return {"as_of": as_of.isoformat(), "months": [d.isoformat() for d in ends], "headlines": headlines, "trend": trend}


def _empty(count: int, labels: tuple[str, ...]) -> dict[str, list[str | None]]:
    keys = ["dso", "cei", "percent_current", *[f"aging:{label}" for label in labels]]
    return {key: [None] * count for key in keys}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
