"""A modernisation project billed in stages: each stage through the bill run, never beyond the contract value, and
each stage invoice with its progress statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.billing.services import run_bill_run
from cashtrail.billing.stage_services import bill_stage
from cashtrail.contracts.model import Contract
from cashtrail.contracts.services import register_contract
from cashtrail.documents.pdf import render_progress_pdf
from cashtrail.documents.preview import pdf_text
from cashtrail.errors import Conflict, ValidationFailed
from cashtrail.invoicing.issue_services import issue_ready
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.invoicing.progress_services import progress_statement
from cashtrail.money import Money
from tests import factories


@pytest.fixture
def project(app, system):
    factories.legal_entity(app, approve_first_invoice=False, approval_threshold=None)
    factories.customer(app, number="C1", language="fr")
    return register_contract(
        app.uow(),
        app.clock,
        system,
        Contract(
            number="MOD-1",
            customer_number="C1",
            kind="project",
            currency="EUR",
            start_date=date(2026, 1, 1),
            contract_value=Decimal("80000.00"),
        ),
    )


def _bill_month(app, system, label: str, day: date):
    run_bill_run(app.uow(), app.clock, system, label)
    prepare_invoices(app.uow(), app.clock, system, period=label)
    [doc] = issue_ready(app.uow(), app.clock, system, issue_date=day).issued
    return doc


def test_stages_are_billed_once_and_the_statement_shows_the_works_so_far(app, system, project):
    bill_stage(
        app.uow(),
        app.clock,
        system,
        "MOD-1",
        description="Down payment 30 %",
        amount=Decimal("24000"),
        completed_on=date(2026, 2, 10),
    )
    first = _bill_month(app, system, "2026-02", date(2026, 2, 28))
    bill_stage(
        app.uow(),
        app.clock,
        system,
        "MOD-1",
        description="Drive and controls installed",
        amount=Decimal("32000"),
        completed_on=date(2026, 5, 20),
    )
    second = _bill_month(app, system, "2026-05", date(2026, 5, 31))
    doc = progress_statement(app.uow(), system, second.id)
    statement = doc.statement
    assert [s.invoice_number for s in statement.previous] == [first.number]
    assert statement.current.invoice_number == second.number
    assert statement.billed_to_date == Money.of("56000.00", "EUR")
    assert statement.remaining == Money.of("24000.00", "EUR")
    assert statement.percent_complete == Decimal("70.00")
    pdf = render_progress_pdf(statement, doc.seller, doc.buyer, doc.language)
    text = pdf_text(pdf).replace("\u202f", " ").replace("\xa0", " ")
    assert first.number in text
    assert second.number in text
    assert "24 000,00" in text  # the remaining amount, formatted for a French reader


def test_a_stage_beyond_the_contract_value_is_refused_and_nothing_is_queued(app, system, project):
    bill_stage(
        app.uow(),
        app.clock,
        system,
        "MOD-1",
        description="Works",
        amount=Decimal("79999.99"),
        completed_on=date(2026, 2, 10),
    )
    with pytest.raises(Conflict) as caught:
        bill_stage(
            app.uow(),
            app.clock,
            system,
            "MOD-1",
            description="Extra",
            amount=Decimal("0.02"),
            completed_on=date(2026, 2, 11),
        )
    assert caught.value.code == "stage.over_contract_value"
    with app.uow() as uow:
        assert len(uow.pending_charges.charges_of_origin("project", "MOD-1")) == 1


def test_an_invoice_without_stages_has_no_progress_statement(app, system, project):
    factories.lift_contract(app, customer="C1")
    doc = _bill_month(app, system, "2026-02", date(2026, 2, 28))
    with pytest.raises(ValidationFailed) as caught:
        progress_statement(app.uow(), system, doc.id)
    assert caught.value.code == "progress.no_stage"
