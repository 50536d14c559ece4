"""The toner reconciliation calculation, per agreement, period and toner colour (docs/domain/toner.md).

For colour c: ``capacity_shipped_c`` = Σ signed quantity × rated yield (returns subtract, defective replacements
count zero); ``capacity_expected_c`` = pages_c × allowance ÷ 5 %; ``tolerance_c`` = tolerance % × expected plus the
fixed spare allowance; ``excess_pages_c`` = max(0, shipped − expected − tolerance). The charge is excess × the
capacity-weighted cost per yield page × (1 + markup), or excess cartridge equivalents × a fixed price, rounded
half-up to the currency's minor unit once, on the charge line. Under-consumption is reported as
``shortfall_pages``, never credited. With per-device pooling the same runs per device and the positive excesses
are summed; the device results are kept on the agreement result.

Invariants: full ``Decimal`` precision until the charge line; every result carries the shipment and billing lines
it was computed from; nothing here does IO or raises on bad data except a missing set-up (findings report data
problems, see :mod:`cashtrail.toner.findings`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from cashtrail.contracts.terms import Period
from cashtrail.money import Money, Rounding, total
from cashtrail.toner.data import ReconciliationData
from cashtrail.toner.errors import NoSetupError
from cashtrail.toner.model import (
    ISO_COVERAGE_PERCENT,
    BillingLine,
    ExcessPricing,
    PartIndex,
    Parts,
    Pooling,
    ReconciliationSetup,
    ShipmentLine,
    ShipmentStatus,
    TonerColour,
    any_part,
    part_on,
)

HUNDRED = Decimal(100)
CENTS = Decimal("0.01")
ZERO = Decimal(0)
RETURNED, REPLACEMENT = ShipmentStatus.RETURNED, ShipmentStatus.DEFECTIVE_REPLACEMENT


@dataclass(frozen=True)
class ColourResult:
    """The reconciliation of one colour for an agreement (``serial`` None) or one device."""

    colour: TonerColour
    pages: int
    capacity_shipped: int
    capacity_expected: Decimal
    tolerance: Decimal
    excess_pages: Decimal
    shortfall_pages: Decimal
    cost_per_yield_page: Decimal | None
    excess_cartridges: Decimal | None
    effective_coverage_percent: Decimal | None
    raw_charge: Money | None  # full precision; None when the excess cannot be priced
    shipments: tuple[ShipmentLine, ...]
    billing: tuple[BillingLine, ...]
    serial: str | None = None
    devices: tuple[ColourResult, ...] = ()

    @property
    def charge(self) -> Money | None:
        """The excess charge, rounded half-up to the minor unit (the charge line)."""
        return None if self.raw_charge is None else self.raw_charge.rounded(Rounding.HALF_UP)


@dataclass(frozen=True)
class Reconciliation:
    """The result for one agreement and period: one :class:`ColourResult` per colour reconciled."""

    agreement: str
    period: Period
    setup: ReconciliationSetup
    colours: tuple[ColourResult, ...]

    def colour(self, colour: TonerColour) -> ColourResult | None:
        return next((c for c in self.colours if c.colour == colour), None)

    @property
    def total_charge(self) -> Money | None:
        """Sum of the rounded colour charges; ``None`` when any colour cannot be priced."""
        charges = [c.charge for c in self.colours]
        if any(c is None for c in charges):
            return None
        return total((c for c in charges if c is not None), self.setup.currency)


def reconcile(data: ReconciliationData) -> Reconciliation:
    """Reconcile ``data.agreement`` over ``data.period``; raise :class:`NoSetupError` without a toner set-up."""
    setup = data.setup()
    if setup is None or not setup.toner_included:
        raise NoSetupError(data.agreement, data.period)
    lines = data.agreement_shipments()
    billing = data.agreement_billing()
    results = []
    by_colour: dict[TonerColour | None, list[ShipmentLine]] = {}
    for line in lines:
        by_colour.setdefault(colour_of(line, data.catalog), []).append(line)
    for colour in colours_to_reconcile(lines, billing, data.catalog):
        own = by_colour.get(colour, [])
        if setup.pooling == Pooling.PER_DEVICE:
            results.append(_pooled_per_device(colour, own, billing, setup, data.catalog))
        else:
            results.append(colour_result(colour, own, billing, setup, data.catalog))
    return Reconciliation(data.agreement, data.period, setup, tuple(results))


def colour_of(line: ShipmentLine, parts: Parts) -> TonerColour | None:
    """The toner colour of the line's part, or ``None`` for an unknown part."""
    if isinstance(parts, PartIndex):
        return parts.colours.get(line.part_number)
    part = any_part(parts, line.part_number)
    return None if part is None else part.colour


