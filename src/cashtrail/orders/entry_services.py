"""Use cases of order entry: enter an order (from the workbench, the API or the demo), apply an order from an
import file (create, or change the lines of an order still entered), change a line, cancel an order.

Every change re-runs the contract consistency check, so the findings always describe the stored lines. Lines
change only while the order is entered; an accepted order is changed by RMAs and credit notes, never by editing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.orders.check_services import load_catalog, order_or_404, recheck
from cashtrail.orders.errors import OrderExists, OrderInvalid, OrderLineNotFound, OrderNotEditable
from cashtrail.orders.model import (
    COMPONENT_BASE,
    Order,
    OrderLine,
    OrderStatus,
    check_order,
    line_label,
    net_amount,
)
from cashtrail.orders.pricing import Catalog, LineDraft, claims_exemption, price_lines
from cashtrail.orders.triggers import line_status
from cashtrail.ports import UnitOfWork

Outcome = Literal["created", "updated", "unchanged"]
_HEADER_FIELDS = (
    "customer_number",
    "bill_to",
    "ship_to",
    "currency",
    "order_date",
    "po_number",
    "po_date",
    "contract_number",
    "sales_rep",
    "requested_ship_date",
    "expected_ship_date",
    "note",
)


def enter_order(uow: UnitOfWork, clock: Clock, actor: Actor, header: Order, drafts: Sequence[LineDraft]) -> Order:
    """Store a new order priced from the contract and price list, and check it."""
    actor.require(Permission.ORDERS_WRITE)
    with uow:
        if uow.orders.get_by_number(header.number.strip()) is not None:
            raise OrderExists(header.number.strip())
        order, _ = apply_order(uow, clock, actor, header, drafts)
        uow.commit()
        return order


def apply_order(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    header: Order,
    drafts: Sequence[LineDraft],
    *,
    catalog: Catalog | None = None,
    reason: str | None = None,
) -> tuple[Order, Outcome]:
    """Create the order, or bring a stored entered order's header and the drafted lines to ``header`` and
    ``drafts`` (other stored lines stay); checks it; audits; no commit."""
    existing = uow.orders.get_by_number(header.number.strip())
    if existing is not None and existing.status != OrderStatus.ENTERED:
        raise OrderNotEditable(existing.number, existing.status)
    catalog = catalog or load_catalog(uow, [header], {d.sku for d in drafts})
    target, errors = plan_order(uow, header, drafts, existing, catalog)
    if errors:
        raise OrderInvalid(f"order {target.number or '?'} is invalid", errors=errors, number=target.number)
    target.tax_exemption_claimed = header.tax_exemption_claimed or claims_exemption(target.lines, catalog.products)
    if existing is None:
        target.status, target.entered_by, target.entered_at = OrderStatus.ENTERED, actor.username, clock.now()
        uow.orders.add(target)
        outcome: Outcome = "created"
        record(uow, clock, actor, "order.entered", "order", target.number, after=target.snapshot(), reason=reason)
    else:
        before = existing.snapshot()
        _refresh_statuses(uow, target)
        if target.snapshot() == before:
            return existing, "unchanged"
        uow.orders.save(target)
        outcome = "updated"
        record(
            uow,
            clock,
            actor,
            "order.updated",
            "order",
            target.number,
            before=before,
            after=target.snapshot(),
            reason=reason,
        )
    recheck(uow, clock, target, catalog)
    return target, outcome


def plan_order(
    uow: UnitOfWork, header: Order, drafts: Sequence[LineDraft], existing: Order | None, catalog: Catalog
) -> tuple[Order, list[FieldError]]:
    """The order ``header`` and ``drafts`` make of ``existing`` (or a new one), and every problem with it."""
    priced, errors = price_lines(header, drafts, catalog.lookups(header, {d.sku for d in drafts}))
    target = _merge(existing, header, priced)
    structure = [e for e in check_order(target) if e.field != "lines" or not errors]  # no line: said per line
    return target, structure + errors + _party_errors(uow, target)


def _merge(existing: Order | None, header: Order, priced: list[OrderLine]) -> Order:
    """``header`` with the priced lines, plus the stored lines the drafts do not replace (and their components)."""
    replaced = {line.line_no for line in priced if line.parent_line_no is None}
    kept = []
    if existing is not None:
        for line in existing.lines:
            main = line.parent_line_no if line.parent_line_no is not None else line.line_no
            if main not in replaced:
                kept.append(line)
    target = Order(number=header.number, **{name: getattr(header, name) for name in _HEADER_FIELDS})
    target.tax_exemption_claimed = header.tax_exemption_claimed
    if existing is not None:
        target.id, target.status = existing.id, existing.status
        target.entered_by, target.entered_at = existing.entered_by, existing.entered_at
    target.lines = sorted(kept + priced, key=_position)
    return target


def _position(line: OrderLine) -> tuple[int, int]:
    if line.parent_line_no is None:
        return (line.line_no, 0)
    return (line.parent_line_no, line.line_no % COMPONENT_BASE)


def _party_errors(uow: UnitOfWork, order: Order) -> list[FieldError]:
    numbers = {order.customer_number, order.invoiced_customer}
    known = uow.customers.by_numbers(n for n in numbers if n)
    return [
        FieldError("bill_to" if n != order.customer_number else "customer", "unknown customer", value=n)
        for n in sorted(numbers - set(known))
        if n
    ]


def _refresh_statuses(uow: UnitOfWork, order: Order) -> None:
    """Recompute each line's status from the events recorded for it (shipments may come before acceptance)."""
    events = uow.orders.events_of(order.id) if order.id is not None else []
    for line in order.lines:
        line.status, line.fulfilled_quantity, line.delivered_quantity = line_status(
            line, [e for e in events if e.line_no == line.line_no]
        )


