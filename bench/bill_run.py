"""Bill-run benchmark: a synthetic month of MPS devices, maintenance units with jobs, and subscriptions.

Usage: python -m bench.bill_run --devices 100000 [--url postgresql://...] [--units 20000 --jobs 30000
--subscriptions 10000]. Builds a fresh database (SQLite file in a temp dir by default), loads the data with bulk
inserts, then times ``run_bill_run`` for 2026-04 (compute + persist drafts and lines) and prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text

from cashtrail.billing.services import run_bill_run
from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.db import billing_tables as bt
from cashtrail.db import tables as t
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor

APRIL_START, APRIL_END = date(2026, 4, 1), date(2026, 4, 30)
TIERS = [[20000, "0.0090"], [None, "0.0075"]]


def _insert(conn, table, rows, batch: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), batch):
        conn.execute(insert(table), rows[start : start + batch])


def load(engine, devices: int, units: int, jobs: int, subscriptions: int, seed: int = 7) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    customers = max(100, (devices + units) // 100)
    with engine.begin() as conn:
        conn.execute(
            insert(t.payment_terms).values(
                code="N30", description="Net 30", basis="net", days=30, discount_percent=Decimal(0), discount_days=0
            )
        )
        _insert(
            conn,
            t.customers,
            [
                {
                    "number": f"C{i:06d}",
                    "legal_name": f"Customer {i}",
                    "country": "BE",
                    "language": "nl",
                    "currency": "EUR",
                    "payment_terms_code": "N30",
                    "status": "active",
                }
                for i in range(customers)
            ],
        )
        header = {
            "kind": "mps",
            "currency": "EUR",
            "start_date": date(2025, 1, 1),
            "frequency": "monthly",
            "timing": "advance",
            "proration": "actual_days",
            "grouping": "per_contract",
            "po_required": False,
            "minimum_invoice_amount": Decimal(0),
            "status": "active",
            "version": 1,
            "toner_included": True,
            "coverage_allowance_percent": Decimal(5),
            "pooling": "pooled",
            "base_fee_per_device": Decimal("25"),
            "callout_terms": None,  # executemany takes its column list from the first row
            "escalation": None,
        }
        per_agreement = 20
        mps = [
            {**header, "number": f"MPS{i:06d}", "customer_number": f"C{i % customers:06d}"}
            for i in range(devices // per_agreement)
        ]
        maint = [
            {
                **header,
                "kind": "maintenance",
                "number": f"LFT{i:06d}",
                "customer_number": f"C{i % customers:06d}",
                "frequency": "quarterly",
                "pooling": "pooled",
                "base_fee_per_device": Decimal(0),
                "callout_terms": {
                    "normal_hourly_rate": "82.00",
                    "class_rates": {"out_of_hours": {"hourly_rate": None, "multiplier": "1.5"}},
                    "minimum_minutes": 60,
                    "increment_minutes": 15,
                    "travel_fee": "35.00",
                    "parts_discount_percent": "10",
                    "included_kinds": ["entrapment"],
                    "business_start": "08:00:00",
                    "business_end": "17:00:00",
                },
            }
            for i in range(max(1, units // 10))
        ]
        subs = [
            {
                **header,
                "kind": "subscription",
                "number": f"SUB{i:06d}",
                "customer_number": f"C{i % customers:06d}",
                "base_fee_per_device": Decimal(0),
            }
            for i in range(subscriptions)
        ]
        _insert(conn, bt.contracts, mps + maint + subs)
        ids = dict(conn.execute(text("SELECT number, id FROM contracts")).all())
        _insert(
            conn,
            bt.contract_meter_plans,
            [
                {
                    "contract_id": ids[c["number"]],
                    "meter_type": m,
                    "tiers": TIERS,
                    "mode": "graduated",
                    "included_volume": 1000,
                    "minimum_charge": Decimal("150"),
                }
                for c in mps
                for m in ("mono", "colour")
            ],
        )
        device_rows, reads = [], []
        for n in range(devices):
            serial, contract = f"SN{n:07d}", mps[n // per_agreement]["number"]
            installed = date(2025, 6, 1) if n % 50 else date(2026, 4, 1 + n % 28)
            device_rows.append(
                {
                    "contract_id": ids[contract],
                    "serial": serial,
                    "model": "MX-3071",
                    "site": "HQ",
                    "installed_on": installed,
                    "removed_on": None,
                    "meters": ["mono", "colour"],
                }
            )
            for meter in ("mono", "colour"):
                value = rng.randint(10_000, 500_000)
                for month_end in (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), APRIL_END):
                    value += rng.randint(500, 6_000)
                    reads.append(
                        {
                            "serial": serial,
                            "meter_type": meter,
                            "read_on": month_end,
                            "kind": "actual",
                            "value": value,
                            "source": "bench",
                        }
                    )
        _insert(conn, bt.contract_devices, device_rows)
        _insert(conn, bt.meter_reads, reads)
        _insert(
            conn,
            bt.contract_units,
            [
                {
                    "contract_id": ids[maint[u // 10]["number"]],
                    "unit_id": f"U{u:06d}",
                    "site": "Tower",
                    "description": f"Lift {u}",
                    "fee_per_period": Decimal("612.50"),
                    "active_from": date(2025, 1, 1),
                }
                for u in range(units)
            ],
        )
        _insert(
            conn,
            bt.service_jobs,
            [
                {
                    "job_id": f"J{j:07d}",
                    "contract_number": maint[j % len(maint)]["number"],
                    "unit_id": f"U{j % units:06d}",
                    "kind": "breakdown",
                    "completed_on": APRIL_START + timedelta(days=j % 30),
                    "minutes": {"normal": rng.randint(20, 180)} if j % 3 else {"out_of_hours": rng.randint(20, 120)},
                    "parts": [["ROLLER", "1", "35.00"]] if j % 4 == 0 else [],
                    "back_reported": j % 97 != 0,
                }
                for j in range(jobs)
            ],
        )
        _insert(
            conn,
            bt.contract_fee_lines,
            [
                {
                    "contract_id": ids[s["number"]],
                    "line_id": "L1",
                    "description": "Cloud seats",
                    "product_sku": "SEAT",
                    "unit_price": Decimal("12.00"),
                    "site": "",
                    "quantity_changes": [["2025-01-01", "10"], ["2026-04-11", "25"]]
                    if i % 5 == 0
                    else [["2025-01-01", "10"]],
                }
                for i, s in enumerate(subs)
            ],
        )
    return {
        "customers": customers,
        "contracts": len(ids),
        "devices": devices,
        "meter_reads": len(reads),
        "units": units,
        "jobs": jobs,
        "subscriptions": subscriptions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=30_000)
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--url", default=None, help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    app = bootstrap(Settings(database_url=url))
    if url.startswith("postgresql"):
        with app.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(app.engine)
    started = time.perf_counter()
    counts = load(app.engine, args.devices, args.units, args.jobs, args.subscriptions)
    loaded = time.perf_counter()
    result = run_bill_run(app.uow(), app.clock, Actor.system(), "2026-04")
    finished = time.perf_counter()
    lines = result.summary()["lines"]
    print(
        json.dumps(
            {
                "backend": app.engine.dialect.name,
                **counts,
                "load_s": round(loaded - started, 1),
                "bill_run_s": round(finished - loaded, 1),
                "lines": lines,
                "lines_per_s": round(int(lines) / (finished - loaded)),  # type: ignore[call-overload]
                "drafts": result.summary()["drafts"],
                "held_lines": len(result.held),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
