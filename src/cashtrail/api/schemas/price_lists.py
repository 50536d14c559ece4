"""Price-list schemas: one dated version of a price list, its items naming products by SKU.

Unit prices are decimal strings in the price list's ``currency``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from cashtrail.api.schemas.common import Page, UnitPrice, money_text
from cashtrail.catalog.model import PriceList


class PriceListItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(max_length=64)
    unit_price: UnitPrice


class PriceListCreate(BaseModel):
    """A price-list version. Posting the same ``code`` and ``valid_from`` again updates that version's prices."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=32, examples=["STD-EUR"])
    name: str = Field(max_length=200, examples=["Standard prices"])
    currency: str = Field(max_length=8, examples=["EUR"])
    valid_from: date
    valid_to: date | None = Field(None, description="Inclusive; null means open-ended.")
    items: list[PriceListItemIn] = Field(default_factory=list, max_length=5000)

    def prices(self) -> list[tuple[str, Decimal]]:
        """``(sku, unit price)`` pairs in request order."""
        return [(item.sku, item.unit_price) for item in self.items]


class PriceListItemOut(BaseModel):
    sku: str
    unit_price: str


class PriceListOut(BaseModel):
    code: str
    name: str
    currency: str
    valid_from: date
    valid_to: date | None
    items: list[PriceListItemOut]

    @classmethod
    def of(cls, price_list: PriceList, skus: dict[int, str]) -> PriceListOut:
        """The API view of a price-list version; ``skus`` maps product ids to SKUs."""
        return cls(
            code=price_list.code,
            name=price_list.name,
            currency=price_list.currency,
            valid_from=price_list.valid_from,
            valid_to=price_list.valid_to,
            items=[
                PriceListItemOut(
                    sku=skus.get(item.product_id, f"#{item.product_id}"),
                    unit_price=money_text(item.unit_price, price_list.currency),
                )
                for item in price_list.items
            ],
        )


class PriceListPage(Page[PriceListOut]):
    """A page of price-list versions."""
