"""Use cases for products and price lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from cashtrail.audit.services import record
from cashtrail.catalog.errors import PriceListOverlap, ProductExists, ProductNotFound
from cashtrail.catalog.model import PriceList, Product, check_price_list, check_product
from cashtrail.clock import Clock
from cashtrail.errors import ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork

Outcome = Literal["created", "updated", "unchanged"]
_PRODUCT_FIELDS = ("name", "product_type", "tax_category", "unit", "description", "active")


def apply_product(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: Product, *, reason: str | None = None
) -> tuple[Product, Outcome]:
    """Create the product or bring the stored one (by SKU) to ``draft``; audit; no commit."""
    existing = uow.products.get_by_sku(draft.sku)
    if existing is None:
        uow.products.add(draft)
        record(uow, clock, actor, "product.created", "product", draft.sku, after=draft.snapshot(), reason=reason)
        return draft, "created"
    before = existing.snapshot()
    for name in _PRODUCT_FIELDS:
        setattr(existing, name, getattr(draft, name))
    if existing.snapshot() == before:
        return existing, "unchanged"
    record(
        uow,
        clock,
        actor,
        "product.updated",
        "product",
        existing.sku,
        before=before,
        after=existing.snapshot(),
        reason=reason,
    )
    return existing, "updated"


def create_product(uow: UnitOfWork, clock: Clock, actor: Actor, draft: Product) -> Product:
    """Add a new product; refuses a SKU already in use."""
    actor.require(Permission.CATALOG_WRITE)
    errors = check_product(draft)
    if errors:
        raise ValidationFailed(f"product {draft.sku or '?'} is invalid", code="product.invalid", errors=errors)
    with uow:
        if uow.products.get_by_sku(draft.sku) is not None:
            raise ProductExists(f"product {draft.sku} already exists", sku=draft.sku)
        product, _ = apply_product(uow, clock, actor, draft)
        uow.commit()
        return product


def get_product(uow: UnitOfWork, actor: Actor, sku: str) -> Product:
    """One product by SKU."""
    actor.require(Permission.CATALOG_READ)
    with uow:
        product = uow.products.get_by_sku(sku)
        if product is None:
            raise ProductNotFound(f"product {sku} not found", sku=sku)
        return product


def list_products(
    uow: UnitOfWork, actor: Actor, *, after_id: int | None = None, limit: int = 50, search: str | None = None
) -> Sequence[Product]:
    """A page of products ordered by id."""
    actor.require(Permission.CATALOG_READ)
    with uow:
        return uow.products.page(after_id=after_id, limit=limit, search=search)


def apply_price_list(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: PriceList, *, reason: str | None = None
) -> tuple[PriceList, Outcome]:
    """Create a price-list version or update the one with the same code and start date; no commit.

    A version whose window overlaps another version of the same code is refused.
    """
    errors = check_price_list(draft)
    if errors:
        raise ValidationFailed(f"price list {draft.code or '?'} is invalid", code="price_list.invalid", errors=errors)
    versions = uow.price_lists.versions(draft.code)
    same = next((v for v in versions if v.valid_from == draft.valid_from), None)
    for other in versions:
        if other is not same and other.overlaps(draft):
            raise PriceListOverlap(
                f"price list {draft.code} from {draft.valid_from} overlaps the version from {other.valid_from}",
                code_=draft.code,
                valid_from=str(draft.valid_from),
                other_valid_from=str(other.valid_from),
            )
    if same is None:
        uow.price_lists.add(draft)
        record(
            uow,
            clock,
            actor,
            "price_list.created",
            "price_list",
            f"{draft.code}@{draft.valid_from}",
            after=draft.snapshot(),
            reason=reason,
        )
        return draft, "created"
    before = same.snapshot()
    same.name, same.currency, same.valid_to = draft.name, draft.currency, draft.valid_to
    for item in draft.items:
        same.set_price(item.product_id, item.unit_price)
    if same.snapshot() == before:
        return same, "unchanged"
    record(
        uow,
        clock,
        actor,
        "price_list.updated",
        "price_list",
        f"{same.code}@{same.valid_from}",
        before=before,
        after=same.snapshot(),
        reason=reason,
    )
    return same, "updated"


def save_price_list(uow: UnitOfWork, clock: Clock, actor: Actor, draft: PriceList) -> PriceList:
    """Create or update a price-list version and commit."""
    actor.require(Permission.CATALOG_WRITE)
    with uow:
        price_list, _ = apply_price_list(uow, clock, actor, draft)
        uow.commit()
        return price_list
