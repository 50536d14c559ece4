"""Use cases of the contract consistency check: load what pricing and checking need, re-check an order, and let
a supervisor override a finding with a reason (audited; not on an order they entered themselves)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.orders.checks import FindingStatus, StoredFinding, check_order_prices, reconcile
from cashtrail.orders.errors import FindingNotOpen, OrderNotFound, SegregationOfDuties
from cashtrail.orders.model import Order, OrderStatus
from cashtrail.orders.pricing import Catalog
from cashtrail.ports import UnitOfWork


def load_catalog(uow: UnitOfWork, orders: Iterable[Order], skus: Iterable[str]) -> Catalog:
    """Products, bundles, price lists and contract terms for ``orders`` naming ``skus`` (one query per kind)."""
    wanted = set(skus)
    bundles = uow.order_setup.bundles(wanted)
    wanted |= {c.sku for b in bundles.values() for c in b.components}
    contracts = {o.contract_number for o in orders if o.contract_number}
    price_lists = sorted(uow.price_lists.page(after_id=None, limit=100_000), key=lambda p: (p.code, p.valid_from))
    return Catalog(uow.products.by_skus(wanted), bundles, price_lists, uow.order_setup.terms_of(contracts))


def order_or_404(uow: UnitOfWork, number: str) -> Order:
    """The stored order, or ``OrderNotFound``."""
    order = uow.orders.get_by_number(number)
    if order is None or order.id is None:
        raise OrderNotFound(number)
    return order


def recheck(uow: UnitOfWork, clock: Clock, order: Order, catalog: Catalog) -> list[StoredFinding]:
    """Check ``order`` again and store the outcome (new findings open; vanished ones resolved); no commit."""
    assert order.id is not None
    terms = catalog.terms_for(order)
    elsewhere = (
        uow.orders.ordered_quantities(terms.contract_number, terms.valid_from, terms.valid_to, order.number)
        if terms is not None
        else {}
    )
    skus = {line.sku for line in order.lines}
    fresh = check_order_prices(
        order,
        terms=terms,
        list_prices=catalog.list_prices(skus, order.currency, order.order_date),
        ordered_elsewhere=elsewhere,
    )
    new, gone = reconcile(uow.orders.findings_of(order.id), fresh)
    now = clock.now()
    uow.orders.add_findings(order.id, new, now)
    for stored in gone:
        stored.status, stored.resolved_at = FindingStatus.RESOLVED, now
        uow.orders.save_finding(stored)
    return uow.orders.findings_of(order.id)


def check_order(uow: UnitOfWork, clock: Clock, actor: Actor, number: str) -> list[StoredFinding]:
    """Re-run the contract consistency check of an entered order; returns its findings (every status)."""
    actor.require(Permission.ORDERS_WRITE)
    with uow:
        order = order_or_404(uow, number)
        if order.status != OrderStatus.ENTERED:
            return uow.orders.findings_of(order.id or 0)
        catalog = load_catalog(uow, [order], {line.sku for line in order.lines})
        findings = recheck(uow, clock, order, catalog)
        opened = [f.finding.code for f in findings if f.is_open]
        record(uow, clock, actor, "order.checked", "order", number, after={"open_findings": opened})
        uow.commit()
        return findings


def override_findings(
    uow: UnitOfWork, clock: Clock, actor: Actor, number: str, finding_ids: Sequence[int] | None, reason: str
) -> list[StoredFinding]:
    """Accept open findings of an order (all of them when ``finding_ids`` is None) as a supervisor, with a reason."""
    actor.require(Permission.ORDERS_OVERRIDE)
    if not reason.strip():
        raise ValidationFailed("an override needs a reason", errors=[FieldError("reason", "is required")])
    with uow:
        order = order_or_404(uow, number)
        if order.entered_by == actor.username:
            raise SegregationOfDuties(
                f"{actor.username} entered order {number} and may not override its findings", actor=actor.username
            )
        findings = uow.orders.findings_of(order.id or 0)
        chosen = [f for f in findings if finding_ids is None or f.id in finding_ids]
        if finding_ids is not None and len(chosen) != len(set(finding_ids)):
            raise FindingNotOpen(f"order {number} has no finding {sorted(set(finding_ids))}", number=number)
        not_open = [f.id for f in chosen if not f.is_open]
        if not_open and finding_ids is not None:
            raise FindingNotOpen(f"finding(s) {not_open} of order {number} are not open", number=number)
        now = clock.now()
        for stored in (f for f in chosen if f.is_open):
            stored.status, stored.overridden_by = FindingStatus.OVERRIDDEN, actor.username
            stored.overridden_at, stored.override_reason = now, reason.strip()
            uow.orders.save_finding(stored)
            record(
                uow,
                clock,
                actor,
                "order.finding_overridden",
                "order",
                number,
                after={"finding": stored.id, "code": stored.finding.code, "line": stored.finding.line_no},
                reason=reason.strip(),
            )
        uow.commit()
        return uow.orders.findings_of(order.id or 0)
