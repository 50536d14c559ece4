"""SQL repositories for usage: meter reads, service jobs and index series (Core, in bulk)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from cashtrail.billing.callouts import PartUsed, RateClass
from cashtrail.billing.charges import ServiceJob
from cashtrail.billing.meters import MeterRead
from cashtrail.db import billing_tables as bt
from cashtrail.db.repositories.billing import chunks as _chunks


class SqlMeterReadRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, reads: Sequence[MeterRead], source: str) -> None:
        if reads:
            self.session.execute(
                insert(bt.meter_reads),
                [
                    {
                        "serial": r.serial,
                        "meter_type": r.meter_type,
                        "read_on": r.read_on,
                        "value": r.value,
                        "kind": r.kind,
                        "old_meter_final": r.old_meter_final,
                        "source": source,
                    }
                    for r in reads
                ],
            )

    def upsert(self, read: MeterRead, source: str) -> int:
        """Store a read, replacing the one of the same meter and day; returns its id."""
        t = bt.meter_reads.c
        values = {"value": read.value, "kind": read.kind, "old_meter_final": read.old_meter_final, "source": source}
        found = self.session.scalar(
            select(t.id).where(t.serial == read.serial, t.meter_type == read.meter_type, t.read_on == read.read_on)
        )
        if found is not None:
            self.session.execute(update(bt.meter_reads).where(t.id == found).values(**values))
            return int(found)
        row = {"serial": read.serial, "meter_type": read.meter_type, "read_on": read.read_on, **values}
        return int(self.session.execute(insert(bt.meter_reads).values(**row).returning(t.id)).scalar_one())

    def between(self, serials: Sequence[str], start: date, end: date) -> dict[tuple[str, str], list[MeterRead]]:
        """Reads of these devices from ``start`` to ``end`` inclusive, grouped by (serial, meter type)."""
        found: dict[tuple[str, str], list[MeterRead]] = defaultdict(list)
        t = bt.meter_reads.c
        for chunk in _chunks(sorted(set(serials))):
            query = select(bt.meter_reads).where(t.serial.in_(chunk), t.read_on >= start, t.read_on <= end)
            for r in self.session.execute(query):
                found[(r.serial, r.meter_type)].append(
                    MeterRead(r.read_on, r.value, r.serial, r.meter_type, r.kind, r.old_meter_final)
                )
        return found

    def latest(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], MeterRead]:
        """The latest stored read of each (serial, meter type)."""
        wanted = set(keys)
        serials = sorted({s for s, _ in wanted})
        latest: dict[tuple[str, str], MeterRead] = {}
        for chunk in _chunks(serials):
            for r in self.session.execute(select(bt.meter_reads).where(bt.meter_reads.c.serial.in_(chunk))):
                key = (r.serial, r.meter_type)
                if key in wanted and (key not in latest or r.read_on > latest[key].read_on):
                    latest[key] = MeterRead(r.read_on, r.value, r.serial, r.meter_type, r.kind, r.old_meter_final)
        return latest


class SqlServiceJobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def upsert_many(self, jobs: Sequence[ServiceJob]) -> None:
        """Insert new jobs and overwrite known ones (a job is re-sent when it is back-reported)."""
        known = set(
            self.session.scalars(
                select(bt.service_jobs.c.job_id).where(bt.service_jobs.c.job_id.in_([j.job_id for j in jobs]))
            )
        )
        for job in jobs:
            row = {
                "job_id": job.job_id,
                "contract_number": job.contract_number,
                "unit_id": job.unit_id,
                "kind": job.kind,
                "completed_on": job.completed_on,
                "back_reported": job.back_reported,
                "travel": job.travel,
                "started_at": job.started_at,
                "ended_at": job.ended_at,
                "timezone": job.timezone,
                "minutes": {k.value: v for k, v in job.minutes.items()},
                "parts": [[p.sku, str(p.quantity), str(p.list_price)] for p in job.parts],
            }
            if job.job_id in known:
                self.session.execute(
                    update(bt.service_jobs).where(bt.service_jobs.c.job_id == job.job_id).values(**row)
                )
            else:
                self.session.execute(insert(bt.service_jobs).values(**row))

    def ids(self, job_ids: Sequence[str]) -> dict[str, int]:
        """Database ids of stored jobs by job id."""
        t = bt.service_jobs.c
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(set(job_ids))):
            found.update(
                {r.job_id: int(r.id) for r in self.session.execute(select(t.job_id, t.id).where(t.job_id.in_(chunk)))}
            )
        return found

    def for_contracts(self, contract_numbers: Sequence[str], until: date) -> dict[str, list[ServiceJob]]:
        """Jobs of these contracts completed on or before ``until``."""
        found: dict[str, list[ServiceJob]] = defaultdict(list)
        t = bt.service_jobs.c
        for chunk in _chunks(sorted(set(contract_numbers))):
            query = select(bt.service_jobs).where(t.contract_number.in_(chunk), t.completed_on <= until)
            for r in self.session.execute(query.order_by(t.completed_on, t.job_id)):
                found[r.contract_number].append(
                    ServiceJob(
                        r.job_id,
                        r.contract_number,
                        r.unit_id,
                        r.kind,
                        r.completed_on,
                        {RateClass(k): int(v) for k, v in r.minutes.items()},
                        tuple(PartUsed(s, Decimal(q), Decimal(p)) for s, q, p in r.parts),
                        r.back_reported,
                        r.travel,
                        r.started_at,
                        r.ended_at,
                        r.timezone,
                    )
                )
        return found


class SqlIndexRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, series: str, month: str, value: Decimal) -> bool:
        """Store a monthly index value; returns False when the same value was already stored."""
        t = bt.index_values.c
        existing = self.session.execute(select(t.value).where(t.series == series, t.month == month)).scalar()
        if existing == value:
            return False
        if existing is None:
            self.session.execute(insert(bt.index_values).values(series=series, month=month, value=value))
        else:
            self.session.execute(
                update(bt.index_values).where(t.series == series, t.month == month).values(value=value)
            )
        return True

    def id_of(self, series: str, month: str) -> int | None:
        t = bt.index_values.c
        found = self.session.scalar(select(t.id).where(t.series == series, t.month == month))
        return None if found is None else int(found)

    def values(self, series: Iterable[str]) -> dict[tuple[str, str], Decimal]:
        t = bt.index_values.c
        rows = self.session.execute(select(t.series, t.month, t.value).where(t.series.in_(sorted(set(series)))))
        return {(r.series, r.month): r.value for r in rows}
