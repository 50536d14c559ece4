"""Keyword-only builders for toner tests: readable rows with sensible defaults."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from cashtrail.contracts.model import Device
from cashtrail.contracts.terms import Period
from cashtrail.toner.data import ReconciliationData
from cashtrail.toner.model import (
    BillingLine,
    CartridgePart,
    ContractTerms,
    ModelMapping,
    Pooling,
    ReconciliationPeriod,
    ReconciliationSetup,
    ShipmentLine,
    ShipmentStatus,
    TonerColour,
)

AGREEMENT = "MPS-1"
Q4 = Period(date(2025, 10, 1), date(2025, 12, 31))
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
SINCE = date(2025, 1, 1)


def part(
    number: str, *, colour: TonerColour = TonerColour.BLACK, pages: int = 10_000, cost: str = "80", since: date = SINCE
) -> CartridgePart:
    return CartridgePart(number, colour, pages, Decimal(cost), "EUR", since)


def ship(
    shipment_id: str,
    part_number: str,
    quantity: int,
    *,
    line: int = 1,
    on: date = date(2026, 2, 1),
    serial: str | None = None,
    status: ShipmentStatus = ShipmentStatus.SHIPPED,
    upload: str = "U1",
    agreement: str = AGREEMENT,
    ship_to: str = "",
) -> ShipmentLine:
    return ShipmentLine(shipment_id, line, on, part_number, quantity, upload, agreement, ship_to, serial, status)


def bill(
    mono: int,
    colour: int = 0,
    *,
    serial: str | None = None,
    assets: int = 1,
    period: Period = Q1,
    invoice: str = "INV-1",
) -> BillingLine:
    return BillingLine(AGREEMENT, period, mono, colour, assets, invoice, serial)


def setup(**changes: object) -> ReconciliationSetup:
    base = ReconciliationSetup(
        agreement=AGREEMENT,
        valid_from=SINCE,
        currency="EUR",
        allowance_percent=Decimal(5),
        tolerance_percent=Decimal(10),
        period=ReconciliationPeriod.QUARTERLY,
        pooling=Pooling.PER_AGREEMENT,
        reference_parts={TonerColour.BLACK: "K1"},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def device(serial: str, *, model: str = "M400", removed: date | None = None) -> Device:
    return Device(serial, model, "HQ", date(2025, 1, 1), removed)


def terms(**changes: object) -> ContractTerms:
    base = ContractTerms(
        agreement=AGREEMENT,
        toner_included=True,
        allowance_percent=Decimal(5),
        tolerance_percent=Decimal(10),
        period=ReconciliationPeriod.QUARTERLY,
        pooling=Pooling.PER_AGREEMENT,
        devices=(device("S1"), device("S2")),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def data(
    *,
    shipments: Sequence[ShipmentLine],
    billing: Sequence[BillingLine],
    parts: Sequence[CartridgePart],
    setups: Sequence[ReconciliationSetup] | None = None,
    mappings: Sequence[ModelMapping] = (),
    contract: ContractTerms | None = None,
    period: Period = Q1,
) -> ReconciliationData:
    return ReconciliationData(
        AGREEMENT,
        period,
        [setup()] if setups is None else setups,
        parts,
        mappings,
        shipments,
        billing,
        contract,
    )
