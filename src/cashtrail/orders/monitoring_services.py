"""Use cases of ship-date monitoring: supplier and logistics notes, and moving a line's expected ship date."""

from __future__ import annotations

from datetime import date

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.orders.check_services import order_or_404
from cashtrail.orders.errors import OrderInvalid, OrderLineNotFound
from cashtrail.orders.model import line_label
from cashtrail.orders.monitoring import NoteKind, OrderNote
from cashtrail.ports import UnitOfWork


def add_note(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    number: str,
    *,
    text: str,
    kind: str = NoteKind.GENERAL,
    line_no: int | None = None,
) -> OrderNote:
    """Keep a supplier, logistics or general note on an order or one of its lines."""
    actor.require(Permission.ORDERS_WRITE)
    errors = []
    if kind not in NoteKind.__members__.values():
        errors.append(FieldError("kind", f"must be one of {', '.join(NoteKind)}", value=kind))
    if not text.strip():
        errors.append(FieldError("text", "is required"))
    if errors:
        raise OrderInvalid("the note is refused", errors=errors)
    with uow:
        order = order_or_404(uow, number)
        if line_no is not None and order.line(line_no) is None:
            raise OrderLineNotFound(number, line_label(line_no))
        note = OrderNote(line_no, kind, text.strip(), actor.username, clock.now())
        uow.orders.add_note(order.id or 0, note)
        uow.commit()
        return note


def move_expected_date(
    uow: UnitOfWork, clock: Clock, actor: Actor, number: str, line_no: int, new_date: date, *, note: str
) -> None:
    """Set a line's expected ship date (a supplier's new date, say), with a note; audited."""
    actor.require(Permission.ORDERS_WRITE)
    if not note.strip():
        raise OrderInvalid("a new expected date needs a note", errors=[FieldError("note", "is required")])
    with uow:
        order = order_or_404(uow, number)
        line = order.line(line_no)
        if line is None:
            raise OrderLineNotFound(number, line_label(line_no))
        before = order.expected_date_of(line)
        line.expected_ship_date = new_date
        for component in order.components_of(line_no):
            component.expected_ship_date = new_date
        uow.orders.save(order)
        uow.orders.add_note(
            order.id or 0, OrderNote(line_no, NoteKind.SUPPLIER, note.strip(), actor.username, clock.now())
        )
        record(
            uow,
            clock,
            actor,
            "order.expected_date_moved",
            "order",
            number,
            before={"line": line.label, "expected": before},
            after={"line": line.label, "expected": new_date},
            reason=note.strip(),
        )
        uow.commit()
