"""Read-side queries of the parties domain that have no use case of their own; nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from cashtrail.identity.model import Actor, Permission
from cashtrail.parties.model import Customer, PaymentTerms
from cashtrail.ports import UnitOfWork


def list_payment_terms(uow: UnitOfWork, actor: Actor) -> list[PaymentTerms]:
    """Every payment-terms code, ordered by code (a short reference list, so it is not paged)."""
    actor.require(Permission.CUSTOMERS_READ)
    with uow:
        return list(uow.payment_terms.all())


def count_customers(uow: UnitOfWork, actor: Actor, *, search: str | None, country: str | None) -> int:
    """How many customers match the list filters."""
    actor.require(Permission.CUSTOMERS_READ)
    with uow:
        return uow.customers.count(search=search, country=country)


@dataclass(frozen=True)
class CustomerLinks:
    """What a customer's ids point at, in words: the parent's number and the assigned users' names."""

    parent_number: str | None
    collector: str | None
    analyst: str | None


def customer_links(uow: UnitOfWork, actor: Actor, customer: Customer) -> CustomerLinks:
    """Resolve the parent customer and the collector and analyst of ``customer``."""
    actor.require(Permission.CUSTOMERS_READ)
    with uow:
        parent = uow.customers.get(customer.parent_id) if customer.parent_id is not None else None
        collector = uow.users.get(customer.collector_id) if customer.collector_id is not None else None
        analyst = uow.users.get(customer.analyst_id) if customer.analyst_id is not None else None
        return CustomerLinks(
            parent_number=parent.number if parent else None,
            collector=(collector.full_name or collector.username) if collector else None,
            analyst=(analyst.full_name or analyst.username) if analyst else None,
        )
