"""AR metrics over stored data, as of any date: read-side queries over the AR read model (house style D4) fed to
the pure formulas of :mod:`cashtrail.analytics.metrics` and :mod:`cashtrail.analytics.aging`.

Definitions where ``ar.md`` leaves room (see docs/collections.md, "Metrics over stored data"):
- AR as of a date = what was open at the end of that day on invoices, credit notes and write-off credits (items
  dated on or before it, less applications made on or before it and not reversed by then). Payments on account
  are not AR: they are unapplied cash.
- Credit sales of a period = invoices less credit notes dated in the period. The period is the ``days`` days
  ending on the as-of date (90 by default); count-back DSO uses calendar months ending with the as-of month.
- Unapplied cash = payments on account open as of the date, plus the credit balance of suspense (2300) and
  unapplied cash (1200); open deductions = the debit balance of deductions (1300).
- Every figure is per currency: the domain does no FX.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from cashtrail.analytics import metrics as m
from cashtrail.analytics.aging import Aging, OpenItem, age_items
from cashtrail.dunning.provision import ProvisionMatrix, bad_debt_provision
from cashtrail.errors import ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ledger.model import Account, ItemKind
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork


@dataclass(frozen=True)
class Scope:
    """Whose AR: everyone's, a collector's portfolio, a country's customers or one customer."""

    collector: str | None = None
    country: str | None = None
    customer: str | None = None

    def customers(self, uow: UnitOfWork) -> list[str] | None:
        if self.customer:
            return [self.customer]
        if self.collector or self.country:
            return uow.ar_facts.customers_by(collector=self.collector, country=self.country)
        return None


def money_e4(value: int, currency: str) -> Money:
    """An amount in ten-thousandths as Money (exact)."""
    return Money(Decimal(value).scaleb(-4), currency)


def refresh_read_model(uow: UnitOfWork) -> int:
    """Catch the AR read model up with the ledger (incremental); commits."""
    with uow:
        changed = uow.ar_facts.refresh()
        uow.commit()
        return changed


def aging_as_of(uow: UnitOfWork, as_of: date, customers: Sequence[str] | None) -> Aging:
    """Aging of the AR as it stood at the end of ``as_of`` (payments on account left out)."""
    open_amounts = uow.ar_facts.open_by_due_date(as_of, customers)
    items = [
        OpenItem(f"{currency}:{due}", due, money_e4(amount, currency))
        for (currency, kind, due), amount in sorted(open_amounts.items())
        if kind != ItemKind.PAYMENT and amount != 0
    ]
    return age_items(items, as_of)


def _unapplied(uow: UnitOfWork, as_of: date, customers: Sequence[str] | None) -> dict[str, Money]:
    open_amounts = uow.ar_facts.open_by_due_date(as_of, customers)
    amounts = [-money_e4(a, cur) for (cur, kind, _), a in open_amounts.items() if kind == ItemKind.PAYMENT and a]
    if customers is None:
        balances = uow.ar_facts.account_balances([Account.SUSPENSE, Account.UNAPPLIED_CASH], as_of)
        amounts += [-Money(amount, cur) for (_, cur), amount in balances.items() if amount]
    return m.unapplied_cash_total(amounts)


def _sales(uow: UnitOfWork, start: date, end: date, customers: Sequence[str] | None) -> dict[str, Money]:
    totals: dict[str, int] = defaultdict(int)
    for (currency, _), amount in uow.ar_facts.sales_by_day(start, end, customers).items():
        totals[currency] += amount
    return {currency: money_e4(amount, currency) for currency, amount in totals.items()}


