"""The import page: the kinds a user may import with their columns, a refused file listed by row and column with
nothing written, an imported file counted, and the same file again changing nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from cashtrail.db import toner_tables as tt
from tests import factories
from tests.web.support import PASSWORD, csrf_from, sign_in

PARTS = b"part_number;colour;rated_yield;cost;currency;valid_from\nX;black;10000;80.00;EUR;2025-01-01\n"


def _parts(app) -> int:
    with app.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(tt.toner_parts)) or 0)


def test_a_toner_specialist_imports_the_catalog_from_the_page(app, client):
    factories.user(app, username="tina", roles=["toner_specialist"], password=PASSWORD)
    sign_in(client, "tina")
    page = client.get("/imports", params={"kind": "toner-parts"})
    assert page.status_code == 200
    assert 'href="/imports"' in page.text  # in the menu
    assert "Columns of toner-parts" in page.text
    assert ">rated_yield<" in page.text
    assert 'value="customers"' not in page.text  # a kind the role may not import is not offered
    token = csrf_from(page.text)
    form = {"csrf_token": token, "kind": "toner-parts"}
    bad = PARTS + b"Y;purple;10000;80.00;EUR;2025-01-01\n"
    refused = client.post("/imports", data=form, files={"file": ("parts.csv", bad, "text/csv")})
    assert refused.status_code == 422
    assert "parts.csv was refused: nothing was imported" in refused.text
    assert ">colour<" in refused.text
    assert ">purple<" in refused.text
    assert _parts(app) == 0
    imported = client.post("/imports", data=form, files={"file": ("parts.csv", PARTS, "text/csv")})
    assert imported.status_code == 200, imported.text
    assert "Imported toner-parts from parts.csv" in imported.text
    assert _parts(app) == 1
    again = client.post("/imports", data=form, files={"file": ("parts.csv", PARTS, "text/csv")})
    assert "Nothing to change: every row matches its last import." in again.text
    assert _parts(app) == 1


def test_a_user_without_import_rights_gets_no_page_and_no_menu_entry(app, client):
    factories.user(app, username="aud", roles=["auditor"], password=PASSWORD)
    sign_in(client, "aud")
    assert 'href="/imports"' not in client.get("/").text
    assert client.get("/imports").status_code == 403
