"""SQL repository of disputes and customer cases (Core)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from cashtrail.db import collections_tables as ct
from cashtrail.db import tables as t
from cashtrail.db.repositories.billing import chunks
from cashtrail.disputes.cases import Case, CaseState, Channel
from cashtrail.disputes.model import Department, Dispute, Reason, Resolution, State
from cashtrail.money import Money

_ACTIVE = (State.OPEN, State.ASSIGNED, State.AWAITING_CUSTOMER, State.AWAITING_DEPARTMENT)


class SqlDisputeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, dispute: Dispute) -> None:
        table = ct.disputes
        dispute.id = int(self.session.execute(insert(table).values(**_row(dispute)).returning(table.c.id)).scalar_one())

    def save(self, dispute: Dispute) -> None:
        self.session.execute(update(ct.disputes).where(ct.disputes.c.id == dispute.id).values(**_row(dispute)))

    def get(self, dispute_id: int) -> Dispute | None:
        row = self.session.execute(select(ct.disputes).where(ct.disputes.c.id == dispute_id)).first()
        return None if row is None else _dispute(row)

    def in_state(self, state: str) -> list[Dispute]:
        return self.search(state=state)

    def search(self, *, state: str | None = None, customer: str | None = None) -> list[Dispute]:
        d = ct.disputes.c
        query = select(ct.disputes).order_by(d.id.desc())
        if state:
            query = query.where(d.state == state)
        if customer:
            query = query.where(d.customer_number == customer)
        return [_dispute(r) for r in self.session.execute(query)]

    def frozen_amounts(self, item_ids: Sequence[int]) -> dict[int, Money]:
        """The disputed amount per open item, over its disputes not resolved yet or waiting for their credit note."""
        d = ct.disputes.c
        found: dict[int, Money] = {}
        for batch in chunks(sorted({i for i in item_ids if i is not None})):
            waiting_credit = and_(d.state == State.RESOLVED, d.resolution == Resolution.CREDIT_NOTE)
            frozen = or_(d.state.in_(_ACTIVE), waiting_credit)
            query = select(d.item_id, d.amount, d.currency).where(d.item_id.in_(batch), frozen)
            for r in self.session.execute(query):
                amount = Money(r.amount, r.currency)
                found[r.item_id] = found[r.item_id] + amount if r.item_id in found else amount
        return found

    def past_sla_count(self, customers: Sequence[str], today: date) -> dict[str, int]:
        d = ct.disputes.c
        found: dict[str, int] = defaultdict(int)
        for batch in chunks(sorted(set(customers))):
            query = (
                select(d.customer_number, func.count())
                .where(d.customer_number.in_(batch), d.state.in_(_ACTIVE), d.sla_due_on < today)
                .group_by(d.customer_number)
            )
            for customer, count in self.session.execute(query):
                found[customer] = int(count)
        return dict(found)

    def add_case(self, case: Case) -> None:
        table = ct.customer_cases
        case.id = int(self.session.execute(insert(table).values(**_case_row(case)).returning(table.c.id)).scalar_one())

    def save_case(self, case: Case) -> None:
        self.session.execute(
            update(ct.customer_cases).where(ct.customer_cases.c.id == case.id).values(**_case_row(case))
        )

    def get_case(self, case_id: int) -> Case | None:
        row = self.session.execute(select(ct.customer_cases).where(ct.customer_cases.c.id == case_id)).first()
        return None if row is None else _case(row)

    def cases(self, *, state: str | None = None, customer: str | None = None) -> list[Case]:
        c = ct.customer_cases.c
        query = select(ct.customer_cases).order_by(c.id.desc())
        if state:
            query = query.where(c.state == state)
        if customer:
            query = query.where(c.customer_number == customer)
        return [_case(r) for r in self.session.execute(query)]

    def known_message_ids(self, message_ids: Sequence[str]) -> set[str]:
        c = ct.customer_cases.c
        found: set[str] = set()
        for batch in chunks(sorted(set(message_ids))):
            found |= set(self.session.scalars(select(c.message_id).where(c.message_id.in_(batch))))
        return found

    def customer_by_email(self, address: str) -> str | None:
        k, c = t.customer_contacts.c, t.customers.c
        query = (
            select(c.number)
            .join_from(t.customer_contacts, t.customers)
            .where(func.lower(k.email) == address.strip().lower())
            .order_by(c.number)
        )
        return self.session.scalars(query).first()


def _row(d: Dispute) -> dict[str, Any]:
    return {
        "customer_number": d.customer_number,
        "invoice_number": d.invoice_number,
        "item_id": d.item_id,
        "line_number": d.line_number,
        "reason": str(d.reason),
        "department": str(d.department),
        "currency": d.amount.currency,
        "amount": d.amount.amount,
        "state": str(d.state),
        "owner": d.owner,
        "description": d.description,
        "opened_on": d.opened_on,
        "sla_due_on": d.sla_due_on,
        "resolution": None if d.resolution is None else str(d.resolution),
        "resolved_on": d.resolved_on,
        "closed_on": d.closed_on,
        "credit_note_id": d.credit_note_id,
        "case_id": d.case_id,
        "opened_by": d.opened_by,
    }


def _dispute(r: Any) -> Dispute:
    return Dispute(
        r.customer_number,
        r.invoice_number,
        Reason(r.reason),
        Department(r.department),
        Money(r.amount, r.currency),
        r.opened_on,
        r.opened_by,
        r.description,
        r.line_number,
        r.item_id,
        State(r.state),
        r.owner,
        r.sla_due_on,
        None if r.resolution is None else Resolution(r.resolution),
        r.resolved_on,
        r.closed_on,
        r.credit_note_id,
        r.case_id,
        r.id,
    )


def _case_row(c: Case) -> dict[str, Any]:
    return {
        "customer_number": c.customer_number,
        "channel": str(c.channel),
        "subject": c.subject,
        "body": c.body,
        "sender": c.sender[:254],
        "message_id": c.message_id,
        "received_at": c.received_at,
        "sla_due_at": c.sla_due_at,
        "state": str(c.state),
        "invoice_numbers": list(c.invoice_numbers),
        "dispute_id": c.dispute_id,
        "closed_at": c.closed_at,
    }


def _case(r: Any) -> Case:
    return Case(
        Channel(r.channel),
        r.subject,
        r.body,
        r.sender,
        r.received_at,
        r.customer_number,
        r.message_id,
        list(r.invoice_numbers),
        CaseState(r.state),
        r.sla_due_at,
        r.dispute_id,
        r.closed_at,
        r.id,
    )
