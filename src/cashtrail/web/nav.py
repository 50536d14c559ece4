"""The workbench navigation, as data: each domain adds one :class:`NavEntry` and the header shows what exists.

An entry is shown to users whose roles grant its permission, so a collector never sees a link that only ends in a
403. Later domains (Contracts, Billing, Invoices, Toner, Cash, Collections) append their entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

from cashtrail.identity.model import Actor, Permission


@dataclass(frozen=True)
class NavEntry:
    """One top-level link of the header."""

    label: str
    path: str
    permission: Permission

    def is_active(self, current_path: str) -> bool:
        """True when ``current_path`` is this entry's page or one below it."""
        return current_path == self.path or current_path.startswith(self.path + "/")


NAV_ENTRIES: tuple[NavEntry, ...] = (
    NavEntry("Customers", "/customers", Permission.CUSTOMERS_READ),
    NavEntry("Contracts", "/contracts", Permission.CONTRACTS_READ),
    NavEntry("Bill run", "/billing/preview", Permission.BILLING_RUN),
    NavEntry("Billing blocks", "/billing/blocks", Permission.CONTRACTS_READ),
    NavEntry("Invoices", "/invoices", Permission.INVOICES_READ),
    NavEntry("Orders", "/orders", Permission.ORDERS_READ),
    NavEntry("Late lines", "/late-lines", Permission.ORDERS_READ),
    NavEntry("RMAs", "/rmas", Permission.ORDERS_READ),
    NavEntry("Toner", "/toner", Permission.TONER_READ),
    NavEntry("Cash", "/cash", Permission.CASH_APPLY),
    NavEntry("Aging", "/ar/aging", Permission.AR_READ),
)


def visible_nav(actor: Actor) -> list[NavEntry]:
    """The entries ``actor`` may open, in menu order."""
    return [entry for entry in NAV_ENTRIES if actor.can(entry.permission)]
