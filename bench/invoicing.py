"""Invoicing benchmark: issue N drafts of 5 lines (gapless number, due date, payment reference, snapshot, ledger
entry and open item, one transaction each) and report invoices per second.

Usage: python -m bench.invoicing [--count 10000] [--url postgresql://...] [--customers 500]. Builds a fresh database
(SQLite file in a temp dir by default), creates the legal entity, customers and N five-line drafts with the real
repositories (bulk), then times ``issue_ready``. With ``--render-workers N`` it then times ``invoice render``'s job
(every issued document's PDF and validated UBL rendered in N processes and stored). Prints one JSON line. The PDF
and UBL renderers alone, each timed apart, are measured by ``bench.documents``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, text

from cashtrail.bootstrap import bootstrap
from cashtrail.clock import FixedClock
from cashtrail.config import Settings
from cashtrail.db import tables as t
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor
from cashtrail.invoicing.issue_services import issue_ready
from cashtrail.invoicing.lifecycle import Document
from cashtrail.invoicing.tax import TaxContext, decide_vat
from cashtrail.invoicing.totals import DocumentKind, Line
from cashtrail.jobs.document_render import render_pending
from cashtrail.money import Money
from cashtrail.parties.entities import LegalEntity
from cashtrail.parties.entity_services import define_legal_entity

ISSUE_DATE = date(2026, 4, 30)
ENTITY = LegalEntity(
    "BE01",
    "Bench Services NV",
    "BE",
    "BE0202239951",
    "Rue de la Loi 16",
    "1000",
    "Bruxelles",
    "BE68539007547034",
    is_default=True,
    approval_threshold=None,
    approve_first_invoice=False,
)


def _customers(engine, count: int) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    countries = [("BE", "BE0403170701"), ("FR", "FR40303265045"), ("ES", "ESA78304516"), ("US", None)]
    rows, found = [], []
    for i in range(count):
        country, vat = countries[i % len(countries)]
        number = f"C{i:06d}"
        found.append((number, country, vat))
        rows.append(
            {
                "number": number,
                "legal_name": f"Customer {i}",
                "country": country,
                "language": "en",
                "currency": "EUR",
                "payment_terms_code": "N30",
                "status": "active",
                "vat_number": vat,
            }
        )
    with engine.begin() as conn:
        conn.execute(
            insert(t.payment_terms).values(
                code="N30", description="Net 30", basis="net", days=30, discount_percent=Decimal(0), discount_days=0
            )
        )
        conn.execute(insert(t.customers), rows)
        ids = conn.execute(select(t.customers.c.id, t.customers.c.number)).all()
        contacts = [
            {"customer_id": i, "name": "Payables", "email": f"ap.{n.lower()}@customers.example", "role": "billing"}
            for i, n in ids
        ]
        conn.execute(insert(t.customer_contacts), contacts)
    return found


def _drafts(app, count: int, customers: list[tuple[str, str, str | None]], seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        number, country, vat = customers[i % len(customers)]
        context = TaxContext("BE", country, buyer_is_business=True, buyer_vat_number=vat)
        lines = [
            Line(
                Decimal(rng.randint(1, 20)),
                Money(Decimal(rng.randint(100, 99_999)) / 100, "EUR"),
                decide_vat(context, rng.choice(["standard", "standard", "reduced"]), ISSUE_DATE),
                f"Service line {j}",
                category="fee",
            )
            for j in range(5)
        ]
        docs.append(
            Document(
                DocumentKind.INVOICE,
                number,
                "EUR",
                lines,
                "bench",
                [],
                legal_entity="BE01",
                source="bench",
                buyer_reference=f"PO-{i}",
                created_at=datetime.now(UTC),
            )
        )
    with app.uow() as uow:
        for start in range(0, len(docs), 2_000):
            chunk = docs[start : start + 2_000]
            uow.invoices.add_many(chunk, [[None] * 5 for _ in chunk])
        uow.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--url", default="")
    parser.add_argument("--render-workers", type=int, default=0, help="Then render every PDF and UBL (0: skip).")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cashtrail-bench-"))
    url = args.url or f"sqlite:///{tmp / 'bench.db'}"
    settings = Settings(database_url=url, env="test")
    app = bootstrap(settings, clock=FixedClock(datetime(2026, 4, 30, 9, tzinfo=UTC)))
    if url.startswith("postgresql"):
        with app.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(app.engine)
    define_legal_entity(app.uow(), app.clock, Actor.system(), LegalEntity(**vars(ENTITY)))
    customers = _customers(app.engine, args.customers)
    started = time.perf_counter()
    _drafts(app, args.count, customers, seed=11)
    drafted = time.perf_counter() - started
    started = time.perf_counter()
    result = issue_ready(app.uow(), app.clock, Actor.system(), issue_date=ISSUE_DATE)
    issued = time.perf_counter() - started
    numbers = [d.number for d in result.issued]
    report = {
        "backend": app.engine.dialect.name,
        "invoices": len(numbers),
        "waiting": len(result.skipped),
        "gapless": sorted(numbers) == [f"INV-BE01-2026-{n:06d}" for n in range(1, len(numbers) + 1)],
        "draft_seconds": round(drafted, 2),
        "issue_seconds": round(issued, 2),
        "issued_per_second": round(len(numbers) / issued, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if args.render_workers:
        started = time.perf_counter()
        rendered = render_pending(app, Actor.system(), workers=args.render_workers)
        seconds = time.perf_counter() - started
        report["render"] = {
            "workers": args.render_workers,
            "documents": rendered.documents,
            "files": rendered.files,
            "refused": len(rendered.refused),
            "seconds": round(seconds, 2),
            "documents_per_second": round(rendered.documents / seconds, 1),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
