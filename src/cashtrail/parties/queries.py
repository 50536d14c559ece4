"""Read-side queries of the parties domain that have no use case of their own; nothing here writes."""

from __future__ import annotations

from cashtrail.identity.model import Actor, Permission
from cashtrail.parties.model import PaymentTerms
from cashtrail.ports import UnitOfWork


def list_payment_terms(uow: UnitOfWork, actor: Actor) -> list[PaymentTerms]:
    """Every payment-terms code, ordered by code (a short reference list, so it is not paged)."""
    actor.require(Permission.CUSTOMERS_READ)
    with uow:
        return list(uow.payment_terms.all())
