"""Read-side queries of accounts receivable as of any date: a customer's statement of account and the aging of
the book (house style D4: rows read in two set-based queries, open amounts rebuilt in Python, nothing written)."""

from __future__ import annotations

from datetime import date

from cashtrail.analytics.account_statement import (
    AccountStatement,
    AgingReport,
    aging_report,
    build_statements,
)
from cashtrail.analytics.aging import BucketScheme
from cashtrail.errors import NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ledger.as_of import open_as_of
from cashtrail.ports import UnitOfWork

GROUPINGS = ("customer", "country", "book")


def statement_of_account(
    uow: UnitOfWork, actor: Actor, customer_number: str, as_of: date, *, scheme: BucketScheme | None = None
) -> list[AccountStatement]:
    """The customer's statements of account on ``as_of``, one per currency."""
    actor.require(Permission.AR_READ)
    with uow:
        customer = uow.customers.get_by_number(customer_number)
        if customer is None:
            raise NotFound(f"customer {customer_number} not found", code="customer.not_found", number=customer_number)
        items, applications = uow.ledger.history_until(as_of, customer_number=customer_number)
    open_items = open_as_of(items, applications, as_of)
    return build_statements(
        customer_number, customer.legal_name, customer.currency, open_items, as_of, scheme or BucketScheme.default()
    )


def book_aging(
    uow: UnitOfWork, actor: Actor, as_of: date, *, by: str = "customer", scheme: BucketScheme | None = None
) -> AgingReport:
    """Aging of every open item on ``as_of``, grouped by customer, country or the whole book."""
    actor.require(Permission.AR_READ)
    if by not in GROUPINGS:
        raise ValidationFailed(f"aging is grouped by {', '.join(GROUPINGS)}, not {by!r}", code="aging.bad_grouping")
    with uow:
        items, applications = uow.ledger.history_until(as_of)
    return aging_report(open_as_of(items, applications, as_of), as_of, scheme or BucketScheme.default(), by)
