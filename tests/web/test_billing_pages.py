"""Billing pages: contracts, the bill-run preview, and the blocks worklist with stop, release and export."""

from __future__ import annotations

import io

import openpyxl
import pytest

from cashtrail.billing.block_services import open_blocks
from tests import factories
from tests.web.support import PASSWORD, csrf_from, sign_in


@pytest.fixture
def prebilling(app, client, system):
    factories.customer(app, number="C1")
    factories.lift_contract(app)
    factories.user(app, username="pia", roles=["pre_billing"], password=PASSWORD)
    sign_in(client, "pia")
    return client


def test_contracts_are_listed_and_shown_with_their_units(prebilling):
    listing = prebilling.get("/contracts")
    assert listing.status_code == 200
    assert "LIFT-1" in listing.text
    detail = prebilling.get("/contracts/LIFT-1")
    assert "Lift A" in detail.text
    assert "205.00" in detail.text


def test_an_mps_contract_shows_its_toner_reconciliation_period_with_the_other_toner_terms(app, prebilling):
    from dataclasses import replace

    from cashtrail.contracts.services import amend_contract
    from cashtrail.identity.model import Actor
    from tests.toner_scenario import mps_contract

    factories.payment_terms(app)
    silent = mps_contract(app, number="MPS-1")
    stated = replace(mps_contract(app, number="MPS-2"), toner_reconciliation_period="half_yearly")
    amend_contract(app.uow(), app.clock, Actor.system(), stated, reason="the contract states its period")
    page = prebilling.get("/contracts/MPS-2").text
    assert "Toner included, coverage allowance" in page
    assert "Toner reconciliation period" in page
    assert "Half yearly" in page
    assert "not stated" in prebilling.get(f"/contracts/{silent.number}").text


def test_the_preview_shows_the_month_total_and_writes_nothing(app, prebilling, system):
    page = prebilling.get("/billing/preview?period=2026-04")
    assert page.status_code == 200
    assert "205.00" in page.text
    assert "Nothing is written" in page.text
    assert prebilling.get("/billing/preview?period=2026-04").text.count("Already billed") == 1


def test_a_block_is_placed_released_and_exported_from_the_worklist(app, prebilling, system):
    token = csrf_from(prebilling.get("/billing/blocks").text)
    placed = prebilling.post(
        "/billing/blocks",
        data={"scope": "customer", "target": "C1", "reason": "stop invoices: credit review", "csrf_token": token},
        follow_redirects=False,
    )
    assert placed.status_code == 303
    worklist = prebilling.get("/billing/blocks")
    assert "stop invoices: credit review" in worklist.text
    [block] = open_blocks(app.uow(), system)
    workbook = openpyxl.load_workbook(io.BytesIO(prebilling.get("/billing/blocks.xlsx").content))
    sheet = workbook.active
    assert [c.value for c in sheet[2]][:3] == [block.id, "customer", "C1"]
    released = prebilling.post(
        f"/billing/blocks/{block.id}/release", data={"reason": "done", "csrf_token": token}, follow_redirects=False
    )
    assert released.status_code == 303
    assert open_blocks(app.uow(), system) == []


def test_a_release_without_csrf_token_is_refused_and_the_block_stays(app, prebilling, system):
    token = csrf_from(prebilling.get("/billing/blocks").text)
    prebilling.post(
        "/billing/blocks", data={"scope": "contract", "target": "LIFT-1", "reason": "hold", "csrf_token": token}
    )
    [block] = open_blocks(app.uow(), system)
    refused = prebilling.post(f"/billing/blocks/{block.id}/release", data={"reason": "x"}, follow_redirects=False)
    assert refused.status_code == 403
    assert [b.id for b in open_blocks(app.uow(), system)] == [block.id]


def test_a_collector_does_not_see_the_bill_run_and_cannot_open_it(app, client):
    factories.user(app, username="cole", roles=["collector"], password=PASSWORD)
    sign_in(client, "cole")
    assert "/billing/preview" not in client.get("/customers").text
    assert client.get("/billing/preview?period=2026-04").status_code == 403
