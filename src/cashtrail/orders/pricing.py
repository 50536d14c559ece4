"""Order entry: from what a person or a file typed (drafts) to priced order lines, bundles expanded.

A draft line names a SKU and a quantity; everything else may be left out and is then taken from the catalog and
the contract: the unit price from the contract's price terms valid on the order date, else from the list price of
that date in the order's currency; the discount from the contract (else none); the tax category from the product;
the trigger from the product type. A line taxed below its product's category (zero or exempt instead of standard)
claims a tax exemption, which puts the exemption certificate on the acceptance checklist. A bundle SKU becomes the
bundle line plus its component lines (:mod:`cashtrail.orders.bundles`).

Pure: the caller loads products, bundles, terms and list prices once for the whole order (or file).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cashtrail.catalog.model import PriceList, Product, price_on
from cashtrail.errors import FieldError
from cashtrail.orders.bundles import Bundle, ComponentProduct, expand, weights_of
from cashtrail.orders.model import Milestone, Order, OrderLine, default_trigger, line_label, net_amount
from cashtrail.orders.terms import ContractTerms, terms_valid_on

#: Tax categories from the highest rate to none: a line below its product's category claims an exemption.
TAX_RANK = {"standard": 0, "reduced": 1, "zero": 2, "exempt": 3}


@dataclass(frozen=True)
class LineDraft:
    line_no: int
    sku: str
    quantity: Decimal
    unit_price: Decimal | None = None
    discount_percent: Decimal | None = None
    tax_category: str | None = None
    trigger: str | None = None
    description: str = ""
    expected_ship_date: date | None = None
    start_date: date | None = None
    milestones: tuple[Milestone, ...] = ()


@dataclass
class Lookups:
    """What pricing needs, loaded once: products and bundles by SKU, the terms and list prices of the date."""

    products: Mapping[str, Product]
    bundles: Mapping[str, Bundle] = field(default_factory=dict)
    terms: ContractTerms | None = None
    list_prices: Mapping[str, Decimal] = field(default_factory=dict)


def skus_needed(drafts: Sequence[LineDraft], bundles: Mapping[str, Bundle]) -> set[str]:
    """The SKUs of the drafts and of the components of the bundles among them."""
    skus = {d.sku for d in drafts}
    return skus | {c.sku for s in skus if s in bundles for c in bundles[s].components}


def price_lines(
    order: Order, drafts: Sequence[LineDraft], lookups: Lookups
) -> tuple[list[OrderLine], list[FieldError]]:
    """The priced lines of ``order`` (components included) and every problem found."""
    lines: list[OrderLine] = []
    errors: list[FieldError] = []
    terms = lookups.terms if lookups.terms is not None and lookups.terms.currency == order.currency else None
    for draft in drafts:
        where = f"lines[{line_label(draft.line_no)}]"
        product = lookups.products.get(draft.sku)
        if product is None:
            errors.append(FieldError(f"{where}.sku", "is not a known product SKU", value=draft.sku))
            continue
        line, problem = _line(order, draft, product, terms, lookups.list_prices)
        if problem is not None:
            errors.append(FieldError(f"{where}.unit_price", problem, value=draft.sku))
            continue
        lines.append(line)
        bundle = lookups.bundles.get(draft.sku)
        if bundle is not None:
            components, problems = _components(order, line, bundle, lookups)
            lines += components
            errors += [FieldError(f"{where}.sku", p, value=draft.sku) for p in problems]
    return lines, errors


def _line(
    order: Order,
    draft: LineDraft,
    product: Product,
    terms: ContractTerms | None,
    list_prices: Mapping[str, Decimal],
) -> tuple[OrderLine, str | None]:
    item = terms.items.get(draft.sku) if terms is not None else None
    price = draft.unit_price
    if price is None:
        price = item.unit_price if item is not None else list_prices.get(draft.sku)
    discount = draft.discount_percent
    if discount is None:
        discount = item.discount_percent if item is not None else Decimal(0)
    line = OrderLine(
        line_no=draft.line_no,
        sku=draft.sku,
        product_type=product.product_type,
        description=draft.description or product.name,
        quantity=draft.quantity,
        unit_price=price if price is not None else Decimal(0),
        discount_percent=discount,
        tax_category=draft.tax_category or product.tax_category,
        trigger=draft.trigger or default_trigger(product.product_type),
        expected_ship_date=draft.expected_ship_date,
        start_date=draft.start_date,
        milestones=draft.milestones,
    )
    if price is None:
        return line, f"no contract or {order.currency} list price on {order.order_date}; give the unit price"
    line.net_amount = net_amount(line.quantity, price, discount, order.currency).amount
    return line, None


def _components(order: Order, line: OrderLine, bundle: Bundle, lookups: Lookups) -> tuple[list[OrderLine], list[str]]:
    weights, missing = weights_of(bundle, lookups.list_prices)
    unknown = [c.sku for c in bundle.components if c.sku not in lookups.products]
    problems = [f"bundle component {sku} is not a known product" for sku in unknown]
    problems += [f"bundle component {sku} has no {order.currency} list price on {order.order_date}" for sku in missing]
    if problems:
        return [], problems
    catalog = {c.sku: lookups.products[c.sku] for c in bundle.components}
    products = {sku: ComponentProduct(p.product_type, p.name, p.tax_category) for sku, p in catalog.items()}
    return expand(bundle, line, order.currency, weights, products), []


def claims_exemption(lines: Sequence[OrderLine], products: Mapping[str, Product]) -> bool:
    """True when a line is taxed below its product's category (the order then needs the certificate)."""
    return any(
        TAX_RANK.get(line.tax_category, 0) > TAX_RANK.get(products[line.sku].tax_category, 0)
        for line in lines
        if line.sku in products
    )


@dataclass
class Catalog:
    """Everything pricing and checking need for a batch of orders, loaded once (products and bundles by SKU,
    every price-list version, the price terms of the contracts involved)."""

    products: Mapping[str, Product]
    bundles: Mapping[str, Bundle]
    price_lists: list[PriceList]
    terms: Mapping[str, Sequence[ContractTerms]]

    def terms_for(self, order: Order) -> ContractTerms | None:
        """The contract's price terms valid on the order date."""
        if not order.contract_number:
            return None
        return terms_valid_on(self.terms.get(order.contract_number, ()), order.order_date)

    def list_prices(self, skus: Iterable[str], currency: str, day: date) -> dict[str, Decimal]:
        """The list price of each SKU on ``day`` in ``currency`` (SKUs without one are left out)."""
        found: dict[str, Decimal] = {}
        for sku in skus:
            product = self.products.get(sku)
            price = (
                None if product is None or product.id is None else price_on(self.price_lists, product.id, day, currency)
            )
            if price is not None:
                found[sku] = price.amount
        return found

    def lookups(self, order: Order, skus: Iterable[str]) -> Lookups:
        wanted = set(skus)
        wanted |= {c.sku for s in list(wanted) if s in self.bundles for c in self.bundles[s].components}
        return Lookups(
            self.products,
            self.bundles,
            self.terms_for(order),
            self.list_prices(wanted, order.currency, order.order_date),
        )