def colours_to_reconcile(
    lines: Sequence[ShipmentLine], billing: Sequence[BillingLine], parts: Parts
) -> list[TonerColour]:
    """Colours with shipments in the period, plus black whenever pages were billed."""
    found = {colour_of(line, parts) for line in lines}
    if any(b.mono_pages or b.colour_pages for b in billing):
        found.add(TonerColour.BLACK)
    return [c for c in TonerColour if c in found]


def capacity_shipped(lines: Sequence[ShipmentLine], parts: Parts) -> int:
    """Σ signed quantity × rated yield; unknown parts add nothing (they are a finding)."""
    if isinstance(parts, PartIndex):
        yields = parts.yields
        total = 0
        for line in lines:  # a plain loop, signed quantity inlined: this runs for every pool, device and period
            status = line.status
            if status == RETURNED:
                total -= line.quantity * yields.get(line.part_number, 0)
            elif status != REPLACEMENT:
                total += line.quantity * yields.get(line.part_number, 0)
        return total
    capacity = 0
    for line in lines:
        part = any_part(parts, line.part_number)
        if part is not None:
            capacity += line.signed_quantity * part.rated_yield
    return capacity


def cost_per_yield_page(lines: Sequence[ShipmentLine], parts: Parts, currency: str) -> Money | None:
    """Σ (signed quantity × cost on the ship date) ÷ capacity shipped.

    ``None`` when there is no capacity, or a line that counts has no cost in ``currency`` on its ship date (a cost in
    another currency counts as missing: converting would need a rate the contract does not give).
    """
    capacity = capacity_shipped(lines, parts)
    spent = Decimal(0)
    on = parts.on if isinstance(parts, PartIndex) else partial(part_on, parts)
    for line in lines:
        quantity = line.signed_quantity
        if not quantity:
            continue
        part = on(line.part_number, line.shipped_on)
        if part is None or part.currency != currency:
            return None
        spent += part.cost * quantity
    if capacity <= 0:
        return None
    return Money(spent / capacity, currency)


def colour_result(
    colour: TonerColour,
    lines: Sequence[ShipmentLine],
    billing: Sequence[BillingLine],
    setup: ReconciliationSetup,
    parts: Parts,
    serial: str | None = None,
) -> ColourResult:
    """The reconciliation of ``colour`` over ``lines`` and ``billing`` as one pool."""
    return _pool(colour, lines, billing, setup, parts, serial, _reference_yield(colour, setup, parts))


def _pool(
    colour: TonerColour,
    lines: Sequence[ShipmentLine],
    billing: Sequence[BillingLine],
    setup: ReconciliationSetup,
    parts: Parts,
    serial: str | None,
    reference_yield: int | None,
) -> ColourResult:
    """:func:`colour_result` with the colour's reference yield worked out by the caller (once per colour)."""
    mono_pages = colour_pages = 0
    for b in billing:
        mono_pages += b.mono_pages
        colour_pages += b.colour_pages
    pages = colour_pages + mono_pages if colour == TonerColour.BLACK else colour_pages
    shipped = capacity_shipped(lines, parts)
    expected = pages * setup.allowance_percent / ISO_COVERAGE_PERCENT
    tolerance = setup.tolerance_percent / HUNDRED * expected + setup.spare_allowance_pages
    over = shipped - expected - tolerance
    excess = over if over > ZERO else ZERO  # max(0, over), the same Decimal
    # A device pool without excess charges nothing: its cost per yield page is not needed (nor computed).
    unit = None if serial is not None and not excess else cost_per_yield_page(lines, parts, setup.currency)
    under = expected - shipped
    return ColourResult(
        colour=colour,
        pages=pages,
        capacity_shipped=shipped,
        capacity_expected=expected,
        tolerance=tolerance,
        excess_pages=excess,
        shortfall_pages=under if under > ZERO else ZERO,
        cost_per_yield_page=None if unit is None else unit.amount,
        excess_cartridges=_cartridges(excess, reference_yield),
        effective_coverage_percent=effective_coverage(shipped, pages),
        raw_charge=_raw_charge(excess, unit, reference_yield, setup),
        shipments=tuple(lines),
        billing=tuple(billing),
        serial=serial,
    )


