"""A small MPS agreement with toner data, stored through the real repositories (worked example 1 of the spec)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from cashtrail.billing.usage import Tier
from cashtrail.bootstrap import App
from cashtrail.contracts.model import Contract, Device, MeterPlan, Pooling
from cashtrail.contracts.services import register_contract
from cashtrail.contracts.terms import month_period
from cashtrail.identity.model import Actor
from cashtrail.toner.model import (
    BillingLine,
    CartridgePart,
    ModelMapping,
    ReconciliationPeriod,
    ReconciliationSetup,
    ShipmentLine,
    ShipmentStatus,
    TonerColour,
)
from tests import factories

AGREEMENT = "MPS-1"


def mps_contract(app: App, *, number: str = AGREEMENT, customer: str = "C1") -> Contract:
    return register_contract(
        app.uow(),
        app.clock,
        Actor.system(),
        Contract(
            number=number,
            customer_number=customer,
            kind="mps",
            currency="EUR",
            start_date=date(2026, 1, 1),
            toner_included=True,
            coverage_allowance_percent=Decimal(5),
            pooling=Pooling.POOLED,
            base_fee_per_device=Decimal("10.00"),
            meter_plans=[MeterPlan("mono", (Tier(None, Decimal("0.0100")),))],
            devices=[
                Device("D1", "M1", "HQ", date(2026, 1, 1), meters=("mono",)),
                Device("D2", "M2", "HQ", date(2026, 1, 1), meters=("mono",)),
            ],
        ),
    )


def worked_example(app: App, *, shipments: list[ShipmentLine] | None = None) -> None:
    """Customer C1 (BE), MPS-1 with two devices, part X (black, 10,000 pages, EUR 80), Q1 2026 data."""
    factories.payment_terms(app)
    factories.customer(app, number="C1", country="BE")
    with app.uow() as uow:
        uow.toner.put_part(CartridgePart("X", TonerColour.BLACK, 10_000, Decimal(80), "EUR", date(2025, 1, 1)))
        uow.toner.put_mapping(ModelMapping("M1", "X"))
        uow.toner.put_mapping(ModelMapping("M2", "X"))
        uow.commit()
    same_agreement(app, AGREEMENT, shipments=shipments)


def same_agreement(
    app: App,
    number: str,
    *,
    shipments: list[ShipmentLine] | None = None,
    period: ReconciliationPeriod = ReconciliationPeriod.QUARTERLY,
) -> None:
    """Agreement ``number`` of customer C1 with worked example 1's devices, set-up, billing and shipments."""
    mps_contract(app, number=number)
    with app.uow() as uow:
        setup = ReconciliationSetup(
            number,
            date(2026, 1, 1),
            "EUR",
            tolerance_percent=Decimal(10),
            period=period,
            reference_parts={TonerColour.BLACK: "X"},
        )
        uow.toner.put_setup(setup, "tina")
        uow.toner.put_billing(
            [
                BillingLine(number, month_period(f"2026-0{m}"), 20_000, 0, 1, f"INV-{m}-{s}", s)
                for m in (1, 2, 3)
                for s in ("D1", "D2")
            ],
            "test",
        )
        if shipments is None:
            shipments = example_shipments()
            if number != AGREEMENT:
                shipments = [replace(line, agreement=number, upload_id=f"U-{number}") for line in shipments]
        uow.toner.put_shipments(shipments)
        uow.commit()


def example_shipments() -> list[ShipmentLine]:
    """15 shipped (8 to D1, 7 to D2), 1 returned, 1 defective replacement."""
    return [
        ShipmentLine("S1", 1, date(2026, 1, 10), "X", 8, "U1", AGREEMENT, "", "D1"),
        ShipmentLine("S2", 1, date(2026, 2, 10), "X", 7, "U1", AGREEMENT, "", "D2"),
        ShipmentLine("S3", 1, date(2026, 3, 1), "X", 1, "U1", AGREEMENT, "", "D1", ShipmentStatus.RETURNED),
        ShipmentLine(
            "S4", 1, date(2026, 3, 2), "X", 1, "U1", AGREEMENT, "", "D2", ShipmentStatus.DEFECTIVE_REPLACEMENT
        ),
    ]
