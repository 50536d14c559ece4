"""Use cases of the AR ledger that other use cases call inside their own transaction (they never commit here).

Issuing a document posts it (:func:`post_document`); applying a credit to a receivable records an application
(:func:`apply_items`). Both are idempotent where a retry could repeat them: a document's entry is keyed by its
number, so posting it twice is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from cashtrail.clock import Clock
from cashtrail.errors import Conflict, NotFound
from cashtrail.identity.model import Actor
from cashtrail.ledger.model import Application, ItemKind, OpenItem, apply
from cashtrail.ledger.posting import document_entry, document_item
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork


def post_document(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    kind: str,
    number: str,
    customer_number: str,
    legal_entity: str,
    nets: Mapping[str, Money],
    vat: Money,
    gross: Money,
    issue_date: date,
    due_date: date,
    payment_reference: str,
    invoice_id: int | None,
    credits_invoice_id: int | None = None,
) -> OpenItem:
    """Journal entry and open item of an issued document; a credit note settles the invoice it corrects."""
    if uow.ledger.entry_id("document", number, kind) is not None:
        raise Conflict(f"{number} is already posted", code="ledger.already_posted", number=number)
    entry = document_entry(
        kind=kind, number=number, customer_number=customer_number, issue_date=issue_date, nets=nets, vat=vat
    )
    uow.ledger.post(entry, at=clock.now(), by=actor.username)
    item = document_item(
        kind=kind,
        number=number,
        customer_number=customer_number,
        legal_entity=legal_entity,
        gross=gross,
        issue_date=issue_date,
        due_date=due_date,
        payment_reference=payment_reference,
        invoice_id=invoice_id,
    )
    uow.ledger.add_item(item)
    if kind == ItemKind.CREDIT_NOTE and credits_invoice_id is not None:
        invoice_item = uow.ledger.item_of_invoice(credits_invoice_id)
        if invoice_item is not None and invoice_item.remaining.amount > 0:
            amount = min(invoice_item.remaining, -item.remaining)
            _apply(uow, clock, actor, invoice_item, item, amount, on=issue_date, kind="credit_note")
    return item


def apply_items(
    uow: UnitOfWork, clock: Clock, actor: Actor, debit_id: int, credit_id: int, amount: Money, *, on: date, kind: str
) -> int:
    """Apply ``amount`` of the credit item to the debit item (both checked); returns the application id."""
    items = uow.ledger.items([debit_id, credit_id])
    if debit_id not in items or credit_id not in items:
        raise NotFound("open item not found", code="ledger.item_not_found")
    return _apply(uow, clock, actor, items[debit_id], items[credit_id], amount, on=on, kind=kind)


def _apply(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    debit: OpenItem,
    credit: OpenItem,
    amount: Money,
    *,
    on: date,
    kind: str,
) -> int:
    apply(debit, credit, amount)
    if debit.id is None or credit.id is None:
        raise NotFound("open items must be stored before they are applied", code="ledger.item_not_stored")
    application = Application(debit.id, credit.id, amount, on, actor.username, kind, applied_at=clock.now())
    return uow.ledger.apply(application, debit, credit)
