"""``cashtrail import`` end to end: the real console script in a subprocess against a fresh SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

CASHTRAIL = Path(sys.executable).with_name("cashtrail")


@pytest.fixture
def cli(tmp_path):
    """Run ``cashtrail`` with its own database in ``tmp_path``; ``cashtrail init`` has run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASHTRAIL_")}
    env.update(CASHTRAIL_DATABASE_URL=f"sqlite:///{tmp_path / 'cashtrail.db'}", COLUMNS="200", NO_COLOR="1")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CASHTRAIL), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    assert CASHTRAIL.exists(), f"console script not installed at {CASHTRAIL}"
    init = run("init")
    assert init.returncode == 0, init.stderr
    return run


def report_of(result):
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    return data["rows"], data["created"], data["updated"], data["unchanged"]


def test_importing_terms_customers_products_and_prices_then_reimporting_changes_nothing(cli, tmp_path):
    terms = factories.csv_file(tmp_path / "terms.csv", [{"code": "N30", "description": "Net 30", "days": "30"}])
    rows = [factories.customer_row(number="C2", parent_number="C1", vat_number=""), factories.customer_row(number="C1")]
    header = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[row.get(column, "") for column in header] for row in rows]
    customers = factories.xlsx_file(tmp_path / "customers.xlsx", [header, *cells])
    products = factories.csv_file(tmp_path / "products.csv", [factories.product_row(sku="A")], delimiter=";")
    prices = factories.csv_file(tmp_path / "prices.csv", [factories.price_row(sku="A", unit_price="1250.00")])
    steps = [
        ("payment-terms", terms, 1),
        ("customers", customers, 2),
        ("products", products, 1),
        ("price-lists", prices, 1),
    ]
    for kind, path, count in steps:
        assert report_of(cli("import", kind, str(path), "--json")) == (count, count, 0, 0)
    for kind, path, count in steps:
        assert report_of(cli("import", kind, str(path), "--json")) == (count, 0, 0, count)
    again = cli("import", "customers", str(customers))
    assert again.returncode == 0
    assert "Nothing to change" in again.stdout
    shown = json.loads(cli("customer", "show", "C2", "--json").stdout)
    assert shown["parent_id"] is not None


def test_a_changed_row_is_reported_as_updated(cli, tmp_path):
    path = factories.csv_file(tmp_path / "terms.csv", [{"code": "N30", "description": "Net 30", "days": "30"}])
    cli("import", "payment-terms", str(path))
    factories.csv_file(path, [{"code": "N30", "description": "Net 30 days", "days": "30"}])
    assert report_of(cli("import", "payment-terms", str(path), "--json")) == (1, 0, 1, 0)


def test_a_bad_file_exits_2_listing_every_problem_and_writes_nothing(cli, tmp_path):
    factories.csv_file(tmp_path / "terms.csv", [{"code": "N30", "description": "Net 30", "days": "30"}])
    cli("import", "payment-terms", str(tmp_path / "terms.csv"))
    rows = [
        factories.customer_row(number="C1"),
        factories.customer_row(number="C2", vat_number="BE0403170702"),
        factories.customer_row(number="C3", credit_limit="12,5x", payment_terms="N99"),
        factories.customer_row(number="C1"),
    ]
    result = cli("import", "customers", str(factories.csv_file(tmp_path / "customers.csv", rows)))
    assert result.returncode == 2
    problems = [line for line in result.stderr.splitlines() if line.startswith("customers.csv:")]
    assert problems == [
        "customers.csv:3: vat_number: not a valid BE VAT number: The number's checksum or check digit is invalid. "
        "(got 'BE0403170702')",
        "customers.csv:4: payment_terms: is not a stored payment terms code (got 'N99')",
        "customers.csv:4: credit_limit: is not a decimal number: use a dot for decimals and no thousands separators "
        "(got '12,5x')",
        "customers.csv:5: number: duplicates row 2: C1 may appear only once per file (got 'C1')",
    ]
    assert "nothing was imported" in result.stderr
    assert json.loads(cli("customer", "list", "--json").stdout) == []


def test_a_file_that_is_not_utf8_exits_2_naming_the_file_and_the_byte(cli, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("sku,name,product_type\nA,Café,hardware\n".encode("latin-1"))
    result = cli("import", "products", str(path), "--json")
    assert result.returncode == 2
    assert "latin1.csv:2: file: is not UTF-8 text: byte 0xE9 at byte offset 27 (line 2)" in result.stderr
    assert json.loads(result.stdout)["errors"][0]["row"] == 2


def test_a_dry_run_reports_but_writes_nothing(cli, tmp_path):
    path = factories.csv_file(
        tmp_path / "products.csv", [factories.product_row(sku="A"), factories.product_row(sku="B")]
    )
    dry = cli("import", "products", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: nothing was written." in dry.stdout
    assert report_of(cli("import", "products", str(path), "--dry-run", "--json")) == (2, 2, 0, 0)
    assert report_of(cli("import", "products", str(path), "--json")) == (2, 2, 0, 0)


def test_an_unknown_kind_exits_2(cli, tmp_path):
    path = factories.csv_file(tmp_path / "x.csv", [{"a": "1"}])
    result = cli("import", "invoices", str(path))
    assert result.returncode == 2
    assert "unknown import kind 'invoices'" in result.stderr
