"""Invoice lines keep the key of the charge they bill, through approval and issue, so other domains find them."""

from __future__ import annotations

from decimal import Decimal

from cashtrail.billing.services import run_bill_run
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.approval_services import approve_invoice
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import prepare_invoices
from tests import factories

ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))
SAM = Actor("sam", frozenset({Role.SUPERVISOR}))


def test_an_approved_and_issued_invoice_still_names_the_charges_its_lines_bill(app):
    factories.legal_entity(app, code="BE01", country="BE", default=True, approval_threshold=Decimal("5000"))
    factories.customer(app, number="C1")
    factories.lift_contract(app, number="LIFT-1", customer="C1", units=("L1", "L2"))
    run_bill_run(app.uow(), app.clock, Actor.system(), "2026-04")
    [invoice_id] = prepare_invoices(app.uow(), app.clock, ANN).document_ids
    keys = ["LIFT-1:2026-04:fee:L1", "LIFT-1:2026-04:fee:L2"]
    with app.uow() as uow:
        drafted = uow.invoices.lines_of_charges(keys)
    assert [(r["charge_key"], r["index"], r["number"]) for r in drafted] == [(keys[0], 0, None), (keys[1], 1, None)]
    approve_invoice(app.uow(), app.clock, SAM, invoice_id)  # rewrites the draft's lines
    issued = issue_invoice(app.uow(), app.clock, ANN, invoice_id)
    with app.uow() as uow:
        found = uow.invoices.lines_of_charges([keys[1], "unknown"])
    assert [(r["charge_key"], r["invoice_id"], r["number"], r["status"], r["index"]) for r in found] == [
        (keys[1], invoice_id, issued.number, "issued", 1)
    ]
