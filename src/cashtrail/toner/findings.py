"""Toner reconciliation findings: data problems that make the comparison wrong, or that need a look.

Each finding is a :class:`TonerFinding` with a stable code (the table in docs/domain/toner.md), a severity, the
rows it is about and a suggested fix. :func:`find_all` runs every check over one agreement and period and returns
the list (house style E3: a batch check reports, it does not raise). Errors block approval on the huddle board;
warnings are shown but do not block.

Checks on devices (mapping, assets, usage gaps) need the contract terms; the usage-gap checks also need a billing
report per device (lines with a serial). Without them those checks are skipped, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cashtrail.contracts.model import Device
from cashtrail.contracts.terms import Period
from cashtrail.toner.calculation import colour_of
from cashtrail.toner.data import ReconciliationData
from cashtrail.toner.model import (
    BillingLine,
    CartridgePart,
    ContractTerms,
    ReconciliationSetup,
    ShipmentLine,
    ShipmentStatus,
    TonerColour,
    any_part,
    part_on,
)


class FindingCode(StrEnum):
    NO_TONER_CONTRACT = "no_toner_contract"
    NO_CARTRIDGE_COST = "no_cartridge_cost"
    MAPPING_ERROR = "mapping_error"
    ASSET_NOT_ON_CONTRACT = "asset_not_on_contract"
    ASSET_COUNT_MISMATCH = "asset_count_mismatch"
    USAGE_WITHOUT_SHIPMENTS = "usage_without_shipments"
    SHIPMENTS_WITHOUT_USAGE = "shipments_without_usage"
    CARTRIDGE_NOT_UPLOADED = "cartridge_not_uploaded"
    DUPLICATE_SHIPMENT = "duplicate_shipment"
    SETUP_INCONSISTENT = "setup_inconsistent"
    ZERO_PAGES = "zero_pages"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


#: Errors make the calculation wrong or impossible; warnings are plausible situations someone should look at.
SEVERITY: dict[FindingCode, Severity] = {
    FindingCode.NO_TONER_CONTRACT: Severity.ERROR,
    FindingCode.NO_CARTRIDGE_COST: Severity.ERROR,
    FindingCode.MAPPING_ERROR: Severity.ERROR,
    FindingCode.ASSET_NOT_ON_CONTRACT: Severity.ERROR,
    FindingCode.ASSET_COUNT_MISMATCH: Severity.ERROR,
    FindingCode.USAGE_WITHOUT_SHIPMENTS: Severity.WARNING,
    FindingCode.SHIPMENTS_WITHOUT_USAGE: Severity.WARNING,
    FindingCode.CARTRIDGE_NOT_UPLOADED: Severity.WARNING,
    FindingCode.DUPLICATE_SHIPMENT: Severity.ERROR,
    FindingCode.SETUP_INCONSISTENT: Severity.ERROR,
    FindingCode.ZERO_PAGES: Severity.WARNING,
}

_ORDER = {code: index for index, code in enumerate(FindingCode)}  # findings of one severity, by code

SUGGESTED_FIX: dict[FindingCode, str] = {
    FindingCode.NO_TONER_CONTRACT: "add a toner reconciliation set-up valid on the ship date, or correct the ship-to",
    FindingCode.NO_CARTRIDGE_COST: "add a cost for the part valid from the ship date or earlier",
    FindingCode.MAPPING_ERROR: "map the part to the device model, or correct the part or serial on the shipment",
    FindingCode.ASSET_NOT_ON_CONTRACT: "correct the serial on the shipment, or add the device to the agreement",
    FindingCode.ASSET_COUNT_MISMATCH: "reconcile the billed devices with the devices on the agreement",
    FindingCode.USAGE_WITHOUT_SHIPMENTS: "upload the missing shipments for the device, or check its meter reads",
    FindingCode.SHIPMENTS_WITHOUT_USAGE: "check the device's meter reads and billing, or the serial on the shipment",
    FindingCode.CARTRIDGE_NOT_UPLOADED: "upload the missing shipment lines since the last shipment",
    FindingCode.DUPLICATE_SHIPMENT: "delete the duplicate line from the later upload",
    FindingCode.SETUP_INCONSISTENT: "align the reconciliation set-up with the contract's terms",
    FindingCode.ZERO_PAGES: "check the billing report for the period; shipments with no billed pages are all excess",
}

Row = ShipmentLine | BillingLine | CartridgePart | ReconciliationSetup | ContractTerms | Device


@dataclass(frozen=True)
class TonerFinding:
    """One problem found for an agreement and period, with the rows it is about."""

    code: FindingCode
    agreement: str
    message: str
    rows: tuple[Row, ...]
    serial: str | None = None

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.code]

    @property
    def suggested_fix(self) -> str:
        return SUGGESTED_FIX[self.code]

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


Check = Callable[[ReconciliationData], list[TonerFinding]]


def find_all(data: ReconciliationData) -> list[TonerFinding]:
    """Every finding for ``data.agreement`` over ``data.period``, errors first."""
    found = [f for check in CHECKS for f in check(data)]
    return sorted(found, key=lambda f: (not f.is_error, _ORDER[f.code]))


def shipments_without_setup(lines: Sequence[ShipmentLine], setups: Sequence[ReconciliationSetup]) -> list[TonerFinding]:
    """no_toner_contract for each line no set-up with toner included serves on its ship date (any upload)."""
    found = []
    for line in lines:
        valid = [s for s in setups if s.serves(line) and s.is_valid_on(line.shipped_on) and s.toner_included]
        if not valid:
            found.append(
                TonerFinding(
                    FindingCode.NO_TONER_CONTRACT,
                    line.agreement,
                    f"{_ref(line)} went to {_destination(line)}, which has no toner set-up valid on {line.shipped_on}",
                    (line,),
                    line.serial,
                )
            )
    return found


def check_setup_exists(data: ReconciliationData) -> list[TonerFinding]:
    """no_toner_contract over the agreement's lines in the period."""
    return shipments_without_setup(data.agreement_shipments(), data.setups)


