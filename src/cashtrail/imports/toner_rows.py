"""Importing the toner reconciliation's uploaded rows: shipment reports and billing reports.

Shipment lines are keyed by ``upload|shipment_id|line``; the upload is the ``upload`` column, or the file's name
when blank. Re-importing the same file changes nothing; the same lines in another upload are stored again and
reported by the reconciliation as ``duplicate_shipment`` (that is what the check is for). Unknown parts, agreements
or serials are not import errors: they are findings of the reconciliation, where someone can fix them.

Billing-report lines are keyed by ``agreement|period_start|period_end|serial`` (blank serial: one line for the
whole agreement). A corrected line replaces the stored one. Whole-file checks: the period ends on or after it
starts, and the agreement is a stored contract.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from cashtrail.clock import Clock
from cashtrail.contracts.terms import Period
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.meter_reads import StoredRef
from cashtrail.imports.plan import Batch, Kind, Outcome, Planned, Written
from cashtrail.imports.spec import Choice, Column, Integer, IsoDate, KindSpec, ParsedRow, Text, content_hash
from cashtrail.ports import UnitOfWork
from cashtrail.toner.model import BillingLine, ShipmentLine, ShipmentStatus

SHIPMENTS = KindSpec(
    kind="toner-shipments",
    key=("shipment_id", "line"),
    key_format="{}|{}",
    columns=(
        Column("shipment_id", Text(64), "Shipment (delivery) number from the logistics system.", "SH-2026-0412", True),
        Column("line", Integer(1, 10_000), "Line of the shipment; blank means 1.", "1", default=1),
        Column("shipped_on", IsoDate(), "Ship date.", "2026-02-14", required=True),
        Column("agreement", Text(32), "MPS agreement (contract number); or give `ship_to`.", "MPS-00001", default=""),
        Column("ship_to", Text(64), "Ship-to code when the agreement is not known.", "BE-GENT-01", default=""),
        Column("serial", Text(64), "Device serial, when the report names it.", "CN12345678", default=""),
        Column("part_number", Text(64), "Cartridge part number.", "TK-5240K", required=True),
        Column("quantity", Integer(1, 100_000), "Cartridges on the line.", "2", required=True),
        Column(
            "status",
            Choice(tuple(s.value for s in ShipmentStatus)),
            "shipped, returned or defective_replacement; blank means shipped.",
            "shipped",
            default=ShipmentStatus.SHIPPED.value,
        ),
        Column("upload", Text(200), "Upload the line belongs to; blank means the file's name.", "", default=""),
    ),
)

BILLING = KindSpec(
    kind="toner-billing",
    key=("agreement", "period_start", "period_end", "serial"),
    key_format="{}|{}|{}|{}",
    columns=(
        Column("agreement", Text(32), "MPS agreement (contract number).", "MPS-00001", required=True),
        Column("period_start", IsoDate(), "First day the line bills.", "2026-01-01", required=True),
        Column("period_end", IsoDate(), "Last day the line bills.", "2026-01-31", required=True),
        Column("serial", Text(64), "Device serial; blank for a line of the whole agreement.", "CN12345678", default=""),
        Column("mono_pages", Integer(0, 10**12), "Billed mono pages.", "12400", required=True),
        Column("colour_pages", Integer(0, 10**12), "Billed colour pages; blank means 0.", "2300", default=0),
        Column("billed_asset_count", Integer(0, 1_000_000), "Devices billed on the line.", "1", required=True),
        Column("invoice_number", Text(64), "Invoice that billed the usage (ours or the ERP's).", "INV-2026-0001", True),
    ),
)


@dataclass
class ShipmentBatch:
    planned: list[Planned] = field(default_factory=list)
    lines: dict[str, ShipmentLine] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        lines = [self.lines[p.external_id] for p in changed]
        uow.toner.put_shipments(lines)
        ids = uow.toner.shipment_ids((s.upload_id, s.shipment_id, s.line) for s in lines)
        return [
            Written(p.external_id, "toner_shipment", StoredRef(ids[_skey(self.lines[p.external_id])]), _outcome(p))
            for p in changed
        ]


def _skey(line: ShipmentLine) -> tuple[str, str, int]:
    return (line.upload_id, line.shipment_id, line.line)


def _outcome(p: Planned) -> Outcome:
    return "updated" if p.exists else "created"


def prepare_shipments(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Check every line (a destination is required); stored lines of the same upload are updated."""
    batch, errors = ShipmentBatch(), []
    keyed: list[tuple[ParsedRow, str, ShipmentLine]] = []
    for row in (r for r in rows if not r.bad):
        if not row.text("agreement") and not row.text("ship_to"):
            errors.append(row.error("agreement", "is required when ship_to is blank"))
            continue
        shipped_on, quantity = row.day("shipped_on"), row.integer("quantity")
        if shipped_on is None or quantity is None:  # pragma: no cover - required columns
            continue
        upload = row.text("upload") or row.source
        line = ShipmentLine(
            row.text("shipment_id"),
            row.integer("line") or 1,
            shipped_on,
            row.text("part_number"),
            quantity,
            upload,
            row.text("agreement"),
            row.text("ship_to"),
            row.optional_text("serial"),
            ShipmentStatus(row.text("status") or ShipmentStatus.SHIPPED.value),
        )
        keyed.append((row, f"{upload}|{SHIPMENTS.external_id(row)}", line))
    stored = uow.toner.shipment_ids(_skey(line) for _, _, line in keyed)
    for row, key, line in keyed:
        batch.lines[key] = line
        batch.planned.append(Planned(row.row, key, content_hash(SHIPMENTS, row), _skey(line) in stored))
    return batch, errors


