"""The toner huddle board in a real browser: drag a card to another column, give a reason, see the audit trail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor
from cashtrail.toner.run_services import run_reconciliation
from cashtrail.web.assets import INSTALL_HINT, VENDOR_DIR, missing_vendor_files
from tests import factories
from tests.toner_scenario import worked_example
from tests.web.support import PASSWORD, served
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, screenshot

pytestmark = pytest.mark.web


@pytest.fixture(scope="module")
def toner_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn serving the workbench over a SQLite file with one calculated reconciliation."""
    missing = missing_vendor_files()
    if missing:
        pytest.fail(f"Front-end vendor assets are missing from {VENDOR_DIR} ({', '.join(missing)}): {INSTALL_HINT}.")
    database = tmp_path_factory.mktemp("toner-browser") / "workbench.db"
    app = bootstrap(Settings(database_url=f"sqlite:///{database}", env="test", secret_key="browser-test-secret"))
    upgrade(app.engine)
    factories.user(app, username="tina", roles=["toner_specialist"], password=PASSWORD)
    worked_example(app)
    run_reconciliation(app.uow(), app.clock, Actor.system(), "2026-Q1")
    with served(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"no chromium at {CHROMIUM}: install Debian's package (`make chromium`)", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def test_a_specialist_drags_a_card_to_under_review_and_the_move_is_audited(
    toner_server: str, page: Page, tmp_path: Path
) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{toner_server}/toner")
    page.get_by_label("Username").fill("tina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{toner_server}/toner")

    card = page.locator('.board-card[data-key="MPS-1@2026-Q1"]')
    expect(page.locator('.board-column[data-status="calculated"]')).to_contain_text("MPS-1 · 2026-Q1")
    card.drag_to(page.locator('.board-column[data-status="under_review"]'))
    expect(card.locator("select[name=target]")).to_have_value("under_review")
    card.get_by_label("Reason for moving MPS-1@2026-Q1").fill("checked with the account manager")
    screenshot(page, tmp_path / "toner-board-drag.png")
    card.get_by_role("button", name="Move").click()

    expect(page.locator("#flash")).to_contain_text("MPS-1@2026-Q1 moved to under review")
    expect(page.locator('.board-column[data-status="under_review"]')).to_contain_text("MPS-1 · 2026-Q1")
    page.get_by_role("link", name="MPS-1 · 2026-Q1").click()
    expect(page.locator("#record-status")).to_have_text("Under review")
    trail = page.locator("#audit-trail")
    expect(trail).to_contain_text("checked with the account manager")
    expect(trail).to_contain_text("tina")
    expect(trail).to_contain_text(re.compile(r"calculated\s*→\s*under_review"))
    expect(page.locator("#trace-black")).to_contain_text("S1/1")
    screenshot(page, tmp_path / "toner-detail.png")
    assert problems == [], f"browser errors: {problems}"
