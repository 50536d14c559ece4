"""Toner endpoints: run, board, detail with rows, moves, findings and decisions, exports, as problem+json contracts."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from cashtrail.toner.model import ShipmentLine
from tests import factories
from tests.api.support import assert_problem
from tests.toner_scenario import AGREEMENT, example_shipments, same_agreement, worked_example


def _headers(app, role: str = "toner_specialist") -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(app, username='tina', roles=[role])}"}


def test_a_run_puts_the_reconciliation_on_the_board_with_its_charge_as_a_string(app, client):
    worked_example(app)
    headers = _headers(app)
    run = client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=headers)
    assert run.status_code == 200
    assert run.json()["charges"] == {"EUR": "64.00"}
    [card] = client.get("/v1/toner/reconciliations", params={"country": "BE"}, headers=headers).json()["items"]
    assert (card["agreement"], card["period"], card["status"], card["total_charge"]) == (
        AGREEMENT,
        "2026-Q1",
        "calculated",
        "64.00",
    )


def test_the_detail_traces_each_figure_to_its_rows(app, client):
    worked_example(app)
    headers = _headers(app)
    client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=headers)
    body = client.get(f"/v1/toner/reconciliations/{AGREEMENT}/2026-Q1", headers=headers).json()
    [black] = body["colours"]
    assert black["figures"]["capacity_shipped"] == 140_000
    assert sorted(s["shipment_id"] for s in black["shipments"]) == ["S1", "S2", "S3", "S4"]
    assert sum(b["mono_pages"] for b in black["billing"]) == 120_000
    assert body["trail"][0]["changes"]["status"] == ["data_pending", "calculated"]


def test_approval_with_an_open_error_is_a_409_problem_and_changes_nothing(app, client):
    lines = [*example_shipments(), ShipmentLine("S9", 1, date(2026, 2, 20), "X", 1, "U1", AGREEMENT, "", "ZZZ")]
    worked_example(app, shipments=lines)
    headers = _headers(app)
    client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=headers)
    url = f"/v1/toner/reconciliations/{AGREEMENT}/2026-Q1/moves"
    assert client.post(url, json={"status": "under_review", "reason": "look"}, headers=headers).status_code == 200
    refused = client.post(url, json={"status": "approved", "reason": "go"}, headers=headers)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "toner.open_findings"
    [card] = client.get("/v1/toner/reconciliations", headers=headers).json()["items"]
    assert card["status"] == "under_review"
    errors = client.get("/v1/toner/findings", params={"code": "asset_not_on_contract"}, headers=headers).json()
    [finding] = errors["items"]
    decided = client.post(
        f"/v1/toner/findings/{finding['id']}/decision", json={"state": "accepted", "note": "typo"}, headers=headers
    )
    assert decided.json()["state"] == "accepted"
    assert client.post(url, json={"status": "approved", "reason": "go"}, headers=headers).status_code == 200


def test_a_collector_may_read_but_not_move(app, client):
    worked_example(app)
    client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=_headers(app))
    collector = {"Authorization": f"Bearer {factories.api_token(app, username='cole', roles=['collector'])}"}
    assert client.get("/v1/toner/reconciliations", headers=collector).status_code == 200
    url = f"/v1/toner/reconciliations/{AGREEMENT}/2026-Q1/moves"
    assert client.post(url, json={"status": "under_review", "reason": "x"}, headers=collector).status_code == 403


def test_a_bad_period_is_a_422_problem(app, client):
    response = client.post("/v1/toner/runs", json={"period": "Q1-2026"}, headers=_headers(app))
    assert response.status_code == 422
    assert response.json()["code"] == "toner.bad_period"


def test_country_file_and_trend_exports(app, client):
    worked_example(app)
    headers = _headers(app)
    client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=headers)
    workbook = load_workbook(
        io.BytesIO(client.get("/v1/toner/exports/country?country=BE&period=2026-Q1", headers=headers).content)
    )
    assert workbook["Details"]["C2"].value == "black"
    assert workbook.sheetnames == ["About", "Summary", "Details", "Findings", "Shipments", "Billing"]
    [point] = client.get("/v1/toner/trend", params={"by": "country", "value": "BE"}, headers=headers).json()["items"]
    assert (point["period"], point["shipped"], point["coverage_black"]) == ("2026-Q1", 140_000, "5.83")
    assert (point["expected"], point["excess"], point["charge"], point["currency"]) == (
        "120000",
        "8000",
        "64.00",
        "EUR",
    )
    assert client.get("/v1/toner/trend.png?value=BE", headers=headers).content[:4] == b"\x89PNG"
    page = client.get("/v1/toner/trend.html?value=BE", headers=headers)
    assert page.headers["content-type"].startswith("text/html")
    assert "<td>2026-Q1</td>" in page.text
    assert "data:image/png;base64," in page.text


def _day(value: object) -> object:
    """openpyxl reads a date cell back as a naive midnight; compared here as a date."""
    return value.date() if isinstance(value, datetime) else value


def _rows(sheet) -> list[list[object]]:
    return [[_day(cell.value) for cell in row] for row in sheet.iter_rows(min_row=2)]


def test_the_country_file_lists_the_shipment_and_billing_rows_each_record_counted(app, client):
    worked_example(app)
    same_agreement(app, "MPS-2")
    headers = _headers(app)
    client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=headers)
    content = client.get("/v1/toner/exports/country?country=BE&period=2026-Q1", headers=headers).content
    workbook = load_workbook(io.BytesIO(content))
    shipments, billing = workbook["Shipments"], workbook["Billing"]
    assert [c.value for c in shipments[1]][:6] == ["Agreement", "Period", "Colour", "Upload", "Shipment", "Line"]
    assert (shipments.freeze_panes, billing.freeze_panes) == ("A2", "A2")
    expected_shipments = [
        ["black", "S1", 1, date(2026, 1, 10), "D1", "X", 8, "shipped", 8],
        ["black", "S2", 1, date(2026, 2, 10), "D2", "X", 7, "shipped", 7],
        ["black", "S3", 1, date(2026, 3, 1), "D1", "X", 1, "returned", -1],
        ["black", "S4", 1, date(2026, 3, 2), "D2", "X", 1, "defective_replacement", 0],
    ]
    upload = {"MPS-1": "U1", "MPS-2": "U-MPS-2"}
    assert _rows(shipments) == [
        [agreement, "2026-Q1", row[0], upload[agreement], *row[1:]]
        for agreement in ("MPS-1", "MPS-2")
        for row in expected_shipments
    ]
    assert shipments["G2"].is_date
    assert _rows(billing) == [
        [agreement, "2026-Q1", date(2026, m, 1), date(2026, m, last), serial, 20_000, 0, 1, f"INV-{m}-{serial}"]
        for agreement in ("MPS-1", "MPS-2")
        for m, last in ((1, 31), (2, 28), (3, 31))
        for serial in ("D1", "D2")
    ]
    assert billing["C2"].is_date
    details = _rows(workbook["Details"])
    assert [(row[0], row[-2], row[-1]) for row in details] == [("MPS-1", 4, 6), ("MPS-2", 4, 6)]


def test_a_trend_by_an_unknown_dimension_is_a_422_problem_naming_the_allowed_values(app, client):
    worked_example(app)
    headers = _headers(app)
    client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=headers)
    for url in ("/v1/toner/trend", "/v1/toner/trend.png"):
        refused = client.get(url, params={"by": "countyr", "value": "BE"}, headers=headers)
        assert refused.status_code == 422
        assert refused.headers["content-type"].startswith("application/problem+json")
        problem = refused.json()
        assert (problem["code"], problem["by"], problem["allowed"]) == (
            "toner.bad_trend_dimension",
            "countyr",
            ["country", "agreement"],
        )
        assert "country, agreement" in problem["detail"]


def test_a_part_is_corrected_over_the_api_and_a_bad_correction_is_a_problem(app, client):
    worked_example(app)
    headers = _headers(app)
    fixed = client.post(
        "/v1/toner/parts/X/correction", json={"rated_yield": 12_000, "reason": "datasheet"}, headers=headers
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json() == {"part_number": "X", "colour": "black", "rated_yield": 12_000, "cost_rows": 1}
    missing = client.post("/v1/toner/parts/NOPE/correction", json={"rated_yield": 1, "reason": "x"}, headers=headers)
    assert_problem(missing, status=404, code="toner.part_not_found")
    bad = client.post("/v1/toner/parts/X/correction", json={"colour": "purple", "reason": "x"}, headers=headers)
    body = assert_problem(bad, status=422, code="toner.bad_part_correction")
    assert [e["field"] for e in body["errors"]] == ["colour"]


def test_findings_are_filtered_by_agreement_country_owner_severity_and_code(app, client):
    from tests.toner_findings_scenario import NO_SETUP, two_countries

    two_countries(app)
    headers = _headers(app)

    def found(**params: str) -> list[tuple[str, str]]:
        response = client.get("/v1/toner/findings", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [(f["agreement"], f["code"]) for f in response.json()["items"]]

    assert len(found()) == 5
    assert {a for a, _ in found(agreement="MPS-1")} == {"MPS-1"}
    assert found(country="FR") == [(NO_SETUP, "no_toner_contract")] * 3
    assert {a for a, _ in found(owner="tina")} == {"MPS-1"}
    assert found(severity="warning") == [("MPS-1", "shipments_without_usage")]
    assert found(code="no_toner_contract", owner="tina") == []


def test_an_unknown_finding_code_or_severity_is_a_422_problem_not_an_empty_list(app, client):
    headers = _headers(app)
    for params in ({"code": "maping_error"}, {"severity": "fatal"}):
        refused = client.get("/v1/toner/findings", params=params, headers=headers)
        assert refused.status_code == 422
        assert refused.headers["content-type"].startswith("application/problem+json")
        body = refused.json()
        assert body["code"] == "toner.bad_finding_filter"
        [(name, value)] = params.items()
        assert (body["field"], body["value"]) == (name, value)
    assert "mapping_error" in client.get("/v1/toner/findings", params={"code": "x"}, headers=headers).json()["allowed"]
