"""Importing back-reported service jobs (callouts and repairs): one row per job, keyed by ``job_id``.

A job is billable only when ``back_reported`` is true; a job sent again with more detail replaces the stored one.
Invariants checked for the whole file: the contract exists and has the unit; minutes are whole numbers; parts
are ``SKU*QTY@PRICE`` items separated by ``;`` with decimal quantities and prices.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cashtrail.billing.callouts import PartUsed, RateClass
from cashtrail.billing.charges import ServiceJob
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.meter_reads import StoredRef
from cashtrail.imports.plan import Batch, Kind, Planned, Written
from cashtrail.imports.spec import Column, Flag, Integer, IsoDate, KindSpec, ParsedRow, Text, content_hash
from cashtrail.ports import UnitOfWork

_PART = re.compile(r"\s*([^*@;]+?)\s*\*\s*(\d+(?:\.\d+)?)\s*@\s*(\d+(?:\.\d{1,6})?)\s*")
_MINUTES = {
    RateClass.NORMAL: "normal_minutes",
    RateClass.OUT_OF_HOURS: "out_of_hours_minutes",
    RateClass.WEEKEND_HOLIDAY: "weekend_holiday_minutes",
}

SPEC = KindSpec(
    kind="service-jobs",
    key=("job_id",),
    columns=(
        Column("job_id", Text(64), "Job number from the field-service system.", "WO-2026-04812", required=True),
        Column("contract", Text(32), "Maintenance contract number.", "LIFT-0042", required=True),
        Column("unit", Text(64), "Unit (lift, escalator …) of the contract.", "L-7", required=True),
        Column("kind", Text(32), "Callout kind (breakdown, entrapment …) or `repair`.", "breakdown", required=True),
        Column("completed_on", IsoDate(), "Day the job was completed.", "2026-04-03", required=True),
        Column("normal_minutes", Integer(0, 100_000), "Technician minutes in normal hours.", "45", default=0),
        Column("out_of_hours_minutes", Integer(0, 100_000), "Minutes out of hours.", "0", default=0),
        Column("weekend_holiday_minutes", Integer(0, 100_000), "Minutes on weekends and holidays.", "0", default=0),
        Column(
            "parts", Text(2000), "Parts used: `SKU*QTY@LIST_PRICE`, separated by `;`.", "ROLLER*2@35.00", default=""
        ),
        Column(
            "back_reported",
            Flag(),
            "Whether the technician's report is complete; blank means true.",
            "true",
            default=True,
        ),
        Column("travel", Flag(), "Whether the contract's travel fee applies; blank means true.", "true", default=True),
        Column(
            "started_at",
            Text(40),
            "When work started, ISO 8601 with offset; with `ended_at` and no minutes, the minutes are split into rate "
            "classes by the contract's business hours.",
            "2026-04-03T18:10:00+02:00",
            default="",
        ),
        Column("ended_at", Text(40), "When work ended, ISO 8601 with offset.", "2026-04-03T19:05:00+02:00", default=""),
        Column("timezone", Text(40), "The site's timezone; blank means Europe/Brussels.", "Europe/Paris", default=""),
    ),
)


def _times(row: ParsedRow) -> tuple[datetime | None, datetime | None, str, FieldError | None]:
    """The job's start, end and timezone, or the problem with them."""
    zone = row.text("timezone") or "Europe/Brussels"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None, None, zone, row.error("timezone", "is not an IANA timezone", zone)
    raw = {name: row.text(name) for name in ("started_at", "ended_at")}
    if not any(raw.values()):
        return None, None, zone, None
    parsed: dict[str, datetime] = {}
    for name, text in raw.items():
        try:
            parsed[name] = datetime.fromisoformat(text)
        except ValueError:
            return None, None, zone, row.error(name, "is not an ISO 8601 date-time", text)
        if parsed[name].tzinfo is None:
            return None, None, zone, row.error(name, "needs a UTC offset, e.g. +02:00", text)
    if parsed["ended_at"] < parsed["started_at"]:
        return None, None, zone, row.error("ended_at", "is before started_at", raw["ended_at"])
    return parsed["started_at"], parsed["ended_at"], zone, None


@dataclass
class JobBatch:
    planned: list[Planned] = field(default_factory=list)
    jobs: dict[str, ServiceJob] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        jobs = [self.jobs[p.external_id] for p in changed]
        uow.service_jobs.upsert_many(jobs)
        ids = uow.service_jobs.ids([j.job_id for j in jobs])
        return [
            Written(p.external_id, "service_job", StoredRef(ids[p.external_id]), "updated" if p.exists else "created")
            for p in changed
        ]


def parse_parts(text: str) -> tuple[PartUsed, ...]:
    """Parts from ``SKU*QTY@PRICE;…``; raises ValueError naming the bad item.

    >>> [(p.sku, p.quantity, p.list_price) for p in parse_parts("ROLLER*2@35.00; CABLE*1.5@12")]
    [('ROLLER', Decimal('2'), Decimal('35.00')), ('CABLE', Decimal('1.5'), Decimal('12'))]
    """
    parts: list[PartUsed] = []
    for item in filter(None, (piece.strip() for piece in text.split(";"))):
        match = _PART.fullmatch(item)
        if match is None:
            raise ValueError(f"part {item!r} is not SKU*QTY@PRICE")
        parts.append(PartUsed(match[1], Decimal(match[2]), Decimal(match[3])))
    return tuple(parts)


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    good = [r for r in rows if not r.bad]
    units = uow.contracts.units_of({r.text("contract") for r in good})
    stored = uow.service_jobs.ids([r.text("job_id") for r in good])
    batch, errors = JobBatch(), []
    for row in good:
        contract, unit = row.text("contract"), row.text("unit")
        if contract not in units:
            errors.append(row.error("contract", "is not a maintenance contract with units", contract))
            continue
        if unit not in units[contract]:
            errors.append(row.error("unit", f"is not a unit of contract {contract}", unit))
            continue
        try:
            parts = parse_parts(row.text("parts"))
        except ValueError as exc:
            errors.append(row.error("parts", str(exc), row.text("parts")))
            continue
        started, ended, zone, problem = _times(row)
        if problem is not None:
            errors.append(problem)
            continue
        minutes = {cls: row.integer(name) or 0 for cls, name in _MINUTES.items() if row.integer(name)}
        completed = row.day("completed_on")
        if completed is None:  # pragma: no cover - required column
            continue
        key = SPEC.external_id(row)
        batch.jobs[key] = ServiceJob(
            key,
            contract,
            unit,
            row.text("kind"),
            completed,
            minutes,
            parts,
            row.flag("back_reported", default=True),
            row.flag("travel", default=True),
            started,
            ended,
            zone,
        )
        batch.planned.append(Planned(row.row, key, content_hash(SPEC, row), key in stored))
    return batch, errors


KIND = Kind(spec=SPEC, permission=Permission.USAGE_WRITE, entity_type="service_job", prepare=prepare)
