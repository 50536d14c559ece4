"""Contract price terms: what a customer's contract says about the products ordered under it.

A contract (an MPS, maintenance or subscription agreement, or a frame agreement that exists only for orders) has
dated versions of price terms in one currency. Each item names a SKU with its contract unit price and discount, an
optional cap on the quantity that may be ordered while the version is valid (over every order under the contract),
and the SKUs that must be ordered with it (a printer needs its installation, say). Orders are checked against
the version valid on the order date. Versions of one contract may not overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.money import check_currency
from cashtrail.orders.model import HUNDRED, net_unit_price


@dataclass(frozen=True)
class PriceTerm:
    """One product on a contract."""

    sku: str
    unit_price: Decimal
    discount_percent: Decimal = Decimal(0)
    max_quantity: Decimal | None = None  # over every order under the contract while this version is valid
    requires: tuple[str, ...] = ()  # SKUs that must be on the same order

    @property
    def net_price(self) -> Decimal:
        return net_unit_price(self.unit_price, self.discount_percent)


@dataclass(eq=False)
class ContractTerms:
    """One dated version of a contract's price terms."""

    contract_number: str
    customer_number: str
    currency: str
    valid_from: date
    valid_to: date | None = None
    description: str = ""
    items: dict[str, PriceTerm] = field(default_factory=dict)
    id: int | None = None

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, other: ContractTerms) -> bool:
        return self.valid_from <= (other.valid_to or date.max) and other.valid_from <= (self.valid_to or date.max)

    def snapshot(self) -> dict[str, object]:
        return {
            "customer_number": self.customer_number,
            "currency": self.currency,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "items": {sku: _item_text(t) for sku, t in sorted(self.items.items())},
        }


def _item_text(item: PriceTerm) -> str:
    cap = "-" if item.max_quantity is None else _plain(item.max_quantity)
    needs = ",".join(item.requires) or "-"
    return f"{_plain(item.unit_price)} less {_plain(item.discount_percent)}% cap {cap} needs {needs}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def terms_valid_on(versions: Sequence[ContractTerms], day: date) -> ContractTerms | None:
    """The version valid on ``day`` (None when the contract has no terms that day)."""
    return next((v for v in versions if v.is_valid_on(day)), None)


def check_terms(terms: ContractTerms, others: Sequence[ContractTerms] = ()) -> list[FieldError]:
    """Every problem with a terms version, including an overlap with another version of the same contract."""
    errors: list[FieldError] = []
    if not terms.contract_number.strip():
        errors.append(FieldError("contract", "is required"))
    try:
        terms.currency = check_currency(terms.currency)
    except ValidationFailed:
        errors.append(FieldError("currency", "is not an ISO 4217 currency code", value=terms.currency))
    if terms.valid_to is not None and terms.valid_to < terms.valid_from:
        errors.append(FieldError("valid_to", "is before valid_from", value=terms.valid_to))
    for other in others:
        if other.valid_from != terms.valid_from and other.overlaps(terms):
            errors.append(FieldError("valid_from", f"overlaps the version from {other.valid_from}"))
    for sku, item in terms.items.items():
        if item.unit_price < 0:
            errors.append(FieldError(f"items[{sku}].unit_price", "must not be negative", value=item.unit_price))
        if not 0 <= item.discount_percent <= HUNDRED:
            errors.append(FieldError(f"items[{sku}].discount_percent", "must be 0–100", value=item.discount_percent))
        if item.max_quantity is not None and item.max_quantity <= 0:
            errors.append(FieldError(f"items[{sku}].max_quantity", "must be more than zero", value=item.max_quantity))
        if sku in item.requires:
            errors.append(FieldError(f"items[{sku}].requires", "a product cannot require itself"))
    return errors
