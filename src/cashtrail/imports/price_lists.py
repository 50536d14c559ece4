"""Importing price lists: one row per (price list version, SKU) with its unit price.

A price-list version is identified by its code and ``valid_from``; its rows repeat the version's name, currency
and ``valid_to``, which must agree on every row of the version. The row key (``external_id``) is
``CODE@VALID_FROM|SKU``.

Invariants (all checked before anything is written):
- every SKU is a stored product; unit prices are not negative and have at most 6 decimal places;
- each version passes :func:`cashtrail.catalog.model.check_price_list` (known currency, ``valid_to`` not before
  ``valid_from``) and does not overlap another version of the same code, stored or in the file;
- a file adds and changes prices but never removes a product from a stored version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby

from cashtrail.catalog.model import PriceList, PriceListItem, Product, check_price_list
from cashtrail.catalog.services import apply_price_list
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.plan import Batch, Kind, Outcome, Planned, Written
from cashtrail.imports.spec import Column, IsoDate, KindSpec, Number, ParsedRow, Text, content_hash
from cashtrail.ports import UnitOfWork

SPEC = KindSpec(
    kind="price-lists",
    key=("code", "valid_from", "sku"),
    key_format="{0}@{1}|{2}",
    columns=(
        Column("code", Text(32), "Price list code.", "STD-EUR", required=True),
        Column("name", Text(200), "Price list name (same on every row of a version).", "Standard EUR", True),
        Column("currency", Text(8, "ISO 4217 code"), "Currency (same on every row of a version).", "EUR", True),
        Column(
            "valid_from",
            IsoDate(),
            "First day the version applies; with `code` it names the version.",
            "2026-01-01",
            True,
        ),
        Column("valid_to", IsoDate(), "Last day (inclusive); blank means open-ended.", "2026-12-31"),
        Column("sku", Text(64), "SKU of a stored product.", "MFP-C300", required=True),
        Column("unit_price", Number(6, 19, Decimal(0)), "Unit price in the currency.", "1250.00", required=True),
    ),
)

VersionKey = tuple[str, date]
Header = tuple[str, str, date | None]  # name, currency, valid_to


@dataclass(frozen=True)
class PriceRow:
    """One checked row: which version, which product, which price."""

    version: VersionKey
    header: Header
    product_id: int
    unit_price: Decimal


@dataclass
class PriceListBatch:
    """Checked price rows by external id; ``stored`` holds the stored versions of the codes in the file."""

    stored: dict[VersionKey, PriceList]
    planned: list[Planned] = field(default_factory=list)
    prices: dict[str, PriceRow] = field(default_factory=dict)

    def write(
        self,
        uow: UnitOfWork,
        clock: Clock,
        actor: Actor,
        changed: Sequence[Planned],
        reason: Callable[[Planned], str],
    ) -> list[Written]:
        """Apply the changed rows one version at a time, in date order, with audit events; no commit."""
        written: list[Written] = []
        ordered = sorted(changed, key=lambda item: (self.prices[item.external_id].version, item.row))
        for version, group in groupby(ordered, key=lambda item: self.prices[item.external_id].version):
            items = list(group)
            rows = [self.prices[item.external_id] for item in items]
            outcomes = [row_outcome(self.stored.get(version), row) for row in rows]
            name, currency, valid_to = rows[0].header
            draft = PriceList(code=version[0], name=name, currency=currency, valid_from=version[1], valid_to=valid_to)
            draft.items = [PriceListItem(product_id=row.product_id, unit_price=row.unit_price) for row in rows]
            price_list, _ = apply_price_list(uow, clock, actor, draft, reason=reason(items[0]))
            written += [
                Written(item.external_id, "price_list", price_list, outcome)
                for item, outcome in zip(items, outcomes, strict=True)
            ]
        return written


def row_outcome(stored: PriceList | None, row: PriceRow) -> Outcome:
    """What writing ``row`` into the stored version does: add a price, change it (or the header), or nothing."""
    current = None if stored is None else stored.price_of(row.product_id)
    if stored is None or current is None:
        return "created"
    same_header = (stored.name, stored.currency, stored.valid_to) == row.header
    return "unchanged" if same_header and current.amount == row.unit_price else "updated"


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Load the products (one query) and each code's stored versions (one query per code), then check."""
    products = uow.products.by_skus({r.text("sku") for r in rows} - {""})
    codes = sorted({r.text("code") for r in rows} - {""})
    stored = {(v.code, v.valid_from): v for code in codes for v in uow.price_lists.versions(code)}
    batch = PriceListBatch(stored=stored)
    errors: list[FieldError] = []
    first_of: dict[VersionKey, ParsedRow] = {}
    for row in rows:
        code, start = row.text("code"), row.day("valid_from")
        problems = check_row(row, products, None if start is None else first_of.get((code, start)))
        errors += [e for e in problems if e.field not in row.bad]
        if start is None or row.bad or problems:
            continue
        first_of.setdefault((code, start), row)
        price = PriceRow((code, start), _header(row), _id(products[row.text("sku")]), _price(row))
        key = SPEC.external_id(row)
        batch.prices[key] = price
        exists = row_outcome(stored.get(price.version), price) != "created"
        batch.planned.append(Planned(row.row, key, content_hash(SPEC, row), exists))
    errors += overlaps(first_of, stored.values())
    return batch, errors


