"""Applying a receipt to a customer and reversing it, inside the caller's transaction (never commits).

:func:`post_receipt` books a bank receipt once (Dr bank / Cr suspense). :func:`apply_match` clears it to the
customer, creates the payment item, applies it to the chosen items in order, settles the rest of those items with
a deduction, bank-fee or discount adjustment when asked, and leaves any excess on account. :func:`reverse_applied`
undoes all of it with reversing entries and cancelled items. Both keep the ledger's invariants: every entry
balances, and AR control equals the sum of the open items.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from cashtrail.cashapp.model import BankReceipt, CashMatch, Line
from cashtrail.clock import Clock
from cashtrail.errors import InvalidState, NotFound, ValidationFailed
from cashtrail.identity.model import Actor
from cashtrail.ledger.cash import DEDUCTION_REASONS, AdjustmentKind, adjustment_entry, clearing_entry, receipt_entry
from cashtrail.ledger.model import Application, ItemKind, OpenItem, apply, unapply
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork

ADJUSTMENTS = {k.value for k in AdjustmentKind}


def post_receipt(
    uow: UnitOfWork, clock: Clock, actor: Actor, receipt: BankReceipt, *, posted: Collection[str] | None = None
) -> None:
    """Dr bank / Cr suspense for a receipt, once (``posted``: the receipts known to be booked, read in bulk)."""
    if posted is not None:
        if str(receipt.entry_id) in posted:
            return
    elif uow.ledger.entry_id("bank_entry", str(receipt.entry_id), "receipt") is not None:
        return
    who = receipt.counterparty_name or receipt.counterparty_iban or "unknown payer"
    entry = receipt_entry(
        bank_entry_id=receipt.entry_id,
        day=receipt.booked_on,
        amount=receipt.amount,
        description=f"Receipt from {who} ({receipt.bank_reference or receipt.entry_id})",
    )
    uow.ledger.post(entry, at=clock.now(), by=actor.username)


def check_lines(uow: UnitOfWork, receipt: BankReceipt, match: CashMatch) -> dict[int, OpenItem]:
    """The open items of ``match``'s lines, checked: same customer and currency, open enough; refuses otherwise."""
    if not match.customer_number:
        raise ValidationFailed("an application needs a customer", code="cash.customer_required")
    items = uow.ledger.items([line.item_id for line in match.lines])
    adjustment = match.remainder if match.remainder_kind in ADJUSTMENTS else None
    for line in match.lines:
        item = items.get(line.item_id)
        if item is None:
            raise NotFound(f"open item {line.item_id} not found", code="ledger.item_not_found")
        if item.customer_number != match.customer_number or item.kind != ItemKind.INVOICE:
            raise InvalidState(f"{item.reference} is not an invoice of {match.customer_number}", code="cash.wrong_item")
        if line.amount.currency != receipt.amount.currency or line.amount.amount <= 0 or line.amount > item.remaining:
            raise InvalidState(
                f"{line.amount} cannot be applied to {item.reference} (open {item.remaining})", code="cash.bad_amount"
            )
    total = sum((line.amount for line in match.lines), Money.zero(receipt.amount.currency))
    if total > receipt.amount + (adjustment or Money.zero(receipt.amount.currency)):
        raise InvalidState(f"the lines ({total}) exceed the receipt ({receipt.amount})", code="cash.over_applied")
    if match.remainder_kind == AdjustmentKind.DEDUCTION and (match.reason_code or "") not in DEDUCTION_REASONS:
        raise ValidationFailed(
            f"a deduction needs a reason code: {', '.join(DEDUCTION_REASONS)}", code="cash.reason_code_required"
        )
    return items


def apply_match(uow: UnitOfWork, clock: Clock, actor: Actor, receipt: BankReceipt, match: CashMatch) -> None:
    """Post and apply a checked, stored match (``match.id`` set): clearing, payment item, applications, adjustment."""
    items = check_lines(uow, receipt, match)
    assert match.id is not None
    assert match.customer_number is not None
    customer, day = match.customer_number, receipt.booked_on
    entity = next((i.legal_entity for i in items.values()), "")
    uow.ledger.post(
        clearing_entry(match_id=match.id, day=day, customer_number=customer, amount=receipt.amount),
        at=clock.now(),
        by=actor.username,
    )
    payment = OpenItem(
        customer, ItemKind.PAYMENT, f"RCT-{receipt.entry_id}-{match.id}", -receipt.amount, day, day,
        legal_entity=entity, payment_reference=(receipt.bank_reference or "")[:40], cash_match_id=match.id,
    )  # fmt: skip
    uow.ledger.add_item(payment)
    for line in match.lines:
        part = min(line.amount, -payment.remaining)
        if part.amount > 0:
            _apply(uow, clock, actor, items[line.item_id], payment, part, day, match.id)
    if match.remainder_kind in ADJUSTMENTS and match.remainder is not None and match.remainder.amount > 0:
        _adjust(uow, clock, actor, match, [items[line.item_id] for line in match.lines], entity, day)


