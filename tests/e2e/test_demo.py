"""``cashtrail demo`` end to end: the real console script on a fresh SQLite file, then the database it built.

Also: the chapters on both backends through the rolled-back ``app`` fixture, determinism across two fresh files,
and the reset rules (a demo database is rebuilt, a database holding other data is refused and left untouched).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.us import ein

from cashtrail.bootstrap import App, bootstrap
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade
from cashtrail.demo import DEMO_PASSWORD, build_demo, summarize
from cashtrail.demo.context import DEMO_REASON
from cashtrail.demo.database import DemoRefused, prepare_database
from cashtrail.identity.model import Role
from cashtrail.identity.services import authenticate
from cashtrail.parties.model import AddressKind, Customer
from cashtrail.parties.services import validate_customer
from tests import factories

CASHTRAIL = Path(sys.executable).with_name("cashtrail")
CUSTOMERS = 60
SIX_COUNTRIES = {"BE", "FR", "NL", "ES", "DE", "US"}


def run_demo(database_url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``cashtrail demo --no-serve ARGS`` in a subprocess with its own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASHTRAIL_")}
    env.update(CASHTRAIL_DATABASE_URL=database_url, COLUMNS="200", NO_COLOR="1")
    assert CASHTRAIL.exists(), f"console script not installed at {CASHTRAIL}"
    return subprocess.run(
        [str(CASHTRAIL), "demo", "--no-serve", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def open_app(database_url: str) -> App:
    return bootstrap(Settings(database_url=database_url, env="test"))


def all_customers(app: App) -> list[Customer]:
    with app.uow() as uow:
        return list(uow.customers.page(after_id=None, limit=100_000))


def assert_valid_tax_number(customer: Customer) -> None:
    number = customer.vat_number or ""
    if customer.country == "US":
        ein.validate(number)
    elif customer.country == "GB":
        gb_vat.validate(number)
    else:
        eu_vat.validate(number)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, subprocess.CompletedProcess[str]]:
    """One demo database built by the console script, shared by the read-only checks below."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'cashtrail.db'}"
    return url, folder, run_demo(url, folder, "--customers", str(CUSTOMERS))


@pytest.fixture(scope="module")
def demo_app(built: tuple[str, Path, subprocess.CompletedProcess[str]]) -> Iterator[App]:
    url, _, result = built
    assert result.returncode == 0, result.stderr
    app = open_app(url)
    yield app
    app.engine.dispose()


def test_the_demo_command_exits_cleanly_and_prints_the_summary_and_the_password(built):
    _, _, result = built
    assert result.returncode == 0, result.stderr
    assert "Demo company" in result.stdout
    assert re.search(rf"customers\s*│\s*{CUSTOMERS}\s*│", result.stdout), result.stdout
    assert "collector1" in result.stdout
    assert "supervisor" in result.stdout
    assert f"password is {DEMO_PASSWORD}" in result.stdout


def test_customers_live_in_all_six_countries_with_valid_vat_numbers_and_ibans(demo_app):
    customers = all_customers(demo_app)
    assert len(customers) == CUSTOMERS
    assert {c.country for c in customers} >= SIX_COUNTRIES
    assert {c.currency for c in customers} == {"EUR", "USD", "GBP"}
    for customer in customers:
        assert_valid_tax_number(customer)
        if customer.iban:
            stdnum_iban.validate(customer.iban)
    assert sum(1 for c in customers if c.iban) > CUSTOMERS // 2


def test_every_customer_has_a_bill_to_address_a_billing_contact_a_collector_and_an_analyst(demo_app):
    for customer in all_customers(demo_app):
        assert customer.address(AddressKind.BILL_TO) is not None, customer.number
        contact = customer.billing_contact()
        assert contact is not None, customer.number
        assert "@" in contact.email, customer.number
        assert customer.collector_id is not None
        assert customer.analyst_id is not None


def test_users_exist_for_every_role_and_sign_in_with_the_demo_password(demo_app):
    with demo_app.uow() as uow:
        users = list(uow.users.all())
    assert {role for user in users for role in user.role_set()} == set(Role)
    assert sum(1 for user in users if Role.COLLECTOR in user.role_set()) == 3
    for user in users:
        assert authenticate(demo_app.uow(), user.username, DEMO_PASSWORD).roles == user.role_set()


