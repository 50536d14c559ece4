"""Cash-application benchmark on a database: ``cashtrail cashapp match`` over stored entries and open items.

Usage: ``python -m bench.cashapp_db --url URL [--payments 10000 --items 60000 --customers 4000] [--reset]``.
Loads the generator's customers, open invoices (with their journal entries, so the ledger balances) and bank
entries (``bench/cashapp_data.py``, fixed seed) into an empty database with bulk inserts, then runs the real
console script ``cashtrail cashapp match --json`` and ``cashtrail cashapp ledger --json`` against it and prints one
JSON line: load seconds, matching wall and CPU seconds (of the child process), the run's report and whether the
ledger is whole. ``--reset`` empties the database first (every table); never point it at data you want to keep.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from bench.cashapp_data import _FORMS, SEED, Dataset, generate
from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.db import cashapp_tables as ct
from cashtrail.db import ledger_tables as lt
from cashtrail.db import tables as t
from cashtrail.db.schema import upgrade

CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")
ACCOUNT = "BE68539007547034"
NOW = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def _chunks(rows: Iterable[dict[str, Any]], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk(conn: Connection, table: Any, rows: Iterable[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        conn.execute(insert(table), chunk)


def _customers(data: Dataset) -> list[dict[str, Any]]:
    """Customers with their IBAN, country (from the legal form) and parent company."""
    owner = {c: i for i, c in data.book.iban_owner.items()}
    ids = {number: n for n, number in enumerate(data.book.names, 1)}
    countries = {form: country for country, form in _FORMS.items()}
    return [
        {
            "id": ids[number], "number": number, "legal_name": name, "country": countries[name.split()[-1]],
            "language": "en", "currency": "EUR", "payment_terms_code": "N30", "iban": owner.get(number),
            "parent_id": ids.get(data.book.parents.get(number, "")), "status": "active",
        }
        for number, name in data.book.names.items()
    ]  # fmt: skip


def _items(data: Dataset) -> Iterator[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]]:
    """(open item, journal entry, journal lines) of every open invoice."""
    for items in data.book.items.values():
        for item in items:
            assert item.id is not None
            doc = item.due_date.replace(day=1)
            open_item = {
                "id": item.id, "customer_number": item.customer, "legal_entity": item.number.split("-")[1],
                "kind": "invoice", "reference": item.number, "currency": "EUR", "amount": item.open.amount,
                "open_amount": item.open.amount, "document_date": doc, "due_date": item.due_date,
                "payment_reference": item.payment_reference or "",
            }  # fmt: skip
            entry = {
                "id": item.id, "entry_date": doc, "kind": "invoice", "source_type": "document",
                "source_id": item.number, "description": f"Invoice {item.number}", "posted_at": NOW,
                "posted_by": "bench",
            }  # fmt: skip
            lines = [
                {"entry_id": item.id, "account": "1100", "currency": "EUR", "amount": item.open.amount,
                 "customer_number": item.customer},
                {"entry_id": item.id, "account": "4000", "currency": "EUR", "amount": -item.open.amount,
                 "customer_number": None},
            ]  # fmt: skip
            yield open_item, entry, lines


def _entries(data: Dataset) -> Iterator[dict[str, Any]]:
    for line, p in enumerate(data.payments, 1):
        refs = [{"type": "rf" if r.startswith("RF") else "ogm_vcs", "value": r, "raw": r} for r in p.references]
        yield {
            "statement_id": 1, "line": line, "account": ACCOUNT, "booking_date": p.booked_on,
            "value_date": p.booked_on, "amount": p.amount.amount, "currency": p.amount.currency,
            "transaction_id": p.id, "bank_reference": p.id, "counterparty_name": p.counterparty_name,
            "counterparty_iban": p.counterparty_iban, "remittance": p.text or None, "structured_references": refs,
            "details": [], "reversal": False, "status": "unmatched",
        }  # fmt: skip


def load(url: str, data: Dataset, *, reset: bool) -> float:
    """Bulk-load the dataset into ``url``; returns the seconds it took."""
    app = bootstrap(Settings(database_url=url, env="test"))
    started = time.perf_counter()
    if reset:
        t.metadata.drop_all(app.engine)
        with app.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(app.engine)
    with app.engine.begin() as conn:
        if conn.scalar(select(func.count()).select_from(t.customers)):
            raise SystemExit(f"{url} already holds customers: pass --reset to empty it (everything is lost)")
        conn.execute(insert(t.payment_terms), [{
            "code": "N30", "description": "30 days", "basis": "invoice_date", "days": 30, "discount_percent": 0,
            "discount_days": 0,
        }])  # fmt: skip
        customers = _customers(data)  # parents first, so the foreign key holds on PostgreSQL
        _bulk(conn, t.customers, sorted(customers, key=lambda c: c["parent_id"] is not None))
        rows = list(_items(data))
        _bulk(conn, lt.journal_entries, (e for _, e, _ in rows))
        _bulk(conn, lt.journal_lines, (line for _, _, lines in rows for line in lines))
        _bulk(conn, lt.open_items, (i for i, _, _ in rows))
        total = sum((p.amount.amount for p in data.payments), start=0)
        conn.execute(insert(ct.bank_statements), [{
            "id": 1, "account": ACCOUNT, "currency": "EUR", "statement_key": "bench", "statement_id": "bench",
            "format": "camt.053", "closing_balance": total, "entry_count": len(data.payments), "notes": [],
            "content_sha256": "0" * 64, "file_name": "bench.xml", "file_sha256": "0" * 64, "imported_at": NOW,
            "imported_by": "bench",
        }])  # fmt: skip
        _bulk(conn, ct.bank_entries, _entries(data))
        if conn.dialect.name == "postgresql":  # rows were given their ids: move the sequences past them
            for table in ("customers", "journal_entries", "open_items", "bank_statements"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
    app.engine.dispose()
    return time.perf_counter() - started


def _cli(url: str, *args: str) -> tuple[dict[str, Any], float, float]:
    """Run the console script; returns its JSON, wall seconds and CPU seconds of the child."""
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": url}
    env.pop("CASHTRAIL_USER", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([CASHTRAIL, *args, "--json"], capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 4):
        raise SystemExit(f"cashtrail {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(done.stdout), wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=60_000)
    parser.add_argument("--customers", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    args = parser.parse_args()
    data = generate(args.payments, args.items, args.customers, args.seed)
    loaded = load(args.url, data, reset=args.reset)
    report, wall, cpu = _cli(args.url, "cashapp", "match")
    ledger, _, _ = _cli(args.url, "cashapp", "ledger")
    backend = args.url.split(":", 1)[0]
    print(json.dumps({
        "backend": backend, "payments": args.payments, "items": args.items, "customers": args.customers,
        "load_seconds": round(loaded, 1), "match_seconds": round(wall, 1), "match_cpu_seconds": round(cpu, 1),
        "receipts_per_second": round(args.payments / wall), "report": report, "ledger_problems": ledger["problems"],
    }))  # fmt: skip


if __name__ == "__main__":
    main()
