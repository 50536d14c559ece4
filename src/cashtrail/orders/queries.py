"""Read side of order management: the order review (lines, findings, checklist, documents, events, notes, charges
and RMAs in one view), order lists, the late-lines worklist, the discrepancy trend and stored documents.

Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cashtrail.billing.pending import PendingState
from cashtrail.clock import Clock, business_date
from cashtrail.identity.model import Actor, Permission
from cashtrail.orders.acceptance_services import order_checklist
from cashtrail.orders.check_services import order_or_404
from cashtrail.orders.checklist import ChecklistEntry, OrderDocument, acceptance_blockers
from cashtrail.orders.checks import StoredFinding
from cashtrail.orders.errors import OrderNotFound
from cashtrail.orders.model import Order, OrderStatus
from cashtrail.orders.monitoring import SHIPPING_TRIGGERS, LateLine, OrderNote, late_lines
from cashtrail.orders.rma import Rma, SlaState, sla_state
from cashtrail.orders.trends import TrendRow, months_between, trend_rows
from cashtrail.orders.triggers import OrderEvent
from cashtrail.ports import UnitOfWork


@dataclass
class OrderView:
    """Everything the order review shows."""

    order: Order
    findings: list[StoredFinding]
    checklist: list[ChecklistEntry]
    documents: list[OrderDocument]
    events: list[OrderEvent]
    notes: list[OrderNote]
    charges: list[PendingState]
    rmas: list[tuple[Rma, SlaState]] = field(default_factory=list)

    @property
    def open_findings(self) -> list[StoredFinding]:
        return [f for f in self.findings if f.is_open]

    @property
    def blockers(self) -> list[str]:
        """Why the order cannot be accepted (empty when it can, or when it is no longer entered)."""
        if self.order.status != OrderStatus.ENTERED:
            return []
        return acceptance_blockers(self.checklist, len(self.open_findings))


def order_view(uow: UnitOfWork, clock: Clock, actor: Actor, number: str) -> OrderView:
    """The order with everything around it."""
    actor.require(Permission.ORDERS_READ)
    with uow:
        order = order_or_404(uow, number)
        order_id = order.id or 0
        now = clock.now()
        return OrderView(
            order,
            uow.orders.findings_of(order_id),
            order_checklist(uow, order),
            uow.orders.documents_of(order_id),
            uow.orders.events_of(order_id),
            uow.orders.notes_of([order_id])[order_id],
            uow.pending_charges.of_origin("order", number),
            [(r, sla_state(r, now)) for r in uow.rmas.page(after_id=None, limit=None, order=number)],
        )


def list_orders(
    uow: UnitOfWork,
    actor: Actor,
    *,
    after_id: int | None = None,
    limit: int = 50,
    status: str | None = None,
    customer: str | None = None,
    search: str | None = None,
) -> list[Order]:
    """A page of orders ordered by id."""
    actor.require(Permission.ORDERS_READ)
    with uow:
        return uow.orders.page(after_id=after_id, limit=limit, status=status, customer=customer, search=search)


@dataclass(frozen=True)
class LateLineRow:
    line: LateLine
    notes: tuple[OrderNote, ...]


def late_line_worklist(
    uow: UnitOfWork, clock: Clock, actor: Actor, *, timezone: str = "Europe/Brussels", today: date | None = None
) -> list[LateLineRow]:
    """Lines past their expected ship date with quantity still open, with the notes kept on them."""
    actor.require(Permission.ORDERS_READ)
    day = today or business_date(clock.now(), timezone)
    with uow:
        orders = uow.orders.with_open_lines(sorted(SHIPPING_TRIGGERS))
        late = late_lines(orders, day)
        ids = {o.number: o.id or 0 for o in orders}
        notes = uow.orders.notes_of(sorted(set(ids.values())))
    return [
        LateLineRow(x, tuple(n for n in notes[ids[x.order_number]] if n.line_no in (None, x.line_no))) for x in late
    ]


@dataclass(frozen=True)
class Trend:
    months: list[str]
    rows: list[TrendRow]


def discrepancy_trend(uow: UnitOfWork, actor: Actor, start: date, end: date) -> Trend:
    """Findings of orders dated from ``start`` to ``end``, counted per month, type, customer and sales rep."""
    actor.require(Permission.ORDERS_READ)
    with uow:
        facts = uow.orders.discrepancy_facts(start, end)
    return Trend(months_between(start, end), trend_rows(facts))


def order_document(uow: UnitOfWork, actor: Actor, number: str, document_id: int) -> tuple[OrderDocument, bytes]:
    """A stored document of an order, with its bytes."""
    actor.require(Permission.ORDERS_READ)
    with uow:
        order = order_or_404(uow, number)
        found = uow.orders.document_content(order.id or 0, document_id)
        if found is None:
            raise OrderNotFound(f"{number} document {document_id}")
        return found
