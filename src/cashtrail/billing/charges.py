"""Charges: what a contract owes for a run month, each line explaining itself.

A monthly bill run over month M bills, per contract:
- recurring fees (MPS base fee per device, maintenance fee per unit, subscription fee lines) for every billing
  period due in M (in advance: periods starting in M; in arrears: periods ending in M), prorated by actual days for
  devices, units and quantities active for part of the period, and multiplied by the escalation factor in force;
- MPS usage of month M (always monthly, in arrears), rated per meter plan, pooled over the agreement or per device,
  with included volumes and minimum commitments (a separate shortfall line);
- every back-reported service job completed in or before M and not billed yet.

Amounts are computed at full precision and quantized once per charge line (half-up, currency minor unit). Each
charge carries a ``key`` unique per contract, period and source, so a re-run recognises what it already billed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cashtrail.billing.callouts import CalloutTerms, PartUsed, RateClass, rate_job, split_minutes
from cashtrail.billing.meters import Usage
from cashtrail.billing.usage import rate_usage, shortfall
from cashtrail.contracts.model import Contract, Device, MeterPlan, Pooling
from cashtrail.contracts.terms import Frequency, Period, Proration, Timing, due_periods, prorate
from cashtrail.money import Money


class ChargeKind(StrEnum):
    FEE = "fee"
    USAGE = "usage"
    SHORTFALL = "shortfall"
    CALLOUT = "callout"
    REPAIR = "repair"
    FUND = "fund"  # a repair paid from the customer's reserve fund (negative)
    TONER = "toner"  # excess toner billed by a reconciliation (a pending charge)
    ORDER = "order"  # an order line whose invoice trigger fired (a pending charge)
    MANUAL = "manual"  # a one-off charge entered by a person (a pending charge)
    STAGE = "stage"  # a completed stage of a project (repair or modernisation), billed against its contract value


@dataclass(frozen=True)
class ServiceJob:
    job_id: str
    contract_number: str
    unit_id: str
    kind: str  # callout kind (breakdown, entrapment …) or "repair"
    completed_on: date
    minutes: Mapping[RateClass, int]
    parts: tuple[PartUsed, ...] = ()
    back_reported: bool = True
    travel: bool = True
    started_at: datetime | None = None  # with ended_at and timezone: minutes are split by the contract's hours
    ended_at: datetime | None = None
    timezone: str = "Europe/Brussels"

    def minutes_by_class(self, terms: CalloutTerms) -> dict[RateClass, int]:
        """The minutes per rate class: as reported, or split from start and end in the site's timezone."""
        if self.minutes or self.started_at is None or self.ended_at is None:
            return dict(self.minutes)
        return split_minutes(self.started_at, self.ended_at, self.timezone, terms)


@dataclass(frozen=True)
class Charge:
    key: str
    contract_number: str
    customer_number: str
    kind: str
    description: str
    period: Period
    quantity: Decimal
    unit_price: Decimal
    amount: Money
    formula: str
    site: str = ""
    asset: str = ""
    source: Mapping[str, str] = field(default_factory=dict)
    meter: str = ""  # usage and shortfall lines: the meter type they rate
    tax_category: str = "standard"  # catalog TaxCategory of what is billed: standard, reduced, zero, exempt
    supply: str = "services"  # goods or services: decides reverse charge vs intra-Community supply cross-border

    def covers_meter(self, serial: str, meter: str) -> bool:
        """True for a usage or shortfall line that rates this device's meter (pooled lines cover every device)."""
        return self.meter == meter and self.asset in ("", serial)


def _line(
    contract: Contract,
    key: str,
    kind: ChargeKind,
    description: str,
    period: Period,
    quantity: Decimal,
    unit_price: Decimal,
    formula: str,
    *,
    raw: Decimal | None = None,
    site: str = "",
    asset: str = "",
    source: Mapping[str, str] | None = None,
    meter: str = "",
) -> Charge:
    amount = Money(quantity * unit_price if raw is None else raw, contract.currency).rounded()
    return Charge(
        f"{contract.number}:{key}",
        contract.number,
        contract.customer_number,
        kind,
        description,
        period,
        quantity,
        unit_price,
        amount,
        formula,
        site,
        asset,
        dict(source or {}),
        meter,
    )


def fee_charges(contract: Contract, run: Period, escalation: Decimal = Decimal(1)) -> list[Charge]:
    """Recurring fees of every billing period due in the run month."""
    charges: list[Charge] = []
    frequency, timing = Frequency(contract.frequency), Timing(contract.timing)
    for period in due_periods(run, contract.billing_anchor, frequency, timing):
        active = Period(max(period.start, contract.start_date), min(period.end, contract.end_date or period.end))
        if active.start > active.end:
            continue
        charges += _device_fees(contract, period, escalation)
        charges += _unit_fees(contract, period, escalation)
        charges += _subscription_fees(contract, period)
    return charges


def _share(contract: Contract, period: Period, start: date, end: date | None) -> tuple[Decimal, str]:
    end = min(d for d in (end, contract.end_date, period.end) if d is not None)
    start = max(start, contract.start_date)
    days = period.overlap_days(start, end)
    factor = prorate(Decimal(1), period, start, end, Proration(contract.proration))
    note = "" if factor == 1 else f" × {days}/{period.days} days"
    return factor, note


def _device_fees(contract: Contract, period: Period, escalation: Decimal) -> list[Charge]:
    if not contract.base_fee_per_device:
        return []
    charges: list[Charge] = []
    price = contract.base_fee_per_device * escalation
    for device in contract.devices:
        factor, note = _share(contract, period, device.installed_on, device.removed_on)
        if factor:
            charges.append(
                _line(
                    contract,
                    f"{period.label()}:fee:{device.serial}",
                    ChargeKind.FEE,
                    f"Base fee {device.model} {device.serial}",
                    period,
                    factor,
                    price,
                    f"base fee {price}{note}",
                    site=device.site,
                    asset=device.serial,
                )
            )
    return charges


