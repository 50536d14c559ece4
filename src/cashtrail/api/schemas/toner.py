"""Toner reconciliation payloads. Figures and amounts are decimal strings (never JSON numbers)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from cashtrail.api.schemas.common import money_text, pages_text
from cashtrail.audit.model import AuditEvent
from cashtrail.toner.model import BillingLine, ShipmentLine
from cashtrail.toner.queries import Detail, TrendPoint
from cashtrail.toner.records import ReconciliationRecord, StoredFinding
from cashtrail.toner.run_services import RunSummary
from cashtrail.toner.shipment_services import VoidResult


class RunIn(BaseModel):
    period: str = Field(max_length=32, description="YYYY, YYYY-H1, YYYY-Q1 or YYYY-MM", examples=["2026-Q1"])
    agreements: list[str] | None = Field(default=None, description="Only these agreements")
    from_bill_runs: bool = Field(default=False, description="First rebuild the billing report from our bill runs")


class RunOut(BaseModel):
    span: str
    records: int
    statuses: dict[str, int]
    findings: dict[str, int]
    charges: dict[str, str]
    skipped: list[str]
    seconds: dict[str, float]
    processes: int = 1

    @classmethod
    def of(cls, summary: RunSummary) -> RunOut:
        return cls(**summary.as_dict())


class RecordOut(BaseModel):
    agreement: str
    period: str
    period_start: date
    period_end: date
    customer_number: str
    country: str
    status: str
    owner: str
    due_on: date
    status_since: datetime
    total_charge: str | None
    currency: str
    errors_open: int
    warnings_open: int

    @classmethod
    def of(cls, r: ReconciliationRecord) -> RecordOut:
        return cls(
            agreement=r.agreement,
            period=r.period_label,
            period_start=r.period_start,
            period_end=r.period_end,
            customer_number=r.customer_number,
            country=r.country,
            status=r.status.value,
            owner=r.owner,
            due_on=r.due_on,
            status_since=r.status_since,
            total_charge=None if r.total_charge is None else money_text(r.total_charge, r.currency),
            currency=r.currency,
            errors_open=r.errors_open,
            warnings_open=r.warnings_open,
        )


class RecordList(BaseModel):
    items: list[RecordOut]


class FindingOut(BaseModel):
    id: int | None
    agreement: str
    period: str
    code: str
    severity: str
    state: str
    serial: str | None
    message: str
    rows: list[str]
    suggested_fix: str
    note: str

    @classmethod
    def of(cls, record: ReconciliationRecord, f: StoredFinding) -> FindingOut:
        return cls(
            id=f.id,
            agreement=record.agreement,
            period=record.period_label,
            code=f.code,
            severity=f.severity,
            state=f.state.value,
            serial=f.serial,
            message=f.message,
            rows=f.rows,
            suggested_fix=f.suggested_fix,
            note=f.note,
        )


class FindingList(BaseModel):
    items: list[FindingOut]


class MoveIn(BaseModel):
    status: str = Field(max_length=24, examples=["under_review"])
    reason: str = Field(min_length=1, max_length=500)


class PartCorrectionIn(BaseModel):
    colour: str | None = Field(default=None, max_length=16, examples=["black"])
    rated_yield: int | None = Field(default=None, examples=[12000])
    reason: str = Field(min_length=1, max_length=500)


class PartOut(BaseModel):
    part_number: str
    colour: str
    rated_yield: int
    cost_rows: int


class DecisionIn(BaseModel):
    state: str = Field(max_length=16, examples=["accepted"])
    note: str = Field(min_length=1, max_length=500)


class ShipmentRowOut(BaseModel):
    id: int | None
    upload: str
    shipment_id: str
    line: int
    shipped_on: date
    serial: str | None
    part_number: str
    quantity: int
    status: str

    @classmethod
    def of(cls, s: ShipmentLine) -> ShipmentRowOut:
        return cls(
            id=s.row_id,
            upload=s.upload_id,
            shipment_id=s.shipment_id,
            line=s.line,
            shipped_on=s.shipped_on,
            serial=s.serial,
            part_number=s.part_number,
            quantity=s.quantity,
            status=s.status.value,
        )


class BillingRowOut(BaseModel):
    id: int | None
    period_start: date
    period_end: date
    serial: str | None
    mono_pages: int
    colour_pages: int
    billed_asset_count: int
    invoice_number: str

    @classmethod
    def of(cls, b: BillingLine) -> BillingRowOut:
        return cls(
            id=b.row_id,
            period_start=b.period.start,
            period_end=b.period.end,
            serial=b.serial,
            mono_pages=b.mono_pages,
            colour_pages=b.colour_pages,
            billed_asset_count=b.billed_asset_count,
            invoice_number=b.invoice_number,
        )


class ColourOut(BaseModel):
    figures: dict[str, Any] = Field(description="Figures as decimal strings, with the ids of their rows")
    shipments: list[ShipmentRowOut]
    billing: list[BillingRowOut]


class EventOut(BaseModel):
    at: datetime
    actor: str
    action: str
    changes: dict[str, Any]
    reason: str | None

    @classmethod
    def of(cls, e: AuditEvent) -> EventOut:
        return cls(at=e.occurred_at, actor=e.actor, action=e.action, changes=dict(e.changes), reason=e.reason)


class DetailOut(BaseModel):
    record: RecordOut
    setup: dict[str, Any]
    colours: list[ColourOut]
    findings: list[FindingOut]
    trail: list[EventOut]
    billed: dict[str, int | None] = Field(
        description="Queued excess charge keys and the draft invoice that billed each"
    )

    @classmethod
    def of(cls, d: Detail) -> DetailOut:
        return cls(
            record=RecordOut.of(d.record),
            setup=d.record.result.get("setup", {}),
            colours=[
                ColourOut(
                    figures=c.figures,
                    shipments=[ShipmentRowOut.of(s) for s in c.shipments],
                    billing=[BillingRowOut.of(b) for b in c.billing],
                )
                for c in d.colours
            ],
            findings=[FindingOut.of(d.record, f) for f in d.findings],
            trail=[EventOut.of(e) for e in d.trail],
            billed=d.billed,
        )


class TrendOut(BaseModel):
    """One period of a trend: yield pages to two decimals without trailing zeros, the charge in minor units."""

    period: str
    group: str
    expected: str
    shipped: int
    excess: str
    charge: str
    currency: str
    coverage_black: str | None

    @classmethod
    def of(cls, p: TrendPoint) -> TrendOut:
        coverage = p.coverage_black
        return cls(
            period=p.period,
            group=p.group,
            expected=pages_text(p.expected),
            shipped=p.shipped,
            excess=pages_text(p.excess),
            charge=money_text(p.charge, p.currency),
            currency=p.currency,
            coverage_black=None if coverage is None else str(coverage),
        )


class TrendList(BaseModel):
    items: list[TrendOut]


class ReportIn(BaseModel):
    period: str = Field(max_length=32, examples=["2026-Q1"])


class ReportOut(BaseModel):
    lines: int


class VoidLineIn(BaseModel):
    shipment_id: str = Field(min_length=1, max_length=64, examples=["SH-2026-0412"])
    line: int = Field(ge=1, le=10_000, examples=[1])


class VoidIn(BaseModel):
    lines: list[VoidLineIn] | None = Field(
        default=None, max_length=10_000, description="Lines of the upload to void; null voids the whole upload"
    )
    reason: str = Field(min_length=1, max_length=500, examples=["duplicate of upload 2026-03-a"])


class VoidOut(BaseModel):
    upload_id: str
    voided: int = Field(description="Lines this request voided (0 when they were voided before)")
    lines: list[str] = Field(description="SHIPMENT_ID:LINE of the lines this request voided")
    already_voided: list[str]
    records_to_rerun: list[str] = Field(description="AGREEMENT@PERIOD whose figures used a voided line")
    records_to_move_back: list[str] = Field(
        description="Records that used a voided line and that a run leaves alone (under review or later)"
    )

    @classmethod
    def of(cls, r: VoidResult) -> VoidOut:
        return cls(
            upload_id=r.upload_id,
            voided=r.count,
            lines=list(r.voided),
            already_voided=list(r.already_voided),
            records_to_rerun=list(r.records_to_rerun),
            records_to_move_back=list(r.frozen_records),
        )
