"""``cashtrail ar ...``: accounts receivable as of any date: a customer's statement of account and the aging.

``statement CUSTOMER --as-of DATE`` lists what was open on the customer's account on that date (an invoice paid
later is still open), with days overdue, balance and aging; ``aging --as-of DATE --by customer|country|book`` sums
the whole book into buckets. ``--buckets 30,60,90,120`` sets the bucket limits in days past due.
"""

from __future__ import annotations

from datetime import date, datetime

import typer

from cashtrail.analytics.account_statement import AccountStatement, AgingReport, bucket_scheme
from cashtrail.analytics.receivables import book_aging, statement_of_account
from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.clock import business_date

ar_app = typer.Typer(help="Accounts receivable as of a date: statements of account and aging.", no_args_is_help=True)
AS_OF = typer.Option(None, "--as-of", help="The date (YYYY-MM-DD); today when omitted.", formats=["%Y-%m-%d"])
BUCKETS = typer.Option("30,60,90,120", "--buckets", help="Upper limits of the buckets in days past due.")


def register(app: typer.Typer) -> None:
    app.add_typer(ar_app, name="ar")


def _as_of(value: datetime | None) -> date:
    app = get_app()
    return value.date() if value is not None else business_date(app.clock.now(), app.settings.timezone)


@ar_app.command("statement")
def statement_command(
    customer: str = typer.Argument(..., help="The customer's number."),
    as_of: datetime | None = AS_OF,
    buckets: str = BUCKETS,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """A customer's statement of account as of a date (one per currency)."""
    cashtrail = get_app()
    with handled():
        scheme = bucket_scheme(buckets)
        statements = statement_of_account(cashtrail.uow(), actor(cashtrail), customer, _as_of(as_of), scheme=scheme)
    data = [s.as_dict() for s in statements]
    emit(data, as_json=as_json, render=lambda _: _render_statements(statements))


def _render_statements(statements: list[AccountStatement]) -> None:
    for statement in statements:
        _render_statement(statement)


def _render_statement(s: AccountStatement) -> None:
    rows = [
        [i.number, i.kind, i.issue_date, i.due_date, i.original.amount, i.open.amount, s.days_overdue(i)]
        for i in s.items
    ]
    title = f"Statement of account {s.customer_number} {s.customer_name} as of {s.as_of} ({s.currency})"
    table(title, ["number", "kind", "issued", "due", "original", "open", "days overdue"], rows)
    aging = s.aging()
    table("Aging", list(s.scheme.labels), [[aging.amount(s.currency, label).amount for label in s.scheme.labels]])
    out.print(f"Balance {s.balance.amount} {s.currency}, overdue {s.overdue.amount} {s.currency}.")


@ar_app.command("aging")
def aging_command(
    as_of: datetime | None = AS_OF,
    by: str = typer.Option("customer", "--by", help="Group by customer, country or book."),
    buckets: str = BUCKETS,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Aging of the open items as of a date, by customer, country or for the whole book."""
    cashtrail = get_app()
    with handled():
        scheme = bucket_scheme(buckets)
        report = book_aging(cashtrail.uow(), actor(cashtrail), _as_of(as_of), by=by, scheme=scheme)
    emit(report.as_dict(), as_json=as_json, render=lambda _: _render_aging(report))


def _render_aging(report: AgingReport) -> None:
    labels = list(report.scheme.labels)
    rows = [[r.group, r.name, r.currency, *(r.buckets[x].amount for x in labels), r.total.amount] for r in report.rows]
    table(f"Aging as of {report.as_of} by {report.by}", [report.by, "name", "currency", *labels, "total"], rows)
    for currency in report.totals.currencies:
        amounts = [report.totals.amount(currency, x).amount for x in labels]
        out.print(f"{currency}: " + ", ".join(f"{x} {a}" for x, a in zip(labels, amounts, strict=True)))
