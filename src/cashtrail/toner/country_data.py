"""Read side of the toner country file: the records of a country and period with everything the file shows.

Besides the records and their findings, the file lists the shipment and billing rows each record's figures came
from (the ids its calculation kept). They are read in bulk, one query per kind for the whole file, never per record.
A row deleted since the calculation is simply absent.
"""

from __future__ import annotations

from dataclasses import dataclass

from cashtrail.identity.model import Actor
from cashtrail.ports import UnitOfWork
from cashtrail.toner.model import BillingLine, ShipmentLine
from cashtrail.toner.queries import BoardFilter, board, findings_list
from cashtrail.toner.records import ReconciliationRecord, StoredFinding


@dataclass(frozen=True)
class CountryData:
    """Records of one country and period; their findings by record id; their traced rows by row id."""

    records: list[ReconciliationRecord]
    findings: dict[int, list[StoredFinding]]
    shipments: dict[int, ShipmentLine]
    billing: dict[int, BillingLine]


def country_data(uow: UnitOfWork, actor: Actor, country: str, period: str) -> CountryData:
    """What the country file of ``country`` and ``period`` shows (permission ``toner:read``, checked by the board)."""
    records = board(uow, actor, BoardFilter(period=period, country=country.upper()))
    findings: dict[int, list[StoredFinding]] = {}
    for record, finding in findings_list(uow, actor, period=period, state=""):
        findings.setdefault(record.id or 0, []).append(finding)
    shipment_ids = {i for r in records for c in r.result.get("colours", []) for i in c.get("shipment_ids", [])}
    billing_ids = {i for r in records for i in r.result.get("billing_ids", [])}
    with uow:
        shipments = {s.row_id: s for s in uow.toner.shipments_by_ids(shipment_ids) if s.row_id is not None}
        billing = {b.row_id: b for b in uow.toner.billing_by_ids(billing_ids) if b.row_id is not None}
    return CountryData(records, findings, shipments, billing)
