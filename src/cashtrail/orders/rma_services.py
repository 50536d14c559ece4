"""Use cases of RMAs: request a return against an invoiced order line, approve or reject it, receive the goods,
and close it with its disposition. A credit disposition drafts a credit note through invoicing on the invoice that
billed the line.

Only what was invoiced (on an issued invoice) and not returned yet may be requested. The credit covers whole
invoice lines of the order line, newest first, as invoicing credits lines; when the lines covered hold more than
was returned, the difference is billed again as a pending charge (credit and rebill, as for contract amendments),
so the customer's net credit is exactly the returned share. Invoice lines an RMA credited are remembered and never
credited by another one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from cashtrail.audit.services import record
from cashtrail.billing.charges import Charge, ChargeKind
from cashtrail.billing.pending_services import add_pending_charges
from cashtrail.clock import Clock, business_date
from cashtrail.contracts.terms import Period
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.issue_services import credit_invoice
from cashtrail.money import Money
from cashtrail.orders.check_services import order_or_404
from cashtrail.orders.errors import OrderLineNotFound, RmaNotFound, RmaRefused
from cashtrail.orders.model import Order, OrderLine, OrderStatus, Trigger, line_label, supply_of
from cashtrail.orders.rma import Disposition, Rma, RmaStatus, SlaState, check_rma, sla_state
from cashtrail.orders.triggers import EventKind, OrderEvent
from cashtrail.ports import UnitOfWork

ISSUED = ("issued", "sent")


@dataclass(frozen=True)
class RmaRequest:
    order_number: str
    line_no: int
    rma_type: str
    reason: str
    quantity: Decimal
    disposition: str = Disposition.CREDIT
    serials: tuple[str, ...] = ()


def request_rma(uow: UnitOfWork, clock: Clock, actor: Actor, request: RmaRequest) -> Rma:
    """Open an RMA for part of what an order line invoiced."""
    actor.require(Permission.RMA_WRITE)
    rma = Rma(
        "",
        request.order_number,
        request.line_no,
        request.rma_type,
        request.reason.strip(),
        request.quantity,
        request.disposition,
        actor.username,
        clock.now(),
        serials=request.serials,
    )
    errors = check_rma(rma)
    if errors:
        raise RmaRefused("the RMA request is invalid", errors=errors)
    with uow:
        order = order_or_404(uow, request.order_number)
        line = _returnable_line(order, request.line_no)
        events = [e for e in uow.orders.events_of(order.id or 0) if e.line_no == line.line_no]
        _check_quantity(uow, order, line, rma, events)
        uow.rmas.add(rma, order.id or 0)
        after: dict[str, object] = {"order": order.number, "line": line.label, "quantity": str(rma.quantity)}
        record(uow, clock, actor, "rma.requested", "rma", rma.number, after=after, reason=rma.reason)
        uow.commit()
        return rma


def _returnable_line(order: Order, line_no: int) -> OrderLine:
    line = order.line(line_no)
    if line is None:
        raise OrderLineNotFound(order.number, line_label(line_no))
    if order.status != OrderStatus.ACCEPTED:
        raise RmaRefused(f"order {order.number} is {order.status}; only accepted orders have returns")
    if line.is_bundle or line.trigger in (Trigger.MILESTONE, Trigger.SCHEDULE):
        raise RmaRefused(
            f"line {line.label} is not returned goods or licences (a bundle, a service or contract billing); "
            "correct it with a credit note"
        )
    return line


def _check_quantity(uow: UnitOfWork, order: Order, line: OrderLine, rma: Rma, events: list[OrderEvent]) -> None:
    charged = {e.charge_key: e for e in events if e.charge_key is not None}
    issued = {r["charge_key"] for r in uow.invoices.lines_of_charges(list(charged)) if r["status"] in ISSUED}
    invoiced = sum((charged[k].quantity or Decimal(0) for k in issued if k in charged), Decimal(0))
    others = [r for r in uow.rmas.page(after_id=None, limit=None, order=order.number) if r.line_no == line.line_no]
    returned = sum((r.quantity for r in others if r.status != RmaStatus.REJECTED), Decimal(0))
    if rma.quantity > invoiced - returned:
        raise RmaRefused(
            f"line {line.label}: {invoiced} invoiced on issued invoices, {returned} already under RMA; "
            f"{rma.quantity} cannot be returned",
            invoiced=str(invoiced),
            returned=str(returned),
        )
    shipped = {s for e in events if e.kind == EventKind.SHIPMENT for s in e.serials}
    strangers = sorted(set(rma.serials) - shipped) if shipped else []
    if strangers:
        raise RmaRefused(f"serials {', '.join(strangers)} were not shipped on line {line.label}")


def _load(uow: UnitOfWork, number: str) -> Rma:
    rma = uow.rmas.get_by_number(number)
    if rma is None:
        raise RmaNotFound(number)
    return rma


def decide_rma(uow: UnitOfWork, clock: Clock, actor: Actor, number: str, *, approve: bool, note: str = "") -> Rma:
    """Approve or reject a requested RMA (a rejection needs a reason); not by its requester."""
    actor.require(Permission.RMA_APPROVE)
    if not approve and not note.strip():
        raise RmaRefused("a rejection needs a reason")
    with uow:
        rma = _load(uow, number)
        if approve:
            rma.approve(actor.username, clock.now(), note)
        else:
            rma.reject(actor.username, clock.now(), note)
        uow.rmas.save(rma)
        action = "rma.approved" if approve else "rma.rejected"
        record(uow, clock, actor, action, "rma", number, after={"status": rma.status}, reason=note.strip() or None)
        uow.commit()
        return rma


def receive_rma(uow: UnitOfWork, clock: Clock, actor: Actor, number: str, quantity: Decimal | None = None) -> Rma:
    """Record the goods' return (all of the authorised quantity unless told otherwise)."""
    actor.require(Permission.RMA_WRITE)
    with uow:
        rma = _load(uow, number)
        rma.receive(clock.now(), rma.quantity if quantity is None else quantity)
        uow.rmas.save(rma)
        record(uow, clock, actor, "rma.received", "rma", number, after={"quantity": str(rma.received_quantity)})
        uow.commit()
        return rma


