"""Products and price lists.

A product is something we sell, identified by its SKU, with a type (what kind of thing it is, which decides how
it is billed later) and a tax category (which VAT rate applies). A price list is a dated set of unit prices in one
currency; the price of a SKU on a day comes from the price list valid that day. Two versions of the same price
list may not overlap in time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.money import Money, check_currency


class ProductType(StrEnum):
    HARDWARE = "hardware"
    SOFTWARE = "software"
    SUBSCRIPTION = "subscription"
    SERVICE = "service"
    MAINTENANCE = "maintenance"
    CONSUMABLE = "consumable"


class TaxCategory(StrEnum):
    """VAT category of a product; the rate per country and date comes later from the tax tables."""

    STANDARD = "standard"
    REDUCED = "reduced"
    ZERO = "zero"
    EXEMPT = "exempt"


@dataclass(eq=False)
class Product:
    sku: str
    name: str
    product_type: str
    tax_category: str = TaxCategory.STANDARD
    unit: str = "each"
    description: str = ""
    active: bool = True
    id: int | None = None

    def snapshot(self) -> dict[str, object]:
        return {
            "sku": self.sku,
            "name": self.name,
            "product_type": self.product_type,
            "tax_category": self.tax_category,
            "unit": self.unit,
            "description": self.description,
            "active": self.active,
        }


def check_product(product: Product) -> list[FieldError]:
    """Normalize ``product`` in place and return every problem found."""
    errors: list[FieldError] = []
    product.sku = product.sku.strip()
    product.name = product.name.strip()
    if not product.sku:
        errors.append(FieldError("sku", "is required"))
    if not product.name:
        errors.append(FieldError("name", "is required"))
    product.product_type = product.product_type.strip().lower()
    if product.product_type not in ProductType.__members__.values():
        errors.append(
            FieldError("product_type", f"must be one of {', '.join(ProductType)}", value=product.product_type)
        )
    product.tax_category = product.tax_category.strip().lower()
    if product.tax_category not in TaxCategory.__members__.values():
        errors.append(
            FieldError("tax_category", f"must be one of {', '.join(TaxCategory)}", value=product.tax_category)
        )
    return errors


@dataclass(eq=False)
class PriceListItem:
    product_id: int
    unit_price: Decimal
    id: int | None = None


@dataclass(eq=False)
class PriceList:
    """One dated version of a price list: ``valid_to`` is inclusive; None means open-ended."""

    code: str
    name: str
    currency: str
    valid_from: date
    valid_to: date | None = None
    items: list[PriceListItem] = field(default_factory=list)
    id: int | None = None

    def is_valid_on(self, day: date) -> bool:
        """True when ``day`` falls in the validity window."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, other: PriceList) -> bool:
        """True when the two validity windows share at least one day."""
        end_a = self.valid_to or date.max
        end_b = other.valid_to or date.max
        return self.valid_from <= end_b and other.valid_from <= end_a

    def price_of(self, product_id: int) -> Money | None:
        """The unit price of a product in this list, or None when it is not listed."""
        for item in self.items:
            if item.product_id == product_id:
                return Money(item.unit_price, self.currency)
        return None

    def set_price(self, product_id: int, unit_price: Decimal) -> None:
        """Add or change one product's price."""
        if unit_price < 0:
            raise ValidationFailed("unit price must not be negative", code="catalog.negative_price")
        for item in self.items:
            if item.product_id == product_id:
                item.unit_price = unit_price
                return
        self.items.append(PriceListItem(product_id=product_id, unit_price=unit_price))

    def snapshot(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "currency": self.currency,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            # Compare prices as numbers: 6450 and 6450.000000 (as the database returns it) are the same price.
            "items": {str(i.product_id): format(i.unit_price.normalize(), "f") for i in self.items},
        }


def check_price_list(price_list: PriceList) -> list[FieldError]:
    """Every problem with the header of ``price_list``."""
    errors: list[FieldError] = []
    if not price_list.code.strip():
        errors.append(FieldError("code", "is required"))
    try:
        price_list.currency = check_currency(price_list.currency)
    except ValidationFailed:
        errors.append(FieldError("currency", "is not an ISO 4217 currency code", value=price_list.currency))
    if price_list.valid_to is not None and price_list.valid_to < price_list.valid_from:
        errors.append(FieldError("valid_to", "is before valid_from", value=price_list.valid_to))
    return errors


def price_on(price_lists: list[PriceList], product_id: int, day: date, currency: str) -> Money | None:
    """The price of ``product_id`` on ``day`` in ``currency`` from whichever list is valid then."""
    for price_list in price_lists:
        if price_list.currency == currency and price_list.is_valid_on(day):
            price = price_list.price_of(product_id)
            if price is not None:
                return price
    return None
