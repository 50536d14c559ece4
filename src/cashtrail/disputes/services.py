"""Use cases of disputes: open one on an invoice or a line, assign it, move it between the working states,
resolve it (credit note, rebill, rejected), and close those whose credit note has been issued.

Resolving by credit note drafts the credit note through invoicing (``credit_invoice``: for the disputed line, or for
the disputed amount); the credit note then goes through approval by a second person and issue as any other, and
:func:`close_credited_disputes` closes the dispute once it is issued (the dunning run calls it first, and so do the
doors after issuing).
"""

from __future__ import annotations

from datetime import date

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.disputes.model import Department, Dispute, Reason, Resolution, State
from cashtrail.errors import InvalidState, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.issue_services import credit_invoice
from cashtrail.invoicing.lifecycle import Document, Status
from cashtrail.ledger.model import OpenItem
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork


def open_dispute(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    invoice_number: str,
    reason: Reason,
    department: Department,
    *,
    on: date,
    amount: Money | None = None,
    line_number: int | None = None,
    description: str = "",
    case_id: int | None = None,
) -> Dispute:
    """Dispute an issued invoice: all of it, one line (0-based), or an amount; never more than is open on it."""
    actor.require(Permission.DISPUTES_WRITE)
    with uow:
        invoice, item, amount = _disputable(uow, invoice_number, amount, line_number)
        dispute = Dispute(
            invoice.customer_number,
            invoice_number,
            Reason(reason),
            Department(department),
            amount,
            on,
            actor.username,
            description.strip(),
            line_number,
            item.id if item is not None else None,
            case_id=case_id,
        )
        uow.disputes.add(dispute)
        record(uow, clock, actor, "dispute.opened", "dispute", dispute.id, after={"amount": str(amount)})
        uow.commit()
        return dispute


def _disputable(
    uow: UnitOfWork, invoice_number: str, amount: Money | None, line_number: int | None
) -> tuple[Document, OpenItem | None, Money]:
    """The issued invoice, its open item and the amount to dispute (checked against what is open and undisputed)."""
    invoice = uow.invoices.get_by_number(invoice_number)
    if invoice is None or invoice.id is None or invoice.status not in (Status.ISSUED, Status.SENT):
        raise NotFound(f"no issued invoice {invoice_number}", code="dispute.invoice_not_found")
    item = uow.ledger.item_of_invoice(invoice.id)
    if amount is None:
        amount = _line_gross(invoice, line_number) if line_number is not None else invoice.totals().gross
    free = _undisputed(uow, item, invoice.currency)
    if amount.currency != invoice.currency or amount > free:
        raise ValidationFailed(f"at most {free} of {invoice_number} is open and not disputed", code="dispute.over_open")
    return invoice, item, amount


def _undisputed(uow: UnitOfWork, item: OpenItem | None, currency: str) -> Money:
    if item is None or item.id is None:
        return Money.zero(currency)
    frozen = uow.disputes.frozen_amounts([item.id]).get(item.id)
    return item.remaining - frozen if frozen is not None else item.remaining


def _line_gross(invoice: Document, line_number: int) -> Money:
    totals = invoice.totals()
    if not 0 <= line_number < len(totals.lines):
        raise ValidationFailed(f"the invoice has no line {line_number}", code="dispute.no_such_line")
    amounts = totals.lines[line_number]
    vat = amounts.vat if amounts.vat is not None else amounts.line.tax_on(amounts.net)
    return (amounts.net + vat).rounded()


def assign_dispute(uow: UnitOfWork, clock: Clock, actor: Actor, dispute_id: int, owner: str) -> Dispute:
    actor.require(Permission.DISPUTES_WRITE)
    with uow:
        dispute = _load(uow, dispute_id)
        if uow.users.get_by_username(owner) is None:
            raise NotFound(f"user {owner} not found", code="user.not_found")
        dispute.assign(owner)
        uow.disputes.save(dispute)
        record(uow, clock, actor, "dispute.assigned", "dispute", dispute_id, after={"owner": owner})
        uow.commit()
        return dispute


