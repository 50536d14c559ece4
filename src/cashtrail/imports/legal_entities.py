"""Importing legal entities: the group companies that sell, number their documents and receive payments.

Invariants: every row passes :func:`cashtrail.parties.entities.check_legal_entity` (VAT number valid for the
country, IBAN check digits, Peppol endpoint with its scheme, an IANA time zone); at most one row is the default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.plan import Batch, Kind, Outcome, Planned, Written
from cashtrail.imports.spec import Column, Flag, KindSpec, Number, ParsedRow, Text, content_hash
from cashtrail.parties.entities import LegalEntity, check_legal_entity
from cashtrail.parties.entity_services import define_legal_entity
from cashtrail.ports import UnitOfWork

SPEC = KindSpec(
    kind="legal-entities",
    key=("code",),
    columns=(
        Column(
            "code",
            Text(8),
            "Entity code, 1–8 letters or digits; it appears in every document number.",
            "BE01",
            required=True,
        ),
        Column(
            "name", Text(200), "Registered name printed on documents.", "Cashtrail Services Belgium NV", required=True
        ),
        Column(
            "country",
            Text(2),
            "ISO 3166 country of establishment; customers there are billed by it.",
            "BE",
            required=True,
        ),
        Column(
            "vat_number", Text(32), "VAT number, with or without the country prefix.", "BE0202239951", required=True
        ),
        Column("company_id", Text(32), "Legal registration number (enterprise number, SIREN, KvK, ...).", "0202239951"),
        Column("address_line1", Text(200), "Street and number.", "Rue de la Loi 16", required=True),
        Column("postal_code", Text(16), "Postal code.", "1000", required=True),
        Column("city", Text(100), "City.", "Bruxelles", required=True),
        Column(
            "iban",
            Text(34),
            "Account customers pay to (printed, and in the UBL payment means).",
            "BE68539007547034",
            required=True,
        ),
        Column("bic", Text(11), "BIC of that account.", "GKCCBEBB"),
        Column("email", Text(200), "Billing e-mail printed on documents.", "billing@example.com"),
        Column("phone", Text(40), "Phone printed on documents.", "+32 2 000 00 00"),
        Column("endpoint", Text(100), "Peppol electronic address; blank derives it from the VAT number.", ""),
        Column("endpoint_scheme", Text(8), "Its EAS scheme (e.g. 0208, 9957); with `endpoint`.", ""),
        Column(
            "timezone",
            Text(64),
            "IANA zone whose date is the issue date; blank means Europe/Brussels.",
            "Europe/Brussels",
            default="Europe/Brussels",
        ),
        Column("currency", Text(3), "Currency of the approval threshold; blank means EUR.", "EUR", default="EUR"),
        Column(
            "is_default",
            Flag(),
            "Bills customers of countries without an entity; blank means false.",
            "true",
            default=False,
        ),
        Column(
            "approval_threshold",
            Number(4, 19, Decimal(0)),
            "Drafts above this gross need a second person's approval; blank means no threshold.",
            "10000",
        ),
        Column(
            "approve_first_invoice",
            Flag(),
            "A contract's first invoice needs approval; blank means true.",
            "true",
            default=True,
        ),
        Column(
            "approve_credit_notes", Flag(), "Every credit note needs approval; blank means true.", "true", default=True
        ),
    ),
)


@dataclass
class EntityBatch:
    stored: dict[str, LegalEntity]
    planned: list[Planned] = field(default_factory=list)
    drafts: dict[str, LegalEntity] = field(default_factory=dict)

    def write(
        self,
        uow: UnitOfWork,
        clock: Clock,
        actor: Actor,
        changed: Sequence[Planned],
        reason: Callable[[Planned], str],
    ) -> list[Written]:
        """Create or update the changed entities through ``define_legal_entity`` (audited); no commit."""
        written: list[Written] = []
        for item in changed:
            existing = self.stored.get(item.external_id)
            entity = define_legal_entity(uow, clock, actor, self.drafts[item.external_id])
            outcome: Outcome = "created" if existing is None else "updated"
            written.append(Written(item.external_id, "legal_entity", entity, outcome))
        return written


def build_draft(row: ParsedRow) -> tuple[LegalEntity, list[FieldError]]:
    """The entity a row describes and its problems, by column; pure."""
    entity = LegalEntity(
        code=row.text("code"),
        name=row.text("name"),
        country=row.text("country"),
        vat_number=row.text("vat_number"),
        address_line1=row.text("address_line1"),
        postal_code=row.text("postal_code"),
        city=row.text("city"),
        iban=row.text("iban"),
        bic=row.text("bic"),
        company_id=row.text("company_id"),
        email=row.text("email"),
        phone=row.text("phone"),
        endpoint=row.text("endpoint"),
        endpoint_scheme=row.text("endpoint_scheme"),
        timezone=row.text("timezone") or "Europe/Brussels",
        currency=row.text("currency") or "EUR",
        is_default=row.values.get("is_default") is True,
        approval_threshold=row.decimal("approval_threshold"),
        approve_first_invoice=row.values.get("approve_first_invoice") is not False,
        approve_credit_notes=row.values.get("approve_credit_notes") is not False,
    )
    return entity, [row.error(e.field, e.message, e.value) for e in check_legal_entity(entity)]


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Check every row against the stored entities (one query); writes nothing."""
    batch = EntityBatch(stored={e.code: e for e in uow.legal_entities.all()})
    errors: list[FieldError] = []
    defaults = [row for row in rows if row.values.get("is_default") is True]
    for extra in defaults[1:]:
        errors.append(extra.error("is_default", "only one entity can be the default"))
    for row in rows:
        draft, problems = build_draft(row)
        errors += [e for e in problems if e.field not in row.bad]
        key = SPEC.external_id(row)
        batch.drafts[key] = draft
        batch.planned.append(Planned(row.row, key, content_hash(SPEC, row), key in batch.stored))
    return batch, errors


KIND = Kind(spec=SPEC, permission=Permission.ENTITIES_MANAGE, entity_type="legal_entity", prepare=prepare)
