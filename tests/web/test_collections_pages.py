"""Collections pages: the dashboard with its metrics and chart data, the worklist, disputes and letter PDFs."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cashtrail.disputes.case_services import import_messages, list_cases, open_case
from cashtrail.disputes.cases import Channel, Message
from cashtrail.documents.dunning_pdf import WeasyLetterRenderer
from cashtrail.dunning.run_services import run_dunning
from cashtrail.dunning.setup_services import set_reference_rate
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import ManualLine, create_invoice
from tests import factories
from tests.web.support import PASSWORD, csrf_from, sign_in

ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))
NO_FOLLOW = {"follow_redirects": False}


@pytest.fixture
def collector(app, client):
    factories.legal_entity(app, code="BE01", country="BE", default=True, approve_first_invoice=False)
    factories.customer(app, number="C1")
    set_reference_rate(app.uow(), app.clock, Actor.system(), date(2026, 1, 1), Decimal("2.15"))
    for month in (1, 2, 3):
        doc = create_invoice(app.uow(), app.clock, ANN, "C1", [ManualLine("Service", Decimal(1), Decimal("100.00"))])
        issue_invoice(app.uow(), app.clock, ANN, doc.id, issue_date=date(2026, month, 1))
    factories.user(app, username="cole", roles=["collector"], password=PASSWORD)
    sign_in(client, "cole")
    return client


def test_the_dashboard_shows_metrics_as_of_a_date_and_monthly_chart_data(collector):
    page = collector.get("/collections?as_of=2026-03-31")
    assert page.status_code == 200
    assert "Collections" in page.text
    assert 'Average days delinquent <span class="muted">(days)</span>' in page.text  # named, with its unit
    data = json.loads(re.search(r'id="collections-data">(.*?)</script>', page.text, re.S).group(1))
    assert data["months"][-1] == "2026-03-31"
    assert data["trend"]["EUR"]["aging:current"][-1] == "121.00"  # the March invoice is not due yet
    assert data["trend"]["EUR"]["aging:1-30"][-1] == "121.00"
    assert data["trend"]["EUR"]["aging:31-60"][-1] == "121.00"
    assert collector.get("/collections?as_of=not-a-date").status_code in (400, 422)


def test_the_worklist_and_letters_pages_list_what_dunning_produced(app, collector):
    run_dunning(app.uow(), app.clock, Actor.system(), date(2026, 4, 15), renderer=WeasyLetterRenderer())
    worklist = collector.get("/collections/worklist?as_of=2026-04-15&collector=")
    assert worklist.status_code == 200
    letters = collector.get("/collections/letters")
    [letter_id] = re.findall(r"/collections/letters/(\d+)\.pdf", letters.text)
    pdf = collector.get(f"/collections/letters/{letter_id}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert collector.get("/collections/letters/999999.pdf").status_code == 404


def test_a_collector_logs_a_call_and_a_promise_on_the_account_page(app, collector):
    page = collector.get("/collections/accounts/C1")
    assert page.status_code == 200
    assert "363.00" in page.text  # three invoices of 121.00
    token = csrf_from(page.text)
    logged = collector.post(
        "/collections/accounts/C1/activities",
        data={"csrf_token": token, "kind": "call", "summary": "spoke to the CFO"},
        follow_redirects=True,
    )
    assert "spoke to the CFO" in logged.text
    promised = collector.post(
        "/collections/accounts/C1/promises",
        data={"csrf_token": token, "amount": "121.00", "promised_on": "2026-12-15"},
        follow_redirects=True,
    )
    assert "2026-12-15" in promised.text
    with app.uow() as uow:
        [promise] = uow.collection_work.promises(customer="C1")
    assert promise.amount.amount == Decimal("121.00")
    bad = collector.post(
        "/collections/accounts/C1/promises", data={"csrf_token": token, "amount": "lots", "promised_on": "2026-12-15"}
    )
    assert bad.status_code in (400, 422)
    with app.uow() as uow:
        assert len(uow.collection_work.promises(customer="C1")) == 1  # nothing written by the refusal


def test_customer_cases_past_their_sla_come_first_and_are_answered_linked_and_closed(app, collector, clock):
    old = Message("<m1@x.example>", "stranger@x.example", "Invoice question", "Who are you?", clock.now())
    import_messages(app.uow(), app.clock, Actor.system(), [old])  # no customer found for this sender
    clock.advance(timedelta(hours=47))
    recent = open_case(app.uow(), app.clock, Actor.system(), "C1", Channel.CHAT, "Copy of my invoice", "")
    clock.advance(timedelta(hours=2))  # the e-mail is now past its 48 h, the chat is not

    page = collector.get("/collections/cases")
    assert page.status_code == 200
    rows = re.findall(r"<tr( class=\"late\")?>\s*<td>(\d+)</td>", page.text)
    assert [(bool(late), int(case_id)) for late, case_id in rows] == [(True, recent.id - 1), (False, recent.id)]
    assert "past SLA" in page.text
    token = csrf_from(page.text)

    linked = collector.post(
        f"/collections/cases/{recent.id - 1}", data={"csrf_token": token, "customer": "C1"}, **NO_FOLLOW
    )
    assert linked.status_code == 303
    answered = collector.post(
        f"/collections/cases/{recent.id}", data={"csrf_token": token, "action": "answered"}, **NO_FOLLOW
    )
    assert answered.status_code == 303
    collector.post(f"/collections/cases/{recent.id - 1}", data={"csrf_token": token, "action": "closed"})
    cases = {c.id: c for c in list_cases(app.uow(), Actor.system())}
    assert (cases[recent.id - 1].customer_number, cases[recent.id - 1].state) == ("C1", "closed")
    assert cases[recent.id].state == "answered"
    assert 'name="action" value="answered"' not in collector.get("/collections/cases?state=answered").text
    nothing = collector.post(f"/collections/cases/{recent.id}", data={"csrf_token": token}, **NO_FOLLOW)
    assert nothing.status_code == 422
    assert collector.get("/collections/cases?state=lost").status_code == 422
