"""What a reconciliation run keeps: one record per agreement and period on the huddle board, and its findings.

A :class:`ReconciliationRecord` holds the board status, the owner, the due date and the figures of the last
calculation as plain JSON (:func:`summarize`): per colour the pages, capacities, tolerance, excess, cost per yield
page, charge and the ids of the stored shipment and billing rows it came from, so every figure traces back to its
rows even after the inputs change. A :class:`StoredFinding` is a finding with a state (open, accepted, resolved)
that survives re-runs through its :func:`fingerprint`.

Invariants: figures are Decimal strings in JSON (never floats); the board status only changes through
:func:`cashtrail.toner.board.move`; an accepted finding stays accepted while a re-run finds it again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cashtrail.billing.charges import Charge, ChargeKind
from cashtrail.contracts.terms import Period
from cashtrail.money import Money, minor_units
from cashtrail.toner.board import BoardStatus
from cashtrail.toner.calculation import ColourResult, Reconciliation
from cashtrail.toner.findings import TonerFinding
from cashtrail.toner.model import BillingLine, ExcessPricing, ShipmentLine
from cashtrail.toner.periods import period_label

#: Days after the period end by which a reconciliation should be closed (decision D-102).
DUE_DAYS = 30
TONER_CHARGE_KIND = ChargeKind.TONER.value


class FindingState(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"  # looked at and waived, with a note; does not block approval
    RESOLVED = "resolved"  # no longer found by the latest run (the data was corrected)


@dataclass(eq=False)
class ReconciliationRecord:
    """One card of the huddle board: an agreement's reconciliation for one period."""

    agreement: str
    period_start: date
    period_end: date
    customer_number: str
    country: str
    currency: str
    status: BoardStatus
    owner: str
    due_on: date
    status_since: datetime
    calculated_at: datetime | None = None
    total_charge: Decimal | None = None
    errors_open: int = 0
    warnings_open: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def key(self) -> str:
        """``MPS-00001@2026-Q1``: how the audit trail and URLs name the record."""
        return f"{self.agreement}@{self.period_label}"

    def age_days(self, today: date) -> int:
        """Whole days since the record entered its current status."""
        return max(0, (today - self.status_since.date()).days)


@dataclass(eq=False)
class StoredFinding:
    """A finding of one reconciliation as stored, with its state."""

    reconciliation_id: int
    code: str
    severity: str
    message: str
    suggested_fix: str
    serial: str | None
    rows: list[str]
    fingerprint: str
    state: FindingState = FindingState.OPEN
    note: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    id: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def due_on(period: Period) -> date:
    """When a reconciliation of ``period`` is due: :data:`DUE_DAYS` after the period ends."""
    return period.end + timedelta(days=DUE_DAYS)


def row_ref(row: object) -> str:
    """A short, stable text naming a finding's row (shipment, billing line, device, set-up)."""
    if isinstance(row, ShipmentLine):
        return f"shipment {row.shipment_id}/{row.line} ({row.upload_id})"
    if isinstance(row, BillingLine):
        who = f" {row.serial}" if row.serial else ""
        return f"billing {row.period.label()}{who} inv {row.invoice_number}"
    serial = getattr(row, "serial", None)
    if serial is not None:
        return f"device {serial} ({getattr(row, 'model', '')})"
    return f"{type(row).__name__} {getattr(row, 'agreement', '')}".strip()


_SHIPMENT_REF = re.compile(r"shipment (?P<id>.+)/(?P<line>\d+) \((?P<upload>.*)\)")


def shipment_refs(rows: Sequence[str]) -> list[tuple[str, str, int]]:
    """The (upload id, shipment id, line) of each shipment among a finding's rows (:func:`row_ref` texts), in order.

    >>> shipment_refs(["shipment S/1/2 (U1)", "device D1 (M1)", "shipment S9/1 (U (resent))"])
    [('U1', 'S/1', 2), ('U (resent)', 'S9', 1)]
    """
    found = []
    for ref in rows:
        match = _SHIPMENT_REF.fullmatch(ref)
        if match is not None:
            found.append((match["upload"], match["id"], int(match["line"])))
    return found


def rows_summary(rows: Sequence[str], limit: int | None = None) -> str:
    """A finding's rows (:func:`row_ref` texts) in one line; the kind is named once per run of rows of that kind.

    With a ``limit`` only the first ``limit`` rows are named, then how many more there are (the workbench); without
    one every row is (the XLSX export).

    >>> rows_summary(["shipment S1/1 (U1)", "shipment S2/1 (U1)", "device D1 (M1)"])
    'shipment S1/1 (U1), S2/1 (U1); device D1 (M1)'
    >>> rows_summary(["shipment S1/1 (U1)", "shipment S2/1 (U1)", "shipment S3/1 (U1)"], limit=2)
    'shipment S1/1 (U1), S2/1 (U1) +1 more'
    """
    shown = list(rows if limit is None else rows[:limit])
    text, kind = "", None
    for ref in shown:
        head, _, rest = ref.partition(" ")
        if head == kind and rest:
            text += f", {rest}"
        else:
            text += f"{'; ' if text else ''}{ref}"
            kind = head
    hidden = len(rows) - len(shown)
    return f"{text} +{hidden} more" if hidden else text


