"""Importing orders: one row per order line, keyed by ``ORDER|LINE``; the header columns repeat on every row of an
order and must agree.

A new order is entered; rows of an order still entered replace the lines they name (other stored lines stay), and
the order is checked again against its contract and the price list. An accepted or cancelled order's lines never
change: a changed row of one is refused (an unchanged re-import is skipped, as always). Prices, discounts, tax
categories and triggers may be left blank and then come from the contract, the price list, the product and the
product type. A bundle SKU brings its component lines. Everything is checked for the whole file before anything
is written, with the same rules as order entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from cashtrail.catalog.model import TaxCategory
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.meter_reads import StoredRef
from cashtrail.imports.model import ImportRecord
from cashtrail.imports.plan import Batch, Kind, Outcome, Planned, Written
from cashtrail.imports.spec import (
    Choice,
    Column,
    Flag,
    Integer,
    IsoDate,
    KindSpec,
    Number,
    ParsedRow,
    Text,
    content_hash,
)
from cashtrail.orders.check_services import load_catalog
from cashtrail.orders.entry_services import apply_order, plan_order
from cashtrail.orders.model import Order, OrderStatus, Trigger, parse_milestones
from cashtrail.orders.pricing import Catalog, LineDraft
from cashtrail.ports import UnitOfWork

T = TypeVar("T")
TRIGGERS = tuple(t.value for t in Trigger if t != Trigger.NONE)
SPEC = KindSpec(
    kind="orders",
    key=("order", "line"),
    key_format="{0}|{1}",
    columns=(
        Column("order", Text(24), "Order number (sales order).", "SO-2026-0042", required=True),
        Column("customer", Text(32), "Ordering customer's number.", "C0001", required=True),
        Column("order_date", IsoDate(), "Order date: prices and contract terms of this day apply.", "2026-11-02", True),
        Column("currency", Text(8, "ISO 4217 code"), "Currency of the order.", "EUR", required=True),
        Column("po_number", Text(64), "Customer's purchase-order number.", "PO-4711", default=""),
        Column("po_date", IsoDate(), "Date of the purchase order.", "2026-10-30"),
        Column("contract", Text(32), "Contract whose price terms apply; blank: list prices.", "FRAME-1", default=""),
        Column("bill_to", Text(32), "Customer invoiced, when not the ordering one.", "C0002", default=""),
        Column("ship_to", Text(300), "Delivery address or site.", "Meir 1, 2000 Antwerpen", default=""),
        Column("sales_rep", Text(64), "Sales representative.", "rita", default=""),
        Column("requested_ship_date", IsoDate(), "Ship date the customer asked for.", "2026-11-09"),
        Column("expected_ship_date", IsoDate(), "Ship date we expect (late-lines worklist).", "2026-11-12"),
        Column("tax_exemption_claimed", Flag(), "The customer claims a tax exemption.", "false", default=False),
        Column("line", Integer(1, 999), "Line number within the order.", "1", required=True),
        Column("sku", Text(64), "Product (or bundle) SKU.", "MFP-C35", required=True),
        Column("quantity", Number(6, 19, None), "Quantity ordered.", "2", required=True),
        Column("unit_price", Number(6, 19, None), "Unit price; blank: contract, else list price.", "6000.00"),
        Column("discount_percent", Number(4, 7, None), "Discount in percent; blank: the contract's.", "5"),
        Column("tax_category", Choice(tuple(TaxCategory)), "Blank: the product's.", "standard", default=""),
        Column(
            "trigger", Choice(TRIGGERS), "When the line is invoiced; blank: by product type.", "shipment", default=""
        ),
        Column("line_expected_ship_date", IsoDate(), "This line's expected ship date.", "2026-11-20"),
        Column("start_date", IsoDate(), "Services, subscriptions, maintenance: start.", "2026-12-01"),
        Column(
            "milestones",
            Text(1000),
            "Milestone lines: `CODE:percent:description` separated by `;`.",
            "design:30:Design; live:70:Go-live",
            default="",
        ),
        Column("description", Text(300), "Line text; blank: the product name.", "", default=""),
    ),
)
HEADER_COLUMNS = (
    "customer",
    "order_date",
    "currency",
    "po_number",
    "po_date",
    "contract",
    "bill_to",
    "ship_to",
    "sales_rep",
    "requested_ship_date",
    "expected_ship_date",
    "tax_exemption_claimed",
)
_LINE_FIELD = re.compile(r"lines\[(\d+)(?:\.(\d+))?\](?:\.(\w+))?")
_HEADER_FIELD = {"number": "order", "customer": "customer", "bill_to": "bill_to", "currency": "currency"}


@dataclass
class OrderBatch:
    catalog: Catalog
    planned: list[Planned] = field(default_factory=list)
    rows: dict[str, ParsedRow] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        """Apply the changed rows one order at a time (entry rules, checks, audit); no commit."""
        by_order: dict[str, list[Planned]] = defaultdict(list)
        for item in changed:
            by_order[self.rows[item.external_id].text("order")].append(item)
        written: list[Written] = []
        for _, items in sorted(by_order.items()):
            rows = [self.rows[i.external_id] for i in items]
            order, _ = apply_order(
                uow,
                clock,
                actor,
                header_of(rows[0]),
                [draft_of(r) for r in rows],
                catalog=self.catalog,
                reason=reason(items[0]),
            )
            for item, row in zip(items, rows, strict=True):
                line = order.line(row.integer("line") or 0)
                written.append(
                    Written(item.external_id, "order_line", StoredRef(line.id if line else None), _outcome(item))
                )
        return written


def _outcome(item: Planned) -> Outcome:
    return "updated" if item.exists else "created"


def header_of(row: ParsedRow) -> Order:
    """The order header a row carries."""
    return Order(
        number=row.text("order"),
        customer_number=row.text("customer"),
        currency=row.text("currency").upper(),
        order_date=_required(row.day("order_date")),
        bill_to=row.text("bill_to"),
        ship_to=row.text("ship_to"),
        po_number=row.text("po_number"),
        po_date=row.day("po_date"),
        contract_number=row.text("contract") or None,
        sales_rep=row.text("sales_rep"),
        requested_ship_date=row.day("requested_ship_date"),
        expected_ship_date=row.day("expected_ship_date"),
        tax_exemption_claimed=row.flag("tax_exemption_claimed", default=False),
    )


def _required(value: T | None) -> T:
    if value is None:  # pragma: no cover - rows with a blank required cell are left out before this
        raise ValueError("a required cell is blank")
    return value


def draft_of(row: ParsedRow) -> LineDraft:
    """The line draft a row carries (milestones already checked)."""
    return LineDraft(
        line_no=row.integer("line") or 0,
        sku=row.text("sku"),
        quantity=_required(row.decimal("quantity")),
        unit_price=row.decimal("unit_price"),
        discount_percent=row.decimal("discount_percent"),
        tax_category=row.text("tax_category") or None,
        trigger=row.text("trigger") or None,
        description=row.text("description"),
        expected_ship_date=row.day("line_expected_ship_date"),
        start_date=row.day("start_date"),
        milestones=parse_milestones(row.text("milestones")),
    )


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Load stored orders, products, bundles, price lists and terms once; check each order as entry would."""
    good = [r for r in rows if not r.bad]
    errors: list[FieldError] = []
    groups: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in good:
        problem = _milestone_problem(row)
        if problem is not None:
            errors.append(problem)
            continue
        groups[row.text("order")].append(row)
    errors += _header_disagreements(groups)
    stored = uow.orders.by_numbers(groups)
    headers = [header_of(rows_[0]) for rows_ in groups.values()]
    catalog = load_catalog(uow, headers, {r.text("sku") for r in good})
    records = uow.import_records.by_external_ids(SPEC.source, [SPEC.external_id(r) for r in good])
    batch = OrderBatch(catalog)
    for number, group in sorted(groups.items()):
        existing = stored.get(number)
        changed = [r for r in group if _changed(r, records)]
        if existing is not None and existing.status != OrderStatus.ENTERED and changed:
            message = f"order {number} is {existing.status}; its lines can no longer change"
            errors += [r.error("order", message, number) for r in changed]
            continue
        _, problems = plan_order(uow, header_of(group[0]), [draft_of(r) for r in group], existing, catalog)
        errors += [_locate(problem, group) for problem in problems]
        known = {line.line_no for line in existing.lines} if existing is not None else set()
        for row in group:
            key = SPEC.external_id(row)
            batch.rows[key] = row
            batch.planned.append(Planned(row.row, key, content_hash(SPEC, row), row.integer("line") in known))
    return batch, errors


