"""Use cases that record usage: meter reads (checked for continuity) and back-reported service jobs."""

from __future__ import annotations

from collections.abc import Sequence

from cashtrail.audit.services import record
from cashtrail.billing.charges import ServiceJob
from cashtrail.billing.meters import MeterRead, check_new_read
from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


def record_meter_reads(
    uow: UnitOfWork, clock: Clock, actor: Actor, reads: Sequence[MeterRead], source: str
) -> list[FieldError]:
    """Store meter reads after checking each against the latest stored or earlier read; all or nothing."""
    actor.require(Permission.USAGE_WRITE)
    with uow:
        latest = uow.meter_reads.latest({(r.serial, r.meter_type) for r in reads})
        errors: list[FieldError] = []
        for read in sorted(reads, key=lambda r: (r.serial, r.meter_type, r.read_on)):
            problem = check_new_read(latest.get((read.serial, read.meter_type)), read)
            if problem is not None:
                problem.source = f"{read.serial}/{read.meter_type} {read.read_on}"
                errors.append(problem)
            else:
                latest[(read.serial, read.meter_type)] = read
        if errors:
            return errors
        uow.meter_reads.add_many(reads, source)
        record(uow, clock, actor, "meter_reads.recorded", "meter_reads", source, after={"reads": len(reads)})
        uow.commit()
    return []


def record_service_jobs(uow: UnitOfWork, clock: Clock, actor: Actor, jobs: Sequence[ServiceJob], source: str) -> None:
    """Store or update back-reported service jobs."""
    actor.require(Permission.USAGE_WRITE)
    with uow:
        uow.service_jobs.upsert_many(jobs)
        record(uow, clock, actor, "service_jobs.recorded", "service_jobs", source, after={"jobs": len(jobs)})
        uow.commit()
