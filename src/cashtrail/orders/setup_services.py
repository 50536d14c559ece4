"""Use cases of what orders are checked and expanded against: contract price terms and bundle definitions.

``apply_*`` create or replace without committing (imports batch a whole file); ``save_*`` own their transaction.
Both audit the change.
"""

from __future__ import annotations

from typing import Literal

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.orders.bundles import Bundle, check_bundle
from cashtrail.orders.terms import ContractTerms, check_terms
from cashtrail.ports import UnitOfWork

Outcome = Literal["created", "updated", "unchanged"]


def apply_terms(
    uow: UnitOfWork, clock: Clock, actor: Actor, terms: ContractTerms, *, reason: str | None = None
) -> tuple[ContractTerms, Outcome]:
    """Create a version of a contract's price terms or replace the one with the same start date; no commit."""
    versions = uow.order_setup.terms_versions(terms.contract_number)
    errors = check_terms(terms, versions)
    if uow.customers.get_by_number(terms.customer_number) is None:
        errors.append(FieldError("customer", "unknown customer", value=terms.customer_number))
    unknown = set(terms.items) - set(uow.products.by_skus(terms.items))
    errors += [FieldError(f"items[{sku}].sku", "is not a known product SKU", value=sku) for sku in sorted(unknown)]
    if errors:
        raise ValidationFailed(
            f"price terms of {terms.contract_number} are invalid", code="order_terms.invalid", errors=errors
        )
    same = next((v for v in versions if v.valid_from == terms.valid_from), None)
    if same is not None and same.snapshot() == terms.snapshot():
        return same, "unchanged"
    uow.order_setup.put_terms(terms)
    where = f"{terms.contract_number}@{terms.valid_from}"
    before = same.snapshot() if same is not None else None
    action = "order_terms.updated" if same is not None else "order_terms.created"
    record(uow, clock, actor, action, "order_terms", where, before=before, after=terms.snapshot(), reason=reason)
    return terms, "updated" if same is not None else "created"


def save_terms(uow: UnitOfWork, clock: Clock, actor: Actor, terms: ContractTerms) -> ContractTerms:
    """Store a version of a contract's price terms."""
    actor.require(Permission.ORDERS_WRITE)
    with uow:
        stored, _ = apply_terms(uow, clock, actor, terms)
        uow.commit()
        return stored


def apply_bundle(
    uow: UnitOfWork, clock: Clock, actor: Actor, bundle: Bundle, *, reason: str | None = None
) -> tuple[Bundle, Outcome]:
    """Create a bundle definition or replace the stored one of the same SKU; no commit."""
    errors = check_bundle(bundle)
    skus = {bundle.sku, *(c.sku for c in bundle.components)}
    unknown = skus - set(uow.products.by_skus(skus))
    errors += [FieldError("sku", "is not a known product SKU", value=sku) for sku in sorted(unknown)]
    if errors:
        raise ValidationFailed(f"bundle {bundle.sku} is invalid", code="bundle.invalid", errors=errors)
    stored = uow.order_setup.bundles([bundle.sku]).get(bundle.sku)
    if stored is not None and stored.snapshot() == bundle.snapshot():
        return stored, "unchanged"
    uow.order_setup.put_bundle(bundle)
    before = stored.snapshot() if stored is not None else None
    action = "bundle.updated" if stored is not None else "bundle.created"
    record(uow, clock, actor, action, "bundle", bundle.sku, before=before, after=bundle.snapshot(), reason=reason)
    return bundle, "updated" if stored is not None else "created"


def save_bundle(uow: UnitOfWork, clock: Clock, actor: Actor, bundle: Bundle) -> Bundle:
    """Store a bundle definition."""
    actor.require(Permission.ORDERS_WRITE)
    with uow:
        stored, _ = apply_bundle(uow, clock, actor, bundle)
        uow.commit()
        return stored


def contract_terms(uow: UnitOfWork, actor: Actor, contract_number: str) -> list[ContractTerms]:
    """Every version of a contract's price terms."""
    actor.require(Permission.ORDERS_READ)
    with uow:
        return uow.order_setup.terms_versions(contract_number)
