"""Read side of cash application: the suggestion and suspense worklists (keyset-paged) and a bank entry's detail
(what the bank sent, every decision taken about it, and the applications it made). Nothing here writes."""

from __future__ import annotations

from dataclasses import replace

from cashtrail.cashapp.model import BankReceipt, CashMatch, EntryDetail, MatchStatus, ReceiptStatus
from cashtrail.errors import NotFound
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


def worklist(
    uow: UnitOfWork, actor: Actor, status: MatchStatus, *, after_id: int | None = None, limit: int = 200
) -> list[tuple[CashMatch, BankReceipt]]:
    """Suggestions (or other decisions) with their receipts, in the order they were made, after ``after_id``."""
    actor.require(Permission.AR_READ)
    with uow:
        return uow.cash.matches(status, after_id=after_id, limit=limit)


def suspense(uow: UnitOfWork, actor: Actor, *, after_id: int | None = None, limit: int = 200) -> list[BankReceipt]:
    """Receipts nobody could identify (or whose suggestion was rejected or reversed), in entry order."""
    actor.require(Permission.AR_READ)
    with uow:
        return uow.cash.receipts_page(ReceiptStatus.SUSPENSE, after_id=after_id, limit=limit)


def entry_detail(uow: UnitOfWork, actor: Actor, entry_id: int) -> EntryDetail:
    """One bank entry with its remittance, references, counterparty, decisions and applications."""
    actor.require(Permission.AR_READ)
    with uow:
        detail = uow.cash.entry_detail(entry_id)
        if detail is None:
            raise NotFound(f"bank entry {entry_id} not found", code="cash.entry_not_found", entry_id=entry_id)
        applications = [a for m in detail.matches if m.id is not None for a in uow.ledger.applications_of_match(m.id)]
        items = uow.ledger.items([i for a in applications for i in (a.debit_item_id, a.credit_item_id)])
    numbers = {i: item.reference for i, item in items.items()}
    return replace(detail, applications=applications, item_numbers=numbers)