def test_each_customer_has_its_creation_in_the_audit_trail(demo_app):
    with demo_app.uow() as uow:
        for customer in uow.customers.page(after_id=None, limit=100_000):
            events = uow.audit.for_entity("customer", customer.number)
            assert [(e.action, e.actor, e.reason) for e in events] == [("customer.created", "system", DEMO_REASON)]


def test_running_the_demo_again_without_reset_adds_nothing(built, demo_app):
    url, folder, _ = built
    before = summarize(demo_app)
    again = run_demo(url, folder, "--customers", str(CUSTOMERS), "--no-reset")
    assert again.returncode == 0, again.stderr
    assert "Deleted" not in again.stdout
    assert summarize(demo_app) == before


def test_by_default_a_demo_database_is_rebuilt_with_the_same_customers(built, demo_app):
    url, folder, _ = built
    before = [c.snapshot() for c in all_customers(demo_app)]
    demo_app.engine.dispose()
    again = run_demo(url, folder, "--customers", str(CUSTOMERS))
    assert again.returncode == 0, again.stderr
    assert "Deleted the previous database" in again.stdout
    assert [c.snapshot() for c in all_customers(demo_app)] == before


def test_a_database_holding_other_data_is_refused_and_left_untouched(tmp_path):
    url = f"sqlite:///{tmp_path / 'cashtrail.db'}"
    app = open_app(url)
    upgrade(app.engine)
    factories.customer(app, number="REAL-1")
    app.engine.dispose()
    result = run_demo(url, tmp_path)
    assert result.returncode == 4
    assert "--reset" in result.stderr
    assert [c.number for c in all_customers(app)] == ["REAL-1"]
    with app.uow() as uow:
        assert list(uow.users.all()) == []
    app.engine.dispose()


def test_prepare_refuses_other_data_and_production_and_recreates_a_demo_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'cashtrail.db'}"
    app = open_app(url)
    upgrade(app.engine)
    factories.customer(app, number="REAL-1")
    with pytest.raises(DemoRefused):
        prepare_database(app, None)
    with pytest.raises(DemoRefused):
        prepare_database(
            App(Settings(database_url=url, env="prod", secret_key="s3cret"), app.engine, app.session_factory), True
        )
    assert prepare_database(app, True)[0].startswith("Deleted the previous database")
    assert all_customers(app) == []
    app.engine.dispose()


def test_the_same_seed_builds_the_same_company_in_two_fresh_databases(tmp_path):
    def build(name: str) -> tuple[list[dict[str, object]], list[dict[str, object]], list[dict[str, object]]]:
        app = open_app(f"sqlite:///{tmp_path / name}")
        upgrade(app.engine)
        build_demo(app, seed=99, customers=40)
        with app.uow() as uow:
            products = [p.snapshot() for p in uow.products.page(after_id=None, limit=1000)]
            prices = [p.snapshot() for p in uow.price_lists.page(after_id=None, limit=1000)]
        customers = [c.snapshot() for c in all_customers(app)]
        app.engine.dispose()
        return customers, products, prices

    assert build("one.db") == build("two.db")


def test_the_chapters_build_a_valid_company_and_are_idempotent(app):
    ctx = build_demo(app, seed=11, customers=35)
    assert len(ctx.customers) == 35
    assert set(ctx.customers_by_country) >= SIX_COUNTRIES
    assert sorted(ctx.users.values()) == sorted([*(r.value for r in Role if r != Role.COLLECTOR), *["collector"] * 3])
    with app.uow() as uow:
        assert uow.customers.count() == 35
        customers = {c.number: c for c in uow.customers.page(after_id=None, limit=1000)}
        for customer in customers.values():
            assert validate_customer(uow, customer) == [], customer.number
            assert [e.action for e in uow.audit.for_entity("customer", customer.number)] == ["customer.created"]
        by_id = {c.id: c for c in customers.values()}
        subsidiaries = [c for c in customers.values() if c.parent_id is not None]
        assert subsidiaries
        assert all(by_id[c.parent_id].country != c.country for c in subsidiaries)
    before = summarize(app)
    build_demo(app, seed=11, customers=35)
    assert summarize(app) == before


