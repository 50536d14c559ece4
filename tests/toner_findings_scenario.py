"""Findings of two agreements in two countries for the findings filters: errors and warnings, and a run of
``no_toner_contract`` findings (one per shipment line of an agreement without a set-up)."""

from __future__ import annotations

from datetime import date

from cashtrail.bootstrap import App
from cashtrail.contracts.terms import month_period
from cashtrail.identity.model import Actor
from cashtrail.toner.model import BillingLine, ShipmentLine
from cashtrail.toner.run_services import run_reconciliation
from tests import factories
from tests.toner_scenario import AGREEMENT, example_shipments, mps_contract, worked_example

#: The agreement without a set-up: customer C2 in France, three shipment lines, board owner "unassigned".
NO_SETUP = "MPS-FR"


def two_countries(app: App) -> None:
    """MPS-1 (BE, owner tina): one asset_not_on_contract error and one shipments_without_usage warning;
    MPS-FR (FR, unassigned): three no_toner_contract errors. Reconciled for 2026-Q1."""
    stray = ShipmentLine("S9", 1, date(2026, 2, 20), "X", 1, "U1", AGREEMENT, "", "ZZZ")
    worked_example(app, shipments=[*example_shipments(), stray])
    factories.customer(app, number="C2", country="FR", language="fr", vat_number=None)
    mps_contract(app, number=NO_SETUP, customer="C2")
    with app.uow() as uow:
        uow.toner.put_shipments(
            [ShipmentLine(f"T{n}", 1, date(2026, 2, n), "X", 1, "U2", NO_SETUP, "", "D1") for n in (1, 2, 3)]
        )
        uow.toner.put_billing([BillingLine(NO_SETUP, month_period("2026-02"), 9_000, 0, 2, "INV-9")], "test")
        uow.commit()
    run_reconciliation(app.uow(), app.clock, Actor.system(), "2026-Q1")
