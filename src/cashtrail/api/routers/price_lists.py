"""Price lists: list the dated versions (cursor-paged) and create a version whose items name SKUs."""

from __future__ import annotations

from fastapi import APIRouter

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.pagination import PageParams
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.price_lists import PriceListCreate, PriceListOut, PriceListPage
from cashtrail.catalog.queries import draft_price_list, list_price_lists, product_skus
from cashtrail.catalog.services import save_price_list

router = APIRouter(prefix="/v1/price-lists", tags=["catalog"], responses=COMMON_PROBLEMS)


@router.get("", summary="List price-list versions")
def list_(app: CashtrailApp, actor: CurrentActor, page: PageParams) -> PriceListPage:
    """Price-list versions ordered by creation, one page at a time."""
    rows, skus = list_price_lists(app.uow(), actor, after_id=page.after_id, limit=page.fetch_size)
    items, next_cursor = page.cut(rows, lambda p: p.id)
    return PriceListPage(items=[PriceListOut.of(p, skus) for p in items], next_cursor=next_cursor)


@router.post("", status_code=201, summary="Create a price-list version", responses=problem_responses(409))
def create(body: PriceListCreate, app: CashtrailApp, actor: CurrentActor) -> PriceListOut:
    """Save a dated version; one overlapping another version of the same code is a 409 ``price_list.overlap``.

    Posting the same ``code`` and ``valid_from`` again updates that version: listed prices change, others stay.
    """
    draft = draft_price_list(
        app.uow(),
        actor,
        code=body.code,
        name=body.name,
        currency=body.currency,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        prices=body.prices(),
    )
    saved = save_price_list(app.uow(), app.clock, actor, draft)
    skus = product_skus(app.uow(), actor, (item.product_id for item in saved.items))
    return PriceListOut.of(saved, skus)
