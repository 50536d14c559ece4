"""Demo chapters: what the company sells, and at what price.

The company runs managed print services (MPS: devices, toner, cost per page), lift and escalator maintenance with
callouts, and software. The catalog holds products of every :class:`~cashtrail.catalog.model.ProductType`.
Standard price lists exist in EUR, USD and GBP, one version for 2026 and one from 2027 on, 3% dearer. List prices
are rounded the way a price book is: cost-per-page rates to 4 decimals, small items to cents, the rest to units.
They are handed to the catalog at the unit-price scale of 6 decimals, the form they are read back in, because the
price-list snapshot compares prices as strings and would otherwise record a re-run of the demo as a change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cashtrail.bootstrap import App
from cashtrail.catalog.model import PriceList, PriceListItem, Product, ProductType, TaxCategory, check_product
from cashtrail.catalog.services import apply_price_list, apply_product
from cashtrail.db import tables as t
from cashtrail.demo.context import DEMO_REASON, Chapter, Count, DemoContext
from cashtrail.errors import ValidationFailed
from cashtrail.identity.model import Actor

H, C, S, M, W, U = (
    ProductType.HARDWARE,
    ProductType.CONSUMABLE,
    ProductType.SERVICE,
    ProductType.MAINTENANCE,
    ProductType.SOFTWARE,
    ProductType.SUBSCRIPTION,
)


@dataclass(frozen=True)
class DemoProduct:
    """A catalog line with its 2026 list price in EUR."""

    sku: str
    name: str
    product_type: ProductType
    unit: str
    eur_2026: str
    tax_category: TaxCategory = TaxCategory.STANDARD


PRODUCTS: tuple[DemoProduct, ...] = (
    DemoProduct("MFP-A3-C35", "Colour A3 multifunction printer, 35 ppm", H, "each", "6450"),
    DemoProduct("MFP-A3-M45", "Mono A3 multifunction copier, 45 ppm", H, "each", "4890"),
    DemoProduct("MFP-A4-C30", "Colour A4 multifunction printer, 30 ppm", H, "each", "1890"),
    DemoProduct("PRN-A4-M40", "Mono A4 laser printer, 40 ppm", H, "each", "690"),
    DemoProduct("PRD-C70", "Colour production printer, 70 ppm", H, "each", "38500"),
    DemoProduct("FIN-STAPLE", "Stapling finisher for A3 devices", H, "each", "1150"),
    DemoProduct("TNR-C35-K", "Toner cartridge black, C35 series", C, "each", "89"),
    DemoProduct("TNR-C35-C", "Toner cartridge cyan, C35 series", C, "each", "142"),
    DemoProduct("TNR-C35-M", "Toner cartridge magenta, C35 series", C, "each", "142"),
    DemoProduct("TNR-C35-Y", "Toner cartridge yellow, C35 series", C, "each", "142"),
    DemoProduct("TNR-M45-K", "Toner cartridge black, M45 series", C, "each", "76"),
    DemoProduct("DRM-C35", "Imaging drum unit, C35 series", C, "each", "310"),
    DemoProduct("STP-5000", "Staple cartridges, 3 x 5,000", C, "box", "45"),
    DemoProduct("DOC-MANUAL", "Printed operator manual", C, "each", "25", TaxCategory.REDUCED),
    DemoProduct("CPP-MONO", "Cost per page, mono", S, "page", "0.0065"),
    DemoProduct("CPP-COLOUR", "Cost per page, colour", S, "page", "0.045"),
    DemoProduct("LAB-CALLOUT", "Callout labour, office hours", S, "hour", "95"),
    DemoProduct("LAB-CALLOUT-OOH", "Callout labour, out of hours", S, "hour", "142.50"),
    DemoProduct("LAB-TRAVEL", "Callout travel, flat fee", S, "each", "65"),
    DemoProduct("SVC-INSTALL-MFP", "Installation and network set-up of a device", S, "each", "245"),
    DemoProduct("SVC-INSTALL-LIFT", "Lift modernisation installation", S, "day", "1450"),
    DemoProduct("SVC-TRAINING", "Operator training, half day", S, "each", "390", TaxCategory.EXEMPT),
    DemoProduct("MNT-LIFT-STD", "Lift maintenance, standard, per lift", M, "month", "185"),
    DemoProduct("MNT-LIFT-FULL", "Lift maintenance, full service, per lift", M, "month", "320"),
    DemoProduct("MNT-ESC", "Escalator maintenance, per unit", M, "month", "410"),
    DemoProduct("MNT-MFP", "Device maintenance, parts and labour", M, "month", "39"),
    DemoProduct("SW-PRINTMGMT", "Print management licence, perpetual, per device", W, "each", "149"),
    DemoProduct("SW-SCAN-OCR", "Scan-to-OCR workflow licence, per site", W, "each", "1200"),
    DemoProduct("SUB-CLOUDPRINT", "Cloud print management, per user", U, "user-month", "3.50"),
    DemoProduct("SUB-FLEET", "Fleet monitoring portal, per device", U, "device-month", "2.90"),
    DemoProduct("SUB-LIFTMON", "Remote lift monitoring, per lift", U, "month", "24"),
)

#: Price-list currencies and their conversion from the EUR price book.
CURRENCIES: tuple[tuple[str, Decimal], ...] = (("EUR", Decimal(1)), ("USD", Decimal("1.10")), ("GBP", Decimal("0.86")))
#: Yearly versions: (valid from, valid to, factor on the 2026 price). The 2027 version is open-ended.
VERSIONS: tuple[tuple[date, date | None, Decimal], ...] = (
    (date(2026, 1, 1), date(2026, 12, 31), Decimal(1)),
    (date(2027, 1, 1), None, Decimal("1.03")),
)
#: Unit prices are stored with 6 decimals (docs/decisions.md D-002).
UNIT_PRICE_QUANTUM = Decimal("0.000001")


def list_price(amount: Decimal) -> Decimal:
    """Round a computed price the way a price book shows it.

    >>> list_price(Decimal("0.006695")), list_price(Decimal("3.605")), list_price(Decimal("6643.5"))
    (Decimal('0.0067'), Decimal('3.61'), Decimal('6644'))
    """
    step = Decimal("0.0001") if amount < 1 else Decimal("0.01") if amount < 100 else Decimal(1)
    return amount.quantize(step, rounding=ROUND_HALF_UP)


def create_products(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Create or refresh every demo product, in one transaction."""
    uow = app.uow()
    with uow:
        for done, spec in enumerate(PRODUCTS, start=1):
            draft = Product(
                sku=spec.sku,
                name=spec.name,
                product_type=spec.product_type,
                tax_category=spec.tax_category,
                unit=spec.unit,
            )
            errors = check_product(draft)
            if errors:
                raise ValidationFailed(f"demo product {spec.sku} is invalid", code="demo.invalid", errors=errors)
            apply_product(uow, app.clock, Actor.system(), draft, reason=DEMO_REASON)
            ctx.products.setdefault(spec.product_type.value, []).append(spec.sku)
            ctx.progress(done, len(PRODUCTS))
        uow.commit()


