"""Read side of one customer's collections account: what is open, what is disputed, activities, promises, letters
and holds, for the workbench's account page. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cashtrail.disputes.model import Dispute
from cashtrail.dunning.activities import PromiseRecord
from cashtrail.dunning.portfolios import Profile
from cashtrail.errors import NotFound
from cashtrail.identity.model import Actor, Permission
from cashtrail.ledger.model import OpenItem
from cashtrail.money import Money
from cashtrail.parties.model import Customer
from cashtrail.ports import UnitOfWork


@dataclass(frozen=True)
class AccountView:
    customer: Customer
    profile: Profile
    items: list[OpenItem]
    frozen: dict[int, Money]
    disputes: list[Dispute]
    activities: list[dict[str, Any]]
    promises: list[PromiseRecord]
    letters: list[dict[str, Any]]
    holds: list[dict[str, Any]]

    def balance(self) -> Money:
        """What the customer owes now, credits netted (in the customer's currency)."""
        total = Money.zero(self.customer.currency)
        for item in self.items:
            if item.remaining.currency == total.currency:
                total = total + item.remaining
        return total


def account_view(uow: UnitOfWork, actor: Actor, customer_number: str) -> AccountView:
    """Everything the collector needs on one page."""
    actor.require(Permission.AR_READ)
    with uow:
        customer = uow.customers.get_by_number(customer_number)
        if customer is None:
            raise NotFound(f"customer {customer_number} not found", code="customer.not_found")
        items = uow.ledger.open_items_of(customer_number)
        return AccountView(
            customer,
            uow.dunning.profiles([customer_number]).get(customer_number) or Profile(customer_number),
            items,
            uow.disputes.frozen_amounts([i.id for i in items if i.id is not None]),
            uow.disputes.search(customer=customer_number),
            uow.collection_work.activities(customer_number, limit=50),
            uow.collection_work.promises(customer=customer_number),
            uow.dunning.letters(customer=customer_number, limit=50),
            uow.collection_work.active_holds().get(customer_number, []),
        )
