"""Gapless numbering under concurrent issuing on PostgreSQL: many workers issue at once, some issues fail after
their number was allocated, and the series still has no gap and no duplicate.

The test commits for real, so it builds its own PostgreSQL schema and drops it at the end.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from cashtrail.bootstrap import App
from cashtrail.clock import FixedClock
from cashtrail.config import Settings
from cashtrail.db.engine import make_engine
from cashtrail.db.mappers import start_mappers
from cashtrail.db.schema import upgrade
from cashtrail.errors import InvalidState
from cashtrail.identity.model import Actor
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import ManualLine, create_invoice
from tests import factories
from tests.conftest import BACKENDS, POSTGRES_URL

pytestmark = pytest.mark.postgres

WORKERS = 8
READY, NEEDING_APPROVAL = 60, 20


@pytest.fixture
def pg_app():
    if "postgresql" not in BACKENDS:
        pytest.skip("CASHTRAIL_TEST_BACKENDS excludes postgresql")
    start_mappers()
    schema = f"ct_numbering_{os.getpid()}_{threading.get_ident() % 10_000}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in POSTGRES_URL else "?"
    engine = make_engine(f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}")
    upgrade(engine)
    settings = Settings(database_url=str(engine.url), env="test")
    clock = FixedClock(datetime(2026, 5, 4, 9, 0, tzinfo=UTC))
    yield App(settings, engine, sessionmaker(bind=engine, expire_on_commit=False), clock)
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


def _drafts(app: App) -> list[int]:
    factories.legal_entity(app, code="BE01", country="BE", approval_threshold=None, approve_first_invoice=True)
    factories.customer(app, number="C1")
    ids = []
    for i in range(READY + NEEDING_APPROVAL):
        # A draft naming a contract is its first invoice and needs approval: issuing it fails after allocation.
        contract = f"LIFT-{i}" if i % 4 == 3 else ""
        line = ManualLine(f"Service {i}", Decimal(1), Decimal("100.00") + i)
        ids.append(create_invoice(app.uow(), app.clock, Actor.system(), "C1", [line], contract_number=contract).id)
    return ids


def test_concurrent_issues_leave_no_gap_and_no_duplicate(pg_app):
    ids = _drafts(pg_app)
    start = threading.Barrier(WORKERS)

    def issue(chunk: list[int]) -> tuple[list[str], int]:
        start.wait()
        numbers, refused = [], 0
        for invoice_id in chunk:
            try:
                doc = issue_invoice(pg_app.uow(), pg_app.clock, Actor.system(), invoice_id, issue_date=date(2026, 5, 4))
                numbers.append(doc.number)
            except InvalidState as exc:
                refused += exc.code == "invoice.approval_required"
        return numbers, refused

    chunks = [ids[i::WORKERS] for i in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(issue, chunks))
    numbers = [n for issued, _ in results for n in issued]
    assert sum(refused for _, refused in results) == NEEDING_APPROVAL
    assert len(numbers) == len(set(numbers)) == READY
    assert sorted(numbers) == [f"INV-BE01-2026-{n:06d}" for n in range(1, READY + 1)]
    with pg_app.engine.connect() as conn:
        last = conn.execute(text("SELECT last_value FROM number_series WHERE legal_entity = 'BE01'")).scalar_one()
        stored = conn.execute(text("SELECT count(*) FROM invoices WHERE number IS NOT NULL")).scalar_one()
        posted = conn.execute(text("SELECT count(*) FROM journal_entries WHERE kind = 'invoice'")).scalar_one()
    assert (last, stored, posted) == (READY, READY, READY)
