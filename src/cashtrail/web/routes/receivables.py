"""Accounts receivable pages as of any date: the aging (by customer, country or book, configurable buckets) and a
customer's statement of account, each with its XLSX export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response

from cashtrail.analytics.account_statement import AccountStatement, AgingRow, StatementItem, bucket_scheme
from cashtrail.analytics.receivables import book_aging, printable_statement, statement_of_account
from cashtrail.documents.pdf import render_statement_pdf
from cashtrail.web.export import Column, xlsx_response
from cashtrail.web.security import CurrentUser, cashtrail_app
from cashtrail.web.templating import render

router = APIRouter()
AsOf = Annotated[date | None, Query()]
By = Annotated[str, Query(pattern="^(customer|country|book)$")]
Buckets = Annotated[str, Query(max_length=100)]
DEFAULT_BUCKETS = "30,60,90,120"


def _today(request: Request) -> date:
    app = cashtrail_app(request)
    return app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()


@router.get("/ar/aging")
def aging(
    request: Request, user: CurrentUser, as_of: AsOf = None, by: By = "customer", buckets: Buckets = DEFAULT_BUCKETS
) -> Response:
    """Open items on a date in buckets of days past due."""
    app = cashtrail_app(request)
    day = as_of or _today(request)
    report = book_aging(app.uow(), user.actor, day, by=by, scheme=bucket_scheme(buckets))
    filters = {"as_of": day.isoformat(), "by": by, "buckets": buckets}
    return render(request, "ar/aging.html", {"report": report, "filters": filters})


@router.get("/ar/aging.xlsx")
def aging_export(
    request: Request, user: CurrentUser, as_of: AsOf = None, by: By = "customer", buckets: Buckets = DEFAULT_BUCKETS
) -> Response:
    """The aging as an XLSX workbook."""
    app = cashtrail_app(request)
    day = as_of or _today(request)
    report = book_aging(app.uow(), user.actor, day, by=by, scheme=bucket_scheme(buckets))
    columns: list[Column[AgingRow]] = [
        Column(by.title(), lambda r: r.group, width=14),
        Column("Name", lambda r: r.name, width=30),
        Column("Currency", lambda r: r.currency, width=8),
    ]
    columns += [Column(x, _bucket(x), kind="amount") for x in report.scheme.labels]
    columns.append(Column("Total", lambda r: r.total.amount, kind="amount"))
    return xlsx_response(f"aging-{by}", columns, report.rows, day=day, sheet_title=f"Aging {day}")


def _bucket(label: str) -> Callable[[AgingRow], object]:
    return lambda r: r.buckets[label].amount


@router.get("/ar/statement")
def statement(
    request: Request,
    user: CurrentUser,
    customer: Annotated[str, Query(max_length=32)] = "",
    as_of: AsOf = None,
    buckets: Buckets = DEFAULT_BUCKETS,
) -> Response:
    """A customer's statement of account on a date."""
    app = cashtrail_app(request)
    day = as_of or _today(request)
    found: list[AccountStatement] = []
    if customer:
        found = statement_of_account(app.uow(), user.actor, customer, day, scheme=bucket_scheme(buckets))
    filters = {"customer": customer, "as_of": day.isoformat(), "buckets": buckets}
    return render(request, "ar/statement.html", {"statements": found, "filters": filters})


@router.get("/ar/statement.pdf")
def statement_pdf(
    request: Request,
    user: CurrentUser,
    customer: Annotated[str, Query(min_length=1, max_length=32)],
    as_of: AsOf = None,
    currency: Annotated[str | None, Query(pattern="^[A-Z]{3}$")] = None,
) -> Response:
    """The statement as the customer receives it: a PDF in their language (standard buckets)."""
    app = cashtrail_app(request)
    day = as_of or _today(request)
    printable = printable_statement(app.uow(), user.actor, customer, day, currency=currency)
    pdf = render_statement_pdf(printable.statement, printable.seller, printable.buyer, printable.language)
    name = f"statement-{customer}-{day.isoformat()}.pdf"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/ar/statement.xlsx")
def statement_export(
    request: Request,
    user: CurrentUser,
    customer: Annotated[str, Query(min_length=1, max_length=32)],
    as_of: AsOf = None,
    buckets: Buckets = DEFAULT_BUCKETS,
) -> Response:
    """The statement's open items as an XLSX workbook (every currency)."""
    app = cashtrail_app(request)
    day = as_of or _today(request)
    found = statement_of_account(app.uow(), user.actor, customer, day, scheme=bucket_scheme(buckets))
    rows = [(s, i) for s in found for i in s.items]
    columns: tuple[Column[tuple[AccountStatement, StatementItem]], ...] = (
        Column("Number", lambda r: r[1].number, width=24),
        Column("Kind", lambda r: r[1].kind, width=12),
        Column("Issued", lambda r: r[1].issue_date, kind="date"),
        Column("Due", lambda r: r[1].due_date, kind="date"),
        Column("Currency", lambda r: r[0].currency, width=8),
        Column("Original", lambda r: r[1].original.amount, kind="amount"),
        Column("Open", lambda r: r[1].open.amount, kind="amount"),
        Column("Days overdue", lambda r: r[0].days_overdue(r[1]), kind="integer"),
    )
    return xlsx_response(f"statement-{customer}", columns, rows, day=day, sheet_title=f"{customer} {day}")