def effective_coverage(shipped: int, pages: int) -> Decimal | None:
    """5 % × capacity shipped ÷ pages, in percent to 2 decimals; undefined (``None``) without pages."""
    if pages == 0:
        return None
    return (ISO_COVERAGE_PERCENT * shipped / pages).quantize(CENTS, rounding=ROUND_HALF_UP)


def _reference_yield(colour: TonerColour, setup: ReconciliationSetup, parts: Parts) -> int | None:
    number = setup.reference_parts.get(colour)
    part = None if number is None else any_part(parts, number)
    return None if part is None or part.rated_yield <= 0 else part.rated_yield


def _cartridges(excess: Decimal, reference_yield: int | None) -> Decimal | None:
    if reference_yield is None:
        return None
    return (excess / reference_yield).quantize(CENTS, rounding=ROUND_HALF_UP)


_ZEROS: dict[str, Money] = {}


def _zero(currency: str) -> Money:
    """Zero in ``currency``, made once per currency (Money is immutable; a device pool without excess needs one)."""
    found = _ZEROS.get(currency)
    if found is None:
        found = _ZEROS[currency] = Money.zero(currency)
    return found


def _raw_charge(
    excess: Decimal, unit: Money | None, reference_yield: int | None, setup: ReconciliationSetup
) -> Money | None:
    if excess == 0:
        return _zero(setup.currency)
    if setup.pricing == ExcessPricing.PER_CARTRIDGE:
        if reference_yield is None or setup.price_per_cartridge is None:
            return None
        # The price per cartridge is a selling price already: no markup on top.
        return Money(excess / reference_yield * setup.price_per_cartridge, setup.currency)
    if unit is None:
        return None
    return unit * excess * (1 + setup.markup_percent / HUNDRED)


def _pooled_per_device(
    colour: TonerColour,
    lines: Sequence[ShipmentLine],
    billing: Sequence[BillingLine],
    setup: ReconciliationSetup,
    parts: Parts,
) -> ColourResult:
    """Per-device pooling: one pool per serial (lines without a serial form their own pool), excesses summed."""
    devices = _device_results(colour, lines, billing, setup, parts)
    whole = colour_result(colour, lines, billing, setup, parts)
    excess = sum((d.excess_pages for d in devices), Decimal(0))
    raw = [d.raw_charge for d in devices]
    charge = None if any(r is None for r in raw) else total((r for r in raw if r is not None), setup.currency)
    reference_yield = _reference_yield(colour, setup, parts)
    return ColourResult(
        colour=colour,
        pages=whole.pages,
        capacity_shipped=whole.capacity_shipped,
        capacity_expected=sum((d.capacity_expected for d in devices), Decimal(0)),
        tolerance=sum((d.tolerance for d in devices), Decimal(0)),
        excess_pages=excess,
        shortfall_pages=sum((d.shortfall_pages for d in devices), Decimal(0)),
        cost_per_yield_page=whole.cost_per_yield_page,
        excess_cartridges=_cartridges(excess, reference_yield),
        effective_coverage_percent=whole.effective_coverage_percent,
        raw_charge=charge,
        shipments=whole.shipments,
        billing=whole.billing,
        devices=devices,
    )


def _device_results(
    colour: TonerColour,
    lines: Sequence[ShipmentLine],
    billing: Sequence[BillingLine],
    setup: ReconciliationSetup,
    parts: Parts,
) -> tuple[ColourResult, ...]:
    """One result per serial, in serial order; the pool without a serial comes last."""
    by_line: dict[str | None, list[ShipmentLine]] = {}
    by_bill: dict[str | None, list[BillingLine]] = {}
    for line in lines:
        by_line.setdefault(line.serial, []).append(line)
    for b in billing:
        by_bill.setdefault(b.serial, []).append(b)
    serials = sorted(set(by_line) | set(by_bill), key=lambda s: (s is None, s))
    reference_yield = _reference_yield(colour, setup, parts)
    return tuple(
        _pool(colour, by_line.get(serial, []), by_bill.get(serial, []), setup, parts, serial, reference_yield)
        for serial in serials
    )
