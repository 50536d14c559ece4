"""Imperative mapping of the plain domain classes onto the tables (the domain never imports SQLAlchemy)."""

from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from cashtrail.audit.model import AuditEvent
from cashtrail.catalog.model import PriceList, PriceListItem, Product
from cashtrail.db import billing_tables as _billing_tables  # noqa: F401 - same metadata
from cashtrail.db import cashapp_tables as _cashapp_tables  # noqa: F401 - same metadata
from cashtrail.db import collections_tables as _collections_tables  # noqa: F401 - same metadata
from cashtrail.db import invoicing_tables as _invoicing_tables  # noqa: F401 - same metadata
from cashtrail.db import ledger_tables as _ledger_tables  # noqa: F401 - same metadata
from cashtrail.db import orders_tables as _orders_tables  # noqa: F401 - same metadata
from cashtrail.db import tables as t
from cashtrail.db import toner_tables as _toner_tables  # noqa: F401 - same metadata
from cashtrail.identity.model import ApiToken, User
from cashtrail.imports.model import ImportRecord
from cashtrail.parties.model import Address, Contact, Customer, PaymentTerms

mapper_registry = registry(metadata=t.metadata)
_started = False


def start_mappers() -> None:
    """Map every domain class once per process (idempotent)."""
    global _started
    if _started:
        return
    m = mapper_registry.map_imperatively
    m(User, t.users)
    m(ApiToken, t.api_tokens)
    m(PaymentTerms, t.payment_terms)
    m(Address, t.customer_addresses)
    m(Contact, t.customer_contacts)
    m(
        Customer,
        t.customers,
        properties={
            "addresses": relationship(
                Address, cascade="all, delete-orphan", order_by=t.customer_addresses.c.id, lazy="selectin"
            ),
            "contacts": relationship(
                Contact, cascade="all, delete-orphan", order_by=t.customer_contacts.c.id, lazy="selectin"
            ),
        },
    )
    m(Product, t.products)
    m(PriceListItem, t.price_list_items)
    m(
        PriceList,
        t.price_lists,
        properties={
            "items": relationship(
                PriceListItem, cascade="all, delete-orphan", order_by=t.price_list_items.c.id, lazy="selectin"
            ),
        },
    )
    m(AuditEvent, t.audit_events)
    m(ImportRecord, t.import_records)
    _started = True
