"""The order and RMA commands end to end through the real console script: import, check, checklist, override,
accept, shipments, triggers, bill run, late lines, trends and the exit codes of refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

pytestmark = pytest.mark.slow
CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")


def _cli(db: Path, *args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("CASHTRAIL_USER", None)
    if user:
        env["CASHTRAIL_USER"] = user
    return subprocess.run([CASHTRAIL, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def _seed(db: Path, tmp: Path) -> None:
    _ok(_cli(db, "init"))
    files = {
        "payment-terms": [{"code": "N30", "description": "Net 30", "days": "30"}],
        "customers": [factories.customer_row(number="C1")],
        "products": [
            factories.product_row(sku="MFP-C35", name="Colour MFP"),
            factories.product_row(sku="SVC-INSTALL", name="Installation", product_type="service"),
        ],
        "price-lists": [
            factories.price_row(sku="MFP-C35", unit_price="6450"),
            factories.price_row(sku="SVC-INSTALL", unit_price="245"),
        ],
        "contract-prices": [
            {
                "contract": "FRAME-1",
                "customer": "C1",
                "currency": "EUR",
                "valid_from": "2026-01-01",
                "sku": "MFP-C35",
                "unit_price": "6000",
            }
        ],
        "orders": [
            {
                "order": "SO-1",
                "customer": "C1",
                "order_date": "2026-11-02",
                "currency": "EUR",
                "contract": "FRAME-1",
                "po_number": "PO-1",
                "sales_rep": "rita",
                "expected_ship_date": "2026-11-05",
                "line": "1",
                "sku": "MFP-C35",
                "quantity": "2",
                "unit_price": "6200",
            }
        ],
    }
    for kind, rows in files.items():
        _ok(_cli(db, "import", kind, str(factories.csv_file(tmp / f"{kind}.csv", rows))))
    for name, role in (("ann", "billing_analyst"), ("sam", "supervisor")):
        _ok(_cli(db, "user", "create", name, "--roles", role, "--password", "correct horse battery"))


def test_an_order_from_file_to_bill_run_on_the_command_line(tmp_path):
    db = tmp_path / "orders.db"
    _seed(db, tmp_path)
    [finding] = json.loads(_ok(_cli(db, "order", "check", "SO-1", "--json", user="ann")).stdout)
    assert (finding["code"], finding["expected"], finding["actual"]) == ("price_above_contract", "6000.00", "6200.00")
    blocked = _cli(db, "order", "accept", "SO-1", user="ann")
    assert blocked.returncode == 4
    assert "purchase order missing" in " ".join(blocked.stderr.split())
    document = tmp_path / "po.pdf"
    document.write_bytes(b"%PDF-1.7 purchase order")
    for item in ("purchase_order", "signed_contract_or_quote"):
        _ok(_cli(db, "order", "attach", "SO-1", str(document), "--item", item, user="ann"))
    assert "passed" in _ok(_cli(db, "order", "credit-check", "SO-1", user="ann")).stdout
    assert _cli(db, "order", "override", "SO-1", "--reason", "agreed", user="ann").returncode == 5
    _ok(_cli(db, "order", "override", "SO-1", "--reason", "price agreed with the customer", user="sam"))
    accepted = json.loads(_ok(_cli(db, "order", "accept", "SO-1", "--json", user="ann")).stdout)
    assert accepted["status"] == "accepted"
    shipments = [{"shipment": "SH-1", "order": "SO-1", "line": "1", "quantity": "1", "shipped_on": "2026-11-10"}]
    _ok(_cli(db, "import", "order-shipments", str(factories.csv_file(tmp_path / "sh.csv", shipments)), user="ann"))
    shown = json.loads(_ok(_cli(db, "order", "show", "SO-1", "--json")).stdout)
    assert [c["key"] for c in shown["charges"]] == ["order:SO-1:1:shipment:SH-1"]
    run = json.loads(_ok(_cli(db, "bill", "run", "--period", "2026-11", "--json")).stdout)
    [line] = [x for d in run["drafts_detail"] for x in d["lines"]]
    assert (line["key"], line["amount"]) == ("order:SO-1:1:shipment:SH-1", "6200.0000")
    refused = _cli(db, "order", "trigger", "SO-1", "--line", "1", "--kind", "manual", "--reference", "X", user="ann")
    assert refused.returncode == 4
    assert "a manual release cannot invoice it earlier" in " ".join(refused.stderr.split())
    late = json.loads(_ok(_cli(db, "order", "late", "--json")).stdout)
    assert [(x["order"], x["line"], x["open"]) for x in late] == [("SO-1", "1", "1.000000")]
    trend = json.loads(_ok(_cli(db, "order", "trends", "--from", "2026-11-01", "--to", "2026-11-30", "--json")).stdout)
    assert [(r["month"], r["code"], r["count"]) for r in trend] == [("2026-11", "price_above_contract", 1)]
    not_invoiced = _cli(
        db, "rma", "request", "--order", "SO-1", "--line", "1", "--type", "defective", "--reason", "noise", user="ann"
    )
    assert not_invoiced.returncode == 2
    assert _cli(db, "order", "show", "SO-404").returncode == 3
    assert json.loads(_ok(_cli(db, "rma", "breaches", "--json")).stdout) == []
