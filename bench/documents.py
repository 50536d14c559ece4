"""Document renderer benchmark: N five-line invoices rendered as PDF, and as UBL validated in full, per second.

Usage: python -m bench.documents [--count 10000] [--workers 1|2] [--only pdf|ubl]. Builds ``count`` issued-invoice
snapshots of five lines (sellers in BE, FR, NL, ES and DE, customers in the four document languages, a few
reverse-charged), the way the invoicing domain builds them (totals, VAT, references), outside the timing. Then,
separately, times ``render_pdf`` and ``render_ubl`` + ``validate_ubl`` (XML, UBL 2.1 XSD, CEN EN 16931 XSLT) on every
snapshot. With ``--workers 2`` the snapshots are split between two processes that warm up (fonts, stylesheet,
schemas, XSLT), wait for each other, then run; the rate is all documents divided by the slowest worker's time.
Prints one JSON line with the rates, the CPU milliseconds each document took (less sensitive to other work on the
machine than the rates) and the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from cashtrail.documents.pdf import render_pdf
from cashtrail.documents.ubl import render_ubl
from cashtrail.documents.ubl_validation import validate_ubl, validator_versions, warm_up
from cashtrail.invoicing.references import ogm_reference, rf_reference
from cashtrail.invoicing.snapshot import DocumentSnapshot, Heading, PartySnapshot, PostalAddress, build_snapshot
from cashtrail.invoicing.tax import TaxContext, decide_vat
from cashtrail.invoicing.totals import Line, compute_totals
from cashtrail.money import Money

SELLERS = {
    "BE": ("Rue de la Loi 16", "1000", "Bruxelles", "BE0202239951", "0202239951", "0208", "BE68539007547034"),
    "FR": ("12 rue de Rivoli", "75004", "Paris", "FR40303265045", "303265045", "0002", "FR1420041010050500013M02606"),
    "NL": ("Damrak 1", "1012 LG", "Amsterdam", "NL004495445B01", "34123456", "0106", "NL91ABNA0417164300"),
    "ES": ("Calle de Alcalá 1", "28014", "Madrid", "ESB58378431", "B58378431", "", "ES9121000418450200051332"),
    "DE": ("Unter den Linden 1", "10117", "Berlin", "DE136695976", "HRB 123456", "", "DE89370400440532013000"),
}
SELLER_EAS = {"BE": "0208", "FR": "9957", "NL": "9944", "ES": "9920", "DE": "9930"}
# (buyer country, language, buyer VAT): domestic buyers, and a French customer of a foreign seller (reverse charge).
BUYERS = [("BE", "nl", "BE0403170701"), ("BE", "fr", "BE0403170701"), ("FR", "fr", "FR40303265045"),
          ("ES", "es", "ESJ99216582"), ("IE", "en", None)]  # fmt: skip
ITEMS = [("Maintenance fee, lift {n}", "1", "250.00", "standard"), ("Callout, 95 min out of hours", "1.75", "96.50",
         "standard"), ("Spare part: door contact", "2", "41.30", "reduced"), ("Pages printed, black", "12345",
         "0.0123", "standard"), ("Remote monitoring", "1", "19.90", "standard")]  # fmt: skip


def _party(country: str, seller: bool, vat: str | None) -> PartySnapshot:
    if seller:
        street, postal, city, vat_no, company, scheme, iban = SELLERS[country]
        endpoint = company if country == "BE" else vat_no
        return PartySnapshot(
            f"Bench Services {country}", PostalAddress(street, postal, city, country), vat_no, company,
            endpoint, SELLER_EAS[country], email="billing@bench.example", iban=iban, company_id_scheme=scheme or None,
        )  # fmt: skip
    endpoint, scheme = (vat, SELLER_EAS.get(country, "EM")) if vat else ("ap@customer.example", "EM")
    if vat and country == "BE":
        endpoint = vat[2:]
    return PartySnapshot("Customer NV", PostalAddress("Main Street 1", "2000", "City", country), vat, None,
                         endpoint, scheme, number="C0001")  # fmt: skip


def snapshot(n: int) -> DocumentSnapshot:
    """The ``n``-th benchmark invoice: five lines, seller and customer chosen by ``n``."""
    seller_country = list(SELLERS)[n % len(SELLERS)]
    buyer_country, language, vat = BUYERS[n % len(BUYERS)]
    if seller_country == "NL" and buyer_country == "NL":
        buyer_country = "BE"
    issued = date(2026, 1, 1) + timedelta(days=n % 365)
    context = TaxContext(seller_country, buyer_country, buyer_is_business=True, buyer_vat_number=vat)
    lines = [
        Line(Decimal(q), Money.of(p, "EUR"), decide_vat(context, cat, issued), d.format(n=n), item_id=f"SKU-{i}")
        for i, (d, q, p, cat) in enumerate(ITEMS, start=1)
    ]
    number = f"INV-{seller_country}-2026-{n:06d}"
    reference = ogm_reference(n + 1) if seller_country == "BE" else rf_reference(number)
    heading = Heading(
        number, issued, issued + timedelta(days=30), language, _party(seller_country, True, None),
        _party(buyer_country, False, vat), reference.value, reference.formatted(), "Net 30 days", f"PO-{n}",
        contract_reference=f"LFT-{n % 997:05d}",
    )  # fmt: skip
    return build_snapshot(compute_totals(lines, currency="EUR"), heading)


def _ubl(doc: DocumentSnapshot) -> bool:
    return validate_ubl(render_ubl(doc)).is_valid


def _worker(indices: range, only: str, barrier: Any) -> dict[str, Any]:
    """Build this worker's snapshots and warm up (untimed), wait for the others, then time each renderer."""
    docs = [snapshot(n) for n in indices]
    warm_up()
    render_pdf(docs[0])
    if barrier is not None:
        barrier.wait()
    result: dict[str, Any] = {"documents": len(docs)}
    if only in ("all", "pdf"):
        started, cpu = time.perf_counter(), time.process_time()
        size = sum(len(render_pdf(doc)) for doc in docs)
        result["pdf"] = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "bytes": size}
    if only in ("all", "ubl"):
        started, cpu = time.perf_counter(), time.process_time()
        invalid = sum(not _ubl(doc) for doc in docs)
        result["ubl"] = {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu, "invalid": invalid}
    return result


