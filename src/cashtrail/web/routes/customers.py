"""Customers: the filtered, paged list (with htmx live search), its XLSX export, and one customer's page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, Response

from cashtrail.audit.queries import list_audit_events
from cashtrail.identity.model import Actor, Permission
from cashtrail.parties.model import Customer
from cashtrail.parties.queries import count_customers, customer_links, list_payment_terms
from cashtrail.parties.services import get_customer, list_customers
from cashtrail.web.export import Column, xlsx_response
from cashtrail.web.formatting import countries
from cashtrail.web.paging import PAGE_SIZE, cut
from cashtrail.web.security import CurrentUser, cashtrail_app
from cashtrail.web.templating import is_htmx, render

router = APIRouter()
RESULTS_ID = "customer-results"
EXPORT_BATCH = 500
HISTORY_LIMIT = 500

EXPORT_COLUMNS: tuple[Column[Customer], ...] = (
    Column("Number", lambda c: c.number, width=12),
    Column("Legal name", lambda c: c.legal_name, width=36),
    Column("Country", lambda c: c.country, width=9),
    Column("VAT number", lambda c: c.vat_number),
    Column("Currency", lambda c: c.currency, width=10),
    Column("Payment terms", lambda c: c.payment_terms_code, width=15),
    Column("Credit limit", lambda c: c.credit_limit, kind="amount"),
    Column("Language", lambda c: c.language, width=10),
    Column("Status", lambda c: c.status, width=10),
)


@dataclass(frozen=True)
class CustomerFilters:
    """The list's search box and country filter, as given in the query string."""

    search: str
    country: str

    def query(self) -> dict[str, str]:
        """The filters as query-string parameters (for links that keep them)."""
        return {"search": self.search, "country": self.country}

    def service_args(self) -> dict[str, Any]:
        """The filters as keyword arguments of ``list_customers`` (empty means no filter)."""
        return {"search": self.search or None, "country": self.country or None}


def customer_filters(
    search: Annotated[str, Query(max_length=100)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
) -> CustomerFilters:
    """FastAPI dependency: the list filters, trimmed and normalized."""
    return CustomerFilters(search=search.strip(), country=country.strip().upper())


Filters = Annotated[CustomerFilters, Depends(customer_filters)]


@router.get("/customers")
def customer_list(
    request: Request, user: CurrentUser, filters: Filters, after: Annotated[int | None, Query(ge=1)] = None
) -> Response:
    """The customer list; an htmx request aimed at the results gets only the results fragment."""
    app = cashtrail_app(request)
    rows = list_customers(app.uow(), user.actor, after_id=after, limit=PAGE_SIZE + 1, **filters.service_args())
    customers, next_after = cut(rows, PAGE_SIZE, lambda c: c.id)
    context = {
        "customers": customers,
        "total": count_customers(app.uow(), user.actor, **filters.service_args()),
        "filters": filters,
        "after": after,
        "next_after": next_after,
        "countries": countries(),
        "results_id": RESULTS_ID,
    }
    partial = is_htmx(request, RESULTS_ID)
    return render(request, "customers/_rows.html" if partial else "customers/list.html", context)


@router.get("/customers.xlsx")
def customer_export(request: Request, user: CurrentUser, filters: Filters) -> Response:
    """Every customer matching the list filters, as an XLSX workbook."""
    app = cashtrail_app(request)
    today = app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()
    rows = _all_customers(request, user.actor, filters)
    return xlsx_response("customers", EXPORT_COLUMNS, rows, day=today, sheet_title="Customers")


@router.get("/customers/{number}")
def customer_detail(request: Request, user: CurrentUser, number: str) -> Response:
    """One customer: every field, addresses, contacts and, for users who may read it, the audit history."""
    app = cashtrail_app(request)
    customer = get_customer(app.uow(), user.actor, number)
    may_audit = user.actor.can(Permission.AUDIT_READ)
    history = (
        list_audit_events(app.uow(), user.actor, entity_type="customer", entity_id=number, limit=HISTORY_LIMIT)
        if may_audit
        else None
    )
    terms = {t.code: t.description for t in list_payment_terms(app.uow(), user.actor)}
    context = {
        "customer": customer,
        "links": customer_links(app.uow(), user.actor, customer),
        "terms_description": terms.get(customer.payment_terms_code, ""),
        "history": history,
        "history_limit": HISTORY_LIMIT,
    }
    return render(request, "customers/detail.html", context)


def _all_customers(request: Request, actor: Actor, filters: CustomerFilters) -> Iterator[Customer]:
    """Every matching customer, read in batches so the export never holds one huge result set."""
    app = cashtrail_app(request)
    after: int | None = None
    while True:
        batch = list_customers(app.uow(), actor, after_id=after, limit=EXPORT_BATCH, **filters.service_args())
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        after = batch[-1].id
