"""Use cases for customers and payment terms. The only place in the parties domain that commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.parties.errors import CustomerExists, CustomerNotFound
from cashtrail.parties.model import Customer, PaymentTerms, check_customer, check_payment_terms
from cashtrail.ports import UnitOfWork

Outcome = Literal["created", "updated", "unchanged"]
_SCALARS = (
    "legal_name",
    "country",
    "language",
    "currency",
    "payment_terms_code",
    "vat_number",
    "registration_number",
    "credit_limit",
    "iban",
    "parent_id",
    "collector_id",
    "analyst_id",
    "status",
)


def validate_customer(uow: UnitOfWork, draft: Customer) -> list[FieldError]:
    """Every problem with ``draft``, including references that must exist (payment terms, parent)."""
    errors = check_customer(draft)
    if draft.payment_terms_code and uow.payment_terms.get_by_code(draft.payment_terms_code) is None:
        errors.append(FieldError("payment_terms", "unknown payment terms code", value=draft.payment_terms_code))
    return errors


def apply_customer(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: Customer, *, reason: str | None = None
) -> tuple[Customer, Outcome]:
    """Create the customer or bring the stored one to ``draft`` (matched by number), with an audit event.

    Assumes ``draft`` was validated; does not commit (imports batch many of these in one transaction).
    """
    existing = uow.customers.get_by_number(draft.number)
    if existing is None:
        uow.customers.add(draft)
        uow.flush()
        record(
            uow,
            clock,
            actor,
            "customer.created",
            "customer",
            draft.number,
            after=draft.snapshot(),
            reason=reason,
        )
        return draft, "created"
    before = existing.snapshot()
    for name in _SCALARS:
        setattr(existing, name, getattr(draft, name))
    if [a.snapshot() for a in existing.addresses] != [a.snapshot() for a in draft.addresses]:
        existing.addresses = list(draft.addresses)
    if [c.snapshot() for c in existing.contacts] != [c.snapshot() for c in draft.contacts]:
        existing.contacts = list(draft.contacts)
    after = existing.snapshot()
    if before == after:
        return existing, "unchanged"
    record(
        uow,
        clock,
        actor,
        "customer.updated",
        "customer",
        existing.number,
        before=before,
        after=after,
        reason=reason,
    )
    return existing, "updated"


def register_customer(
    uow: UnitOfWork, clock: Clock, actor: Actor, draft: Customer, *, reason: str | None = None
) -> Customer:
    """Create a new customer; refuses a number already in use."""
    actor.require(Permission.CUSTOMERS_WRITE)
    with uow:
        if uow.customers.get_by_number(draft.number.strip()) is not None:
            raise CustomerExists(f"customer {draft.number} already exists", number=draft.number)
        _raise_if_invalid(uow, draft)
        customer, _ = apply_customer(uow, clock, actor, draft, reason=reason)
        uow.commit()
        return customer


def update_customer(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    number: str,
    changes: dict[str, object],
    *,
    reason: str | None = None,
) -> tuple[Customer, Outcome]:
    """Change fields of an existing customer; unknown field names are refused."""
    actor.require(Permission.CUSTOMERS_WRITE)
    unknown = sorted(set(changes) - set(_SCALARS))
    if unknown:
        raise ValidationFailed(
            f"cannot change {', '.join(unknown)}",
            code="customer.unknown_fields",
            errors=[FieldError(name, "is not a changeable field") for name in unknown],
        )
    with uow:
        existing = uow.customers.get_by_number(number)
        if existing is None:
            raise CustomerNotFound(f"customer {number} not found", number=number)
        draft = Customer(
            **{**{n: getattr(existing, n) for n in (*_SCALARS, "number")}, **changes},
            addresses=list(existing.addresses),
            contacts=list(existing.contacts),
            id=existing.id,
        )
        _raise_if_invalid(uow, draft)
        customer, outcome = apply_customer(uow, clock, actor, draft, reason=reason)
        uow.commit()
        return customer, outcome


def get_customer(uow: UnitOfWork, actor: Actor, number: str) -> Customer:
    """One customer by number."""
    actor.require(Permission.CUSTOMERS_READ)
    with uow:
        customer = uow.customers.get_by_number(number)
        if customer is None:
            raise CustomerNotFound(f"customer {number} not found", number=number)
        return customer


def list_customers(
    uow: UnitOfWork,
    actor: Actor,
    *,
    after_id: int | None = None,
    limit: int = 50,
    search: str | None = None,
    country: str | None = None,
) -> Sequence[Customer]:
    """A page of customers ordered by id, after the cursor ``after_id``."""
    actor.require(Permission.CUSTOMERS_READ)
    with uow:
        return uow.customers.page(after_id=after_id, limit=limit, search=search, country=country)


def define_payment_terms(uow: UnitOfWork, clock: Clock, actor: Actor, terms: PaymentTerms) -> PaymentTerms:
    """Create or change payment terms (matched by code)."""
    actor.require(Permission.CUSTOMERS_WRITE)
    errors = check_payment_terms(terms)
    if errors:
        raise ValidationFailed("invalid payment terms", code="payment_terms.invalid", errors=errors)
    with uow:
        existing = uow.payment_terms.get_by_code(terms.code)
        if existing is None:
            uow.payment_terms.add(terms)
            record(
                uow,
                clock,
                actor,
                "payment_terms.created",
                "payment_terms",
                terms.code,
                after=terms.snapshot(),
            )
            uow.commit()
            return terms
        before = existing.snapshot()
        for name in ("description", "basis", "days", "discount_percent", "discount_days"):
            setattr(existing, name, getattr(terms, name))
        if existing.snapshot() != before:
            record(
                uow,
                clock,
                actor,
                "payment_terms.updated",
                "payment_terms",
                terms.code,
                before=before,
                after=existing.snapshot(),
            )
        uow.commit()
        return existing


def _raise_if_invalid(uow: UnitOfWork, draft: Customer) -> None:
    errors = validate_customer(uow, draft)
    if errors:
        raise ValidationFailed(f"customer {draft.number or '?'} is invalid", code="customer.invalid", errors=errors)