def test_the_demo_ledger_balances_and_ar_control_equals_the_open_items_after_cash_application(demo_app):
    from cashtrail.cashapp.model import ReceiptStatus
    from cashtrail.identity.model import Actor
    from cashtrail.ledger.checks import ledger_problems

    figures, problems = ledger_problems(demo_app.uow(), Actor.system())
    assert problems == []
    assert Decimal(figures["EUR"]["bank"]) > 0  # the camt.053 receipts were booked
    assert Decimal(figures["EUR"]["ar_control"]) == Decimal(figures["EUR"]["open_items"])
    with demo_app.uow() as uow:
        applied = uow.cash.receipts(ReceiptStatus.APPLIED)
        waiting = uow.cash.receipts(ReceiptStatus.SUSPENSE)
    assert len(applied) > 10 * len(waiting) > 0  # most cash applies itself; the unidentifiable wait in suspense


def test_the_demo_runs_months_of_dunning_disputes_and_promises_and_its_metrics_move(demo_app):
    from datetime import date

    from sqlalchemy import func, select

    from cashtrail.analytics.queries import refresh_read_model, report
    from cashtrail.db import collections_tables as ct
    from cashtrail.db import invoicing_tables as it
    from cashtrail.identity.model import Actor

    with demo_app.uow() as uow:
        levels = set(uow.session.scalars(select(ct.dunning_letters.c.level_number)))
        promises = dict(
            uow.session.execute(select(ct.payment_promises.c.status, func.count()).group_by("status")).all()
        )
        credited = uow.session.scalar(
            select(func.count()).select_from(ct.disputes).where(ct.disputes.c.credit_note_id.is_not(None))
        )
        mails = uow.session.scalar(
            select(func.count()).select_from(it.outbox).where(it.outbox.c.entity_type == "dunning_letter")
        )
        cases = uow.session.execute(select(ct.customer_cases.c.state, ct.customer_cases.c.dispute_id)).all()
    assert levels == {1, 2, 3, 4}
    assert {state for state, _ in cases} == {"open", "answered", "closed"}  # e-mails in every state
    assert any(dispute for _, dispute in cases)  # a customer's e-mail led to its dispute
    assert promises.get("broken", 0) > 0
    assert promises.get("kept", 0) > 0.3 * (promises.get("kept", 0) + promises["broken"])  # a plausible kept rate
    assert credited > 0
    assert mails > 0  # the last month's letters went to the outbox with their PDF
    refresh_read_model(demo_app.uow())
    month_ends = (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30))
    dso = [report(demo_app.uow(), Actor.system(), "dso", day)["values"]["EUR"] for day in month_ends]
    assert len(set(dso)) == 3  # the figures move with the months


def test_the_toner_board_shows_the_seeded_errors_and_approved_excess_charges_wait_for_billing(demo_app):
    with demo_app.uow() as uow:
        records = uow.toner_board.records()
        findings = uow.toner_board.findings([r.id for r in records if r.id is not None])
        codes = {f.code for f in findings}
        approved = [r for r in records if r.status.value == "approved" and (r.total_charge or 0) > 0]
        queued = {r.key: uow.pending_charges.of_origin("toner", r.key) for r in approved}
    seeded = {
        "no_toner_contract",  # an agreement without a set-up
        "setup_inconsistent",  # a set-up's coverage, and another's period, against its contract's
        "asset_not_on_contract",  # a mistyped serial
        "mapping_error",
        "no_cartridge_cost",
        "duplicate_shipment",  # an upload sent twice
        "usage_without_shipments",  # a device whose shipments never reach the uploads
        "cartridge_not_uploaded",  # a device whose shipments stop reaching them in May
    }
    assert seeded <= codes
    inconsistent = [f.message for f in findings if f.code == "setup_inconsistent"]
    assert any("allowance %" in m for m in inconsistent), inconsistent
    assert any("period half_yearly ≠ quarterly" in m for m in inconsistent), inconsistent
    statuses = {r.status.value for r in records}
    assert {"calculated", "findings_open", "under_review", "approved", "no_charge", "closed"} <= statuses
    assert approved, "no excess charge was approved"
    for key, states in queued.items():
        assert states, f"{key} approved without a pending charge"
        assert all(s.status == "pending" for s in states), key