def check_costs(data: ReconciliationData) -> list[TonerFinding]:
    """no_cartridge_cost: a shipped part with no cost valid on the ship date (or none in the set-up's currency)."""
    setup = data.setup()
    found = []
    for line in data.agreement_shipments():
        part = part_on(data.catalog, line.part_number, line.shipped_on)
        if part is None:
            problem = f"has no cost valid on {line.shipped_on}"
        elif setup is not None and part.currency != setup.currency:
            problem = f"costs {part.currency}, the set-up reconciles in {setup.currency}"
        else:
            continue
        message = f"part {line.part_number} of {_ref(line)} {problem}"
        found.append(TonerFinding(FindingCode.NO_CARTRIDGE_COST, data.agreement, message, (line,), line.serial))
    return found


def check_assets_and_mapping(data: ReconciliationData) -> list[TonerFinding]:
    """asset_not_on_contract and mapping_error for the agreement's lines in the period."""
    if data.terms is None:
        return []
    devices = {d.serial: d for d in data.devices_in(data.period)}
    found = []
    for line in data.agreement_shipments():
        if line.serial is not None and line.serial not in devices:
            message = f"{_ref(line)} names serial {line.serial}, not on {data.agreement} in {data.period.label()}"
            found.append(TonerFinding(FindingCode.ASSET_NOT_ON_CONTRACT, data.agreement, message, (line,), line.serial))
            continue
        candidates = [devices[line.serial]] if line.serial is not None else list(devices.values())
        if not any(_fits(line.part_number, d.model, data) for d in candidates):
            models = ", ".join(sorted({d.model for d in candidates})) or "no device"
            message = f"part {line.part_number} of {_ref(line)} is not mapped to {models}"
            rows: tuple[Row, ...] = (line, *candidates)
            found.append(TonerFinding(FindingCode.MAPPING_ERROR, data.agreement, message, rows, line.serial))
    return found


def _fits(part_number: str, model: str, data: ReconciliationData) -> bool:
    return (model, part_number) in data.mapped


def check_duplicates(data: ReconciliationData) -> list[TonerFinding]:
    """duplicate_shipment: the same shipment line twice, or the same content in two uploads."""
    by_id: dict[tuple[str, int], list[ShipmentLine]] = defaultdict(list)
    by_content: dict[tuple[object, ...], list[ShipmentLine]] = defaultdict(list)
    for line in data.agreement_shipments():
        by_id[(line.shipment_id, line.line)].append(line)
        # The same delivery: serial, part, quantity, date, status; without a serial, the destination as on the line.
        serial = line.serial
        where = ("", "") if serial is not None else (line.agreement, line.ship_to)
        by_content[(serial, where, line.part_number, line.quantity, line.shipped_on, line.status)].append(line)
    found = []
    for (shipment_id, number), group in by_id.items():
        if len(group) > 1:
            message = f"shipment {shipment_id} line {number} appears {len(group)} times"
            found.append(TonerFinding(FindingCode.DUPLICATE_SHIPMENT, data.agreement, message, tuple(group)))
    for group in by_content.values():
        if len(group) > 1 and _resent(group):
            first = group[0]
            what = f"serial {first.serial}" if first.serial is not None else f"no serial, to {_destination(first)}"
            message = (
                f"{what}, part {first.part_number}, quantity {first.quantity} on {first.shipped_on} came in two uploads"
            )
            found.append(
                TonerFinding(FindingCode.DUPLICATE_SHIPMENT, data.agreement, message, tuple(group), first.serial)
            )
    return found


