"""A contract's toner reconciliation period on a real database (SQLite and PostgreSQL): stored, read back,
amended, refused when unknown, and compared with the set-up by the reconciliation run."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from cashtrail.bootstrap import App
from cashtrail.contracts.model import Contract, TonerPeriod
from cashtrail.contracts.services import amend_contract
from cashtrail.db import billing_tables as bt
from cashtrail.db import tables as t
from cashtrail.errors import ValidationFailed
from cashtrail.identity.model import Actor
from cashtrail.toner.run_services import run_reconciliation
from tests import factories
from tests.toner_scenario import AGREEMENT, mps_contract, worked_example


def _stored(app: App, number: str = AGREEMENT) -> Contract:
    with app.uow() as uow:
        found = uow.contracts.get_by_number(number)
    assert found is not None
    return found


def _state(app: App, period: str | None, reason: str) -> None:
    amended = replace(_stored(app), toner_reconciliation_period=period)
    amend_contract(app.uow(), app.clock, Actor.system(), amended, reason=reason)


def test_a_contracts_toner_reconciliation_period_round_trips_and_can_be_amended_away(app: App) -> None:
    factories.payment_terms(app)
    factories.customer(app, number="C1", country="BE")
    assert mps_contract(app).toner_reconciliation_period is None
    assert _stored(app).toner_reconciliation_period is None  # silent
    _state(app, TonerPeriod.HALF_YEARLY, "the contract states a half-yearly reconciliation")
    assert (_stored(app).toner_reconciliation_period, _stored(app).version) == ("half_yearly", 2)
    _state(app, None, "the clause was removed")
    assert _stored(app).toner_reconciliation_period is None
    with app.uow() as uow:
        changes = uow.session.scalars(
            select(t.audit_events.c.changes)
            .where(t.audit_events.c.action == "contract.amended")
            .order_by(t.audit_events.c.id)
        ).all()
    assert [c["toner_reconciliation_period"] for c in changes] == [[None, "half_yearly"], ["half_yearly", None]]


def test_an_unknown_toner_reconciliation_period_is_refused_and_nothing_is_written(app: App) -> None:
    factories.payment_terms(app)
    factories.customer(app, number="C1", country="BE")
    mps_contract(app)
    with pytest.raises(ValidationFailed) as refused:
        _state(app, "monthly", "a period toner is never reconciled over")
    assert [(e.field, e.value) for e in refused.value.errors] == [("toner_reconciliation_period", "monthly")]
    assert (_stored(app).toner_reconciliation_period, _stored(app).version) == (None, 1)
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(bt.contracts)) == 1


def test_a_run_flags_a_quarterly_setup_against_a_half_yearly_contract(app: App) -> None:
    worked_example(app)  # a quarterly set-up
    _state(app, TonerPeriod.HALF_YEARLY, "the contract states a half-yearly reconciliation")
    run_reconciliation(app.uow(), app.clock, Actor.system(), "2026-Q1")
    with app.uow() as uow:
        [record] = uow.toner_board.records()
        found = {f.code: f.message for f in uow.toner_board.findings([record.id])}
    assert found["setup_inconsistent"] == "set-up differs from the contract: period quarterly ≠ half_yearly"


def test_a_run_finds_no_inconsistency_when_the_contract_states_the_setups_period(app: App) -> None:
    worked_example(app)
    _state(app, TonerPeriod.QUARTERLY, "the contract states a quarterly reconciliation")
    run_reconciliation(app.uow(), app.clock, Actor.system(), "2026-Q1")
    with app.uow() as uow:
        [record] = uow.toner_board.records()
        codes = {f.code for f in uow.toner_board.findings([record.id])}
    assert "setup_inconsistent" not in codes
