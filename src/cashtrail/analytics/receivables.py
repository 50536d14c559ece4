"""Read-side queries of accounts receivable as of any date: a customer's statement of account and the aging of
the book (house style D4: rows read in two set-based queries, open amounts rebuilt in Python, nothing written)."""

from __future__ import annotations

from dataclasses import dataclass
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
from cashtrail.invoicing.account_statement import AccountStatement as DocumentStatement
from cashtrail.invoicing.account_statement import ItemKind as DocumentKind
from cashtrail.invoicing.account_statement import StatementItem as DocumentItem
from cashtrail.invoicing.parties import buyer_party, seller_party
from cashtrail.invoicing.snapshot import PartySnapshot
from cashtrail.ledger.as_of import open_as_of
from cashtrail.money import Money
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


@dataclass(frozen=True)
class PrintableStatement:
    """A statement of account as the documents' PDF renderer takes it, with the parties and the language."""

    statement: DocumentStatement
    seller: PartySnapshot
    buyer: PartySnapshot
    language: str


def as_document(statement: AccountStatement) -> DocumentStatement:
    """The documents team's ``AccountStatement`` (default buckets): payments, deductions and adjustments left open
    are credits on account, printed as payments."""
    items = tuple(
        DocumentItem(i.number, _document_kind(i.kind, i.original), i.issue_date, i.due_date, i.original, i.open)
        for i in statement.items
    )
    return DocumentStatement(statement.customer_number, statement.as_of, statement.currency, items)


def _document_kind(kind: str, original: Money) -> DocumentKind:
    if kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE):
        return DocumentKind(kind)
    return DocumentKind.INVOICE if original.amount > 0 else DocumentKind.PAYMENT


def printable_statement(
    uow: UnitOfWork, actor: Actor, customer_number: str, as_of: date, *, currency: str | None = None
) -> PrintableStatement:
    """The customer's statement in ``currency`` (the customer's own by default) with the seller (the entity of its
    items, else the default entity) and the buyer as printed, in the customer's language."""
    statements = statement_of_account(uow, actor, customer_number, as_of)
    with uow:
        customer = uow.customers.get_by_number(customer_number)
        entities = uow.legal_entities.all()
        items, _ = uow.ledger.history_until(as_of, customer_number=customer_number)
    assert customer is not None  # statement_of_account refused an unknown customer
    wanted = currency or customer.currency
    chosen = next((s for s in statements if s.currency == wanted), statements[0])
    used = {i.reference: i for i in items}
    codes = [e.code for e in entities]
    entity_code = next((used[i.number].entity for i in chosen.items if i.number in used and used[i.number].entity
                        in codes), None)  # fmt: skip
    entity = next((e for e in entities if e.code == entity_code), None) or next(
        (e for e in entities if e.is_default), entities[0] if entities else None
    )
    if entity is None:
        raise NotFound("no legal entity to print the statement for", code="legal_entity.not_found")
    return PrintableStatement(as_document(chosen), seller_party(entity), buyer_party(customer), customer.language)
