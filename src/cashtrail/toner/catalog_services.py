"""Correcting a cartridge part's facts: its colour and rated yield belong to the part, not to one cost row.

The catalog import refuses a row whose colour or yield differs from the part's stored rows (a typo in one upload
must not split a part in two). When the stored facts are the wrong ones, :func:`correct_part` changes them on every
cost row of the part at once, with a reason, in the audit trail. Reconciliations are not recalculated here: run the
periods again (cards under review or later go back to data pending first), as after any corrected upload.
"""

from __future__ import annotations

from dataclasses import replace

from cashtrail.audit.services import record as audit
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork
from cashtrail.toner.errors import PartNotFound
from cashtrail.toner.model import CartridgePart, TonerColour

MAX_YIELD = 10_000_000  # as the catalog import's rated_yield column


def correct_part(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    part_number: str,
    *,
    colour: str | None = None,
    rated_yield: int | None = None,
    reason: str,
) -> list[CartridgePart]:
    """Set the colour and/or rated yield of every cost row of ``part_number``; returns the rows as stored after.

    Giving the facts the part already has changes nothing and records nothing.
    """
    actor.require(Permission.TONER_RUN)
    wanted_colour = _check(colour, rated_yield, reason)
    with uow:
        rows = [p for p in uow.toner.parts() if p.part_number == part_number]
        if not rows:
            raise PartNotFound(part_number)
        first = rows[0]
        new_colour = wanted_colour or first.colour
        new_yield = first.rated_yield if rated_yield is None else rated_yield
        if (new_colour, new_yield) == (first.colour, first.rated_yield):
            return rows
        corrected = [replace(row, colour=new_colour, rated_yield=new_yield) for row in rows]
        for row in corrected:
            uow.toner.put_part(row)
        before: dict[str, object] = {"colour": first.colour.value, "rated_yield": first.rated_yield}
        after: dict[str, object] = {"colour": new_colour.value, "rated_yield": new_yield}
        audit(uow, clock, actor, "toner_part.corrected", "toner_part", part_number, before=before, after=after,
              reason=reason.strip())  # fmt: skip
        uow.commit()
        return corrected


def _check(colour: str | None, rated_yield: int | None, reason: str) -> TonerColour | None:
    errors = []
    if colour is None and rated_yield is None:
        errors.append(FieldError("colour", "give the colour, the rated yield or both"))
    wanted = None
    if colour is not None:
        try:
            wanted = TonerColour(colour)
        except ValueError:
            allowed = ", ".join(c.value for c in TonerColour)
            errors.append(FieldError("colour", f"is not one of {allowed}", value=colour))
    if rated_yield is not None and not 1 <= rated_yield <= MAX_YIELD:
        errors.append(FieldError("rated_yield", f"must be between 1 and {MAX_YIELD}", value=rated_yield))
    if not reason.strip():
        errors.append(FieldError("reason", "is required: say why the catalog was wrong"))
    if errors:
        raise ValidationFailed("the part correction is incomplete", code="toner.bad_part_correction", errors=errors)
    return wanted
