"""Demo chapters: payment terms, then the customers planned by :mod:`cashtrail.demo.companies`.

Customers go through the real use cases (``validate_customer`` then ``apply_customer``), so each one is checked
like an imported customer and gets its ``customer.created`` audit event. They are stored in batches of
:data:`BATCH_SIZE` per transaction, parents before their subsidiaries. A customer that already exists with the same
data is left unchanged, which makes running the demo again a no-op.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from decimal import Decimal

from cashtrail.bootstrap import App
from cashtrail.db import tables as t
from cashtrail.demo.companies import CustomerPlan, plan_customers
from cashtrail.demo.context import DEMO_REASON, Chapter, Count, DemoContext
from cashtrail.errors import ValidationFailed
from cashtrail.identity.model import Actor
from cashtrail.parties.model import PaymentTerms, TermsBasis
from cashtrail.parties.services import apply_customer, define_payment_terms, validate_customer

BATCH_SIZE = 100


def payment_terms() -> list[PaymentTerms]:
    """The payment terms demo customers use."""
    return [
        PaymentTerms("N30", "Net 30 days", TermsBasis.NET, 30),
        PaymentTerms("N45", "Net 45 days", TermsBasis.NET, 45),
        PaymentTerms("N60", "Net 60 days", TermsBasis.NET, 60),
        PaymentTerms("EOM30", "End of month plus 30 days", TermsBasis.END_OF_MONTH, 30),
        PaymentTerms("2/10N30", "2% discount within 10 days, net 30", TermsBasis.NET, 30, Decimal(2), 10),
    ]


def create_payment_terms(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Define the demo's payment terms (create or leave unchanged), in one transaction."""
    uow = app.uow()
    with uow:
        terms = payment_terms()
        for done, item in enumerate(terms, start=1):
            define_payment_terms(uow, app.clock, Actor.system(), item)
            ctx.payment_terms.append(item.code)
            ctx.progress(done, len(terms))
        uow.commit()


def create_customers(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Store ``ctx.customer_count`` planned customers, parents first, in batches."""
    plans = plan_customers(rng, ctx.customer_count)
    ordered = sorted(plans, key=lambda plan: plan.parent_number is not None)
    ids: dict[str, int] = {}
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        ctx.progress(done, len(ordered))

    for start in range(0, len(ordered), BATCH_SIZE):
        _store_batch(app, ordered[start : start + BATCH_SIZE], ids, advance)
    for plan in plans:
        ctx.customers.append(plan.customer.number)
        ctx.customers_by_country.setdefault(plan.customer.country, []).append(plan.customer.number)


def _store_batch(app: App, plans: Sequence[CustomerPlan], ids: dict[str, int], advance: Callable[[], None]) -> None:
    """Validate and apply ``plans`` in one transaction; ``ids`` maps numbers to ids for later parents."""
    uow = app.uow()
    with uow:
        users = uow.users.by_usernames({p.collector for p in plans} | {p.analyst for p in plans})
        for plan in plans:
            draft = plan.customer
            collector, analyst = users.get(plan.collector), users.get(plan.analyst)
            draft.collector_id = collector.id if collector else None
            draft.analyst_id = analyst.id if analyst else None
            draft.parent_id = ids[plan.parent_number] if plan.parent_number else None
            errors = validate_customer(uow, draft)
            if errors:
                raise ValidationFailed(f"demo customer {draft.number} is invalid", code="demo.invalid", errors=errors)
            customer, _ = apply_customer(uow, app.clock, Actor.system(), draft, reason=DEMO_REASON)
            if customer.id is not None:
                ids[customer.number] = customer.id
            advance()
        uow.commit()


CHAPTERS = [
    Chapter("payment-terms", "Payment terms", create_payment_terms),
    Chapter("customers", "Customers in BE, FR, NL, ES, DE, US and GB", create_customers),
]
COUNTS = [
    Count("payment terms", t.payment_terms),
    Count("customers", t.customers, t.customers.c.country),
    Count("addresses", t.customer_addresses, t.customer_addresses.c.kind),
    Count("contacts", t.customer_contacts, t.customer_contacts.c.role),
]