@dataclass
class BillingBatch:
    source: str = ""
    planned: list[Planned] = field(default_factory=list)
    lines: dict[str, BillingLine] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        lines = [self.lines[p.external_id] for p in changed]
        uow.toner.put_billing(lines, f"import:{self.source}")
        ids = uow.toner.billing_ids(_bkey(b) for b in lines)
        return [
            Written(p.external_id, "toner_billing_line", StoredRef(ids[_bkey(self.lines[p.external_id])]), _outcome(p))
            for p in changed
        ]


def _bkey(b: BillingLine) -> tuple[str, date, date, str]:
    return (b.agreement, b.period.start, b.period.end, b.serial or "")


def prepare_billing(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Check periods and agreements for the whole file."""
    good = [r for r in rows if not r.bad]
    known = {c for c in {r.text("agreement") for r in good} if uow.contracts.get_by_number(c) is not None}
    batch, errors = BillingBatch(source=good[0].source if good else ""), []
    keyed: list[tuple[ParsedRow, str, BillingLine]] = []
    for row in good:
        start, end = row.day("period_start"), row.day("period_end")
        if start is None or end is None:  # pragma: no cover - required columns
            continue
        if end < start:
            errors.append(row.error("period_end", f"is before period_start {start}", end))
            continue
        if row.text("agreement") not in known:
            errors.append(row.error("agreement", "is not a stored contract", row.text("agreement")))
            continue
        line = BillingLine(
            row.text("agreement"),
            Period(start, end),
            row.integer("mono_pages") or 0,
            row.integer("colour_pages") or 0,
            row.integer("billed_asset_count") or 0,
            row.text("invoice_number"),
            row.optional_text("serial"),
        )
        keyed.append((row, BILLING.external_id(row), line))
    stored = uow.toner.billing_ids(_bkey(line) for _, _, line in keyed)
    for row, key, line in keyed:
        batch.lines[key] = line
        batch.planned.append(Planned(row.row, key, content_hash(BILLING, row), _bkey(line) in stored))
    return batch, errors


SHIPMENTS_KIND = Kind(
    spec=SHIPMENTS, permission=Permission.TONER_RUN, entity_type="toner_shipment", prepare=prepare_shipments
)
BILLING_KIND = Kind(
    spec=BILLING, permission=Permission.TONER_RUN, entity_type="toner_billing_line", prepare=prepare_billing
)
