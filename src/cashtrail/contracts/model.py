"""The contract (agreement) aggregate: header terms, invoicing provisions, and kind-specific lines.

One model serves the three kinds. An MPS agreement has devices and meter plans (cost per page by meter type, tiers,
included volume, minimum per device or pooled) and a base fee per device. A maintenance agreement has units with a
fixed fee per period, callout terms and an optional escalation clause. A subscription has fee lines whose quantity
changes over time. Invariants (:func:`check_contract`): the validity window is ordered, the first billing date lies
in it, every device and unit is unique, tier tables are well-formed, escalation coefficients sum to one.

Contracts are versioned: an amendment raises ``version`` and records what changed in the audit trail; billing
already issued for a changed period is corrected by credit note and rebill, never by editing an invoice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cashtrail.billing.callouts import CalloutTerms
from cashtrail.billing.usage import Tier, TierMode, check_tiers
from cashtrail.contracts.escalation import EscalationClause, check_clause
from cashtrail.contracts.terms import Frequency, Proration, Timing
from cashtrail.errors import FieldError


class ContractKind(StrEnum):
    MPS = "mps"
    MAINTENANCE = "maintenance"
    SUBSCRIPTION = "subscription"
    PROJECT = "project"  # a repair or modernisation job billed in stages against a contract value


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    IN_AMENDMENT = "in_amendment"
    CANCELLED = "cancelled"
    ENDED = "ended"


class Grouping(StrEnum):
    """How a contract's charges are grouped into invoices."""

    PER_CONTRACT = "per_contract"
    PER_CUSTOMER = "per_customer"  # consolidated: every contract of the bill-to customer on one invoice
    PER_SITE = "per_site"
    PER_ASSET = "per_asset"


class Pooling(StrEnum):
    PER_DEVICE = "per_device"
    POOLED = "pooled"


class TonerPeriod(StrEnum):
    """The toner reconciliation period an MPS contract states (the values of ``toner.ReconciliationPeriod``).

    Kept here because contracts sit below toner: toner reads contracts and compares this with its set-up's period.
    """

    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


@dataclass(frozen=True)
class MeterPlan:
    """How one meter type (mono, colour, scan …) is charged."""

    meter_type: str
    tiers: tuple[Tier, ...]
    mode: TierMode = TierMode.GRADUATED
    included_volume: int = 0  # per device, or per agreement when pooled
    minimum_charge: Decimal = Decimal(0)  # per device, or per agreement when pooled


@dataclass(frozen=True)
class Device:
    serial: str
    model: str
    site: str
    installed_on: date
    removed_on: date | None = None
    meters: tuple[str, ...] = ("mono",)


@dataclass(frozen=True)
class MaintenanceUnit:
    unit_id: str
    site: str
    description: str
    fee_per_period: Decimal
    active_from: date
    active_to: date | None = None


@dataclass(frozen=True)
class FeeLine:
    """A recurring fee: ``quantity`` × ``unit_price`` per period, with quantity changes by date."""

    line_id: str
    description: str
    product_sku: str
    unit_price: Decimal
    quantity_changes: tuple[tuple[date, Decimal], ...]  # (effective date, new quantity), sorted
    site: str = ""

    def quantity_on(self, day: date) -> Decimal:
        """The quantity in force on ``day`` (zero before the first change)."""
        quantity = Decimal(0)
        for effective, value in self.quantity_changes:
            if effective <= day:
                quantity = value
        return quantity


@dataclass(eq=False)
class Contract:
    number: str
    customer_number: str
    kind: str
    currency: str
    start_date: date
    frequency: str = Frequency.MONTHLY
    timing: str = Timing.ADVANCE
    first_billing_date: date | None = None
    end_date: date | None = None
    proration: str = Proration.ACTUAL_DAYS
    grouping: str = Grouping.PER_CONTRACT
    po_required: bool = False
    po_number: str | None = None
    minimum_invoice_amount: Decimal = Decimal(0)
    status: str = ContractStatus.ACTIVE
    version: int = 1
    estimate_missing_reads: bool = False  # bill a missing closing read from the trailing average, trued up later
    toner_included: bool = False
    coverage_allowance_percent: Decimal | None = None
    toner_reconciliation_period: str | None = None  # a TonerPeriod; None: the contract is silent
    pooling: str = Pooling.POOLED
    base_fee_per_device: Decimal = Decimal(0)
    meter_plans: list[MeterPlan] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    units: list[MaintenanceUnit] = field(default_factory=list)
    callout_terms: CalloutTerms | None = None
    escalation: EscalationClause | None = None
    fee_lines: list[FeeLine] = field(default_factory=list)
    #: A project's agreed value (net of VAT): its stage invoices never bill more in total.
    contract_value: Decimal | None = None
    id: int | None = None

    @property
    def billing_anchor(self) -> date:
        """The date billing periods align on."""
        return self.first_billing_date or self.start_date

    def is_active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def plan_for(self, meter_type: str) -> MeterPlan | None:
        return next((p for p in self.meter_plans if p.meter_type == meter_type), None)


def check_contract(contract: Contract) -> list[FieldError]:
    """Every problem with ``contract`` (empty when valid)."""
    errors: list[FieldError] = []
    if not contract.number.strip():
        errors.append(FieldError("number", "is required"))
    if contract.kind not in ContractKind.__members__.values():
        errors.append(FieldError("kind", f"must be one of {', '.join(ContractKind)}", value=contract.kind))
    if contract.end_date is not None and contract.end_date < contract.start_date:
        errors.append(FieldError("end_date", "is before start_date", value=contract.end_date))
    if contract.first_billing_date is not None and not contract.is_active_on(contract.first_billing_date):
        errors.append(
            FieldError("first_billing_date", "is outside the contract's validity", value=contract.first_billing_date)
        )
    for name, enum in (
        ("frequency", Frequency),
        ("timing", Timing),
        ("proration", Proration),
        ("grouping", Grouping),
        ("pooling", Pooling),
    ):
        if getattr(contract, name) not in enum.__members__.values():
            errors.append(FieldError(name, f"must be one of {', '.join(enum)}", value=getattr(contract, name)))
    period = contract.toner_reconciliation_period
    if period is not None and period not in TonerPeriod.__members__.values():
        errors.append(
            FieldError("toner_reconciliation_period", f"must be one of {', '.join(TonerPeriod)}", value=period)
        )
    errors.extend(_check_lines(contract))
    return errors


def _check_lines(contract: Contract) -> list[FieldError]:
    errors: list[FieldError] = []
    serials = [d.serial for d in contract.devices]
    for serial in sorted({s for s in serials if serials.count(s) > 1}):
        errors.append(FieldError("devices", "serial appears twice", value=serial))
    units = [u.unit_id for u in contract.units]
    for unit in sorted({u for u in units if units.count(u) > 1}):
        errors.append(FieldError("units", "unit appears twice", value=unit))
    for plan in contract.meter_plans:
        errors.extend(FieldError(f"meter_plans.{plan.meter_type}", problem) for problem in check_tiers(plan.tiers))
    if contract.escalation is not None:
        errors.extend(check_clause(contract.escalation))
    if contract.kind == ContractKind.MPS and not contract.meter_plans:
        errors.append(FieldError("meter_plans", "an MPS agreement needs at least one meter plan"))
    if contract.kind == ContractKind.PROJECT and (contract.contract_value is None or contract.contract_value <= 0):
        errors.append(FieldError("contract_value", "a project needs a positive contract value"))
    if contract.toner_included and contract.coverage_allowance_percent is None:
        errors.append(FieldError("coverage_allowance_percent", "is required when toner is included"))
    return errors
