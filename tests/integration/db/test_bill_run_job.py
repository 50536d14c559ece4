"""The bill run through the job runner: shards of customers, same result as a direct run, nothing twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from cashtrail.billing.services import run_bill_run
from cashtrail.contracts.model import Contract, MaintenanceUnit
from cashtrail.contracts.services import register_contract
from cashtrail.db import billing_tables as bt
from cashtrail.jobs.runners import runner_for
from tests import factories


def _lines(app) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(bt.billed_charges)))


def test_a_sharded_bill_run_bills_what_a_direct_run_would_and_a_resubmit_does_nothing(app, system):
    for n in range(3):
        factories.customer(app, number=f"C{n}", vat_number=None)
        register_contract(
            app.uow(),
            app.clock,
            system,
            Contract(
                number=f"LIFT-{n}",
                customer_number=f"C{n}",
                kind="maintenance",
                currency="EUR",
                start_date=date(2026, 1, 1),
                units=[MaintenanceUnit("L1", "Tower", "Lift", Decimal("100.00") + n, date(2026, 1, 1))],
            ),
        )
    expected = run_bill_run(app.uow(), app.clock, system, "2026-04", preview=True)
    runner = runner_for(app, in_process=True)
    summary = runner.submit("billing.bill_run", date(2026, 4, 1))
    assert (summary.executed, summary.failures) == (summary.shards, [])
    assert _lines(app) == sum(len(d.lines) for d in expected.drafts) == 3
    again = runner.submit("billing.bill_run", date(2026, 4, 1))
    assert (again.executed, again.skipped) == (0, summary.shards)
    assert _lines(app) == 3
