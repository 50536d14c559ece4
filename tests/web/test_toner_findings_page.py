"""The toner findings page through the TestClient: filters in the URL and the form, the refused typo, the rows of
each finding, the grouped no_toner_contract row, decisions and the filtered XLSX export."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from cashtrail.bootstrap import App
from tests.toner_findings_scenario import NO_SETUP, two_countries
from tests.web.support import csrf_from


def _table(page: str) -> str:
    return page.split('id="finding-table"')[1].split("</table></div>")[0]


def test_each_filter_narrows_the_list_and_keeps_its_value_in_the_form(app: App, supervisor: TestClient) -> None:
    two_countries(app)
    every = _table(supervisor.get("/toner/findings").text)
    assert "MPS-1@2026-Q1" in every
    assert f"{NO_SETUP}@2026-Q1" in every
    for params, kept, gone in (
        ({"agreement": "MPS-1"}, "MPS-1@2026-Q1", NO_SETUP),
        ({"country": "FR"}, NO_SETUP, "MPS-1@"),
        ({"owner": "tina"}, "MPS-1@2026-Q1", NO_SETUP),
        ({"severity": "warning"}, "Shipments without usage", "Asset not on contract"),
        ({"code": "asset_not_on_contract"}, "Asset not on contract", "Shipments without usage"),
    ):
        page = supervisor.get("/toner/findings", params=params).text
        assert kept in _table(page), params
        assert gone not in _table(page), params
        [(name, value)] = params.items()
        form = page.split('id="finding-filters"')[1].split("</form>")[0]
        assert f'<option value="{value}" selected>' in form or f'name="{name}" value="{value}"' in form


def test_the_code_is_a_dropdown_of_the_known_codes_with_any(app: App, supervisor: TestClient) -> None:
    two_countries(app)
    page = supervisor.get("/toner/findings").text
    code = page.split('name="code">')[1].split("</select>")[0]
    assert code.startswith('<option value="">any</option>')
    assert '<option value="no_toner_contract">' in code
    assert code.count("<option") == 1 + 11


def test_an_unknown_code_in_the_url_is_refused_with_the_known_codes(app: App, supervisor: TestClient) -> None:
    two_countries(app)
    refused = supervisor.get("/toner/findings", params={"code": "maping_error"})
    assert refused.status_code == 422
    assert "unknown finding code" in refused.text
    assert "mapping_error" in refused.text
    assert supervisor.get("/toner/findings.xlsx", params={"severity": "fatal"}).status_code == 422


def test_each_finding_row_names_its_serial_and_rows(app: App, supervisor: TestClient) -> None:
    two_countries(app)
    table = _table(supervisor.get("/toner/findings", params={"agreement": "MPS-1"}).text)
    assert "serial ZZZ · shipment S9/1 (U1)" in table


def test_no_toner_contract_findings_of_one_record_are_one_row_that_expands_to_each_line(
    app: App, supervisor: TestClient
) -> None:
    two_countries(app)
    table = _table(supervisor.get("/toner/findings").text)
    assert table.count('class="finding-group"') == 1
    group = table.split('class="finding-group"')[1].split("</details>")[0]
    assert 'data-count="3"' in group
    assert "<summary><strong>3 shipment lines without a toner set-up</strong>" in group
    assert "shipment T1/1 (U2), T2/1 (U2), T3/1 (U2)" in group
    assert len(re.findall(r'action="/toner/findings/\d+/decide"', group)) == 3  # each line keeps its own decision


def test_a_finding_of_the_group_is_accepted_on_its_own_and_the_page_keeps_its_filters(
    app: App, supervisor: TestClient
) -> None:
    two_countries(app)
    page = supervisor.get("/toner/findings", params={"country": "FR"}).text
    first = re.findall(r'action="/toner/findings/(\d+)/decide"', page.split('class="finding-group"')[1])[0]
    response = supervisor.post(
        f"/toner/findings/{first}/decide",
        data={
            "state": "accepted",
            "note": "ship-to fixed",
            "back": "/toner/findings?state=open&country=FR",
            "csrf_token": csrf_from(page),
        },
        follow_redirects=False,
    )
    assert (response.status_code, response.headers["location"]) == (303, "/toner/findings?state=open&country=FR")
    assert 'data-count="2"' in supervisor.get("/toner/findings", params={"country": "FR"}).text
    accepted = supervisor.get("/toner/findings", params={"country": "FR", "state": "accepted"}).text
    assert "ship-to fixed" in _table(accepted)


def test_the_xlsx_export_applies_the_filters_and_lists_every_row(app: App, supervisor: TestClient) -> None:
    two_countries(app)
    page = supervisor.get("/toner/findings", params={"country": "FR", "state": ""}).text
    assert 'href="/toner/findings.xlsx?state=&amp;country=FR"' in page  # "all" states stays all in the export
    sheet = load_workbook(io.BytesIO(supervisor.get("/toner/findings.xlsx", params={"country": "FR"}).content)).active
    assert sheet is not None
    assert [c.value for c in sheet["A"]][1:] == [NO_SETUP] * 3
    assert sheet["H2"].value == "shipment T1/1 (U2)"


def test_accept_all_accepts_the_groups_open_findings_each_with_the_note(app: App, supervisor: TestClient) -> None:
    two_countries(app)
    page = supervisor.get("/toner/findings", params={"country": "FR"}).text
    group = page.split('class="finding-group"')[1].split("</details>")[0]
    assert "Accept all 3</button>" in group
    ids = [part.split('"')[0] for part in group.split('name="ids" value="')[1:]]
    response = supervisor.post(
        "/toner/findings/accept-all",
        data={
            "ids": ids,
            "note": "set-up follows",
            "back": "/toner/findings?country=FR",
            "csrf_token": csrf_from(page),
        },
    )
    assert "3 findings accepted." in response.text
    assert "No finding." in _table(response.text)  # the open list of FR is empty now
    with app.uow() as uow:
        decided = [uow.toner_board.finding(int(i)) for i in ids]
        trail = [e.reason for i in ids for e in uow.audit.for_entity("toner_finding", i)]
    assert {(f.state.value, f.note) for f in decided if f is not None} == {("accepted", "set-up follows")}
    assert len(trail) == 3


def test_accept_all_with_an_unknown_finding_keeps_the_ones_before_and_says_how_many(
    app: App, supervisor: TestClient
) -> None:
    two_countries(app)
    page = supervisor.get("/toner/findings", params={"country": "FR"}).text
    group = page.split('class="finding-group"')[1].split("</details>")[0]
    first = group.split('name="ids" value="')[1].split('"')[0]
    response = supervisor.post(
        "/toner/findings/accept-all",
        data={"ids": [first, "999999"], "note": "n", "back": "/toner/findings", "csrf_token": csrf_from(page)},
    )
    assert "1 of 2 findings accepted: no toner finding 999999" in response.text


def test_a_duplicate_line_is_voided_from_the_findings_page_and_the_next_run_drops_it(
    app: App, supervisor: TestClient
) -> None:
    from dataclasses import replace

    from cashtrail.identity.model import Actor
    from cashtrail.toner.run_services import run_reconciliation
    from tests.toner_scenario import example_shipments, worked_example

    first = example_shipments()[0]  # S1: 8 cartridges to D1, sent again under a new number in another upload
    worked_example(app, shipments=[*example_shipments(), replace(first, shipment_id="R-S1", upload_id="U2")])
    run_reconciliation(app.uow(), app.clock, Actor.system(), "2026-Q1")
    page = supervisor.get("/toner/findings", params={"code": "duplicate_shipment"})
    assert "Void R-S1/1" in page.text
    assert "Void S1/1" not in page.text  # the first line is the one kept
    form = {"csrf_token": csrf_from(page.text), "upload": "U2", "shipment_id": "R-S1", "line": "1"}
    refused = supervisor.post("/toner/shipments/void", data={**form, "reason": " "}, follow_redirects=True)
    assert "needs a reason" in refused.text
    done = supervisor.post(
        "/toner/shipments/void", data={**form, "reason": "sent twice by the forwarder"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert "Shipment R-S1/1 of U2 is void" in supervisor.get("/toner/findings").text
    run_reconciliation(app.uow(), app.clock, Actor.system(), "2026-Q1")
    with app.uow() as uow:
        [record] = uow.toner_board.records(agreements=["MPS-1"])
        codes = [f.code for f in uow.toner_board.findings([record.id]) if f.state.value == "open"]
    assert "duplicate_shipment" not in codes
    assert record.total_charge == 64