def close_rma(uow: UnitOfWork, clock: Clock, actor: Actor, number: str, disposition: str, note: str = "") -> Rma:
    """Resolve a received RMA: credit (a credit note, and a rebill of what the credited lines held beyond the
    return), replace or repair."""
    actor.require(Permission.RMA_WRITE)
    if disposition not in Disposition.__members__.values():
        raise RmaRefused(f"disposition must be one of {', '.join(Disposition)}", disposition=disposition)
    with uow:
        rma = _load(uow, number)
        rma.close(actor.username, clock.now(), disposition, note)
        if disposition == Disposition.CREDIT:
            _credit(uow, clock, actor, rma)
        uow.rmas.save(rma)
        after: dict[str, object] = {
            "disposition": disposition,
            "credits": rma.credit_note_ids,
            "rebill": rma.rebill_key,
        }
        record(uow, clock, actor, "rma.closed", "rma", number, after=after, reason=note.strip() or None)
        uow.commit()
        return rma


def _credit(uow: UnitOfWork, clock: Clock, actor: Actor, rma: Rma) -> None:
    order = order_or_404(uow, rma.order_number)
    line = order.line(rma.line_no)
    assert line is not None
    assert rma.id is not None
    assert rma.received_quantity is not None
    charged = {
        e.charge_key: e for e in uow.orders.events_of(order.id or 0) if e.line_no == line.line_no and e.charge_key
    }
    rows = [r for r in uow.invoices.lines_of_charges(list(charged)) if r["status"] in ISSUED and r["kind"] == "invoice"]
    taken = uow.rmas.credited_lines({r["invoice_id"] for r in rows})
    chosen, covered = _choose(rows, taken, charged, rma.received_quantity)
    if covered < rma.received_quantity:
        raise RmaRefused(f"only {covered} of line {line.label} is invoiced and not credited yet")
    by_invoice: dict[str, list[int]] = defaultdict(list)
    for row in chosen:
        by_invoice[row["number"]].append(row["index"])
    credited = Money.zero(order.currency)
    for invoice_number, indexes in sorted(by_invoice.items()):
        note = credit_invoice(
            uow, clock, actor, invoice_number, reason=f"RMA {rma.number}: {rma.reason}", lines=sorted(indexes)
        )
        assert note.id is not None
        rma.credit_note_ids.append(note.id)
        credited += note.totals().net
    uow.rmas.add_credited_lines(rma.id, [(r["invoice_id"], r["index"]) for r in chosen])
    kept = covered - rma.received_quantity
    if kept > 0:
        returned = Money(credited.amount * rma.received_quantity / covered, order.currency).rounded()
        rma.rebill_key = _rebill(uow, clock, actor, order, line, rma, kept, credited - returned)


