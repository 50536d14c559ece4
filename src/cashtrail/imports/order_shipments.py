"""Importing shipments and deliveries of order lines: one row per shipped line, keyed by ``SHIPMENT|ORDER|LINE``.

Each row records a shipment event on the line (quantity, date, carrier, tracking, serials); a line invoiced on
shipment fires its charge, once, when its order is accepted (at once when it already is). A later file may bring a
shipment's delivery date (or carrier, tracking): the same shipment with its delivery is recorded as delivered. A
shipment's quantity, date or serials never change once recorded (a return goes through an RMA). Checked for the
whole file before anything is written: the order exists and is not cancelled, the line exists and is not a bundle
(ship its components, ``3.1``), no line ships more than it ordered (stored and file shipments together), and the
serials, when given, are as many as the quantity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.meter_reads import StoredRef
from cashtrail.imports.plan import Batch, Kind, Outcome, Planned, Written
from cashtrail.imports.spec import Column, IsoDate, KindSpec, Number, ParsedRow, Text, content_hash
from cashtrail.orders.model import Order, OrderStatus, parse_line_label
from cashtrail.orders.trigger_services import apply_event
from cashtrail.orders.triggers import EventKind, OrderEvent
from cashtrail.ports import UnitOfWork

SPEC = KindSpec(
    kind="order-shipments",
    key=("shipment", "order", "line"),
    key_format="{0}|{1}|{2}",
    columns=(
        Column("shipment", Text(64), "Shipment (delivery note) number.", "SH-000931", required=True),
        Column("order", Text(24), "Order number.", "SO-2026-0042", required=True),
        Column("line", Text(8), "Order line: `3`, or `3.1` for a bundle's component.", "1", required=True),
        Column("quantity", Number(6, 19, Decimal("0.000001")), "Quantity shipped.", "2", required=True),
        Column("shipped_on", IsoDate(), "Day it left the warehouse (the invoice trigger date).", "2026-11-10", True),
        Column("delivered_on", IsoDate(), "Day the customer received it, when known.", "2026-11-12"),
        Column("carrier", Text(64), "Carrier.", "DHL", default=""),
        Column("tracking", Text(100), "Tracking number.", "JD014600003", default=""),
        Column("serials", Text(2000), "Serial numbers separated by `;`.", "CN1234; CN1235", default=""),
    ),
)


def serials_of(row: ParsedRow) -> tuple[str, ...]:
    return tuple(s.strip() for s in row.text("serials").split(";") if s.strip())


def event_of(row: ParsedRow, line_no: int) -> OrderEvent:
    day = row.day("shipped_on")
    quantity = row.decimal("quantity")
    if day is None or quantity is None:  # pragma: no cover - required cells are checked before
        raise ValueError(f"row {row.row} lacks its date or quantity")
    return OrderEvent(
        line_no,
        EventKind.SHIPMENT,
        row.text("shipment"),
        day,
        quantity,
        serials=serials_of(row),
        delivered_on=row.day("delivered_on"),
        carrier=row.text("carrier"),
        tracking=row.text("tracking"),
    )


@dataclass
class ShipmentBatch:
    planned: list[Planned] = field(default_factory=list)
    events: dict[str, tuple[str, OrderEvent]] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        """Record the changed rows order by order (charges fire for accepted orders); no commit."""
        by_order: dict[str, list[Planned]] = defaultdict(list)
        for item in changed:
            by_order[self.events[item.external_id][0]].append(item)
        written: list[Written] = []
        for number, items in sorted(by_order.items()):
            order = uow.orders.get_by_number(number)
            assert order is not None
            for item in sorted(items, key=lambda i: (self.events[i.external_id][1].day, i.row)):
                outcome = apply_event(uow, clock, actor, order, self.events[item.external_id][1])
                kind: Outcome = "updated" if item.exists else "created"
                written.append(Written(item.external_id, "order_event", StoredRef(outcome.event.id), kind))
            uow.orders.save(order)
        return written


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Load the orders of the file and their recorded shipments once; check every row."""
    good = [r for r in rows if not r.bad]
    orders = uow.orders.by_numbers({r.text("order") for r in good})
    batch, errors = ShipmentBatch(), []
    located: list[tuple[ParsedRow, Order, int]] = []
    for row in good:
        problem, found = _locate(row, orders)
        if problem is not None:
            errors.append(problem)
        elif found is not None:
            located.append((row, *found))
    keys = [(o.number, n, EventKind.SHIPMENT, r.text("shipment")) for r, o, n in located]
    stored = uow.orders.find_events(keys)
    fresh: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for (row, order, line_no), key in zip(located, keys, strict=True):
        event = event_of(row, line_no)
        earlier = stored.get(key)
        if earlier is not None and not earlier.same_as(event):
            message = f"shipment {event.reference} of line {row.text('line')} is recorded with other facts"
            errors.append(row.error("quantity", message + "; a return goes through an RMA", row.text("quantity")))
            continue
        if event.serials and len(event.serials) != event.quantity:
            errors.append(row.error("serials", f"{len(event.serials)} serials for a quantity of {event.quantity}"))
            continue
        if earlier is None:
            fresh[(order.number, line_no)] += event.quantity or Decimal(0)
        external = SPEC.external_id(row)
        batch.events[external] = (order.number, event)
        batch.planned.append(Planned(row.row, external, content_hash(SPEC, row), earlier is not None))
    errors += _overshipped(located, orders, fresh)
    return batch, errors


def _locate(row: ParsedRow, orders: dict[str, Order]) -> tuple[FieldError | None, tuple[Order, int] | None]:
    number = row.text("order")
    order = orders.get(number)
    if order is None:
        return row.error("order", "is not a stored order", number), None
    if order.status == OrderStatus.CANCELLED:
        return row.error("order", "is cancelled", number), None
    line_no = parse_line_label(row.text("line"))
    line = order.line(line_no) if line_no is not None else None
    if line_no is None or line is None:
        return row.error("line", f"is not a line of order {number}", row.text("line")), None
    if line.is_bundle:
        message = f"is a bundle; ship its components ({', '.join(c.label for c in order.components_of(line_no))})"
        return row.error("line", message, row.text("line")), None
    return None, (order, line_no)


def _overshipped(
    located: list[tuple[ParsedRow, Order, int]], orders: dict[str, Order], fresh: dict[tuple[str, int], Decimal]
) -> list[FieldError]:
    errors = []
    reported: set[tuple[str, int]] = set()
    for row, order, line_no in located:
        key = (order.number, line_no)
        line = order.line(line_no)
        if key in reported or line is None:
            continue
        total = line.fulfilled_quantity + fresh.get(key, Decimal(0))
        if total > line.quantity:
            reported.add(key)
            message = f"line {line.label} would ship {total.normalize()} of {line.quantity.normalize()} ordered"
            errors.append(row.error("quantity", message, row.text("quantity")))
    return errors


KIND = Kind(spec=SPEC, permission=Permission.ORDERS_WRITE, entity_type="order_event", prepare=prepare)
