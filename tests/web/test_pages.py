"""Workbench pages through the FastAPI TestClient, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from cashtrail.bootstrap import App
from cashtrail.identity.model import Actor, Permission
from cashtrail.parties.services import update_customer
from cashtrail.web.app import create_web
from cashtrail.web.security import CurrentUser, signed_in_user
from tests import factories
from tests.web.support import HTMX, PASSWORD, csrf_from, sign_in

pytestmark = pytest.mark.db


def _three_customers(app: App) -> None:
    factories.customer(app, number="C0001", legal_name="Acme Lifts NV", credit_limit=Decimal("50000"))
    factories.customer(
        app, number="C0002", legal_name="Brasserie Dupont SA", country="FR", vat_number=None, credit_limit=None
    )
    factories.customer(
        app,
        number="C0003",
        legal_name="Acme Offices BV",
        country="NL",
        vat_number=None,
        credit_limit=Decimal("1234.5"),
    )


def test_a_page_without_a_session_redirects_to_the_login_with_the_page_to_return_to(client: TestClient) -> None:
    response = client.get("/customers?search=acme", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fcustomers%3Fsearch%3Dacme"


def test_an_htmx_request_without_a_session_is_told_to_go_to_the_login(client: TestClient) -> None:
    response = client.get("/customers", headers=HTMX, follow_redirects=False)

    assert response.status_code == 401
    assert response.headers["hx-redirect"] == "/login?next=%2Fcustomers"


def test_the_login_page_and_static_files_are_open(client: TestClient) -> None:
    assert client.get("/login").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200


def test_a_wrong_password_shows_an_error_and_starts_no_session(app: App, client: TestClient) -> None:
    factories.user(app, username="ann", password=PASSWORD)
    token = csrf_from(client.get("/login").text)

    response = client.post("/login", data={"username": "ann", "password": "wrong", "csrf_token": token})

    assert response.status_code == 200
    assert "Unknown user or wrong password." in response.text
    assert client.get("/customers", follow_redirects=False).status_code == 303


def test_signing_in_returns_to_the_page_asked_for_and_shows_the_user_and_roles(app: App, client: TestClient) -> None:
    factories.user(app, username="ann", roles=["billing_analyst", "collector"], password=PASSWORD)
    page = client.get("/login?next=/customers%3Fcountry%3DBE")
    token = csrf_from(page.text)

    response = client.post(
        "/login",
        data={"username": "ann", "password": PASSWORD, "csrf_token": token, "next": "/customers?country=BE"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/customers?country=BE"

    html = client.get("/customers").text
    assert "Ann" in html
    assert "Billing analyst" in html
    assert "Collector" in html
    assert '<a href="/customers" class="active"' in html


def test_login_never_redirects_off_site(app: App, client: TestClient) -> None:
    factories.user(app, username="ann", password=PASSWORD)
    token = csrf_from(client.get("/login").text)

    response = client.post(
        "/login",
        data={"username": "ann", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"},
        follow_redirects=False,
    )

    assert response.headers["location"] == "/"


def test_signing_out_ends_the_session(supervisor: TestClient) -> None:
    token = csrf_from(supervisor.get("/customers").text)

    response = supervisor.post("/logout", data={"csrf_token": token}, follow_redirects=False)

    assert response.status_code == 303
    assert supervisor.get("/customers", follow_redirects=False).status_code == 303
    assert "You are signed out." in supervisor.get("/login").text


def test_a_post_without_the_csrf_token_is_refused(app: App, client: TestClient) -> None:
    factories.user(app, username="ann", password=PASSWORD)
    client.get("/login")

    response = client.post("/login", data={"username": "ann", "password": PASSWORD}, follow_redirects=False)

    assert response.status_code == 403
    assert "Request refused" in response.text
    assert client.get("/customers", follow_redirects=False).status_code == 303


def test_a_post_with_another_sessions_csrf_token_is_refused(supervisor: TestClient, app: App) -> None:
    other = TestClient(supervisor.app)
    foreign_token = csrf_from(other.get("/login").text)

    response = supervisor.post("/logout", data={"csrf_token": foreign_token}, follow_redirects=False)

    assert response.status_code == 403
    assert supervisor.get("/customers", follow_redirects=False).status_code == 200


def test_the_list_shows_every_customer_with_count_and_formatted_credit_limit(app: App, supervisor: TestClient) -> None:
    _three_customers(app)

    html = supervisor.get("/customers").text

    assert "<!doctype html>" in html
    for text in ("C0001", "Acme Lifts NV", "Brasserie Dupont SA", "Acme Offices BV", "BE0403170701", "N30"):
        assert text in html
    assert "<strong>3</strong> customers" in html
    assert "50,000.00" in html
    assert "1,234.50" in html
    assert 'href="/customers/C0001"' in html


def test_the_htmx_search_returns_only_the_matching_rows_fragment(app: App, supervisor: TestClient) -> None:
    _three_customers(app)

    response = supervisor.get("/customers?search=acme", headers=HTMX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "topbar" not in response.text
    assert "Acme Lifts NV" in response.text
    assert "Acme Offices BV" in response.text
    assert "Brasserie Dupont SA" not in response.text
    assert "<strong>2</strong> customers match the filters" in response.text
    assert 'href="/customers.xlsx?search=acme"' in response.text


def test_the_country_filter_narrows_the_list(app: App, supervisor: TestClient) -> None:
    _three_customers(app)

    html = supervisor.get("/customers?country=fr").text

    assert "Brasserie Dupont SA" in html
    assert "Acme Lifts NV" not in html
    assert '<option value="FR" selected>' in html


def test_the_list_pages_with_a_cursor(app: App, supervisor: TestClient) -> None:
    for n in range(1, 53):
        factories.customer(app, number=f"P{n:03d}", legal_name=f"Pager {n:03d} NV", vat_number=None)

    first = supervisor.get("/customers").text
    assert "P050" in first
    assert "P051" not in first
    assert "<strong>52</strong> customers" in first
    next_link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")

    second = supervisor.get(next_link).text
    assert "P051" in second
    assert "P052" in second
    assert "P050" not in second
    assert 'rel="next"' not in second


def test_the_detail_page_shows_fields_addresses_contacts_and_the_audit_history(
    app: App, supervisor: TestClient
) -> None:
    factories.customer(app, number="C0001", legal_name="Acme Lifts NV", credit_limit=Decimal("50000"))
    update_customer(
        app.uow(),
        app.clock,
        Actor.system(),
        "C0001",
        {"credit_limit": Decimal("75000.5")},
        reason="Annual credit review",
    )

    html = supervisor.get("/customers/C0001").text

    for text in ("Acme Lifts NV", "BE0403170701", "Net 30", "Grote Markt 1", "Brussel", "Ann Peeters"):
        assert text in html
    assert "billing@acme.example" in html
    assert "75,000.50 EUR" in html
    history = html.split('id="history"')[1]
    assert "Customer updated" not in history  # actions are shown by their verb
    assert "Updated" in history
    assert "Created" in history
    assert "2026-11-23 10:00" in history  # 09:00 UTC shown in Europe/Brussels
    assert "system" in history
    assert "Annual credit review" in history
    assert '<span class="change-before">50000' in history  # as recorded (the stored scale may show: 50000.0000)
    assert '<span class="change-after">75000.5</span>' in history


def test_users_without_audit_permission_see_the_customer_but_not_its_history(app: App, client: TestClient) -> None:
    factories.customer(app, number="C0001")
    factories.user(app, username="ann", roles=["billing_analyst"], password=PASSWORD)
    sign_in(client, "ann")

    html = client.get("/customers/C0001").text

    assert "Acme Lifts NV" in html
    assert "needs the <code>audit:read</code> permission" in html
    assert "change-after" not in html


def test_an_unknown_customer_is_a_friendly_404_page(supervisor: TestClient) -> None:
    response = supervisor.get("/customers/NOPE")

    assert response.status_code == 404
    assert "customer NOPE not found" in response.text
    assert "Back to the workbench" in response.text


def test_an_unknown_customer_asked_by_htmx_becomes_a_flash_message(supervisor: TestClient) -> None:
    response = supervisor.get("/customers/NOPE", headers={"HX-Request": "true"})

    assert response.status_code == 404
    assert response.headers["hx-retarget"] == "#flash"
    assert "<html" not in response.text
    assert "flash-error" in response.text


def test_the_xlsx_export_has_typed_cells_and_the_filtered_rows(app: App, supervisor: TestClient) -> None:
    _three_customers(app)

    response = supervisor.get("/customers.xlsx?search=acme")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="customers-2026-11-23.xlsx"' in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Number",
        "Legal name",
        "Country",
        "VAT number",
        "Currency",
        "Payment terms",
        "Credit limit",
        "Language",
        "Status",
    )
    assert [r[0] for r in rows[1:]] == ["C0001", "C0003"]
    assert rows[1][6] == 50000
    assert rows[2][6] == 1234.5
    limit_cell = sheet["G2"]
    assert limit_cell.data_type == "n"
    assert limit_cell.number_format == "#,##0.00"
    assert sheet["A1"].font.b is True
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I3"


def test_a_forbidden_use_case_is_a_403_page(app: App, supervisor: TestClient) -> None:
    router = APIRouter()

    @router.get("/needs-users-manage")
    def _page(user: CurrentUser) -> None:
        user.actor.require(Permission.USERS_MANAGE)

    supervisor.app.include_router(router, dependencies=[Depends(signed_in_user)])  # type: ignore[attr-defined]

    response = supervisor.get("/needs-users-manage")

    assert response.status_code == 403
    assert "You do not have permission" in response.text


def test_an_unexpected_error_is_a_500_page_without_details(app: App, supervisor: TestClient) -> None:
    router = APIRouter()

    @router.get("/boom")
    def _boom() -> None:
        raise RuntimeError("secret internals")

    supervisor.app.include_router(router)  # type: ignore[attr-defined]
    client = TestClient(supervisor.app, raise_server_exceptions=False, cookies=supervisor.cookies)

    response = client.get("/boom")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "secret internals" not in response.text


def test_the_start_page_leads_to_the_first_page_of_the_navigation(supervisor: TestClient) -> None:
    response = supervisor.get("/", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/customers"


def test_pages_carry_security_headers_and_no_cdn(supervisor: TestClient) -> None:
    response = supervisor.get("/customers")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert "https://" not in response.text.split("</head>")[0]


def test_missing_vendor_assets_are_logged_and_the_pages_still_work(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("cashtrail.web.app.missing_vendor_files", lambda: ["htmx.min.js"])
    factories.user(app, username="ann", password=PASSWORD)
    with caplog.at_level("WARNING", logger="cashtrail.web"):
        client = TestClient(create_web(app))
    sign_in(client, "ann")

    html = client.get("/customers").text

    assert "npm ci" in caplog.text
    assert "htmx.min.js" not in html
    assert "Run <code>npm ci</code>" in html
    assert 'action="/customers"' in html  # the search still works as a plain form
