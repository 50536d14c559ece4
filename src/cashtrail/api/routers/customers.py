"""Customers: list (cursor-paged, with search and country filters), read by number, create, update."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.pagination import PageParams
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.customers import CustomerCreate, CustomerOut, CustomerPage, CustomerPatch
from cashtrail.parties.services import get_customer, list_customers, register_customer, update_customer

router = APIRouter(prefix="/v1/customers", tags=["customers"], responses=COMMON_PROBLEMS)


@router.get("", summary="List customers")
def list_(
    app: CashtrailApp,
    actor: CurrentActor,
    page: PageParams,
    search: Annotated[str | None, Query(max_length=100, description="Part of the name, number or VAT.")] = None,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO 3166 alpha-2.")] = None,
) -> CustomerPage:
    """Customers ordered by creation, one page at a time."""
    rows = list_customers(
        app.uow(), actor, after_id=page.after_id, limit=page.fetch_size, search=search, country=country
    )
    items, next_cursor = page.cut(rows, lambda c: c.id)
    return CustomerPage(items=[CustomerOut.of(c) for c in items], next_cursor=next_cursor)


@router.get("/{number}", name="get_customer", summary="Get a customer", responses=problem_responses(404))
def get(number: str, app: CashtrailApp, actor: CurrentActor) -> CustomerOut:
    """One customer by its number."""
    return CustomerOut.of(get_customer(app.uow(), actor, number))


@router.post("", status_code=201, summary="Create a customer", responses=problem_responses(409))
def create(
    body: CustomerCreate, app: CashtrailApp, actor: CurrentActor, request: Request, response: Response
) -> CustomerOut:
    """Register a new customer; a number already in use is a 409 ``customer.already_exists``."""
    customer = register_customer(app.uow(), app.clock, actor, body.to_domain())
    response.headers["Location"] = str(request.url_for("get_customer", number=customer.number))
    return CustomerOut.of(customer)


@router.patch("/{number}", summary="Update a customer", responses=problem_responses(404))
def update(number: str, body: CustomerPatch, app: CashtrailApp, actor: CurrentActor) -> CustomerOut:
    """Change the fields sent; the change and its ``reason`` are written to the audit trail."""
    customer, _ = update_customer(app.uow(), app.clock, actor, number, body.changes(), reason=body.reason)
    return CustomerOut.of(customer)