def _resent(group: Sequence[ShipmentLine]) -> bool:
    """Lines of equal content are a duplicate when they span uploads under different shipment lines.

    Identical lines in one upload are plausible separate deliveries. When every upload of the group holds every
    one of its shipment lines, the uploads are plain copies of each other: the same-line rule reports them already.
    """
    uploads_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    for line in group:
        uploads_of[(line.shipment_id, line.line)].add(line.upload_id)
    uploads = {line.upload_id for line in group}
    copies_only = all(len(held) == len(uploads) for held in uploads_of.values())
    return len(uploads) > 1 and len(uploads_of) > 1 and not copies_only


def _destination(line: ShipmentLine) -> str:
    return line.agreement or f"ship-to {line.ship_to}"


def check_setup_consistent(data: ReconciliationData) -> list[TonerFinding]:
    """setup_inconsistent: the set-up differs from the contract on a term the contract states."""
    setup, terms = data.setup(), data.terms
    if setup is None or terms is None:
        return []
    pairs: list[tuple[str, object, object | None]] = [
        ("toner included", setup.toner_included, terms.toner_included),
        ("allowance %", setup.allowance_percent, terms.allowance_percent),
        ("tolerance %", setup.tolerance_percent, terms.tolerance_percent),
        ("period", setup.period, terms.period),
        ("pooling", setup.pooling, terms.pooling),
    ]
    differences = [f"{name} {ours} ≠ {theirs}" for name, ours, theirs in pairs if theirs is not None and ours != theirs]
    if not differences:
        return []
    message = f"set-up differs from the contract: {'; '.join(differences)}"
    return [TonerFinding(FindingCode.SETUP_INCONSISTENT, data.agreement, message, (setup, terms))]


def check_asset_count(data: ReconciliationData) -> list[TonerFinding]:
    """asset_count_mismatch: per billed period, billed asset count ≠ devices on the agreement in that period."""
    if data.terms is None:
        return []
    by_period: dict[Period, list[BillingLine]] = defaultdict(list)
    for line in data.agreement_billing():
        by_period[line.period].append(line)
    found = []
    for period, group in sorted(by_period.items()):
        billed = sum(b.billed_asset_count for b in group)
        active = data.devices_in(period)
        if billed != len(active):
            message = f"{period.label()}: {billed} asset(s) billed, {len(active)} device(s) on the agreement"
            rows: tuple[Row, ...] = (*group, *active)
            found.append(TonerFinding(FindingCode.ASSET_COUNT_MISMATCH, data.agreement, message, rows))
    return found


def check_zero_pages(data: ReconciliationData) -> list[TonerFinding]:
    """zero_pages: cartridges of a colour shipped in the period while no page drawing on it was billed."""
    billing = data.agreement_billing()
    colour_pages = sum(b.colour_pages for b in billing)
    black_pages = colour_pages + sum(b.mono_pages for b in billing)  # black toner serves mono and colour pages
    found = []
    for colour, lines in _by_colour(data, data.agreement_shipments()).items():
        shipped = [line for line in lines if line.status == ShipmentStatus.SHIPPED]
        pages = black_pages if colour == TonerColour.BLACK else colour_pages
        if colour is None or not shipped or pages > 0:
            continue
        message = f"{len(shipped)} {colour} shipment line(s) in {data.period.label()} but no {colour} pages billed"
        found.append(TonerFinding(FindingCode.ZERO_PAGES, data.agreement, message, (*shipped, *billing)))
    return found


