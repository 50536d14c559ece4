"""POST /v1/toner/uploads/{upload_id}/void as a problem+json contract: voids, refusals that write nothing, roles."""

from __future__ import annotations

from dataclasses import replace

from tests import factories
from tests.api.support import assert_problem, written
from tests.toner_scenario import AGREEMENT, example_shipments, worked_example

URL = "/v1/toner/uploads/{}/void"


def _headers(app, role: str = "toner_specialist") -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(app, username='tina', roles=[role])}"}


def _duplicate(app) -> None:
    worked_example(app, shipments=[*example_shipments(), replace(example_shipments()[0], upload_id="U2")])


def test_voiding_a_duplicate_line_returns_the_count_and_the_next_run_no_longer_charges_it(app, client):
    _duplicate(app)
    headers = _headers(app)
    assert client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=headers).json()["charges"] == {
        "EUR": "704.00"
    }
    body = {"lines": [{"shipment_id": "S1", "line": 1}], "reason": "sent twice"}
    voided = client.post(URL.format("U2"), json=body, headers=headers)
    assert voided.status_code == 200, voided.text
    assert voided.json() == {
        "upload_id": "U2",
        "voided": 1,
        "lines": ["S1:1"],
        "already_voided": [],
        "records_to_rerun": [f"{AGREEMENT}@2026-Q1"],
        "records_to_move_back": [],
    }
    again = client.post(URL.format("U2"), json={"lines": None, "reason": "whole upload"}, headers=headers)
    assert (again.json()["voided"], again.json()["already_voided"]) == (0, ["S1:1"])
    run = client.post("/v1/toner/runs", json={"period": "2026-Q1"}, headers=headers)
    assert run.json()["charges"] == {"EUR": "64.00"}
    assert client.get("/v1/toner/findings", params={"code": "duplicate_shipment"}, headers=headers).json() == {
        "items": []
    }


def test_unknown_uploads_and_lines_and_blank_reasons_are_problems_that_write_nothing(app, client):
    _duplicate(app)
    headers = _headers(app)
    before = written(app)
    assert_problem(
        client.post(URL.format("U9"), json={"reason": "x"}, headers=headers), status=404, code="toner.upload_not_found"
    )
    missing = client.post(
        URL.format("U2"), json={"lines": [{"shipment_id": "S9", "line": 1}], "reason": "x"}, headers=headers
    )
    assert assert_problem(missing, status=404, code="toner.shipment_not_found")["lines"] == ["S9:1"]
    blank = client.post(URL.format("U2"), json={"lines": None, "reason": "   "}, headers=headers)
    assert_problem(blank, status=422, code="toner.void_incomplete")
    assert client.post(URL.format("U2"), json={"lines": None}, headers=headers).status_code == 422
    assert written(app) == before


def test_a_collector_may_not_void(app, client):
    _duplicate(app)
    refused = client.post(URL.format("U2"), json={"reason": "x"}, headers=_headers(app, "collector"))
    assert refused.status_code == 403


def test_the_openapi_document_lists_the_void_path(client):
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/v1/toner/uploads/{upload_id}/void"]["post"]
    assert {"404", "422"} <= set(operation["responses"])
