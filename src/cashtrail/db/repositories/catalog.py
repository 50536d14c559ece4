"""SQL repositories for products and price lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cashtrail.catalog.model import PriceList, Product
from cashtrail.db import tables as t


class SqlProductRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, product: Product) -> None:
        self.session.add(product)

    def get(self, product_id: int) -> Product | None:
        return self.session.get(Product, product_id)

    def get_by_sku(self, sku: str) -> Product | None:
        return self.session.scalars(select(Product).filter_by(sku=sku)).one_or_none()

    def by_skus(self, skus: Iterable[str]) -> dict[str, Product]:
        wanted = sorted(set(skus))
        found: dict[str, Product] = {}
        for start in range(0, len(wanted), 500):
            for product in self.session.scalars(
                select(Product).where(t.products.c.sku.in_(wanted[start : start + 500]))
            ):
                found[product.sku] = product
        return found

    def page(self, *, after_id: int | None, limit: int, search: str | None = None) -> Sequence[Product]:
        query = select(Product)
        if search:
            pattern = f"%{search.lower()}%"
            query = query.where(
                or_(func.lower(t.products.c.name).like(pattern), func.lower(t.products.c.sku).like(pattern))
            )
        if after_id is not None:
            query = query.where(t.products.c.id > after_id)
        return list(self.session.scalars(query.order_by(t.products.c.id).limit(limit)))


class SqlPriceListRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, price_list: PriceList) -> None:
        self.session.add(price_list)

    def get(self, price_list_id: int) -> PriceList | None:
        return self.session.get(PriceList, price_list_id)

    def versions(self, code: str) -> Sequence[PriceList]:
        query = select(PriceList).filter_by(code=code).order_by(t.price_lists.c.valid_from)
        return list(self.session.scalars(query))

    def valid_on(self, currency: str, day: object) -> Sequence[PriceList]:
        if not isinstance(day, date):
            raise TypeError("valid_on needs a date")
        query = select(PriceList).where(
            t.price_lists.c.currency == currency,
            t.price_lists.c.valid_from <= day,
            or_(t.price_lists.c.valid_to.is_(None), t.price_lists.c.valid_to >= day),
        )
        return list(self.session.scalars(query.order_by(t.price_lists.c.code)))

    def page(self, *, after_id: int | None, limit: int) -> Sequence[PriceList]:
        query = select(PriceList)
        if after_id is not None:
            query = query.where(t.price_lists.c.id > after_id)
        return list(self.session.scalars(query.order_by(t.price_lists.c.id).limit(limit)))
