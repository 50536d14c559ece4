"""Read side of the AR ledger for the doors: a customer's open items today and the ledger's invariant check."""

from __future__ import annotations

from cashtrail.errors import NotFound
from cashtrail.identity.model import Actor, Permission
from cashtrail.ledger.model import OpenItem
from cashtrail.ports import UnitOfWork


def customer_open_items(uow: UnitOfWork, actor: Actor, customer_number: str) -> list[OpenItem]:
    """The customer's items open now (invoices, credit notes, payments on account, deductions), oldest due first."""
    actor.require(Permission.AR_READ)
    with uow:
        if uow.customers.get_by_number(customer_number) is None:
            raise NotFound(f"customer {customer_number} not found", code="customer.not_found", number=customer_number)
        return uow.ledger.open_items_of(customer_number)
