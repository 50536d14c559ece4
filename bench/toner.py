"""Toner reconciliation benchmark: a year of MPS billing reports and cartridge shipments, reconciled at once.

Usage: python -m bench.toner [--agreements 2000 --devices 200000 --months 12] [--workers 2] [--url URL]
[--seed 7]. Builds a fresh database (SQLite file in a temp dir by default), loads customers, MPS contracts with
devices, the cartridge catalog, model mappings, one quarterly set-up per agreement, one billing-report line per
device and month and the shipment lines (cartridges as each device consumed them, from 10 % under to 30 % over its
billed pages, about 1.3 M lines for 200,000 devices) with bulk inserts (not timed), then times
``run_reconciliation`` for the year 2026 (every quarter of every agreement: load, find, calculate, store records and
findings) in ``--workers`` processes and prints one JSON line with the seconds, the rows, the CPU and the peak
resident memory of the main process and of the largest worker.

Seeded data errors, so the findings are exercised at volume: shipments to serials not on the agreement, parts not
mapped to the device's model, a part without a cost, duplicate lines in a second upload, devices without usage.
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
from typing import Any

from sqlalchemy import insert, text

from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.db import billing_tables as bt
from cashtrail.db import tables as t
from cashtrail.db import toner_tables as tt
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor
from cashtrail.jobs.toner_run import run_parallel

COUNTRIES = ("BE", "FR", "NL", "DE", "ES")
#: model → (colour device?, black standard part, black high-yield part)
MODELS = {
    "M-MONO-20": (False, 3_000),
    "M-MONO-40": (False, 6_000),
    "M-MONO-60": (False, 12_000),
    "M-COL-25": (True, 4_000),
    "M-COL-35": (True, 7_000),
    "M-COL-55": (True, 10_000),
}
YEAR = 2026


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]], batch: int = 20_000) -> None:
    for start in range(0, len(rows), batch):
        conn.execute(insert(table), rows[start : start + batch])


def _catalog(conn: Any) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """Parts and mappings; returns model → colour → [(part, yield)]."""
    parts, mappings, fits = [], [], {}
    for model, (colour, black) in MODELS.items():
        fits[model] = {}
        colours = ("black", "cyan", "magenta", "yellow") if colour else ("black",)
        for c in colours:
            pages = black if c == "black" else black * 2 // 3
            options = [(f"{model}-{c[0].upper()}", pages), (f"{model}-{c[0].upper()}H", pages * 2)]
            fits[model][c] = options
            for number, yield_ in options:
                cost = Decimal(yield_) * Decimal("0.0075" if c == "black" else "0.021")
                parts.append(_part(number, c, yield_, cost))
                mappings.append(
                    {"model": model, "part_number": number, "yield_class": "standard", "starter_yield": pages}
                )
    parts.append(_part("NOCOST-1", "black", 5_000, None))  # a part whose only cost starts after the year
    _insert(conn, tt.toner_parts, parts)
    _insert(conn, tt.toner_model_mappings, mappings)
    return fits


def _part(number: str, colour: str, pages: int, cost: Decimal | None) -> dict[str, Any]:
    return {
        "part_number": number,
        "colour": colour,
        "rated_yield": pages,
        "cost": (cost or Decimal(50)).quantize(Decimal("0.01")),
        "currency": "EUR",
        "valid_from": date(2020, 1, 1) if cost is not None else date(YEAR + 1, 1, 1),
    }


def _contracts(conn: Any, agreements: int, rng: random.Random) -> dict[str, int]:
    customers = max(10, agreements // 10)
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
                "country": COUNTRIES[i % len(COUNTRIES)],
                "language": "en",
                "currency": "EUR",
                "payment_terms_code": "N30",
                "status": "active",
            }
            for i in range(customers)
        ],
    )
    _insert(
        conn,
        bt.contracts,
        [
            {
                "number": f"MPS{i:06d}",
                "customer_number": f"C{i % customers:06d}",
                "kind": "mps",
                "currency": "EUR",
                "start_date": date(YEAR - 1, 1, 1),
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
                "pooling": "per_device" if i % 5 == 0 else "pooled",
                "base_fee_per_device": Decimal(25),
                "callout_terms": None,
                "escalation": None,
            }
            for i in range(agreements)
        ],
    )
    return dict(conn.execute(text("SELECT number, id FROM contracts")).all())


def _setups(conn: Any, agreements: int) -> None:
    rows = []
    for i in range(agreements):
        rows.append(
            {
                "agreement": f"MPS{i:06d}",
                "valid_from": date(YEAR - 1, 1, 1),
                "valid_to": None,
                "currency": "EUR",
                "toner_included": True,
                "allowance_percent": Decimal(6 if i % 7 == 0 else 5),  # every 7th disagrees with the contract
                "tolerance_percent": Decimal(10),
                "spare_allowance_pages": 0,
                "period": "quarterly",
                "pooling": "per_device" if i % 5 == 0 else "per_agreement",
                "markup_percent": Decimal(15),
                "pricing": "cost_plus",
                "price_per_cartridge": None,
                "reference_parts": {},
                "ship_tos": [],
                "owner": f"specialist{i % 8}",
            }
        )
    _insert(conn, tt.toner_setups, rows)


def _agreement(conn: Any, state: dict[str, Any], index: int, devices: int, months: int) -> None:
    """Devices, monthly billing lines and shipments of one agreement (inserted by the caller in batches)."""
    rng = state["rng"]
    number, contract_id = f"MPS{index:06d}", state["ids"][f"MPS{index:06d}"]
    models = list(MODELS)
    for d in range(devices):
        serial = f"SN{index:06d}{d:04d}"
        model = models[(index + d) % len(models)]
        state["devices"].append(
            {
                "contract_id": contract_id,
                "serial": serial,
                "model": model,
                "site": "HQ",
                "installed_on": date(YEAR - 1, 1, 1),
                "removed_on": None,
                "meters": ["mono", "colour"] if MODELS[model][0] else ["mono"],
            }
        )
        mono, colour = rng.randint(1_000, 6_000), rng.randint(300, 2_000) if MODELS[model][0] else 0
        silent = rng.random() < 0.002  # billed nothing all year
        totals = {"mono": 0, "colour": 0}
        for m in range(months):
            start = date(YEAR, m + 1, 1)
            end = (date(YEAR, m + 2, 1) if m < 11 else date(YEAR + 1, 1, 1)) - timedelta(days=1)
            month = {"mono": int(mono * rng.uniform(0.7, 1.3)), "colour": int(colour * rng.uniform(0.7, 1.3))}
            totals["mono"] += month["mono"]
            totals["colour"] += month["colour"]
            state["billing"].append(
                {
                    "agreement": number,
                    "period_start": start,
                    "period_end": end,
                    "serial": serial,
                    "mono_pages": 0 if silent else month["mono"],
                    "colour_pages": 0 if silent else month["colour"],
                    "billed_asset_count": 1,
                    "invoice_number": f"INV-{YEAR}{m + 1:02d}-{index:06d}",
                    "source": "bench",
                }
            )
        consumed = {"black": totals["mono"] + totals["colour"]}
        if MODELS[model][0]:
            consumed.update(cyan=totals["colour"], magenta=totals["colour"], yellow=totals["colour"])
        _device_lines(state, number, serial, model, consumed)


def _device_lines(state: dict[str, Any], number: str, serial: str, model: str, pages: dict[str, int]) -> None:
    """Cartridges as the device consumed them (10 % under to 30 % over its billed pages), one to three per line."""
    rng, fits, rows = state["rng"], state["fits"], state["shipments"]
    for colour, printed in pages.items():
        part, pages_per = rng.choice(fits[model][colour])
        cartridges = round(printed * rng.uniform(0.9, 1.3) / pages_per)
        step = state["days"] / max(1, cartridges)
        index = 0
        while index < cartridges:
            quantity = min(cartridges - index, rng.choice((1, 2, 2, 3)))
            day = min(state["days"] - 1, int(step * index + rng.uniform(0, step / 2)))
            index += quantity
            line = {"agreement": number, "serial": serial, "part_number": part, "quantity": quantity}
            rows.append({**line, "shipped_on": date(YEAR, 1, 1) + timedelta(days=day), "status": "shipped"})


def _errors(state: dict[str, Any]) -> None:
    """Seed realistic problems into the shipment lines and number them into monthly uploads."""
    rng, rows = state["rng"], state["shipments"]
    rng.shuffle(rows)
    models = list(MODELS)
    for n, row in enumerate(rows):
        roll = rng.random()
        if roll < 0.002:
            row["serial"] = f"XX{rng.randrange(10**8):08d}"  # asset_not_on_contract
        elif roll < 0.004:
            row["part_number"] = state["fits"][rng.choice(models)]["black"][0][0]  # often a mapping_error
        elif roll < 0.0045:
            row["part_number"] = "NOCOST-1"
        elif roll > 0.985:
            row["status"] = "returned" if roll > 0.993 else "defective_replacement"
        row.update(upload_id=f"bench-{row['shipped_on']:%m}", shipment_id=f"SH{n:08d}", line=1, ship_to="")
    for row in rng.sample(rows, max(1, len(rows) // 1000)):  # the same line again in a later upload
        rows.append({**row, "upload_id": "bench-resent"})


def load(engine: Any, agreements: int, devices: int, months: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    per_agreement = max(1, devices // agreements)
    with engine.begin() as conn:
        state: dict[str, Any] = {"rng": rng, "fits": _catalog(conn), "ids": _contracts(conn, agreements, rng)}
        _setups(conn, agreements)
        state.update(devices=[], billing=[], shipments=[], days=months * 30)
        billed = 0
        for i in range(agreements):
            _agreement(conn, state, i, per_agreement, months)
            if len(state["billing"]) > 200_000 or i == agreements - 1:
                _insert(conn, bt.contract_devices, state["devices"])
                _insert(conn, tt.toner_billing_lines, state["billing"])
                billed += len(state["billing"])
                state["devices"], state["billing"] = [], []
        _errors(state)
        _insert(conn, tt.toner_shipments, state["shipments"])
    lines = len(state["shipments"])
    return {"agreements": agreements, "devices": per_agreement * agreements, "billing": billed, "shipments": lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agreements", type=int, default=2_000)
    parser.add_argument("--devices", type=int, default=200_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="Processes for the run (1: in this process).")
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cashtrail-bench-toner-"))
    url = args.url or f"sqlite:///{folder / 'bench.db'}"
    app = bootstrap(Settings(database_url=url, env="dev"))
    upgrade(app.engine)
    started = time.perf_counter()
    rows = load(app.engine, args.agreements, args.devices, args.months, args.seed)
    loaded = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    summary = run_parallel(app, Actor.system(), str(YEAR), args.workers)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest worker process
    print(
        json.dumps(
            {
                "backend": app.engine.dialect.name,
                **rows,
                "load_seconds": round(loaded, 1),
                "run_seconds": round(seconds, 1),
                "run_cpu_seconds_main_process": round(cpu, 1),
                "run_cpu_seconds_workers": round(worker_cpu, 1),
                "workers": args.workers,
                "phase_seconds_slowest_shard": summary.seconds,
                "records": summary.records,
                "findings": sum(summary.findings.values()),
                "findings_by_code": summary.findings,
                "peak_rss_mb_before_run": rss_before // 1024,
                "peak_rss_mb": peak // 1024,
                "peak_rss_mb_largest_worker": worker_peak // 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