def _months(
    uow: UnitOfWork, as_of: date, customers: Sequence[str] | None, count: int = 24
) -> dict[str, list[m.MonthSales]]:
    first = as_of.replace(day=1)
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    by_day = uow.ar_facts.sales_by_day(first, as_of, customers)
    result: dict[str, list[m.MonthSales]] = {}
    for currency in sorted({c for c, _ in by_day}):
        months, start = [], first
        while start <= as_of:
            end = min(as_of, (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
            total = sum(a for (c, d), a in by_day.items() if c == currency and start <= d <= end)
            months.append(m.MonthSales(money_e4(total, currency), (end - start).days + 1))
            start = end + timedelta(days=1)
        result[currency] = months
    return result


@dataclass(frozen=True)
class Figures:
    """The inputs every DSO-family metric needs, per currency."""

    as_of: date
    days: int
    ar_start: dict[str, Money]
    ar_end: dict[str, Money]
    current_end: dict[str, Money]
    sales: dict[str, Money]

    def currencies(self) -> list[str]:
        return sorted(set(self.ar_end) | set(self.sales) | set(self.ar_start))

    def get(self, what: str, currency: str) -> Money:
        value: dict[str, Money] = getattr(self, what)
        return value.get(currency, Money.zero(currency))


def figures(uow: UnitOfWork, as_of: date, days: int, customers: Sequence[str] | None) -> Figures:
    start = as_of - timedelta(days=days - 1)
    end_aging = aging_as_of(uow, as_of, customers)
    start_aging = aging_as_of(uow, start - timedelta(days=1), customers)
    return Figures(
        as_of,
        days,
        {c: start_aging.total(c) for c in start_aging.currencies},
        {c: end_aging.total(c) for c in end_aging.currencies},
        {c: end_aging.current(c) for c in end_aging.currencies},
        _sales(uow, start, as_of, customers),
    )


def _per_currency(f: Figures, formula: Callable[[str], Decimal | None]) -> dict[str, Any]:
    return {c: _text(formula(c)) for c in f.currencies()}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


METRICS = (
    "aging",
    "dso",
    "dso-count-back",
    "best-dso",
    "add",
    "cei",
    "percent-current",
    "dispute-cycle-time",
    "promise-kept",
    "unapplied-cash",
    "deductions-open",
    "provision",
)

#: What each metric is called on screen, and its unit (``""``: an amount in each currency).
METRIC_LABELS = {
    "aging": ("Aging", ""),
    "dso": ("DSO, period-end", "days"),
    "dso-count-back": ("DSO, count-back", "days"),
    "best-dso": ("Best possible DSO", "days"),
    "add": ("Average days delinquent", "days"),
    "cei": ("Collection effectiveness index", "%"),
    "percent-current": ("Percent current", "%"),
    "dispute-cycle-time": ("Dispute cycle time", "days"),
    "promise-kept": ("Promises kept", "%"),
    "unapplied-cash": ("Unapplied cash", ""),
    "deductions-open": ("Deductions open", ""),
    "provision": ("Bad-debt provision", ""),
}


def report(
    uow: UnitOfWork, actor: Actor, metric: str, as_of: date, *, days: int = 90, scope: Scope | None = None
) -> dict[str, Any]:
    """One metric as of ``as_of`` over the scope, JSON-ready: ``{"metric", "as_of", "days", "values"}``."""
    actor.require(Permission.AR_READ)
    if metric not in METRICS:
        raise ValidationFailed(f"unknown metric {metric!r}; one of {', '.join(METRICS)}", code="report.unknown_metric")
    if days < 1:
        raise ValidationFailed("a period has at least one day", code="report.bad_days")
    with uow:
        customers = (scope or Scope()).customers(uow)
        values = _compute(uow, metric, as_of, days, customers)
    return {"metric": metric, "as_of": as_of.isoformat(), "days": days, "values": values}


def _compute(uow: UnitOfWork, metric: str, as_of: date, days: int, customers: Sequence[str] | None) -> Any:
    if metric == "aging":
        aging = aging_as_of(uow, as_of, customers)
        return {
            c: {label: str(aging.amount(c, label).amount) for label in aging.scheme.labels} for c in aging.currencies
        }
    if metric in ("unapplied-cash", "deductions-open"):
        return _cash_metric(uow, metric, as_of, customers)
    if metric == "promise-kept":
        outcomes = uow.ar_facts.promise_outcomes(as_of, customers)
        return _text(m.promise_kept_rate(_promises(outcomes), as_of))
    if metric == "dispute-cycle-time":
        spans = uow.ar_facts.dispute_spans(as_of - timedelta(days=days - 1), as_of, customers)
        return _text(m.dispute_cycle_time([m.Dispute(o, r) for o, r in spans]))
    if metric == "provision":
        return _provision(uow, as_of, customers)
    if metric == "dso-count-back":
        aging = aging_as_of(uow, as_of, customers)
        months = _months(uow, as_of, customers)
        return {c: _text(m.dso_count_back(aging.total(c), months.get(c, []))) for c in aging.currencies}
    f = figures(uow, as_of, days, customers)
    formulas: dict[str, Callable[[str], Decimal | None]] = {
        "dso": lambda c: m.dso_period_end(f.get("ar_end", c), f.get("sales", c), days),
        "best-dso": lambda c: m.best_possible_dso(f.get("current_end", c), f.get("sales", c), days),
        "add": lambda c: m.average_days_delinquent(
            f.get("ar_end", c), f.get("current_end", c), f.get("sales", c), days
        ),
        "cei": lambda c: m.collection_effectiveness_index(
            f.get("ar_start", c), f.get("sales", c), f.get("ar_end", c), f.get("current_end", c)
        ),
        "percent-current": lambda c: m.percent_current(f.get("current_end", c), f.get("ar_end", c)),
    }
    return _per_currency(f, formulas[metric])


def _cash_metric(uow: UnitOfWork, metric: str, as_of: date, customers: Sequence[str] | None) -> dict[str, str]:
    if metric == "unapplied-cash":
        totals = _unapplied(uow, as_of, customers)
    else:
        balances = uow.ar_facts.account_balances([Account.DEDUCTIONS], as_of) if customers is None else {}
        totals = m.totals_by_currency(Money(amount, cur) for (_, cur), amount in balances.items())
    return {c: str(v.amount) for c, v in totals.items()}


def _promises(outcomes: Sequence[tuple[date, bool]]) -> list[m.Promise]:
    # a kept promise is modelled as paid in full on its date, a broken one as unpaid: the stored outcome decides
    one = Money.of("1", "EUR")
    return [m.Promise(d, one, (m.Payment(d, one),) if kept else ()) for d, kept in outcomes]


def _provision(uow: UnitOfWork, as_of: date, customers: Sequence[str] | None) -> dict[str, Any]:
    rates = uow.dunning.provision_rates()
    if not rates:
        raise ValidationFailed("no provision matrix is set", code="report.no_provision_matrix")
    aging = aging_as_of(uow, as_of, customers)
    result = {}
    for currency in aging.currencies:
        provision = bad_debt_provision(aging.totals[currency], ProvisionMatrix.of(rates), currency)
        result[currency] = {
            "total": str(provision.total.amount),
            "lines": {line.bucket: str(line.provision.rounded().amount) for line in provision.lines},
        }
    return result


def month_ends(as_of: date, count: int) -> list[date]:
    """The last ``count`` month ends up to ``as_of`` (``as_of`` itself last), oldest first."""
    ends = [as_of]
    cursor = as_of.replace(day=1) - timedelta(days=1)
    while len(ends) < count:
        ends.append(cursor)
        cursor = cursor.replace(day=1) - timedelta(days=1)
    return sorted(ends)


def trend(
    uow: UnitOfWork,
    actor: Actor,
    metric: str,
    as_of: date,
    *,
    months: int = 12,
    days: int = 90,
    scope: Scope | None = None,
) -> list[dict[str, Any]]:
    """The metric at each of the last ``months`` month ends (for the dashboard's charts)."""
    return [report(uow, actor, metric, d, days=days, scope=scope) for d in month_ends(as_of, months)]
