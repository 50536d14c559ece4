"""Read-side helpers of the catalog: price lists with their SKUs, and price-list drafts whose items name SKUs.

Nothing here writes. Callers outside the domain (API, web, imports) name products by SKU, while a stored price
list refers to product ids; these functions translate in both directions and report every unknown SKU at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from cashtrail.catalog.model import PriceList, PriceListItem, check_price_list
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


def list_price_lists(
    uow: UnitOfWork, actor: Actor, *, after_id: int | None = None, limit: int = 50
) -> tuple[list[PriceList], dict[int, str]]:
    """A page of price-list versions ordered by id, with the SKU of every product they price."""
    actor.require(Permission.CATALOG_READ)
    with uow:
        price_lists = list(uow.price_lists.page(after_id=after_id, limit=limit))
        ids = {item.product_id for price_list in price_lists for item in price_list.items}
        return price_lists, _skus(uow, ids)


def product_skus(uow: UnitOfWork, actor: Actor, product_ids: Iterable[int]) -> dict[int, str]:
    """The SKU of each product id (ids of unknown products are left out)."""
    actor.require(Permission.CATALOG_READ)
    with uow:
        return _skus(uow, set(product_ids))


def draft_price_list(
    uow: UnitOfWork,
    actor: Actor,
    *,
    code: str,
    name: str,
    currency: str,
    valid_from: date,
    valid_to: date | None,
    prices: Sequence[tuple[str, Decimal]],
) -> PriceList:
    """An unsaved price-list version from ``(sku, unit price)`` pairs; every problem is reported at once.

    Needs ``catalog:write`` because its only use is preparing a write (so a reader gets 403, not a 422).
    """
    actor.require(Permission.CATALOG_WRITE)
    with uow:
        products = uow.products.by_skus(sku for sku, _ in prices)
    ids = {sku: product.id for sku, product in products.items() if product.id is not None}
    draft = PriceList(code=code, name=name, currency=currency, valid_from=valid_from, valid_to=valid_to)
    errors = check_price_list(draft)
    draft.items, item_errors = _items(prices, ids)
    errors.extend(item_errors)
    if errors:
        raise ValidationFailed(f"price list {code or '?'} is invalid", code="price_list.invalid", errors=errors)
    return draft


def _items(prices: Sequence[tuple[str, Decimal]], ids: dict[str, int]) -> tuple[list[PriceListItem], list[FieldError]]:
    items: list[PriceListItem] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, (sku, unit_price) in enumerate(prices):
        where = f"items[{index}]"
        if sku not in ids:
            errors.append(FieldError(f"{where}.sku", "is not a known product SKU", value=sku))
        elif sku in seen:
            errors.append(FieldError(f"{where}.sku", "is listed more than once", value=sku))
        else:
            items.append(PriceListItem(product_id=ids[sku], unit_price=unit_price))
        if unit_price < 0:
            errors.append(FieldError(f"{where}.unit_price", "must not be negative", value=unit_price))
        seen.add(sku)
    return items, errors


def _skus(uow: UnitOfWork, product_ids: set[int]) -> dict[int, str]:
    # ProductRepository has no by_ids yet; session.get answers repeats from the identity map, so this costs one
    # query per distinct product of the page (a follow-up adds a batched port method).
    found: dict[int, str] = {}
    for product_id in sorted(product_ids):
        product = uow.products.get(product_id)
        if product is not None:
            found[product_id] = product.sku
    return found