def fingerprint(finding: TonerFinding) -> str:
    """Identity of a finding across re-runs: code, serial and the rows it is about."""
    text = "|".join([finding.code.value, finding.serial or "", *sorted(row_ref(r) for r in finding.rows)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def stored_findings(
    record_id: int, found: Sequence[TonerFinding], before: Sequence[StoredFinding]
) -> list[StoredFinding]:
    """The findings to store after a run: accepted ones stay accepted; the rest are open."""
    accepted = {f.fingerprint: f for f in before if f.state == FindingState.ACCEPTED}
    result = []
    for finding in found:
        mark = fingerprint(finding)
        kept = accepted.get(mark)
        result.append(
            StoredFinding(
                record_id,
                finding.code.value,
                finding.severity.value,
                finding.message,
                finding.suggested_fix,
                finding.serial,
                [row_ref(r) for r in finding.rows],
                mark,
                FindingState.ACCEPTED if kept else FindingState.OPEN,
                kept.note if kept else "",
                kept.decided_by if kept else "",
                kept.decided_at if kept else None,
            )
        )
    return result


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _colour(result: ColourResult) -> dict[str, Any]:
    charge = result.charge
    return {
        "colour": result.colour.value,
        "pages": result.pages,
        "capacity_shipped": result.capacity_shipped,
        "capacity_expected": _dec(result.capacity_expected),
        "tolerance": _dec(result.tolerance),
        "excess_pages": _dec(result.excess_pages),
        "shortfall_pages": _dec(result.shortfall_pages),
        "cost_per_yield_page": _dec(result.cost_per_yield_page),
        "excess_cartridges": _dec(result.excess_cartridges),
        "effective_coverage_percent": _dec(result.effective_coverage_percent),
        "charge": None if charge is None else str(charge.amount),
        "shipment_ids": sorted(line.row_id for line in result.shipments if line.row_id is not None),
        "devices": [
            {
                "serial": d.serial,
                "excess_pages": _dec(d.excess_pages),
                "charge": _dec(None if d.raw_charge is None else d.raw_charge.amount),
            }
            for d in result.devices
            if d.excess_pages
        ],
    }


def summarize(reconciliation: Reconciliation) -> dict[str, Any]:
    """The JSON kept on the record: set-up terms and one entry per colour."""
    setup = reconciliation.setup
    total = reconciliation.total_charge
    billing = {b.row_id for c in reconciliation.colours for b in c.billing if b.row_id is not None}
    return {
        "billing_ids": sorted(billing),  # the billing lines of the period: every colour draws on them
        "setup": {
            "allowance_percent": str(setup.allowance_percent),
            "tolerance_percent": str(setup.tolerance_percent),
            "spare_allowance_pages": setup.spare_allowance_pages,
            "pooling": setup.pooling.value,
            "pricing": setup.pricing.value,
            "markup_percent": str(setup.markup_percent),
            "price_per_cartridge": _dec(setup.price_per_cartridge),
            "currency": setup.currency,
        },
        "colours": [_colour(c) for c in reconciliation.colours],
        "total_charge": None if total is None else str(total.amount),
    }


def excess_charges(record: ReconciliationRecord) -> list[Charge]:
    """One billing charge per colour with a positive excess charge, keyed so it is billed once."""
    charges = []
    for colour in record.result.get("colours", []):
        amount = Decimal(colour["charge"] or 0)
        if amount <= 0:
            continue
        pages = Decimal(colour["excess_pages"])
        cartridges = colour["excess_cartridges"]
        equivalent = f" ({cartridges} cartridge equivalents)" if cartridges is not None else ""
        charges.append(
            Charge(
                key=f"toner:{record.agreement}:{record.period_label}:{colour['colour']}",
                contract_number=record.agreement,
                customer_number=record.customer_number,
                kind=TONER_CHARGE_KIND,
                description=f"Excess toner {colour['colour']} {record.period_label}{equivalent}",
                period=record.period,
                quantity=pages,
                unit_price=(amount / pages).quantize(Decimal("0.000001")),
                amount=Money(amount, record.currency),
                formula=_formula(record, colour, pages),
                source={"toner_reconciliation": record.key, "colour": colour["colour"]},
                supply="goods",  # cartridges are goods (reverse charge vs intra-Community supply cross-border)
            )
        )
    return charges


def _formula(record: ReconciliationRecord, colour: dict[str, Any], pages: Decimal) -> str:
    """How a colour's charge was computed, in the words of the set-up's pricing (see ``calculation._raw_charge``)."""
    setup = record.result["setup"]
    if setup.get("pricing") == ExcessPricing.PER_CARTRIDGE:  # a selling price already: no markup
        return (
            f"{colour['excess_cartridges']} cartridge equivalents × price per cartridge"
            f" {_price_text(Decimal(setup['price_per_cartridge']), setup['currency'])} {setup['currency']},"
            " rounded half-up once"
        )
    return (
        f"{pages} excess yield pages × cost per yield page {colour['cost_per_yield_page']}"
        f" (+ markup {setup['markup_percent']} %), rounded half-up once"
    )


def _price_text(price: Decimal, currency: str) -> str:
    """A stored price (scale 6) with the currency's minor units and no trailing zeros beyond: ``95.00``, ``95.125``."""
    minor = minor_units(currency)
    exponent = price.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > minor:
        return format(price.normalize(), "f")
    return format(price.quantize(Decimal(1).scaleb(-minor)), "f")