def run(count: int, workers: int = 1, only: str = "all") -> dict[str, Any]:
    """Render ``count`` invoices in ``workers`` processes; return a JSON-friendly dict of rates."""
    slices = [range(w, count, workers) for w in range(workers)]
    if workers == 1:
        results = [_worker(slices[0], only, None)]
    else:
        manager = multiprocessing.Manager()
        barrier = manager.Barrier(workers)
        with multiprocessing.Pool(workers) as pool:
            results = pool.starmap(_worker, [(s, only, barrier) for s in slices])
    report: dict[str, Any] = {"bench": "documents", "count": count, "workers": workers, "lines_per_invoice": 5}
    for kind in ("pdf", "ubl"):
        if kind in results[0]:
            seconds = max(r[kind]["seconds"] for r in results)
            cpu_ms = sum(r[kind]["cpu"] for r in results) / count * 1000
            report[kind] = {"seconds": round(seconds, 2), "per_second": round(count / seconds, 1)}
            report[kind]["cpu_ms_per_document"] = round(cpu_ms, 1)
    if "pdf" in report:
        report["pdf"]["mean_kb"] = round(sum(r["pdf"]["bytes"] for r in results) / count / 1024, 1)
    if "ubl" in report:
        report["ubl"]["invalid"] = sum(r["ubl"]["invalid"] for r in results)
    report["load_average_1m"] = round(os.getloadavg()[0], 2)
    report["cpus"] = os.cpu_count()
    report["validator"] = validator_versions()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, choices=(1, 2))
    parser.add_argument("--only", default="all", choices=("all", "pdf", "ubl"))
    args = parser.parse_args()
    print(json.dumps(run(args.count, args.workers, args.only)))


if __name__ == "__main__":
    main()
