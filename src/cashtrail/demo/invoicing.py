"""Demo chapter for invoicing: the group's legal entities, then every bill run's drafts prepared, approved by a
second person, issued on the last day of their month and posted to the AR ledger; one goodwill credit note; one
customer's invoices stopped on a salesperson's instruction; the last month's first invoices left waiting in the
approval queue so the workbench shows it at work."""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from cashtrail.billing.services import run_bill_run
from cashtrail.billing.stage_services import bill_stage
from cashtrail.bootstrap import App
from cashtrail.contracts.model import Contract
from cashtrail.contracts.services import register_contract
from cashtrail.contracts.terms import month_period
from cashtrail.db import invoicing_tables as it
from cashtrail.demo.billing import MONTHS
from cashtrail.demo.context import Chapter, Count, DemoContext
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.approval_services import approval_queue, approve_invoice, stop_invoices_of
from cashtrail.invoicing.issue_services import credit_invoice, issue_ready
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.invoicing.queries import list_invoices
from cashtrail.invoicing.send_services import deliver_outbox, send_invoice
from cashtrail.invoicing.summary import InvoiceFilter
from cashtrail.jobs.document_render import render_pending
from cashtrail.money import Money
from cashtrail.parties.entities import LegalEntity
from cashtrail.parties.entity_services import define_legal_entity

ENTITIES = (
    LegalEntity(
        "BE01",
        "Cashtrail Services Belgium NV",
        "BE",
        "BE0202239951",
        "Rue de la Loi 16",
        "1000",
        "Bruxelles",
        "BE68539007547034",
        "GKCCBEBB",
        "0202239951",
        "billing.be@demo.cashtrail.dev",
        "+32 2 555 01 00",
        is_default=True,
        approval_threshold=Decimal("15000"),
    ),
    LegalEntity(
        "FR01",
        "Cashtrail Services France SAS",
        "FR",
        "FR40303265045",
        "1 rue de Rivoli",
        "75001",
        "Paris",
        "FR1420041010050500013M02606",
        "PSSTFRPP",
        "303265045",
        "facturation@demo.cashtrail.dev",
        "+33 1 55 01 00 00",
        timezone="Europe/Paris",
        approval_threshold=Decimal("15000"),
    ),
    LegalEntity(
        "NL01",
        "Cashtrail Services Nederland BV",
        "NL",
        "NL004495445B01",
        "Damrak 1",
        "1012 LG",
        "Amsterdam",
        "NL91ABNA0417164300",
        "ABNANL2A",
        "17000001",
        "facturen@demo.cashtrail.dev",
        "+31 20 555 0100",
        timezone="Europe/Amsterdam",
        approval_threshold=Decimal("15000"),
    ),
    LegalEntity(
        "DE01",
        "Cashtrail Services Deutschland GmbH",
        "DE",
        "DE136695976",
        "Kaiserstraße 1",
        "60311",
        "Frankfurt am Main",
        "DE89370400440532013000",
        "COBADEFFXXX",
        "HRB 12345",
        "rechnung@demo.cashtrail.dev",
        "+49 69 555 0100",
        timezone="Europe/Berlin",
        approval_threshold=Decimal("15000"),
    ),
)


