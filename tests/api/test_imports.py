"""File imports over the API: the kinds and their columns, one file written whole or refused whole, re-imports."""

from __future__ import annotations

from sqlalchemy import func, select

from cashtrail.db import toner_tables as tt
from tests import factories
from tests.api.support import assert_problem

PARTS = b"part_number,colour,rated_yield,cost,currency,valid_from\nX,black,10000,80.00,EUR,2025-01-01\n"
PARTS += b"Y,cyan,8000,95.50,EUR,2025-01-01\n"


def _headers(app, role: str = "toner_specialist") -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(app, username=role, roles=[role])}"}


def _parts(app) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(tt.toner_parts)) or 0)


def test_the_kinds_list_their_columns(app, client):
    kinds = {k["kind"]: k for k in client.get("/v1/imports/kinds", headers=_headers(app)).json()}
    assert {"customers", "toner-parts", "toner-shipments", "toner-billing"} <= set(kinds)
    parts = kinds["toner-parts"]
    assert parts["key"] == ["part_number", "valid_from"]
    assert [c["name"] for c in parts["columns"] if c["required"]][:2] == ["part_number", "colour"]


def test_a_file_is_checked_then_imported_once_and_sent_again_changes_nothing(app, client):
    headers = _headers(app)
    upload = {"file": ("parts.csv", PARTS, "text/csv")}
    dry = client.post("/v1/imports/toner-parts", params={"dry_run": True}, files=upload, headers=headers)
    assert dry.status_code == 200, dry.text
    assert (dry.json()["dry_run"], dry.json()["created"], _parts(app)) == (True, 2, 0)
    first = client.post("/v1/imports/toner-parts", files=upload, headers=headers)
    assert (first.json()["created"], first.json()["source"], _parts(app)) == (2, "parts.csv", 2)
    again = client.post("/v1/imports/toner-parts", files=upload, headers=headers)
    assert (again.json()["created"], again.json()["unchanged"], _parts(app)) == (0, 2, 2)


def test_a_bad_file_is_refused_whole_naming_row_and_column_and_nothing_is_written(app, client):
    headers = _headers(app)
    bad = PARTS + b"Z,purple,-5,1.00,EUR,2025-01-01\n"
    refused = client.post("/v1/imports/toner-parts", files={"file": ("parts.csv", bad, "text/csv")}, headers=headers)
    body = assert_problem(refused, status=422, code="import.invalid")
    where = {(e["row"], e["field"]) for e in body["errors"]}
    assert {(4, "colour"), (4, "rated_yield")} <= where
    assert all(e["source"] == "parts.csv" for e in body["errors"])
    assert _parts(app) == 0
    unknown = client.post("/v1/imports/toner-cartridges", files={"file": ("p.csv", PARTS, "text/csv")}, headers=headers)
    assert_problem(unknown, status=422, code="import.unknown_kind")
    pdf = client.post(
        "/v1/imports/toner-parts", files={"file": ("p.pdf", b"%PDF-1.7", "application/pdf")}, headers=headers
    )
    assert_problem(pdf, status=422, code="import.unreadable")
    collector = _headers(app, role="collector")
    denied = client.post("/v1/imports/toner-parts", files={"file": ("parts.csv", PARTS, "text/csv")}, headers=collector)
    assert_problem(denied, status=403, code="identity.permission_denied")
    assert _parts(app) == 0
