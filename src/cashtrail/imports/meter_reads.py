"""Importing meter reads: one row per meter and day, keyed by ``serial|meter_type|read_on``.

Invariants checked for the whole file before anything is written: the serial belongs to a device of a stored
contract; a read is not lower than the meter's previous read (stored, or earlier in the file) unless it is flagged
``replacement`` with the old meter's final value; an ``estimated`` read is allowed and is trued up by the next
real read. Rows are applied oldest first per meter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from cashtrail.billing.meters import MeterRead, ReadKind, check_new_read
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.plan import Batch, Kind, Planned, Written
from cashtrail.imports.spec import Choice, Column, Integer, IsoDate, KindSpec, ParsedRow, Text, content_hash
from cashtrail.ports import UnitOfWork

SPEC = KindSpec(
    kind="meter-reads",
    key=("serial", "meter_type", "read_on"),
    key_format="{}|{}|{}",
    columns=(
        Column("serial", Text(64), "Device serial number, as on the contract.", "CN12345678", required=True),
        Column("meter_type", Text(16), "Meter of the device: mono, colour, scan …", "mono", required=True),
        Column("read_on", IsoDate(), "Day of the read.", "2026-04-30", required=True),
        Column("value", Integer(0, 10**15), "Cumulative counter value.", "154200", required=True),
        Column(
            "kind",
            Choice(tuple(ReadKind)),
            "actual, estimated or replacement; blank means actual.",
            "actual",
            default=ReadKind.ACTUAL.value,
        ),
        Column(
            "old_meter_final", Integer(0, 10**15), "Replacement rows: the old meter's final value.", "", default=None
        ),
    ),
)


@dataclass
class StoredRef:
    """The stored row an import record points at."""

    id: int | None


@dataclass
class MeterReadBatch:
    planned: list[Planned] = field(default_factory=list)
    reads: dict[str, MeterRead] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        """Store the new or corrected reads; no commit."""
        written: list[Written] = []
        for item in sorted(changed, key=lambda p: (self.reads[p.external_id].serial, self.reads[p.external_id])):
            read = self.reads[item.external_id]
            read_id = uow.meter_reads.upsert(read, reason(item))
            written.append(
                Written(item.external_id, "meter_read", StoredRef(read_id), "updated" if item.exists else "created")
            )
        return written


def _read(row: ParsedRow) -> MeterRead:
    """The read of a row whose required cells parsed (the caller skips rows with bad cells)."""
    read_on, value = row.day("read_on"), row.integer("value")
    if read_on is None or value is None:  # pragma: no cover - required columns are checked before
        raise ValueError(f"row {row.row} lacks read_on or value")
    kind = row.text("kind") or ReadKind.ACTUAL.value
    return MeterRead(read_on, value, row.text("serial"), row.text("meter_type"), kind, row.integer("old_meter_final"))


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Check devices and counter continuity for the whole file against the stored reads; writes nothing."""
    good = {SPEC.external_id(r): r for r in rows if not r.bad}
    reads = {key: _read(row) for key, row in good.items()}
    known = uow.contracts.serials_known({r.serial for r in reads.values()})
    earliest = min((r.read_on for r in reads.values()), default=date.max)
    stored = uow.meter_reads.between(sorted(known), earliest - timedelta(days=400), date.max)
    batch, errors = MeterReadBatch(), []
    for key, read in reads.items():
        if read.serial not in known:
            errors.append(good[key].error("serial", "is not a device on any contract", read.serial))
    merged: dict[tuple[str, str], dict[date, MeterRead]] = defaultdict(dict)
    for meter, meter_reads in stored.items():
        merged[meter].update({r.read_on: r for r in meter_reads})
    stored_keys = {f"{s}|{m}|{r.read_on.isoformat()}" for (s, m), rs in stored.items() for r in rs}
    for read in reads.values():
        merged[(read.serial, read.meter_type)][read.read_on] = read
    in_file = set(reads.values())
    for key, read in sorted(reads.items(), key=lambda kv: kv[1]):
        if read.serial not in known:
            continue
        problem = _continuity(read, merged[(read.serial, read.meter_type)], in_file)
        if problem is not None:
            errors.append(good[key].error(problem.field, problem.message, problem.value))
            continue
        batch.reads[key] = read
        batch.planned.append(Planned(good[key].row, key, content_hash(SPEC, good[key]), key in stored_keys))
    return batch, errors


def _continuity(read: MeterRead, by_day: dict[date, MeterRead], in_file: set[MeterRead]) -> FieldError | None:
    """The read checked against the meter's previous read (stored or in the file) and its next stored read."""
    days = sorted(by_day)
    position = days.index(read.read_on)
    previous = by_day[days[position - 1]] if position else None
    problem = check_new_read(previous, read)
    if problem is not None:
        return problem
    later = by_day[days[position + 1]] if position + 1 < len(days) else None
    if later is not None and later not in in_file and later.kind != ReadKind.REPLACEMENT and later.value < read.value:
        return FieldError("value", f"is higher than the later read {later.value} on {later.read_on}", value=read.value)
    return None


KIND = Kind(spec=SPEC, permission=Permission.USAGE_WRITE, entity_type="meter_read", prepare=prepare)
