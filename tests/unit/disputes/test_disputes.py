"""Disputes and cases as pure domain: states, resolution, SLA, invoice numbers in free text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cashtrail.disputes.cases import Case, CaseState, Channel, invoice_numbers_in
from cashtrail.disputes.model import Department, Dispute, Reason, Resolution, State
from cashtrail.errors import InvalidState, ValidationFailed
from cashtrail.money import Money


def _dispute(**kw: object) -> Dispute:
    base: dict[str, object] = {
        "customer_number": "C1",
        "invoice_number": "INV-BE01-2026-000001",
        "reason": Reason.PRICING,
        "department": Department.BILLING,
        "amount": Money.of("50.00", "EUR"),
        "opened_on": date(2026, 5, 1),
        "opened_by": "ann",
    }
    return Dispute(**{**base, **kw})  # type: ignore[arg-type]


def test_the_sla_runs_from_the_opening_day_per_department() -> None:
    assert _dispute().sla_due_on == date(2026, 5, 6)  # billing: 5 days
    assert _dispute(department=Department.TONER).sla_due_on == date(2026, 5, 16)
    assert _dispute().past_sla(date(2026, 5, 7))
    assert not _dispute().past_sla(date(2026, 5, 6))


def test_a_dispute_moves_through_the_working_states_and_freezes_dunning_until_resolved() -> None:
    dispute = _dispute()
    dispute.assign("sam")
    assert dispute.state == State.ASSIGNED
    dispute.move(State.AWAITING_CUSTOMER)
    dispute.move(State.AWAITING_DEPARTMENT)
    assert dispute.freezes_dunning
    dispute.resolve(Resolution.CREDIT_NOTE, date(2026, 5, 9))
    assert (dispute.state, dispute.freezes_dunning) == (State.RESOLVED, True)  # until the credit note is issued
    dispute.close(date(2026, 5, 10))
    assert (dispute.state, dispute.freezes_dunning) == (State.CLOSED, False)
    with pytest.raises(InvalidState):
        dispute.assign("sue")


def test_a_rejection_or_rebill_closes_at_once_but_a_credit_note_waits_for_its_issue() -> None:
    rejected = _dispute()
    rejected.resolve(Resolution.REJECTED, date(2026, 5, 3))
    assert (rejected.state, rejected.closed_on) == (State.CLOSED, date(2026, 5, 3))
    credited = _dispute()
    credited.resolve(Resolution.CREDIT_NOTE, date(2026, 5, 3))
    assert (credited.state, credited.closed_on) == (State.RESOLVED, None)


@pytest.mark.parametrize(
    ("start", "to"), [(State.OPEN, State.RESOLVED), (State.OPEN, State.CLOSED), (State.ASSIGNED, State.OPEN)]
)
def test_moves_outside_the_working_states_are_refused(start: State, to: State) -> None:
    dispute = _dispute(state=start)
    with pytest.raises(InvalidState) as refused:
        dispute.move(to)
    assert refused.value.code == "dispute.bad_transition"
    assert dispute.state == start


def test_a_dispute_needs_a_positive_amount_and_cannot_resolve_before_it_opened() -> None:
    with pytest.raises(ValidationFailed):
        _dispute(amount=Money.of("0", "EUR"))
    dispute = _dispute()
    with pytest.raises(ValidationFailed):
        dispute.resolve(Resolution.REBILL, date(2026, 4, 30))
    assert dispute.state == State.OPEN


def test_invoice_numbers_are_found_in_any_case_and_spacing_once_each() -> None:
    text = "RE: inv-be01-2026-000123 / INV BE01 2026 000124? INVBE012026000123, CN-FR01-2026-000002"
    assert invoice_numbers_in(text) == ["INV-BE01-2026-000123", "CN-FR01-2026-000002"]
    assert invoice_numbers_in("order 2026-000123") == []


def test_a_case_has_a_48_hour_sla_and_closes_once() -> None:
    received = datetime(2026, 5, 1, 9, tzinfo=UTC)
    case = Case(Channel.EMAIL, "Question", "", "a@b.example", received)
    assert case.sla_due_at == received + timedelta(hours=48)
    assert case.past_sla(received + timedelta(hours=49))
    case.answer()
    assert not case.past_sla(received + timedelta(hours=49))
    case.close(received + timedelta(days=3))
    assert case.state == CaseState.CLOSED
    with pytest.raises(InvalidState):
        case.close(received + timedelta(days=4))