def price_list_drafts(product_ids: dict[str, int]) -> list[PriceList]:
    """Every price-list version, with a price for every product (ids by SKU)."""
    drafts: list[PriceList] = []
    for currency, rate in CURRENCIES:
        for valid_from, valid_to, factor in VERSIONS:
            items = [
                PriceListItem(
                    product_id=product_ids[spec.sku],
                    unit_price=_yearly_price(Decimal(spec.eur_2026), rate, factor),
                )
                for spec in PRODUCTS
            ]
            name = f"Standard prices {currency} {valid_from.year}"
            drafts.append(PriceList(f"STD-{currency}", name, currency, valid_from, valid_to, items))
    return drafts


def _yearly_price(eur_2026: Decimal, rate: Decimal, factor: Decimal) -> Decimal:
    """The list price in another currency (converted, rounded), then raised by ``factor`` and rounded again."""
    return list_price(list_price(eur_2026 * rate) * factor).quantize(UNIT_PRICE_QUANTUM)


def create_price_lists(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Create or refresh the standard price lists, in one transaction."""
    uow = app.uow()
    with uow:
        found = uow.products.by_skus(spec.sku for spec in PRODUCTS)
        product_ids = {sku: product.id for sku, product in found.items() if product.id is not None}
        drafts = price_list_drafts(product_ids)
        for done, draft in enumerate(drafts, start=1):
            apply_price_list(uow, app.clock, Actor.system(), draft, reason=DEMO_REASON)
            ctx.price_lists.append(f"{draft.code}@{draft.valid_from}")
            ctx.progress(done, len(drafts))
        uow.commit()


CHAPTERS = [
    Chapter("products", "Products of every type", create_products),
    Chapter("price-lists", "Price lists in EUR, USD and GBP", create_price_lists),
]
COUNTS = [
    Count("products", t.products, t.products.c.product_type),
    Count("price lists", t.price_lists, t.price_lists.c.currency),
    Count("list prices", t.price_list_items),
]
