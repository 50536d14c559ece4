"""Collections metrics benchmark: aging and DSO as of a date over 1,000,000 open items and 3,000,000 ledger lines.

Usage: python -m bench.collections [--url postgresql://postgres@127.0.0.1:5432/test] [--items 1000000]
Builds a fresh database (a SQLite file in a temp dir, or the schema ``bench_collections`` on PostgreSQL), bulk-loads
with a fixed seed: ``--items`` invoices (open items, each with a journal entry of 3 lines: AR, revenue, VAT), one
payment item per 5 invoices applied to 2 invoices each, over 2025-2026 for 20,000 customers; then refreshes the AR
read model (timed apart: it is incremental in daily use) and times ``report("aging")`` and ``report("dso")`` as of
three dates through the real service (best of 3 each). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, text

from cashtrail.analytics.queries import refresh_read_model, report
from cashtrail.bootstrap import App, bootstrap
from cashtrail.config import Settings
from cashtrail.db import ledger_tables as lt
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor

SCHEMA = "bench_collections"
FIRST_DAY = date(2025, 1, 1)
AT = datetime(2026, 11, 30, tzinfo=UTC)
AS_OF = (date(2025, 12, 31), date(2026, 6, 30), date(2026, 10, 31))


def _items(count: int, seed: int) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]]:
    rng = random.Random(seed)
    for n in range(1, count + 1):
        issued = FIRST_DAY + timedelta(days=rng.randrange(670))
        net = Decimal(rng.randrange(5_000, 500_000)).scaleb(-2)
        vat = (net * Decimal("0.21")).quantize(Decimal("0.01"))
        customer = f"C{rng.randrange(20_000):06d}"
        item = {
            "id": n,
            "customer_number": customer,
            "legal_entity": "BE01",
            "kind": "invoice",
            "reference": f"INV-BE01-{issued.year}-{n:07d}",
            "currency": "EUR",
            "amount": net + vat,
            "open_amount": net + vat,
            "document_date": issued,
            "due_date": issued + timedelta(days=30),
            "payment_reference": "",
            "invoice_id": None,
            "closed_on": None,
        }
        entry = {
            "id": n,
            "entry_date": issued,
            "kind": "invoice",
            "source_type": "document",
            "source_id": item["reference"],
            "description": f"Invoice {item['reference']}",
            "reverses_id": None,
            "posted_at": AT,
            "posted_by": "bench",
        }
        lines = [
            {"entry_id": n, "account": "1100", "currency": "EUR", "amount": net + vat, "customer_number": customer},
            {"entry_id": n, "account": "4000", "currency": "EUR", "amount": -net, "customer_number": None},
            {"entry_id": n, "account": "2100", "currency": "EUR", "amount": -vat, "customer_number": None},
        ]
        yield item, lines, entry


def load(engine: Engine, count: int, seed: int = 11) -> dict[str, int]:
    """Bulk-load invoices with their entries, then payments applied to pairs of invoices."""
    counts = {"open_items": 0, "journal_lines": 0, "applications": 0}
    batch: dict[str, list[dict[str, Any]]] = {"items": [], "lines": [], "entries": []}
    pending: list[dict[str, Any]] = []
    rng = random.Random(seed + 1)
    payment_id = count
    with engine.begin() as conn:
        for item, lines, entry in _items(count, seed):
            batch["items"].append(item)
            batch["entries"].append(entry)
            batch["lines"] += lines
            pending.append(item)
            if len(pending) == 2:
                payment_id += 1
                _pay(batch, pending, payment_id, rng)
                pending = []
            if len(batch["items"]) >= 50_000:
                _flush(conn, batch, counts)
        _flush(conn, batch, counts)
    return counts


def _pay(
    batch: dict[str, list[dict[str, Any]]], pair: list[dict[str, Any]], payment_id: int, rng: random.Random
) -> None:
    """Two invoices in five are paid together by one payment, 0-90 days after the later due date."""
    if rng.random() >= 0.4:
        return
    paid_on = max(i["due_date"] for i in pair) + timedelta(days=rng.randrange(-10, 90))
    total = sum((i["amount"] for i in pair), Decimal(0))
    batch["items"].append(
        {
            "id": payment_id,
            "customer_number": pair[0]["customer_number"],
            "legal_entity": "BE01",
            "kind": "payment",
            "reference": f"PAY-{payment_id}",
            "currency": "EUR",
            "amount": -total,
            "open_amount": Decimal(0),
            "document_date": paid_on,
            "due_date": paid_on,
            "payment_reference": "",
            "invoice_id": None,
            "closed_on": paid_on,
        }
    )
    for invoice in pair:
        invoice["open_amount"], invoice["closed_on"] = Decimal(0), paid_on
        batch.setdefault("applications", []).append(
            {
                "debit_item_id": invoice["id"],
                "credit_item_id": payment_id,
                "currency": "EUR",
                "amount": invoice["amount"],
                "kind": "payment",
                "applied_on": paid_on,
                "applied_at": AT,
                "applied_by": "bench",
                "reversed_at": None,
                "reversed_by": None,
                "reversal_reason": None,
                "metadata": {},
            }
        )


def _flush(conn: Any, batch: dict[str, list[dict[str, Any]]], counts: dict[str, int]) -> None:
    for table, key in (
        (lt.journal_entries, "entries"),
        (lt.journal_lines, "lines"),
        (lt.open_items, "items"),
        (lt.item_applications, "applications"),
    ):
        rows = batch.get(key, [])
        if rows:
            conn.execute(insert(table), rows)
        batch[key] = []
    counts["open_items"] = int(conn.execute(text("select count(*) from open_items")).scalar_one())
    counts["journal_lines"] = int(conn.execute(text("select count(*) from journal_lines")).scalar_one())
    counts["applications"] = int(conn.execute(text("select count(*) from item_applications")).scalar_one())


def _best(fn: Any, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return round(best, 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="Time the queries on a database loaded before.")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    if args.reuse:
        if url.startswith("postgresql"):
            url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{SCHEMA}"
        app = bootstrap(Settings(database_url=url, env="test"))
        print(json.dumps({"backend": app.engine.dialect.name, "reused": True, "timings": _time(app)}, default=str))
        return
    if url.startswith("postgresql"):
        admin = bootstrap(Settings(database_url=url, env="test"))
        with admin.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        admin.engine.dispose()
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{SCHEMA}"
    app: App = bootstrap(Settings(database_url=url, env="test"))
    upgrade(app.engine)
    started = time.perf_counter()
    counts = load(app.engine, args.items)
    if app.engine.dialect.name == "postgresql":
        with app.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    refresh_read_model(app.uow())
    if app.engine.dialect.name == "postgresql":
        with app.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    refreshed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "backend": app.engine.dialect.name,
                "url": url,
                **counts,
                "load_s": round(loaded, 1),
                "read_model_refresh_s": round(refreshed, 1),
                "timings": _time(app),
            },
            default=str,
        )
    )


def _time(app: App) -> dict[str, Any]:
    """Best of 3 for aging and DSO at each date, through ``report`` (refresh of an up-to-date model included)."""
    system = Actor.system()
    timings: dict[str, Any] = {}
    for day in AS_OF:
        for metric in ("aging", "dso"):
            result: dict[str, Any] = {}

            def run(m: str = metric, d: date = day, r: dict[str, Any] = result) -> None:
                refresh_read_model(app.uow())
                r.update(report(app.uow(), system, m, d))

            timings[f"{metric}@{day}"] = {"seconds": _best(run), "values": result["values"]}
    return timings


if __name__ == "__main__":
    main()
