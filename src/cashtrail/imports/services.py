"""The import use case: check a whole file, then write it all in one transaction, or nothing.

Steps for one file of one kind (``customers``, ``products``, ``price-lists``, ``payment-terms``):

1. the actor needs ``imports:run`` and the kind's write permission;
2. the header and every row are read against the kind's column spec, then checked against the domain rules and
   the stored entities they refer to (loaded once per file); every problem is collected, with file, row and
   column (house-style E3);
3. any problem raises :class:`~cashtrail.errors.ValidationFailed` carrying all of them, and nothing is written;
4. otherwise each row is looked up in ``import_records`` by ``(source, external_id)``: a row whose content hash
   equals the stored one is skipped without any write; a new or changed row goes through the domain's ``apply_*``
   use case (which records the audit event) and its import record is created or updated; one commit ends it.

A dry run stops after step 4's look-up and reports what would happen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cashtrail.clock import Clock
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports import (
    customers,
    index_values,
    legal_entities,
    meter_reads,
    payment_terms,
    price_lists,
    products,
    service_jobs,
    toner_catalog,
    toner_rows,
)
from cashtrail.imports.model import ImportRecord
from cashtrail.imports.parsing import RawRow, parse_table
from cashtrail.imports.plan import Batch, Kind, Planned, Written
from cashtrail.ports import UnitOfWork

#: Every importable kind by its name on the command line; payment terms first, as customers refer to them.
KINDS: dict[str, Kind] = {
    k.spec.kind: k
    for k in (
        legal_entities.KIND,
        payment_terms.KIND,
        customers.KIND,
        products.KIND,
        price_lists.KIND,
        meter_reads.KIND,
        service_jobs.KIND,
        index_values.KIND,
        toner_catalog.PARTS_KIND,
        toner_catalog.MAPPINGS_KIND,
        toner_catalog.SETUPS_KIND,
        toner_rows.SHIPMENTS_KIND,
        toner_rows.BILLING_KIND,
    )
}


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do), counted per row; ``errors`` when it was refused."""

    kind: str
    source_name: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: tuple[FieldError, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file had no problems."""
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly view."""
        return {
            "kind": self.kind,
            "source": self.source_name,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "errors": [e.as_dict() for e in self.errors],
        }


@dataclass(frozen=True)
class _Plan:
    batch: Batch
    records: dict[str, ImportRecord]

    def is_new_or_changed(self, item: Planned) -> bool:
        record = self.records.get(item.external_id)
        return record is None or record.content_hash != item.content_hash


def kind_of(name: str) -> Kind:
    """The import kind called ``name``; raises ``ValidationFailed`` naming the known kinds."""
    kind = KINDS.get(name)
    if kind is None:
        raise ValidationFailed(
            f"unknown import kind {name!r}; use one of {', '.join(KINDS)}", code="import.unknown_kind", kind=name
        )
    return kind


def check_import(
    uow: UnitOfWork, actor: Actor, kind: str, source_name: str, header: Sequence[str], rows: Iterable[RawRow]
) -> ImportReport:
    """Check a file without writing; the report lists every problem instead of raising (for forms and previews)."""
    chosen = _authorized(actor, kind)
    data = list(rows)
    with uow:
        plan, errors = plan_import(uow, chosen, source_name, header, data)
        if plan is None:
            return ImportReport(chosen.spec.kind, source_name, len(data), dry_run=True, errors=tuple(errors))
        return _forecast(chosen, source_name, plan)


def run_import(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    kind: str,
    source_name: str,
    header: Sequence[str],
    rows: Iterable[RawRow],
    dry_run: bool = False,
) -> ImportReport:
    """Import a whole file all-or-nothing; raises ``ValidationFailed`` with every problem, writing nothing."""
    chosen = _authorized(actor, kind)
    data = list(rows)
    with uow:
        plan, errors = plan_import(uow, chosen, source_name, header, data)
        if plan is None:
            raise ValidationFailed(
                f"{source_name}: {len(errors)} problem(s) found; nothing was imported",
                code="import.invalid",
                errors=errors,
                source=source_name,
                kind=chosen.spec.kind,
            )
        if dry_run:
            return _forecast(chosen, source_name, plan)
        report = _write(uow, clock, actor, chosen, source_name, plan)
        uow.commit()
        return report


def plan_import(
    uow: UnitOfWork, kind: Kind, source_name: str, header: Sequence[str], rows: Sequence[RawRow]
) -> tuple[_Plan | None, list[FieldError]]:
    """Read and check the file inside the caller's unit of work; a plan only when there is no problem at all."""
    parsed, errors = parse_table(kind.spec, source_name, header, rows)
    if not parsed:
        return None, errors
    batch, problems = kind.prepare(uow, parsed)
    errors = sort_errors(kind, errors + problems)
    if errors:
        return None, errors
    records = uow.import_records.by_external_ids(kind.spec.source, [p.external_id for p in batch.planned])
    return _Plan(batch, records), []


def sort_errors(kind: Kind, errors: Iterable[FieldError]) -> list[FieldError]:
    """File-level problems first, then by row and by the column's place in the spec."""
    order = {name: index for index, name in enumerate(kind.spec.names())}
    return sorted(errors, key=lambda e: (e.row or 0, order.get(e.field, len(order)), e.field, e.message))


def _authorized(actor: Actor, kind: str) -> Kind:
    actor.require(Permission.IMPORTS_RUN)
    chosen = kind_of(kind)
    actor.require(chosen.permission)
    return chosen


def _forecast(kind: Kind, source_name: str, plan: _Plan) -> ImportReport:
    counts: Counter[str] = Counter()
    for item in plan.batch.planned:
        if not plan.is_new_or_changed(item):
            counts["unchanged"] += 1
        else:
            counts["updated" if item.exists else "created"] += 1
    total = len(plan.batch.planned)
    return ImportReport(
        kind.spec.kind, source_name, total, counts["created"], counts["updated"], counts["unchanged"], True
    )


def _write(uow: UnitOfWork, clock: Clock, actor: Actor, kind: Kind, source_name: str, plan: _Plan) -> ImportReport:
    changed = [item for item in plan.batch.planned if plan.is_new_or_changed(item)]
    written = plan.batch.write(uow, clock, actor, changed, lambda item: f"import of {source_name}, row {item.row}")
    uow.flush()  # database ids of new entities are needed for their import records
    hashes = {item.external_id: item.content_hash for item in changed}
    for done in written:
        _remember(uow, clock, kind.spec.source, done, hashes[done.external_id], plan.records.get(done.external_id))
    counts = Counter(done.outcome for done in written)
    skipped = len(plan.batch.planned) - len(changed)
    return ImportReport(
        kind.spec.kind,
        source_name,
        len(plan.batch.planned),
        counts["created"],
        counts["updated"],
        counts["unchanged"] + skipped,
    )


def _remember(
    uow: UnitOfWork, clock: Clock, source: str, done: Written, content_hash: str, record: ImportRecord | None
) -> None:
    entity_id = done.entity.id
    if entity_id is None:  # pragma: no cover - the flush before this assigns every id
        raise RuntimeError(f"{done.entity_type} {done.external_id} has no id after flush")
    now = clock.now()
    if record is None:
        uow.import_records.add(
            ImportRecord(source, done.external_id, content_hash, done.entity_type, entity_id, now, now)
        )
    else:
        record.content_hash, record.entity_id, record.entity_type, record.updated_at = (
            content_hash,
            entity_id,
            done.entity_type,
            now,
        )