def _choose(
    rows: Sequence[dict[str, Any]], taken: set[tuple[int, int]], charged: dict[str, OrderEvent], wanted: Decimal
) -> tuple[list[dict[str, Any]], Decimal]:
    """Invoice lines to credit, newest first, until they cover ``wanted``; with the quantity they cover."""
    chosen: list[dict[str, Any]] = []
    covered = Decimal(0)
    for row in sorted(rows, key=lambda r: (r["invoice_id"], r["index"]), reverse=True):
        if covered >= wanted:
            break
        if (row["invoice_id"], row["index"]) in taken:
            continue
        chosen.append(row)
        covered += charged[row["charge_key"]].quantity or Decimal(0)
    return chosen, covered


def _rebill(
    uow: UnitOfWork, clock: Clock, actor: Actor, order: Order, line: OrderLine, rma: Rma, kept: Decimal, amount: Money
) -> str:
    day = business_date(clock.now())
    charge = Charge(
        key=f"order:{order.number}:{line.line_no}:rma:{rma.number}:rebill",
        contract_number=order.number,
        customer_number=order.invoiced_customer,
        kind=ChargeKind.ORDER,
        description=f"{line.description}: {kept.normalize()} kept, billed again after RMA {rma.number}"[:300],
        period=Period(day, day),
        quantity=kept,
        unit_price=amount.amount / kept,
        amount=amount,
        formula=f"credited lines less the returned {rma.received_quantity.normalize() if rma.received_quantity else 0}",
        source={"order": order.number, "line": line.label, "rma": rma.number},
        tax_category=line.tax_category,
        supply=supply_of(line.product_type),
    )
    add_pending_charges(uow, clock, actor, [charge], origin="order", origin_ref=order.number)
    return charge.key


def list_rmas(
    uow: UnitOfWork, clock: Clock, actor: Actor, *, status: Sequence[str] = (), order: str | None = None
) -> list[tuple[Rma, SlaState]]:
    """RMAs with where each stands against its SLA now."""
    actor.require(Permission.ORDERS_READ)
    now = clock.now()
    with uow:
        return [(r, sla_state(r, now)) for r in uow.rmas.page(after_id=None, limit=None, status=status, order=order)]


def rma_breaches(uow: UnitOfWork, clock: Clock, actor: Actor) -> list[tuple[Rma, SlaState]]:
    """Every RMA that breached its SLA (resolved late, or open past its due instant), most overdue first."""
    found = [(r, s) for r, s in list_rmas(uow, clock, actor) if s.breached]
    return sorted(found, key=lambda pair: pair[1].overdue_by or timedelta(0), reverse=True)


def get_rma(uow: UnitOfWork, clock: Clock, actor: Actor, number: str) -> tuple[Rma, SlaState]:
    actor.require(Permission.ORDERS_READ)
    with uow:
        rma = _load(uow, number)
        return rma, sla_state(rma, clock.now())
