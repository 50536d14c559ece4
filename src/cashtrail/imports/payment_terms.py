"""Importing payment terms: one row per terms code; the codes customers files refer to.

Invariants: every row passes :func:`cashtrail.parties.model.check_payment_terms` (days not negative, a discount
below 100 % whose days fall within the net days).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.plan import Batch, Kind, Outcome, Planned, Written
from cashtrail.imports.spec import Choice, Column, Integer, KindSpec, Number, ParsedRow, Text, content_hash
from cashtrail.parties.model import PaymentTerms, TermsBasis, check_payment_terms
from cashtrail.parties.services import define_payment_terms
from cashtrail.ports import UnitOfWork

SPEC = KindSpec(
    kind="payment-terms",
    key=("code",),
    columns=(
        Column("code", Text(32), "Terms code, the business key; customers refer to it.", "N30", required=True),
        Column("description", Text(200), "Human description.", "Net 30 days", required=True),
        Column(
            "basis",
            Choice(tuple(TermsBasis)),
            "Count days from the invoice date or from its month end; blank means `net`.",
            "net",
            default=TermsBasis.NET.value,
        ),
        Column("days", Integer(0, 3650), "Days until due.", "30", required=True),
        Column(
            "discount_percent",
            Number(4, 7, Decimal(0)),
            "Cash discount for early payment; blank means 0.",
            "2",
            default=Decimal(0),
        ),
        Column("discount_days", Integer(0, 3650), "Days the discount applies; blank means 0.", "10", default=0),
    ),
)


@dataclass
class PaymentTermsBatch:
    """Checked payment-terms rows by code; ``stored`` holds the terms already stored."""

    stored: dict[str, PaymentTerms]
    planned: list[Planned] = field(default_factory=list)
    drafts: dict[str, PaymentTerms] = field(default_factory=dict)

    def write(
        self,
        uow: UnitOfWork,
        clock: Clock,
        actor: Actor,
        changed: Sequence[Planned],
        reason: Callable[[Planned], str],
    ) -> list[Written]:
        """Create or update the changed terms through ``define_payment_terms`` (audited); no commit.

        ``define_payment_terms`` opens a nested ``with uow``; the unit of work is re-entrant, so its commit waits
        for the import's.
        """
        written: list[Written] = []
        for item in changed:
            existing = self.stored.get(item.external_id)
            before = None if existing is None else existing.snapshot()
            terms = define_payment_terms(uow, clock, actor, self.drafts[item.external_id])
            outcome: Outcome = "created" if before is None else "updated" if terms.snapshot() != before else "unchanged"
            written.append(Written(item.external_id, "payment_terms", terms, outcome))
        return written


def build_draft(row: ParsedRow) -> tuple[PaymentTerms, list[FieldError]]:
    """The payment terms a row describes and their problems, by column; pure."""
    draft = PaymentTerms(
        code=row.text("code"),
        description=row.text("description"),
        basis=row.text("basis") or TermsBasis.NET.value,
        days=row.integer("days") or 0,
        discount_percent=row.decimal("discount_percent") or Decimal(0),
        discount_days=row.integer("discount_days") or 0,
    )
    return draft, [row.error(e.field, e.message, e.value) for e in check_payment_terms(draft)]


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Check every row against the stored terms (one query); writes nothing."""
    batch = PaymentTermsBatch(stored={t.code: t for t in uow.payment_terms.all()})
    errors: list[FieldError] = []
    for row in rows:
        draft, problems = build_draft(row)
        errors += [e for e in problems if e.field not in row.bad]
        key = SPEC.external_id(row)
        batch.drafts[key] = draft
        batch.planned.append(Planned(row.row, key, content_hash(SPEC, row), key in batch.stored))
    return batch, errors


KIND = Kind(spec=SPEC, permission=Permission.CUSTOMERS_WRITE, entity_type="payment_terms", prepare=prepare)