def check_row(row: ParsedRow, products: Mapping[str, Product], first: ParsedRow | None) -> list[FieldError]:
    """Problems of one row: unknown SKU, a bad version header, or a header that differs from the version's."""
    errors: list[FieldError] = []
    sku = row.text("sku")
    if sku and sku not in products:
        errors.append(row.error("sku", "is not a stored product SKU", sku))
    start = row.day("valid_from")
    if start is not None:
        header = PriceList(row.text("code"), row.text("name"), row.text("currency"), start, row.day("valid_to"))
        errors += [row.error(e.field, e.message, e.value) for e in check_price_list(header)]
    if first is not None and first is not row:
        version = f"{row.text('code')}@{start}"
        for column, mine, theirs in zip(("name", "currency", "valid_to"), _header(row), _header(first), strict=True):
            if mine != theirs:
                message = f"differs from row {first.row} of the same price list version {version}"
                errors.append(row.error(column, message, mine))
    return errors


def overlaps(first_of: Mapping[VersionKey, ParsedRow], stored: Iterable[PriceList]) -> list[FieldError]:
    """An error on the first row of each file version whose window overlaps another version of its code."""
    windows: dict[VersionKey, date | None] = {(v.code, v.valid_from): v.valid_to for v in stored}
    windows.update({key: row.day("valid_to") for key, row in first_of.items()})
    errors: list[FieldError] = []
    for (code, start), row in sorted(first_of.items(), key=lambda item: item[1].row):
        end = windows[(code, start)]
        for (other_code, other_start), other_end in sorted(windows.items(), key=lambda item: item[0]):
            if other_code != code or other_start == start:
                continue
            if start <= (other_end or date.max) and other_start <= (end or date.max):
                message = (
                    f"version {code}@{start} (to {end or 'open end'}) overlaps the version from {other_start} "
                    f"(to {other_end or 'open end'}); every row of this version is refused"
                )
                errors.append(row.error("valid_from", message, start))
                break
    return errors


def _header(row: ParsedRow) -> Header:
    return row.text("name"), row.text("currency").upper(), row.day("valid_to")


def _price(row: ParsedRow) -> Decimal:
    price = row.decimal("unit_price")
    if price is None:  # pragma: no cover - rows with a bad or missing price are skipped before this
        raise ValueError(f"row {row.row} has no unit price")
    return price


def _id(product: Product) -> int:
    if product.id is None:  # pragma: no cover - products come from storage and always have an id
        raise ValueError(f"product {product.sku} has no id")
    return product.id


KIND = Kind(spec=SPEC, permission=Permission.CATALOG_WRITE, entity_type="price_list", prepare=prepare)
