"""The collections dashboard in a real browser: the trend charts are drawn by Chart.js from the page's data, with
no console error under the workbench's CSP (no inline script)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.issue_services import issue_invoice
from cashtrail.invoicing.prepare_services import ManualLine, create_invoice
from tests import factories
from tests.web.support import PASSWORD, served
from tests.web.test_browser import browser, page, screenshot  # noqa: F401 - shared browser fixtures

pytestmark = pytest.mark.web
ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))


@pytest.fixture(scope="module")
def collections_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("collections-browser") / "workbench.db"
    app = bootstrap(Settings(database_url=f"sqlite:///{database}", env="test", secret_key="browser-test-secret"))
    upgrade(app.engine)
    factories.user(app, username="sam", roles=["supervisor"], password=PASSWORD)
    factories.legal_entity(app, code="BE01", country="BE", default=True, approve_first_invoice=False)
    factories.customer(app, number="C1")
    for month in range(1, 5):
        doc = create_invoice(app.uow(), app.clock, ANN, "C1", [ManualLine("Service", Decimal(1), Decimal("500.00"))])
        issue_invoice(app.uow(), app.clock, ANN, doc.id, issue_date=date(2026, month, 1))
    with served(app) as url:
        yield url


def test_the_dashboard_draws_its_trend_charts(collections_server: str, page: Page, tmp_path: Path) -> None:  # noqa: F811
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{collections_server}/collections?as_of=2026-04-30")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_contain_text("Collections")
    expect(page.locator("#headline-table")).to_contain_text("DSO, period-end")
    charts = page.locator("canvas.trend-chart")
    expect(charts).to_have_count(2)
    page.wait_for_function(
        "() => document.querySelectorAll('canvas.trend-chart').length === 2 && window.Chart !== undefined && "
        "[...document.querySelectorAll('canvas.trend-chart')].every(c => window.Chart.getChart(c))"
    )
    datasets = page.evaluate(
        "[...document.querySelectorAll('canvas.trend-chart')].map(c => window.Chart.getChart(c).data.datasets.length)"
    )
    assert datasets == [3, 6]  # DSO, CEI, percent current; six aging buckets
    shot = screenshot(page, tmp_path / "collections-dashboard.png")
    assert shot.stat().st_size > 0
    assert problems == [], f"browser console errors: {problems}"
