"""MPS toner reconciliation (TREC): the facts a reconciliation rests on.

Concepts: a :class:`CartridgePart` (rated yield in pages at 5 % coverage per ISO/IEC 19752/19798, and a cost valid
from a date; a part may have several rows, one per cost change); a :class:`ModelMapping` (which parts fit a device
model); a :class:`ShipmentLine` (one uploaded line of a cartridge shipment, a return or a defective replacement); a
:class:`BillingLine` (billed pages of an agreement, or of one device, in a period); the
:class:`ReconciliationSetup` (how an agreement's toner is reconciled) and the :class:`ContractTerms` it must agree
with (:class:`cashtrail.toner.data.ReconciliationData` bundles everything one agreement and period need).

Invariants: every quantity, yield and page count is a whole number ≥ 0 (a return is a line with status
``returned`` and a positive quantity, never a negative quantity); percentages are ``Decimal`` percent (``5`` means
5 %); costs are ``Decimal`` with an ISO 4217 currency; business time is ``datetime.date``. Nothing here does IO.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cashtrail.contracts.model import Contract, Device
from cashtrail.contracts.model import Pooling as ContractPooling
from cashtrail.contracts.terms import Frequency, Period, billing_period_containing
from cashtrail.errors import FieldError
from cashtrail.money import Money

#: The page coverage at which rated yields are stated (ISO/IEC 19752 mono, ISO/IEC 19798 colour), in percent.
ISO_COVERAGE_PERCENT = Decimal(5)


class TonerColour(StrEnum):
    BLACK = "black"
    CYAN = "cyan"
    MAGENTA = "magenta"
    YELLOW = "yellow"


class YieldClass(StrEnum):
    STANDARD = "standard"
    HIGH = "high"


class ShipmentStatus(StrEnum):
    SHIPPED = "shipped"
    RETURNED = "returned"
    DEFECTIVE_REPLACEMENT = "defective_replacement"


class ReconciliationPeriod(StrEnum):
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def frequency(self) -> Frequency:
        return Frequency(self.value)


class Pooling(StrEnum):
    PER_AGREEMENT = "per_agreement"
    PER_DEVICE = "per_device"


class ExcessPricing(StrEnum):
    COST_PLUS = "cost_plus"  # excess yield pages × capacity-weighted cost per yield page × (1 + markup)
    PER_CARTRIDGE = "per_cartridge"  # excess cartridge equivalents × a fixed price per cartridge


@dataclass(frozen=True)
class CartridgePart:
    """One cost row of a cartridge part; the row in force on a day is the latest with ``valid_from`` ≤ day."""

    part_number: str
    colour: TonerColour
    rated_yield: int  # pages at 5 % coverage
    cost: Decimal
    currency: str
    valid_from: date

    @property
    def unit_cost(self) -> Money:
        return Money(self.cost, self.currency)


@dataclass(frozen=True)
class ModelMapping:
    """A part that fits a device model; ``starter_yield`` is the yield of the cartridge in the box, if any."""

    model: str
    part_number: str
    yield_class: YieldClass = YieldClass.STANDARD
    starter_yield: int | None = None


@dataclass(frozen=True, slots=True)
class ShipmentLine:
    """One uploaded shipment line; ``agreement`` or ``ship_to`` names the destination.

    Slots, as :class:`BillingLine`: a run holds a year of lines (about 650,000 per shard at the benchmark's size);
    without an instance dict each is built about a quarter faster and takes 40 % less memory.
    """

    shipment_id: str
    line: int
    shipped_on: date
    part_number: str
    quantity: int
    upload_id: str
    agreement: str = ""
    ship_to: str = ""
    serial: str | None = None
    status: ShipmentStatus = ShipmentStatus.SHIPPED
    row_id: int | None = field(default=None, compare=False)  # the stored row, for traces

    @property
    def signed_quantity(self) -> int:
        """Quantity as consumption: shipped +q, returned −q, defective replacement 0."""
        if self.status == ShipmentStatus.RETURNED:
            return -self.quantity
        if self.status == ShipmentStatus.DEFECTIVE_REPLACEMENT:
            return 0
        return self.quantity


@dataclass(frozen=True, slots=True)
class BillingLine:
    """Billed pages from the billing report; ``serial`` is set when the report is per device (slots: see
    :class:`ShipmentLine`; a shard holds about 1.2 million of these)."""

    agreement: str
    period: Period
    mono_pages: int
    colour_pages: int
    billed_asset_count: int
    invoice_number: str
    serial: str | None = None
    row_id: int | None = field(default=None, compare=False)  # the stored row, for traces

    def pages_for(self, colour: TonerColour) -> int:
        """Pages drawing on ``colour``: black toner serves mono and colour pages, C/M/Y colour pages only."""
        return self.mono_pages + self.colour_pages if colour == TonerColour.BLACK else self.colour_pages


@dataclass(frozen=True)
class ReconciliationSetup:
    """How one agreement's toner is reconciled, valid from ``valid_from`` to ``valid_to`` (inclusive)."""

    agreement: str
    valid_from: date
    currency: str
    toner_included: bool = True
    allowance_percent: Decimal = Decimal(5)
    tolerance_percent: Decimal = Decimal(0)
    spare_allowance_pages: int = 0  # fixed, per colour and reconciliation period, in yield pages
    period: ReconciliationPeriod = ReconciliationPeriod.QUARTERLY
    pooling: Pooling = Pooling.PER_AGREEMENT
    markup_percent: Decimal = Decimal(0)
    pricing: ExcessPricing = ExcessPricing.COST_PLUS
    price_per_cartridge: Decimal | None = None
    reference_parts: Mapping[TonerColour, str] = field(default_factory=dict, hash=False)  # keeps set-ups hashable
    ship_tos: frozenset[str] = frozenset()
    valid_to: date | None = None

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def serves(self, line: ShipmentLine) -> bool:
        """True when ``line`` is addressed to this set-up's agreement or one of its ship-tos."""
        return line.agreement == self.agreement or (bool(line.ship_to) and line.ship_to in self.ship_tos)

    def period_containing(self, day: date, anchor: date) -> Period:
        """The reconciliation period (aligned on ``anchor``) that contains ``day``."""
        return billing_period_containing(day, anchor, self.period.frequency)


@dataclass(frozen=True)
class ContractTerms:
    """What the contract says about toner; ``None`` means the contract is silent on that term."""

    agreement: str
    toner_included: bool
    allowance_percent: Decimal | None = None
    tolerance_percent: Decimal | None = None
    period: ReconciliationPeriod | None = None
    pooling: Pooling | None = None
    devices: tuple[Device, ...] = ()

    def devices_in(self, period: Period) -> tuple[Device, ...]:
        """Devices on the agreement for at least one day of ``period``."""
        start, end = period.start, period.end
        if end < start:
            return ()
        # overlap_days(installed_on, removed_on) > 0, without a call per device (this runs for every billed month)
        return tuple(
            d
            for d in self.devices
            if (first := d.installed_on or start) <= end and start <= (last := d.removed_on or end) and first <= last
        )


def terms_from_contract(contract: Contract) -> ContractTerms:
    """The toner terms of a contract aggregate (tolerance is not on the contract yet)."""
    pooling = Pooling.PER_DEVICE if contract.pooling == ContractPooling.PER_DEVICE else Pooling.PER_AGREEMENT
    stated = contract.toner_reconciliation_period
    return ContractTerms(
        agreement=contract.number,
        toner_included=contract.toner_included,
        allowance_percent=contract.coverage_allowance_percent,
        period=None if stated is None else ReconciliationPeriod(stated),
        pooling=pooling,
        devices=tuple(contract.devices),
    )


_UNKNOWN = CartridgePart("", TonerColour.BLACK, 0, Decimal(0), "", date.min)  # "not looked up yet", by identity


class PartIndex:
    """The cost rows of the catalog by part number, oldest first, for lookups in constant time."""

    def __init__(self, parts: Sequence[CartridgePart]) -> None:
        rows: dict[str, list[CartridgePart]] = {}
        for part in sorted(parts, key=lambda p: p.valid_from):
            rows.setdefault(part.part_number, []).append(part)
        self.rows = rows
        self.colours = {number: found[0].colour for number, found in rows.items()}
        self.yields = {number: found[0].rated_yield for number, found in rows.items()}
        self._on: dict[tuple[str, date], CartridgePart | None] = {}

    def first(self, part_number: str) -> CartridgePart | None:
        """The earliest row of the part (yield and colour), or ``None`` for an unknown part."""
        found = self.rows.get(part_number)
        return found[0] if found else None

    def on(self, part_number: str, day: date) -> CartridgePart | None:
        """The row in force on ``day``: the latest with ``valid_from`` ≤ day (remembered: days and parts repeat)."""
        key = (part_number, day)
        found = self._on.get(key, _UNKNOWN)
        if found is not _UNKNOWN:
            return found
        chosen = None
        for part in self.rows.get(part_number, ()):
            if part.valid_from > day:
                break
            chosen = part
        self._on[key] = chosen
        return chosen


Parts = Sequence[CartridgePart] | PartIndex


def part_on(parts: Parts, part_number: str, day: date) -> CartridgePart | None:
    """The cost row of ``part_number`` in force on ``day``, or ``None`` when it has none."""
    if isinstance(parts, PartIndex):
        return parts.on(part_number, day)
    rows = [p for p in parts if p.part_number == part_number and p.valid_from <= day]
    return max(rows, key=lambda p: p.valid_from, default=None)


def any_part(parts: Parts, part_number: str) -> CartridgePart | None:
    """The earliest row of ``part_number``: yield and colour are properties of the part, not of its price."""
    if isinstance(parts, PartIndex):
        return parts.first(part_number)
    rows = [p for p in parts if p.part_number == part_number]
    return min(rows, key=lambda p: p.valid_from, default=None)


def check_setup(setup: ReconciliationSetup) -> list[FieldError]:
    """Every problem with ``setup`` (empty when valid)."""
    errors: list[FieldError] = []
    if not setup.agreement.strip():
        errors.append(FieldError("agreement", "is required"))
    if setup.allowance_percent <= 0:
        errors.append(FieldError("allowance_percent", "must be above zero", value=setup.allowance_percent))
    for name in ("tolerance_percent", "markup_percent", "spare_allowance_pages"):
        if getattr(setup, name) < 0:
            errors.append(FieldError(name, "must not be negative", value=getattr(setup, name)))
    if setup.valid_to is not None and setup.valid_to < setup.valid_from:
        errors.append(FieldError("valid_to", "is before valid_from", value=setup.valid_to))
    if setup.pricing == ExcessPricing.PER_CARTRIDGE and setup.price_per_cartridge is None:
        errors.append(FieldError("price_per_cartridge", "is required when pricing is per cartridge"))
    if setup.pricing == ExcessPricing.PER_CARTRIDGE and not setup.reference_parts:
        errors.append(FieldError("reference_parts", "are required when pricing is per cartridge"))
    return errors
