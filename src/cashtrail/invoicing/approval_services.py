"""Use cases of approval and stops: approve a draft, stop and release one, stop every draft of a customer or a
contract (a "stop invoices" instruction), and the daily approval monitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, InvalidState, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.lifecycle import Document, Status
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork

STOP_SCOPES = ("customer", "contract")


def load(uow: UnitOfWork, invoice_id: int, *, for_update: bool = False) -> Document:
    """The document, or NotFound."""
    doc = uow.invoices.get(invoice_id, for_update=for_update)
    if doc is None:
        raise NotFound(f"invoice {invoice_id} not found", code="invoice.not_found", invoice_id=invoice_id)
    return doc


def check_not_stopped(uow: UnitOfWork, doc: Document) -> None:
    """Refuse to approve or issue a draft while a stop instruction covers its customer or one of its contracts."""
    stops = uow.invoice_stops.active_for(doc.customer_number, doc.contract_numbers)
    if stops:
        stop = stops[0]
        raise InvalidState(
            f"invoices of {stop['scope']} {stop['target']} are stopped: {stop['reason']}",
            code="invoice.stopped",
            stop_id=stop["id"],
        )


def approve_invoice(uow: UnitOfWork, clock: Clock, actor: Actor, invoice_id: int) -> Document:
    """Approve a draft (not its preparer's own; not while stopped)."""
    actor.require(Permission.INVOICES_APPROVE)
    with uow:
        doc = load(uow, invoice_id, for_update=True)
        check_not_stopped(uow, doc)
        doc.approve(actor, clock.now())
        uow.invoices.save(doc)
        record(
            uow,
            clock,
            actor,
            "invoice.approved",
            "invoice",
            doc.id,
            before={"status": "draft"},
            after={"status": "approved"},
        )
        uow.commit()
        return doc


def stop_invoice(uow: UnitOfWork, clock: Clock, actor: Actor, invoice_id: int, reason: str) -> Document:
    """Hold one draft from approval and issue, with a reason."""
    actor.require(Permission.INVOICES_PREPARE)
    with uow:
        doc = load(uow, invoice_id, for_update=True)
        doc.stop(reason)
        uow.invoices.save(doc)
        record(uow, clock, actor, "invoice.stopped", "invoice", doc.id, reason=doc.stopped_reason)
        uow.commit()
        return doc


def release_invoice(uow: UnitOfWork, clock: Clock, actor: Actor, invoice_id: int, reason: str) -> Document:
    """Lift a draft's own stop (stops of its customer or contract are released on their own)."""
    actor.require(Permission.INVOICES_PREPARE)
    _reason(reason)
    with uow:
        doc = load(uow, invoice_id, for_update=True)
        before = doc.stopped_reason
        doc.release()
        uow.invoices.save(doc)
        record(uow, clock, actor, "invoice.released", "invoice", doc.id, before={"stopped": before}, reason=reason)
        uow.commit()
        return doc


def stop_invoices_of(uow: UnitOfWork, clock: Clock, actor: Actor, scope: str, target: str, reason: str) -> int:
    """Stop every draft, present and future, of a customer or a contract until released; returns the stop's id."""
    actor.require(Permission.INVOICES_PREPARE)
    _reason(reason)
    if scope not in STOP_SCOPES:
        raise ValidationFailed(
            "a stop applies to a customer or a contract", errors=[FieldError("scope", "unknown", value=scope)]
        )
    with uow:
        exists = uow.customers.get_by_number(target) if scope == "customer" else uow.contracts.get_by_number(target)
        if exists is None:
            raise NotFound(f"{scope} {target} not found", code=f"{scope}.not_found")
        stop_id = uow.invoice_stops.add(scope, target, reason.strip(), actor.username, clock.now())
        record(
            uow,
            clock,
            actor,
            "invoice_stop.placed",
            "invoice_stop",
            stop_id,
            after={"scope": scope, "target": target},
            reason=reason,
        )
        uow.commit()
        return stop_id


def release_stop(uow: UnitOfWork, clock: Clock, actor: Actor, stop_id: int, reason: str) -> None:
    """Release a customer or contract stop; its drafts can be approved and issued again."""
    actor.require(Permission.INVOICES_PREPARE)
    _reason(reason)
    with uow:
        if not uow.invoice_stops.release(stop_id, actor.username, clock.now(), reason.strip()):
            raise NotFound(f"no active stop {stop_id}", code="invoice_stop.not_found")
        record(uow, clock, actor, "invoice_stop.released", "invoice_stop", stop_id, reason=reason)
        uow.commit()


def active_stops(uow: UnitOfWork, actor: Actor) -> list[dict[str, object]]:
    """Every stop instruction in force."""
    actor.require(Permission.INVOICES_READ)
    with uow:
        return list(uow.invoice_stops.active())


@dataclass(frozen=True)
class WaitingApproval:
    """One draft in the approval queue: what waits, since when, why, and who may approve it."""

    invoice_id: int
    kind: str
    customer_number: str
    legal_entity: str
    gross: Money
    reason: str
    prepared_by: str
    waiting_since: datetime | None
    age_days: int
    approvers: tuple[str, ...]
    stopped: str | None


def approval_queue(uow: UnitOfWork, clock: Clock, actor: Actor) -> list[WaitingApproval]:
    """Drafts that need a second person's approval, oldest first (the daily approval monitor)."""
    actor.require(Permission.INVOICES_READ)
    now = clock.now()
    with uow:
        docs = uow.invoices.many(uow.invoices.ids_with_status([Status.DRAFT]))
        approvers = [u for u in uow.users.all() if u.active and Actor.of(u).can(Permission.INVOICES_APPROVE)]
        stops = uow.invoice_stops.active()
    waiting = []
    for doc in docs:
        if not doc.approval_reason:
            continue
        stop = next((s for s in stops if (s["scope"], s["target"]) in _targets(doc)), None)
        assert doc.id is not None
        waiting.append(
            WaitingApproval(
                doc.id,
                doc.kind,
                doc.customer_number,
                doc.legal_entity,
                doc.totals().gross,
                doc.approval_reason,
                doc.prepared_by,
                doc.created_at,
                (now - doc.created_at).days if doc.created_at else 0,
                tuple(u.username for u in approvers if u.username != doc.prepared_by),
                doc.stopped_reason or (f"{stop['scope']} stop: {stop['reason']}" if stop else None),
            )
        )
    return sorted(waiting, key=lambda w: (w.waiting_since is None, w.waiting_since, w.invoice_id))


def _targets(doc: Document) -> set[tuple[str, str]]:
    return {("customer", doc.customer_number), *(("contract", n) for n in doc.contract_numbers)}


def _reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationFailed("a reason is required", errors=[FieldError("reason", "is required")])
