"""The workbench in a real browser: uvicorn serving ``create_web`` on a free port, driven by Debian's chromium.

The server runs in a thread with its own connections, so it gets its own SQLite file filled through the services
(the rolled-back ``app`` fixture would be invisible to it). Missing vendor assets or a missing chromium fail the
test with the command that fixes them; they are never a reason to skip.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cashtrail.bootstrap import App, bootstrap
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor
from cashtrail.parties.services import update_customer
from cashtrail.web.assets import INSTALL_HINT, VENDOR_DIR, missing_vendor_files
from tests import factories
from tests.web.support import PASSWORD, served

pytestmark = pytest.mark.web

CHROMIUM = Path(os.environ.get("CASHTRAIL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# name, country, language, currency, VAT number (None: use a generated Belgian one for BE, else none)
COMPANIES = [
    ("Acme Lifts", "BE", "nl", "EUR", None),
    ("Brasserie Dupont", "BE", "fr", "EUR", None),
    ("Dupont Logistique", "FR", "fr", "EUR", "FR40303265045"),
    ("Van Dijk Kantoortechniek", "NL", "nl", "EUR", "NL004495445B01"),
    ("Müller Bürosysteme", "DE", "en", "EUR", "DE136695976"),
    ("Ibérica de Impresión", "ES", "es", "EUR", "ESA28015865"),
    ("Thames Print Services", "GB", "en", "GBP", None),
    ("Lakeside Medical Group", "US", "en", "USD", None),
]
LEGAL_FORMS = {"BE": "NV", "FR": "SAS", "NL": "BV", "DE": "GmbH", "ES": "SL", "GB": "Ltd", "US": "Inc."}
CUSTOMERS = 62


def seed_workbench(app: App) -> None:
    """A supervisor, customers in several countries and a credit review in one customer's history."""
    factories.user(app, username="sam", roles=["supervisor"], password=PASSWORD)
    for days in (30, 45, 60):
        factories.payment_terms(app, code=f"N{days}", days=days)
    for n in range(1, CUSTOMERS + 1):
        name, country, language, currency, vat = COMPANIES[(n - 1) % len(COMPANIES)]
        branch = "" if n <= len(COMPANIES) else f" {['Noord', 'Zuid', 'Oost', 'West', 'Centre'][n % 5]} {n}"
        factories.customer(
            app,
            number=f"C{n:04d}",
            legal_name=f"{name}{branch} {LEGAL_FORMS[country]}",
            country=country,
            language=language,
            currency=currency,
            vat_number=vat or (factories.belgian_vat(seed=n) if country == "BE" else None),
            payment_terms_code=["N30", "N45", "N60"][n % 3],
            credit_limit=None if n % 7 == 0 else Decimal(5000 * (n % 9 + 1)) + Decimal("0.50") * (n % 2),
        )
    update_customer(
        app.uow(), app.clock, Actor.system(), "C0002", {"credit_limit": Decimal("60000")}, reason="Credit review Q4"
    )


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a real uvicorn serving the workbench over a seeded SQLite file."""
    missing = missing_vendor_files()
    if missing:
        pytest.fail(
            f"Front-end vendor assets are missing from {VENDOR_DIR} ({', '.join(missing)}): {INSTALL_HINT}.",
            pytrace=False,
        )
    database = tmp_path_factory.mktemp("browser") / "workbench.db"
    settings = Settings(database_url=f"sqlite:///{database}", env="test", secret_key="browser-test-secret")
    app = bootstrap(settings)
    upgrade(app.engine)
    seed_workbench(app)
    with served(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no chromium at {CHROMIUM}: install Debian's package (`make chromium`) or set CASHTRAIL_CHROMIUM",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def screenshot(page: Page, path: Path) -> Path:
    """Save a full-page screenshot (also into $CASHTRAIL_SCREENSHOT_DIR when set, for people to look at)."""
    page.screenshot(path=str(path), full_page=True)
    if target := os.environ.get("CASHTRAIL_SCREENSHOT_DIR"):
        shutil.copy(path, Path(target) / path.name)
    return path


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/customers")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcustomers$"))
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/customers")


def test_a_user_signs_in_searches_live_and_opens_a_customer(live_server: str, page: Page, tmp_path: Path) -> None:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, live_server)
    rows = page.locator("#customer-table tbody tr")
    expect(rows).to_have_count(50)
    expect(page.locator("#customer-count")).to_contain_text(f"{CUSTOMERS} customers")
    expect(page.locator(".userbox")).to_contain_text("Supervisor")
    screenshot(page, tmp_path / "customers.png")

    page.evaluate("window.cashtrailNoReload = true")
    page.locator("#search").press_sequentially("dupont", delay=30)
    expect(page.locator("#customer-count")).to_contain_text("match the filters")
    names = page.locator("#customer-table tbody td:nth-child(2)")
    expect(names.first).to_contain_text("Dupont")
    assert all("Dupont" in text for text in names.all_inner_texts())
    assert 0 < rows.count() < 50
    assert page.evaluate("window.cashtrailNoReload === true"), "the list was reloaded instead of swapped by htmx"
    expect(page).to_have_url(re.compile(r"/customers\?search=dupont"))
    list_shot = screenshot(page, tmp_path / "customers-search.png")

    page.get_by_role("link", name="C0002").click()
    expect(page.locator("h1")).to_contain_text("Brasserie Dupont")
    history = page.locator("#history")
    expect(history).to_contain_text("Credit review Q4")
    expect(history).to_contain_text("60000")
    detail_shot = screenshot(page, tmp_path / "customer-detail.png")

    page.go_back()
    expect(page.locator("#search")).to_have_value("dupont")
    expect(page.locator("#customer-count")).to_contain_text("match the filters")
    page.go_back()
    expect(page.locator("#customer-count")).to_contain_text(f"{CUSTOMERS} customers")

    assert list_shot.stat().st_size > 0
    assert detail_shot.stat().st_size > 0
    assert problems == [], f"browser console errors: {problems}"


def test_the_country_filter_narrows_the_list_without_a_reload(live_server: str, page: Page) -> None:
    sign_in(page, live_server)
    page.evaluate("window.cashtrailNoReload = true")

    page.get_by_label("Country").select_option("GB")

    expect(page.locator("#customer-count")).to_contain_text("match the filters")
    countries = page.locator("#customer-table tbody td:nth-child(3)").all_inner_texts()
    assert countries
    assert set(countries) == {"GB"}
    assert page.evaluate("window.cashtrailNoReload === true")


def test_the_header_groups_pages_in_menus_that_open_with_the_keyboard(live_server: str, page: Page) -> None:
    sign_in(page, live_server)
    billing = page.locator(".navgroup", has=page.get_by_role("button", name="Billing"))
    invoices = billing.get_by_role("menuitem", name="Invoices")
    expect(invoices).to_be_hidden()
    page.get_by_role("button", name="Billing").focus()
    page.keyboard.press("Enter")
    expect(invoices).to_be_visible()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Billing").click()
    invoices.click()
    expect(page).to_have_url(f"{live_server}/invoices")
    expect(billing).to_have_class(re.compile(r"\bactive\b"))
