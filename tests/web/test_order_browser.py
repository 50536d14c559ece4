"""The order pages in a real browser (Debian's chromium): entering an order with a deviation, the checklist with
an upload, and the discrepancy chart drawn by Chart.js without console errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade
from cashtrail.web.assets import INSTALL_HINT, VENDOR_DIR, missing_vendor_files
from tests.integration.db.orders_support import shop
from tests.web.support import PASSWORD, served
from tests.web.test_browser import browser, page, screenshot  # noqa: F401 - fixtures shared with the workbench tests

pytestmark = pytest.mark.web


@pytest.fixture(scope="module")
def order_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn serving the workbench over a SQLite file holding the order-test shop."""
    missing = missing_vendor_files()
    if missing:
        pytest.fail(f"Front-end vendor assets are missing from {VENDOR_DIR} ({', '.join(missing)}): {INSTALL_HINT}.")
    database = tmp_path_factory.mktemp("orders-browser") / "workbench.db"
    app = bootstrap(Settings(database_url=f"sqlite:///{database}", env="test", secret_key="browser-test-secret"))
    upgrade(app.engine)
    shop(app)
    with served(app) as url:
        yield url


def test_an_order_is_entered_its_checklist_completed_and_the_trend_chart_drawn(
    order_server: str,
    page: Page,  # noqa: F811
    tmp_path: Path,
) -> None:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{order_server}/orders/new")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("New order")
    for name, value in {
        "number": "SO-B1",
        "customer_number": "C1",
        "order_date": "2026-11-02",
        "contract_number": "FRAME-1",
        "po_number": "PO-B1",
    }.items():
        page.locator(f"input[name={name}]").fill(value)
    page.get_by_label("SKU of line 1").fill("MFP-C35")
    page.get_by_label("Quantity of line 1").fill("1")
    page.get_by_label("Unit price of line 1").fill("6400")
    page.get_by_label("SKU of line 2").fill("BDL-OFFICE")
    page.get_by_label("Quantity of line 2").fill("1")
    page.get_by_role("button", name="Enter and check").click()
    expect(page.locator("h1")).to_have_text("Order SO-B1")
    expect(page.locator("#finding-table")).to_contain_text("Price above contract")
    expect(page.locator("#line-table")).to_contain_text("2.5")  # the bundle's components are listed
    expect(page.locator("#accept")).to_be_disabled()
    po = tmp_path / "po.pdf"
    po.write_bytes(b"%PDF-1.7 purchase order B1")
    page.locator("#upload input[type=file]").set_input_files(str(po))
    page.locator("#upload select[name=item]").select_option("purchase_order")
    page.locator("#upload").get_by_role("button", name="Attach").click()
    expect(page.locator("#checklist")).to_contain_text("po.pdf")
    screenshot(page, tmp_path / "order-review.png")
    page.goto(f"{order_server}/order-trends?from=2026-06-01&to=2026-11-30")
    expect(page.locator("#discrepancy-chart")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#trend-table")).to_contain_text("Price above contract")
    assert screenshot(page, tmp_path / "order-trends.png").stat().st_size > 0
    assert problems == [], f"browser console errors: {problems}"
