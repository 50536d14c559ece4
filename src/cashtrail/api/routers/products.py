"""Products: list (cursor-paged, with search), read by SKU, create."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.pagination import PageParams
from cashtrail.api.problems import COMMON_PROBLEMS, problem_responses
from cashtrail.api.schemas.products import ProductCreate, ProductOut, ProductPage
from cashtrail.catalog.services import create_product, get_product, list_products

router = APIRouter(prefix="/v1/products", tags=["catalog"], responses=COMMON_PROBLEMS)


@router.get("", summary="List products")
def list_(
    app: CashtrailApp,
    actor: CurrentActor,
    page: PageParams,
    search: Annotated[str | None, Query(max_length=100, description="Part of the name or SKU.")] = None,
) -> ProductPage:
    """Products ordered by creation, one page at a time."""
    rows = list_products(app.uow(), actor, after_id=page.after_id, limit=page.fetch_size, search=search)
    items, next_cursor = page.cut(rows, lambda p: p.id)
    return ProductPage(items=[ProductOut.of(p) for p in items], next_cursor=next_cursor)


@router.get("/{sku}", name="get_product", summary="Get a product", responses=problem_responses(404))
def get(sku: str, app: CashtrailApp, actor: CurrentActor) -> ProductOut:
    """One product by its SKU."""
    return ProductOut.of(get_product(app.uow(), actor, sku))


@router.post("", status_code=201, summary="Create a product", responses=problem_responses(409))
def create(
    body: ProductCreate, app: CashtrailApp, actor: CurrentActor, request: Request, response: Response
) -> ProductOut:
    """Add a product; a SKU already in use is a 409 ``product.already_exists``."""
    product = create_product(app.uow(), app.clock, actor, body.to_domain())
    response.headers["Location"] = str(request.url_for("get_product", sku=product.sku))
    return ProductOut.of(product)