def _adjust(
    uow: UnitOfWork, clock: Clock, actor: Actor, match: CashMatch, targets: list[OpenItem], entity: str, day: date
) -> None:
    assert match.id is not None
    assert match.customer_number is not None
    assert match.remainder is not None
    kind = AdjustmentKind(match.remainder_kind or "")
    amount = match.remainder
    open_left = sum((i.remaining for i in targets), Money.zero(amount.currency))
    if amount > open_left:
        raise InvalidState(f"the {kind} {amount} exceeds what is left open ({open_left})", code="cash.over_adjusted")
    reason = DEDUCTION_REASONS.get(match.reason_code or "", "") if kind == AdjustmentKind.DEDUCTION else ""
    entry = adjustment_entry(
        match_id=match.id, day=day, customer_number=match.customer_number, amount=amount, kind=kind, reason=reason
    )
    uow.ledger.post(entry, at=clock.now(), by=actor.username)
    item_kind = ItemKind.DEDUCTION if kind == AdjustmentKind.DEDUCTION else ItemKind.ADJUSTMENT
    adjustment = OpenItem(
        match.customer_number, item_kind, f"{kind.upper()}-{match.id}", -amount, day, day, legal_entity=entity,
        cash_match_id=match.id, reason_code=match.reason_code if kind == AdjustmentKind.DEDUCTION else kind.value,
    )  # fmt: skip
    uow.ledger.add_item(adjustment)
    for target in targets:
        part = min(target.remaining, -adjustment.remaining)
        if part.amount > 0:
            _apply(uow, clock, actor, target, adjustment, part, day, match.id)


def _apply(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    debit: OpenItem,
    credit: OpenItem,
    amount: Money,
    day: date,
    match_id: int,
) -> None:
    apply(debit, credit, amount)
    assert debit.id is not None
    assert credit.id is not None
    kind = "payment" if credit.kind == ItemKind.PAYMENT else str(credit.kind)
    application = Application(
        debit.id, credit.id, amount, day, actor.username, kind, applied_at=clock.now(), cash_match_id=match_id
    )
    uow.ledger.apply(application, debit, credit)


def reverse_applied(uow: UnitOfWork, clock: Clock, actor: Actor, match: CashMatch, day: date, reason: str) -> None:
    """Reverse every application, entry and item of an applied match."""
    assert match.id is not None
    applications = uow.ledger.applications_of_match(match.id)
    items = uow.ledger.items([i for a in applications for i in (a.debit_item_id, a.credit_item_id)])
    for application in applications:
        debit, credit = items[application.debit_item_id], items[application.credit_item_id]
        unapply(debit, credit, application.amount)
        uow.ledger.save_open_amount(debit, day)
        uow.ledger.save_open_amount(credit, day)
        assert application.id is not None
        uow.ledger.mark_reversed(application.id, at=clock.now(), on=day, by=actor.username, reason=reason)
    for item in uow.ledger.items_of_match(match.id):
        current = items.get(item.id or 0, item)
        if current.remaining != current.amount:
            raise InvalidState(
                f"{current.reference} was used elsewhere since; reverse that first", code="cash.item_in_use"
            )
        uow.ledger.cancel_item(current, day)
    entries = uow.ledger.entries_of("cash_match", str(match.id))
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id is not None}
    for entry in entries:
        if entry.reverses_id is None and entry.id not in reversed_ids:
            uow.ledger.post(entry.reversal(day, f"Reversal: {reason}"[:300]), at=clock.now(), by=actor.username)


def line_total(lines: list[Line], currency: str) -> Money:
    """The sum of the lines' amounts."""
    return sum((line.amount for line in lines), Money.zero(currency))
