"""The toner country file: one XLSX per country and period, as specialists post it to document management.

Sheets: ``Summary`` (one row per agreement: status, owner, due date, totals, charge, open findings), ``Details``
(one row per agreement and colour: billed pages, expected and shipped capacity, tolerance, excess, cost per yield
page, cartridge equivalents, effective coverage, charge), ``Findings`` (every finding with its rows and fix), and
the rows behind the figures so they can be checked: ``Shipments`` (one row per shipment line each record counted,
per colour) and ``Billing`` (one row per billing line of each record).
Numbers are numeric cells written from their exact decimal text, never through float on our side; dates are dates.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from cashtrail.toner.country_data import CountryData
from cashtrail.toner.records import ReconciliationRecord, rows_summary

SUMMARY = [
    "Agreement", "Customer", "Country", "Period", "Status", "Owner", "Due on", "Billed pages (black)",
    "Expected (yield pages)", "Shipped (yield pages)", "Excess (yield pages)", "Charge", "Currency",
    "Open errors", "Open warnings",
]  # fmt: skip
DETAILS = [
    "Agreement", "Period", "Colour", "Billed pages", "Expected", "Tolerance", "Shipped", "Excess pages",
    "Shortfall pages", "Cost per yield page", "Excess cartridges", "Effective coverage %", "Charge", "Currency",
    "Shipment rows", "Billing rows",
]  # fmt: skip
FINDINGS = ["Agreement", "Period", "Code", "Severity", "State", "Serial", "Message", "Rows", "Suggested fix", "Note"]
SHIPMENTS = [
    "Agreement", "Period", "Colour", "Upload", "Shipment", "Line", "Shipped on", "Serial", "Part number",
    "Quantity", "Status", "Signed quantity",
]  # fmt: skip
BILLING = [
    "Agreement", "Period", "Period start", "Period end", "Serial", "Mono pages", "Colour pages", "Billed assets",
    "Invoice",
]  # fmt: skip


def _num(value: object) -> object:
    """A numeric cell value: ints stay ints, decimal text becomes Decimal (openpyxl writes it exactly)."""
    if value is None or isinstance(value, int | Decimal):
        return value
    return Decimal(str(value))


def _totals(record: ReconciliationRecord) -> tuple[Decimal, int, Decimal, int]:
    colours = record.result.get("colours", [])
    expected = sum((Decimal(c["capacity_expected"]) for c in colours), Decimal(0))
    shipped = sum(int(c["capacity_shipped"]) for c in colours)
    excess = sum((Decimal(c["excess_pages"]) for c in colours), Decimal(0))
    black = sum(int(c["pages"]) for c in colours if c["colour"] == "black")
    return expected, shipped, excess, black


def _sheet(workbook: Workbook, title: str, header: list[str], rows: Sequence[Sequence[Any]]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = min(60, max(10, *(len(str(c.value or "")) + 2 for c in column)))


def _shipment_rows(data: CountryData) -> Iterator[list[Any]]:
    """Per record and colour, the shipment lines it counted (by row id, as the calculation kept them)."""
    for r in data.records:
        for c in r.result.get("colours", []):
            for row_id in c.get("shipment_ids", []):
                s = data.shipments.get(row_id)
                if s is not None:
                    yield [r.agreement, r.period_label, c["colour"], s.upload_id, s.shipment_id, s.line, s.shipped_on,
                           s.serial or "", s.part_number, s.quantity, s.status.value, s.signed_quantity]  # fmt: skip


def _billing_rows(data: CountryData) -> Iterator[list[Any]]:
    """Per record, the billing lines its colours drew on."""
    for r in data.records:
        for row_id in r.result.get("billing_ids", []):
            b = data.billing.get(row_id)
            if b is not None:
                yield [r.agreement, r.period_label, b.period.start, b.period.end, b.serial or "", b.mono_pages,
                       b.colour_pages, b.billed_asset_count, b.invoice_number]  # fmt: skip


def country_file(country: str, period: str, data: CountryData, *, made_on: date) -> bytes:
    """The workbook bytes for ``country`` and ``period``."""
    records, findings = data.records, data.findings
    workbook = Workbook()
    info = workbook.active
    assert info is not None
    info.title = "About"
    for row in (
        ["Toner reconciliation country file"],
        ["Country", country],
        ["Period", period],
        ["Agreements", len(records)],
        ["Made on", made_on],
    ):
        info.append(row)
    summary, details, found = [], [], []
    for r in records:
        expected, shipped, excess, black = _totals(r)
        summary.append(
            [r.agreement, r.customer_number, r.country, r.period_label, r.status.value, r.owner, r.due_on, black,
             expected, shipped, excess, r.total_charge, r.currency, r.errors_open, r.warnings_open]
        )  # fmt: skip
        for c in r.result.get("colours", []):
            details.append(
                [r.agreement, r.period_label, c["colour"], c["pages"], _num(c["capacity_expected"]),
                 _num(c["tolerance"]), c["capacity_shipped"], _num(c["excess_pages"]), _num(c["shortfall_pages"]),
                 _num(c["cost_per_yield_page"]), _num(c["excess_cartridges"]), _num(c["effective_coverage_percent"]),
                 _num(c["charge"]), r.currency, len(c["shipment_ids"]), len(r.result.get("billing_ids", []))]
            )  # fmt: skip
        for f in findings.get(r.id or 0, []):
            found.append(
                [r.agreement, r.period_label, f.code, f.severity, f.state.value, f.serial or "", f.message,
                 rows_summary(f.rows), f.suggested_fix, f.note]
            )  # fmt: skip
    _sheet(workbook, "Summary", SUMMARY, summary)
    _sheet(workbook, "Details", DETAILS, details)
    _sheet(workbook, "Findings", FINDINGS, found)
    _sheet(workbook, "Shipments", SHIPMENTS, list(_shipment_rows(data)))
    _sheet(workbook, "Billing", BILLING, list(_billing_rows(data)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
