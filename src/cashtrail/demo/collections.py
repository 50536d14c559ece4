"""Demo chapter: ten months of collections on top of the invoicing and cash-application chapters.

Set-up: reference rates, the standard dunning policy, the provision matrix, each customer's collections profile
(its collector from the customer record, a risk score) and monthly targets. Then every Monday from February to
November: the daily checks (promises kept or broken from the cash applied, credit holds, disputes closed by their
issued credit note), customers dispute some overdue invoices and the billing team resolves them (credit notes
approved by a second person and issued, or rejected), collectors call the top of their worklist and take promises,
and the dunning run goes out. Runs see the ledger as it stood on their date (D-501), so they dun what was unpaid
then even though cash application has already booked the later payments. The last month's letters are rendered as
PDF and queued in the outbox. Finally the oldest unpaid invoice is written off by a supervisor.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from cashtrail.bootstrap import App
from cashtrail.db import collections_tables as ct
from cashtrail.demo.context import Chapter, Count, DemoContext
from cashtrail.disputes.case_services import import_messages, update_case
from cashtrail.disputes.cases import CaseState, Message
from cashtrail.disputes.model import Department, Reason, Resolution
from cashtrail.disputes.services import close_credited_disputes, open_dispute, resolve_dispute
from cashtrail.documents.dunning_pdf import WeasyLetterRenderer
from cashtrail.dunning.activities import ActivityKind
from cashtrail.dunning.holds import evaluate_holds
from cashtrail.dunning.policies import standard_policy
from cashtrail.dunning.portfolios import Profile
from cashtrail.dunning.run_services import run_dunning
from cashtrail.dunning.setup_services import save_policy, save_profile, set_provision_matrix, set_reference_rate
from cashtrail.dunning.work_services import (
    check_promises,
    collector_worklist,
    make_promise,
    record_activity,
    set_target,
)
from cashtrail.dunning.write_off_services import decide_write_off, prepare_write_off
from cashtrail.errors import InvalidState
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.approval_services import approve_invoice
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.money import Money

FIRST_MONDAY, LAST_DAY = date(2026, 2, 2), date(2026, 11, 30)
RENDER_FROM = date(2026, 11, 1)
RATES = {date(2025, 7, 1): Decimal("2.15"), date(2026, 1, 1): Decimal("2.15"), date(2026, 7, 1): Decimal("2.00")}
PROVISION = {"current": "0.5", "1-30": "2", "31-60": "5", "61-90": "15", "91-120": "35", "121+": "75"}
DEPARTMENT = {
    Reason.QUANTITY: Department.SERVICE,
    Reason.NOT_PERFORMED: Department.SERVICE,
    Reason.TAX: Department.BILLING,
}


def _actor(ctx: DemoContext, role: Role, index: int = 0) -> Actor:
    names = ctx.usernames(role.value)
    return Actor(names[index % len(names)], frozenset({role}))


def set_up(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Reference rates, the standard policy, the provision matrix, portfolios by country and monthly targets."""
    system = Actor.system()
    with app.uow() as uow:
        if uow.session.execute(select(ct.dunning_policies.c.id).limit(1)).first() is not None:
            return
        users = {u.id: u.username for u in uow.users.all()}
        customers = {c.number: c for c in uow.customers.page(after_id=None, limit=100_000)}
    for half_year, rate in RATES.items():
        set_reference_rate(app.uow(), app.clock, system, half_year, rate)
    save_policy(app.uow(), app.clock, system, standard_policy())
    set_provision_matrix(app.uow(), app.clock, system, {k: Decimal(v) for k, v in PROVISION.items()})
    for number, customer in sorted(customers.items()):
        collector = users.get(customer.collector_id) if customer.collector_id else None
        profile = Profile(number, "standard", collector, rng.choice((0, 0, 10, 30, 60)))
        save_profile(app.uow(), app.clock, system, profile)
    for collector in ctx.usernames(Role.COLLECTOR.value):
        for month in range(2, 12):
            set_target(app.uow(), app.clock, system, collector, f"2026-{month:02d}", Money.of("25000", "EUR"))


