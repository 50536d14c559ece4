"""Contracts: list (cursor-paged, optionally one customer's) and read one with its devices, units and fees."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.pagination import PageParams
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.contracts import ContractOut, ContractPage
from cashtrail.contracts.services import get_contract, list_contracts

router = APIRouter(prefix="/v1/contracts", tags=["contracts"], responses=COMMON_PROBLEMS)


@router.get("", summary="List contracts")
def list_(
    app: CashtrailApp,
    actor: CurrentActor,
    page: PageParams,
    customer: Annotated[str | None, Query(max_length=32, description="Only this customer's contracts.")] = None,
) -> ContractPage:
    """Contracts ordered by creation, one page at a time."""
    rows = list_contracts(app.uow(), actor, after_id=page.after_id, limit=page.fetch_size, customer=customer)
    items, next_cursor = page.cut(rows, lambda c: c.id)
    return ContractPage(items=[ContractOut.of(c) for c in items], next_cursor=next_cursor)


@router.get("/{number}", summary="Get a contract", responses=problem_responses(404))
def get(number: str, app: CashtrailApp, actor: CurrentActor) -> ContractOut:
    """One contract by number, with its current terms (the latest version)."""
    return ContractOut.of(get_contract(app.uow(), actor, number))