def _unit_fees(contract: Contract, period: Period, escalation: Decimal) -> list[Charge]:
    charges: list[Charge] = []
    for unit in contract.units:
        factor, note = _share(contract, period, unit.active_from, unit.active_to)
        if factor:
            price = unit.fee_per_period * escalation
            esc = "" if escalation == 1 else f" (escalated × {escalation})"
            charges.append(
                _line(
                    contract,
                    f"{period.label()}:fee:{unit.unit_id}",
                    ChargeKind.FEE,
                    f"Maintenance {unit.description}",
                    period,
                    factor,
                    price,
                    f"fee {unit.fee_per_period}{esc}{note}",
                    site=unit.site,
                    asset=unit.unit_id,
                )
            )
    return charges


def _subscription_fees(contract: Contract, period: Period) -> list[Charge]:
    charges: list[Charge] = []
    for line in contract.fee_lines:
        edges = sorted({period.start} | {d for d, _ in line.quantity_changes if period.start < d <= period.end})
        raw, parts = Decimal(0), []
        for i, start in enumerate(edges):
            end = edges[i + 1] if i + 1 < len(edges) else None
            last = period.end if end is None else date.fromordinal(end.toordinal() - 1)
            quantity = line.quantity_on(start)
            share = prorate(line.unit_price * quantity, period, start, last, Proration(contract.proration))
            raw += share
            parts.append(f"{quantity} × {line.unit_price} × {period.overlap_days(start, last)}/{period.days}")
        if raw:
            quantity = line.quantity_on(period.end)
            charges.append(
                _line(
                    contract,
                    f"{period.label()}:fee:{line.line_id}",
                    ChargeKind.FEE,
                    line.description,
                    period,
                    quantity,
                    line.unit_price,
                    " + ".join(parts),
                    raw=raw,
                    site=line.site,
                )
            )
    return charges


def usage_charges(contract: Contract, month: Period, usage: Mapping[tuple[str, str], Usage]) -> list[Charge]:
    """MPS usage of ``month`` for every meter plan, pooled or per device, with minimum commitments."""
    charges: list[Charge] = []
    for plan in contract.meter_plans:
        devices = [
            d
            for d in contract.devices
            if plan.meter_type in d.meters and month.overlap_days(d.installed_on, d.removed_on)
        ]
        if contract.pooling == Pooling.POOLED:
            charges += _rate_group(contract, month, plan, devices, usage, plan.meter_type)
        else:
            for device in devices:
                charges += _rate_group(contract, month, plan, [device], usage, f"{plan.meter_type}:{device.serial}")
    return charges


def _rate_group(
    contract: Contract,
    month: Period,
    plan: MeterPlan,
    devices: Sequence[Device],
    usage: Mapping[tuple[str, str], Usage],
    key: str,
) -> list[Charge]:
    found = [(d, usage.get((d.serial, plan.meter_type))) for d in devices]
    # Negative usage (reads going backwards) is held by a block; it never reduces the pool.
    units = sum(max(0, u.units) for _, u in found if u is not None)
    source = {d.serial: u.explain() for d, u in found if u is not None}
    asset = devices[0].serial if len(devices) == 1 else ""
    charges = [
        _line(
            contract,
            f"{month.label()}:usage:{key}:{band.from_unit}",
            ChargeKind.USAGE,
            f"{plan.meter_type.title()} pages {band.from_unit:,}–{band.to_unit:,}",
            month,
            Decimal(band.quantity),
            band.rate,
            f"{units:,} pages − {plan.included_volume:,} included; band at {band.rate}/page",
            asset=asset,
            source=source,
            meter=plan.meter_type,
        )
        for band in rate_usage(units, plan.tiers, plan.mode, plan.included_volume)
    ]
    used = sum((c.quantity * c.unit_price for c in charges), Decimal(0))
    gap = shortfall(used, plan.minimum_charge)
    if gap:
        charges.append(
            _line(
                contract,
                f"{month.label()}:shortfall:{key}",
                ChargeKind.SHORTFALL,
                f"Minimum commitment {plan.meter_type}",
                month,
                Decimal(1),
                gap,
                f"minimum {plan.minimum_charge} − usage {used}",
                asset=asset,
                source=source,
                meter=plan.meter_type,
            )
        )
    return charges


def job_charges(
    contract: Contract, jobs: Sequence[ServiceJob], month: Period, escalation: Decimal = Decimal(1)
) -> list[Charge]:
    """Charges of back-reported jobs completed by the end of ``month`` (the caller drops those already billed)."""
    terms = contract.callout_terms
    if terms is None:
        return []
    charges: list[Charge] = []
    for job in jobs:
        if not job.back_reported or job.completed_on > month.end:
            continue
        kind = ChargeKind.REPAIR if job.kind == "repair" else ChargeKind.CALLOUT
        for i, part in enumerate(rate_job(job.kind, job.minutes_by_class(terms), job.parts, terms, travel=job.travel)):
            price = part.unit_price * escalation if part.kind == "labour" else part.unit_price
            formula = part.formula + (
                f"; hourly rate escalated × {escalation}" if part.kind == "labour" and escalation != 1 else ""
            )
            charges.append(
                _line(
                    contract,
                    f"job:{job.job_id}:{i}",
                    kind,
                    f"{part.description} (job {job.job_id})",
                    Period(job.completed_on, job.completed_on),
                    part.quantity,
                    price,
                    formula,
                    asset=job.unit_id,
                    source={"job": job.job_id},
                )
            )
    return charges