def check_shipments_without_usage(data: ReconciliationData) -> list[TonerFinding]:
    """shipments_without_usage: a device received cartridges in the period and was billed no pages in it."""
    billing = [b for b in data.agreement_billing() if b.serial is not None]
    if not billing:
        return []
    shipped: dict[str, list[ShipmentLine]] = defaultdict(list)
    for line in data.agreement_shipments():
        if line.serial is not None and line.status == ShipmentStatus.SHIPPED:
            shipped[line.serial].append(line)
    by_serial: dict[str | None, list[BillingLine]] = defaultdict(list)
    for b in billing:
        by_serial[b.serial].append(b)
    found = []
    for serial, lines in sorted(shipped.items()):
        own = by_serial.get(serial, [])
        if sum(b.mono_pages + b.colour_pages for b in own) == 0:
            message = f"device {serial} received {len(lines)} shipment line(s) but no pages were billed"
            rows: tuple[Row, ...] = (*lines, *own)
            found.append(TonerFinding(FindingCode.SHIPMENTS_WITHOUT_USAGE, data.agreement, message, rows, serial))
    return found


def check_usage_without_shipments(data: ReconciliationData) -> list[TonerFinding]:
    """usage_without_shipments: a device printed more than its cartridge's life in a colour it never received."""
    history = data.device_history
    if data.terms is None or not history:
        return []
    found = []
    lives: dict[str, dict[TonerColour, int]] = {}
    for device in data.devices_in(data.period):
        own = history.get(device.serial, [])
        received = data.colours_shipped(device.serial)
        if device.model not in lives:
            lives[device.model] = dict(sorted(_expected_life(device.model, data).items()))
        history_pages = data.device_pages(device.serial) if own else None
        for colour, life in lives[device.model].items():
            if history_pages is None or colour in received:
                continue
            pages = history_pages.pages(colour)
            if pages > life:
                message = f"device {device.serial} billed {pages} {colour} pages, over a {life}-page life, no shipment"
                rows: tuple[Row, ...] = (device, *own)
                finding = TonerFinding(
                    FindingCode.USAGE_WITHOUT_SHIPMENTS, data.agreement, message, rows, device.serial
                )
                found.append(finding)
    return found


def check_cartridge_not_uploaded(data: ReconciliationData) -> list[TonerFinding]:
    """cartridge_not_uploaded: pages since a device's last shipment exceed that capacity by over one cartridge."""
    if data.terms is None or not data.device_history:
        return []
    found = []
    end = data.period.end
    for device in data.devices_in(data.period):
        colours = data.colours_shipped(device.serial)
        own = data.device_pages(device.serial) if colours else None
        deliveries = None if own is None else data.deliveries(device.serial)
        if own is None or deliveries is None:
            continue
        for colour in colours:
            delivery = None if colour is None else deliveries.last_delivery(colour, end)
            if colour is None or delivery is None:
                continue
            first = own.since(delivery.day)
            pages = own.pages(colour, first)
            # Capacity delivered that day plus one cartridge (the largest yield delivered that day).
            if pages and pages > delivery.capacity + delivery.largest:
                message = (
                    f"device {device.serial}: {pages} {colour} pages since the shipment of {delivery.day} exceed"
                    " its yield"
                )
                rows: tuple[Row, ...] = (*delivery.lines, *own.lines_from(first))
                found.append(
                    TonerFinding(FindingCode.CARTRIDGE_NOT_UPLOADED, data.agreement, message, rows, device.serial)
                )
    return found


def _expected_life(model: str, data: ReconciliationData) -> dict[TonerColour, int]:
    """Per colour, the longest life of a cartridge mapped to ``model``: the starter yield, else the rated yield."""
    life: dict[TonerColour, int] = {}
    for mapping in data.mappings:
        part = any_part(data.catalog, mapping.part_number) if mapping.model == model else None
        if part is not None:
            pages = mapping.starter_yield if mapping.starter_yield is not None else part.rated_yield
            life[part.colour] = max(life.get(part.colour, 0), pages)
    return life


def _by_colour(data: ReconciliationData, lines: Sequence[ShipmentLine]) -> dict[TonerColour | None, list[ShipmentLine]]:
    grouped: dict[TonerColour | None, list[ShipmentLine]] = defaultdict(list)
    for line in lines:
        grouped[colour_of(line, data.catalog)].append(line)
    return grouped


def _ref(line: ShipmentLine) -> str:
    return f"shipment {line.shipment_id}/{line.line}"


CHECKS: tuple[Check, ...] = (
    check_setup_exists,
    check_costs,
    check_assets_and_mapping,
    check_asset_count,
    check_usage_without_shipments,
    check_shipments_without_usage,
    check_cartridge_not_uploaded,
    check_duplicates,
    check_setup_consistent,
    check_zero_pages,
)
