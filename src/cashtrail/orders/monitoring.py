"""Expected ship dates: the late-lines worklist.

A line is late when it still has quantity to ship or activate and its expected ship date (the line's own, else
the order's expected date, else the requested date) is before today; people keep supplier and logistics notes on
the order or the line, and may move a line's expected date when the supplier announces a new one. Bundles
(fulfilled through their components), milestone services and scheduled lines have no ship date to keep. Cancelled
orders are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cashtrail.orders.model import Order, OrderStatus, Trigger

SHIPPING_TRIGGERS = frozenset({Trigger.SHIPMENT, Trigger.ACTIVATION, Trigger.MANUAL})


class NoteKind(StrEnum):
    SUPPLIER = "supplier"  # what the supplier says (a new date, a shortage)
    LOGISTICS = "logistics"  # carrier, customs, delivery appointment
    GENERAL = "general"


@dataclass(frozen=True)
class OrderNote:
    """A supplier or logistics note on an order or one of its lines."""

    line_no: int | None
    kind: str
    text: str
    by: str
    at: datetime
    id: int | None = None


@dataclass(frozen=True)
class LateLine:
    order_number: str
    customer_number: str
    sales_rep: str
    line_no: int
    label: str
    sku: str
    description: str
    quantity: Decimal
    open_quantity: Decimal
    expected: date
    days_late: int
    status: str
    order_status: str


def late_lines(orders: Iterable[Order], today: date) -> list[LateLine]:
    """Lines past their expected ship date with quantity still open, most overdue first."""
    found = []
    for order in orders:
        if order.status == OrderStatus.CANCELLED:
            continue
        for line in order.billable_lines():
            expected = order.expected_date_of(line)
            if line.trigger not in SHIPPING_TRIGGERS or line.open_quantity <= 0 or expected is None:
                continue
            if expected < today:
                found.append(
                    LateLine(
                        order.number,
                        order.customer_number,
                        order.sales_rep,
                        line.line_no,
                        line.label,
                        line.sku,
                        line.description,
                        line.quantity,
                        line.open_quantity,
                        expected,
                        (today - expected).days,
                        line.status,
                        order.status,
                    )
                )
    return sorted(found, key=lambda x: (-x.days_late, x.order_number, x.line_no))