def simulate(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Every Monday: checks, disputes and their resolution, calls and promises, then the dunning run."""
    with app.uow() as uow:
        if uow.session.execute(select(ct.dunning_runs.c.id).limit(1)).first() is not None:
            return
    week = _Week(app, rng, ctx)
    day, weeks = FIRST_MONDAY, (LAST_DAY - FIRST_MONDAY).days // 7 + 1
    for step in range(weeks):
        week.run(day)
        ctx.progress(step + 1, weeks)
        day += timedelta(days=7)
    week.write_off_oldest(LAST_DAY)


class _Week:
    def __init__(self, app: App, rng: random.Random, ctx: DemoContext) -> None:
        self.app, self.rng, self.ctx = app, rng, ctx
        self.system = Actor.system()
        self.analyst = _actor(ctx, Role.BILLING_ANALYST)
        self.supervisor = _actor(ctx, Role.SUPERVISOR)
        self.disputed: set[int] = set()
        self.to_resolve: list[tuple[date, int]] = []
        self.cases: dict[int, int] = {}  # dispute → the customer's e-mail case
        self.renderer = WeasyLetterRenderer()

    def run(self, day: date) -> None:
        close_credited_disputes(self.app.uow(), self.app.clock, self.system, on=day)
        check_promises(self.app.uow(), self.app.clock, self.system, day)
        evaluate_holds(self.app.uow(), self.app.clock, self.system, day)
        self._resolve_due(day)
        self._dispute_some(day)
        self._work_the_lists(day)
        renderer = self.renderer if day >= RENDER_FROM else None
        run_dunning(self.app.uow(), self.app.clock, self.system, day, renderer=renderer)

    def _dispute_some(self, day: date) -> None:
        with self.app.uow() as uow:
            overdue = [i for i in uow.dunning.overdue_items(day) if i.id not in self.disputed]
            still_open = {i.id: i for i in uow.ledger.items([i.id for i in overdue if i.id is not None]).values()}
        candidates = [i for i in overdue if i.id in still_open and still_open[i.id].remaining.amount > 0]
        for item in self.rng.sample(candidates, k=min(len(candidates), self.rng.choice((0, 1, 1, 2)))):
            assert item.id is not None
            reason = self.rng.choice(list(Reason))
            amount = min(still_open[item.id].remaining, item.remaining)
            case_id = self._mail_in(day, item.customer_number, item.reference, reason)
            dispute = open_dispute(
                self.app.uow(), self.app.clock, self.system, item.reference, reason,
                DEPARTMENT.get(reason, Department.SALES), on=day, amount=amount,
                description="customer contests the invoice by e-mail",
            )  # fmt: skip
            self.disputed.add(item.id)
            assert dispute.id is not None
            self.to_resolve.append((day + timedelta(days=self.rng.choice((7, 14, 21, 35))), dispute.id))
            if case_id is not None:  # the e-mail is answered by opening the dispute, and closed with it
                update_case(
                    self.app.uow(), self.app.clock, self.system, case_id, state=CaseState.ANSWERED,
                    dispute_id=dispute.id,
                )  # fmt: skip
                self.cases[dispute.id] = case_id
        if self.rng.random() < 0.3:  # now and then a remitter nobody knows asks about a payment
            stranger = Message(
                f"<demo-{day}-unknown@remitters.example>", f"accounts.{day:%m%d}@remitters.example",
                "Payment advice", "Please confirm you received our transfer of last week.",
                datetime.combine(day, time(8, 30), UTC),
            )  # fmt: skip
            import_messages(self.app.uow(), self.app.clock, self.system, [stranger])

    def _mail_in(self, day: date, customer: str, number: str, reason: Reason) -> int | None:
        """The customer's e-mail contesting ``number``, imported as a case (matched by the sender's address)."""
        with self.app.uow() as uow:
            found = uow.customers.get_by_number(customer)
            contact = found.billing_contact() if found else None
        if contact is None or not contact.email:
            return None
        subject = f"{number}: {str(reason).replace('_', ' ')}"
        message = Message(
            f"<demo-{day}-{number}@customers.example>", contact.email, subject,
            f"Dear AR team,\n\nwe contest invoice {number} ({reason}). Please correct it.\n",
            datetime.combine(day, time(9, 0), UTC),
        )  # fmt: skip
        created = import_messages(self.app.uow(), self.app.clock, self.system, [message]).created
        return created[0] if created else None

    def _resolve_due(self, day: date) -> None:
        due = [d for when, d in self.to_resolve if when <= day]
        self.to_resolve = [(when, d) for when, d in self.to_resolve if when > day]
        for dispute_id in due:
            resolution = self.rng.choice((Resolution.CREDIT_NOTE, Resolution.CREDIT_NOTE, Resolution.REJECTED))
            dispute = resolve_dispute(self.app.uow(), self.app.clock, self.analyst, dispute_id, resolution, on=day)
            if dispute_id in self.cases:
                case_id = self.cases.pop(dispute_id)
                update_case(self.app.uow(), self.app.clock, self.system, case_id, state=CaseState.CLOSED)
            if dispute.credit_note_id is not None:
                try:
                    approve_invoice(self.app.uow(), self.app.clock, self.supervisor, dispute.credit_note_id)
                except InvalidState as exc:  # the customer's invoices are stopped: the credit note waits
                    if exc.code != "invoice.stopped":
                        raise
                    continue
                self._issue(dispute.credit_note_id, day)

    def _issue(self, note_id: int, day: date) -> None:
        """Issue on ``day``, or on the series' last date when another credit note is dated later already."""
        try:
            issue_invoice(self.app.uow(), self.app.clock, self.analyst, note_id, issue_date=day)
        except InvalidState as exc:
            if exc.code != "invoice.issue_date_before_last":
                raise
            last = date.fromisoformat(exc.fields["last_issue_date"])
            issue_invoice(self.app.uow(), self.app.clock, self.analyst, note_id, issue_date=last)

    def _work_the_lists(self, day: date) -> None:
        for index, collector in enumerate(self.ctx.usernames(Role.COLLECTOR.value)):
            actor = Actor(collector, frozenset({Role.COLLECTOR}))
            entries = collector_worklist(self.app.uow(), actor, collector, day)[:2]
            for entry in entries:
                customer = entry.facts.customer_number
                if entry.facts.promise_pending or self.rng.random() < 0.4:
                    summary = "called the accounts payable team, no answer; voicemail left"
                    record_activity(self.app.uow(), self.app.clock, actor, customer, ActivityKind.CALL, summary, on=day)
                    continue
                currency = self._currency(customer)
                overdue = Money(entry.facts.overdue, currency).rounded()
                coming = self._cash_coming(customer, day)
                if coming is not None:  # a customer who will pay promises what it will pay, a little ahead of it
                    paid_on, paid = coming
                    amount = min(paid, overdue)
                    promised = paid_on + timedelta(days=self.rng.choice((0, 1, 2, 3)))
                elif self.rng.random() < 0.5:  # the others promise, and break it
                    amount, promised = overdue, day + timedelta(days=self.rng.choice((5, 7, 10, 14)))
                else:
                    summary = "customer disputes being late; asked for copies of the invoices"
                    record_activity(self.app.uow(), self.app.clock, actor, customer, ActivityKind.CALL, summary, on=day)
                    continue
                make_promise(
                    self.app.uow(), self.app.clock, actor, customer, amount, promised, on=day,
                    summary=f"{customer} promised {amount} by {promised} (call #{index + 1})",
                )  # fmt: skip

    def _cash_coming(self, customer: str, day: date) -> tuple[date, Money] | None:
        """The first day in the next two weeks on which cash is applied to the account (the demo's bank statements
        are all imported already), and what was applied up to then; ``None`` if nothing comes."""
        with self.app.uow() as uow:
            payments = sorted(uow.collection_work.payments(customer, (), day, day + timedelta(days=14)))
        if not payments:
            return None
        first = payments[0][0]
        amounts = [a for d, a in payments if d == first]
        total = amounts[0]
        for amount in amounts[1:]:
            total = total + amount
        return (first, total) if total.amount > 0 else None

    def _currency(self, customer: str) -> str:
        with self.app.uow() as uow:
            found = uow.customers.get_by_number(customer)
        return found.currency if found else "EUR"

    def write_off_oldest(self, day: date) -> None:
        with self.app.uow() as uow:
            overdue = [i.id for i in uow.dunning.overdue_items(day) if i.id is not None]
            frozen = uow.disputes.frozen_amounts(overdue)
            items = [i for i in uow.ledger.items(overdue).values() if i.remaining.amount > 0 and i.id not in frozen]
        oldest = min(items, key=lambda i: (i.due_date, i.id or 0), default=None)
        if oldest is None or oldest.id is None:
            return
        write_off = prepare_write_off(
            self.app.uow(), self.app.clock, _actor(self.ctx, Role.COLLECTOR), oldest.id, "customer declared insolvent"
        )
        assert write_off.id is not None
        decide_write_off(self.app.uow(), self.app.clock, self.supervisor, write_off.id, approve=True, on=day)


CHAPTERS = [
    Chapter("collections-setup", "Collections: reference rates, dunning policy, provision matrix, portfolios", set_up),
    Chapter("collections", "Weekly checks, disputes, calls and promises, and dunning runs", simulate),
]
COUNTS = [
    Count("dunning letters", ct.dunning_letters, ct.dunning_letters.c.level_name),
    Count("disputes", ct.disputes, ct.disputes.c.state),
    Count("customer cases", ct.customer_cases, ct.customer_cases.c.state),
    Count("promises", ct.payment_promises, ct.payment_promises.c.status),
    Count("collection activities", ct.collection_activities, ct.collection_activities.c.kind),
    Count("credit holds", ct.credit_holds, ct.credit_holds.c.reason),
    Count("write-offs", ct.write_offs, ct.write_offs.c.status),
]
