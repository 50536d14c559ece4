"""The workbench navigation, as data: each domain adds its :class:`NavEntry` values and the header shows what exists.

An entry is shown to users whose roles grant its permission, so a collector never sees a link that only ends in a
403. Entries belong to a group (Billing, Orders, Cash & AR, ...): a group with one visible entry is a plain link, a
group with several is a dropdown menu that opens on hover, on focus and on a click, so it works with the keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from cashtrail.identity.model import Actor, Permission


@dataclass(frozen=True)
class NavEntry:
    """One link of the header, in a group of the menu."""

    label: str
    path: str
    permission: Permission
    group: str = ""

    def is_active(self, current_path: str) -> bool:
        """True when ``current_path`` is this entry's page or one below it."""
        return current_path == self.path or current_path.startswith(self.path + "/")


@dataclass(frozen=True)
class NavGroup:
    """A menu of the header: one link, or a dropdown of the group's links."""

    label: str
    entries: tuple[NavEntry, ...]

    def is_active(self, current_path: str) -> bool:
        """True when one of the group's pages is open."""
        return any(entry.is_active(current_path) for entry in self.entries)


NAV_ENTRIES: tuple[NavEntry, ...] = (
    NavEntry("Customers", "/customers", Permission.CUSTOMERS_READ, "Customers"),
    NavEntry("Contracts", "/contracts", Permission.CONTRACTS_READ, "Billing"),
    NavEntry("Bill run", "/billing/preview", Permission.BILLING_RUN, "Billing"),
    NavEntry("Billing blocks", "/billing/blocks", Permission.CONTRACTS_READ, "Billing"),
    NavEntry("Invoices", "/invoices", Permission.INVOICES_READ, "Billing"),
    NavEntry("Orders", "/orders", Permission.ORDERS_READ, "Orders"),
    NavEntry("Late lines", "/late-lines", Permission.ORDERS_READ, "Orders"),
    NavEntry("RMAs", "/rmas", Permission.ORDERS_READ, "Orders"),
    NavEntry("Toner", "/toner", Permission.TONER_READ, "Toner"),
    NavEntry("Cash", "/cash", Permission.CASH_APPLY, "Cash & AR"),
    NavEntry("Aging", "/ar/aging", Permission.AR_READ, "Cash & AR"),
    NavEntry("Collections", "/collections", Permission.AR_READ, "Cash & AR"),
    NavEntry("Imports", "/imports", Permission.IMPORTS_RUN, "Imports"),
)


def visible_nav(actor: Actor) -> list[NavEntry]:
    """The entries ``actor`` may open, in menu order."""
    return [entry for entry in NAV_ENTRIES if actor.can(entry.permission)]


def visible_groups(actor: Actor) -> list[NavGroup]:
    """The header's menus for ``actor``: each group with the entries the actor may open, in menu order."""
    groups: dict[str, list[NavEntry]] = {}
    for entry in visible_nav(actor):
        groups.setdefault(entry.group or entry.label, []).append(entry)
    return [NavGroup(label, tuple(entries)) for label, entries in groups.items()]
