"""Read-side look-ups the workbench needs and the service layer does not offer yet.

Each one checks the same permission as the matching use case and only reads. They belong in the domains'
``queries`` modules (``identity``, ``parties``); they live here until those grow them, so the rest of the web
package only calls services.
"""

from __future__ import annotations

from dataclasses import dataclass

from cashtrail.bootstrap import App
from cashtrail.identity.model import Actor, Permission, User
from cashtrail.parties.model import Customer


def active_user(app: App, username: str) -> User | None:
    """The signed-in user behind a session, or None when unknown or deactivated since signing in."""
    with app.uow() as uow:
        user = uow.users.get_by_username(username)
        return user if user is not None and user.active else None


def count_customers(app: App, actor: Actor, *, search: str | None, country: str | None) -> int:
    """How many customers match the list filters."""
    actor.require(Permission.CUSTOMERS_READ)
    with app.uow() as uow:
        return uow.customers.count(search=search, country=country)


@dataclass(frozen=True)
class CustomerLinks:
    """What a customer's ids point at, in words: the parent's number and the assigned users' names."""

    parent_number: str | None
    collector: str | None
    analyst: str | None


def customer_links(app: App, actor: Actor, customer: Customer) -> CustomerLinks:
    """Resolve the parent customer and the collector and analyst of ``customer``."""
    actor.require(Permission.CUSTOMERS_READ)
    with app.uow() as uow:
        parent = uow.customers.get(customer.parent_id) if customer.parent_id is not None else None
        collector = uow.users.get(customer.collector_id) if customer.collector_id is not None else None
        analyst = uow.users.get(customer.analyst_id) if customer.analyst_id is not None else None
        return CustomerLinks(
            parent_number=parent.number if parent else None,
            collector=collector.full_name or collector.username if collector else None,
            analyst=analyst.full_name or analyst.username if analyst else None,
        )
