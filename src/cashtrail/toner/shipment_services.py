"""Correcting uploads: voiding shipment lines that should never have counted (a duplicate, a wrong file).

A voided line is kept as uploaded, with who voided it, when and why (decision D-111); every read of the
reconciliation run and its findings leaves it out, while traces of stored records still show it. Voiding is
idempotent: a line already voided keeps its first void, and a call that voids nothing writes nothing. Re-importing
the upload does not bring a voided line back (the import updates the line's columns, never its void).
Records are not recalculated here: the next run recalculates the periods it may (before review); a record under
review or later is moved back to data pending first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from cashtrail.audit.services import record as audit
from cashtrail.clock import Clock
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork
from cashtrail.toner.errors import ShipmentNotFound, UploadNotFound, VoidIncomplete
from cashtrail.toner.run_services import RECALCULATED


@dataclass(frozen=True, slots=True)
class VoidResult:
    """What one call voided: the lines it voided now, those voided before, and the records they fed."""

    upload_id: str
    voided: tuple[str, ...]
    already_voided: tuple[str, ...]
    #: ``AGREEMENT@PERIOD`` of records whose figures used a voided line and that a run leaves alone (under review
    #: or later): move them back to data pending and run again.
    frozen_records: tuple[str, ...]
    #: Records whose figures used a voided line and that the next run recalculates.
    records_to_rerun: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.voided)


def _label(key: tuple[str, int]) -> str:
    return f"{key[0]}:{key[1]}"


def void_shipments(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    upload_id: str,
    shipment_ids: list[tuple[str, int]] | None,
    reason: str,
) -> VoidResult:
    """Void every line of ``upload_id`` (``shipment_ids`` None) or the named (shipment id, line) pairs of it."""
    actor.require(Permission.TONER_RUN)
    why = reason.strip()
    if not why:
        raise VoidIncomplete("voiding shipment lines needs a reason", code=VoidIncomplete.code)
    if shipment_ids is not None and not shipment_ids:
        raise VoidIncomplete("name at least one line, or none to void the whole upload", code=VoidIncomplete.code)
    with uow:
        fresh, before = _plan(uow.toner.upload_lines(upload_id), upload_id, shipment_ids)
        voided = tuple(_label(k) for k in fresh)
        if not fresh:
            return VoidResult(upload_id, voided, before, (), ())
        ids = list(fresh.values())
        uow.toner.void_shipments(ids, clock.now(), actor.username, why)
        frozen, rerun = _records_using(uow, set(ids))
        after: dict[str, object] = {"lines": list(voided), "count": len(voided)}
        audit(uow, clock, actor, "toner_upload.voided", "toner_upload", upload_id, after=after, reason=why)
        uow.commit()
        return VoidResult(upload_id, voided, before, frozen, rerun)


def _plan(
    stored: dict[tuple[str, int], tuple[int, bool]], upload_id: str, shipment_ids: list[tuple[str, int]] | None
) -> tuple[dict[tuple[str, int], int], tuple[str, ...]]:
    """The lines to void now (key -> row id) and those voided before; refuses unknown uploads and lines."""
    if not stored:
        raise UploadNotFound(upload_id)
    wanted = sorted(stored) if shipment_ids is None else sorted(set(shipment_ids))
    missing = [_label(k) for k in wanted if k not in stored]
    if missing:
        raise ShipmentNotFound(upload_id, missing)
    fresh = {k: stored[k][0] for k in wanted if not stored[k][1]}
    return fresh, tuple(_label(k) for k in wanted if stored[k][1])


_YEAR = timedelta(days=366)


def _records_using(uow: UnitOfWork, ids: set[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys of the stored records whose figures came from one of these lines: (left alone by a run, rerun).

    A record's figures come from lines shipped inside its period, and no period is longer than a year, so only the
    records within a year either side of the lines' ship dates are read (not the whole board's history)."""
    days = [line.shipped_on for line in uow.toner.shipments_by_ids(sorted(ids))]
    if not days:
        return (), ()
    frozen: list[str] = []
    rerun: list[str] = []
    for record in uow.toner_board.records(start=min(days) - _YEAR, end=max(days) + _YEAR):
        used = {i for colour in record.result.get("colours", []) for i in colour.get("shipment_ids", [])}
        if used & ids:
            (rerun if record.status in RECALCULATED else frozen).append(record.key)
    return tuple(frozen), tuple(rerun)
