"""Bundles: one product sold as several (a printer with its licence, subscription, installation and maintenance).

A bundle is defined by its SKU, its components (SKU and quantity per bundle) and how the bundle's price is
allocated to them: a *fixed split* (each component's share in percent, adding up to 100) or the *relative
standalone price* (each component's list price × quantity, as a share of the sum of them). Ordering a bundle adds
one component line per component, numbered under the bundle line, each with its own product, tax category and
invoice trigger, so each is booked and invoiced on its own trigger; the bundle line itself is never invoiced.

Allocation keeps the total exact: shares are computed at full precision, floored to the currency's minor unit, and
the cents left over go to the largest remainders (ties to the earlier component), so the component amounts always
add up to the bundle line's net amount.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from cashtrail.errors import FieldError
from cashtrail.money import Money, minor_units
from cashtrail.orders.model import COMPONENT_BASE, HUNDRED, OrderLine, Trigger, default_trigger

_SIX = Decimal("0.000001")


class Allocation(StrEnum):
    FIXED = "fixed"  # fixed split: each component's share in percent
    RELATIVE = "relative"  # relative standalone price: list price × quantity


@dataclass(frozen=True)
class Component:
    sku: str
    quantity: Decimal = Decimal(1)  # per bundle
    share_percent: Decimal | None = None  # fixed split only


@dataclass(eq=False)
class Bundle:
    sku: str
    name: str
    allocation: str
    components: tuple[Component, ...]
    id: int | None = None

    def snapshot(self) -> dict[str, object]:
        return {
            "name": self.name,
            "allocation": self.allocation,
            "components": [
                f"{c.sku}×{c.quantity.normalize()}@{'-' if c.share_percent is None else c.share_percent.normalize()}"
                for c in self.components
            ],
        }


def check_bundle(bundle: Bundle) -> list[FieldError]:
    """Every problem with a bundle definition."""
    errors: list[FieldError] = []
    if bundle.allocation not in Allocation.__members__.values():
        errors.append(FieldError("allocation", "must be fixed or relative", value=bundle.allocation))
    if not bundle.components:
        errors.append(FieldError("components", "a bundle needs at least one component"))
    skus = [c.sku for c in bundle.components]
    if len(set(skus)) != len(skus) or bundle.sku in skus:
        errors.append(FieldError("components", "each component appears once and is not the bundle itself"))
    if any(c.quantity <= 0 for c in bundle.components):
        errors.append(FieldError("quantity", "must be more than zero"))
    if bundle.allocation == Allocation.FIXED:
        shares = [c.share_percent for c in bundle.components]
        if any(s is None or s < 0 for s in shares) or sum((s or Decimal(0) for s in shares), Decimal(0)) != HUNDRED:
            errors.append(FieldError("share_percent", "fixed shares must be given and add up to 100"))
    return errors


def allocate(total: Money, weights: Sequence[Decimal]) -> list[Money]:
    """``total`` split in proportion to ``weights``, exact to the cent (largest remainder).

    >>> [m.amount for m in allocate(Money.of("100.00", "EUR"), [Decimal(1), Decimal(1), Decimal(1)])]
    [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
    """
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0 or any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative with a positive sum")
    quantum = Decimal(1).scaleb(-minor_units(total.currency))
    raw = [total.amount * w / weight_sum for w in weights]
    floors = [r.quantize(quantum, rounding=ROUND_DOWN) for r in raw]
    left = int(((total.amount - sum(floors, Decimal(0))) / quantum).to_integral_value(ROUND_HALF_UP))
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += quantum
    return [Money(amount, total.currency) for amount in floors]


@dataclass(frozen=True)
class ComponentProduct:
    """What the catalog says about a component: its type, name and tax category."""

    product_type: str
    name: str
    tax_category: str


def weights_of(bundle: Bundle, list_prices: Mapping[str, Decimal]) -> tuple[list[Decimal], list[str]]:
    """The allocation weights of the components, and the SKUs lacking a list price (relative allocation)."""
    if bundle.allocation == Allocation.FIXED:
        return [c.share_percent or Decimal(0) for c in bundle.components], []
    missing = [c.sku for c in bundle.components if c.sku not in list_prices]
    return [list_prices.get(c.sku, Decimal(0)) * c.quantity for c in bundle.components], missing


def expand(
    bundle: Bundle,
    line: OrderLine,
    currency: str,
    weights: Sequence[Decimal],
    products: Mapping[str, ComponentProduct],
) -> list[OrderLine]:
    """The component lines of bundle ``line``: numbered under it, priced by allocation of its net amount."""
    amounts = allocate(Money(line.net_amount, currency), weights)
    lines = []
    for n, (component, amount) in enumerate(zip(bundle.components, amounts, strict=True), start=1):
        product = products[component.sku]
        quantity = component.quantity * line.quantity
        trigger = default_trigger(product.product_type)
        lines.append(
            OrderLine(
                line_no=line.line_no * COMPONENT_BASE + n,
                sku=component.sku,
                product_type=product.product_type,
                description=f"{product.name} (bundle {bundle.sku})",
                quantity=quantity,
                unit_price=(amount.amount / quantity).quantize(_SIX, ROUND_HALF_UP),
                tax_category=product.tax_category,
                trigger=trigger,
                net_amount=amount.amount,
                parent_line_no=line.line_no,
                expected_ship_date=line.expected_ship_date,
                start_date=line.start_date,
            )
        )
    line.is_bundle, line.trigger = True, Trigger.NONE
    return lines
