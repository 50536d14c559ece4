"""Collections against a real database: the dunning run (levels, idempotency, no repeats, interest, letters in the
outbox), disputes freezing dunning and closing by credit note, promises kept from cash application, write-offs with
segregation of duties, recovery, credit holds and the metrics as of a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cashtrail.analytics.queries import Scope, refresh_read_model, report
from cashtrail.db import collections_tables as ct
from cashtrail.db import invoicing_tables as it
from cashtrail.db import ledger_tables as lt
from cashtrail.disputes.model import Department, Reason, Resolution, State
from cashtrail.disputes.services import close_credited_disputes, open_dispute, resolve_dispute
from cashtrail.documents.dunning_pdf import WeasyLetterRenderer
from cashtrail.dunning.activities import PromiseStatus
from cashtrail.dunning.errors import ReferenceRateMissing
from cashtrail.dunning.holds import evaluate_holds, is_on_hold
from cashtrail.dunning.run_services import run_dunning
from cashtrail.dunning.setup_services import set_reference_rate
from cashtrail.dunning.work_services import check_promises, collector_worklist, make_promise
from cashtrail.dunning.write_off_services import decide_write_off, prepare_write_off, record_recovery
from cashtrail.errors import PermissionDenied
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.approval_services import approve_invoice
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import ManualLine, create_invoice
from cashtrail.ledger.model import Account, ItemKind, OpenItem, unapply
from cashtrail.ledger.services import apply_items
from cashtrail.money import Money
from tests import factories

ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))
SAM = Actor("sam", frozenset({Role.SUPERVISOR}))
COL = Actor("cole", frozenset({Role.COLLECTOR}))
ISSUED = date(2026, 3, 1)  # net 30: due 2026-03-31


@pytest.fixture
def books(app):
    factories.legal_entity(app, code="BE01", country="BE", default=True, approval_threshold=Decimal("100000"))
    factories.customer(app, number="C1", credit_limit=Decimal("1000"))
    for name, roles in (("ann", ["billing_analyst"]), ("sam", ["supervisor"]), ("cole", ["collector"])):
        factories.user(app, username=name, roles=roles)
    set_reference_rate(app.uow(), app.clock, SAM, date(2026, 1, 1), Decimal("2.15"))
    return app


def _invoice(app, amount: str, on: date = ISSUED) -> str:
    doc = create_invoice(app.uow(), app.clock, ANN, "C1", [ManualLine("Service", Decimal(1), Decimal(amount))])
    if doc.approval_reason:
        approve_invoice(app.uow(), app.clock, SAM, doc.id)
    return issue_invoice(app.uow(), app.clock, ANN, doc.id, issue_date=on).number


def _pay(app, number: str, amount: str, on: date) -> None:
    with app.uow() as uow:
        invoice = uow.invoices.get_by_number(number)
        debit = uow.ledger.item_of_invoice(invoice.id)
        payment = OpenItem("C1", ItemKind.PAYMENT, f"PAY-{number}-{on}", Money.of(f"-{amount}", "EUR"), on, on)
        uow.ledger.add_item(payment)
        apply_items(
            uow, app.clock, Actor.system(), debit.id, payment.id, Money.of(amount, "EUR"), on=on, kind="payment"
        )
        uow.commit()


def _count(app, table) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)))


def test_the_dunning_run_progresses_through_the_levels_once_each(books):
    number = _invoice(books, "1000.00")  # 1,210.00 with 21 % VAT, due 2026-03-31
    levels = []
    for day in (date(2026, 4, 5), date(2026, 4, 8), date(2026, 4, 20), date(2026, 5, 2), date(2026, 6, 1)):
        result = run_dunning(books.uow(), books.clock, COL, day)
        levels.append([(letter.level_number, [line.reference for line in letter.lines]) for letter in result.letters])
    # +5 is in the 2 grace days' past but before +7; then +8 friendly, +20 first, +32 formal, +62 final
    assert levels == [[], [(1, [number])], [(2, [number])], [(3, [number])], [(4, [number])]]
    again = run_dunning(books.uow(), books.clock, COL, date(2026, 6, 1))
    assert again.already_run
    assert _count(books, ct.dunning_letters) == 4
    later = run_dunning(books.uow(), books.clock, COL, date(2026, 7, 1))
    assert later.letters == []  # the final level never goes out twice
    assert later.held == {"already_sent": 1}


def test_a_formal_notice_claims_statutory_interest_and_the_fixed_compensation_once(books):
    _invoice(books, "1000.00")
    result = run_dunning(books.uow(), books.clock, COL, date(2026, 5, 29), renderer=WeasyLetterRenderer())
    [letter] = result.letters
    assert letter.level_number == 3
    # 1,210.00 × (2.15 + 8) % × 59 / 365 = 19.85; EUR 40 per invoice
    assert (letter.interest, letter.compensation) == (Money.of("19.85", "EUR"), Money.of("40", "EUR"))
    with books.uow() as uow:
        [mail] = uow.session.execute(select(it.outbox)).all()
        [stored] = uow.dunning.letters()
    assert mail.recipient == "billing@acme.example"
    assert mail.status == "pending"
    assert "Ingebrekestelling" in mail.subject  # the customer writes Dutch
    assert stored["has_pdf"]
    assert stored["outbox_key"] == mail.key
    final = run_dunning(books.uow(), books.clock, COL, date(2026, 6, 1))
    assert final.letters[0].compensation == Money.of("0", "EUR")  # claimed once per invoice


def test_a_missing_reference_rate_stops_the_run_and_writes_nothing(books):
    _invoice(books, "1000.00")
    with pytest.raises(ReferenceRateMissing):
        run_dunning(books.uow(), books.clock, COL, date(2026, 8, 15))  # 2026-H2 has no rate
    assert _count(books, ct.dunning_runs) == 0
    assert _count(books, ct.dunning_letters) == 0


def test_a_dispute_freezes_its_amount_and_its_credit_note_closes_it(books):
    number = _invoice(books, "1000.00")
    dispute = open_dispute(
        books.uow(),
        books.clock,
        COL,
        number,
        Reason.PRICING,
        Department.SALES,
        on=date(2026, 4, 2),
        amount=Money.of("1210.00", "EUR"),
    )
    assert run_dunning(books.uow(), books.clock, COL, date(2026, 4, 20)).held == {"disputed": 1}
    resolved = resolve_dispute(books.uow(), books.clock, ANN, dispute.id, Resolution.CREDIT_NOTE, on=date(2026, 4, 21))
    assert resolved.state == State.RESOLVED
    assert resolved.credit_note_id is not None
    assert close_credited_disputes(books.uow(), books.clock, COL, on=date(2026, 4, 21)) == []  # not issued yet
    assert run_dunning(books.uow(), books.clock, COL, date(2026, 5, 2)).held == {"disputed": 1}  # still frozen
    approve_invoice(books.uow(), books.clock, SAM, resolved.credit_note_id)
    issue_invoice(books.uow(), books.clock, ANN, resolved.credit_note_id, issue_date=date(2026, 4, 22))
    assert close_credited_disputes(books.uow(), books.clock, COL, on=date(2026, 4, 22)) == [dispute.id]
    with books.uow() as uow:
        assert uow.disputes.get(dispute.id).state == State.CLOSED
        assert uow.ledger.open_items_of("C1") == []  # the credit note settled the invoice


def test_a_partial_dispute_leaves_the_rest_in_dunning(books):
    number = _invoice(books, "1000.00")
    open_dispute(
        books.uow(),
        books.clock,
        COL,
        number,
        Reason.QUANTITY,
        Department.SERVICE,
        on=date(2026, 4, 2),
        amount=Money.of("210.00", "EUR"),
    )
    [letter] = run_dunning(books.uow(), books.clock, COL, date(2026, 4, 20)).letters
    assert letter.total == Money.of("1000.00", "EUR")


def test_a_promise_holds_dunning_and_is_kept_by_cash_applied_in_time(books):
    number = _invoice(books, "1000.00")
    make_promise(
        books.uow(), books.clock, COL, "C1", Money.of("1210.00", "EUR"), date(2026, 4, 25), on=date(2026, 4, 10)
    )
    assert run_dunning(books.uow(), books.clock, COL, date(2026, 4, 20)).held == {"promised": 1}
    _pay(books, number, "1210.00", date(2026, 4, 24))
    assert check_promises(books.uow(), books.clock, COL, date(2026, 4, 26)) == {"kept": 1}


def test_a_promise_paid_late_is_broken_and_dunning_resumes(books):
    number = _invoice(books, "1000.00")
    make_promise(
        books.uow(), books.clock, COL, "C1", Money.of("1210.00", "EUR"), date(2026, 4, 25), on=date(2026, 4, 10)
    )
    _pay(books, number, "500.00", date(2026, 4, 24))
    assert check_promises(books.uow(), books.clock, COL, date(2026, 4, 26)) == {"broken": 1}
    with books.uow() as uow:
        [promise] = uow.collection_work.promises()
    assert promise.status == PromiseStatus.BROKEN
    assert promise.paid == Money.of("500.00", "EUR")
    [entry] = collector_worklist(books.uow(), COL, None, date(2026, 4, 30))
    assert entry.facts.broken_promises == 1
    assert entry.facts.overdue == Decimal("710.00")
    [letter] = run_dunning(books.uow(), books.clock, COL, date(2026, 4, 30)).letters
    # 30 days late: straight to the formal notice (levels skipped under the promise are not sent afterwards)
    assert letter.level_number == 3
    assert letter.total == Money.of("710.00", "EUR")


def test_a_write_off_needs_a_second_person_and_keeps_the_ledger_in_balance(books):
    number = _invoice(books, "1000.00")
    with books.uow() as uow:
        item = uow.ledger.item_of_invoice(uow.invoices.get_by_number(number).id)
    write_off = prepare_write_off(books.uow(), books.clock, SAM, item.id, "customer bankrupt")
    with pytest.raises(PermissionDenied) as own:
        decide_write_off(books.uow(), books.clock, SAM, write_off.id, approve=True, on=date(2026, 9, 1))
    assert own.value.code == "write_off.segregation_of_duties"
    with pytest.raises(PermissionDenied):
        decide_write_off(books.uow(), books.clock, COL, write_off.id, approve=True, on=date(2026, 9, 1))
    books_before = _count(books, it.outbox)
    factories.user(books, username="sue", roles=["supervisor"])
    sue = Actor("sue", frozenset({Role.SUPERVISOR}))
    decide_write_off(books.uow(), books.clock, sue, write_off.id, approve=True, on=date(2026, 9, 1))
    with books.uow() as uow:
        balances = uow.ledger.balances()
        assert uow.ledger.open_items_of("C1") == []
    assert balances[(Account.AR_CONTROL.value, "EUR")] == Decimal("0.00")
    assert balances[(Account.WRITE_OFFS.value, "EUR")] == Decimal("1210.00")
    recovered = record_recovery(
        books.uow(), books.clock, COL, write_off.id, Money.of("200.00", "EUR"), received_on=date(2026, 10, 1)
    )
    assert recovered.recovered == Money.of("200.00", "EUR")
    with books.uow() as uow:
        balances = uow.ledger.balances()
    assert balances[(Account.WRITE_OFFS.value, "EUR")] == Decimal("1010.00")
    assert sum(balances.values()) == 0
    assert _count(books, it.outbox) == books_before


def test_credit_holds_follow_the_limit_and_the_age_of_items(books):
    number = _invoice(books, "1000.00")  # 1,210.00 over the 1,000.00 limit
    assert evaluate_holds(books.uow(), books.clock, SAM, date(2026, 4, 1))["placed"] == ["C1:over_credit_limit"]
    assert evaluate_holds(books.uow(), books.clock, SAM, date(2026, 6, 1))["placed"] == ["C1:past_due"]
    _pay(books, number, "1210.00", date(2026, 6, 2))
    assert len(evaluate_holds(books.uow(), books.clock, SAM, date(2026, 6, 3))["released"]) == 2
    assert is_on_hold(books.uow(), "C1") == []


def test_metrics_as_of_a_date_see_the_ledger_as_it_stood(books):
    number = _invoice(books, "1000.00")
    _pay(books, number, "210.00", date(2026, 4, 10))
    refresh_read_model(books.uow())

    def value(metric, day, **kw):
        return report(books.uow(), COL, metric, day, **kw)["values"]

    assert value("aging", date(2026, 3, 15))["EUR"]["current"] == "1210.0000"
    assert value("aging", date(2026, 4, 15))["EUR"]["1-30"] == "1000.0000"
    assert value("aging", date(2026, 2, 15)) == {}
    assert value("dso", date(2026, 3, 31), days=31) == {"EUR": "31.00"}  # all of March's sales still open
    assert value("percent-current", date(2026, 4, 15)) == {"EUR": "0.00"}
    assert value("aging", date(2026, 4, 15), scope=Scope(customer="C2")) == {}


def test_a_reversed_payment_reopens_the_invoice_from_its_reversal_date_for_every_scope(books):
    number = _invoice(books, "1000.00")
    _pay(books, number, "1210.00", date(2026, 4, 10))
    refresh_read_model(books.uow())
    reversal_day = books.clock.now().date()
    with books.uow() as uow:
        [application_id] = uow.session.scalars(select(lt.item_applications.c.id))
        items = {i.kind: i for i in uow.ledger.items(list(uow.session.scalars(select(lt.open_items.c.id)))).values()}
        invoice, payment = items[ItemKind.INVOICE], items[ItemKind.PAYMENT]
        unapply(invoice, payment, Money.of("1210.00", "EUR"))
        uow.ledger.mark_reversed(
            application_id, at=books.clock.now(), on=reversal_day, by="sam", reason="wrong customer"
        )
        uow.ledger.save_open_amount(invoice, reversal_day)
        uow.ledger.cancel_item(payment, reversal_day)
        uow.commit()
    assert refresh_read_model(books.uow()) == 2  # one reversal, one cancellation

    def aging(day, scope=None):
        return report(books.uow(), COL, "aging", day, scope=scope)["values"].get("EUR", {})

    for scope in (None, Scope(customer="C1"), Scope(country="BE")):
        assert aging(date(2026, 4, 15), scope) == {}  # paid in full then
        assert aging(reversal_day, scope)["121+"] == "1210.0000"
        assert report(books.uow(), COL, "unapplied-cash", reversal_day, scope=scope)["values"] == {}
        assert report(books.uow(), COL, "unapplied-cash", date(2026, 4, 9), scope=scope)["values"] == {}
    with books.uow() as uow:
        assert uow.ar_facts.compact() == 7  # 2 documents, 2 application sides, their 2 reversals, 1 cancellation
        uow.commit()
    assert aging(reversal_day)["121+"] == "1210.0000"
    assert aging(date(2026, 4, 15)) == {}


def test_a_run_for_an_earlier_date_sees_what_was_open_then(books):
    number = _invoice(books, "1000.00")
    _pay(books, number, "1210.00", date(2026, 4, 24))
    [letter] = run_dunning(books.uow(), books.clock, COL, date(2026, 4, 20)).letters  # paid only four days later
    assert letter.total == Money.of("1210.00", "EUR")
    assert run_dunning(books.uow(), books.clock, COL, date(2026, 4, 30)).letters == []


def test_the_dunning_job_sends_once_per_customer_alongside_a_direct_run(books):
    from cashtrail.jobs.runners import runner_for

    _invoice(books, "1000.00")
    factories.customer(books, number="C2", vat_number=None)
    doc = create_invoice(books.uow(), books.clock, ANN, "C2", [ManualLine("Service", Decimal(1), Decimal("50.00"))])
    if doc.approval_reason:
        approve_invoice(books.uow(), books.clock, SAM, doc.id)
    issue_invoice(books.uow(), books.clock, ANN, doc.id, issue_date=ISSUED)
    direct = run_dunning(books.uow(), books.clock, COL, date(2026, 4, 20), customers=("C1", "C1"))
    assert [letter.customer_number for letter in direct.letters] == ["C1"]
    runner = runner_for(books, in_process=True)
    summary = runner.submit("dunning.run", date(2026, 4, 20))
    assert summary.failures == []
    with books.uow() as uow:
        letters = sorted(r["customer_number"] for r in uow.dunning.letters())
    assert letters == ["C1", "C2"]  # C1 was not lettered twice on the day
    again = runner.submit("dunning.run", date(2026, 4, 20))
    assert again.executed == 0
    assert _count(books, ct.dunning_letters) == 2
