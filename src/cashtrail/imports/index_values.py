"""Importing index values for price escalation: one row per series and month, keyed by ``series|month``."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.meter_reads import StoredRef
from cashtrail.imports.plan import Batch, Kind, Planned, Written
from cashtrail.imports.spec import Column, KindSpec, Number, ParsedRow, Text, content_hash
from cashtrail.ports import UnitOfWork

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")

SPEC = KindSpec(
    kind="index-values",
    key=("series", "month"),
    key_format="{}|{}",
    columns=(
        Column("series", Text(32), "Index series name used by escalation clauses.", "ICHTrev-TS-IME", required=True),
        Column("month", Text(7), "Month of the value, YYYY-MM.", "2026-03", required=True),
        Column("value", Number(6, 19, Decimal("0.000001")), "Published index value.", "132.4", required=True),
    ),
)


@dataclass
class IndexBatch:
    planned: list[Planned] = field(default_factory=list)
    values: dict[str, tuple[str, str, Decimal]] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        written: list[Written] = []
        for item in changed:
            series, month, value = self.values[item.external_id]
            uow.indices.put(series, month, value)
            record(
                uow,
                clock,
                actor,
                "index_value.set",
                "index_value",
                item.external_id,
                after={"value": value},
                reason=reason(item),
            )
            written.append(
                Written(
                    item.external_id,
                    "index_value",
                    StoredRef(uow.indices.id_of(series, month)),
                    "updated" if item.exists else "created",
                )
            )
        return written


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    batch, errors = IndexBatch(), []
    stored = uow.indices.values({r.text("series") for r in rows})
    for row in rows:
        if row.bad:
            continue
        if not _MONTH.fullmatch(row.text("month")):
            errors.append(row.error("month", "must be YYYY-MM", row.text("month")))
            continue
        key = SPEC.external_id(row)
        batch.values[key] = (row.text("series"), row.text("month"), row.decimal("value") or Decimal(0))
        exists = (row.text("series"), row.text("month")) in stored
        batch.planned.append(Planned(row.row, key, content_hash(SPEC, row), exists))
    return batch, errors


KIND = Kind(spec=SPEC, permission=Permission.CONTRACTS_WRITE, entity_type="index_value", prepare=prepare)