@dataclass(frozen=True)
class LineChange:
    """A correction of one line while the order is entered (fields left None stay)."""

    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    discount_percent: Decimal | None = None
    expected_ship_date: date | None = None


def change_line(
    uow: UnitOfWork, clock: Clock, actor: Actor, number: str, line_no: int, change: LineChange, *, reason: str
) -> Order:
    """Correct a line of an entered order (a price back to the contract, say) and check the order again."""
    actor.require(Permission.ORDERS_WRITE)
    with uow:
        order = order_or_404(uow, number)
        if order.status != OrderStatus.ENTERED:
            raise OrderNotEditable(number, order.status)
        line = order.line(line_no)
        if line is None or line.parent_line_no is not None:
            raise OrderLineNotFound(number, line_label(line_no))
        before = order.snapshot()
        for name in ("quantity", "unit_price", "discount_percent", "expected_ship_date"):
            value = getattr(change, name)
            if value is not None:
                setattr(line, name, value)
        errors = check_order(order)
        if errors:
            raise OrderInvalid(f"order {number} is invalid", errors=errors, number=number)
        line.net_amount = net_amount(line.quantity, line.unit_price, line.discount_percent, order.currency).amount
        catalog = load_catalog(uow, [order], {x.sku for x in order.lines})
        if line.is_bundle:
            _reexpand(order, line, catalog)
        uow.orders.save(order)
        record(
            uow,
            clock,
            actor,
            "order.line_changed",
            "order",
            number,
            before=before,
            after=order.snapshot(),
            reason=reason,
        )
        recheck(uow, clock, order, catalog)
        uow.commit()
        return order


def _reexpand(order: Order, line: OrderLine, catalog: Catalog) -> None:
    draft = LineDraft(line.line_no, line.sku, line.quantity, line.unit_price, line.discount_percent)
    priced, errors = price_lines(order, [draft], catalog.lookups(order, {line.sku}))
    if errors:
        raise OrderInvalid(f"order {order.number} is invalid", errors=errors, number=order.number)
    order.lines = sorted([x for x in order.lines if x.parent_line_no != line.line_no] + priced[1:], key=_position)


def cancel_order(uow: UnitOfWork, clock: Clock, actor: Actor, number: str, *, reason: str) -> Order:
    """Cancel an entered order (nothing was invoiced; an accepted order is returned through RMAs instead)."""
    actor.require(Permission.ORDERS_WRITE)
    if not reason.strip():
        raise OrderInvalid("cancelling needs a reason", errors=[FieldError("reason", "is required")])
    with uow:
        order = order_or_404(uow, number)
        if order.status != OrderStatus.ENTERED:
            raise OrderNotEditable(number, order.status)
        order.status = OrderStatus.CANCELLED
        uow.orders.save(order)
        record(uow, clock, actor, "order.cancelled", "order", number, after={"status": "cancelled"}, reason=reason)
        uow.commit()
        return order