def move_dispute(uow: UnitOfWork, clock: Clock, actor: Actor, dispute_id: int, to: State, note: str = "") -> Dispute:
    actor.require(Permission.DISPUTES_WRITE)
    with uow:
        dispute = _load(uow, dispute_id)
        before = dispute.state
        dispute.move(State(to))
        uow.disputes.save(dispute)
        record(
            uow,
            clock,
            actor,
            "dispute.moved",
            "dispute",
            dispute_id,
            before={"state": before},
            after={"state": to},
            reason=note or None,
        )
        uow.commit()
        return dispute


def resolve_dispute(
    uow: UnitOfWork, clock: Clock, actor: Actor, dispute_id: int, resolution: Resolution, *, on: date, note: str = ""
) -> Dispute:
    """Resolve; a credit-note resolution drafts the credit note (the dispute closes when it is issued)."""
    actor.require(Permission.DISPUTES_RESOLVE)
    with uow:
        dispute = _load(uow, dispute_id)
        dispute.resolve(Resolution(resolution), on)
        if dispute.resolution == Resolution.CREDIT_NOTE:
            reason = note.strip() or f"dispute {dispute.id}: {dispute.reason}"
            if dispute.line_number is not None:
                credit = credit_invoice(
                    uow, clock, actor, dispute.invoice_number, reason=reason, lines=[dispute.line_number]
                )
            else:
                credit = credit_invoice(uow, clock, actor, dispute.invoice_number, reason=reason, amount=dispute.amount)
            dispute.credit_note_id = credit.id
        uow.disputes.save(dispute)
        record(
            uow,
            clock,
            actor,
            "dispute.resolved",
            "dispute",
            dispute_id,
            after={"resolution": resolution},
            reason=note or None,
        )
        uow.commit()
        return dispute


def close_credited_disputes(uow: UnitOfWork, clock: Clock, actor: Actor, *, on: date) -> list[int]:
    """Close every dispute resolved by a credit note that has since been issued; returns their ids."""
    actor.require(Permission.DISPUTES_WRITE)
    closed: list[int] = []
    with uow:
        waiting = [d for d in uow.disputes.in_state(State.RESOLVED) if d.credit_note_id is not None]
        notes = {n.id: n for n in uow.invoices.many([d.credit_note_id for d in waiting if d.credit_note_id])}
        for dispute in waiting:
            note = notes.get(dispute.credit_note_id)
            if note is not None and note.status in (Status.ISSUED, Status.SENT):
                dispute.close(max(on, dispute.resolved_on or on))
                uow.disputes.save(dispute)
                record(uow, clock, actor, "dispute.closed", "dispute", dispute.id, after={"credit_note": note.number})
                assert dispute.id is not None
                closed.append(dispute.id)
        uow.commit()
    return closed


def get_dispute(uow: UnitOfWork, actor: Actor, dispute_id: int) -> Dispute:
    actor.require(Permission.AR_READ)
    with uow:
        dispute = uow.disputes.get(dispute_id)
        if dispute is None:
            raise NotFound(f"dispute {dispute_id} not found", code="dispute.not_found")
        return dispute


def list_disputes(
    uow: UnitOfWork, actor: Actor, *, state: str | None = None, customer: str | None = None
) -> list[Dispute]:
    actor.require(Permission.AR_READ)
    with uow:
        return uow.disputes.search(state=state, customer=customer)


def _load(uow: UnitOfWork, dispute_id: int) -> Dispute:
    dispute = uow.disputes.get(dispute_id)
    if dispute is None:
        raise NotFound(f"dispute {dispute_id} not found", code="dispute.not_found")
    if dispute.state == State.CLOSED:
        raise InvalidState(f"dispute {dispute_id} is closed", code="dispute.closed")
    return dispute