def create_entities(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """BE, FR, NL and DE companies; Belgium bills everyone else (Spain, the UK, the US: cross-border VAT)."""
    for entity in ENTITIES:
        define_legal_entity(app.uow(), app.clock, Actor.system(), LegalEntity(**vars(entity)))


#: Two lift modernisations: (contract, country of the customer, value, stages as (month, day, description, share %)).
PROJECTS = (
    (
        "MOD-0001",
        "BE",
        Decimal("84000.00"),
        (
            ("2026-02", 12, "Down payment on order", 30),
            ("2026-05", 22, "New drive and controller installed", 40),
            ("2026-08", 28, "Doors and cabin finished, lift handed over", 20),
        ),
    ),
    (
        "MOD-0002",
        "FR",
        Decimal("126500.00"),
        (("2026-04", 3, "Acompte à la commande", 25), ("2026-09", 17, "Machinerie remplacée", 45)),
    ),
)


def create_projects(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Modernisation projects billed in stages against their contract value (with progress statements)."""
    for number, country, value, _ in PROJECTS:
        customer = ctx.customers_by_country[country][0]
        contract = Contract(
            number=number,
            customer_number=customer,
            kind="project",
            currency="EUR",
            start_date=date(2026, 1, 15),
            contract_value=value,
        )
        with app.uow() as uow:
            known = uow.contracts.get_by_number(number) is not None
        if not known:
            register_contract(app.uow(), app.clock, Actor.system(), contract)


def _bill_stages(app: App, label: str) -> None:
    """Queue the stages completed in month ``label`` and bill them with the month's bill run (run again)."""
    done = False
    for number, _, value, stages in PROJECTS:
        for month, day, description, share in stages:
            if month == label:
                amount = (value * share / 100).quantize(Decimal("0.01"))
                completed = date.fromisoformat(f"{month}-{day:02d}")
                bill_stage(
                    app.uow(),
                    app.clock,
                    Actor.system(),
                    number,
                    description=description,
                    amount=amount,
                    completed_on=completed,
                )
                done = True
    if done:
        run_bill_run(app.uow(), app.clock, Actor.system(), label)


def _actor(ctx: DemoContext, role: Role) -> Actor:
    return Actor(ctx.usernames(role.value)[0], frozenset({role}))


def invoice_months(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Each month's drafts: prepared by an analyst, approved by a supervisor, issued on the month's last day."""
    with app.uow() as uow:
        if uow.session.execute(select(it.invoices.c.id).limit(1)).first() is not None:
            return  # invoiced on an earlier run of the demo
    analyst, supervisor = _actor(ctx, Role.BILLING_ANALYST), _actor(ctx, Role.SUPERVISOR)
    for step, label in enumerate(MONTHS):
        last_day = month_period(label).end
        _bill_stages(app, label)
        prepare_invoices(app.uow(), app.clock, analyst, period=label)
        if label == MONTHS[-1]:
            _hold_one_customer(app, analyst, rng, ctx)
        waiting = approval_queue(app.uow(), app.clock, supervisor)
        for item in waiting if label != MONTHS[-1] else waiting[::2]:
            if not item.stopped:
                approve_invoice(app.uow(), app.clock, supervisor, item.invoice_id)
        issue_ready(app.uow(), app.clock, analyst, issue_date=last_day)
        if label == MONTHS[3]:
            _goodwill_credit(app, analyst, supervisor, last_day + timedelta(days=1))
        ctx.progress(step + 1, len(MONTHS))


def _goodwill_credit(app: App, analyst: Actor, supervisor: Actor, day: object) -> None:
    """A partial credit note on one issued invoice (a complaint settled with a goodwill gesture)."""
    [issued] = list_invoices(app.uow(), analyst, InvoiceFilter(status="issued", kind="invoice"), limit=1)
    amount = min(Money(issued.gross, issued.currency), Money.of("50.00", issued.currency))
    note = credit_invoice(
        app.uow(), app.clock, analyst, issued.number or "", amount=amount, reason="goodwill: late intervention"
    )
    assert note.id is not None
    approve_invoice(app.uow(), app.clock, supervisor, note.id)


def _hold_one_customer(app: App, analyst: Actor, rng: random.Random, ctx: DemoContext) -> None:
    drafts = list_invoices(app.uow(), analyst, InvoiceFilter(status="draft", kind="invoice"), limit=50)
    if drafts:
        target = rng.choice(drafts).customer_number
        stop_invoices_of(
            app.uow(), app.clock, analyst, "customer", target, "stop invoices: salesperson renegotiating the price"
        )


def send_last_month(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """The last month's invoices e-mailed with their PDF and UBL to the local outbox (``.eml`` files), the files
    rendered in worker processes first (``cashtrail invoice render``)."""
    analyst = _actor(ctx, Role.BILLING_ANALYST)
    last = month_period(MONTHS[-1]).end
    issued = list_invoices(app.uow(), analyst, InvoiceFilter(status="issued"), limit=100_000)
    renderer = app.renderer()
    chosen = [r for r in issued if r.issue_date == last]
    workers = min(2, os.cpu_count() or 1)  # the PDFs are rendered on every core first, then the e-mails queued
    render_pending(app, analyst, workers=workers, ids=[r.id for r in chosen])
    for step, row in enumerate(chosen):
        send_invoice(app.uow(), app.clock, analyst, renderer, row.id)
        ctx.progress(step + 1, len(chosen))
    deliver_outbox(
        app.uow(), app.clock, analyst, app.mail_transport(), sender=app.settings.mail_sender, limit=len(chosen) + 1
    )


CHAPTERS = [
    Chapter("entities", "Legal entities in Belgium, France, the Netherlands and Germany", create_entities),
    Chapter("projects", "Two lift modernisations billed in stages", create_projects),
    Chapter("invoicing", "Ten months of invoices: prepared, approved, issued, posted", invoice_months),
    Chapter("sending", "The last month's invoices e-mailed (PDF and UBL) to the local outbox", send_last_month),
]
COUNTS = [
    Count("invoices", it.invoices, it.invoices.c.status),
]
