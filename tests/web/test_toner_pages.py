"""Toner pages through the TestClient: board, detail with traces, moves with audit, findings, exports, trends."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from cashtrail.bootstrap import App
from cashtrail.identity.model import Actor
from cashtrail.toner.board_services import move_record
from cashtrail.toner.model import ReconciliationPeriod
from cashtrail.toner.run_services import run_reconciliation
from tests.toner_scenario import same_agreement, worked_example
from tests.web.support import csrf_from


def _ready(app: App) -> None:
    worked_example(app)
    run_reconciliation(app.uow(), app.clock, Actor.system(), "2026-Q1")


def test_the_board_shows_the_card_in_its_status_column_with_country_and_owner_filters(
    app: App, supervisor: TestClient
) -> None:
    _ready(app)
    page = supervisor.get("/toner", params={"country": "BE", "owner": "tina"})
    assert page.status_code == 200
    assert 'data-key="MPS-1@2026-Q1"' in page.text
    assert 'data-status="calculated"' in page.text
    assert "MPS-1@2026-Q1" not in supervisor.get("/toner", params={"country": "FR"}).text


def test_the_detail_page_shows_each_colour_with_the_rows_behind_it(app: App, supervisor: TestClient) -> None:
    _ready(app)
    page = supervisor.get("/toner/MPS-1/2026-Q1")
    assert page.status_code == 200
    assert "64.00" in page.text
    assert 'id="trace-black"' in page.text
    for shipment in ("S1/1", "S2/1", "S3/1", "S4/1"):
        assert shipment in page.text
    assert "INV-1-D1" in page.text


def test_a_move_from_the_board_is_audited_with_actor_and_reason(app: App, supervisor: TestClient) -> None:
    _ready(app)
    token = csrf_from(supervisor.get("/toner").text)
    response = supervisor.post(
        "/toner/MPS-1/2026-Q1/move",
        data={"target": "under_review", "reason": "numbers look right", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = supervisor.get("/toner/MPS-1/2026-Q1").text
    assert "numbers look right" in page
    assert "sam" in page


def test_a_refused_move_comes_back_with_the_reason_and_changes_nothing(app: App, supervisor: TestClient) -> None:
    _ready(app)
    token = csrf_from(supervisor.get("/toner").text)
    page = supervisor.post(
        "/toner/MPS-1/2026-Q1/move", data={"target": "closed", "reason": "skip", "csrf_token": token}
    ).text
    assert "cannot move from calculated to closed" in page
    with app.uow() as uow:
        record = uow.toner_board.records()[0]
    assert record.status.value == "calculated"


def test_board_findings_and_country_exports_are_real_workbooks(app: App, supervisor: TestClient) -> None:
    _ready(app)
    board = load_workbook(io.BytesIO(supervisor.get("/toner.xlsx").content))
    assert board.active is not None
    assert board.active["A2"].value == "MPS-1"
    country = load_workbook(io.BytesIO(supervisor.get("/toner/country.xlsx?country=BE&period=2026-Q1").content))
    assert country.sheetnames == ["About", "Summary", "Details", "Findings", "Shipments", "Billing"]
    assert (country["Shipments"].max_row, country["Billing"].max_row) == (1 + 4, 1 + 6)  # header + traced rows
    assert country["Summary"]["L2"].value == 64
    assert supervisor.get("/toner/findings.xlsx").status_code == 200


def test_the_trend_page_and_its_png_and_html_exports(app: App, supervisor: TestClient) -> None:
    _ready(app)
    page = supervisor.get("/toner/trend", params={"by": "country", "value": "BE"})
    assert 'id="trend-data"' in page.text
    assert "2026-Q1" in page.text
    png = supervisor.get("/toner/trend.png", params={"by": "country", "value": "BE"})
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    html = supervisor.get("/toner/trend.html", params={"by": "agreement", "value": "MPS-1"})
    assert "data:image/png;base64," in html.text


def test_a_toner_charge_in_the_bill_run_preview_links_to_its_reconciliation(app: App, supervisor: TestClient) -> None:
    _ready(app)
    for target in ("under_review", "approved"):
        move_record(app.uow(), app.clock, Actor.system(), "MPS-1", "2026-Q1", target, "figures checked")
    page = supervisor.get("/billing/preview", params={"period": "2026-04"})
    assert page.status_code == 200
    assert 'toner_reconciliation: <a href="/toner/MPS-1/2026-Q1">MPS-1@2026-Q1</a>' in page.text
    assert supervisor.get("/toner/MPS-1/2026-Q1").status_code == 200  # the link leads to the reconciliation


def test_the_trend_page_and_html_export_label_a_quarter_and_a_half_year_apart(app: App, supervisor: TestClient) -> None:
    worked_example(app)
    same_agreement(app, "MPS-H", period=ReconciliationPeriod.HALF_YEARLY)
    run_reconciliation(app.uow(), app.clock, Actor.system(), "2026-H1")
    page = supervisor.get("/toner/trend", params={"by": "country", "value": "BE"})
    chart = json.loads(page.text.split('id="trend-data">')[1].split("</script>")[0])
    assert chart["labels"] == ["2026-Q1", "2026-H1"]
    assert [Decimal(x) for x in chart["expected"]] == [120_000, 120_000]  # each alone, not the two added up
    html = supervisor.get("/toner/trend.html", params={"by": "country", "value": "BE"}).text
    assert html.index("<td>2026-Q1</td>") < html.index("<td>2026-H1</td>")
    refused = supervisor.get("/toner/trend", params={"by": "countyr", "value": "BE"})
    assert refused.status_code == 422
    assert "country, agreement" in refused.text
