"""Use cases of order acceptance: attach documents, waive checklist items, run the credit check, accept.

Accepting an order (only when the checklist is complete and no finding is open) hands its scheduled lines to
contract billing and fires the events recorded before acceptance, all in one transaction with the status change.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from cashtrail.audit.services import record
from cashtrail.billing.charges import Charge
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, InvalidState
from cashtrail.identity.model import Actor, Permission
from cashtrail.money import Money
from cashtrail.orders.check_services import order_or_404
from cashtrail.orders.checklist import (
    ChecklistEntry,
    ChecklistItem,
    ChecklistMark,
    MarkKind,
    OrderDocument,
    acceptance_blockers,
    checklist,
)
from cashtrail.orders.errors import AcceptanceBlocked, OrderInvalid
from cashtrail.orders.handover import hand_over
from cashtrail.orders.model import Order, OrderStatus
from cashtrail.orders.trigger_services import fire_waiting
from cashtrail.ports import UnitOfWork

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
_UNSAFE = re.compile(r"[^\w.\- ()]+")


def safe_filename(name: str) -> str:
    """The last path part of ``name`` with anything but letters, digits and ``._- ()`` replaced (it is echoed in
    download headers).

    >>> safe_filename('..\\a/b/po "final".pdf')
    'po _final_.pdf'
    """
    last = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (_UNSAFE.sub("_", last) or "document")[:200]


def attach_document(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    number: str,
    *,
    filename: str,
    content: bytes,
    content_type: str = "application/octet-stream",
    item: str | None = None,
) -> OrderDocument:
    """Store a document on the order, for a checklist item (or just listed on it)."""
    actor.require(Permission.ORDERS_WRITE)
    errors = []
    if item is not None and item not in ChecklistItem.__members__.values():
        errors.append(FieldError("item", f"must be one of {', '.join(ChecklistItem)}", value=item))
    if not filename.strip():
        errors.append(FieldError("filename", "is required"))
    if not content or len(content) > MAX_DOCUMENT_BYTES:
        errors.append(FieldError("file", f"must hold 1 byte to {MAX_DOCUMENT_BYTES // 1024 // 1024} MB"))
    if errors:
        raise OrderInvalid("the document is refused", errors=errors, number=number)
    with uow:
        order = order_or_404(uow, number)
        document = OrderDocument(
            item,
            safe_filename(filename),
            content_type[:100] or "application/octet-stream",
            len(content),
            hashlib.sha256(content).hexdigest(),
            actor.username,
            clock.now(),
        )
        document_id = uow.orders.add_document(order.id or 0, document, content)
        after: dict[str, object] = {"document": document.filename, "item": item, "sha256": document.sha256}
        record(uow, clock, actor, "order.document_attached", "order", number, after=after)
        uow.commit()
        return OrderDocument(**{**vars(document), "id": document_id})


def waive_item(uow: UnitOfWork, clock: Clock, actor: Actor, number: str, item: str, reason: str) -> None:
    """Mark a checklist item as not needed for this order, with a reason (audited)."""
    actor.require(Permission.ORDERS_ACCEPT)
    if item not in ChecklistItem.__members__.values() or not reason.strip():
        raise OrderInvalid(
            "a waiver names a checklist item and a reason",
            errors=[FieldError("item", "unknown", value=item)]
            if item not in ChecklistItem.__members__.values()
            else [FieldError("reason", "is required")],
        )
    with uow:
        order = order_or_404(uow, number)
        mark = ChecklistMark(item, MarkKind.WAIVED, reason.strip(), actor.username, clock.now())
        uow.orders.add_mark(order.id or 0, mark)
        record(
            uow, clock, actor, "order.checklist_waived", "order", number, after={"item": item}, reason=reason.strip()
        )
        uow.commit()


@dataclass(frozen=True)
class CreditCheck:
    passed: bool
    message: str
    limit: Money | None
    exposure: Money


def run_credit_check(uow: UnitOfWork, clock: Clock, actor: Actor, number: str) -> CreditCheck:
    """Compare the invoiced customer's open receivables plus this order with their credit limit; a pass
    completes the checklist's credit check, a fail leaves it open (attach a credit report or waive it)."""
    actor.require(Permission.ORDERS_WRITE)
    with uow:
        order = order_or_404(uow, number)
        customer = uow.customers.get_by_number(order.invoiced_customer)
        if customer is None:
            raise InvalidState(f"customer {order.invoiced_customer} is gone", code="order.customer_missing")
        open_items = [i for i in uow.ledger.open_items_of(customer.number) if i.amount.currency == order.currency]
        exposure = order.total()
        for item in open_items:
            exposure += item.open_amount or item.amount
        limit = customer.credit_limit_money()
        if limit is None or limit.currency != order.currency:
            result = CreditCheck(False, f"{customer.number} has no {order.currency} credit limit", limit, exposure)
        else:
            passed = exposure <= limit
            verdict = "within" if passed else "above"
            result = CreditCheck(
                passed, f"exposure {exposure} (open items and this order) {verdict} limit {limit}", limit, exposure
            )
        if result.passed:
            uow.orders.add_mark(
                order.id or 0,
                ChecklistMark(ChecklistItem.CREDIT_CHECK, MarkKind.PASSED, result.message, actor.username, clock.now()),
            )
        record(
            uow,
            clock,
            actor,
            "order.credit_checked",
            "order",
            number,
            after={"passed": result.passed, "detail": result.message},
        )
        uow.commit()
        return result


def order_checklist(uow: UnitOfWork, order: Order) -> list[ChecklistEntry]:
    """The order's checklist as stored now (inside the caller's unit of work)."""
    return checklist(order, uow.orders.documents_of(order.id or 0), uow.orders.marks_of(order.id or 0))


@dataclass
class Acceptance:
    order: Order
    contracts: list[str] = field(default_factory=list)  # where scheduled lines went
    charges: list[Charge] = field(default_factory=list)  # events recorded before acceptance, fired now


def accept_order(uow: UnitOfWork, clock: Clock, actor: Actor, number: str) -> Acceptance:
    """Accept a complete order without open findings: scheduled lines go to contract billing, waiting events fire."""
    actor.require(Permission.ORDERS_ACCEPT)
    with uow:
        order = order_or_404(uow, number)
        if order.status != OrderStatus.ENTERED:
            raise InvalidState(f"order {number} is {order.status}", code="order.not_entered", status=order.status)
        open_findings = sum(1 for f in uow.orders.findings_of(order.id or 0) if f.is_open)
        blockers = acceptance_blockers(order_checklist(uow, order), open_findings)
        if blockers:
            raise AcceptanceBlocked(number, blockers)
        order.status, order.accepted_by, order.accepted_at = OrderStatus.ACCEPTED, actor.username, clock.now()
        result = Acceptance(order, hand_over(uow, clock, actor, order))
        result.charges = fire_waiting(uow, clock, actor, order)
        uow.orders.save(order)
        after: dict[str, object] = {
            "status": "accepted",
            "contracts": result.contracts,
            "charges": [c.key for c in result.charges],
        }
        record(uow, clock, actor, "order.accepted", "order", number, before={"status": "entered"}, after=after)
        uow.commit()
        return result
