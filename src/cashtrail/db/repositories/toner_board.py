"""SQL repository of the toner huddle board: reconciliation records and their findings (Core, in bulk)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from cashtrail.db import toner_tables as tt
from cashtrail.db.repositories.billing import chunks
from cashtrail.toner.board import BoardStatus
from cashtrail.toner.records import FindingState, ReconciliationRecord, StoredFinding

_RECORD_FIELDS = (
    "customer_number",
    "country",
    "currency",
    "owner",
    "due_on",
    "status_since",
    "calculated_at",
    "total_charge",
    "errors_open",
    "warnings_open",
    "result",
)


class SqlTonerBoardRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def records(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        agreements: Sequence[str] | None = None,
        status: str | None = None,
        country: str | None = None,
        owner: str | None = None,
    ) -> list[ReconciliationRecord]:
        """Records whose period lies within [start, end], filtered; ordered by agreement and period."""
        t = tt.toner_reconciliations.c
        query = select(tt.toner_reconciliations)
        for column, value in ((t.status, status), (t.country, country), (t.owner, owner)):
            if value:
                query = query.where(column == value)
        if start is not None:
            query = query.where(t.period_start >= start)
        if end is not None:
            query = query.where(t.period_end <= end)
        query = query.order_by(t.agreement, t.period_start)
        if agreements is None:
            return [_record(r) for r in self.session.execute(query)]
        found: list[ReconciliationRecord] = []
        for chunk in chunks(sorted(set(agreements))):
            found += [_record(r) for r in self.session.execute(query.where(t.agreement.in_(chunk)))]
        return sorted(found, key=lambda r: (r.agreement, r.period_start))

    def claim(self) -> None:
        """Take the write lock now (a no-op update): on SQLite a transaction that read first and writes later fails
        with a stale snapshot when another process wrote in between; one that writes first waits its turn."""
        t = tt.toner_reconciliations.c
        self.session.execute(update(tt.toner_reconciliations).where(t.id < 0).values(status=t.status))

    def get(self, agreement: str, start: date, end: date) -> ReconciliationRecord | None:
        t = tt.toner_reconciliations.c
        query = select(tt.toner_reconciliations).where(
            t.agreement == agreement, t.period_start == start, t.period_end == end
        )
        row = self.session.execute(query).first()
        return None if row is None else _record(row)

    def save_many(self, records: Sequence[ReconciliationRecord]) -> None:
        """Insert new records (their ids are set) and update stored ones, each kind in one bulk statement."""
        table = tt.toner_reconciliations
        new = [r for r in records if r.id is None]
        stored = [r for r in records if r.id is not None]
        if new:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            rows = [{**_identity(r), **_values(r)} for r in new]
            for record, row_id in zip(new, self.session.execute(statement, rows).scalars(), strict=True):
                record.id = int(row_id)
        if stored:
            update_statement = update(table).where(table.c.id == bindparam("_id"))
            self.session.connection().execute(update_statement, [{"_id": r.id, **_values(r)} for r in stored])

    def findings(
        self,
        record_ids: Iterable[int],
        state: str | None = None,
        *,
        code: str | None = None,
        severity: str | None = None,
    ) -> list[StoredFinding]:
        """The findings of these records, by id; blank filters match everything."""
        t = tt.toner_findings.c
        found: list[StoredFinding] = []
        for chunk in chunks(sorted(set(record_ids))):
            query = select(tt.toner_findings).where(t.reconciliation_id.in_(chunk))
            for column, value in ((t.state, state), (t.code, code), (t.severity, severity)):
                if value:
                    query = query.where(column == value)
            found += [_finding(r) for r in self.session.execute(query)]
        return sorted(found, key=lambda f: f.id or 0)

    def finding(self, finding_id: int) -> StoredFinding | None:
        row = self.session.execute(select(tt.toner_findings).where(tt.toner_findings.c.id == finding_id)).first()
        return None if row is None else _finding(row)

    def replace_findings(self, record_ids: Sequence[int], findings: Sequence[StoredFinding]) -> None:
        """Drop the records' findings and store ``findings`` instead (one run's result)."""
        t = tt.toner_findings.c
        for chunk in chunks(sorted(set(record_ids))):
            self.session.execute(delete(tt.toner_findings).where(t.reconciliation_id.in_(chunk)))
        rows = [_finding_row(f) for f in findings]
        for start in range(0, len(rows), 5000):
            self.session.execute(insert(tt.toner_findings), rows[start : start + 5000])

    def save_finding(self, finding: StoredFinding) -> None:
        values: dict[str, Any] = {"state": finding.state.value, "note": finding.note}
        values.update(decided_by=finding.decided_by, decided_at=finding.decided_at)
        self.session.execute(update(tt.toner_findings).where(tt.toner_findings.c.id == finding.id).values(**values))


def _identity(record: ReconciliationRecord) -> dict[str, Any]:
    return {"agreement": record.agreement, "period_start": record.period_start, "period_end": record.period_end}


def _values(record: ReconciliationRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in _RECORD_FIELDS}
    values["status"] = record.status.value
    return values


def _record(r: Any) -> ReconciliationRecord:
    return ReconciliationRecord(
        agreement=r.agreement,
        period_start=r.period_start,
        period_end=r.period_end,
        customer_number=r.customer_number,
        country=r.country,
        currency=r.currency,
        status=BoardStatus(r.status),
        owner=r.owner,
        due_on=r.due_on,
        status_since=r.status_since,
        calculated_at=r.calculated_at,
        total_charge=r.total_charge,
        errors_open=r.errors_open,
        warnings_open=r.warnings_open,
        result=r.result or {},
        id=r.id,
    )


def _finding(r: Any) -> StoredFinding:
    return StoredFinding(
        r.reconciliation_id,
        r.code,
        r.severity,
        r.message,
        r.suggested_fix,
        r.serial,
        list(r.rows or []),
        r.fingerprint,
        FindingState(r.state),
        r.note,
        r.decided_by,
        r.decided_at,
        r.id,
    )


def _finding_row(f: StoredFinding) -> dict[str, Any]:
    return {
        "reconciliation_id": f.reconciliation_id,
        "code": f.code,
        "severity": f.severity,
        "message": f.message,
        "suggested_fix": f.suggested_fix,
        "serial": f.serial,
        "rows": f.rows,
        "fingerprint": f.fingerprint,
        "state": f.state.value,
        "note": f.note,
        "decided_by": f.decided_by,
        "decided_at": f.decided_at,
    }