def _changed(row: ParsedRow, records: Mapping[str, ImportRecord]) -> bool:
    record = records.get(SPEC.external_id(row))
    return record is None or record.content_hash != content_hash(SPEC, row)


def _milestone_problem(row: ParsedRow) -> FieldError | None:
    try:
        parse_milestones(row.text("milestones"))
    except ValueError as exc:
        return row.error("milestones", str(exc), row.text("milestones"))
    return None


def _header_disagreements(groups: dict[str, list[ParsedRow]]) -> list[FieldError]:
    errors = []
    for number, group in groups.items():
        first = group[0]
        for row in group[1:]:
            for column in HEADER_COLUMNS:
                if row.values.get(column) != first.values.get(column):
                    message = f"differs from row {first.row} of the same order {number}"
                    errors.append(row.error(column, message, row.values.get(column)))
        lines = [r.integer("line") for r in group]
        errors += [
            r.error("line", "appears twice in the order", r.integer("line"))
            for r in group
            if lines.count(r.integer("line")) > 1
        ]
    return errors


def _locate(problem: FieldError, group: Sequence[ParsedRow]) -> FieldError:
    """An order-level problem placed on the file row (and column) it comes from."""
    match = _LINE_FIELD.fullmatch(problem.field)
    if match is not None:
        row = next((r for r in group if r.integer("line") == int(match[1])), group[0])
        column = match[3] or "line"
        column = column if column in SPEC.names() else "line"
        return row.error(column, problem.message, problem.value)
    return group[0].error(_HEADER_FIELD.get(problem.field, problem.field), problem.message, problem.value)


KIND = Kind(spec=SPEC, permission=Permission.ORDERS_WRITE, entity_type="order_line", prepare=prepare)
