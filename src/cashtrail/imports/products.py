"""Importing products: one row per product, keyed by SKU.

Invariants: every row passes :func:`cashtrail.catalog.model.check_product`; the product type and tax category
are one of the catalog's enumerations; the row is the whole truth for its product (a blank ``description``
clears it, a blank ``active`` means active).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cashtrail.catalog.model import Product, ProductType, TaxCategory, check_product
from cashtrail.catalog.services import apply_product
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.plan import Batch, Kind, Planned, Written
from cashtrail.imports.spec import Choice, Column, Flag, KindSpec, ParsedRow, Text, content_hash
from cashtrail.ports import UnitOfWork

SPEC = KindSpec(
    kind="products",
    key=("sku",),
    columns=(
        Column("sku", Text(64), "Stock-keeping unit, the business key.", "MFP-C300", required=True),
        Column("name", Text(200), "Product name shown on invoices.", "Colour MFP C300", required=True),
        Column("product_type", Choice(tuple(ProductType)), "What is sold; decides billing.", "hardware", True),
        Column(
            "tax_category",
            Choice(tuple(TaxCategory)),
            "VAT category; blank means `standard`.",
            "standard",
            default=TaxCategory.STANDARD.value,
        ),
        Column("unit", Text(20), "Unit of measure; blank means `each`.", "each", default="each"),
        Column("description", Text(2000), "Longer description.", "A3 colour multifunction printer", default=""),
        Column("active", Flag(), "Whether it can be sold; blank means true.", "true", default=True),
    ),
)


@dataclass
class ProductBatch:
    """Checked product rows by SKU."""

    planned: list[Planned] = field(default_factory=list)
    drafts: dict[str, Product] = field(default_factory=dict)

    def write(
        self,
        uow: UnitOfWork,
        clock: Clock,
        actor: Actor,
        changed: Sequence[Planned],
        reason: Callable[[Planned], str],
    ) -> list[Written]:
        """Create or update the changed products with audit events; no commit."""
        written: list[Written] = []
        for item in changed:
            product, outcome = apply_product(uow, clock, actor, self.drafts[item.external_id], reason=reason(item))
            written.append(Written(item.external_id, "product", product, outcome))
        return written


def build_draft(row: ParsedRow) -> tuple[Product, list[FieldError]]:
    """The product a row describes and its problems, by column; pure."""
    draft = Product(
        sku=row.text("sku"),
        name=row.text("name"),
        product_type=row.text("product_type"),
        tax_category=row.text("tax_category") or TaxCategory.STANDARD.value,
        unit=row.text("unit") or "each",
        description=row.text("description"),
        active=row.flag("active", default=True),
    )
    return draft, [row.error(e.field, e.message, e.value) for e in check_product(draft)]


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Check every row and note which SKUs are stored (one query); writes nothing."""
    stored = uow.products.by_skus({r.text("sku") for r in rows} - {""})
    batch = ProductBatch()
    errors: list[FieldError] = []
    for row in rows:
        draft, problems = build_draft(row)
        errors += [e for e in problems if e.field not in row.bad]
        key = SPEC.external_id(row)
        batch.drafts[key] = draft
        batch.planned.append(Planned(row.row, key, content_hash(SPEC, row), key in stored))
    return batch, errors


KIND = Kind(spec=SPEC, permission=Permission.CATALOG_WRITE, entity_type="product", prepare=prepare)
