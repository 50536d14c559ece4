"""Contract payloads (read side). Decimals are strings; rates keep their full precision."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from cashtrail.api.schemas.common import decimal_text, money_text
from cashtrail.contracts.model import Contract


class DeviceOut(BaseModel):
    serial: str
    model: str
    site: str
    installed_on: date
    removed_on: date | None
    meters: list[str]


class TierOut(BaseModel):
    up_to: int | None
    rate: str


class MeterPlanOut(BaseModel):
    meter_type: str
    mode: str
    tiers: list[TierOut]
    included_volume: int
    minimum_charge: str


class UnitOut(BaseModel):
    unit_id: str
    site: str
    description: str
    fee_per_period: str
    active_from: date
    active_to: date | None


class FeeLineOut(BaseModel):
    line_id: str
    description: str
    product_sku: str
    unit_price: str
    quantity_changes: list[tuple[date, str]]


class ContractOut(BaseModel):
    number: str
    customer_number: str
    kind: str
    currency: str
    status: str
    version: int
    start_date: date
    end_date: date | None
    frequency: str
    timing: str
    first_billing_date: date | None
    proration: str
    grouping: str
    po_required: bool
    po_number: str | None
    minimum_invoice_amount: str
    pooling: str
    base_fee_per_device: str
    estimate_missing_reads: bool
    toner_included: bool
    coverage_allowance_percent: str | None
    toner_reconciliation_period: str | None = Field(
        description="quarterly, half_yearly or yearly; null when the contract is silent on it."
    )
    devices: list[DeviceOut]
    meter_plans: list[MeterPlanOut]
    units: list[UnitOut]
    fee_lines: list[FeeLineOut]

    @classmethod
    def of(cls, c: Contract) -> ContractOut:
        cur = c.currency
        return cls(
            number=c.number,
            customer_number=c.customer_number,
            kind=c.kind,
            currency=cur,
            status=c.status,
            version=c.version,
            start_date=c.start_date,
            end_date=c.end_date,
            frequency=c.frequency,
            timing=c.timing,
            first_billing_date=c.first_billing_date,
            proration=c.proration,
            grouping=c.grouping,
            po_required=c.po_required,
            po_number=c.po_number,
            minimum_invoice_amount=money_text(c.minimum_invoice_amount, cur),
            pooling=c.pooling,
            base_fee_per_device=decimal_text(c.base_fee_per_device),
            estimate_missing_reads=c.estimate_missing_reads,
            toner_included=c.toner_included,
            coverage_allowance_percent=None
            if c.coverage_allowance_percent is None
            else decimal_text(c.coverage_allowance_percent),
            toner_reconciliation_period=c.toner_reconciliation_period,
            devices=[
                DeviceOut(
                    serial=d.serial,
                    model=d.model,
                    site=d.site,
                    installed_on=d.installed_on,
                    removed_on=d.removed_on,
                    meters=list(d.meters),
                )
                for d in c.devices
            ],
            meter_plans=[
                MeterPlanOut(
                    meter_type=p.meter_type,
                    mode=p.mode,
                    included_volume=p.included_volume,
                    minimum_charge=money_text(p.minimum_charge, cur),
                    tiers=[TierOut(up_to=t.up_to, rate=decimal_text(t.rate)) for t in p.tiers],
                )
                for p in c.meter_plans
            ],
            units=[
                UnitOut(
                    unit_id=u.unit_id,
                    site=u.site,
                    description=u.description,
                    fee_per_period=money_text(u.fee_per_period, cur),
                    active_from=u.active_from,
                    active_to=u.active_to,
                )
                for u in c.units
            ],
            fee_lines=[
                FeeLineOut(
                    line_id=f.line_id,
                    description=f.description,
                    product_sku=f.product_sku,
                    unit_price=decimal_text(f.unit_price),
                    quantity_changes=[(d, decimal_text(q)) for d, q in f.quantity_changes],
                )
                for f in c.fee_lines
            ],
        )


class ContractPage(BaseModel):
    items: list[ContractOut]
    next_cursor: str | None
