"""Keyboard-only review of the cash suggestions in a real browser (Debian's chromium, never a downloaded build):
move with j/k, accept with a, reject with r and a typed reason, search with /, open with Enter; then the database
shows what was decided and the ledger still balances."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cashtrail.bootstrap import App, bootstrap
from cashtrail.cashapp.application_services import run_matching
from cashtrail.cashapp.model import MatchStatus, ReceiptStatus
from cashtrail.cashapp.services import import_statements
from cashtrail.config import Settings
from cashtrail.db.schema import upgrade
from cashtrail.files.statements import detect_and_parse
from cashtrail.identity.model import Actor
from cashtrail.ledger.checks import ledger_problems
from cashtrail.web.assets import INSTALL_HINT, VENDOR_DIR, missing_vendor_files
from tests import factories
from tests.integration.db.test_cash_application import COL, _statement, cash_books
from tests.web.support import PASSWORD, served
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.web


def _seed(app: App) -> None:
    """Five invoices; a statement whose receipts give two suggestions and one receipt in suspense."""
    _, inv = cash_books(app)
    factories.user(app, username="cora", roles=["collector"], password=PASSWORD)
    data = _statement(
        [
            ("1250.00", "TX2", "Someone", "", "", inv["d"].number),  # over-payment of d
            ("363.00", "TX3", "ACME LIFT", "NL91ABNA0417164300", "", "april"),  # a + b by name
            ("77.77", "TX4", "Mr Nobody", "", "", "gift"),  # unidentified
        ]
    )
    statements, findings = detect_and_parse(data, "may.csv")
    digest = hashlib.sha256(data).hexdigest()
    import_statements(app.uow(), app.clock, Actor.system(), statements, "may.csv", digest, findings=findings)
    run_matching(app.uow(), app.clock, COL)


@pytest.fixture(scope="module")
def cash_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, App]]:
    missing = missing_vendor_files()
    if missing:
        pytest.fail(f"vendor assets missing from {VENDOR_DIR} ({', '.join(missing)}): {INSTALL_HINT}.", pytrace=False)
    database = tmp_path_factory.mktemp("cash-browser") / "cash.db"
    app = bootstrap(Settings(database_url=f"sqlite:///{database}", env="test", secret_key="browser-test-secret"))
    upgrade(app.engine)
    _seed(app)
    with served(app) as url:
        yield url, app


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"no chromium at {CHROMIUM}: `make chromium` or set CASHTRAIL_CHROMIUM", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tab(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/cash")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/cash")


def test_suggestions_are_reviewed_with_the_keyboard_only(cash_server: tuple[str, App], tab: Page) -> None:
    base, app = cash_server
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    _sign_in(tab, base)
    rows = tab.locator("#suggestion-table tbody tr[data-row]")
    expect(rows).to_have_count(2)
    current = tab.locator("#suggestion-table tr.is-current")
    expect(current).to_contain_text("Someone")  # the first row is current on arrival
    tab.keyboard.press("j")
    expect(current).to_contain_text("ACME LIFT")
    tab.keyboard.press("k")
    expect(current).to_contain_text("Someone")
    expect(current).to_be_focused()

    tab.keyboard.press("/")
    expect(tab.locator("#worklist-search")).to_be_focused()
    tab.keyboard.type("acme")
    expect(tab.locator("#suggestion-table tbody tr[data-row]:visible")).to_have_count(1)
    tab.keyboard.press("Escape")
    expect(current).to_be_focused()  # Esc leaves the search for the list
    tab.keyboard.press("/")
    tab.keyboard.press("Control+a")
    tab.keyboard.press("Backspace")
    tab.keyboard.press("Enter")
    expect(tab.locator("#suggestion-table tbody tr[data-row]:visible")).to_have_count(2)

    tab.keyboard.press("a")  # accept the over-payment of d
    expect(rows).to_have_count(1)
    expect(current).to_contain_text("ACME LIFT")
    tab.keyboard.press("r")
    expect(tab.locator("#suggestion-table tr.is-current input[name=reason]")).to_be_focused()
    tab.keyboard.type("not theirs: a private transfer")
    tab.keyboard.press("Enter")
    expect(rows).to_have_count(0)

    tab.goto(f"{base}/cash/suspense")
    expect(tab.locator("#suspense-table tbody tr[data-row]")).to_have_count(2)
    tab.keyboard.press("Enter")
    expect(tab.locator("h1")).to_contain_text("Bank entry")
    assert problems == [], problems

    with app.uow() as uow:
        applied = uow.cash.matches(MatchStatus.APPLIED)
        rejected = uow.cash.matches(MatchStatus.REJECTED)
        parked = uow.cash.receipts_page(ReceiptStatus.SUSPENSE, after_id=None, limit=10)
    assert [(m.customer_number, r.counterparty_name, m.decided_by) for m, r in applied] == [("C2", "Someone", "cora")]
    assert [(r.counterparty_name, m.reversal_reason) for m, r in rejected] == [
        ("ACME LIFT", "not theirs: a private transfer")
    ]
    assert sorted(r.counterparty_name or "" for r in parked) == ["ACME LIFT", "Mr Nobody"]
    assert ledger_problems(app.uow(), Actor.system())[1] == []
